"""Claims, command by command: `add` (defaults, output forms, matching an existing claim, every
refusal), `list` and `show`, the ladder (`promote`, `demote`, `debunk`), and the edits and
removals around it (`edit`, `source add`, `rm`, `log`)."""

import json
import re

import pytest

from tests.support.records import CLAIM_FIELDS, NETFLIX_TITLE
from tests.support.runner import NOW, add_claim, assert_refused
from tests.support.scenarios import places
from tests.support.terminal import BOX_DRAWING

SOURCE = "https://www.netflix.com/tudum/articles/all-of-us-are-dead-season-2"


# --- add ---------------------------------------------------------------------------------


def test_add_defaults_to_a_rumor_in_general(db):
    result = db.ok("add", "Filming started in 2023")
    assert re.fullmatch(r"Added claim [0-9a-hjkmnp-tv-z]{8} \(rumor\)\n", result.stdout)
    claim = db.json("show", result.stdout.split()[2])
    assert claim["status"] == "rumor"
    assert claim["topic"] == "General"


def test_add_json_prints_the_whole_claim_object(db):
    claim = db.json(
        "add",
        "Cheong-san returns as a hybrid",
        "--status",
        "reported",
        "--topic",
        "Cast",
        "--source",
        "https://www.soompi.com/article/123",
        "--tag",
        "hybrids",
        "--tag",
        "cast",
        "--expected",
        "2025-10",
        "--note",
        "From a fan forum",
    )
    assert list(claim) == CLAIM_FIELDS
    assert re.fullmatch(r"[0-9a-hjkmnp-tv-z]{8}", claim["id"])
    assert db.json("show", claim["id"]) == claim
    assert claim["sources"] == [
        {
            "url": "https://www.soompi.com/article/123",
            "stance": "supports",
            "outlet": "soompi.com",
            "publisher": None,
            "title": None,
            "published": None,
            "accessed": NOW[:10],
            "archive": None,
        }
    ]
    assert claim["tags"] == ["hybrids", "cast"]
    assert claim["expected"] == "2025-10"
    assert claim["created"] == claim["updated"] == NOW
    (added,) = claim["history"]
    assert len(added.pop("id")) == 12  # random, like a claim id but longer
    assert added == {
        "action": "added",
        "at": NOW,
        # What the event made the claim say: the history is what the claim is.
        "change": {
            "cited": [{"stance": "supports", "url": "https://www.soompi.com/article/123"}],
            "expected": "2025-10",
            "note": "From a fan forum",
            "tags": ["hybrids", "cast"],
            "text": "Cheong-san returns as a hybrid",
            "topic": "Cast",
        },
        "clock": 1,
        "from": None,
        "note": "From a fan forum",
        "sources": ["https://www.soompi.com/article/123"],
        "to": "reported",
    }


def test_add_quiet_prints_only_the_id(db):
    one = db.ok("add", "one", "--quiet").stdout
    two = db.ok("add", "two", "-q").stdout
    assert re.fullmatch(r"[0-9a-z]{8}\n", one) and re.fullmatch(r"[0-9a-z]{8}\n", two)
    assert one != two
    assert [claim["id"] for claim in db.json("list")] == sorted([one.strip(), two.strip()])


def test_the_same_claim_gets_new_sources_and_tags_instead_of_a_duplicate(db):
    claim_id = add_claim(
        db, "Filming started in 2023", "--topic", "Production", "--source", "https://a.example/1"
    )
    result = db.ok(
        "add",
        "  filming STARTED   in 2023 ",
        "--topic",
        "production",
        "--source",
        "https://a.example/1",
        "--source",
        "https://b.example/2",
        "--tag",
        "filming",
    )
    assert (
        f"Claim {claim_id} already says this; attached 1 new source and 1 new tag" in result.stdout
    )
    claims = db.json("list")
    assert len(claims) == 1
    assert [s["url"] for s in claims[0]["sources"]] == [
        "https://a.example/1",
        "https://b.example/2",
    ]
    assert claims[0]["tags"] == ["filming"]
    assert claims[0]["history"][-1]["action"] == "attached"


def test_the_same_text_in_another_topic_is_another_claim(db):
    first = add_claim(db, "Season 2 has 8 episodes", "--topic", "Episodes")
    second = add_claim(db, "Season 2 has 8 episodes", "--topic", "Rumors")
    assert first != second and len(db.json("list")) == 2


def test_a_debunked_claim_is_not_added_again(db, db_path):
    claim_id = add_claim(db, "Netflix cancelled Season 2")
    db.ok("debunk", claim_id, "--note", "The renewal stands")
    before = db_path.read_bytes()
    result = db("add", "netflix cancelled season 2", "--source", "https://x.example/")
    assert_refused(result, 1, f"claim {claim_id}", "debunked", "The renewal stands")
    assert db_path.read_bytes() == before


def test_the_outlet_defaults_to_the_host_without_www(db):
    claim = db.json("add", "x", "--source", "HTTPS://WWW.Netflix.com/title/81237994")
    assert claim["sources"][0]["outlet"] == "netflix.com"


