"""The database file: where it is, its format, migrations, the lock, and refusing anything that
could lose data."""

import fcntl
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aousdctl.cli import app
from aousdctl.storage.migrations import SCHEMA_VERSION
from tests.support.runner import add_claim, assert_refused


@pytest.mark.parametrize(
    "command",
    [["list"], ["show", "1"], ["add", "x"], ["promote", "1"], ["log"], ["rm", "1", "--yes"]],
)
def test_a_missing_database_is_never_created(cli, db_path, command):
    result = cli(*command)
    assert_refused(result, 1, str(db_path), "init")
    assert not db_path.parent.exists()


def test_the_file_is_pretty_printed_and_key_sorted(db, db_path):
    add_claim(db, "Filming started in 2023", "--tag", "filming")
    text = db_path.read_text()
    document = json.loads(text)
    assert text == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_ids_are_never_reused_after_removing_a_claim(db, db_path):
    first = add_claim(db, "one")
    second = add_claim(db, "two")
    db.ok("rm", second, "--yes")
    third = add_claim(db, "three")
    assert len({first, second, third}) == 3
    document = json.loads(db_path.read_text())
    assert set(document["claims"]) == {first, third} and set(document["removed"]) == {second}


def test_an_add_with_nothing_new_does_not_rewrite_the_file(db, db_path):
    add_claim(db, "Filming started in 2023", "--source", "https://example.com/a")
    stat = db_path.stat()
    result = db.ok("add", "filming   STARTED in 2023", "--source", "https://example.com/a")
    assert "nothing new" in result.stdout
    after = db_path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)


@pytest.mark.parametrize(
    "content, words",
    [
        (b'{"schema_version": 1, "claims": {"1": {"text": "trunc', ["not valid JSON"]),
        (b"", ["not valid JSON"]),
        (b"[1, 2, 3]", ["not an aousdctl database"]),
        (b'{"_default": {}}', ["not an aousdctl database"]),
        (b'{"schema_version": 99, "claims": {}}', ["newer", "upgrade"]),
        (b'{"schema_version": 1, "claims": []}', ["damaged"]),
    ],
)
def test_an_unusable_file_is_reported_and_left_untouched(db, db_path, content, words):
    db_path.write_bytes(content)
    for command in (["list"], ["add", "Filming started in 2023"], ["promote", "1"]):
        assert_refused(db(*command), 1, str(db_path), *words)
        assert db_path.read_bytes() == content
    assert sorted(p.name for p in db_path.parent.iterdir()) == [".gitignore", "claims.json"]


def test_a_directory_at_the_database_path_is_refused(cli, tmp_path):
    folder = tmp_path / "db" / "claims.json"
    folder.mkdir(parents=True)
    assert_refused(cli("list"), 1, "directory")
    assert_refused(cli("add", "x"), 1, "directory")


