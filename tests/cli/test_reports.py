"""`outlets` and `review`: each outlet's track record (what it carried before it was settled,
and how that ended), and one grouped list of what needs a human, with --check for cron."""

import json
import shutil
from pathlib import Path

import pytest

from tests.support.leads import lead_record, put_leads
from tests.support.paths import SHIPPED_DATABASE
from tests.support.records import CLAIM_FIELDS, SOURCE_KEYS
from tests.support.runner import Cli, assert_refused
from tests.support.scenarios import NETFLIX, SOOMPI, Clock, add, step

LATER = "2027-03-01T12:00:00Z"  # 98 days after the tests' NOW


# --- outlets -----------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def predictions(record):
    """How many claims an outlet took a side on while they were open."""
    return record["right"] + record["wrong"] + record["open"]


def records(db, *args):
    return {record["outlet"]: record for record in db.json("outlets", *args)}


def test_every_number_and_grade_in_json(history, db):
    listed = db.json("outlets")
    assert [record["outlet"] for record in listed] == [
        "soompi.com",
        "rumormill.example",
        "netflix.com",
    ]
    assert listed == [
        {
            "outlet": "soompi.com",
            "cited": 5,
            "supported": 5,
            "refuted": 0,
            "right": 4,
            "wrong": 1,
            "open": 0,
            "hit_rate": 0.8,
            "grade": "B",
        },
        {
            "outlet": "rumormill.example",
            "cited": 6,
            "supported": 6,
            "refuted": 0,
            "right": 0,
            "wrong": 5,
            "open": 1,
            "hit_rate": 0.0,
            "grade": "E",
        },
        {
            "outlet": "netflix.com",
            "cited": 4,
            "supported": 4,
            "refuted": 0,
            "right": 0,
            "wrong": 0,
            "open": 0,
            "hit_rate": None,
            "grade": "F",
        },
    ]


def test_text_off_a_terminal_is_tab_separated(history, db):
    assert db.ok("outlets").stdout.splitlines() == [
        "soompi.com\tB\t80% of 5\t5\t5\t0\t4\t1\t0",
        "rumormill.example\tE\t0% of 5\t6\t6\t0\t0\t5\t1",
        "netflix.com\tnot yet judged (0 of 5 settled)\tnone settled\t4\t4\t0\t0\t0\t0",
    ]


def test_min_hides_outlets_with_fewer_settled_claims(history, db):
    assert list(records(db, "--min", "5")) == ["soompi.com", "rumormill.example"]
    assert list(records(db, "--min", "6")) == []
    assert db.ok("outlets", "--min", "6").stdout == ""
    assert_refused(db("outlets", "--min", "-1"), 2, "--min")
    assert_refused(db("outlets", "--min", "many"), 2, "--min")


def test_the_minimum_for_a_grade_is_a_setting(history, db):
    db.ok("config", "set", "outlet-min-settled", "6")
    assert {name: r["grade"] for name, r in records(db).items()} == {
        "soompi.com": "F",
        "rumormill.example": "F",
        "netflix.com": "F",
    }
    db.ok("config", "set", "outlet-min-settled", "1")
    assert records(db)["soompi.com"]["grade"] == "B"
    assert records(db)["netflix.com"]["grade"] == "F"


def carried_line(text, url, outcome):
    """A JSON Lines claim whose history shows `url` carried as a rumor, then settled."""
    history = [{"at": "2026-03-01T00:00:00Z", "action": "added", "to": "rumor", "sources": [url]}]
    if outcome != "rumor":
        history.append(
            {
                "at": "2026-04-01T00:00:00Z",
                "action": "promoted" if outcome == "confirmed" else outcome,
                "from": "rumor",
                "to": outcome,
                "note": "settled",
                "sources": [],
            }
        )
    return json.dumps({"text": text, "status": outcome, "sources": [url], "history": history})


