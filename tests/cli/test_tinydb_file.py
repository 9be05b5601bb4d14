"""The database is a real TinyDB file: the lines README shows open it with TinyDB and run a
`Query`, every top-level key is a table TinyDB can read, and older files (the schema version a
bare number beside the tables) are read and written back in that shape."""

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from tinydb import Query, TinyDB

from aousdctl.errors import StorageError
from aousdctl.service.sharing import merge_files
from aousdctl.storage import migrations
from aousdctl.storage.database import AtomicJSONStorage, Records
from tests.support.paths import SHIPPED_DATABASE as SHIPPED
from tests.support.paths import SHIPPED_SCHEMA_3 as SCHEMA_3
from tests.support.readme import python_block
from tests.support.records import NETFLIX_TITLE as SOURCE


def readme_lines() -> str:
    """The lines README's storage section shows, exactly."""
    return python_block("Storage")


def run_readme_lines(capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], list[str]]:
    """Run README's lines in the current folder (each test's own, holding db/claims.json);
    returns the names they define and the lines they print."""
    capsys.readouterr()
    names: dict[str, Any] = {}
    exec(compile(readme_lines(), "README.md", "exec"), names)
    return names, capsys.readouterr().out.splitlines()


def confirmed_claims(cli: Any) -> list[str]:
    """What README's lines should print, as the program itself lists it."""
    return sorted(f"{c['id']} {c['text']}" for c in cli.json("list", "--status", "confirmed"))


def assert_every_table_reads(path: Path, table_class: type) -> None:
    """TinyDB lists every top-level key as a table, and each reads back as the file has it."""
    document = json.loads(path.read_text(encoding="utf-8"))
    with TinyDB(path, access_mode="r") as db:
        db.table_class = table_class
        assert db.tables() == set(document)
        for name in db.tables():
            read = {doc.doc_id: dict(doc) for doc in db.table(name).all()}
            assert read == document[name], name
    assert document["_schema"] == {"1": {"version": migrations.SCHEMA_VERSION}}


def test_readme_shows_tinydb_a_table_with_text_ids_and_a_query():
    lines = readme_lines()
    for shown in ("from tinydb import", "document_id_class = str", 'access_mode="r"', "Query()"):
        assert shown in lines


def test_the_readme_lines_query_the_shipped_database(cli, db_path, capsys):
    db_path.parent.mkdir(parents=True)
    shutil.copy(SHIPPED, db_path)
    names, printed = run_readme_lines(capsys)
    assert len(printed) >= 3
    assert sorted(printed) == confirmed_claims(cli)
    assert_every_table_reads(db_path, names["TextIds"])
    assert db_path.read_bytes() == SHIPPED.read_bytes()  # read-only: nothing rewritten


def test_tinydb_s_own_table_cannot_read_text_ids_which_is_why_readme_sets_its_own(db_path):
    db_path.parent.mkdir(parents=True)
    shutil.copy(SHIPPED, db_path)
    with TinyDB(db_path, access_mode="r") as db, pytest.raises(ValueError, match="int"):
        db.table("claims").all()


def test_the_readme_lines_query_a_database_made_through_the_cli(cli, db_path, capsys):
    cli.ok("init", "--title", "Fresh tracker")
    cli.add("Netflix has renewed the show", "--status", "confirmed", "--source", SOURCE)
    cli.add("Season 2 premieres in October")
    cli.ok("topic", "set", "Cast", "--heading", "Who's back?", "--new")
    cli.ok("config", "set", "intro", "Claims about Season 2.")
    names, printed = run_readme_lines(capsys)
    assert len(printed) == 1 and printed == confirmed_claims(cli)
    assert_every_table_reads(db_path, names["TextIds"])


