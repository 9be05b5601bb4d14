"""The inbox, with leads fetched from a local feed server: deciding on them (accept, attach,
dismiss), each one change for `undo`."""

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.support.feedserver import FeedServer, atom, pub_date, rss
from tests.support.runner import assert_refused

HOSTILE_TITLE = (
    "<script>alert(1)</script>Cast **[exclusive](http://evil.example)** "
    "<b>Lee</b> &lt;img src=x onerror=alert(1)&gt; # not a heading"
)


def item(number: int, title: str, **extra: str) -> dict[str, str]:
    return {
        "title": title,
        "link": f"https://www.soompi.com/article/{number}?utm_source=rss",
        "guid": f"soompi-{number}",
        "pubDate": pub_date(number),
        **extra,
    }


@pytest.fixture
def fetched(db, feed_server: FeedServer):
    """A database with one feed and three leads fetched from it."""
    from xml.sax.saxutils import escape

    items = [
        item(1, "Netflix confirms All of Us Are Dead season 2"),
        item(2, "Lomon spotted on the season 2 set"),
        item(3, escape(HOSTILE_TITLE)),
    ]
    feed_server.serve("/soompi", rss(*items))
    db.ok("feed", "add", feed_server.url("/soompi"), "--name", "Soompi", "--topic", "Production")
    db.ok("fetch")
    return db


def lead_titled(db, words: str) -> dict:
    return next(lead for lead in db.json("inbox") if words in lead["title"])


def test_inbox_lists_leads_newest_first_with_suggestions(fetched) -> None:
    claim = fetched.add("Netflix confirmed season 2", "--topic", "Production")
    fetched.add("Filming wrapped in Seoul")
    leads = fetched.json("inbox")
    assert [lead["outlet"] for lead in leads] == ["soompi.com"] * 3
    assert [lead["link"][-1] for lead in leads] == ["3", "2", "1"]
    assert set(leads[0]) >= {"id", "title", "summary", "link", "outlet", "published", "feed"}
    suggested = leads[2]["suggestions"]
    assert suggested and suggested[0]["claim"] == claim and 60 <= suggested[0]["score"] <= 100
    assert all(len(lead["suggestions"]) <= 3 for lead in leads)
    text = fetched.ok("inbox").stdout
    assert f"maybe {claim} (" in text and "https://www.soompi.com/article/1\n" in text


def test_html_and_markdown_stay_inert_in_the_inbox_and_the_article(fetched) -> None:
    lead = lead_titled(fetched, "Cast")
    assert lead["title"] == (
        "Cast **[exclusive](http://evil.example)** Lee <img src=x onerror=alert(1)> # not a heading"
    )
    text = fetched.ok("inbox").stdout
    assert "<script" not in text and "<b>" not in text and "alert(1)</script>" not in text
    fetched.ok("inbox", "accept", lead["id"][:5], lead["title"])
    article = fetched.ok("export").stdout
    html = MarkdownIt("commonmark").render(article)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "evil.example" not in "".join(part.split('"')[0] for part in html.split('href="')[1:])
    assert "<strong>exclusive" not in html
    assert "Cast **[exclusive](http://evil.example)** Lee &lt;img" in html  # reads the same


def test_accept_makes_a_reported_claim_citing_the_lead(fetched, db_path: Path) -> None:
    lead = lead_titled(fetched, "Netflix confirms")
    claim = json.loads(
        fetched.ok("inbox", "accept", lead["id"], "Netflix confirmed Season 2", "--json").stdout
    )
    assert claim["status"] == "reported" and claim["topic"] == "Production"
    assert claim["sources"] == [
        {
            "url": "https://www.soompi.com/article/1",
            "stance": "supports",
            "outlet": "soompi.com",
            "publisher": None,
            "title": "Netflix confirms All of Us Are Dead season 2",
            "published": "2026-11-01",
            "accessed": "2026-11-23",
            "archive": None,
        }
    ]
    assert lead["id"] not in [waiting["id"] for waiting in fetched.json("inbox")]
    [entry] = fetched.json("log", str(claim["id"]))
    assert entry["action"] == "added" and entry["sources"] == ["https://www.soompi.com/article/1"]
    assert_refused(fetched("inbox", "accept", lead["id"], "Again"), 1, "already accepted")
    fetched.ok("undo")
    assert fetched.json("list") == []
    assert lead["id"] in [waiting["id"] for waiting in fetched.json("inbox")]


def test_accept_options(fetched) -> None:
    lead = lead_titled(fetched, "Lomon")
    claim = json.loads(
        fetched.ok(
            "inbox", "accept", lead["id"], "Lomon returns", "--topic", "Cast", "--status", "rumor",
            "--json",
        ).stdout
    )  # fmt: skip
    assert (claim["topic"], claim["status"]) == ("Cast", "rumor")
    other = lead_titled(fetched, "Netflix")["id"]
    assert_refused(fetched("inbox", "accept", other, "X", "--status", "debunked"), 2, "debunked")


