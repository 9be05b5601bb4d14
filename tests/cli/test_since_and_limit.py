"""`list --since WHEN`, `list --limit N` and `log --since WHEN`."""

import pytest

from tests.support.runner import assert_refused


@pytest.fixture
def dated(db, monkeypatch):
    """Three claims added on 1, 10 and 20 November 2026; the first edited on the 21st;
    the clock then stands at the 23rd."""
    added = []
    for day, text in (("01", "Old news"), ("10", "Middle news"), ("20", "Fresh news")):
        monkeypatch.setenv("AOUSDCTL_NOW", f"2026-11-{day}T09:00:00Z")
        added.append(db.add(text))
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-21T09:00:00Z")
    db.ok("edit", added[0], "--tag", "revisited")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-23T12:00:00Z")
    return db, added


def texts(db, *args: str) -> list[str]:
    return [claim["text"] for claim in db.json("list", *args)]


@pytest.mark.parametrize(
    "since, expected",
    [
        ("2026-11-15", ["Old news", "Fresh news"]),  # the edit counts as a change
        ("2026-11-21", ["Old news"]),
        ("2026-11-21T09:00:01Z", []),
        ("2026-11", ["Old news", "Middle news", "Fresh news"]),
        ("2026-12", []),
        ("7d", ["Old news", "Fresh news"]),
        ("1w", ["Old news", "Fresh news"]),
        ("1d", []),
    ],
)
def test_list_since_keeps_claims_changed_since_then(dated, since, expected):
    db, _ = dated
    assert texts(db, "--since", since) == expected


def test_limit_keeps_the_first_n_in_list_order(dated):
    db, added = dated
    assert texts(db, "--limit", "2") == ["Old news", "Middle news"]
    assert texts(db, "--limit", "10") == ["Old news", "Middle news", "Fresh news"]
    assert texts(db, "--since", "2026-11-15", "--limit", "1") == ["Old news"]
    lines = db.ok("list", "--limit", "1").stdout.splitlines()
    assert lines == [f"{added[0]}\trumor\tGeneral\tOld news"]
    assert len(db.ok("list", "--jsonl", "--limit", "2").stdout.splitlines()) == 2


def test_log_since_keeps_the_events_since_then(dated):
    db, added = dated
    events = db.json("log", "--since", "2026-11-10")
    assert [(event["claim"], event["action"]) for event in events] == [
        (added[0], "edited"),
        (added[2], "added"),
        (added[1], "added"),
    ]
    assert [event["action"] for event in db.json("log", added[0], "--since", "3d")] == ["edited"]
    lines = db.ok("log", "--since", "2026-11-21").stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{added[0]}  2026-11-21T09:00:00Z  edited")


@pytest.mark.parametrize(
    "args, words",
    [
        (["list", "--since", "soon"], ["--since", "7d", "YYYY"]),
        (["list", "--since", "2026-13"], ["--since"]),
        (["list", "--since", "0d"], ["--since"]),
        (["log", "--since", "2026-11-23T25:00:00Z"], ["--since"]),
        (["list", "--limit", "0"], ["--limit"]),
        (["list", "--limit", "many"], ["--limit"]),
    ],
)
def test_bad_since_and_limit_are_bad_input(dated, args, words):
    db, _ = dated
    assert_refused(db(*args), 2, *words)
