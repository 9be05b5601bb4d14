"""Promises only real processes can test: entry points, concurrency, an empty environment."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aousdctl import __version__
from tests.support.processes import close_stdin, installed_command, run_process
from tests.support.runner import NOW, assert_refused


def test_python_dash_m_and_the_console_script_both_run():
    assert run_process("--version").stdout == f"aousdctl {__version__}\n"
    result = subprocess.run([installed_command(), "--version"], capture_output=True, text=True)
    assert result.stdout == f"aousdctl {__version__}\n"


def test_errors_from_a_real_process_are_one_line_without_traceback(tmp_path):
    result = run_process("--db", str(tmp_path / "typo" / "claims.json"), "list")
    assert_refused(result, 1, "typo", "init")
    assert not (tmp_path / "typo").exists()
    assert_refused(run_process("--no-such-option"), 2, "--no-such-option")


@pytest.mark.slow
def test_four_processes_adding_fifty_claims_each_lose_nothing(db, db_path):
    command = installed_command()
    script = (
        "for i in $(seq 1 50); do "
        '"$0" --db "$1" add "worker $2 claim $i" --topic "Worker $2" --quiet >/dev/null || exit 1; '
        "done"
    )
    workers = [
        subprocess.Popen(["bash", "-c", script, command, str(db_path), str(worker)])
        for worker in range(4)
    ]
    assert [worker.wait(timeout=300) for worker in workers] == [0, 0, 0, 0]
    document = json.loads(db_path.read_text())
    texts = {claim["text"] for claim in document["claims"].values()}
    assert len(document["claims"]) == 200
    assert texts == {f"worker {w} claim {i}" for w in range(4) for i in range(1, 51)}
    assert all(len(claim_id) == 8 for claim_id in document["claims"])  # 200 distinct ids


@pytest.mark.parametrize("prepare", [None, close_stdin], ids=["stdin-devnull", "stdin-closed"])
def test_runs_in_an_empty_environment_without_a_terminal(db_path, prepare):
    command = installed_command()
    bare = {"PATH": "/usr/bin:/bin", "AOUSDCTL_NOW": NOW}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [command, "--db", str(db_path), *args],
            capture_output=True,
            text=True,
            env=bare,
            stdin=subprocess.DEVNULL,
            preexec_fn=prepare,
            cwd="/",
        )

    assert run("init").returncode == 0
    added = run("add", "청산이 돌아온다", "--topic", "Cast").stdout
    assert added.startswith("Added claim ") and added.endswith(" (rumor)\n")
    claim_id = added.split()[2]
    listing = run("list")
    assert listing.returncode == 0
    assert listing.stdout == f"{claim_id}\trumor\tCast\t청산이 돌아온다\n"
    assert_refused(run("rm", claim_id), 2, "--yes")


def modules_imported(*args: str) -> set[str]:
    """The modules a real process of the program imports (`python -X importtime`)."""
    result = run_process_with_python_options(["-X", "importtime"], *args)
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}


def run_process_with_python_options(options: list[str], *args: str):
    return subprocess.run(
        [sys.executable, *options, "-m", "aousdctl", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version_and_help_load_neither_the_rules_nor_the_database():
    """Start-up is timed against `import typer` (benchmarks/run.py): `--version` loads no
    Typer, and `--help` none of the domain, storage or JSON machinery."""
    assert "typer" not in modules_imported("--version")
    loaded = modules_imported("--help")
    assert "typer" in loaded
    heavy = ("aousdctl.domain.claims", "aousdctl.domain.history", "aousdctl.storage", "tinydb")
    assert not {module for module in loaded if module.startswith(heavy)}
    assert "orjson" not in loaded


def test_a_large_output_is_printed_whole_before_the_process_ends(db, db_path):
    """The process ends without freeing what it read (`os._exit`), after flushing."""
    lines = "".join(
        json.dumps({"text": f"Claim {n} " + "x" * 200, "topic": "Cast"}) + "\n" for n in range(2000)
    )
    env = {**os.environ, "AOUSDCTL_NOW": NOW, "AOUSDCTL_DB": str(db_path)}
    assert run_process("import", "-", input=lines, env=env).returncode == 0
    listed = run_process("list", "--json", env=env)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 2000
    missing = run_process("show", "zzzzzzzz", env=env)
    assert missing.returncode == 1 and missing.stderr.startswith("Error: ")


# A program sharing work out to a child that would take a minute: it prints the child's pid.
SHARING_FOREVER = """
import os, time
from aousdctl.service import parallel

def work(part, parts):
    if part:
        print(os.getpid(), flush=True)
    time.sleep(60)

parallel.shared_out(work, 2)
"""


def _ended(pid: int) -> bool:
    """Gone, or a zombie left for whoever adopted it to wait for."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a parent-death signal: Linux")
def test_a_process_killed_outright_leaves_no_child_working_for_it():
    """`doctor` shares its checks out to forked children: killed with SIGKILL (or by the
    SIGHUP of a closed terminal), it takes them with it."""
    parent = subprocess.Popen(
        [sys.executable, "-c", SHARING_FOREVER], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while not _ended(child) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _ended(child)
