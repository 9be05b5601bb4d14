"""The installed program in real processes, as a shell or cron starts it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any


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
