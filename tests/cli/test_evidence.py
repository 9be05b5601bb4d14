"""Evidence: sources as records shared by every claim citing them, each link's stance
(supports or refutes), a lead backing several claims, track records that count stance, and
an article that says when each claim took its status and who said otherwise."""

import html
import json
import re
import shutil

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from tests.support.files import edit_file
from tests.support.paths import ROOT
from tests.support.runner import NOW, assert_refused

SOOMPI = "https://www.soompi.com/article/season-2-2026"
NETFLIX = "https://www.netflix.com/tudum/articles/all-of-us-are-dead-season-2"
ARCHIVE = "https://web.archive.org/web/2026/https://www.netflix.com/tudum"


def github(markdown: str) -> str:
    """The article as GitHub renders it (cmark-gfm with footnotes)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_FOOTNOTES)


def visible_text(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


# --- sources are records ---------------------------------------------------------------------


def test_one_record_per_url_shows_the_same_details_for_every_claim(db):
    first = db.add("Lee Su-hyeok returns", "-s", NETFLIX)
    second = db.add("Park Ji-hu returns", "-s", NETFLIX + "?utm_source=x")
    db.ok("source", "add", first, NETFLIX, "--publisher", "Netflix", "--title", "Season 2")
    for claim in (first, second):
        [source] = db.json("show", claim)["sources"]
        assert (source["publisher"], source["title"], source["accessed"]) == (
            "Netflix",
            "Season 2",
            NOW[:10],
        )
    [listed] = db.json("source", "list")
    assert listed == {
        "url": NETFLIX,
        "outlet": "netflix.com",
        "publisher": "Netflix",
        "title": "Season 2",
        "published": None,
        "accessed": NOW[:10],
        "archive": None,
        "cited": 2,
    }
    article = db.ok("export").stdout
    assert article.count(f"<{NETFLIX}>") == 1
    assert "[^1]: Netflix, \u201cSeason 2\u201d, accessed 23 November 2026." in article


def test_source_edit_changes_the_record_and_its_history_keeps_the_old_values(db, db_path):
    claim = db.add("Filming started in 2023", "-s", SOOMPI)
    db.ok("source", "add", claim, SOOMPI, "--title", "Old headline")
    changed = db.json(
        "source",
        "edit",
        SOOMPI,
        "--title",
        "New headline",
        "--archive",
        ARCHIVE,
        "--published",
        "2025-10-14",
    )
    assert (changed["title"], changed["archive"], changed["published"]) == (
        "New headline",
        ARCHIVE,
        "2025-10-14",
    )
    stored = json.loads(db_path.read_text())["sources"][SOOMPI]
    assert [event["set"].get("title") for event in stored["history"]] == [
        None,
        "Old headline",
        "New headline",
    ]
    again = db.ok("source", "edit", SOOMPI, "--title", "New headline")
    assert "nothing changed" in again.stdout
    cleared = db.json("source", "edit", SOOMPI, "--archive", "")
    assert cleared["archive"] is None


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["https://nobody.example/x", "--title", "T"], 1, "no source has the link"),
        ([SOOMPI], 2, "nothing to change"),
        ([SOOMPI, "--archive", "ftp://x.example/"], 2, "archive link"),
        ([SOOMPI, "--published", "2025-13"], 2, "published"),
        ([SOOMPI, "--outlet", ""], 2, "outlet"),
        ([SOOMPI, "--title", "a\u202eb"], 2, "title"),
    ],
)
def test_source_edit_refuses_what_it_cant_store_and_changes_nothing(db, db_path, args, code, words):
    db.add("Filming started in 2023", "-s", SOOMPI)
    before = db_path.read_bytes()
    assert_refused(db("source", "edit", *args), code, words)
    assert db_path.read_bytes() == before


def test_source_rm_unlinks_but_never_leaves_a_confirmed_claim_without_support(db, db_path):
    claim = db.add("Netflix renewed the show", "-s", SOOMPI, "-s", NETFLIX)
    db.ok("promote", claim, "--to", "confirmed")
    db.ok("source", "rm", claim, SOOMPI)
    assert [s["url"] for s in db.json("show", claim)["sources"]] == [NETFLIX]
    before = db_path.read_bytes()
    assert_refused(db("source", "rm", claim, NETFLIX), 2, "only supporting source")
    assert_refused(db("source", "rm", claim, SOOMPI), 1, "doesn't cite")
    assert db_path.read_bytes() == before
    assert db.json("source", "list")[1]["cited"] == 0  # the record stays
    db.ok("undo")
    assert len(db.json("show", claim)["sources"]) == 2


# --- stance --------------------------------------------------------------------------------


def test_a_denial_refutes_and_debunk_sources_refute(db):
    rumor = db.add("Season 2 premieres in 2026", "-s", SOOMPI)
    denied = db.json("source", "add", rumor, NETFLIX, "--refutes")
    assert [(s["url"], s["stance"]) for s in denied["sources"]] == [
        (SOOMPI, "supports"),
        (NETFLIX, "refutes"),
    ]
    other = db.add("Season 2 premieres in 2025", "-s", SOOMPI + "/b")
    debunked = db.json("debunk", other, "--why", "Netflix: 2027", "-s", NETFLIX)
    assert debunked["sources"][-1]["stance"] == "refutes"
    promoted = db.json("promote", rumor, "-s", "https://official.example/1")
    assert promoted["sources"][-1]["stance"] == "supports"


def test_a_link_can_be_turned_round_but_never_holds_both_stances(db, db_path):
    claim = db.add("Cheong-san returns as a hybrid", "-s", SOOMPI)
    before = db_path.read_bytes()
    assert_refused(db("debunk", claim, "--why", "no", "-s", SOOMPI), 1, "already supports")
    assert db_path.read_bytes() == before
    turned = db.json("source", "add", claim, SOOMPI, "--refutes")
    assert turned["sources"][0]["stance"] == "refutes"
    assert "now refutes" in (turned["history"][-1]["note"] or "")
    unchanged = db.ok("source", "add", claim, SOOMPI, "--title", "A title")
    assert "cites" in unchanged.stdout
    assert db.json("show", claim)["sources"][0]["stance"] == "refutes"  # details only


def test_confirming_needs_a_supporting_source(db):
    claim = db.add("Season 2 is cancelled", "-s", NETFLIX)
    db.ok("source", "add", claim, NETFLIX, "--refutes")
    assert_refused(db("promote", claim, "--to", "confirmed"), 1, "no supporting source")
    confirmed = db.json("promote", claim, "--to", "confirmed", "-s", SOOMPI)
    assert [s["stance"] for s in confirmed["sources"]] == ["refutes", "supports"]


def test_stance_goes_out_and_comes_back_with_export_and_import(db, tmp_path, cli, db_path):
    rumor = db.add("Season 2 premieres in 2026", "-s", SOOMPI)
    db.ok("source", "add", rumor, NETFLIX, "--refutes", "--publisher", "Netflix")
    document = db.ok("export", "--format", "json").stdout
    sources = json.loads(document)["claims"][0]["sources"]
    assert [(s["stance"], s["publisher"]) for s in sources] == [
        ("supports", None),
        ("refutes", "Netflix"),
    ]
    (tmp_path / "copy.json").write_text(document)
    shutil.rmtree(db_path.parent)
    cli.ok("init")
    cli.ok("import", str(tmp_path / "copy.json"))
    [claim] = cli.json("list")
    assert [(s["stance"], s["publisher"]) for s in claim["sources"]] == [
        ("supports", None),
        ("refutes", "Netflix"),
    ]
    line = {"text": "Denied", "sources": [{"url": NETFLIX, "stance": "maybe"}]}
    (tmp_path / "bad.jsonl").write_text(json.dumps(line) + "\n")
    assert_refused(cli("import", str(tmp_path / "bad.jsonl")), 2, "stance")


def test_an_older_database_marks_what_a_debunking_brought_as_refuting(cli, db_path):
    db_path.parent.mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "data" / "claims-schema3.json", db_path)
    before = json.loads(db_path.read_text())
    debunked = [
        (key, record)
        for key, record in before["claims"].items()
        if record["status"] == "debunked"
        and any(e["action"] == "debunked" and e["sources"] for e in record["history"])
    ]
    assert debunked, "the fixture has a claim debunked with a source"
    for claim in cli.json("list", "--status", "debunked"):
        brought = {
            url
            for event in claim["history"]
            if event["action"] == "debunked"
            for url in event["sources"]
        }
        for source in claim["sources"]:
            assert source["stance"] == ("refutes" if source["url"] in brought else "supports")
    assert cli.json("doctor")["ok"] is True


# --- a lead backs several claims -------------------------------------------------------------


def test_one_lead_confirms_several_claims_in_one_change(db, db_path):
    cast = [db.add(f"{name} returns", "--status", "reported") for name in ("Lomon", "Park Ji-hu")]
    edit_file(db_path, lambda d: d["leads"].update(LEAD))
    attached = db.json("inbox", "attach", "ld1", *cast, "--promote", "--to", "confirmed")
    assert [claim["status"] for claim in attached] == ["confirmed", "confirmed"]
    assert all(claim["sources"][0]["url"] == LEAD_LINK for claim in attached)
    assert db.json("source", "list")[0]["cited"] == 2
    db.ok("undo")
    assert [claim["status"] for claim in db.json("list")] == ["reported", "reported"]


def test_a_lead_attached_as_a_denial_refutes_every_claim_named(db, db_path):
    rumors = [db.add(text) for text in ("Season 2 in 2025", "Season 2 in 2026")]
    edit_file(db_path, lambda d: d["leads"].update(LEAD))
    assert_refused(db("inbox", "attach", "ld1", *rumors, "--refutes", "--promote"), 2, "refuting")
    db.ok("inbox", "attach", "ld1", *rumors, "--refutes")
    for claim in db.json("list"):
        assert [(s["url"], s["stance"]) for s in claim["sources"]] == [(LEAD_LINK, "refutes")]


def test_attaching_a_lead_to_claims_one_of_which_is_unknown_changes_nothing(db, db_path):
    claim = db.add("Lomon returns")
    edit_file(db_path, lambda d: d["leads"].update(LEAD))
    before = db_path.read_bytes()
    assert_refused(db("inbox", "attach", "ld1", claim, "zzzz9999"), 2, "zzzz9999")
    assert db_path.read_bytes() == before


LEAD_LINK = "https://www.netflix.com/tudum/articles/season-2-cast"
LEAD = {
    "ld1": {
        "id": "ld1",
        "title": "The Season 2 cast",
        "summary": "",
        "link": LEAD_LINK,
        "outlet": "netflix.com",
        "published": "2026-11-20T10:00:00Z",
        "feed": "https://www.netflix.com/tudum/feed.xml",
        "guid": LEAD_LINK,
        "fetched": "2026-11-20T11:00:00Z",
        "state": "waiting",
        "claim": None,
        "note": None,
        "decided": None,
    }
}


# --- the track record counts stance ----------------------------------------------------------


def test_a_denial_that_debunked_a_rumor_never_counts_against_its_outlet(db, monkeypatch):
    rumor = db.add("Season 2 premieres in 2026", "-s", SOOMPI)
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-24T12:00:00Z")
    db.ok("source", "add", rumor, NETFLIX, "--refutes")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-25T12:00:00Z")
    db.ok("debunk", rumor, "--why", "Netflix said 2027")
    by_outlet = {record["outlet"]: record for record in db.json("outlets")}
    assert (by_outlet["netflix.com"]["refuted"], by_outlet["netflix.com"]["right"]) == (1, 1)
    assert (by_outlet["soompi.com"]["supported"], by_outlet["soompi.com"]["wrong"]) == (1, 1)
    assert by_outlet["netflix.com"]["wrong"] == 0
    text = db.ok("outlets").stdout
    assert "not yet judged (1 of 5 settled)" in text and "\tF\t" not in text
    assert "(grade not yet judged (1 of 5 settled), 100% of 1)" in db.ok("show", rumor).stdout


# --- the article says when and who -----------------------------------------------------------


def test_each_claim_says_when_it_took_its_status_never_its_last_edit(db, monkeypatch):
    claim = db.add("Netflix renewed the show", "-s", NETFLIX)
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-12-01T09:00:00Z")
    db.ok("promote", claim, "--to", "confirmed")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-12-05T09:00:00Z")
    db.ok("edit", claim, "--note", "Announced in June 2022")
    db.ok("source", "edit", NETFLIX, "--title", "Renewed")
    reported = db.add("Lomon returns", "--status", "reported", "-s", SOOMPI)
    article = db.ok("export").stdout
    assert "Netflix renewed the show[^1] (confirmed 1 December 2026)" in article
    assert "Lomon returns[^2] (reported since 5 December 2026)" in article
    assert reported


def test_a_debunked_claim_names_what_debunked_it_and_apart_where_the_rumor_began(db, monkeypatch):
    rumor = db.add("Season 2 premieres in 2026", "-s", SOOMPI)
    db.ok("source", "edit", SOOMPI, "--publisher", "Soompi", "--title", 'Insider: "2026"')
    db.ok("source", "add", rumor, "https://fans.example/2026")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-12-02T09:00:00Z")
    db.ok("debunk", rumor, "--why", "Netflix said 2027", "-s", NETFLIX)
    db.ok("source", "edit", NETFLIX, "--publisher", "Netflix", "--archive", ARCHIVE)
    article = db.ok("export").stdout
    line = next(line for line in article.splitlines() if "~~" in line)
    assert line == ("- ~~Season 2 premieres in 2026~~ (debunked 2 December 2026 by Netflix[^1])")
    assert (
        "  - The rumor first appeared in Soompi[^2]; also carried by fans\\.example[^3]." in article
    )
    assert (
        "[^2]: Soompi, \u201cInsider: \u20182026\u2019\u201d, accessed 23 November 2026. "
        f"<{SOOMPI}>"
    ) in article
    assert f"[^1]: Netflix, accessed 2 December 2026. <{NETFLIX}> (archived: <{ARCHIVE}>)" in (
        article
    )


def test_an_open_claim_says_who_denies_it(db):
    rumor = db.add("Cheong-san returns as a hybrid", "-s", SOOMPI)
    db.ok("source", "add", rumor, NETFLIX, "--refutes", "--publisher", "Netflix")
    db.ok("source", "add", rumor, "https://other.example/1", "--refutes")
    article = db.ok("export").stdout
    assert "- Cheong-san returns as a hybrid[^1] (rumored since 23 November 2026)" in article
    assert "  - Denied by Netflix[^2] and other\\.example[^3]." in article


def test_on_github_footnote_references_never_touch(db):
    links = [f"https://s{n}.example/a" for n in range(12)]
    claim = db.add("Lee Su-hyeok returns", *[arg for link in links for arg in ("-s", link)])
    assert claim
    rendered = github(db.ok("export").stdout)
    item = next(line for line in rendered.splitlines() if "Lee Su-hyeok returns<sup" in line)
    text = visible_text(item)
    numbers = re.findall(r"\d+", text.split("returns", 1)[1].split("(")[0])
    assert numbers == [str(n) for n in range(1, 13)]
    assert not re.search(r"\d\d\d", text.split("(")[0])  # "109 11" never runs together


def test_quotes_inside_a_title_never_nest_the_same_quote_marks(db):
    claim = db.add('Cast says "we are back"', "-s", SOOMPI)
    db.ok("source", "edit", SOOMPI, "--title", 'Star: "Season 2 is \u201cbigger\u201d"')
    article = db.ok("export").stdout
    assert "\u201cStar: \u2018Season 2 is \u2018bigger\u2019\u2019\u201d" in article
    assert "\u201cCast says \u2018we are back\u2019\u201d (new, a rumor)" in article
    assert claim


def test_a_template_receives_every_field_of_a_claim_and_its_sources(db, tmp_path):
    rumor = db.add("Season 2 premieres in 2026", "-s", SOOMPI, "--tag", "release")
    db.ok("source", "add", rumor, NETFLIX, "--refutes", "--archive", ARCHIVE)
    template = tmp_path / "fields.j2"
    template.write_text(
        "{% for section in sections %}{% for group in section.groups %}"
        "{% for c in group.claims %}{{ c.id }}|{{ c.status }}|{{ c.status_date }}|"
        "{{ c.status_date_text }}|{{ c.created }}|{{ c.updated }}|{{ c.topic }}|{{ c.tags }}|"
        "{% for l in c.sources %}{{ l.number }}:{{ l.stance }}:{{ l.source.outlet }}:"
        "{{ l.source.accessed }}:{{ l.source.archive }};{% endfor %}"
        "{% endfor %}{% endfor %}{% endfor %}\n"
    )
    line = db.ok("export", "--template", str(template)).stdout.rstrip("\n")
    assert line == (
        f"{rumor}|rumor|{NOW}|23 November 2026|{NOW}|{NOW}|General|['release']|"
        f"1:supports:soompi.com:2026-11-23:None;2:refutes:netflix.com:2026-11-23:{ARCHIVE};"
    )


# --- doctor and the file ---------------------------------------------------------------------


def test_doctor_names_a_source_record_its_history_does_not_make(db, db_path):
    db.add("Filming started", "-s", SOOMPI)
    edit_file(db_path, lambda d: d["sources"][SOOMPI].update(title="Hand edit"))
    report = json.loads(db("doctor", "--json").stdout)
    assert report["ok"] is False
    assert any(SOOMPI in p["problem"] and "title" in p["problem"] for p in report["problems"]), (
        report
    )


# --- holes found by trying to break it ------------------------------------------------------


def test_an_old_export_without_stances_credits_the_debunker_as_refuting(db, tmp_path):
    """An export from before ids and stances: the link its debunking brought refutes."""
    old = {
        "id": 25,
        "text": "Netflix cancelled Season 2",
        "status": "debunked",
        "topic": "Renewal",
        "tags": [],
        "sources": [{"url": NETFLIX}],
        "expected": None,
        "note": None,
        "created": "2026-10-15T20:00:00Z",
        "updated": "2026-11-20T21:00:00Z",
        "history": [
            {"at": "2026-10-15T20:00:00Z", "action": "added", "from": None, "to": "rumor",
             "note": None, "sources": []},
            {"at": "2026-11-20T21:00:00Z", "action": "debunked", "from": "rumor",
             "to": "debunked", "note": "Still renewed", "sources": [NETFLIX]},
        ],
    }  # fmt: skip
    (tmp_path / "old.json").write_text(json.dumps([old]))
    db.ok("import", str(tmp_path / "old.json"))
    [claim] = db.json("list")
    assert [s["stance"] for s in claim["sources"]] == ["refutes"]
    assert "(debunked 20 November 2026 by netflix\\.com[^1])" in db.ok("export").stdout


def test_turning_a_link_after_the_claim_settled_never_rewrites_a_track_record(db, monkeypatch):
    claim = db.add("Season 2 premieres in 2026", "-s", SOOMPI)
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-24T12:00:00Z")
    db.ok("debunk", claim, "--why", "Netflix said 2027")
    before = db.json("outlets")
    db.ok("source", "add", claim, SOOMPI, "--refutes")
    assert db.json("outlets")[0]["wrong"] == 1
    assert [r["right"] for r in db.json("outlets")] == [r["right"] for r in before]


def test_turning_a_confirmed_claims_only_support_into_a_denial_is_refused(db, db_path):
    claim = db.add("Netflix renewed the show", "--status", "confirmed", "-s", NETFLIX)
    before = db_path.read_bytes()
    assert_refused(db("source", "add", claim, NETFLIX, "--refutes"), 2, "only supporting source")
    assert db_path.read_bytes() == before


def test_a_new_detail_for_a_refuting_link_reports_the_stance_it_has(db):
    claim = db.add("Season 2 premieres in 2026")
    db.ok("source", "add", claim, NETFLIX, "--refutes")
    said = db.ok("source", "add", claim, NETFLIX, "--title", "No date yet").stdout
    assert "which refutes it" in said
    shown = db.ok("show", claim).stdout
    assert "[1] refutes it: netflix.com - No date yet" in shown


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda record: record.update(published="2022-13"), "published"),
        (lambda record: record.pop("title"), "title"),
        (lambda record: record.update(outlet=None), "outlet"),
        (lambda record: record.update(title=3), "title"),
        (lambda record: record.update(history="x"), "history"),
        (lambda record: record.update(notes="hand-written"), "unknown field 'notes'"),
        (lambda record: record.pop("archive"), "no archive field"),
    ],
)
def test_a_damaged_source_record_trips_no_reader_and_doctor_names_it(db, db_path, damage, words):
    claim = db.add("Filming started", "-s", SOOMPI)
    db.ok("source", "edit", SOOMPI, "--published", "2022-06", "--title", "Cameras roll")
    edit_file(db_path, lambda d: damage(d["sources"][SOOMPI]))
    for reader in (["list"], ["show", claim], ["export"], ["outlets"], ["source", "list"]):
        db.ok(*reader)
    db.ok("list", "--outlet", "soompi.com")
    report = json.loads(db("doctor", "--json").stdout)
    assert any(SOOMPI in p["problem"] and words in p["problem"] for p in report["problems"])
    before = db_path.read_bytes()
    assert_refused(db("source", "edit", SOOMPI, "--title", "T"), 1, "damaged", "doctor")
    assert_refused(db("source", "add", claim, SOOMPI, "--title", "T"), 1, "damaged")
    assert db_path.read_bytes() == before


def test_a_link_without_a_record_is_named_by_doctor_and_made_again_by_source_add(db, db_path):
    claim = db.add("Filming started", "-s", SOOMPI)
    edit_file(db_path, lambda d: d["sources"].clear())
    assert db.json("show", claim)["sources"][0]["outlet"] == "soompi.com"
    report = json.loads(db("doctor", "--json").stdout)
    assert [p["claim"] for p in report["problems"]] == [claim]
    db.ok("source", "add", claim, SOOMPI, "--title", "Found again")
    assert db.json("doctor")["ok"] is True


def test_a_damaged_link_trips_no_reader(db, db_path):
    claim = db.add("Filming started", "-s", SOOMPI)
    edit_file(db_path, lambda d: d["claims"][claim]["sources"][0].pop("stance"))
    for reader in (["list"], ["show", claim], ["export"], ["outlets"]):
        db.ok(*reader)
    assert json.loads(db("doctor", "--json").stdout)["ok"] is False


def test_an_archive_link_is_kept_as_given_and_is_never_the_source_itself(db, db_path):
    db.add("Filming started", "-s", SOOMPI)
    archived = f"https://web.archive.org/web/2026/{SOOMPI}?utm_source=feed"
    assert db.json("source", "edit", SOOMPI, "--archive", archived)["archive"] == archived
    before = db_path.read_bytes()
    assert_refused(db("source", "edit", SOOMPI, "--archive", SOOMPI), 2, "own link")
    assert db_path.read_bytes() == before


def test_an_export_keeps_every_record_with_its_history(db, cli, db_path, tmp_path):
    claim = db.add("Filming started", "-s", SOOMPI, "-s", NETFLIX)
    db.ok("source", "edit", SOOMPI, "--title", "First headline")
    db.ok("source", "edit", SOOMPI, "--title", "Second headline")
    db.ok("source", "rm", claim, NETFLIX)
    document = db.ok("export", "--format", "json").stdout
    (tmp_path / "copy.json").write_text(document)
    stored = json.loads(db_path.read_text())["sources"]
    shutil.rmtree(db_path.parent)
    cli.ok("init")
    cli.ok("import", str(tmp_path / "copy.json"))
    assert json.loads(db_path.read_text())["sources"] == stored
    assert [s["cited"] for s in cli.json("source", "list")] == [0, 1]


def test_an_import_of_an_older_copy_never_brings_back_a_source_edit_undone_here(db, tmp_path):
    db.add("Filming started", "-s", SOOMPI)
    db.ok("source", "edit", SOOMPI, "--title", "Oops")
    (tmp_path / "copy.json").write_text(db.ok("export", "--format", "json").stdout)
    db.ok("undo")
    db.ok("import", str(tmp_path / "copy.json"))
    assert db.json("source", "list")[0]["title"] is None
    assert db.json("doctor")["ok"] is True
    exported = json.loads(db.ok("export", "--format", "json").stdout)
    assert list(exported["tombstones"].values()) == [SOOMPI]


def test_undoing_an_import_leaves_the_other_clones_source_events_to_come_back(db, tmp_path):
    """An undone import takes back what it brought here only: a second import of the same
    copy brings the other clone's source edit again, and two clones that import each
    other's exports end the same."""
    db.add("Filming started", "-s", SOOMPI)
    other = tmp_path / "other.json"
    other.write_text(db.ok("export", "--format", "json").stdout)
    elsewhere = json.loads(other.read_text())
    [record] = elsewhere["sources"]
    record["history"].append(
        {"at": NOW, "clock": 2, "id": "zzzzzzzzzzzz", "set": {"title": "From elsewhere"}}
    )
    record["title"] = "From elsewhere"
    other.write_text(json.dumps(elsewhere))
    db.ok("import", str(other))
    db.ok("undo")
    assert json.loads(db.ok("export", "--format", "json").stdout)["tombstones"] == {}
    db.ok("import", str(other))
    assert db.json("source", "list")[0]["title"] == "From elsewhere"