def test_grades_follow_the_documented_thresholds(db, tmp_path):
    """Hit rates on each side of every threshold: A >= 90%, B >= 75%, C >= 50%, D >= 25%."""
    expected = {(10, 0): "A", (9, 1): "A", (8, 2): "B", (3, 1): "B", (7, 3): "C", (1, 1): "C"}
    expected |= {(3, 7): "D", (1, 3): "D", (1, 4): "E", (0, 4): "E"}
    lines = []
    for confirmed, debunked in expected:
        outlet = f"https://c{confirmed}-d{debunked}.example/"
        for n in range(confirmed + debunked):
            outcome = "confirmed" if n < confirmed else "debunked"
            lines.append(carried_line(f"{outlet} {n}", f"{outlet}{n}", outcome))
    path = tmp_path / "graded.jsonl"
    path.write_text("\n".join(lines) + "\n")
    db.ok("import", str(path))
    db.ok("config", "set", "outlet-min-settled", "2")
    found = records(db)
    for (confirmed, debunked), letter in expected.items():
        record = found[f"c{confirmed}-d{debunked}.example"]
        assert record["grade"] == letter, (confirmed, debunked)
        assert record["hit_rate"] == confirmed / (confirmed + debunked)
    assert found["c0-d4.example"]["hit_rate"] == 0.0
    db.ok("config", "set", "outlet-min-settled", "3")
    assert records(db)["c1-d1.example"]["grade"] == "F"


def test_sorted_by_hit_rate_then_settled_claims_then_name(db, clock):
    plan = {  # outlet: (confirmed, debunked, open)
        "b.example": (1, 0, 0),
        "a.example": (1, 0, 0),
        "many.example": (2, 0, 0),
        "half.example": (1, 1, 0),
        "open.example": (0, 0, 2),
    }
    for outlet, (confirmed, debunked, still_open) in plan.items():
        for n in range(confirmed + debunked + still_open):
            claim = add(db, clock, f"{outlet} {n}", "-s", f"https://{outlet}/{n}")
            if n < confirmed:
                step(db, clock, "promote", claim, "--to", "confirmed")
            elif n < confirmed + debunked:
                step(db, clock, "debunk", claim, "--note", "no")
    assert list(records(db)) == [
        "many.example",
        "a.example",
        "b.example",
        "half.example",
        "open.example",
    ]
    assert records(db)["open.example"]["open"] == 2


def test_several_sources_and_spellings_of_one_outlet_count_once(db, clock):
    claim = add(db, clock, "Two links, one outlet", "-s", SOOMPI.format(1))
    step(db, clock, "source", "add", claim, SOOMPI.format(2))
    step(db, clock, "source", "add", claim, "https://soompi.example/x", "--outlet", "SOOMPI.COM")
    step(db, clock, "promote", claim, "--to", "confirmed")
    assert db.json("outlets") == [
        {
            "outlet": "soompi.com",
            "cited": 1,
            "supported": 1,
            "refuted": 0,
            "right": 1,
            "wrong": 0,
            "open": 0,
            "hit_rate": 1.0,
            "grade": "F",
        },
    ]


def test_settlement_is_each_time_the_claim_is_confirmed_or_debunked(db, clock):
    """Confirmed, demoted, confirmed again: a source attached before the first confirmation
    or while the claim was demoted is a prediction; one attached while it stood confirmed,
    or by the very promotion that confirmed it, is evidence."""
    claim = add(db, clock, "Netflix renewed the show", "-s", "https://early.example/1")
    step(db, clock, "promote", claim, "--to", "confirmed", "-s", "https://official.example/1")
    step(db, clock, "source", "add", claim, "https://echo.example/1")
    step(db, clock, "demote", claim, "--note", "The announcement was withdrawn")
    step(db, clock, "source", "add", claim, "https://between.example/1")
    step(db, clock, "promote", claim, "--to", "confirmed", "-s", "https://official2.example/1")
    carried = {name: predictions(r) for name, r in records(db).items()}
    assert carried == {
        "early.example": 1,
        "between.example": 1,
        "official.example": 0,
        "echo.example": 0,
        "official2.example": 0,
    }
    assert records(db)["between.example"]["right"] == 1


