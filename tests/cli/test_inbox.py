"""Feeds and the inbox with no network: adding, listing and removing feeds, an empty inbox,
and the limits of `fetch`. Fetching from a server is in tests/process/test_fetch.py."""

from tests.support.runner import assert_refused


def test_feed_add_list_rm(db) -> None:
    added = db.json(
        "feed", "add", "--no-check", "https://WWW.Soompi.com/feed?utm_source=x", "--match", "zombie"
    )
    assert added["name"] == "soompi.com" and added["url"] == "https://www.soompi.com/feed"
    db.ok(
        "feed",
        "add",
        "--no-check",
        "https://example.com/rss",
        "--name",
        "Example",
        "--topic",
        "Cast",
    )
    assert [f["name"] for f in db.json("feed", "list")] == ["Example", "soompi.com"]
    assert db.ok("feed", "list").stdout.splitlines()[0].split("\t") == [
        "Example",
        "https://example.com/rss",
        "",
        "Cast",
    ]
    assert_refused(db("feed", "add", "https://other.example/rss", "--name", "example"), 1, "exists")
    assert_refused(db("feed", "add", "https://example.com/rss"), 1, "already fetches")
    assert_refused(db("feed", "add", "file:///etc/passwd"), 2, "http")
    assert_refused(db("feed", "add", "ftp://example.com/rss"), 2, "http")
    db.ok("feed", "rm", "EXAMPLE")
    assert [f["name"] for f in db.json("feed", "list")] == ["soompi.com"]
    assert_refused(db("feed", "rm", "nope"), 1, "no feed")
    db.ok("undo")
    assert len(db.json("feed", "list")) == 2


def test_no_feeds_is_fine(db) -> None:
    assert "No feeds" in db.ok("fetch").stdout
    assert db.json("fetch") == []


def test_bad_limits_are_bad_input(db, monkeypatch) -> None:
    db.ok("feed", "add", "--no-check", "https://example.com/rss")
    monkeypatch.setenv("AOUSDCTL_FETCH_TIMEOUT", "soon")
    assert_refused(db("fetch"), 2, "AOUSDCTL_FETCH_TIMEOUT")


def test_empty_inbox(db) -> None:
    assert db.ok("inbox").stdout == "Inbox empty: no leads waiting\n"
    assert db.json("inbox") == []
