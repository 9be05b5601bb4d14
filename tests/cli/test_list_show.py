"""Reading claims: list filters, plain and terminal output, show."""

import os
import pty
import subprocess
import sys

import pytest

from tests.support.processes import BOX_DRAWING, run_on_terminal
from tests.support.runner import add_claim, assert_refused


@pytest.fixture
def several(db, monkeypatch):
    """Four claims added a minute apart (so oldest first is their order); `several.ids[n]`
    is the id of the n-th, counting from 1."""
    db.ids = [None]
    at = iter(f"2026-11-23T11:0{minute}:00Z" for minute in range(4))

    def add(*args):
        monkeypatch.setenv("AOUSDCTL_NOW", next(at))
        db.ids.append(add_claim(db, *args))

    add(
        "Filming started in 2023",
        "--topic",
        "Production",
        "--tag",
        "filming",
        "--status",
        "reported",
    )
    add("Cheong-san returns [exclusive]", "--topic", "Cast", "--tag", "Hybrids")
    add("Season 2 has 8 episodes", "--topic", "Episodes", "--note", "from a forum post")
    add(
        "Netflix renewed the show",
        "--topic",
        "Renewal",
        "--status",
        "confirmed",
        "--source",
        "https://www.netflix.com/title/81237994",
    )
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-23T12:00:00Z")
    db.ok("debunk", db.ids[3], "--note", "No episode count announced")
    return db


def ids(cli, *args):
    """The claims a listing shows, as their places among `several` (1 for the first)."""
    return [cli.ids.index(claim["id"]) for claim in cli.json("list", *args)]


def test_list_filters_combine(several):
    assert ids(several) == [1, 2, 3, 4]
    assert ids(several, "--status", "rumor", "--status", "debunked") == [2, 3]
    assert ids(several, "--topic", "cast") == [2]
    assert ids(several, "--tag", "hybrids") == [2]
    assert ids(several, "--search", "FORUM") == [3]
    assert ids(several, "--search", "season", "--status", "rumor") == []


def test_nothing_matching_is_not_an_error(several):
    result = several.ok("list", "--topic", "Nowhere", "--json")
    assert result.stdout.strip() == "[]"
    assert several.ok("list", "--topic", "Nowhere").stdout == ""


def test_list_off_a_terminal_is_plain_tab_separated_text(several):
    output = several.ok("list").stdout
    assert (
        output.splitlines()[1] == f"{several.ids[2]}\trumor\tCast\tCheong-san returns [exclusive]"
    )
    assert not BOX_DRAWING & set(output)
    assert "\x1b[" not in output


def test_an_unknown_status_filter_is_bad_input(several):
    assert_refused(several("list", "--status", "likely"), 2, "--status")


def test_show_prints_sources_and_history(several):
    output = several.ok("show", several.ids[4]).stdout
    assert f"Claim {several.ids[4]} (confirmed)" in output
    assert "https://www.netflix.com/title/81237994" in output
    assert "added as confirmed" in output
    assert_refused(several("show", "42"), 1, "no claim 42")


def test_list_on_a_terminal_is_a_table_that_keeps_brackets(several, db_path):
    output = run_on_terminal(["--db", str(db_path), "list"])
    assert BOX_DRAWING & set(output)
    assert "Cheong-san returns [exclusive]" in output


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
    assert ids(several) == [1, 3, 4]
