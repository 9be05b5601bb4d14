"""Holes found by trying to break it, in real processes: each test here failed before its
fix."""

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.processes import installed_command
from tests.support.runner import Cli

# The merge driver stopped by SIGTERM ----------------------------------------------------------


def _large_database(db: Cli, db_path: Path, count: int) -> bytes:
    """The database with `count` claims, written directly (an import would take longer)."""
    claim_id = db.add("Filming started in 2023", "--source", "https://example.com/a")
    document = json.loads(db_path.read_text(encoding="utf-8"))
    record = document["claims"].pop(claim_id)
    document["claims"] = {
        f"{number:08d}": dict(record, text=f"Claim {number}") for number in range(count)
    }
    return json.dumps(document, indent=2, sort_keys=True).encode()


@pytest.mark.slow
def test_the_merge_driver_stopped_by_sigterm_leaves_no_temporary_file(db: Cli, db_path, tmp_path):
    base = _large_database(db, db_path, 20_000)
    theirs = json.loads(base)
    theirs["claims"]["00000000"]["tags"] = ["theirs"]
    folder = tmp_path / "merge"
    folder.mkdir()
    paths = [folder / name for name in ("base.json", "ours.json", "theirs.json")]
    paths[0].write_bytes(base)
    paths[2].write_text(json.dumps(theirs, indent=2, sort_keys=True), encoding="utf-8")
    for _ in range(10):
        paths[1].write_bytes(base)
        process = subprocess.Popen(
            [installed_command(), "merge", *map(str, paths)], stderr=subprocess.PIPE, text=True
        )
        temporary = _wait_for_temporary(folder, process)
        if temporary is None:
            process.wait(timeout=60)
            continue
        process.send_signal(signal.SIGSTOP)
        if not temporary.exists():  # renamed into place already: try again
            process.send_signal(signal.SIGCONT)
            process.wait(timeout=60)
            continue
        process.send_signal(signal.SIGTERM)
        process.send_signal(signal.SIGCONT)
        assert process.wait(timeout=60) == 128 + signal.SIGTERM
        assert process.stderr is not None
        assert process.stderr.read() == "Error: stopped by SIGTERM; nothing was changed\n"
        assert sorted(path.name for path in folder.iterdir()) == sorted(p.name for p in paths)
        assert paths[1].read_bytes() == base  # ours as it was: git reports a conflict
        return
    pytest.fail("the merge never stopped mid-write in ten tries")


def _wait_for_temporary(folder: Path, process: subprocess.Popen[str]) -> Path | None:
    while process.poll() is None:
        found = [path for path in folder.iterdir() if path.name.endswith(".tmp")]
        if found:
            return found[0]
        time.sleep(0.001)
    return None
