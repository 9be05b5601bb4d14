"""The installed program in real processes: as a shell, cron or a person at a terminal runs it."""

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

# Characters of the tables Rich draws on a terminal (and never off one).
BOX_DRAWING = set("─│┃┏┓┗┛┡┩━╇╈┼┌┐└┘")


def installed_command() -> str:
    """The `aousdctl` console script of the environment running the tests."""
    beside_python = Path(sys.executable).parent / "aousdctl"
    found = str(beside_python) if beside_python.exists() else shutil.which("aousdctl")
    assert found, "the aousdctl console script is not installed"
    return found


def run_process(*args: str, env: dict[str, str] | None = None, **kwargs: Any):
    """The installed program in a real process, as cron or a shell would start it."""
    return subprocess.run(
        [sys.executable, "-m", "aousdctl", *args],
        capture_output=True,
        text=True,
        env=env if env is not None else {**os.environ},
        timeout=120,
        **kwargs,
    )


def close_stdin() -> None:
    """For `preexec_fn`: start the program with no standard input at all, as cron may."""
    os.close(0)


def close_stdout() -> None:
    """For `preexec_fn`: start the program with its standard output closed."""
    os.close(1)


def run_on_terminal(args, env_extra=None):
    """Run the real program with a pseudo-terminal as stdin and stdout, like a person would."""
    main_fd, child_fd = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm-256color", **(env_extra or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "aousdctl", *args],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        env=env,
        close_fds=True,
    )
    os.close(child_fd)
    chunks = []
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main_fd)
    assert process.wait(timeout=60) == 0
    return b"".join(chunks).decode()
