"""The article's data (`formats.article.build`), worked out from a snapshot of plain tables: no
file, no command line. What it renders to is tested through `export` in tests/cli."""

from datetime import UTC, datetime

from aousdctl.domain import claims as rules
from aousdctl.domain.snapshot import Snapshot
from aousdctl.formats.article import ArticleSource, build, render
from tests.support.records import claim, tables

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
CONFIRMED = rules.Status.CONFIRMED


def topic(name: str, order: int | None = None, heading: str | None = None) -> dict:
    return {"name": name, "heading": heading, "order": order, "intro": None}


def article(claims=None, removed=None, now=NOW, **options):
    """The article's data for a database of these claims (by id) and other tables."""
    other_tables = {name: options.pop(name) for name in ("config", "topics") if name in options}
    return build(Snapshot(tables(claims, removed, **other_tables)), now, **options)


def texts(section: dict) -> dict[str, list[str]]:
    """A section's claims by status, as their texts."""
    found = {
        group["status"]: [entry.text for entry in group["claims"]] for group in section["groups"]
    }
    found["debunked"] = [entry.text for entry in section["debunked"]]
    return found


def test_an_empty_database_is_an_article_with_nothing_in_it():
    assert article() == {
        "title": "What we know so far",
        "intro": None,
        "last_updated": None,
        "last_updated_text": None,
        "counts": {"rumor": 0, "reported": 0, "confirmed": 0, "debunked": 0},
        "whats_new": {"since": None, "since_text": None, "changes": []},
        "sections": [],
        "sources": [],
        "outlets": [],
        "outlet_min_settled": 5,
        "track_record": False,
    }


def test_title_and_intro_come_from_the_settings():
    data = article(config={"1": {"title": "Season 2", "intro": "What we know."}})
    assert (data["title"], data["intro"]) == ("Season 2", "What we know.")


def test_sections_follow_the_topics_order_then_the_alphabet():
    claims = {
        f"{n:04d}aaaa": claim(f"A claim about {name}", topic=name)
        for n, name in enumerate(["zebra", "Apple", "Middle", "First"])
    }
    topics = {"first": topic("First", 1, "Is it first?"), "zebra": topic("Zebra", 2)}
    sections = article(claims, topics=topics)["sections"]
    assert [(s["topic"], s["heading"]) for s in sections] == [
        ("First", "Is it first?"),
        ("Zebra", "Zebra"),
        ("Apple", "Apple"),
        ("Middle", "Middle"),
    ]


def test_claims_are_grouped_by_status_and_debunked_ones_keep_their_reason():
    fact = rules.promote(
        claim("A fact", sources=["https://netflix.com/1"]), at="2026-11-21T00:00:00Z", to=CONFIRMED
    )
    report = claim("A report", status="reported")
    false = rules.debunk(claim("A falsehood"), at="2026-11-21T00:00:00Z", note="Netflix denied it")
    data = article(
        {"aaaa0001": claim("A rumor"), "aaaa0002": false, "aaaa0003": report, "aaaa0004": fact}
    )
    [section] = data["sections"]
    assert texts(section) == {
        "confirmed": ["A fact"],
        "reported": ["A report"],
        "rumor": ["A rumor"],
        "debunked": ["A falsehood"],
    }
    assert [group["label"] for group in section["groups"]] == [
        "Confirmed",
        "Reported, not yet official",
        "Rumored, unconfirmed",
    ]
    assert section["debunked"][0].debunk_reason == "Netflix denied it"
    assert data["counts"] == {"rumor": 1, "reported": 1, "confirmed": 1, "debunked": 1}


def test_each_source_is_one_footnote_numbered_by_its_first_citation():
    shared = "https://netflix.com/title/1"
    titled = rules.make_source(shared, outlet="Netflix", title="Season 2", published="2022-06")
    data = article(
        {
            "aaaa0001": claim("Cited first", sources=[titled]),
            "aaaa0002": claim("Cited second", sources=["https://a.example/1", shared]),
            "aaaa0003": claim("Unsourced"),
        }
    )
    [section] = data["sections"]
    assert [entry.footnotes for entry in section["groups"][0]["claims"]] == [[1], [2, 1], []]
    accessed = ("2026-11-20", "20 November 2026")
    assert data["sources"] == [
        ArticleSource(
            1,
            shared,
            "Netflix",
            "Netflix",
            None,
            "Season 2",
            "2022-06",
            "June 2022",
            *accessed,
            None,
        ),
        ArticleSource(
            2,
            "https://a.example/1",
            "a.example",
            "a.example",
            None,
            None,
            None,
            None,
            *accessed,
            None,
        ),
    ]