def test_a_locked_database_times_out_with_a_message_and_no_change(db, db_path, monkeypatch):
    add_claim(db, "one")
    before = db_path.read_bytes()
    monkeypatch.setenv("AOUSDCTL_LOCK_TIMEOUT", "0.2")
    with open(f"{db_path}.lock", "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)  # as another aousdctl process holds it
        assert_refused(db("add", "two"), 1, "busy", "try again")
        # Readers never wait for the lock: the file is only ever replaced whole.
        assert db.json("list")[0]["text"] == "one"
    assert db_path.read_bytes() == before
    add_claim(db, "two")


def test_a_lock_file_left_behind_does_not_block(db, db_path, monkeypatch):
    Path(f"{db_path}.lock").write_text("")
    monkeypatch.setenv("AOUSDCTL_LOCK_TIMEOUT", "0.2")
    assert db.json("show", add_claim(db, "one"))["text"] == "one"


def test_a_write_through_a_symlink_keeps_the_link(db, db_path, tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(db_path)
    assert CliRunner().invoke(app, ["--db", str(link), "add", "x"]).exit_code == 0
    assert link.is_symlink()
    assert [claim["text"] for claim in json.loads(db_path.read_text())["claims"].values()] == ["x"]


def test_the_database_path_comes_from_the_environment(cli, tmp_path, monkeypatch):
    other = tmp_path / "elsewhere" / "claims.json"
    monkeypatch.setenv("AOUSDCTL_DB", str(other))
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.stderr
    assert other.exists()


def test_the_default_database_is_db_claims_json_under_the_current_folder(tmp_path):
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "db" / "claims.json").exists()


def test_an_older_schema_is_migrated_when_read_and_written_back_on_the_next_change(db, db_path):
    version_1 = {
        "schema_version": 1,
        "claims": {
            "4": {
                "text": "Old claim",
                "status": "rumor",
                "topic": "General",
                "tags": [],
                "sources": [],
                "expected": None,
                "note": None,
                "created": "2026-01-01T00:00:00Z",
                "updated": "2026-02-01T00:00:00Z",
                "history": [],
            }
        },
        "removed": {},
        "config": {"1": {"title": "Old"}},
        "meta": {"1": {"next_claim_id": 5}},
    }
    db_path.write_text(json.dumps(version_1))
    assert db.json("show", "4")["text"] == "Old claim"
    assert json.loads(db_path.read_text())["schema_version"] == 1  # reading never rewrites
    new = add_claim(db, "New claim")
    document = json.loads(db_path.read_text())
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["topics"] == {}
    assert "meta" not in document
    old = document["numbers"]["4"]["id"]
    assert set(document["claims"]) == {old, new}
    assert db.json("show", "4")["id"] == old


def test_existing_database_migrates_and_merges(cli, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    event = {"at": "2026-01-01T00:00:00Z", "action": "added", "from": None, "to": "rumor"}
    record = {
        "text": "A",
        "status": "rumor",
        "topic": "General",
        "tags": [],
        "sources": [
            {
                "url": "https://X.com/a?utm_source=1",
                "outlet": "first",
                "title": "One",
                "published": None,
            },
            {"url": "https://x.com/a#c", "outlet": "second", "title": "Two", "published": None},
            {"url": "https://x.com/b", "outlet": "x.com", "title": None, "published": None},
        ],
        "expected": None,
        "note": None,
        "created": "2026-01-01T00:00:00Z",
        "updated": "2026-01-01T00:00:00Z",
        "history": [
            {
                **event,
                "note": None,
                "sources": ["https://X.com/a?utm_source=1", "https://x.com/a#c"],
            }
        ],
    }
    document = {
        "schema_version": 3,
        "claims": {"1": record},
        "removed": {},
        "config": {},
        "meta": {"1": {"next_claim_id": 2}},
        "topics": {},
        "journal": {},
    }
    db_path.write_text(json.dumps(document))
    shown = cli.json("show", "1")
    assert [(s["url"], s["outlet"]) for s in shown["sources"]] == [
        ("https://x.com/a", "first"),
        ("https://x.com/b", "x.com"),
    ]
    assert shown["history"][0]["sources"] == ["https://x.com/a"]
    assert json.loads(db_path.read_text())["schema_version"] == 3  # reading never rewrites
    cli.ok("config", "set", "title", "T")
    written = json.loads(db_path.read_text())
    assert next(iter(written["claims"].values()))["sources"][0]["url"] == "https://x.com/a"
    assert "feeds" in written and "leads" in written


@pytest.mark.parametrize(
    "variable, value, words",
    [
        ("AOUSDCTL_NOW", "yesterday", ["AOUSDCTL_NOW", "ISO-8601"]),
        ("AOUSDCTL_LOCK_TIMEOUT", "ten", ["AOUSDCTL_LOCK_TIMEOUT", "seconds"]),
        ("AOUSDCTL_DB", " ", ["--db"]),
    ],
)
def test_bad_settings_in_the_environment_are_bad_input(
    db, db_path, monkeypatch, variable, value, words
):
    before = db_path.read_bytes()
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(
        app, ["add", "x"] if variable == "AOUSDCTL_DB" else ["--db", str(db_path), "add", "x"]
    )
    assert_refused(result, 2, *words)
    assert db_path.read_bytes() == before


def test_the_clock_can_be_pinned_with_an_offset(db, monkeypatch):
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-24T09:30:00+09:00")
    assert db.json("add", "x")["created"] == "2026-11-24T00:30:00Z"
