"""Undo: exact, never reusing ids, bounded, only this clone's own changes; the journal file."""

import json
import os
from typing import Any

import pytest

from tests.support.files import JOURNAL, document, journal_of
from tests.support.records import IMPORT_LINES, jsonl
from tests.support.runner import add_claim, assert_refused

SOURCE = "https://www.netflix.com/title/81237994"


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
    db.ok("import", str(jsonl(tmp_path, *IMPORT_LINES)))
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


@pytest.fixture
def seeded(db, tmp_path):
    """A database with claims in every state, topic settings and both config keys unset/set."""
    db.ids = [
        db.add("Filming started in 2023", "--topic", "Production"),
        db.add("Season 2 has 12 episodes", "--topic", "Episodes", "--source", SOURCE),
        db.add("Netflix cancelled Season 2"),
    ]
    db.ok("promote", db.ids[1], "--to", "confirmed")
    db.ok("topic", "set", "Production", "--order", "1", "--heading", "Where is production?")
    export = tmp_path / "other.json"
    other = {
        "format": "aousdctl-export",
        "version": 1,
        "config": {"title": "Other title", "intro": "An intro from elsewhere."},
        "topics": [{"name": "Cast", "heading": "Who's back?", "order": 2, "intro": None}],
        "claims": [],
    }
    lines = [
        {"text": "Park Ji-hu returns", "topic": "Cast", "tags": ["returning"]},
        {"text": "Filming started in 2023", "topic": "Production", "sources": [SOURCE]},
    ]
    export.write_text(json.dumps(other))
    (tmp_path / "claims.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    return db


WRITES = {
    "add": ["add", "A new claim", "--tag", "new"],
    "add attaching": ["add", "Filming started in 2023", "--topic", "Production", "-s", SOURCE],
    "promote": ["promote", "#1"],
    "demote": ["demote", "#2", "--why", "Retracted"],
    "debunk": ["debunk", "#3", "--why", "Never happened"],
    "edit": ["edit", "#1", "--text", "Filming began in 2023", "--tag", "filming", "--note", "n"],
    "source add": ["source", "add", "#1", SOURCE, "--outlet", "Netflix"],
    "rm": ["rm", "#3", "--yes"],
    "import settings": ["import", "other.json"],
    "import lines": ["import", "claims.jsonl"],
    "topic set new": ["topic", "set", "Cast", "--heading", "Who's back?", "--order", "2", "--new"],
    "topic set existing": ["topic", "set", "Production", "--intro", "Where it stands."],
    "config set new key": ["config", "set", "intro", "A new intro."],
    "config set title": ["config", "set", "title", "Another title"],
}


def with_ids(seeded: Any, command: list[str]) -> list[str]:
    """The command with `#N` replaced by the id of the fixture's Nth claim."""
    return [seeded.ids[int(part[1:]) - 1] if part.startswith("#") else part for part in command]


def events_of(doc: Any) -> dict[str, str]:
    """Event id -> claim id (or source link) of every history event in a database document."""
    return {
        event["id"]: key
        for table in ("claims", "removed", "sources")
        for key, record in doc.get(table, {}).items()
        for event in record["history"]
    }


def without_tombstones(doc: Any) -> Any:
    return {name: table for name, table in doc.items() if name != "tombstones"}


@pytest.mark.parametrize("command", WRITES.values(), ids=list(WRITES))
def test_undo_restores_the_database_record_for_record(seeded, db_path, command):
    before = document(db_path)
    seeded.ok(*with_ids(seeded, command))
    changed = document(db_path)
    assert changed != before, "the command must change something"
    seeded.ok("undo")
    after = document(db_path)
    assert without_tombstones(after) == without_tombstones(before)
    # The events the change made are remembered as undone, so no other clone's copy of
    # them comes back (and nothing else is).
    made = events_of(changed).keys() - events_of(before).keys()
    assert {k: v.get("claim", v.get("source")) for k, v in after["tombstones"].items()} == {
        event_id: events_of(changed)[event_id] for event_id in made
    }


def test_undo_walks_back_through_several_changes_exactly(seeded, db_path):
    snapshots = []
    for command in WRITES.values():
        before = document(db_path)
        # Some refuse or change nothing after an earlier one: those are not journaled.
        seeded(*with_ids(seeded, command))
        if document(db_path) != before:
            snapshots.append(before)
    assert len(snapshots) >= 10
    for snapshot in reversed(snapshots):
        seeded.ok("undo")
        assert without_tombstones(document(db_path)) == without_tombstones(snapshot)


def test_an_undone_claim_is_not_brought_back_and_its_id_not_given_again(db, tmp_path):
    first = db.add("First claim")
    undone = db.add("An undone claim")
    export = tmp_path / "export.json"
    export.write_bytes(db.ok("export", "--format", "json").stdout.encode())
    db.ok("undo")
    db.ok("import", str(export))  # a copy made before the undo still holds the claim
    ids = {claim["text"]: claim["id"] for claim in db.json("list")}
    assert ids == {"First claim": first}
    lines = tmp_path / "again.jsonl"  # the same words, as a new claim naming that id
    lines.write_text(json.dumps({"id": undone, "text": "An undone claim"}) + "\n")
    db.ok("import", str(lines))
    again = {claim["text"]: claim["id"] for claim in db.json("list")}["An undone claim"]
    assert again not in (first, undone)
    assert db.add("Another claim") not in (first, undone, again)


def test_an_undone_claims_id_outlives_its_change_in_the_journal(db, monkeypatch):
    from aousdctl.storage import journal

    monkeypatch.setattr(journal, "CHANGE_LIMIT", 1)
    undone = db.add("An undone claim")
    db.ok("undo")
    db.ok("config", "set", "title", "A change that pushes the undone one out")
    db.ok("config", "set", "title", "And another")
    assert db.add("A new claim") != undone


def test_the_journal_keeps_the_newest_changes_within_its_limits(db, monkeypatch):
    from aousdctl.storage import journal

    monkeypatch.setattr(journal, "RECORD_FLOOR", 3)
    a = db.add("a")  # one image each: the claim as it was (none, for a new one)
    b = db.add("b")
    db.ok("promote", a)
    db.ok("promote", b)
    db.ok("edit", a, "--tag", "x")
    db.ok("undo")  # the edit, now with two images (before and reverted)
    db.ok("undo")  # promote 2: kept because this command undid it
    assert_refused(db("undo"), 1, "nothing to undo")
    states = {c["id"]: (c["status"], c["tags"]) for c in db.json("list")}
    assert states == {a: ("reported", []), b: ("rumor", [])}
    undone = [(e["claim"], e["action"]) for e in db.json("log") if e["undone"]]
    assert sorted(undone) == sorted([(a, "edited"), (b, "promoted")])
    monkeypatch.setattr(journal, "CHANGE_LIMIT", 1)
    db.add("c")
    db.add("d")
    db.ok("undo")
    assert_refused(db("undo"), 1, "nothing to undo")


@pytest.mark.slow
def test_import_and_undo_cycles_keep_the_journal_bounded(db, db_path, tmp_path):
    """Four imports of 5,000 claims, each undone: the journal never holds more than the
    newest change's images plus the ids of the undone claims (below the size of the
    database holding those 5,000 claims)."""
    lines = tmp_path / "many.jsonl"
    lines.write_text(
        "".join(
            json.dumps({"text": f"Imported claim {n}", "topic": f"T{n % 7}", "tags": ["bulk"]})
            + "\n"
            for n in range(5_000)
        )
    )
    largest = 0
    for _ in range(4):
        db.ok("import", str(lines))
        full = db_path.stat().st_size
        db.ok("undo")
        largest = max(largest, journal_of(db_path).stat().st_size)
    assert largest < full, (largest, full)
    assert db.json("list") == []


def test_undo_refuses_after_a_hand_edit_and_changes_nothing(db, db_path):
    first = db.add("Filming started in 2023")
    db.ok("promote", first)
    edited = document(db_path)
    edited["config"]["1"]["title"] = "Edited by hand"
    db_path.write_text(json.dumps(edited, indent=2))
    before, journal_before = db_path.read_bytes(), journal_of(db_path).read_bytes()
    assert_refused(db("undo"), 1, "nothing it can safely undo")
    assert db_path.read_bytes() == before
    assert journal_of(db_path).read_bytes() == journal_before
    # A change made after the outside one can be undone; the earlier ones can't any more.
    db.add("A later claim")
    db.ok("undo")
    assert document(db_path)["claims"] == edited["claims"]
    assert_refused(db("undo"), 1, "nothing it can safely undo")
    assert db.json("show", first)["status"] == "reported"


def test_writes_add_missing_ignore_lines_and_keep_the_others(db, db_path):
    ignore = db_path.parent / ".gitignore"
    ignore.write_text("*.bak\n/claims.json.lock")  # no final newline, one line missing
    db.add("Filming started in 2023")
    assert ignore.read_text() == f"*.bak\n/claims.json.lock\n/{JOURNAL}\n"
    db.add("Another")
    assert ignore.read_text() == f"*.bak\n/claims.json.lock\n/{JOURNAL}\n"


def test_the_old_journal_table_is_migrated_out_of_the_file(db, db_path):
    """Schema 3 kept the journal inside the database; its entries are dropped."""
    old = document(db_path)
    del old["_schema"]
    old["schema_version"] = 3
    old["journal"] = {
        "1": {
            "at": "2026-11-01T00:00:00Z",
            "command": "config set",
            "before": {"config": {"1": {}}},
            "undone_at": None,
        }
    }
    db_path.write_text(json.dumps(old, indent=2))
    db.add("A claim after the upgrade")
    migrated = document(db_path)
    assert "journal" not in migrated and migrated["_schema"]["1"]["version"] >= 4
    db.ok("undo")
    assert_refused(db("undo"), 1, "nothing to undo")
    assert document(db_path)["config"] == old["config"]


def test_log_shows_undone_changes_from_the_journal_file(db, db_path, monkeypatch):
    first = db.add("Filming started in 2023")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-24T08:00:00Z")
    db.ok("promote", first)
    db.ok("undo")
    assert "promoted" not in db_path.read_text()
    assert [(e["action"], e["undone"]) for e in db.json("log", first)] == [
        ("undone", None),
        ("promoted", "2026-11-24T08:00:00Z"),
        ("added", None),
    ]


def test_a_damaged_journal_is_reported_and_nothing_is_written(db, db_path):
    db.add("Filming started in 2023")
    journal_of(db_path).write_text("{not json")
    before = db_path.read_bytes()
    for command in (["add", "x"], ["undo"], ["log"]):
        assert_refused(db(*command), 1, "undo journal", "damaged")
    assert db_path.read_bytes() == before
    assert db.json("list")[0]["text"] == "Filming started in 2023"


def test_init_starts_a_fresh_journal(db, db_path):
    db.add("Filming started in 2023")
    db_path.unlink()
    db.ok("init")
    assert not journal_of(db_path).exists()
    assert_refused(db("undo"), 1, "nothing to undo")
    assert db.json("log") == []


def test_a_symlinked_database_keeps_its_journal_beside_the_real_file(cli, tmp_path):
    real = tmp_path / "real" / "claims.json"
    cli.db_path = real
    cli.ok("init")
    link = tmp_path / "link.json"
    os.symlink(real, link)
    cli.db_path = link
    cli.ok("add", "Filming started in 2023")
    assert (real.parent / JOURNAL).is_file() and not (tmp_path / ".link.json.journal").exists()
    cli.ok("undo")
    assert cli.json("list") == []


def test_a_journal_temporary_file_left_by_a_killed_writer_is_removed(db, db_path):
    db.add("Filming started in 2023")
    leftover = db_path.parent / f".{JOURNAL}.k3xq9m2a.tmp"
    leftover.write_text("half a journal")
    db.add("Filming started in 2023")  # a write that changes nothing still cleans up
    assert not leftover.exists()
    db.ok("undo")
    assert db.json("list") == []
