"""Holes found by trying to break the intake, each fixed: `inbox accept` checks near twins as
`add` does, the feed parser ignores the working folder, `--match` ignores how characters are
composed and a changed `--match` reads the feed whole again, and an aggregator's item titled
only " - Publisher" is a lead of its own."""

import gzip
import json
import unicodedata
from pathlib import Path

import pytest

from tests.support.feedserver import Reply, aggregated, atom, pub_date, rss
from tests.support.runner import assert_refused

STORIES = rss(
    {
        "title": "Netflix cancelled Season 2!",
        "link": "https://news.example/1",
        "pubDate": pub_date(2),
    },
    {"title": "Season 2 wraps filming", "link": "https://news.example/2", "pubDate": pub_date(1)},
)


def lead_ids(db) -> dict[str, str]:
    """The waiting leads' ids by title."""
    return {lead["title"]: lead["id"] for lead in db.json("inbox")}


def test_accepting_a_lead_as_a_debunked_claims_near_twin_is_refused(db, db_path, feed_server):
    debunked = db.add("Netflix cancelled Season 2")
    db.ok("debunk", debunked, "--why", "Still renewed")
    db.ok("feed", "add", feed_server.serve("/news", STORIES), "--name", "news")
    db.ok("fetch")
    lead = lead_ids(db)["Netflix cancelled Season 2!"]
    before = db_path.read_bytes()
    assert_refused(db("inbox", "accept", lead, "NETFLIX cancelled season 2!"), 2, debunked)
    assert db_path.read_bytes() == before
    forced = db.ok("inbox", "accept", lead, "NETFLIX cancelled season 2!", "--force")
    assert "Added claim" in forced.stdout and debunked in forced.stderr


def test_an_accepted_lead_names_the_open_claim_it_nearly_repeats(db, feed_server):
    filming = db.add("Season 2 wraps filming soon")
    db.ok("feed", "add", feed_server.serve("/news", STORIES), "--name", "news")
    db.ok("fetch")
    lead = lead_ids(db)["Season 2 wraps filming"]
    accepted = db.ok("inbox", "accept", lead, "Season 2 wraps filming")
    assert accepted.stderr.startswith("Note:") and filming in accepted.stderr


def test_a_module_in_the_working_folder_never_runs_as_the_feed_parser(
    db, feed_server, tmp_path: Path, monkeypatch
):
    planted = tmp_path / "planted"
    (tmp_path / "feedparser.py").write_text(f"open({str(planted)!r}, 'w').write('ran')\n")
    monkeypatch.chdir(tmp_path)
    db.ok("feed", "add", feed_server.serve("/news", STORIES), "--name", "news")
    assert db.json("fetch")[0]["new"] == 2
    assert not planted.exists()


def test_match_terms_ignore_how_characters_are_composed(db, feed_server):
    decomposed = unicodedata.normalize("NFD", "지금 우리 학교는 시즌2 · Pokémon")
    url = feed_server.serve("/nfd", rss({"title": decomposed, "link": "https://kr.example/1"}))
    checked = db.json("feed", "add", url, "--match", "지금 우리 학교는", "--match", "Pokémon")
    assert (checked["check"]["kept"], checked["check"]["dropped"]) == (1, 0)


def test_a_changed_match_reads_the_feed_whole_at_the_next_fetch(db, feed_server):
    db.ok("feed", "add", feed_server.serve("/news", STORIES), "--name", "news", "--match", "wraps")
    assert db.json("fetch")[0]["new"] == 1
    db.ok("feed", "edit", "news", "--match", "")
    assert db.json("fetch")[0]["new"] == 1  # the story the old terms dropped


def test_aggregator_items_titled_only_with_the_publisher_stay_apart(db, feed_server):
    body = aggregated(
        ("", "Soompi", "https://www.soompi.com"), ("", "Soompi", "https://www.soompi.com")
    )
    db.ok("feed", "add", feed_server.serve("/gnews", body), "--name", "gnews")
    db.ok("fetch")
    titles = [lead["title"] for lead in db.json("inbox")]
    assert len(titles) == 2 and not any(title.startswith("-") for title in titles)


@pytest.mark.parametrize("size", [400, 100_000])
def test_a_huge_title_is_cut_to_a_headlines_length(db, feed_server, size):
    long = "Season 2 " * (size // 9)
    db.ok(
        "feed",
        "add",
        feed_server.serve("/big", rss({"title": long, "link": "https://x.example/1"})),
    )
    db.ok("fetch")
    [lead] = db.json("inbox")
    assert len(lead["title"]) <= 300 and lead["title"].endswith("…")
    assert json.dumps(lead)


def test_a_gzip_body_in_several_members_is_read_whole(db, feed_server):
    body = rss(
        {"title": "Season 2 wraps filming", "link": "https://news.example/2"},
        {"title": "Lomon returns", "link": "https://news.example/3"},
    )
    half = len(body) // 2
    feed_server.routes["/parts"] = Reply(
        200, gzip.compress(body[:half]) + gzip.compress(body[half:]), {"Content-Encoding": "gzip"}
    )
    db.ok("feed", "add", feed_server.url("/parts"), "--name", "parts")
    assert db.json("fetch")[0]["new"] == 2


def test_a_publication_date_far_ahead_of_the_fetch_is_not_kept(db, feed_server):
    body = atom(
        {"title": "From the future", "link": "https://f.example/1", "id": "1",
         "updated": "9999-12-31T23:59:59Z"},
        {"title": "From today", "link": "https://f.example/2", "id": "2",
         "updated": "2026-11-23T10:00:00Z"},
    )  # fmt: skip
    db.ok("feed", "add", feed_server.serve("/atom", body, "application/atom+xml"))
    db.ok("fetch")
    published = {lead["title"]: lead["published"] for lead in db.json("inbox")}
    assert published == {"From the future": None, "From today": "2026-11-23T10:00:00Z"}