def test_a_source_attached_in_the_second_the_claim_settled_is_evidence(db, monkeypatch):
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-05-01T10:00:00Z")
    claim = db.ok("add", "Same second", "-q", "-s", "https://fast.example/1").stdout.strip()
    db.ok("debunk", claim, "--note", "Denied the same second")
    assert predictions(records(db)["fast.example"]) == 0
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-05-01T10:00:01Z")
    other = db.ok("add", "Next second", "-q", "-s", "https://fast.example/2").stdout.strip()
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-05-01T10:00:02Z")
    db.ok("debunk", other, "--note", "Denied a second later")
    assert records(db)["fast.example"]["wrong"] == 1


def test_a_claim_that_went_back_and_forth_counts_by_its_current_status(db, clock):
    reopened = add(db, clock, "Debunked, then reopened", "-s", "https://x.example/1")
    step(db, clock, "debunk", reopened, "--note", "Denied")
    step(db, clock, "promote", reopened)
    demoted = add(db, clock, "Confirmed, then demoted", "-s", "https://x.example/2")
    step(db, clock, "promote", demoted, "--to", "confirmed")
    step(db, clock, "demote", demoted, "--note", "Retracted")
    overturned = add(db, clock, "Confirmed, then debunked", "-s", "https://x.example/3")
    step(db, clock, "promote", overturned, "--to", "confirmed")
    step(db, clock, "debunk", overturned, "--note", "It was a fake account")
    record = records(db)["x.example"]
    assert (predictions(record), record["right"], record["wrong"], record["open"]) == (
        3,
        0,
        1,
        2,
    )


def test_removed_claims_are_not_counted(history, db):
    db.ok("rm", history["soompi4"], "--yes")
    assert records(db)["soompi.com"]["wrong"] == 0
    assert records(db)["soompi.com"]["hit_rate"] == 1.0


def test_show_prints_each_sources_outlet_grade(history, db):
    output = db.ok("show", history["soompi1"]).stdout
    assert "[1] soompi.com  (grade B, 80% of 5)" in output
    assert "[2] netflix.com  (grade not yet judged (0 of 5 settled), none settled)" in output
    unsourced = db.ok("add", "No sources yet", "-q").stdout.strip()
    assert "Sources: none" in db.ok("show", unsourced).stdout


def test_show_json_keeps_the_claim_object_unchanged(history, db):
    claim = db.json("show", history["soompi1"])
    assert list(claim) == CLAIM_FIELDS
    assert list(claim["sources"][0]) == SOURCE_KEYS


def test_list_outlet_filters_claims_ignoring_case(history, db):
    found = db.json("list", "--outlet", "  SOOMPI.com ")
    assert [str(claim["id"]) for claim in found] == [history[f"soompi{n}"] for n in range(5)]
    confirmed = db.json("list", "--outlet", "Netflix.com", "--status", "confirmed")
    assert len(confirmed) == 4
    assert db.ok("list", "--outlet", "nobody.example").stdout == ""


def test_the_article_section_is_off_unless_asked_for(history, db):
    heading = "## Track record of the outlets cited"
    assert heading not in db.ok("export").stdout
    db.ok("config", "set", "article.track-record", "on")
    article = db.ok("export").stdout
    section = article[article.index(heading) :]
    assert article.rstrip().endswith(section.rstrip())
    assert "| soompi\\.com | B | 80% of 5 | 5 | 0 | 4 | 1 | 0 |" in section
    assert "| rumormill\\.example | E | 0% of 5 | 6 | 0 | 0 | 5 | 1 |" in section
    assert (
        "| netflix\\.com | not yet judged (0 of 5 settled) | none settled | 4 | 0 | 0 | 0 | 0 |"
        in section
    )
    assert "at least 5 settled claims" in section
    assert "| F |" not in section
    db.ok("config", "set", "article.track-record", "off")
    assert heading not in db.ok("export").stdout


def test_the_article_section_escapes_outlet_names(db, clock):
    claim = add(db, clock, "Escaped", "-s", "https://odd.example/1")
    step(
        db, clock, "source", "add", claim, "https://odd.example/1", "--outlet", "Fan*Site | [News]"
    )
    db.ok("config", "set", "article.track-record", "on")
    article = db.ok("export").stdout
    assert (
        "| Fan\\*Site \\| \\[News\\] | not yet judged (0 of 5 settled) | none settled "
        "| 1 | 0 | 0 | 0 | 1 |" in article
    )


