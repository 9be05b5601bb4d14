"""Trying hard to lose data with real processes: concurrent writers, SIGKILL mid-write, a full
disk. Each test backs a guarantee written in docs/reliability.md; the heaviest are `slow`."""

import json
import os
import random
import resource
import signal
import subprocess
import time

import pytest

from tests.support.files import leftovers
from tests.support.processes import installed_command, run_process
from tests.support.runner import add_claim, assert_refused


@pytest.mark.slow
def test_eight_writers_and_a_reader_lose_nothing(db, db_path):
    command = installed_command()
    writer = (
        "for i in $(seq 1 50); do "
        '  id=$("$0" --db "$1" add "writer $2 claim $i" --topic "Writer $2" --quiet) || exit 1; '
        "  if [ $((i % 5)) -eq 0 ]; then "
        '    "$0" --db "$1" promote "$id" --quiet >/dev/null || exit 1; '
        "  fi; "
        "done"
    )
    reader = (
        'n=0; while [ ! -e "$2" ]; do '
        '  "$0" --db "$1" list --json > "$3.$n" || exit 1; n=$((n + 1)); '
        "done; echo $n"
    )
    stop = db_path.parent / "stop"
    reads = db_path.parent / "read"
    reading = subprocess.Popen(
        ["bash", "-c", reader, command, str(db_path), str(stop), str(reads)],
        stdout=subprocess.PIPE,
        text=True,
    )
    writers = [
        subprocess.Popen(["bash", "-c", writer, command, str(db_path), str(w)]) for w in range(8)
    ]
    assert [w.wait(timeout=600) for w in writers] == [0] * 8
    stop.touch()
    out, _ = reading.communicate(timeout=120)
    assert reading.returncode == 0
    snapshots = sorted(db_path.parent.glob("read.*"))
    assert int(out) == len(snapshots) > 0
    for snapshot in snapshots:
        json.loads(snapshot.read_text())  # every read saw a whole file
        snapshot.unlink()
    stop.unlink()
    claims = json.loads(run_process("--db", str(db_path), "list", "--json").stdout)
    assert len(claims) == 400
    assert len({c["id"] for c in claims}) == 400
    assert {c["text"] for c in claims} == {
        f"writer {w} claim {i}" for w in range(8) for i in range(1, 51)
    }
    assert sum(c["status"] == "reported" for c in claims) == 80
    assert leftovers(db_path.parent) == []


@pytest.mark.slow
def test_sigkill_at_random_moments_keeps_every_reported_write(db, db_path, tmp_path):
    """A database big enough that a write takes a while, and a writer killed 30 times."""
    lines = tmp_path / "big.jsonl"
    lines.write_text(
        "".join(
            json.dumps(
                {
                    "text": f"Background claim {n}",
                    "topic": f"Topic {n % 12}",
                    "sources": [f"https://example.com/{n}", f"https://example.org/{n}"],
                    "note": "x" * 200,
                }
            )
            + "\n"
            for n in range(8000)
        )
    )
    assert run_process("--db", str(db_path), "import", str(lines)).returncode == 0
    env = {**os.environ, "AOUSDCTL_LOCK_TIMEOUT": "5"}

    def timed_add(text: str) -> float:
        """How long one whole `add` takes on this machine now, loaded or not."""
        started = time.monotonic()
        result = run_process("--db", str(db_path), "add", text, env=env)
        assert result.returncode == 0, result.stderr
        return time.monotonic() - started

    # Kills are spread over the time a write takes here, measured again after every kill
    # (a fixed range fails on a loaded machine, where no write finishes before its kill):
    # most land mid-write, about a fifth after it finished.
    durations = [timed_add("Measuring 1"), timed_add("Measuring 2")]
    rng = random.Random(20261124)
    confirmed: list[str] = []
    for attempt in range(30):
        text = f"Written before the kill {attempt}"
        write_time = max(durations[-3:])
        process = subprocess.Popen(
            [installed_command(), "--db", str(db_path), "add", text],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(rng.uniform(0.1, 1.3) * write_time)
        process.send_signal(signal.SIGKILL)
        if process.wait(timeout=60) == 0:
            confirmed.append(text)  # it reported success before the kill landed
        document = json.loads(db_path.read_text())  # still a whole, valid file
        texts = {claim["text"] for claim in document["claims"].values()}
        assert set(confirmed) <= texts
        # The next command is not blocked by anything the killed one left behind.
        durations.append(timed_add(f"After kill {attempt}"))
        assert leftovers(db_path.parent) == []
    assert confirmed, "no write finished before its kill: make the kills later"
    assert run_process("--db", str(db_path), "doctor").returncode == 0


def test_a_full_disk_leaves_the_file_and_no_temp_files(db, db_path):
    import resource

    for n in range(20):
        add_claim(db, f"claim {n}")
    before = db_path.read_bytes()
    limit = len(before) + 100

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    for command in (["add", "y" * 1000], ["import", "-"]):
        result = subprocess.run(
            [installed_command(), "--db", str(db_path), *command],
            capture_output=True,
            text=True,
            preexec_fn=small_disk,
            input=json.dumps({"text": "z" * 1000}) + "\n",
        )
        assert_refused(result, 1, "can't write")
        assert db_path.read_bytes() == before
        assert leftovers(db_path.parent) == []


def test_a_failed_write_leaves_the_file_and_no_temp_files(db, db_path):
    """A full disk, simulated by a file-size limit just above the current file."""
    add_claim(db, "one")
    before = db_path.read_bytes()
    limit = len(before) + 64

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = run_process("--db", str(db_path), "add", "x" * 2000, preexec_fn=limit_file_size)
    assert_refused(result, 1, "can't write", "left as it was")
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == [
        ".claims.json.journal",
        ".gitignore",
        "claims.json",
    ]
