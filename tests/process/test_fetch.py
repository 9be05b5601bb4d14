"""Feeds and fetching, against a local server: every kind of feed and every kind of failure."""

import itertools
import json
import os
import subprocess
import time
from pathlib import Path

from aousdctl import __version__
from tests.support.feedserver import FeedServer, Reply, atom, pub_date, rss
from tests.support.paths import NIGHTLY
from tests.support.processes import close_stdin, close_stdout, installed_command
from tests.support.runner import NOW, assert_refused


def story(number: int, **extra: str) -> dict[str, str]:
    return {
        "title": f"Story {number}",
        "link": f"https://news.example.com/{number}",
        "guid": f"news-{number}",
        "pubDate": pub_date(number),
        **extra,
    }


def fetch(db, *args: str):
    return db("fetch", *args)


def inbox(db) -> list[dict]:
    return db.json("inbox")


def test_rss_and_atom_become_leads(db, feed_server: FeedServer) -> None:
    db.ok("feed", "add", feed_server.serve("/rss", rss(story(1), story(2))), "--name", "rss")
    atom_body = atom(
        {
            "title": "Atom story",
            "link": "https://www.atom.example/a?utm_medium=feed#x",
            "id": "tag:atom,1",
            "updated": "2026-11-21T08:30:00Z",
            "summary": "<p>Filming <b>wrapped</b> &amp; more</p>",
        }
    )
    db.ok("feed", "add", feed_server.serve("/atom", atom_body, "application/atom+xml"))
    result = db.json("fetch")
    assert result == [
        {"feed": "127.0.0.1", "status": "ok", "new": 1, "skipped": 0, "error": None},
        {"feed": "rss", "status": "ok", "new": 2, "skipped": 0, "error": None},
    ]
    leads = inbox(db)
    assert [lead["title"] for lead in leads] == ["Atom story", "Story 2", "Story 1"]
    first = leads[0]
    assert first["link"] == "https://www.atom.example/a"
    assert first["outlet"] == "atom.example"
    assert first["summary"] == "Filming wrapped & more"
    assert first["published"] == "2026-11-21T08:30:00Z"
    assert first["feed"] == "127.0.0.1" and first["suggestions"] == []
    assert len(first["id"]) == 8 and first["id"].isalnum()
    assert leads[1]["published"] == "2026-11-02T12:00:00Z"
    user_agents = {headers.get("User-Agent") for _, headers in feed_server.requests}
    assert user_agents == {f"aousdctl/{__version__}"}


def test_known_entries_are_not_proposed_again(db, db_path: Path, feed_server) -> None:
    """The same bytes again (the server sends no validators) are not even parsed; a changed
    feed whose entries are all known writes nothing either, not even its new digest."""
    no_guids = [{k: v for k, v in story(n).items() if k != "guid"} for n in (1, 2)]
    db.ok("feed", "add", feed_server.serve("/plain", rss(*no_guids)))
    db.ok("feed", "add", feed_server.serve("/other", rss(story(7))), "--name", "other")
    assert [r["new"] for r in db.json("fetch")] == [2, 1]
    before = (db_path.read_bytes(), db_path.stat().st_mtime_ns)
    assert db.ok("fetch").stdout == "127.0.0.1\tnot modified\nother\tnot modified\n"
    assert (db_path.read_bytes(), db_path.stat().st_mtime_ns) == before
    document = json.loads(before[0])
    feed_server.serve("/plain", rss(*no_guids, title="Renamed channel"))
    assert db.json("fetch")[0] == {
        "feed": "127.0.0.1",
        "status": "ok",
        "new": 0,
        "skipped": 0,
        "error": None,
    }
    assert json.loads(db_path.read_text()) == document
    feed_server.serve("/plain", rss(*no_guids, story(3)))
    assert db.json("fetch")[0]["new"] == 1
    assert len(inbox(db)) == 4


