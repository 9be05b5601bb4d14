"""Triage: one lead whole (`inbox show`), decided leads (`inbox --all`), and `inbox accept`
with --expected, --topic, --status and --tag, checked as `add` checks them."""

import json
from pathlib import Path

import pytest

from tests.support.leads import lead_record, put_leads
from tests.support.runner import assert_refused

LOMON = lead_record(
    1,
    "Lomon back as Su-hyeok for Season 2",
    "The actor returns to the zombie drama [exclusive]",
    links=["https://www.soompi.com/article/1", "https://news.google.com/articles/abc"],
)
NETFLIX = lead_record(2, "Netflix sets a November premiere for Season 2")
RECAP = lead_record(3, "Season 1 recap")


@pytest.fixture
def inbox(db, db_path: Path):
    """A database with one claim and three leads waiting."""
    db.claim = db.add("Lomon returns as Lee Su-hyeok", "--topic", "Cast")
    put_leads(db_path, LOMON, NETFLIX, RECAP)
    return db


def test_show_prints_one_lead_whole(inbox) -> None:
    text = inbox.ok("inbox", "show", "#" + LOMON["id"].upper()).stdout
    assert text.splitlines() == [
        f"Lead {LOMON['id']} (waiting)",
        "  Title:     Lomon back as Su-hyeok for Season 2",
        "  Outlet:    soompi.com (feed soompi.com)",
        f"  Published: {LOMON['published']}   Fetched: {LOMON['fetched']}",
        "Summary:",
        "  The actor returns to the zombie drama [exclusive]",
        "Links:",
        "  https://www.soompi.com/article/1",
        "  https://news.google.com/articles/abc",
        "Suggestions:",
        text.splitlines()[-1],
    ]
    assert text.splitlines()[-1].startswith(f"  maybe {inbox.claim} (")
    assert text.splitlines()[-1].endswith(", rumor): Lomon returns as Lee Su-hyeok")


def test_show_json_is_the_lead_as_the_inbox_lists_it(inbox) -> None:
    shown = inbox.json("inbox", "show", LOMON["id"])
    [listed] = [lead for lead in inbox.json("inbox") if lead["id"] == LOMON["id"]]
    assert shown == listed
    assert shown["links"] == [
        "https://www.soompi.com/article/1",
        "https://news.google.com/articles/abc",
    ]
    assert (shown["state"], shown["claim"], shown["note"], shown["decided"]) == (
        "waiting",
        None,
        None,
        None,
    )
    assert [s["claim"] for s in shown["suggestions"]] == [inbox.claim]


def test_show_refuses_what_names_no_lead(inbox, db_path: Path) -> None:
    before = db_path.read_bytes()
    assert_refused(inbox("inbox", "show", "zzzz"), 1, "no lead")
    assert_refused(inbox("inbox", "show", "lead"), 2, "ambiguous")
    assert_refused(inbox("inbox", "--json", "show", LOMON["id"]), 2, "--json goes after")
    assert_refused(inbox("inbox", "--all", "show", LOMON["id"]), 2, "--all")
    assert db_path.read_bytes() == before


def test_all_lists_decided_leads_with_their_decision(inbox) -> None:
    claim = json.loads(
        inbox.ok(
            "inbox", "accept", NETFLIX["id"], "Season 2 premieres in November", "--json"
        ).stdout
    )["id"]
    inbox.ok("inbox", "attach", LOMON["id"], inbox.claim)
    inbox.ok("inbox", "dismiss", RECAP["id"], "--note", "Season 1 recap")
    assert inbox.json("inbox") == []
    assert inbox.ok("inbox").stdout == "Inbox empty: no leads waiting\n"
    every = {lead["id"]: lead for lead in inbox.json("inbox", "--all")}
    assert [lead["id"] for lead in inbox.json("inbox", "--all")] == [
        RECAP["id"],
        NETFLIX["id"],
        LOMON["id"],
    ]  # newest first
    assert (every[NETFLIX["id"]]["state"], every[NETFLIX["id"]]["claim"]) == ("accepted", claim)
    assert (every[LOMON["id"]]["state"], every[LOMON["id"]]["claim"]) == ("attached", inbox.claim)
    assert (every[RECAP["id"]]["state"], every[RECAP["id"]]["note"]) == (
        "dismissed",
        "Season 1 recap",
    )
    assert all(lead["decided"] and lead["suggestions"] == [] for lead in every.values())
    text = inbox.ok("inbox", "--all").stdout
    assert f"  accepted as claim {claim} on " in text
    assert f"  attached to claim {inbox.claim} on " in text
    assert "  dismissed on 2026-11-23T12:00:00Z: Season 1 recap" in text
    shown = inbox.ok("inbox", "show", RECAP["id"]).stdout
    assert "  Decision:  dismissed on 2026-11-23T12:00:00Z: Season 1 recap" in shown
    assert "Suggestions" not in shown


def test_accept_takes_expected_topic_status_and_tags(inbox) -> None:
    claim = json.loads(
        inbox.ok(
            "inbox", "accept", NETFLIX["id"], "Season 2 premieres in November 2026",
            "--expected", "2026-11", "--topic", "Release", "--tag", "release-date",
            "--tag", "netflix", "--json",
        ).stdout
    )  # fmt: skip
    assert (claim["expected"], claim["topic"], claim["status"]) == (
        "2026-11",
        "Release",
        "reported",
    )
    assert claim["tags"] == ["netflix", "release-date"] or claim["tags"] == [
        "release-date",
        "netflix",
    ]
    assert [source["url"] for source in claim["sources"]] == [NETFLIX["link"]]
    window = json.loads(
        inbox.ok(
            "inbox", "accept", RECAP["id"], "Filming ends", "--expected", "late 2025", "--json"
        ).stdout
    )
    assert window["expected"] == "2025-39"


def test_accept_confirmed_cites_the_lead_as_its_source(inbox) -> None:
    claim = json.loads(
        inbox.ok(
            "inbox", "accept", NETFLIX["id"], "Season 2 premieres in November", "--status",
            "confirmed", "--json",
        ).stdout
    )  # fmt: skip
    assert claim["status"] == "confirmed"
    assert claim["sources"][0]["url"] == NETFLIX["link"]
    assert claim["history"][0]["sources"] == [NETFLIX["link"]]


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--expected", "someday"], "expected"),
        (["--expected", "2025-13"], "expected"),
        (["--status", "debunked"], "debunked"),
        (["--tag", "bad\u202etag"], "tag"),
        (["--topic", " "], "topic"),
    ],
)
def test_accept_refuses_what_add_refuses_and_changes_nothing(
    inbox, db_path: Path, options, words
) -> None:
    before = db_path.read_bytes()
    assert_refused(
        inbox("inbox", "accept", NETFLIX["id"], "Season 2 in November", *options), 2, words
    )
    assert db_path.read_bytes() == before
    assert NETFLIX["id"] in [lead["id"] for lead in inbox.json("inbox")]
