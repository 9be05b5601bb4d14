"""Durable files with real processes: FIFOs and devices are never opened, and exit codes stay
true when the output can't be printed. Each test backs a guarantee in docs/reliability.md."""

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.support.files import files_in, texts
from tests.support.processes import close_stdin, close_stdout, installed_command
from tests.support.runner import NOW, assert_refused


def run_with_timeout(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    """A real process that must not hang (opening a FIFO to read or write would)."""
    return subprocess.run(
        [installed_command(), *args],
        capture_output=True,
        text=True,
        timeout=20,
        env={**os.environ, "AOUSDCTL_NOW": NOW},
        **kwargs,
    )


def test_export_refuses_a_fifo_a_device_or_a_folder_and_suggests_stdout(db, db_path, tmp_path):
    db.add("Filming started in 2023")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for extra in ([], ["--check"]):  # in a real process: opening the FIFO would hang
        result = run_with_timeout("--db", str(db_path), "export", "-o", str(fifo), *extra)
        assert_refused(result, 2, str(fifo), "stdout")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    folder = tmp_path / "folder"
    folder.mkdir()
    (tmp_path / "link-to-stdout").symlink_to("/dev/stdout")
    for output in (folder, "/dev/stdout", "/dev/null", tmp_path / "link-to-stdout"):
        for extra in ([], ["--check"]):
            assert_refused(db("export", "-o", str(output), *extra), 2, str(output), "stdout")
    assert files_in(folder) == []


def test_export_refuses_dev_stdout_even_when_stdout_is_a_regular_file(db, db_path, tmp_path):
    """/dev/stdout then leads to that file: replacing it would swap the caller's file."""
    db.add("Filming started in 2023")
    captured = tmp_path / "captured"
    with captured.open("wb") as stdout:
        result = subprocess.run(
            [installed_command(), "--db", str(db_path), "export", "-o", "/dev/stdout"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=20,
        )
    assert result.returncode == 2, result.stderr
    assert "stdout" in result.stderr
    assert captured.read_bytes() == b""


def test_a_fifo_at_the_database_path_is_refused_without_hanging(tmp_path):
    path = tmp_path / "claims.json"
    os.mkfifo(path)
    for command in (["list"], ["add", "x"], ["doctor"]):
        result = run_with_timeout("--db", str(path), *command)
        assert_refused(result, 1, str(path))
    assert stat.S_ISFIFO(path.lstat().st_mode)
    assert files_in(tmp_path) == ["claims.json"]


def aousdctl(db_path: Path, *args: str, **kwargs) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [installed_command(), "--db", str(db_path), *args],
        env={**os.environ, "AOUSDCTL_NOW": NOW},
        timeout=60,
        **kwargs,
    )


def refused(result: subprocess.CompletedProcess[bytes], code: int, *words: str) -> None:
    """`assert_refused` for a process whose stdout was not captured."""
    stderr = result.stderr.decode() if isinstance(result.stderr, bytes) else result.stderr
    assert_refused(
        subprocess.CompletedProcess(result.args, result.returncode, "", stderr), code, *words
    )


def test_a_committed_write_exits_0_whatever_happens_to_its_output(db, db_path):
    with open("/dev/full", "wb") as device:
        full = aousdctl(db_path, "add", "to a full disk", stdout=device, stderr=-1)
    assert full.returncode == 0, full.stderr
    assert b"saved" in full.stderr and b"Traceback" not in full.stderr
    closed = aousdctl(db_path, "add", "stdout closed", preexec_fn=close_stdout, stderr=-1)
    assert (closed.returncode, closed.stderr) == (0, b"")
    read_end, write_end = os.pipe()
    os.close(read_end)  # a reader that went away: writing gets EPIPE
    try:
        piped = aousdctl(db_path, "add", "closed pipe", "--json", stdout=write_end, stderr=-1)
    finally:
        os.close(write_end)
    assert (piped.returncode, piped.stderr) == (0, b"")
    assert sorted(texts(db_path)) == sorted(["to a full disk", "stdout closed", "closed pipe"])
    assert sorted(os.listdir(db_path.parent)) == [
        ".claims.json.journal",
        ".gitignore",
        "claims.json",
    ]


def test_a_reader_whose_output_fails_says_so_or_ends_quietly_on_a_closed_pipe(db, db_path):
    lines = "".join(json.dumps({"text": f"claim {n} " + "x" * 2000}) + "\n" for n in range(40))
    db.ok("import", "-", input=lines)  # more than a pipe holds
    before = db_path.read_bytes()
    with open("/dev/full", "wb") as device:
        full = aousdctl(db_path, "list", stdout=device, stderr=-1)
    refused(full, 1, "can't print", "No space left")
    closed = aousdctl(db_path, "list", preexec_fn=close_stdout, stderr=-1)
    refused(closed, 1, "standard output is closed")
    script = '"$0" --db "$1" list --json | head -c1; exit "${PIPESTATUS[0]}"'
    piped = subprocess.run(
        ["bash", "-c", script, installed_command(), str(db_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (piped.returncode, piped.stdout, piped.stderr) == (141, "[", "")
    assert db_path.read_bytes() == before


def test_import_from_a_closed_stdin_is_a_clear_error(db, db_path):
    before = db_path.read_bytes()
    result = aousdctl(db_path, "import", "-", preexec_fn=close_stdin, capture_output=True)
    refused(result, 2, "standard input is closed")
    assert db_path.read_bytes() == before


@pytest.mark.slow
def test_exports_next_to_the_database_and_writes_run_side_by_side(db, db_path):
    """Two exporters rewrite `claims.json.md` beside the database while a writer adds
    claims: no process removes another's temporary file, and every run succeeds."""
    article = db_path.parent / "claims.json.md"
    exporter = 'for i in $(seq 1 15); do "$0" --db "$1" export -o "$2" -q || exit 1; done'
    writer = 'for i in $(seq 1 15); do "$0" --db "$1" add "claim $i" -q >/dev/null || exit 1; done'
    command = [installed_command(), str(db_path), str(article)]
    processes = [
        subprocess.Popen(["bash", "-c", script, *command], stderr=subprocess.PIPE)
        for script in (exporter, exporter, writer)
    ]
    results = [(process.wait(timeout=600), process.stderr.read()) for process in processes]
    assert results == [(0, b"")] * 3
    assert len(texts(db_path)) == 15
    assert files_in(db_path.parent) == [
        ".claims.json.journal",
        ".gitignore",
        "claims.json",
        "claims.json.md",
    ]


@pytest.mark.parametrize("output", ["//dev/fd/1", "//proc/self/fd/1", "PROC/self/fd/1"])
def test_a_process_file_spelled_otherwise_is_still_refused(db, tmp_path, output):
    (tmp_path / "PROC").symlink_to("/proc")
    log = tmp_path / "log.txt"
    log.write_text("log1\n")
    with open(log, "a") as handle:
        result = subprocess.run(
            [installed_command(), "--db", str(db.db_path), "export", "-o", output],
            cwd=tmp_path,
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2 and "stdout" in result.stderr, result.stderr
    assert log.read_text() == "log1\n"


@pytest.mark.parametrize("name", [".claims.json.journal", ".gitignore"])
def test_a_fifo_beside_the_database_is_refused_without_hanging(db, db_path, name):
    (db_path.parent / name).unlink(missing_ok=True)
    os.mkfifo(db_path.parent / name)
    for command in (["add", "x"], ["log"]):
        result = subprocess.run(
            [installed_command(), "--db", str(db_path), *command],
            capture_output=True,
            text=True,
            timeout=20,
            stdin=subprocess.DEVNULL,
        )
        if name == ".gitignore" and command == ["log"]:
            assert result.returncode == 0  # reading needs no .gitignore
            continue
        assert_refused(result, 1, "not a regular file")
