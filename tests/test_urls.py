"""Canonical URLs: for sources given by hand, imported, migrated, and fetched as leads."""

import json
from pathlib import Path

import pytest

from aousdctl.domain.urls import canonical_url, outlet
from aousdctl.errors import BadInput
from conftest import assert_refused
from feedserver import FeedServer, feed_server, rss

__all__ = ["feed_server"]


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("HTTPS://WWW.Soompi.COM/article/1", "https://www.soompi.com/article/1"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a/?utm_source=x&id=7&UTM_Medium=y", "https://example.com/a/?id=7"),
        (
            "https://example.com/a?fbclid=1&b=2&gclid=3&a=1&mc_cid=4&mc_eid=5&igshid=6&ref_src=t",
            "https://example.com/a?b=2&a=1",
        ),
        ("https://example.com/a?q=a%20b&x=c+d", "https://example.com/a?q=a%20b&x=c+d"),
        ("https://example.com/Path/Kept", "https://example.com/Path/Kept"),
        ("https://example.com", "https://example.com"),
        ("https://example.com/a?utm_source=x", "https://example.com/a"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_canonical_url(given: str, canonical: str) -> None:
    assert canonical_url(given) == canonical
    assert canonical_url(canonical) == canonical  # idempotent


@pytest.mark.parametrize(
    "bad",
    [
        "ftp://example.com/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://a b/",
        "http://u:p@example.com/feed",
        "https://user@example.com/",
        "https://@example.com/",
    ],
)
def test_only_http_links(bad: str) -> None:
    with pytest.raises(BadInput):
        canonical_url(bad)


def test_outlet_drops_www() -> None:
    assert outlet("https://WWW.Koreaherald.com/view?ud=1") == "koreaherald.com"


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


def test_import_stores_canonical_urls(db, tmp_path: Path) -> None:
    lines = tmp_path / "in.jsonl"
    lines.write_text(
        json.dumps({"text": "A", "sources": ["https://Example.com/x?utm_medium=rss"]}) + "\n"
    )
    db.ok("import", str(lines))
    assert db.json("list")[0]["sources"][0]["url"] == "https://example.com/x"


def test_existing_database_migrates_and_merges(cli, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    event = {"at": "2026-01-01T00:00:00Z", "action": "added", "from": None, "to": "rumor"}
    record = {
        "text": "A",
        "status": "rumor",
        "topic": "General",
        "tags": [],
        "sources": [
            {
                "url": "https://X.com/a?utm_source=1",
                "outlet": "first",
                "title": "One",
                "published": None,
            },
            {"url": "https://x.com/a#c", "outlet": "second", "title": "Two", "published": None},
            {"url": "https://x.com/b", "outlet": "x.com", "title": None, "published": None},
        ],
        "expected": None,
        "note": None,
        "created": "2026-01-01T00:00:00Z",
        "updated": "2026-01-01T00:00:00Z",
        "history": [
            {
                **event,
                "note": None,
                "sources": ["https://X.com/a?utm_source=1", "https://x.com/a#c"],
            }
        ],
    }
    document = {
        "schema_version": 3,
        "claims": {"1": record},
        "removed": {},
        "config": {},
        "meta": {"1": {"next_claim_id": 2}},
        "topics": {},
        "journal": {},
    }
    db_path.write_text(json.dumps(document))
    shown = cli.json("show", "1")
    assert [(s["url"], s["outlet"]) for s in shown["sources"]] == [
        ("https://x.com/a", "first"),
        ("https://x.com/b", "x.com"),
    ]
    assert shown["history"][0]["sources"] == ["https://x.com/a"]
    assert json.loads(db_path.read_text())["schema_version"] == 3  # reading never rewrites
    cli.ok("config", "set", "title", "T")
    written = json.loads(db_path.read_text())
    assert next(iter(written["claims"].values()))["sources"][0]["url"] == "https://x.com/a"
    assert "feeds" in written and "leads" in written


def test_bad_source_still_refused(db) -> None:
    assert_refused(db("add", "A", "--source", "ftp://x.com/a"), 2, "http")


def test_links_with_a_password_are_refused_or_skipped(db, feed_server: FeedServer) -> None:
    """A feed or source with user:password is refused without echoing the password; a feed
    entry whose link holds one is skipped, so it never reaches an article's footnotes."""
    for args in (
        ("feed", "add", "http://u:secret@example.com/feed"),
        ("add", "A claim", "--source", "https://user:secret@www.soompi.com/a"),
    ):
        result = db(*args)
        assert_refused(result, 2, "password")
        assert "secret" not in result.stderr
    assert db.json("feed", "list") == [] and db.json("list") == []
    entries = [
        {"title": "Leaky", "link": "https://user:secret@www.soompi.com/1", "guid": "1"},
        {"title": "Clean", "link": "https://www.soompi.com/2", "guid": "2"},
    ]
    db.ok("feed", "add", feed_server.serve("/feed", rss(*entries)))
    assert db.json("fetch")[0]["new"] == 1
    assert [lead["link"] for lead in db.json("inbox")] == ["https://www.soompi.com/2"]