def test_a_custom_template_reads_the_outlets(history, db, tmp_path):
    template = tmp_path / "t.md.j2"
    template.write_text(
        "{% for o in outlets %}{{ o.outlet | md }}={{ o.grade }};{% endfor %}"
        "{{ outlet_min_settled }} {{ track_record }}\n"
    )
    output = db.ok("export", "--template", str(template)).stdout
    assert output == "soompi\\.com=B;rumormill\\.example=E;netflix\\.com=F;5 False\n"


def test_an_exported_and_imported_history_gives_the_same_records(history, db, cli, tmp_path):
    document = tmp_path / "backup.json"
    document.write_bytes(db.ok("export", "--format", "json").stdout.encode())
    copy = type(cli)(tmp_path / "copy" / "claims.json")
    copy.ok("init")
    copy.ok("import", str(document))
    assert copy.json("outlets") == db.json("outlets")


def test_imported_history_decides_when_each_source_came(db, tmp_path):
    """A history from elsewhere: the rumor was carried in March, debunked in April; a claim
    imported as debunked without a history has no time for its source, so it's evidence."""
    lines = [
        {
            "text": "Imported with its history",
            "status": "debunked",
            "sources": ["https://old.example/1", "https://late.example/1"],
            "created": "2026-03-01T00:00:00Z",
            "updated": "2026-04-01T00:00:00Z",
            "history": [
                {
                    "at": "2026-03-01T00:00:00Z",
                    "action": "added",
                    "to": "rumor",
                    "sources": ["https://old.example/1"],
                },
                {
                    "at": "2026-04-01T00:00:00Z",
                    "action": "debunked",
                    "from": "rumor",
                    "to": "debunked",
                    "note": "Denied",
                    "sources": ["https://late.example/1"],
                },
            ],
        },
        {
            "text": "Imported as debunked, no history",
            "status": "debunked",
            "sources": ["https://old.example/2"],
        },
        {
            "text": "A source the history never mentions",
            "sources": ["https://unrecorded.example/1"],
            "history": [{"at": "2026-03-01T00:00:00Z", "action": "added", "to": "rumor"}],
        },
    ]
    path = tmp_path / "claims.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    db.ok("import", str(path))
    found = records(db)
    assert (predictions(found["old.example"]), found["old.example"]["wrong"]) == (1, 1)
    assert found["old.example"]["cited"] == 2
    assert predictions(found["late.example"]) == 0
    assert predictions(found["unrecorded.example"]) == 0


def test_a_merged_import_attaches_sources_as_predictions_while_open(db, clock, tmp_path):
    claim = add(db, clock, "Merged", "--topic", "Cast", "-s", "https://first.example/1")
    path = tmp_path / "more.jsonl"
    path.write_text(
        json.dumps({"text": "merged", "topic": "cast", "sources": ["https://second.example/1"]})
        + "\n"
    )
    clock.tick()
    assert db.ok("import", str(path)).stdout == "0 added, 1 updated, 0 unchanged\n"
    step(db, clock, "promote", claim, "--to", "confirmed")
    found = records(db)
    assert found["first.example"]["right"] == 1
    assert found["second.example"]["right"] == 1


def test_outlets_on_an_empty_or_missing_database(db, cli, tmp_path):
    assert db.json("outlets") == []
    assert db.ok("outlets").stdout == ""
    missing = type(cli)(tmp_path / "nowhere.json")
    assert_refused(missing("outlets"), 1)


def test_export_and_import_carry_the_settings_without_overwriting(db, cli, tmp_path):
    db.ok("config", "set", "outlet-min-settled", "3")
    db.ok("config", "set", "article.track-record", "on")
    document = json.loads(db.ok("export", "--format", "json").stdout)
    assert document["config"]["outlet-min-settled"] == 3
    assert document["config"]["article.track-record"] is True
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(document))
    copy = Cli(tmp_path / "copy" / "claims.json")
    copy.ok("init")
    copy.ok("config", "set", "outlet-min-settled", "7")
    copy.ok("import", str(path))
    shown = copy.json("config", "show")
    assert (shown["outlet-min-settled"], shown["article.track-record"]) == (7, True)


