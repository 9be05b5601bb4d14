"""`rm` of several claims on a terminal shows each one and asks once."""

import os
import pty
import subprocess
import sys


def answer_prompt(db_path, ids: list[str], answer: bytes) -> tuple[bytes, int]:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "aousdctl", "--db", str(db_path), "rm", *ids],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        close_fds=True,
    )
    os.close(terminal)
    output = b""
    while b"[y/N]" not in output:
        piece = os.read(controller, 1024)
        assert piece, output
        output += piece
    os.write(controller, answer)
    while True:
        try:
            piece = os.read(controller, 1024)
        except OSError:  # the terminal closed: the process has exited
            break
        if not piece:
            break
        output += piece
    os.close(controller)
    return output.replace(b"\r\n", b"\n").decode(), process.wait(timeout=60)


def test_every_claim_is_shown_and_yes_removes_them_all(db, db_path):
    ids = [db.add("Lomon returns"), db.add("Cho Yi-hyun returns"), db.add("Kept")]
    output, code = answer_prompt(db_path, [ids[0], ids[1][:5]], b"y\n")
    assert code == 0
    assert (
        f"Claim {ids[0]}: Lomon returns\nClaim {ids[1]}: Cho Yi-hyun returns\nRemove these 2? [y/N]"
    ) in output
    assert f"Removed claim {ids[0]}\nRemoved claim {ids[1]}\n" in output
    assert [claim["id"] for claim in db.json("list")] == [ids[2]]


def test_no_removes_none(db, db_path):
    ids = [db.add("Lomon returns"), db.add("Cho Yi-hyun returns")]
    output, code = answer_prompt(db_path, ids, b"n\n")
    assert code == 0 and output.rstrip().endswith("Nothing removed.")
    assert len(db.json("list")) == 2
