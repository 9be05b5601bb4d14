"""Scripting: JSON Lines import, undo, doctor, machine output, completion, the cron recipe."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import NOW, assert_refused
from helpers import add_claim
from test_processes import close_stdin, installed_command

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "https://www.netflix.com/title/81237994"


def jsonl(tmp_path: Path, *records: object, name: str = "claims.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path


LINES = [
    {
        "text": "Filming started in 2023",
        "topic": "Production",
        "status": "reported",
        "tags": ["filming"],
        "sources": [{"url": "https://example.com/f", "outlet": "Example"}],
    },
    {"text": "Season 2 premieres in late 2025", "topic": "Release", "expected": "2025-10"},
    {
        "text": "Netflix renewed the show",
        "status": "confirmed",
        "sources": [{"url": SOURCE}],
        "note": "June 2022",
    },
]


def test_json_lines_import_adds_then_changes_nothing(db, db_path, tmp_path):
    path = jsonl(tmp_path, *LINES)
    assert db.ok("import", str(path)).stdout == "3 added, 0 updated, 0 unchanged\n"
    # One import, one moment: the claims come oldest first, then by id.
    claims = db.json("list")
    assert [c["id"] for c in claims] == sorted(c["id"] for c in claims)
    claims.sort(key=lambda claim: claim["text"])
    assert [(c["status"], c["topic"]) for c in claims] == [
        ("reported", "Production"),
        ("confirmed", "General"),
        ("rumor", "Release"),
    ]
    assert claims[0]["sources"][0] == {
        "url": "https://example.com/f",
        "outlet": "Example",
        "title": None,
        "published": None,
    }
    assert claims[1]["history"][0]["at"] == NOW
    before = db_path.stat()
    assert db.ok("import", str(path)).stdout == "0 added, 0 updated, 3 unchanged\n"
    assert db_path.stat().st_mtime_ns == before.st_mtime_ns


def test_import_matches_like_add_and_reports_as_json(db, tmp_path):
    add_claim(db, "filming started in 2023", "--topic", "production")
    path = jsonl(
        tmp_path,
        LINES[0],
        LINES[1],
        {"text": "Season 2 premieres in LATE 2025", "topic": "release", "tags": ["guess"]},
    )
    summary = json.loads(db.ok("import", str(path), "--json").stdout)
    assert summary == {"added": 1, "updated": 1, "unchanged": 1}
    claims = db.json("list", "--topic", "release")
    assert [claim["tags"] for claim in claims] == [["guess"]]
    assert len(db.json("list")) == 2


def test_import_from_stdin(db):
    result = db.ok("import", "-", input=json.dumps({"text": "From a pipe"}) + "\n")
    assert result.stdout == "1 added, 0 updated, 0 unchanged\n"
    assert db.ok("import", "-", "--quiet", input="").stdout == ""


@pytest.mark.parametrize(
    "bad, words",
    [
        ("{not json", ["line 2", "not JSON"]),
        (json.dumps({"text": "x", "status": "likely"}), ["line 2", "status"]),
        (json.dumps({"text": "x", "sources": ["javascript:alert(1)"]}), ["line 2", "http"]),
        (json.dumps({"text": "   "}), ["line 2", "blank"]),
        (json.dumps({"topic": "no text"}), ["line 2", "text"]),
        (json.dumps({"text": "x", "expected": "soon"}), ["line 2", "YYYY"]),
        (json.dumps(["a", "list"]), ["line 2", "object"]),
        (json.dumps({"text": "x", "status": "confirmed"}), ["line 2", "source"]),
    ],
)
def test_one_bad_line_refuses_the_whole_file(db, db_path, tmp_path, bad, words):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(LINES[0]) + "\n" + bad + "\n" + json.dumps(LINES[1]) + "\n")
    before = db_path.read_bytes()
    assert_refused(db("import", str(path)), 2, *words, "nothing was imported")
    assert db_path.read_bytes() == before


def test_a_missing_import_file_is_bad_input(db, tmp_path):
    assert_refused(db("import", str(tmp_path / "nope.jsonl")), 2, "nope.jsonl")


def test_undo_reverts_the_last_change_and_walks_back(db, monkeypatch):
    first = add_claim(db, "Filming started in 2023")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-24T08:00:00Z")
    db.ok("promote", first, "--to", "confirmed", "--source", SOURCE)
    db.ok("rm", first, "--yes")
    assert db.ok("undo").stdout == f"Undid `rm` of 2026-11-24T08:00:00Z (claim {first})\n"
    assert db.json("show", first)["status"] == "confirmed"
    undone = json.loads(db.ok("undo", "--json").stdout)
    assert undone == {"command": "promote", "at": "2026-11-24T08:00:00Z", "claims": [first]}
    claim = db.json("show", first)
    assert (claim["status"], claim["sources"], len(claim["history"])) == ("rumor", [], 1)
    db.ok("undo")
    assert db.json("list") == []
    assert_refused(db("undo"), 1, "nothing to undo")
    assert add_claim(db, "Another claim") != first


def test_a_whole_import_is_one_undo(db, tmp_path):
    add_claim(db, "Before the import")
    db.ok("import", str(jsonl(tmp_path, *LINES)))
    assert db.ok("undo").stdout.startswith("Undid `import` of")
    assert [c["text"] for c in db.json("list")] == ["Before the import"]


def test_undone_changes_stay_visible_in_the_log(db, monkeypatch):
    claim_id = add_claim(db, "Filming started in 2023")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-24T08:00:00Z")
    db.ok("promote", claim_id)
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-25T08:00:00Z")
    db.ok("undo")
    entries = db.json("log")
    assert [(e["action"], e["from"], e["to"], e["undone"]) for e in entries] == [
        ("undone", "reported", "rumor", None),
        ("promoted", "rumor", "reported", "2026-11-25T08:00:00Z"),
        ("added", None, "rumor", None),
    ]
    assert "(undone 2026-11-25T08:00:00Z)" in db.ok("log").stdout


def test_undo_also_reverts_settings(db):
    db.ok("config", "set", "title", "First title")
    db.ok("config", "set", "title", "Second title")
    db.ok("undo")
    assert db.json("config", "show")["title"] == "First title"


def test_doctor_passes_a_healthy_database(db):
    add_claim(db, "x", "--status", "confirmed", "--source", SOURCE)
    assert db.ok("doctor").stdout.endswith("no problems in 1 claims\n")
    assert db.json("doctor") == {"ok": True, "claims": 1, "problems": [], "notices": []}


def edit_file(db_path: Path, change) -> None:
    document = json.loads(db_path.read_text())
    change(document)
    db_path.write_text(json.dumps(document))


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
        (lambda d: the_claim(d).update(expected="late 2025"), ONE, "YYYY"),
        (lambda d: the_claim(d)["sources"].append({"url": "file:///etc/passwd"}), ONE, "http"),
        (lambda d: the_claim(d).update(sources=[]), ONE, "confirmed but has no source"),
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
    claim_id = add_claim(db, "x", "--status", "confirmed", "--source", SOURCE)
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


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["show", "1"],
        ["log"],
        ["topic", "list"],
        ["config", "show"],
        ["doctor"],
        ["add", "y"],
        ["promote", "1"],
        ["edit", "1", "--tag", "t"],
        ["undo"],
        ["source", "add", "1", SOURCE],
        ["topic", "set", "General", "--order", "1"],
    ],
)
def test_every_command_that_prints_data_has_json(db, command):
    claim_id = add_claim(db, "x")
    if command[0] != "topic":
        command = [claim_id if arg == "1" else arg for arg in command]
    json.loads(db.ok(*command, "--json").stdout)


def test_shell_completion_completes_commands():
    env = {
        **os.environ,
        "_AOUSDCTL_COMPLETE": "complete_bash",
        "COMP_WORDS": "aousdctl pro",
        "COMP_CWORD": "1",
    }
    result = subprocess.run([installed_command()], env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["promote"]


def test_help_fits_80_columns(db):
    for command in ([], ["add"], ["export"], ["import"], ["list"], ["topic", "set"]):
        result = db(*command, "--help", env={"COLUMNS": "200"})
        assert max(len(line) for line in result.stdout.splitlines()) <= 80, command


@pytest.mark.slow  # a shell script, git and several aousdctl processes
def test_the_nightly_recipe_commits_once_then_changes_nothing(tmp_path):
    site = tmp_path / "site"
    bare_env = {"PATH": "/usr/bin:/bin", "AOUSDCTL": installed_command(), "AOUSDCTL_NOW": NOW}
    subprocess.run(["git", "init", "--quiet", str(site)], check=True)
    subprocess.run(
        [
            installed_command(),
            "--db",
            str(site / "db" / "claims.json"),
            "init",
            "--title",
            "Season 2",
        ],
        check=True,
        env=bare_env,
    )
    claims = jsonl(tmp_path, *LINES)

    def nightly() -> None:
        subprocess.run(
            ["sh", str(ROOT / "examples" / "nightly.sh"), str(site), str(claims)],
            check=True,
            env=bare_env,
            preexec_fn=close_stdin,  # as cron may start it: no stdin at all
            cwd="/",
        )

    def commits() -> int:
        return int(
            subprocess.run(
                ["git", "-C", str(site), "rev-list", "--count", "HEAD"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )

    nightly()
    article = (site / "explainer.md").read_bytes()
    database = (site / "db" / "claims.json").read_bytes()
    assert b"# Season 2" in article and b"Filming started in 2023" in article
    assert commits() == 1
    nightly()
    assert (site / "explainer.md").read_bytes() == article
    assert (site / "db" / "claims.json").read_bytes() == database
    assert commits() == 1
