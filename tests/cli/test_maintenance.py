"""`init` and `doctor`: a new database, and a report naming every problem of one (`undo` has
its own file)."""

import json

import pytest

from aousdctl.service import parallel
from aousdctl.storage.migrations import SCHEMA_VERSION
from tests.support.files import edit_file
from tests.support.records import NETFLIX_TITLE, jsonl
from tests.support.runner import add_claim, assert_refused


def test_init_creates_the_folder_and_an_empty_versioned_database(cli, db_path):
    result = cli.ok("init", "--title", "Season 2 tracker")
    assert str(db_path) in result.stdout
    document = json.loads(db_path.read_text())
    assert document["_schema"] == {"1": {"version": SCHEMA_VERSION}}
    assert document["claims"] == {}
    assert document["config"]["1"]["title"] == "Season 2 tracker"
    assert "meta" not in document  # no counter that two clones would both change


def test_init_refuses_to_touch_an_existing_database(db, db_path):
    add_claim(db, "Filming started in 2023")
    before = db_path.read_bytes()
    assert_refused(db("init"), 1, "already exists")
    assert db_path.read_bytes() == before


def test_doctor_passes_a_healthy_database(db):
    add_claim(db, "x", "--status", "confirmed", "--source", NETFLIX_TITLE)
    assert db.ok("doctor").stdout.endswith("no problems in 1 claims\n")
    assert db.json("doctor") == {"ok": True, "claims": 1, "problems": [], "notices": []}


def the_claim(document):
    """The one claim of the database the doctor tests edit."""
    return next(iter(document["claims"].values()))


def renamed_claim(document, key):
    document["claims"] = {key: the_claim(document)}


ONE = "the claim's id"


@pytest.mark.parametrize(
    "change, claim, words",
    [
        (lambda d: the_claim(d).update(status="likely"), ONE, "unknown status"),
        (lambda d: the_claim(d).update(expected="late 2025"), ONE, "stored as EDTF ('2025-39')"),
        (lambda d: the_claim(d)["sources"].append({"url": "file:///etc/passwd"}), ONE, "http"),
        (lambda d: the_claim(d).update(sources=[]), ONE, "confirmed but has no supporting source"),
        (lambda d: the_claim(d).update(status="reported"), ONE, "history ends at confirmed"),
        (lambda d: the_claim(d).update(text="  "), ONE, "blank"),
        (lambda d: the_claim(d).update(created="yesterday"), ONE, "created"),
        (lambda d: d["removed"].update(d["claims"]), ONE, "used by a claim and"),
        (lambda d: renamed_claim(d, "1"), None, "isn't 8 letters and digits"),
        (lambda d: renamed_claim(d, "ABCDEFGH"), None, "isn't 8 letters and digits"),
        (lambda d: d["numbers"].update({"7": {"id": "nope"}}), None, "old number '7'"),
        (
            lambda d: d["topics"].update({"cast": {"name": "Crew", "heading": None}}),
            None,
            "under 'cast' name another topic",
        ),
        (lambda d: d["_schema"]["1"].update(version=99), None, "newer"),
    ],
)
def test_doctor_names_each_problem_and_exits_1_without_writing(db, db_path, change, claim, words):
    claim_id = add_claim(db, "x", "--status", "confirmed", "--source", NETFLIX_TITLE)
    claim = claim_id if claim == ONE else claim
    edit_file(db_path, change)
    before = db_path.read_bytes()
    report = json.loads(db("doctor", "--json").stdout)
    assert report["ok"] is False
    assert any(p["claim"] == claim and words in p["problem"] for p in report["problems"]), report
    result = db("doctor")
    assert result.exit_code == 1 and words in result.stdout
    assert db_path.read_bytes() == before


def test_doctor_reports_an_unparsable_file_and_duplicate_ids(db, db_path):
    db_path.write_text('{"schema_version": 3, "claims": {"1": {}, "1": {}}}')
    assert "repeats the key 1" in db("doctor").stdout
    db_path.write_text("{truncated")
    result = db("doctor")
    assert result.exit_code == 1 and "not valid JSON" in result.stdout


def test_doctor_of_a_database_checked_in_parts_names_every_problem_in_order(db, db_path, tmp_path):
    """Enough records to be checked in parts (in forked processes on a machine with several
    cores): problems at both ends of the claims and of the sources are all named, in order."""
    count = parallel.WORTH_SHARING // 2 + 50
    lines = [
        {"text": f"Claim {n}", "sources": [{"url": f"https://example.com/{n:05}"}]}
        for n in range(count)
    ]
    db.ok("import", str(jsonl(tmp_path, *lines)))

    def damage(document):
        keys = sorted(document["claims"])
        document["claims"][keys[0]]["text"] = " "
        document["claims"][keys[-1]]["status"] = "likely"
        urls = sorted(document["sources"])
        document["sources"][urls[0]]["outlet"] = "Somebody"
        document["sources"][urls[-1]]["title"] = "Not in its history"
        unrecorded = document["claims"][keys[-2]]["sources"][0]["url"]
        del document["sources"][unrecorded]

    edit_file(db_path, damage)
    result = db("doctor", "--json")
    report = json.loads(result.stdout)
    keys = sorted(json.loads(db_path.read_text())["claims"])
    named = [(p["claim"], p["problem"]) for p in report["problems"]]
    assert result.exit_code == 1 and report["claims"] == count
    claims_named = list(dict.fromkeys(claim for claim, _ in named if claim is not None))
    assert claims_named == [keys[0], keys[-1], keys[-2]]
    sources_named = [problem.split(": its")[0] for claim, problem in named if claim is None]
    assert sources_named == [
        "the source https://example.com/00000",
        f"the source https://example.com/{count - 1:05}",
    ]


def test_doctor_names_a_value_nested_too_deep_for_the_quick_parser(db, db_path):
    claim_id = add_claim(db, "x")
    edit_file(
        db_path, lambda d: d["claims"][claim_id].update(note=json.loads("[" * 300 + "]" * 300))
    )
    result = db("doctor")
    assert result.exit_code == 1 and f"{claim_id}" in result.stdout and "note" in result.stdout
    assert "unexpected" not in result.stderr


def test_doctor_reports_a_file_nested_too_deep_to_read(db, db_path):
    db_path.write_text('{"claims": ' + "[" * 5000 + "]" * 5000 + "}")
    result = db("doctor")
    assert result.exit_code == 1 and "nested too deeply" in result.stdout
    assert "unexpected" not in result.stderr
