"""The ladder: promote, demote, debunk, and the edits and removals around them."""

import pytest

from conftest import NOW, assert_refused
from helpers import add_claim

SOURCE = "https://www.netflix.com/tudum/articles/all-of-us-are-dead-season-2"


@pytest.fixture
def rumor(db):
    db.claim_id = add_claim(db, "Filming started in 2023", "--topic", "Production")
    return db


def with_id(args, claim_id):
    """A command line written with 1 for the claim, given the claim's real id."""
    return [claim_id if arg == "1" else arg for arg in args]


def test_promote_climbs_one_step_at_a_time(rumor):
    assert rumor.ok("promote", rumor.claim_id).stdout == (
        f"Promoted claim {rumor.claim_id}: rumor -> reported\n"
    )
    claim = rumor.json("promote", rumor.claim_id, "--source", SOURCE, "--note", "Netflix said so")
    assert claim["status"] == "confirmed"
    promoted = claim["history"][-1]
    del promoted["id"]
    assert promoted == {
        "action": "promoted",
        "at": NOW,
        "change": {"cited": claim["sources"]},
        "clock": 3,
        "from": "reported",
        "note": "Netflix said so",
        "sources": [SOURCE],
        "to": "confirmed",
    }


def test_promote_to_jumps_straight_up(rumor):
    claim = rumor.json("promote", rumor.claim_id, "--to", "confirmed", "--source", SOURCE)
    assert claim["status"] == "confirmed"
    assert [(e["from"], e["to"]) for e in claim["history"]] == [
        (None, "rumor"),
        ("rumor", "confirmed"),
    ]


def test_confirming_needs_a_source_given_now_or_before(rumor, db_path):
    before = db_path.read_bytes()
    assert_refused(rumor("promote", rumor.claim_id, "--to", "confirmed"), 1, "source", "--source")
    assert db_path.read_bytes() == before
    rumor.ok("source", "add", rumor.claim_id, SOURCE)
    assert rumor.json("promote", rumor.claim_id, "--to", "confirmed")["status"] == "confirmed"


@pytest.mark.parametrize(
    "setup, args, words",
    [
        (
            [["promote", "1", "--to", "confirmed", "--source", SOURCE]],
            ["promote", "1"],
            ["already confirmed"],
        ),
        ([["promote", "1"]], ["promote", "1", "--to", "reported"], ["not move it up"]),
        ([["promote", "1"]], ["promote", "1", "--to", "rumor"], ["not move it up"]),
        ([], ["demote", "1", "--note", "why"], ["already a rumor", "debunk"]),
        (
            [["promote", "1"]],
            ["demote", "1", "--to", "reported", "--note", "x"],
            ["not move it down"],
        ),
        (
            [["debunk", "1", "--note", "false"]],
            ["debunk", "1", "--note", "again"],
            ["already debunked"],
        ),
        ([["debunk", "1", "--note", "false"]], ["demote", "1", "--note", "x"], ["debunked"]),
        ([], ["promote", "99"], ["no claim 99"]),
        ([], ["edit", "99", "--text", "x"], ["no claim 99"]),
    ],
)
def test_illegal_requests_exit_1_and_change_nothing(rumor, db_path, setup, args, words):
    for step in setup:
        rumor.ok(*with_id(step, rumor.claim_id))
    before = db_path.read_bytes()
    assert_refused(rumor(*with_id(args, rumor.claim_id)), 1, *words)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    "args, words",
    [
        (["demote", "1"], ["--why"]),
        (["demote", "1", "--note", "  "], ["--why"]),
        (["debunk", "1"], ["--why"]),
        (["promote", "1", "--to", "debunked"], ["--to"]),
        (["promote", "not-an-id"], ["not a claim id"]),
        (["promote", "1", "--source", "javascript:alert(1)"], ["http"]),
        (["edit", "1"], ["nothing to change"]),
        (["edit", "1", "--expected", "soon"], ["YYYY"]),
        (["source", "add", "1", "file:///etc/passwd"], ["http"]),
        (["source", "add", "1", SOURCE, "--published", "June"], ["YYYY"]),
    ],
)
def test_bad_input_exits_2_and_changes_nothing(rumor, db_path, args, words):
    before = db_path.read_bytes()
    assert_refused(rumor(*with_id(args, rumor.claim_id)), 2, *words)
    assert db_path.read_bytes() == before


def test_demote_steps_down_with_its_reason(rumor):
    rumor.ok("promote", rumor.claim_id, "--to", "confirmed", "--source", SOURCE)
    result = rumor.ok("demote", rumor.claim_id, "--note", "Only one outlet said it")
    assert result.stdout == f"Demoted claim {rumor.claim_id}: confirmed -> reported\n"
    claim = rumor.json("demote", rumor.claim_id, "--note", "Retracted")
    assert claim["status"] == "rumor"
    assert claim["history"][-1]["note"] == "Retracted"


