"""What a person at a terminal sees: the program on a pseudo-terminal, its tables and colours."""

import os
import pty
import re
import subprocess
import sys

# Characters of the tables Rich draws on a terminal (and never off one).
BOX_DRAWING = set("─│┃┏┓┗┛┡┩━╇╈┼┌┐└┘")


def colour_codes(output: str) -> list[str]:
    """The SGR parameters that set a foreground or background colour (not bold or dim)."""
    found = []
    for parameters in re.findall(r"\x1b\[([0-9;]*)m", output):
        found += [p for p in parameters.split(";") if p and (30 <= int(p) <= 49 or int(p) >= 90)]
    return found


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