def test_an_old_file_becomes_one_tinydb_reads_with_its_next_write(cli, db_path, capsys):
    db_path.parent.mkdir(parents=True)
    shutil.copy(SCHEMA_3, db_path)
    names, _ = run_readme_lines(capsys)
    with TinyDB(db_path, access_mode="r") as db, pytest.raises(AttributeError):
        db.table("schema_version").all()  # the bare number TinyDB took for a table
    cli.add("Filming wrapped")
    assert "schema_version" not in json.loads(db_path.read_text(encoding="utf-8"))
    assert_every_table_reads(db_path, names["TextIds"])


def test_the_merge_driver_merges_old_and_new_files_into_the_new_shape(
    cli, db_path, tmp_path, capsys
):
    db_path.parent.mkdir(parents=True)
    shutil.copy(SCHEMA_3, db_path)
    base = shutil.copy(db_path, tmp_path / "base.json")
    cli.add("Ours: filming wrapped")
    ours = shutil.copy(db_path, tmp_path / "ours.json")
    shutil.copy(base, db_path)
    cli.add("Theirs: a teaser is out")
    merge_files(Path(base), Path(ours), db_path)
    merged = json.loads(Path(ours).read_text(encoding="utf-8"))
    texts = {claim["text"] for claim in merged["claims"].values()}
    assert {"Ours: filming wrapped", "Theirs: a teaser is out"} <= texts
    names, _ = run_readme_lines(capsys)
    assert_every_table_reads(Path(ours), names["TextIds"])


OLD_SHAPE = {"schema_version": 8, "claims": {}, "config": {"1": {}}}
NEW_SHAPE = {"_schema": {"1": {"version": 8}}, "claims": {}, "config": {"1": {}}}


@pytest.mark.parametrize("document", [OLD_SHAPE, NEW_SHAPE], ids=["bare number", "table"])
def test_both_shapes_are_read_and_written_as_a_table(document):
    tables = migrations.upgrade(json.loads(json.dumps(document)), Path("claims.json"))
    assert "schema_version" not in tables and "_schema" not in tables
    written = migrations.versioned(tables)
    assert written["_schema"] == {"1": {"version": migrations.SCHEMA_VERSION}}
    assert "schema_version" not in written


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({**NEW_SHAPE, "schema_version": 8}, "table 'schema_version' is not a set of records"),
        ({**NEW_SHAPE, "_schema": {"1": {"version": 8, "by": "me"}}}, "no valid schema version"),
        ({**NEW_SHAPE, "_schema": {"1": {"version": 8}, "2": {}}}, "no valid schema version"),
        ({**NEW_SHAPE, "_schema": {"1": {"version": "8"}}}, "no valid schema version"),
        ({**NEW_SHAPE, "_schema": {"1": {"version": 999}}}, "newer than this aousdctl"),
        ({"claims": {}}, "no valid schema version"),
    ],
)
def test_a_schema_version_that_a_write_would_change_is_refused(document, words):
    """Whatever the next write would drop or rewrite is refused, never silently changed."""
    with pytest.raises(StorageError, match=re.escape(words)):
        migrations.upgrade(document, Path("claims.json"))


def test_records_are_tinydb_documents_under_their_own_ids(db, db_path):
    records = Records(db_path, storage=AtomicJSONStorage)
    claims = records.table("claims")
    with pytest.raises(TypeError, match="no counted ids"):
        claims.insert({"text": "A claim without an id"})
    claims.put("abcd2345", {"text": "Filming wrapped", "status": "rumor"})
    claims.put("abcd2345", {"text": "Filming wrapped"})  # replaced whole, not merged
    found = claims.search(Query().text == "Filming wrapped")
    assert [(doc.doc_id, dict(doc)) for doc in found] == [("abcd2345", {"text": "Filming wrapped"})]
    with pytest.raises(ValueError, match="already exists"):
        claims.insert_new([("abcd2345", {"text": "Another claim"})])
    claims.delete("abcd2345")
    assert claims.record("abcd2345") is None
    assert records.storage.pending  # in memory only until the command commits
