"""One definition of a valid claim: every writer refuses what `doctor` reports, and `doctor`
reports everything the readers would trip on."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.files import edit_file
from tests.support.runner import Cli, assert_refused

SOURCE = "https://example.com/report"
BAD_DATES = [
    "2026-00",
    "2026-01-00",
    "2026-00-10",
    "0000",
    "0999",
    "\uff12\uff10\uff12\uff15",  # fullwidth digits
    "2026-13",
    "2026-02-30",
]
BAD_TIMES = [
    "2026-13-45T25:61:61Z",
    "2026-00-01T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "0999-12-31T23:59:59Z",
    "\uff12\uff10\uff12\uff16-01-01T00:00:00Z",
    "2026-01-01T00:00:00",
    "2026-01-01 00:00:00Z",
]


def import_lines(db, tmp_path: Path, *records: dict[str, Any]):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return db("import", str(source))


def exported_record(db) -> dict[str, Any]:
    """A claim with sources and a full history, as `export --format json` writes it."""
    claim_id = db.add("Filming wrapped", "--source", SOURCE, "--expected", "2026-03")
    db.ok("promote", claim_id, "--to", "confirmed")
    record: dict[str, Any] = json.loads(db.ok("export", "--format", "json").stdout)["claims"][0]
    return record


# Dates and times --------------------------------------------------------------------------


@pytest.mark.parametrize("value", BAD_DATES)
def test_every_date_option_parses_a_real_calendar_date(db, db_path, value):
    first = db.add("A claim")
    before = db_path.read_bytes()
    for args in (
        ("add", "Another", "--expected", value),
        ("edit", first, "--expected", value),
        ("source", "add", first, SOURCE, "--published", value),
        ("export", "--changes-since", value),
    ):
        assert_refused(db(*args), 2)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("value", ["2026", "2026-02", "2024-02-29", "1000-01-01"])
def test_real_dates_at_each_precision_are_welcome(db, value):
    claim_id = db.add("A claim", "--expected", value)
    assert db.json("show", str(claim_id))["expected"] == value
    db.ok("export", "--changes-since", value)


@pytest.mark.parametrize("value", BAD_TIMES)
def test_imported_timestamps_are_real_times(db, db_path, tmp_path, value):
    record = exported_record(db)
    record["text"] = "Another claim"
    before = db_path.read_bytes()
    for field in ("created", "updated", "at"):
        changed = json.loads(json.dumps(record))
        if field == "at":
            changed["history"][-1]["at"] = value
        else:
            changed[field] = value
        assert_refused(import_lines(db, tmp_path, changed), 2, "line 1")
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("now", ["0999-06-01T00:00:00Z", "0001-01-01T00:00:00+00:00"])
def test_a_clock_before_the_year_1000_is_refused(db, db_path, now):
    before = db_path.read_bytes()
    assert_refused(db("add", "A claim", env={"AOUSDCTL_NOW": now}), 2, "AOUSDCTL_NOW")
    assert db_path.read_bytes() == before


def test_the_earliest_clock_gives_timestamps_every_reader_accepts(db, tmp_path):
    env = {"AOUSDCTL_NOW": "1000-01-01T00:00:00Z"}
    first = db.ok("add", "A claim", "--source", SOURCE, "-q", env=env).stdout.strip()
    db.ok("promote", first, env=env)
    db.ok("export", env=env)
    db.ok("log", env=env)
    assert json.loads(db.ok("doctor", "--json").stdout)["ok"] is True
    document = db.ok("export", "--format", "json").stdout
    (tmp_path / "copy.json").write_text(document, encoding="utf-8")
    db.ok("rm", first, "--yes")
    db.ok("import", str(tmp_path / "copy.json"))


# History ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda r: r["history"].append({**r["history"][-1], "action": "frobbed"}), "frobbed"),
        (lambda r: r["history"][-1].update(action="undone"), "undone"),
        (lambda r: r["history"][-1].update(to="reported"), "history ends at reported"),
        (lambda r: r["history"][-1].update({"from": "confirmed"}), "moves from confirmed"),
        (lambda r: r["history"][0].update(action="edited"), "start with the claim being added"),
        (lambda r: r["history"][-1].update(note="evil \x1b[2J\x1b]0;pwned\x07"), "control"),
        (lambda r: r["history"][-1].update(note="beep\x07"), "control"),
        (lambda r: r["history"][-1].update(sources=["https://x.example/\x1b[31m"]), "control"),
        (lambda r: r.update(history=[]), "history"),
    ],
)
def test_an_imported_history_must_be_consistent_and_clean(db, db_path, tmp_path, change, words):
    record = exported_record(db)
    record["text"] = "Another claim"
    change(record)
    before = db_path.read_bytes()
    assert_refused(import_lines(db, tmp_path, record), 2, words)
    assert db_path.read_bytes() == before


def test_an_exported_history_imports_as_it_was(db, tmp_path):
    record = exported_record(db)
    other = Cli(tmp_path / "other.json")
    other.ok("init")
    other.ok("import", str(_write(tmp_path / "in.jsonl", json.dumps(record))))
    assert other.json("list") == [record]


def test_an_imported_history_must_make_the_claim_it_comes_with(db, db_path, tmp_path):
    record = exported_record(db)
    record["text"] = "Another claim"  # the history says otherwise
    before = db_path.read_bytes()
    assert_refused(import_lines(db, tmp_path, record), 2, "its history makes it")
    assert db_path.read_bytes() == before


def _write(path: Path, text: str) -> Path:
    path.write_text(text + "\n", encoding="utf-8")
    return path


# Ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim_id", [0, -5, "7", "k3xq9m2!", "k3xq9m2ab", 1.5, True])
def test_an_imported_id_the_file_cannot_hold_is_refused(db, db_path, tmp_path, claim_id):
    document = json.loads(db.ok("export", "--format", "json").stdout)
    document["claims"] = [{"id": claim_id, "text": "A claim"}]
    before = db_path.read_bytes()
    result = db("import", str(_write(tmp_path / "doc.json", json.dumps(document))))
    assert_refused(result, 2, "id")
    assert db_path.read_bytes() == before
    db.ok("add", "Later writes still work")


@pytest.mark.parametrize("number", [2**64 - 2, 2**53, 1])
def test_any_old_number_imports_under_an_id_and_later_writes_still_work(db, tmp_path, number):
    document = json.loads(db.ok("export", "--format", "json").stdout)
    document["claims"] = [{"id": number, "text": "A claim"}]
    db.ok("import", str(_write(tmp_path / "doc.json", json.dumps(document))))
    [claim] = db.json("list")
    assert claim["text"] == "A claim" and len(claim["id"]) == 8
    db.ok("edit", claim["id"], "--note", "still writable")
    db.ok("add", "Another claim")
    db.ok("export")


# Bidirectional controls -------------------------------------------------------------------

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize("control", BIDI)
def test_bidirectional_controls_are_refused_in_one_line_fields(db, db_path, control):
    first = db.add("A claim")
    before = db_path.read_bytes()
    spoof = f"txt.{control}exe"
    for args in (
        ("add", spoof),
        ("add", "A claim", "--topic", spoof),
        ("add", "A claim", "--tag", spoof),
        ("edit", first, "--text", spoof),
        ("source", "add", first, SOURCE, "--outlet", spoof),
        ("source", "add", first, SOURCE, "--title", spoof),
        ("topic", "set", "General", "--heading", spoof),
        ("config", "set", "title", spoof),
    ):
        assert_refused(db(*args), 2, "bidirectional")
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    "text",
    [
        "시즌 2 촬영이 시작되었다",  # Korean
        "بدأ تصوير الموسم الثاني",  # Arabic
        "הצילומים לעונה השנייה החלו",  # Hebrew
    ],
)
def test_korean_arabic_and_hebrew_text_is_welcome(db, text):
    claim_id = db.add(text, "--topic", text, "--tag", text, "--note", text)
    db.ok("source", "add", str(claim_id), SOURCE, "--outlet", text, "--title", text)
    assert db.json("show", str(claim_id))["text"] == text
    assert text in db.ok("export").stdout
    assert json.loads(db.ok("doctor", "--json").stdout)["ok"] is True


# Doctor finds what the readers trip on -----------------------------------------------------


def _claim(document: dict[str, Any]) -> dict[str, Any]:
    """The first claim of a file that has one."""
    return next(iter(document["claims"].values()))


REMOVED = "zzzzzzz9"  # a removed claim's id
READER_BREAKERS: list[tuple[str, Callable[[dict[str, Any]], Any], tuple[str, ...]]] = [
    ("expected month 00", lambda d: _claim(d).update(expected="2020-00"), ("list", "--overdue")),
    ("expected not text", lambda d: _claim(d).update(expected=2020), ("list", "--overdue")),
    ("expected day 00", lambda d: _claim(d).update(expected="2020-01-00"), ("export",)),
    ("updated not a time", lambda d: _claim(d).update(updated="yesterday"), ("export",)),
    ("no note field", lambda d: _claim(d).pop("note"), ("export",)),
    ("history at missing", lambda d: _claim(d)["history"][0].update(at=None), ("log",)),
    ("history at a number", lambda d: _claim(d)["history"][0].update(at=5), ("export",)),
    ("history not a list", lambda d: _claim(d).update(history=7), ("log",)),
    ("event not an object", lambda d: _claim(d)["history"].append("x"), ("log",)),
    ("tags not a list", lambda d: _claim(d).update(tags=7), ("list", "--tag", "x")),
    ("removed at missing", lambda d: d["removed"].update({REMOVED: _removed(d)}), ("log",)),
]


def _removed(document: dict[str, Any]) -> dict[str, Any]:
    record = json.loads(json.dumps(_claim(document)))
    record["history"][-1]["at"] = None
    return record


@pytest.mark.parametrize(
    "change, reader", [pytest.param(c, r, id=name) for name, c, r in READER_BREAKERS]
)
def test_doctor_names_every_record_a_reader_trips_on(db, db_path, change, reader):
    first = db.add("A claim", "--source", SOURCE, "--expected", "2020-05")
    db.ok("promote", first)
    edit_file(db_path, change)
    failed = db(*reader)
    assert failed.exit_code == 1 and "Error:" in failed.stderr  # what a reader does today
    before = db_path.read_bytes()
    report = db("doctor", "--json")
    assert report.exit_code == 1
    problems = json.loads(report.stdout)["problems"]
    assert problems and all(p["claim"] in (first, REMOVED) for p in problems), problems
    assert db_path.read_bytes() == before


def test_doctor_reports_every_problem_of_a_record(db, db_path):
    db.add("A claim", "--source", SOURCE)
    edit_file(
        db_path,
        lambda d: _claim(d).update(
            text="bad\u202etext",
            expected="2026-13",
            created="2026-02-30T00:00:00Z",
            tags=["a", "A"],
        ),
    )
    problems = [p["problem"] for p in json.loads(db("doctor", "--json").stdout)["problems"]]
    for words in ("bidirectional", "expected", "created", "repeated"):
        assert any(words in problem for problem in problems), (words, problems)


def test_doctor_checks_topic_settings_the_article_reads(db, db_path):
    db.add("A claim", "--topic", "Cast")
    db.ok("topic", "set", "Cast", "--order", "1")
    db.ok("topic", "set", "Other", "--order", "2", "--new")
    edit_file(db_path, lambda d: next(iter(d["topics"].values())).update(order="first"))
    assert db("export").exit_code == 1
    report = db("doctor")
    assert report.exit_code == 1 and "order" in report.stdout


def test_doctor_refuses_an_id_key_of_other_digits(db, db_path):
    db.add("A claim")
    edit_file(db_path, lambda d: d["claims"].update({"\uff12": _claim(d)}))
    report = db("doctor")
    assert report.exit_code == 1 and "'\uff12'" in report.stdout


# Writers refuse what doctor reports ---------------------------------------------------------


def test_a_stored_record_with_a_problem_is_not_written_back_by_a_change(db, db_path):
    first = db.add("A claim", "--expected", "2026")
    edit_file(db_path, lambda d: _claim(d).update(created="2026-13-45T25:61:61Z"))
    before = db_path.read_bytes()
    assert_refused(db("edit", first, "--note", "x"), 2, "created")
    assert_refused(db("source", "add", first, SOURCE), 2, "created")
    assert db_path.read_bytes() == before


# Linear, not quadratic: behaviour here, speed in benchmarks/run.py -------------------------


def test_twenty_thousand_tags_are_deduplicated_ignoring_case(db, tmp_path):
    tags = [f"tag{number}" for number in range(10_000)]
    tags += [tag.upper() for tag in tags]
    import_lines(db, tmp_path, {"text": "Many tags", "tags": tags})
    assert db.json("list")[0]["tags"] == tags[:10_000]


def test_topic_list_counts_claims_per_topic_ignoring_case(db, tmp_path):
    records = [{"text": f"claim {n}", "topic": f"Topic {n % 300}"} for n in range(900)]
    records.append({"text": "one more", "topic": "topic 7"})
    assert import_lines(db, tmp_path, *records).exit_code == 0
    listed = db.json("topic", "list")
    counts = {topic["name"].casefold(): topic["claims"] for topic in listed}
    assert len(counts) == 300 and counts["topic 7"] == 4 and counts["topic 8"] == 3


def test_doctor_names_each_repeated_key_once(db, db_path):
    first = db.add("first")
    second = db.add("second")
    text = db_path.read_text(encoding="utf-8")
    record = json.dumps(json.loads(text)["claims"][first])
    repeated = text.replace(
        '"claims": {', f'"claims": {{"{second}": {record}, "{first}": {record},', 1
    )
    db_path.write_text(repeated, encoding="utf-8")
    report = db("doctor")
    assert report.exit_code == 1
    assert f"repeats the key {', '.join(sorted([first, second]))}:" in report.stdout


@pytest.mark.parametrize(
    "damage, words",
    [
        (lambda d, j: j.write_text("garbage"), "undo journal"),
        (lambda d, j: d["config"]["1"].update({"stale-after": "bogus"}), "stale-after"),
        (lambda d, j: d["config"]["1"].update({"title": 5}), "title"),
        (lambda d, j: d.setdefault("numbers", {}).update({"7": {"id": "zzzzzzzz"}}), "names no"),
    ],
    ids=["damaged journal", "bad stale-after", "title not text", "old number of nothing"],
)
def test_doctor_reports_what_sits_beside_the_claims(db, db_path, damage, words):
    db.add("A claim")
    journal = db_path.parent / ".claims.json.journal"
    edit_file(db_path, lambda document: damage(document, journal))
    report = db("doctor")
    assert report.exit_code == 1 and words in report.stdout, report.stdout


@pytest.mark.parametrize(
    "content",
    ['{"text": "a", "text": "b"}\n', '[{"text": "a", "topic": "X", "topic": "Y"}]'],
    ids=["a JSON Lines record", "an array record"],
)
def test_an_import_that_repeats_a_key_is_refused(db, db_path, tmp_path, content):
    before = db_path.read_bytes()
    assert_refused(db("import", "-", input=content), 2, "repeats the key")
    assert db_path.read_bytes() == before