def test_attach_cites_the_lead_and_can_promote_in_one_change(fetched) -> None:
    claim = fetched.add("Season 2 is confirmed", "--status", "reported")
    lead = lead_titled(fetched, "Netflix confirms")
    fetched.ok("inbox", "attach", lead["id"], str(claim), "--promote", "--to", "confirmed")
    shown = fetched.json("show", str(claim))
    assert shown["status"] == "confirmed"
    assert [s["url"] for s in shown["sources"]] == ["https://www.soompi.com/article/1"]
    assert shown["history"][-1]["action"] == "promoted"
    assert shown["history"][-1]["sources"] == ["https://www.soompi.com/article/1"]
    fetched.ok("undo")
    shown = fetched.json("show", str(claim))
    assert shown["status"] == "reported" and shown["sources"] == []
    assert lead["id"] in [waiting["id"] for waiting in fetched.json("inbox")]
    result = fetched.ok("inbox", "attach", lead["id"], str(claim))
    assert "now cites" in result.stdout
    assert fetched.json("show", str(claim))["history"][-1]["action"] == "attached"
    assert "attached" in [entry["action"] for entry in fetched.json("log", str(claim))]
    assert fetched.json("show", str(claim))["status"] == "reported"


def test_attach_refusals_change_nothing(fetched, db_path: Path) -> None:
    claim = fetched.add("A rumor")
    lead = lead_titled(fetched, "Lomon")["id"]
    before = db_path.read_bytes()
    assert_refused(fetched("inbox", "attach", lead, "999"), 1, "no claim")
    assert_refused(
        fetched("inbox", "attach", lead, str(claim), "--to", "confirmed"), 2, "--promote"
    )
    assert_refused(fetched("inbox", "attach", "zzzzzzzz", str(claim)), 1, "no lead")
    assert db_path.read_bytes() == before


def test_dismissed_leads_never_come_back(fetched, feed_server, db_path: Path) -> None:
    lead = lead_titled(fetched, "Lomon")
    fetched.ok("inbox", "dismiss", lead["id"], "--note", "old news")
    assert len(fetched.json("inbox")) == 2
    before = db_path.read_bytes()
    fetched.ok("fetch")  # the feed repeats it
    assert db_path.read_bytes() == before
    assert lead["id"] not in [waiting["id"] for waiting in fetched.json("inbox")]
    fetched.ok("undo")
    assert len(fetched.json("inbox")) == 3


def test_lead_ids_take_unique_prefixes(fetched, db_path: Path) -> None:
    document = json.loads(db_path.read_text())
    for key, new_id in zip(document["leads"], ("abcd2345", "abcd6789", "bcde2345"), strict=True):
        document["leads"][key]["id"] = new_id
    db_path.write_text(json.dumps(document))
    assert_refused(fetched("inbox", "dismiss", "abcd"), 2, "ambiguous")
    assert_refused(fetched("inbox", "dismiss", ""), 2, "blank")
    fetched.ok("inbox", "dismiss", "ABCD6")
    fetched.ok("inbox", "dismiss", "b")
    assert [lead["id"] for lead in fetched.json("inbox")] == ["abcd2345"]


def test_bidi_controls_and_ancient_dates_never_block_a_decision(db, feed_server) -> None:
    """Bidirectional controls are dropped from the text; a date before the year 1000 is unknown."""
    title = "\u202eNetflix\u202c confirms \u2066season 2\u2069"
    bidi = item(1, title, description="Lee \u202dJae-gyu\u202c \u2067returns\u2069")
    db.ok("feed", "add", feed_server.serve("/bidi", rss(bidi)), "--name", "bidi")
    ancient = {
        "title": "Ancient \u202bnews\u202c",
        "link": "https://www.soompi.com/article/2",
        "id": "tag:old",
        "updated": "0999-05-01T00:00:00Z",
    }
    db.ok("feed", "add", feed_server.serve("/old", atom(ancient), "application/atom+xml"))
    db.ok("fetch")
    new, old = lead_titled(db, "Netflix"), lead_titled(db, "Ancient")
    assert (new["title"], new["summary"]) == ("Netflix confirms season 2", "Lee Jae-gyu returns")
    assert (old["title"], old["published"]) == ("Ancient news", None)
    claim = json.loads(db.ok("inbox", "accept", new["id"], "Season 2 confirmed", "--json").stdout)
    assert claim["sources"][0]["title"] == "Netflix confirms season 2"
    db.ok("inbox", "attach", old["id"], str(claim["id"]))
    assert [s["published"] for s in db.json("show", str(claim["id"]))["sources"]] == [
        "2026-11-01",
        None,
    ]
