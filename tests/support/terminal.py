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
    output, code = on_terminal(args, env_extra)
    assert code == 0, output
    return output.decode()


def on_terminal(args, env_extra=None) -> tuple[bytes, int]:
    """What the real program writes to a pseudo-terminal (stdout and stderr), and its exit
    status, however it ends."""
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
    output = _read_to_the_end(main_fd, b"")
    return output, process.wait(timeout=60)


def answer_rm_prompt(db_path, ids: list[str], answer: bytes) -> tuple[bytes, int]:
    """`rm IDS` on a terminal, given `answer` at its prompt: what it wrote (line ends as
    `\n`) and its exit status."""
    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "aousdctl", "--db", str(db_path), "rm", *ids],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        close_fds=True,
    )
    os.close(child_fd)
    output = b""
    while b"[y/N]" not in output:
        output += os.read(main_fd, 1024)
    os.write(main_fd, answer)
    output = _read_to_the_end(main_fd, output)
    return output.replace(b"\r\n", b"\n"), process.wait(timeout=60)


def _read_to_the_end(main_fd: int, output: bytes) -> bytes:
    """Read the terminal until the program has closed it, then close it."""
    chunks = [output]
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # the program exited and the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main_fd)
    return b"".join(chunks)
