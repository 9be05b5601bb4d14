"""On a terminal, as a person sees it through a pseudo-terminal: tables, colour and the `rm`
prompt."""

import os
import pty
import subprocess
import sys

import pytest

from tests.support.runner import NOW
from tests.support.scenarios import places
from tests.support.terminal import BOX_DRAWING, colour_codes, run_on_terminal


def test_list_on_a_terminal_is_a_table_that_keeps_brackets(several, db_path):
    output = run_on_terminal(["--db", str(db_path), "list"])
    assert BOX_DRAWING & set(output)
    assert "Cheong-san returns [exclusive]" in output


def test_a_terminal_gets_a_coloured_table(two, db_path):
    output = run_on_terminal(["--db", str(db_path), "list"])
    assert BOX_DRAWING & set(output)
    assert colour_codes(output)


@pytest.mark.parametrize(
    "args, env",
    [
        ([], {"NO_COLOR": "1"}),
        (["--color", "never"], {}),
        (["--color", "never"], {"FORCE_COLOR": "1"}),
    ],
    ids=["NO_COLOR", "--color-never", "--color-never-beats-FORCE_COLOR"],
)
def test_no_colour_on_a_terminal_keeps_the_table(two, db_path, args, env):
    output = run_on_terminal(["--db", str(db_path), "list", *args], env)
    assert BOX_DRAWING & set(output)
    assert "Cheong-san returns as a hybrid" in output
    assert colour_codes(output) == []


def test_text_on_a_terminal_is_a_table(history, db_path):
    output = run_on_terminal(["--db", str(db_path), "outlets"])
    assert BOX_DRAWING & set(output)
    assert "80% of 5" in output and "rumormill.example" in output
    assert output.index("soompi.com") < output.index("rumormill.example")


def test_rm_asks_on_a_terminal(several, db_path):
    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "aousdctl", "--db", str(db_path), "rm", several.ids[2][:4]],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        close_fds=True,
    )
    os.close(child_fd)
    prompt = b""
    while b"[y/N]" not in prompt:
        prompt += os.read(main_fd, 1024)
    assert b"Cheong-san returns [exclusive]" in prompt
    assert several.ids[2].encode() in prompt  # the whole id, though a prefix was given
    os.write(main_fd, b"y\n")
    assert process.wait(timeout=60) == 0
    os.close(main_fd)
    assert places(several) == [1, 3, 4]


def answer_rm_prompt(db_path, claim_id: str, answer: bytes) -> tuple[bytes, int]:
    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "aousdctl", "--db", str(db_path), "rm", claim_id],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        close_fds=True,
        env={**os.environ, "AOUSDCTL_NOW": NOW},
    )
    os.close(child_fd)
    output = b""
    while b"[y/N]" not in output:
        output += os.read(main_fd, 1024)
    os.write(main_fd, answer)
    while True:
        try:
            chunk = os.read(main_fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(main_fd)
    return output.replace(b"\r\n", b"\n"), process.wait(timeout=60)


def test_answering_no_at_the_rm_prompt_removes_nothing_and_succeeds(two, db_path):
    output, code = answer_rm_prompt(db_path, two.ids[1], b"n\n")
    assert code == 0
    shown = f"Claim {two.ids[1]}: Cheong-san returns as a hybrid\nRemove it? [y/N]"
    assert shown.encode() in output
    assert output.rstrip().endswith(b"Nothing removed.")
    assert b"Error" not in output
    assert len(two.json("list")) == 2
