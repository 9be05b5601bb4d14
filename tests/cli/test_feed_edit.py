"""`feed edit NAME [--url --match --topic]`: change a subscription in place."""

import json

import pytest

from tests.support.runner import assert_refused


@pytest.fixture
def feeds(db):
    db.ok(
        "feed",
        "add",
        "--no-check",
        "https://www.soompi.com/feed",
        "--match",
        "zombie",
        "--topic",
        "Cast",
    )
    db.ok("feed", "add", "--no-check", "https://example.com/rss", "--name", "herald")
    return db


def feed(db, name: str) -> dict:
    return next(found for found in db.json("feed", "list") if found["name"] == name)


def test_edit_changes_only_what_is_given(feeds):
    before = feed(feeds, "soompi.com")
    assert feeds.ok("feed", "edit", "SOOMPI.com", "--match", "학교", "--match", "AOUAD").stdout == (
        "Feed soompi.com updated\n"
    )
    after = feed(feeds, "soompi.com")
    assert after == {**before, "match": ["학교", "AOUAD"]}


def test_empty_values_clear_the_terms_and_the_topic(feeds):
    feeds.ok("feed", "edit", "soompi.com", "--match", "", "--topic", "")
    assert feed(feeds, "soompi.com")["match"] == []
    assert feed(feeds, "soompi.com")["topic"] is None


def test_a_new_address_is_stored_canonical_and_forgets_the_old_validators(feeds, db_path):
    document = json.loads(db_path.read_text())
    [key] = [key for key, record in document["feeds"].items() if record["name"] == "soompi.com"]
    document["feeds"][key]["etag"] = '"abc"'
    db_path.write_text(json.dumps(document))
    address = "HTTPS://WWW.Soompi.com/rss?utm_source=x"
    shown = json.loads(feeds.ok("feed", "edit", "soompi.com", "--url", address, "--json").stdout)
    assert shown["url"] == "https://www.soompi.com/rss"
    assert set(shown) == {"name", "url", "match", "topic", "added"}
    stored = json.loads(db_path.read_text())["feeds"]
    assert "https://www.soompi.com/feed" not in stored  # kept under its new address
    assert stored["https://www.soompi.com/rss"]["etag"] is None


def test_an_unchanged_feed_leaves_the_file_alone(feeds, db_path):
    before = db_path.read_bytes()
    result = feeds.ok("feed", "edit", "herald", "--url", "https://example.com/rss")
    assert result.stdout == "Feed herald unchanged\n"
    assert db_path.read_bytes() == before


def test_edit_is_one_undo_step(feeds):
    before = feed(feeds, "herald")
    feeds.ok("feed", "edit", "herald", "--topic", "Production", "--match", "netflix", "-q")
    feeds.ok("undo")
    assert feed(feeds, "herald") == before


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["herald"], 2, ["nothing to change", "--url"]),
        (["nobody", "--topic", "Cast"], 1, ["no feed named 'nobody'"]),
        (["herald", "--url", "https://www.soompi.com/feed"], 1, ["soompi.com", "already fetches"]),
        (["herald", "--url", "ftp://example.com/rss"], 2, []),
        (["herald", "--topic", "two\nlines"], 2, ["topic"]),
        (["herald", "--json", "--quiet", "--topic", "x"], 2, ["--json", "--quiet"]),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(feeds, db_path, args, code, words):
    before = db_path.read_bytes()
    assert_refused(feeds("feed", "edit", *args), code, *words)
    assert db_path.read_bytes() == before
