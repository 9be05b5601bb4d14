"""`add`: defaults, output forms, matching an existing claim, and every refusal."""

import json
import re

import pytest

from conftest import NOW, assert_refused
from helpers import add_claim

CLAIM_FIELDS = [
    "id",
    "text",
    "status",
    "topic",
    "tags",
    "sources",
    "expected",
    "note",
    "created",
    "updated",
    "history",
]


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
            "outlet": "soompi.com",
            "title": None,
            "published": None,
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
            "cited": claim["sources"],
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
        (["x", "--expected", "late 2025"], ["YYYY"]),
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