def test_a_passed_date_is_overdue_only_while_the_claim_is_open():
    predicted = "2026-09-01T00:00:00Z"  # before October: these were predictions
    passed = claim("Due in October", expected="2026-10", at=predicted)
    kept = rules.promote(
        claim("Kept its date", expected="2026-10", sources=["https://n.example/1"], at=predicted),
        at="2026-11-21T00:00:00Z",
        to=CONFIRMED,
    )
    due = claim("Due this month", expected="2026-11")
    past = claim("Wrapped in October", expected="2026-10")  # logged after: about the past
    claims = {"aaaa0001": passed, "aaaa0002": kept, "aaaa0003": due, "aaaa0004": past}
    entries = {
        entry.text: (entry.overdue, entry.expected_text)
        for section in article(claims)["sections"]
        for group in section["groups"]
        for entry in group["claims"]
    }
    assert entries == {
        "Due in October": (True, "October 2026"),
        "Kept its date": (False, "October 2026"),
        "Due this month": (False, "November 2026"),
        "Wrapped in October": (False, "October 2026"),
    }


def test_whats_new_is_the_month_before_the_last_change_newest_first():
    old = claim("An old rumor", at="2026-09-01T00:00:00Z")
    fresh = claim("A fresh rumor", at="2026-11-01T00:00:00Z")
    promoted = rules.promote(old, at="2026-11-20T00:00:00Z")
    news = article({"aaaa0001": promoted, "aaaa0002": fresh})["whats_new"]
    assert (news["since"], news["since_text"]) == ("2026-10-21T00:00:00Z", "21 October 2026")
    assert [(change["text"], change["summary"]) for change in news["changes"]] == [
        ("An old rumor", "now reported, was a rumor"),
        ("A fresh rumor", "new, a rumor"),
    ]


def test_changes_since_a_date_give_one_line_per_claim_from_where_it_stood():
    old = claim("An old rumor", at="2026-09-01T00:00:00Z")
    promoted = rules.promote(old, at="2026-11-20T00:00:00Z")
    back = rules.demote(
        rules.promote(old, at="2026-11-19T00:00:00Z"), at="2026-11-20T00:00:00Z", note="Retracted"
    )
    claims = {"aaaa0001": promoted, "aaaa0002": back}
    since_august = article(claims, changes_since="2026-08")["whats_new"]["changes"]
    assert [change["summary"] for change in since_august] == ["new, a rumor", "new, reported"]
    since_october = article(claims, changes_since="2026-10")["whats_new"]["changes"]
    assert [change["summary"] for change in since_october] == ["now reported, was a rumor"]


def test_the_article_does_not_change_with_the_time_it_is_made():
    claims = {"aaaa0001": claim("A rumor", sources=["https://a.example/1"])}
    assert article(claims) == article(claims, now=datetime(2030, 1, 1, tzinfo=UTC))


def test_a_removal_is_the_last_change_the_article_reports():
    gone = rules.removal_event(claim("Gone"), at="2026-11-22T08:00:00Z")
    data = article({"aaaa0001": claim("Still here")}, {"aaaa0002": gone})
    assert (data["last_updated"], data["last_updated_text"]) == (
        "2026-11-22T08:00:00Z",
        "22 November 2026",
    )
    assert [texts(section)["rumor"] for section in data["sections"]] == [["Still here"]]


def test_track_records_are_worked_out_only_when_the_article_or_a_template_needs_them():
    claims = {"aaaa0001": claim("A rumor", sources=["https://a.example/1"])}
    assert article(claims)["outlets"] == []
    assert [record.outlet for record in article(claims, with_outlets=True)["outlets"]] == [
        "a.example"
    ]
    switched_on = article(claims, config={"1": {"article.track-record": True}})
    assert switched_on["track_record"] is True and len(switched_on["outlets"]) == 1


def test_the_default_template_renders_the_data():
    data = article({"aaaa0001": claim("A rumor")}, config={"1": {"title": "Season 2"}})
    markdown = b"".join(render(data)).decode()
    assert markdown.startswith("# Season 2\n")
    assert "- A rumor (rumored since 20 November 2026; *unsourced*)\n" in markdown