@pytest.mark.parametrize(
    ("name", "value"),
    [("outlet-min-settled", 0), ("outlet-min-settled", "5"), ("article.track-record", "on")],
)
def test_an_export_with_a_bad_setting_is_refused(db, db_path, tmp_path, name, value):
    document = json.loads(db.ok("export", "--format", "json").stdout)
    document["config"][name] = value
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    before = db_path.read_bytes()
    assert_refused(db("import", str(path)), 2, "config", name)
    assert db_path.read_bytes() == before


def test_track_records_follow_undo_because_they_are_never_stored(history, db):
    db.ok("promote", history["mill5"], "--to", "confirmed", "-s", NETFLIX.format(9))
    assert records(db)["rumormill.example"]["right"] == 1
    db.ok("undo")
    assert records(db)["rumormill.example"]["right"] == 0
    assert records(db)["rumormill.example"]["open"] == 1


def test_a_hand_edited_setting_that_is_not_valid_reads_as_its_default(history, db, db_path):
    document = json.loads(db_path.read_text())
    document["config"]["1"]["outlet-min-settled"] = "six"
    document["config"]["1"]["article.track-record"] = "yes"
    db_path.write_text(json.dumps(document))
    shown = db.json("config", "show")
    assert (shown["outlet-min-settled"], shown["article.track-record"]) == (5, False)
    assert records(db)["soompi.com"]["grade"] == "B"
    assert "Track record" not in db.ok("export").stdout


def test_a_merged_history_out_of_time_order_is_read_in_time_order(db, tmp_path):
    """Two copies' events appended one after the other: the second outlet's source came
    before the debunking in time, so it was a prediction."""
    added = {"at": "2026-03-01T00:00:00Z", "action": "added", "to": "rumor"}
    debunked = {"at": "2026-03-03T00:00:00Z", "action": "debunked", "from": "rumor"}
    attached = {"at": "2026-03-02T00:00:00Z", "action": "attached"}
    line = {
        "text": "Merged from two copies",
        "status": "debunked",
        "sources": ["https://one.example/1", "https://two.example/1"],
        "history": [
            {**added, "sources": ["https://one.example/1"]},
            {**debunked, "to": "debunked", "note": "Denied"},
            {**attached, "sources": ["https://two.example/1"]},
        ],
    }
    path = tmp_path / "merged.jsonl"
    path.write_text(json.dumps(line) + "\n")
    db.ok("import", str(path))
    found = records(db)
    assert (found["one.example"]["wrong"], found["two.example"]["wrong"]) == (1, 1)


def test_the_rounded_hit_rate_never_reaches_a_grade_it_misses(db, tmp_path):
    """60 of 67 is 89.55%: grade B, so the figure beside it says 89%, not 90%."""
    lines = [carried_line(f"right {n}", "https://edge.example/a", "confirmed") for n in range(60)]
    lines += [carried_line(f"wrong {n}", "https://edge.example/a", "debunked") for n in range(7)]
    (tmp_path / "edge.jsonl").write_text("\n".join(lines) + "\n")
    db.ok("import", str(tmp_path / "edge.jsonl"))
    [record] = db.json("outlets")
    assert (record["grade"], record["right"] + record["wrong"]) == ("B", 67)
    assert "\tB\t89% of 67\t" in db.ok("outlets").stdout


def test_imported_history_links_are_stored_like_the_sources(db, tmp_path):
    """A tracking parameter in an imported history still credits the outlet's source."""
    line = carried_line("Tracked", "https://WWW.Q.example/a?utm_source=x", "confirmed")
    (tmp_path / "tracked.jsonl").write_text(line + "\n")
    db.ok("import", str(tmp_path / "tracked.jsonl"))
    [claim] = db.json("list")
    assert claim["history"][0]["sources"] == ["https://www.q.example/a"]
    assert predictions(db.json("outlets")[0]) == 1