def test_same_story_from_two_feeds_is_one_lead(db, feed_server) -> None:
    one = story(1, link="https://www.soompi.com/article/9?utm_source=rss&id=3")
    two = story(1, link="https://WWW.soompi.com/article/9?id=3&fbclid=abc#top", guid="other")
    db.ok("feed", "add", feed_server.serve("/one", rss(one)), "--name", "one")
    db.ok("feed", "add", feed_server.serve("/two", rss(two)), "--name", "two")
    assert [r["new"] for r in db.json("fetch")] == [1, 0]
    [lead] = inbox(db)
    assert lead["link"] == "https://www.soompi.com/article/9?id=3" and lead["feed"] == "one"


def test_conditional_get_304_writes_nothing(db, db_path: Path, feed_server) -> None:
    body = rss(story(1))

    def etagged(handler) -> Reply:
        if handler.headers.get("If-None-Match") == '"v1"':
            return Reply(304)
        headers = {"ETag": '"v1"', "Last-Modified": "Sat, 21 Nov 2026 10:00:00 GMT"}
        return Reply(200, body, {"Content-Type": "application/rss+xml", **headers})

    feed_server.routes["/etag"] = etagged
    db.ok("feed", "add", feed_server.url("/etag"))
    assert db.json("fetch")[0]["new"] == 1
    before = (db_path.read_bytes(), db_path.stat().st_mtime_ns)
    os.utime(db_path, ns=(before[1] - 10**9, before[1] - 10**9))
    stamped = db_path.stat().st_mtime_ns
    result = db.ok("fetch")
    assert result.stdout == "127.0.0.1\tnot modified\n"
    assert db_path.read_bytes() == before[0] and db_path.stat().st_mtime_ns == stamped
    _, headers = feed_server.requests[-1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Sat, 21 Nov 2026 10:00:00 GMT"
    assert not list(db_path.parent.glob("*.lock"))


def test_one_failing_feed_never_stops_the_others(db, feed_server, monkeypatch) -> None:
    # Time enough to start the child process that reads a feed, even on a busy machine.
    monkeypatch.setenv("AOUSDCTL_FETCH_TIMEOUT", "1.5")
    monkeypatch.setenv("AOUSDCTL_FETCH_MAX_BYTES", "5000")
    feed_server.routes["/500"] = Reply(500, b"oops")
    feed_server.routes["/loop-a"] = Reply(302, headers={"Location": "/loop-b"})
    feed_server.routes["/loop-b"] = Reply(302, headers={"Location": "/loop-a"})
    feed_server.routes["/slow"] = Reply(200, rss(story(5)), delay=2.5)
    feed_server.serve("/broken", b"<?xml version='1.0'?><rss><channel><item><title>x</ite")
    feed_server.serve("/html", b"<html><body>Not a feed</body></html>", "text/html")
    feed_server.serve("/big", rss(*(story(n) for n in range(1, 60))))
    big = rss(*(story(n) for n in range(1, 60)))
    feed_server.routes["/unannounced"] = Reply(200, big, {"X-Unannounced": "1"})
    feed_server.routes["/moved"] = Reply(301, headers={"Location": "/good"})
    feed_server.serve("/good", rss(story(1)))
    feed_server.routes["/to-file"] = Reply(302, headers={"Location": "file:///etc/passwd"})
    names = ("500", "loop-a", "slow", "broken", "big", "moved", "to-file", "html", "404")
    for name in (*names, "unannounced"):
        db.ok("feed", "add", feed_server.url(f"/{name}"), "--name", name, "--no-check")
    result = fetch(db, "--json")
    assert result.exit_code == 1
    errors = {r["feed"]: (r["status"], r["error"]) for r in json.loads(result.stdout)}
    assert errors["moved"] == ("ok", None)
    assert "HTTP 500" in errors["500"][1]
    assert "HTTP 404" in errors["404"][1]
    assert "redirect loop" in errors["loop-a"][1]
    assert "timed out after 1.5 s" in errors["slow"][1]
    assert "not a readable feed" in errors["broken"][1]
    assert "size cap" in errors["big"][1] and "announced" in errors["big"][1]
    assert errors["unannounced"][1] == "over the size cap of 5,000 bytes"
    assert "can't be followed" in errors["to-file"][1] and "http://" in errors["to-file"][1]
    assert errors["html"][0] == "failed"
    assert [lead["title"] for lead in inbox(db)] == ["Story 1"]
    text = fetch(db)
    assert text.exit_code == 1
    assert "slow\tfailed: timed out" in text.stdout
    assert text.stderr == (
        "Error: 9 of 10 feeds failed: "
        "404, 500, big, broken, html, loop-a, slow, to-file, unannounced\n"
    )


def test_too_many_redirects(db, feed_server) -> None:
    for hop in range(7):
        feed_server.routes[f"/r{hop}"] = Reply(302, headers={"Location": f"/r{hop + 1}"})
    db.ok("feed", "add", feed_server.url("/r0"), "--no-check")
    [result] = json.loads(fetch(db, "--json").stdout)
    assert "more than 5 redirects" in result["error"]


def test_euc_kr_feed_with_korean_match_terms(db, feed_server) -> None:
    korean = [
        story(1, title="지금 우리 학교는 시즌2 촬영 시작"),
        story(2, title="다른 드라마 소식"),
        story(3, title="News", description="&lt;b&gt;지금 우리 학교는&lt;/b&gt; 공개일"),
    ]
    body = rss(*korean, title="뉴스", encoding="euc-kr")
    db.ok(
        "feed", "add", feed_server.serve("/kr", body, "application/rss+xml"), "--match", "우리 학교"
    )
    assert db.json("fetch")[0]["new"] == 2
    leads = inbox(db)
    assert [lead["title"] for lead in leads] == ["News", "지금 우리 학교는 시즌2 촬영 시작"]
    assert leads[0]["summary"] == "지금 우리 학교는 공개일"


def test_match_is_case_insensitive_on_title_and_summary(db, feed_server) -> None:
    items = [story(1, title="ZOMBIE news"), story(2, description="a Zombie"), story(3)]
    db.ok("feed", "add", feed_server.serve("/m", rss(*items)), "--match", "zombie", "--match", "x")
    assert db.json("fetch")[0]["new"] == 2


def test_nightly_recipe_fetches_and_exports_even_when_a_feed_fails(tmp_path, feed_server) -> None:
    import subprocess

    site = tmp_path / "site"
    env = {"PATH": "/usr/bin:/bin", "AOUSDCTL": installed_command(), "AOUSDCTL_NOW": NOW}
    subprocess.run(["git", "init", "--quiet", str(site)], check=True)
    database = str(site / "db" / "claims.json")
    for args in (
        ["init", "--title", "Season 2"],
        ["feed", "add", feed_server.serve("/good", rss(story(1))), "--name", "good"],
        ["feed", "add", feed_server.url("/missing"), "--name", "missing", "--no-check"],
    ):
        subprocess.run([installed_command(), "--db", database, *args], check=True, env=env)
    result = subprocess.run(
        ["sh", str(NIGHTLY), str(site)],
        env=env,
        preexec_fn=close_stdin,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Error: 1 of 2 feeds failed: missing" in result.stderr
    assert "fetch had failures" in result.stderr
    assert (site / "explainer.md").read_text().startswith("# Season 2")
    leads = json.loads((site / "db" / "claims.json").read_text())["leads"]
    assert [lead["title"] for lead in leads.values()] == ["Story 1"]


def test_an_entry_one_feed_filters_out_still_comes_from_another(db, feed_server) -> None:
    """Feed b's --match drops the story; feed c (no filter) carries it too and must bring it."""
    plain = story(4, link="https://www.soompi.com/article/4?utm_source=b")
    copy = story(4, link="https://www.soompi.com/article/4?fbclid=c", guid="c-4")
    db.ok("feed", "add", feed_server.serve("/b", rss(plain)), "--name", "b", "--match", "zombie")
    db.ok("feed", "add", feed_server.serve("/c", rss(copy)), "--name", "c")
    assert [(r["feed"], r["new"]) for r in db.json("fetch")] == [("b", 0), ("c", 1)]
    [lead] = inbox(db)
    assert lead["feed"] == "c" and lead["link"] == "https://www.soompi.com/article/4"


def test_a_feed_that_changes_every_time_with_nothing_new_writes_nothing(
    db, db_path: Path, feed_server
) -> None:
    """A rotating ETag and lastBuildDate with the same entries: no write, no change to undo."""
    counter = itertools.count()

    def rotating(handler) -> Reply:
        number = next(counter)
        body = rss(story(1), title=f"Drama news {number}")
        return Reply(200, body, {"Content-Type": "application/rss+xml", "ETag": f'"v{number}"'})

    feed_server.routes["/rotating"] = rotating
    db.ok("feed", "add", feed_server.url("/rotating"))
    assert db.json("fetch")[0]["new"] == 1
    stamp = db_path.stat().st_mtime_ns - 10**9
    os.utime(db_path, ns=(stamp, stamp))
    before = db_path.read_bytes()
    for _ in range(2):
        assert db.json("fetch") == [
            {"feed": "127.0.0.1", "status": "ok", "new": 0, "skipped": 0, "error": None}
        ]
    assert db_path.read_bytes() == before and db_path.stat().st_mtime_ns == stamp
    db.ok("undo")  # undoes the fetch that brought the lead, not an empty one
    assert inbox(db) == [] and len(db.json("feed", "list")) == 1


def test_a_server_trickling_bytes_is_cut_off_at_the_time_limit(
    db, feed_server, monkeypatch
) -> None:
    """Each byte comes well within the limit, but the whole feed may not take longer."""
    monkeypatch.setenv("AOUSDCTL_FETCH_TIMEOUT", "1")
    body = rss(story(1))
    feed_server.routes["/body"] = Reply(200, body, trickle=0.2)  # 40 bytes in 8 s
    feed_server.routes["/headers"] = Reply(slow_headers=0.2)
    db.ok("feed", "add", feed_server.url("/body"), "--name", "body", "--no-check")
    db.ok("feed", "add", feed_server.url("/headers"), "--name", "headers", "--no-check")
    started = time.monotonic()
    result = fetch(db, "--json")
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert [r["error"] for r in json.loads(result.stdout)] == ["timed out after 1 s"] * 2
    assert elapsed < 4, elapsed


def test_an_answer_that_is_not_http_is_a_failed_feed(db, feed_server) -> None:
    feed_server.routes["/garbage"] = Reply(raw=b"SPDY/9 what\r\n\r\n")
    feed_server.routes["/long"] = Reply(raw=b"HTTP/1.0 200 OK\r\nX: " + b"x" * 70000)
    db.ok("feed", "add", feed_server.url("/garbage"), "--name", "garbage", "--no-check")
    db.ok("feed", "add", feed_server.url("/long"), "--name", "long", "--no-check")
    result = fetch(db, "--json")
    assert result.exit_code == 1
    assert [(r["feed"], r["status"]) for r in json.loads(result.stdout)] == [
        ("garbage", "failed"),
        ("long", "failed"),
    ]
    assert "not a valid HTTP answer" in json.loads(result.stdout)[1]["error"]


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


def test_a_failed_feed_is_told_even_with_standard_output_closed(db, db_path, feed_server) -> None:
    """The leads are saved and a cron job's exit status still says a feed failed."""
    feed_server.serve("/good", rss(story(1)))
    feed_server.routes["/500"] = Reply(500, b"oops")
    for name in ("good", "500"):
        db.ok("feed", "add", feed_server.url(f"/{name}"), "--name", name, "--no-check")
    closed = subprocess.run(
        [installed_command(), "--db", str(db_path), "fetch"],
        preexec_fn=close_stdout,
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    assert closed.returncode == 1
    assert closed.stderr == "Error: 1 of 2 feeds failed: 500\n"
    assert [lead["title"] for lead in inbox(db)] == ["Story 1"]
