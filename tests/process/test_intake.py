"""The news as it really arrives, against a local server: an aggregator naming each story's
publisher, the publisher's own feed, a Korean outlet, an Atom blog, and hostile feeds among
them. Every good feed's leads are kept, whatever another feed holds, in time."""

import gzip
import json
import subprocess
import time

import pytest

from tests.support.feedserver import FeedServer, Reply, aggregated, atom, pub_date, rss
from tests.support.processes import installed_command
from tests.support.runner import NOW

SOOMPI = "https://www.soompi.com"
WRAPS = "Filming wraps for All of Us Are Dead 2"
GOOGLE = aggregated(
    (WRAPS, "Soompi", SOOMPI),
    ("Park Ji-hu joins the cast", "Soompi", SOOMPI),
    ("Netflix sets a date", "The Korea Herald", "https://www.koreaherald.com"),
)
OWN_WRAPS = {
    "title": "Filming Wraps For &#8220;All Of Us Are Dead 2&#8221;!",
    "link": f"{SOOMPI}/article/1701wpp/filming-wraps?utm_source=rss",
    "guid": "soompi-1701",
    "pubDate": pub_date(3),
}
OWN_OTHER = {
    "title": "Another drama wraps",
    "link": f"{SOOMPI}/article/1702wpp/other",
    "guid": "soompi-1702",
    "pubDate": pub_date(4),
}
OWN_LINK = f"{SOOMPI}/article/1701wpp/filming-wraps"
REDIRECT = "https://news.google.com/rss/articles/CBMi0001?oc=5"


def leads_by_title(db) -> dict[str, dict]:
    return {lead["title"]: lead for lead in db.json("inbox")}


def test_an_aggregators_story_credits_its_publisher_and_meets_its_own_copy(db, feed_server):
    db.ok("feed", "add", feed_server.serve("/google", GOOGLE), "--name", "google")
    assert db.json("fetch")[0]["new"] == 3
    first = leads_by_title(db)
    assert set(first) == {WRAPS, "Park Ji-hu joins the cast", "Netflix sets a date"}
    wraps = first[WRAPS]
    assert (wraps["outlet"], wraps["publisher"], wraps["link"]) == (
        "soompi.com",
        "Soompi",
        REDIRECT,
    )
    assert first["Netflix sets a date"]["outlet"] == "koreaherald.com"

    own = rss(OWN_WRAPS, OWN_OTHER, title="Soompi")
    db.ok("feed", "add", feed_server.serve("/soompi", own), "--name", "soompi")
    assert [(r["feed"], r["new"]) for r in db.json("fetch")] == [("google", 0), ("soompi", 1)]
    second = leads_by_title(db)
    assert len(second) == 4  # the same story from the publisher's own feed is the same lead
    wraps = second["Filming Wraps For “All Of Us Are Dead 2”!"]
    assert wraps["id"] == first[WRAPS]["id"]
    assert wraps["link"] == OWN_LINK and wraps["links"] == [OWN_LINK, REDIRECT]
    assert wraps["publisher"] == "Soompi" and wraps["outlet"] == "soompi.com"

    # Accepted, the claims cite the publisher: its own link when known, else the redirect.
    db.ok("inbox", "accept", wraps["id"], "Filming wrapped in November 2026")
    park = second["Park Ji-hu joins the cast"]["id"]
    db.ok("inbox", "accept", park, "Park Ji-hu joins the cast", "--status", "rumor")
    sources = {c["text"]: c["sources"][0] for c in db.json("list")}
    assert sources["Filming wrapped in November 2026"]["url"] == OWN_LINK
    assert (
        sources["Park Ji-hu joins the cast"]["url"]
        == "https://news.google.com/rss/articles/CBMi0002?oc=5"
    )
    assert {source["outlet"] for source in sources.values()} == {"soompi.com"}
    assert {source["publisher"] for source in sources.values()} == {"Soompi"}
    assert [row["outlet"] for row in db.json("outlets")] == ["soompi.com"]
    assert "news.google.com" not in db.ok("export").stdout.split("## Sources")[0]