def test_debunk_keeps_the_claim_its_reason_and_sources(rumor):
    result = rumor.ok(
        "debunk", rumor.claim_id, "--note", "Filming began in 2024", "--source", SOURCE
    )
    assert result.stdout == f"Debunked claim {rumor.claim_id} (was rumor)\n"
    claim = rumor.json("show", rumor.claim_id)
    assert claim["status"] == "debunked"
    assert claim["sources"][0]["url"] == SOURCE
    assert claim["history"][-1]["note"] == "Filming began in 2024"
    assert rumor.json("list", "--status", "debunked")[0]["id"] == rumor.claim_id


def test_promoting_a_debunked_claim_reopens_it_as_a_rumor(rumor):
    rumor.ok("debunk", rumor.claim_id, "--note", "wrong")
    assert rumor.json("promote", rumor.claim_id)["status"] == "rumor"


def test_edit_changes_fields_and_the_history_keeps_the_old_text(rumor):
    claim = rumor.json(
        "edit",
        rumor.claim_id,
        "--text",
        "Filming started in spring 2023",
        "--topic",
        "Filming",
        "--tag",
        "filming",
        "--expected",
        "2023-04",
        "--note",
        "Per two outlets",
    )
    assert (claim["text"], claim["topic"], claim["tags"], claim["expected"], claim["note"]) == (
        "Filming started in spring 2023",
        "Filming",
        ["filming"],
        "2023-04",
        "Per two outlets",
    )
    event = claim["history"][-1]
    assert event["action"] == "edited"
    assert "text was: Filming started in 2023" in event["note"]
    cleared = rumor.json(
        "edit", rumor.claim_id, "--expected", "", "--note", "", "--untag", "FILMING"
    )
    assert (cleared["expected"], cleared["note"], cleared["tags"]) == (None, None, [])


def test_an_edit_that_changes_nothing_does_not_rewrite(rumor, db_path):
    before = db_path.stat().st_mtime_ns
    result = rumor.ok("edit", rumor.claim_id, "--topic", "Production")
    assert "nothing changed" in result.stdout
    assert db_path.stat().st_mtime_ns == before


def test_an_edit_may_not_duplicate_another_claim(rumor, db_path):
    other = add_claim(rumor, "Filming wrapped in 2024", "--topic", "Production")
    before = db_path.read_bytes()
    refused = rumor("edit", other, "--text", "filming started in 2023")
    assert_refused(refused, 1, f"claim {rumor.claim_id}")
    assert db_path.read_bytes() == before


def test_source_add_attaches_and_then_updates_details(rumor):
    claim = rumor.json(
        "source",
        "add",
        rumor.claim_id,
        SOURCE,
        "--outlet",
        "Netflix Tudum",
        "--title",
        "Season 2 is happening",
        "--published",
        "2022-06",
    )
    assert claim["sources"] == [
        {
            "url": SOURCE,
            "outlet": "Netflix Tudum",
            "title": "Season 2 is happening",
            "published": "2022-06",
        }
    ]
    again = rumor.ok("source", "add", rumor.claim_id, SOURCE)
    assert "already cites" in again.stdout
    updated = rumor.json("source", "add", rumor.claim_id, SOURCE, "--published", "2022-06-07")
    assert updated["sources"][0]["published"] == "2022-06-07"
    assert updated["sources"][0]["outlet"] == "Netflix Tudum"


def test_rm_needs_yes_off_a_terminal(rumor, db_path):
    before = db_path.read_bytes()
    assert_refused(rumor("rm", rumor.claim_id), 2, "--yes")
    assert db_path.read_bytes() == before
    assert rumor.ok("rm", rumor.claim_id, "--yes").stdout == f"Removed claim {rumor.claim_id}\n"
    assert rumor.json("list") == []
    assert_refused(rumor("show", rumor.claim_id), 1, "removed")


def test_log_lists_changes_newest_first_and_keeps_removed_claims(rumor, monkeypatch):
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-24T08:00:00Z")
    rumor.ok("promote", rumor.claim_id)
    second = add_claim(rumor, "Season 2 has 8 episodes")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-25T08:00:00Z")
    rumor.ok("rm", second, "--yes")
    entries = rumor.json("log")
    first = rumor.claim_id
    assert [(e["claim"], e["action"], e["at"]) for e in entries] == [
        (second, "removed", "2026-11-25T08:00:00Z"),
        (second, "added", "2026-11-24T08:00:00Z"),
        (first, "promoted", "2026-11-24T08:00:00Z"),
        (first, "added", NOW),
    ]
    assert [e["action"] for e in rumor.json("log", first)] == ["promoted", "added"]
    assert [e["action"] for e in rumor.json("log", second)] == ["removed", "added"]
    text = rumor.ok("log").stdout.splitlines()
    assert text[0].startswith(f"#{second}  2026-11-25T08:00:00Z  removed")
    assert "promoted rumor -> reported" in text[2]