def test_sources_are_stored_canonical_and_shared(db) -> None:
    claim = db.add(
        "Filming started",
        "--source",
        "https://WWW.Soompi.com/a?utm_source=tw#top",
        "--source",
        "https://www.soompi.com/a?fbclid=zzz",
    )
    shown = db.json("show", str(claim))
    assert [s["url"] for s in shown["sources"]] == ["https://www.soompi.com/a"]
    assert shown["sources"][0]["outlet"] == "soompi.com"
    db.ok("source", "add", str(claim), "https://www.soompi.com/a?utm_campaign=1", "--title", "T")
    shown = db.json("show", str(claim))
    assert len(shown["sources"]) == 1 and shown["sources"][0]["title"] == "T"


def test_dates_keep_the_precision_given(db):
    for number, date in enumerate(["2025", "2025-10", "2025-10-31"], start=1):
        assert db.json("add", f"claim {number}", "--expected", date)["expected"] == date


@pytest.mark.parametrize(
    "args, words",
    [
        (["   "], ["blank"]),
        ([""], ["blank"]),
        (["line one\nline two"], ["one line"]),
        (["x", "--status", "certain"], ["--status", "certain"]),
        (["x", "--status", "debunked"], ["--status"]),
        (["x", "--expected", "soon"], ["YYYY", "late 2025"]),
        (["x", "--expected", "2025-02-30"], ["real date"]),
        (["x", "--expected", "2025-13"], ["real date"]),
        (["x", "--source", "javascript:alert(1)"], ["http"]),
        (["x", "--source", "file:///etc/passwd"], ["http"]),
        (["x", "--source", "data:text/html,hi"], ["http"]),
        (["x", "--source", "ftp://example.com/x"], ["http"]),
        (["x", "--source", "https://"], ["http"]),
        (["x", "--source", "https://exa mple.com/"], ["http"]),
        (["x", "--source", "https://[::1"], ["http"]),
        (["x", "--tag", " "], ["tag"]),
        (["x", "--topic", ""], ["topic"]),
        (["x", "--bogus"], ["--bogus"]),
        (["x", "--json", "--quiet"], ["--json", "--quiet"]),
    ],
)
def test_bad_input_is_refused_with_exit_2_and_nothing_written(db, db_path, args, words):
    before = db_path.read_bytes()
    assert_refused(db("add", *args), 2, *words)
    assert db_path.read_bytes() == before


def test_bad_source_still_refused(db) -> None:
    assert_refused(db("add", "A", "--source", "ftp://x.com/a"), 2, "http")


def test_a_confirmed_claim_needs_a_source(db, db_path):
    before = db_path.read_bytes()
    assert_refused(db("add", "x", "--status", "confirmed"), 1, "source")
    assert db_path.read_bytes() == before
    claim = db.json("add", "x", "--status", "confirmed", "--source", "https://n.example/")
    assert claim["status"] == "confirmed"


def test_korean_and_unicode_text_round_trips(db, db_path):
    text = "청산이 하이브리드로 돌아온다 — «מקור» 🧟"
    claim_id = add_claim(db, text, "--topic", "출연진")
    assert db.json("show", claim_id)["text"] == text
    assert text in db_path.read_text(encoding="utf-8")
    assert json.loads(db_path.read_text(encoding="utf-8"))["claims"][claim_id]["topic"] == "출연진"


# --- list and show (on a terminal: tests/process/test_terminal.py) -----------------------


def test_list_filters_combine(several):
    assert places(several) == [1, 2, 3, 4]
    assert places(several, "--status", "rumor", "--status", "debunked") == [2, 3]
    assert places(several, "--topic", "cast") == [2]
    assert places(several, "--tag", "hybrids") == [2]
    assert places(several, "--search", "FORUM") == [3]
    assert places(several, "--search", "season", "--status", "rumor") == []


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


# --- The ladder: promote, demote, debunk -------------------------------------------------


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
        "change": {"cited": [{"stance": "supports", "url": SOURCE}]},
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


def test_promote_records_a_remark_and_keeps_the_old_note_spelling(two):
    first, second = two.ids
    claim = two.json("promote", second, "--remark", "Two outlets now say it")
    assert claim["history"][-1]["note"] == "Two outlets now say it"
    claim = two.json("promote", second, "--note", "Netflix said so", "--source", NETFLIX_TITLE)
    assert claim["history"][-1]["note"] == "Netflix said so"
    assert_refused(two("promote", first, "--remark", "a", "--note", "b"), 2, "--remark")


@pytest.mark.parametrize("command", ["demote", "debunk"])
def test_demote_and_debunk_take_why(two, command):
    first, second = two.ids
    two.ok("promote", first)
    claim = two.json(command, first, "--why", "The outlet retracted it")
    assert claim["history"][-1]["note"] == "The outlet retracted it"
    assert_refused(two(command, second), 2, "--why is required")


# --- edit, source add, rm and log --------------------------------------------------------


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
            "stance": "supports",
            "outlet": "Netflix Tudum",
            "publisher": None,
            "title": "Season 2 is happening",
            "published": "2022-06",
            "accessed": NOW[:10],
            "archive": None,
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
    assert text[0].startswith(f"{second}  2026-11-25T08:00:00Z  removed")
    assert "promoted rumor -> reported" in text[2]


def test_a_note_over_several_lines_stays_one_log_line(two):
    first = two.ids[0]
    two.ok("promote", first, "--remark", "first line\nsecond line")
    lines = [line for line in two.ok("log", first).stdout.splitlines() if "promoted" in line]
    assert len(lines) == 1 and lines[0].endswith("first line / second line")
