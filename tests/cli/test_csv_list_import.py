"""`list --csv` and `import` of CSV: a round trip through a spreadsheet keeps every field."""

import csv
import io
import json

import pytest

from tests.support.runner import assert_refused

FIELDS = ("id", "text", "status", "topic", "tags", "expected", "note")


@pytest.fixture
def varied(db):
    """Claims in every status with every field a cell must carry."""
    confirmed = db.add(
        "Netflix renewed the show", "--topic", "Renewal", "-s", "https://www.netflix.com/tudum/a"
    )
    db.ok("promote", confirmed, "--to", "confirmed")
    db.add(
        'Cheong-san says "we\'re back", again',
        "--topic",
        "Cast",
        "--tag",
        "hybrids, maybe",
        "--tag",
        "lead",
        "--note",
        "Two outlets agree;\nneither names a source.",
        "--expected",
        "2026-10",
        "-s",
        "https://example.com/a",
        "-s",
        "https://example.com/b?x=1",
    )
    db.add("Filming started in 2023", "--status", "reported", "-s", "https://example.com/f")
    false = db.add("Netflix cancelled Season 2", "--tag", "cancel")
    db.ok("debunk", false, "--why", "Netflix denied it")
    db.add("청산이 돌아온다", "--topic", "캐스트", "--note", "=1+1 stays text")
    return db


def kept(claim: dict) -> dict:
    """What a CSV row carries: every field but the sources' details and the history."""
    return {
        **{field: claim[field] for field in FIELDS},
        "sources": [source["url"] for source in claim["sources"]],
    }


def test_list_csv_into_a_new_database_gives_the_same_claims(varied, tmp_path):
    exported = tmp_path / "claims.csv"
    exported.write_bytes(varied.ok("list", "--csv").stdout_bytes)
    copy = tmp_path / "copy" / "claims.json"
    varied.ok("--db", str(copy), "init")
    assert varied.ok("--db", str(copy), "import", str(exported)).stdout == (
        "5 added, 0 updated, 0 unchanged\n"
    )
    original = [kept(claim) for claim in varied.json("list")]
    assert [kept(claim) for claim in varied.json("--db", str(copy), "list")] == original
    again = varied.ok("--db", str(copy), "import", str(exported)).stdout
    assert again == "0 added, 0 updated, 5 unchanged\n"


def spreadsheet_saved(content: bytes) -> bytes:
    """The same table as a spreadsheet saves it: a byte order mark, every cell quoted,
    plain line feeds, and the columns in another order."""
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))
    order = ["Text", "Topic", "Status", "Tags", "Sources", "Note", "Expected", "ID"]
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(order)
    for row in rows:
        writer.writerow([row[name.lower()] for name in order])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def test_a_round_trip_through_a_spreadsheets_csv_keeps_every_field(varied, tmp_path):
    original = [kept(claim) for claim in varied.json("list")]
    saved = spreadsheet_saved(varied.ok("list", "--csv").stdout_bytes)
    copy = tmp_path / "copy" / "claims.json"
    varied.ok("--db", str(copy), "init")
    varied.ok("--db", str(copy), "import", "-", input=saved.decode("utf-8"))
    assert [kept(claim) for claim in varied.json("--db", str(copy), "list")] == original


def test_list_csv_is_rfc_4180_with_a_header_row(varied):
    output = varied.ok("list", "--csv", "--topic", "Cast").stdout_bytes
    lines = output.split(b"\r\n")
    assert lines[0] == b"id,text,status,topic,tags,sources,expected,note,created,updated"
    assert lines[-1] == b""
    (row,) = csv.DictReader(io.StringIO(output.decode(), newline=""))
    assert row["text"] == 'Cheong-san says "we\'re back", again'
    assert row["tags"] == "hybrids, maybe\nlead\n"
    assert row["sources"] == "https://example.com/a https://example.com/b?x=1"
    assert row["note"] == "Two outlets agree;\nneither names a source."


def test_an_empty_listing_is_the_header_alone(db):
    assert db.ok("list", "--csv").stdout_bytes == (
        b"id,text,status,topic,tags,sources,expected,note,created,updated\r\n"
    )


def test_a_bad_row_imports_nothing_and_names_its_line(db, db_path, tmp_path):
    table = tmp_path / "bad.csv"
    table.write_text('text,status,note\nFine,rumor,"a\nnote"\nAlso fine,reported,\nBad,likely,\n')
    before = db_path.read_bytes()
    assert_refused(db("import", str(table)), 2, "line 5", "likely", "nothing was imported")
    assert db_path.read_bytes() == before


def test_a_csv_import_is_one_undo_step(db, tmp_path):
    table = tmp_path / "new.csv"
    table.write_text("text,topic\nA,Cast\nB,Cast\n")
    assert json.loads(db.ok("import", str(table), "--json").stdout) == {
        "added": 2,
        "updated": 0,
        "unchanged": 0,
    }
    db.ok("undo")
    assert db.json("list") == []


def test_csv_goes_with_no_other_format(db):
    for other in ("--json", "--jsonl"):
        assert_refused(db("list", "--csv", other), 2, "--csv")