# --- review ------------------------------------------------------------------------------


def groups(db, *args: str, env: dict[str, str] | None = None) -> dict[str, list]:
    result = db("review", "--json", *args, env=env)
    return {group["group"]: group for group in json.loads(result.stdout)}


def test_nothing_to_review(db) -> None:
    assert db.ok("review").stdout == "Nothing needs a human.\n"
    assert db.ok("review", "--check").stdout == "Nothing needs a human.\n"
    found = db.json("review")
    assert [g["group"] for g in found] == ["leads", "merged", "overdue", "unsourced", "stale"]
    assert all(g["count"] == 0 and g["items"] == [] for g in found)


def test_each_group_and_check(db) -> None:
    logged_before = {"AOUSDCTL_NOW": "2026-09-01T00:00:00Z"}
    overdue = db.ok(
        "add", "Season 2 in October 2026", "--expected", "2026-10", "-q", env=logged_before
    )
    overdue = overdue.stdout.strip()
    db.add("Season 2 in 2027", "--expected", "2027")
    db.add("Filming wrapped in November 2025", "--expected", "November 2025")
    unsourced = db.add("Lomon returns", "--status", "reported")
    db.add("Netflix said so", "--status", "reported", "--source", "https://netflix.com/a")
    found = groups(db)
    assert [item["claim"] for item in found["overdue"]["items"]] == [overdue]
    assert [item["claim"] for item in found["unsourced"]["items"]] == [unsourced]
    assert found["stale"]["count"] == 0 and found["leads"]["count"] == 0
    result = db("review", "--check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Overdue predictions (1): ")
    assert f"  {overdue}  Season 2 in October 2026  (expected October 2026, still rumor)" in lines
    assert any(line.startswith("Reported claims with no source (1)") for line in lines)


def test_stale_after_is_configurable(db) -> None:
    claim = db.add("An old rumor")
    db.add("A confirmed fact", "--status", "confirmed", "--source", "https://netflix.com/a")
    later = {"AOUSDCTL_NOW": LATER}
    stale = groups(db, env=later)["stale"]
    assert stale["title"] == "Open claims unchanged for more than 90d"
    assert [item["claim"] for item in stale["items"]] == [claim]
    db.ok("config", "set", "stale-after", "15W")
    assert db.json("config", "show")["stale-after"] == "15w"
    assert groups(db, env=later)["stale"]["count"] == 0
    db.ok("config", "set", "stale-after", "30d")
    assert groups(db, env=later)["stale"]["count"] == 1
    for bad in ("3 months", "0d", "5y", "90", "\uff11\u0662d"):
        assert_refused(db("config", "set", "stale-after", bad), 2, "stale-after")
    db.ok("config", "set", "stale-after", "")
    assert db.json("config", "show")["stale-after"] == "90d"  # the default again
    assert groups(db, env=later)["stale"]["title"].endswith("90d")


def test_leads_waiting_are_listed(db, db_path: Path) -> None:
    teaser = lead_record(
        1,
        "Season 2 teaser [exclusive]",
        id="k3xq9m2a",
        link="https://www.soompi.com/a",
        published=None,
        feed="Soompi",
    )
    put_leads(db_path, teaser)
    assert groups(db)["leads"]["items"] == [
        {
            "lead": "k3xq9m2a",
            "text": "Season 2 teaser [exclusive]",
            "detail": "soompi.com via Soompi",
        }
    ]
    text = db("review", "--check")
    assert text.exit_code == 1
    assert "  lead k3xq9m2a  Season 2 teaser [exclusive]  (soompi.com via Soompi)" in text.stdout


def test_the_shipped_database_gives_an_editor_something_to_do(cli, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    shutil.copy(SHIPPED_DATABASE, db_path)
    before = db_path.read_bytes()
    result = cli("review", "--check")
    assert result.exit_code == 1
    # Its one expected date was logged after it passed: a claim about the past, not overdue.
    assert "Overdue predictions" not in result.stdout
    assert "Reported claims with no source" in result.stdout
    assert db_path.read_bytes() == before