def test_the_publishers_own_copy_first_learns_the_aggregators_link(db, feed_server, monkeypatch):
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-20T10:00:00Z")  # fetched first: added first
    db.ok("feed", "add", feed_server.serve("/soompi", rss(OWN_WRAPS)), "--name", "soompi")
    monkeypatch.setenv("AOUSDCTL_NOW", NOW)
    db.ok("feed", "add", feed_server.serve("/google", GOOGLE), "--name", "google")
    assert [r["new"] for r in db.json("fetch")] == [1, 2]
    [wraps] = [
        lead
        for lead in db.json("inbox")
        if lead["outlet"] == "soompi.com" and "Wraps" in lead["title"]
    ]
    assert wraps["link"] == OWN_LINK and wraps["links"] == [OWN_LINK, REDIRECT]
    assert wraps["publisher"] == "Soompi" and wraps["feed"] == "soompi"
    assert db.ok("fetch").stdout == "soompi\tnot modified\ngoogle\tnot modified\n"


def hostile_attributes(size: int) -> bytes:
    """One element with thousands of attributes: feedparser's time grows with the square of
    their number (300 KB took 10 s)."""
    attributes = b" ".join(b'a%d="1"' % n for n in range(size // 10))
    return rss({"title": "Odd", "link": "https://odd.example/1"}).replace(
        b"<item>", b"<item><category " + attributes + b"/>", 1
    )


def good_feeds(feed_server: FeedServer) -> dict[str, str]:
    """A feed of each kind people follow, some of them awkward: the addresses by name."""
    korean = rss(
        {
            "title": "지우학 시즌2 촬영 종료",
            "link": "https://www.hankyung.com/article/2026112101",
            "guid": "k1",
        },
        title="한국경제",
        encoding="euc-kr",
    )
    blog = atom(
        {
            "title": "Set photos",
            "link": "/posts/set-photos",
            "id": "b1",
            "updated": "2026-11-21T08:00:00Z",
        },
        {
            "title": "Bidi",
            "link": "/posts/\u202eevil",
            "id": "b2",
            "updated": "2026-11-21T09:00:00Z",
        },
    )
    feed_server.routes["/blog/atom.xml"] = Reply(
        200,
        gzip.compress(blog),
        {"Content-Type": "application/atom+xml", "Content-Encoding": "gzip"},
    )
    feed_server.routes["/moved.xml"] = Reply(
        301, headers={"Location": "/café.xml".encode().decode("latin-1")}
    )
    feed_server.serve(
        "/caf%C3%A9.xml", rss({"title": "Moved story", "link": "https://moved.example/1"})
    )
    return {
        "google": feed_server.serve("/google", GOOGLE),
        "korean": feed_server.serve("/%EB%89%B4%EC%8A%A4/rss.xml", korean).replace(
            "/%EB%89%B4%EC%8A%A4/", "/뉴스/"
        ),
        "blog": feed_server.url("/blog/atom.xml"),
        "moved": feed_server.url("/moved.xml"),
        "charref": feed_server.serve(
            "/charref",
            rss({"title": "Broken &#xD800; title &#x110000;", "link": "https://c.example/1"}),
        ),
    }


GOOD_TITLES = {
    WRAPS,
    "Park Ji-hu joins the cast",
    "Netflix sets a date",
    "지우학 시즌2 촬영 종료",
    "Set photos",
    "Moved story",
    "Broken \ufffd title \ufffd",
}


def test_a_night_with_hostile_feeds_keeps_every_good_lead(db, feed_server, monkeypatch):
    monkeypatch.setenv("AOUSDCTL_FETCH_TIMEOUT", "3")
    feed_server.routes["/304"] = Reply(304)
    feed_server.serve("/slow-to-read", hostile_attributes(300_000))
    for name, url in good_feeds(feed_server).items():
        db.ok("feed", "add", url, "--name", name)
    for name in ("304", "slow-to-read"):
        db.ok("feed", "add", feed_server.url(f"/{name}"), "--name", name, "--no-check")
    started = time.monotonic()
    result = db("fetch", "--json")
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    outcome = {r["feed"]: r for r in json.loads(result.stdout)}
    assert outcome["304"]["error"] == "answered 304 Not Modified to a request without validators"
    assert outcome["slow-to-read"]["error"] == "timed out after 3 s (reading its entries)"
    assert outcome["blog"]["skipped"] == 1
    assert "Error: 2 of 7 feeds failed: 304, slow-to-read" in result.stderr
    assert elapsed < 3 + 3, elapsed
    leads = leads_by_title(db)
    assert set(leads) == GOOD_TITLES
    assert leads["Set photos"]["link"] == feed_server.url("/posts/set-photos")
    assert leads["Moved story"]["feed"] == "moved"
    paths = feed_server.paths()
    assert "/%EB%89%B4%EC%8A%A4/rss.xml" in paths and "/caf%C3%A9.xml" in paths
    db.ok("inbox", "accept", leads["Set photos"]["id"], "New set photos")  # a link a source can be


def test_skipped_entries_are_counted_in_the_summary(db, feed_server):
    entries = [
        {"title": "Relative", "link": "/news/1", "guid": "1"},
        {"title": "No host", "link": "http://", "guid": "2"},
        {"title": "Not the web", "link": "javascript:alert(1)", "guid": "3"},
        {"title": "Bidi", "link": "https://e.example/a\u202eb", "guid": "4"},
        {"title": "Space", "link": "https://e.example/a b", "guid": "5"},
        {"title": "No link"},
    ]
    db.ok("feed", "add", feed_server.serve("/feed", rss(*entries)), "--name", "odd")
    assert db.ok("fetch").stdout == "odd\t1 new lead, 5 entries skipped (no link to cite)\n"
    [lead] = db.json("inbox")
    assert lead["link"] == feed_server.url("/news/1")


def test_a_gzip_body_is_decoded_within_the_size_cap(db, feed_server, monkeypatch):
    monkeypatch.setenv("AOUSDCTL_FETCH_MAX_BYTES", "100000")
    feed_server.routes["/unasked"] = Reply(
        200, gzip.compress(rss({"title": "Zipped", "link": "https://z.example/1"}))
    )
    feed_server.routes["/bomb"] = Reply(
        200, gzip.compress(b" " * 5_000_000), {"Content-Encoding": "gzip"}
    )
    db.ok("feed", "add", feed_server.url("/unasked"), "--name", "unasked")
    db.ok("feed", "add", feed_server.url("/bomb"), "--name", "bomb", "--no-check")
    result = db("fetch", "--json")
    outcome = {r["feed"]: r for r in json.loads(result.stdout)}
    assert outcome["unasked"]["new"] == 1
    assert outcome["bomb"]["error"] == "over the size cap of 100,000 bytes once decompressed"
    assert feed_server.requests[-1][1]["Accept-Encoding"] == "gzip"


def test_a_feed_needing_too_much_memory_is_stopped(db, feed_server, monkeypatch):
    """30 MB of one headline: reading it would take several hundred MB."""
    monkeypatch.setenv("AOUSDCTL_FETCH_MAX_BYTES", str(40 * 2**20))
    huge = rss({"title": "a " * 15_000_000, "link": "https://h.example/1"})
    feed_server.serve("/huge", huge)
    db.ok("feed", "add", feed_server.url("/huge"), "--name", "huge", "--no-check")
    db.ok(
        "feed",
        "add",
        feed_server.serve("/good", rss({"title": "Fine", "link": "https://g.example/1"})),
    )
    result = db("fetch", "--json")
    outcome = {r["feed"]: r for r in json.loads(result.stdout)}
    assert outcome["huge"]["error"] == "needs more than 256 MB to read"
    assert [lead["title"] for lead in db.json("inbox")] == ["Fine"]


@pytest.mark.slow
def test_twenty_hostile_feeds_end_in_time_and_the_good_ones_are_kept(tmp_path, feed_server):
    """The issue's numbers: 20 feeds of 10 MB that take feedparser a minute each, with a
    5 s limit, end within 20 x 6 s; the good feeds among them keep every lead."""
    hostile = rss(
        *({"title": f"Story {n}", "link": f"https://x.example/{n}"} for n in range(75_000))
    )
    assert len(hostile) < 10 * 2**20
    for number in range(20):
        feed_server.serve(f"/hostile/{number}", hostile)
    good = good_feeds(feed_server)
    database = str(tmp_path / "db" / "claims.json")
    env = {"PATH": "/usr/bin:/bin", "AOUSDCTL_NOW": NOW, "AOUSDCTL_FETCH_TIMEOUT": "5"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [installed_command(), "--db", database, *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)

    assert run("init", "--title", "Season 2").returncode == 0
    for name, url in good.items():
        assert run("feed", "add", url, "--name", name).returncode == 0
    for number in range(20):
        run(
            "feed",
            "add",
            feed_server.url(f"/hostile/{number}"),
            "--name",
            f"h{number}",
            "--no-check",
        )
    started = time.monotonic()
    result = run("fetch", "--json")
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    outcome = {r["feed"]: r for r in json.loads(result.stdout)}
    failed = {name for name, r in outcome.items() if r["status"] == "failed"}
    assert failed == {f"h{number}" for number in range(20)}
    assert all(outcome[name]["error"].startswith("timed out after 5 s") for name in failed)
    assert elapsed < 20 * 6, elapsed
    leads = json.loads((tmp_path / "db" / "claims.json").read_text())["leads"]
    assert {lead["title"] for lead in leads.values()} == GOOD_TITLES
