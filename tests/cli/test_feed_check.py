"""`feed add` reads the feed before subscribing, and `feed test` shows what `--match` keeps
and drops, against a local feed server."""

from tests.support.feedserver import FeedServer, Reply, pub_date, rss
from tests.support.runner import assert_refused

KOREAN = rss(
    {"title": "지우학 시즌2 촬영 종료", "link": "https://kr.example/1", "pubDate": pub_date(3)},
    {
        "title": "지금 우리 학교는 시즌2 공개일",
        "link": "https://kr.example/2",
        "pubDate": pub_date(2),
    },
    {"title": "다른 드라마 소식", "link": "https://kr.example/3", "pubDate": pub_date(1)},
    title="드라마 뉴스",
)


def test_feed_add_reads_the_feed_and_shows_what_match_keeps(db, feed_server: FeedServer) -> None:
    url = feed_server.serve("/kr", KOREAN)
    result = db.ok("feed", "add", url, "--name", "kr", "--match", "지금 우리 학교는")
    assert result.stdout.splitlines() == [
        f"Added feed kr: {url}",
        "드라마 뉴스: 3 entries, --match keeps 1, drops 2",
        "drop\t2026-11-03\t지우학 시즌2 촬영 종료",
        "keep\t2026-11-02\t지금 우리 학교는 시즌2 공개일",
        "drop\t2026-11-01\t다른 드라마 소식",
    ]
    # Only read: the next fetch still brings the entries in, and no validators were kept.
    assert db.json("fetch")[0]["new"] == 1


def test_feed_add_json_carries_the_check(db, feed_server: FeedServer) -> None:
    added = db.json("feed", "add", feed_server.serve("/kr", KOREAN))
    check = added["check"]
    assert (check["title"], check["kept"], check["dropped"], check["skipped"]) == (
        "드라마 뉴스",
        3,
        0,
        0,
    )
    assert check["entries"][0] == {
        "title": "지우학 시즌2 촬영 종료",
        "link": "https://kr.example/1",
        "published": "2026-11-03T12:00:00Z",
        "kept": True,
    }


def test_a_feed_that_cant_be_read_is_not_added(db, feed_server: FeedServer) -> None:
    feed_server.routes["/gone"] = Reply(404, b"gone")
    feed_server.serve("/page", b"<html><body>Not a feed</body></html>", "text/html")
    for path, reason in (("/gone", "HTTP 404"), ("/page", "not a readable feed")):
        result = db("feed", "add", feed_server.url(path))
        assert_refused(result, 1, reason)
        assert "--no-check" in result.stderr
    assert db.json("feed", "list") == []
    requests = len(feed_server.requests)
    db.ok("feed", "add", feed_server.url("/gone"), "--no-check")
    assert len(feed_server.requests) == requests  # not even asked
    assert db.json("feed", "add", "https://other.example/rss", "--no-check")["check"] is None


def test_feed_test_shows_what_match_keeps_and_drops(db, feed_server: FeedServer) -> None:
    feed_server.serve("/kr", KOREAN)
    db.ok("feed", "add", feed_server.url("/kr"), "--name", "kr", "--match", "지금 우리 학교는")
    db.ok("fetch")
    shown = db.ok("feed", "test", "KR").stdout.splitlines()
    assert shown[0] == "드라마 뉴스: 3 entries, --match keeps 1, drops 2"
    assert shown[1] == "drop\t2026-11-03\t지우학 시즌2 촬영 종료"  # the short name is missed
    tried = db.json("feed", "test", "kr", "--match", "지금 우리 학교는", "--match", "지우학")
    assert [entry["kept"] for entry in tried["entries"]] == [True, True, False]
    assert tried["match"] == ["지금 우리 학교는", "지우학"]
    assert db.json("feed", "list")[0]["match"] == ["지금 우리 학교는"]  # nothing written
    assert "no --match: all kept" in db.ok("feed", "test", "kr", "--match", "").stdout
    assert_refused(db("feed", "test", "nope"), 1, "no feed")
    feed_server.routes["/kr"] = Reply(500, b"down")
    assert_refused(db("feed", "test", "kr"), 1, "HTTP 500")
