"""`--color never` and NO_COLOR mean no escape code at all on a real terminal (a
pseudo-terminal): no colour, and no bold or dim either."""

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

ESCAPE = b"\x1b"


def on_terminal(args: list[str], env: dict[str, str]) -> bytes:
    """What `python -m aousdctl ARGS` writes to a pseudo-terminal (stdout and stderr)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "aousdctl", *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        close_fds=True,
    )
    os.close(terminal)
    output = bytearray()
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            process.kill()
            raise AssertionError(f"no output for 60 s from {args}")
        try:
            piece = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process has exited
            break
        if not piece:
            break
        output += piece
    process.wait(timeout=60)
    os.close(controller)
    return bytes(output)


@pytest.fixture
def filled(db, tmp_path: Path) -> Path:
    """A database with claims in every status, a source with an outlet, and a topic."""
    confirmed = db.add("Netflix renewed the show", "--topic", "Renewal")
    db.ok("promote", confirmed, "--to", "confirmed", "-s", "https://www.netflix.com/tudum/a")
    db.add("Filming started in 2023", "--status", "reported", "-s", "https://example.com/f")
    db.add("Season 2 in October 2025", "--expected", "2025-10")
    false = db.add("Netflix cancelled Season 2")
    db.ok("debunk", false, "--why", "Netflix denied it")
    db.ok("topic", "set", "Renewal", "--heading", "Is it renewed?")
    return db.db_path


# The two Rich tables, styled status words, help, and an error line.
COMMANDS = [
    ["list"],
    ["outlets"],
    ["review"],
    ["list", "--help"],
    ["show", "nosuchid"],
]


def terminal_environment(**extra: str) -> dict[str, str]:
    base = {
        name: value
        for name, value in os.environ.items()
        if name not in ("NO_COLOR", "FORCE_COLOR", "AOUSDCTL_DB")
    }
    return {**base, "TERM": "xterm-256color", "COLUMNS": "120", **extra}


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_color_never_writes_no_escape_code_on_a_terminal(filled, command):
    output = on_terminal(
        ["--db", str(filled), "--color", "never", *command], terminal_environment()
    )
    assert output.strip()
    assert ESCAPE not in output, output


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_color_writes_no_escape_code_on_a_terminal(filled, command):
    output = on_terminal(["--db", str(filled), *command], terminal_environment(NO_COLOR="1"))
    assert output.strip()
    assert ESCAPE not in output, output


def test_the_table_is_still_a_table_without_colour(filled):
    output = on_terminal(["--db", str(filled), "list", "--color", "never"], terminal_environment())
    assert "┃ ID" in output.decode() and "Netflix renewed the show" in output.decode()


@pytest.mark.parametrize("command", [["list"], ["outlets"]])
def test_colour_on_a_terminal_does_write_escape_codes(filled, command):
    """The check above can fail: the same tables in colour carry escape codes."""
    output = on_terminal(["--db", str(filled), *command], terminal_environment())
    assert ESCAPE in output
    output = on_terminal(
        ["--db", str(filled), "--color", "always", *command],
        terminal_environment(NO_COLOR="1"),
    )
    assert ESCAPE in output
