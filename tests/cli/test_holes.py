"""Holes found by trying to break it, through the command line: each test here failed
before its fix."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.feedserver import FeedServer, Reply
from tests.support.files import JOURNAL
from tests.support.runner import Cli, assert_refused


def edit_database(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change the database file as a hand edit (or another program) would."""
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, indent=2, sort_keys=True), encoding="utf-8")


# Old numbers that are not ASCII digits -------------------------------------------------------


def test_an_imported_old_number_that_is_not_ascii_digits_is_refused(db: Cli, db_path, tmp_path):
    claim_id = db.add("Filming started in 2023")
    document = json.loads(db.ok("export", "--format", "json").stdout)
    document["numbers"] = {"²": claim_id}
    (tmp_path / "doc.json").write_text(json.dumps(document), encoding="utf-8")
    before = db_path.read_bytes()
    assert_refused(db("import", str(tmp_path / "doc.json")), 2, "numbers")
    assert db_path.read_bytes() == before
    db.ok("list")


def test_a_stored_old_number_that_is_not_ascii_digits_is_reported_not_fatal(db: Cli, db_path):
    claim_id = db.add("Filming started in 2023")
    edit_database(db_path, lambda d: d.setdefault("numbers", {}).update({"²": {"id": claim_id}}))
    assert [claim["id"] for claim in db.json("list")] == [claim_id]
    db.ok("export")
    assert json.loads(db.ok("export", "--format", "json").stdout)["numbers"] == {}
    db.ok("edit", claim_id, "--note", "still writable")
    report = db("doctor")
    assert report.exit_code == 1 and "'²'" in report.stdout, report.stdout


def test_an_old_numbered_claim_keyed_by_a_non_ascii_digit_does_not_stop_the_upgrade(
    db: Cli, db_path
):
    """A file from before random ids (schema 4) whose claim key is "²" upgrades; the odd key
    is not taken for a number and doctor names it."""
    claim_id = db.add("Filming started in 2023")

    def to_numbered(document: dict[str, Any]) -> None:
        record = document["claims"].pop(claim_id)
        document["claims"] = {"1": record, "²": dict(record, text="Odd key")}
        document.pop("_schema", None)  # where the version is kept since schema 9
        document["schema_version"] = 4
        document["meta"] = {"1": {"next_claim_id": 3}}
        document.pop("numbers", None)

    edit_database(db_path, to_numbered)
    texts = sorted(claim["text"] for claim in db.json("list"))
    assert texts == ["Filming started in 2023", "Odd key"]
    report = db("doctor")
    assert report.exit_code == 1 and "'²'" in report.stdout


# A journal whose envelope is fine but an entry is not ---------------------------------------

BROKEN_ENTRIES = {
    "an empty change": {},
    "a change without its images": {"at": "x", "command": "add", "undone_at": None},
    "images that are not tables": {
        "at": "2026-11-23T12:00:00Z",
        "command": "add",
        "before": {"claims": ["k3xq9m2a"]},
        "undone_at": None,
        "reverted": None,
        "sealed": False,
    },
    "an undone change without what it reverted": {
        "at": "2026-11-23T12:00:00Z",
        "command": "add",
        "before": {"claims": {"k3xq9m2a": None}},
        "undone_at": "2026-11-23T12:00:00Z",
        "reverted": {"claims": {"k3xq9m2a": {"text": "no history"}}},
        "sealed": False,
    },
}


@pytest.mark.parametrize("entry", list(BROKEN_ENTRIES.values()), ids=list(BROKEN_ENTRIES))
def test_a_journal_with_a_broken_entry_is_reported_as_damaged(db: Cli, db_path, entry):
    db.add("Filming started in 2023")
    journal = db_path.parent / JOURNAL
    document = json.loads(journal.read_text(encoding="utf-8"))
    document["changes"].append(entry)
    journal.write_text(json.dumps(document), encoding="utf-8")
    before = db_path.read_bytes()
    for command in (["add", "x"], ["undo"], ["log"]):
        assert_refused(db(*command), 1, "undo journal", "damaged")
    assert db_path.read_bytes() == before
    report = db("doctor")
    assert report.exit_code == 1 and "undo journal" in report.stdout and "damaged" in report.stdout


def test_a_journal_whose_retired_ids_are_not_text_is_damaged(db: Cli, db_path):
    db.add("Filming started in 2023")
    journal = db_path.parent / JOURNAL
    document = json.loads(journal.read_text(encoding="utf-8"))
    document["retired"] = [{"id": 1}]
    journal.write_text(json.dumps(document), encoding="utf-8")
    assert_refused(db("add", "x"), 1, "undo journal", "damaged")


# Fetch limits that are not finite, or absurd --------------------------------------------------


@pytest.mark.parametrize("variable", ["AOUSDCTL_FETCH_TIMEOUT", "AOUSDCTL_FETCH_MAX_BYTES"])
@pytest.mark.parametrize("value", ["nan", "inf", "1e10", "-inf"])
def test_fetch_limits_must_be_finite_and_sane(db: Cli, monkeypatch, variable, value):
    db.ok("feed", "add", "--no-check", "https://example.com/rss")
    monkeypatch.setenv(variable, value)
    assert_refused(db("fetch"), 2, variable)


def test_a_content_length_of_non_ascii_digits_does_not_stop_the_fetch(
    db: Cli, feed_server: FeedServer
):
    body = b"<rss version='2.0'><channel><title>t</title></channel></rss>"
    answer = b"HTTP/1.0 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: \xb2\r\n"
    feed_server.routes["/odd"] = Reply(raw=answer + b"\r\n" + body)
    db.ok("feed", "add", feed_server.url("/odd"), "--name", "odd")
    result = db("fetch", "--json")
    assert "unexpected" not in result.stderr, result.stderr
    assert [row["feed"] for row in json.loads(result.stdout)] == ["odd"]


def test_a_byte_limit_must_be_a_whole_number(db: Cli, monkeypatch):
    db.ok("feed", "add", "--no-check", "https://example.com/rss")
    monkeypatch.setenv("AOUSDCTL_FETCH_MAX_BYTES", "0.5")
    assert_refused(db("fetch"), 2, "AOUSDCTL_FETCH_MAX_BYTES")


# A .gitignore that is a symlink ---------------------------------------------------------------


def test_a_symlinked_gitignore_is_written_through(db: Cli, db_path, tmp_path):
    shared = tmp_path / "shared-ignore"
    shared.write_text("*.bak\n", encoding="utf-8")
    link = db_path.parent / ".gitignore"
    link.unlink()
    link.symlink_to(shared)
    db.add("Filming started in 2023")
    assert link.is_symlink()
    lines = shared.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "*.bak" and "/.claims.json.journal" in lines


# An id argument of 100,000 characters ---------------------------------------------------------


@pytest.mark.parametrize("character", ["k", "ü", "1"])
def test_a_huge_id_or_name_argument_is_not_echoed_whole(db: Cli, character):
    db.add("Filming started in 2023")
    huge = character * 100_000
    commands = (["show", huge], ["promote", huge], ["log", huge], ["inbox", "dismiss", huge])
    for command in (*commands, ["feed", "rm", huge]):
        result = db(*command)
        assert result.exit_code in (1, 2) and len(result.stderr) < 300, result.stderr[:300]
        assert "100000 characters" in result.stderr


# Hosts that can't exist, and one outlet for an IDN host and its punycode -----------------------

IMPOSSIBLE = ["http://./", "http://-/", "http://a..example/", "https://-a.example/x"]
IMPOSSIBLE += ["https://a-.example/", "http://" + "a" * 64 + ".example/", "http://xn--zz-/"]


@pytest.mark.parametrize("url", IMPOSSIBLE)
def test_a_host_that_cannot_exist_is_refused_for_sources_and_feeds(db: Cli, db_path, url):
    claim_id = db.add("Filming started in 2023")
    before = db_path.read_bytes()
    assert_refused(db("add", "Another claim", "--source", url), 2)
    assert_refused(db("source", "add", claim_id, url), 2)
    assert_refused(db("feed", "add", url), 2)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    "url",
    [
        *("http://example.com./a", "http://1.2.3.4/", "http://[::1]:8080/", "http://localhost/"),
        *("https://한국.kr/a", "https://sub_domain.example.com/", "https://a-b.example/"),
    ],
)
def test_real_hosts_are_still_welcome(db: Cli, url):
    db.add("Filming started in 2023", "--source", url)


def test_an_idn_host_and_its_punycode_are_one_outlet(db: Cli):
    first = db.add("Filming started in 2023", "--source", "https://xn--3e0b707e.kr/one")
    second = db.add("Cheong-san returns", "--source", "https://한국.kr/two")
    db.ok("promote", first, "--to", "confirmed")
    db.ok("promote", second, "--to", "confirmed")
    outlets = db.json("outlets")
    assert [(row["outlet"], row["cited"]) for row in outlets] == [("xn--3e0b707e.kr", 2)]
    same = db.add("Nam-ra returns", "--source", "https://한국.KR/one")
    urls = [source["url"] for source in db.json("show", same)["sources"]]
    assert urls == ["https://xn--3e0b707e.kr/one"]  # the first claim's source, one link


def test_a_look_alike_host_stays_visibly_another_site(db: Cli):
    claim_id = db.add("Filming started in 2023", "--source", "https://\u0430pple.com/news")
    [source] = db.json("show", claim_id)["sources"]
    assert source["outlet"] == "xn--pple-43d.com"
    assert "xn--pple-43d.com" in db.ok("export").stdout


def test_an_outlet_stored_in_unicode_counts_with_its_punycode_spelling(db: Cli, db_path):
    first = db.add("Filming started in 2023", "--source", "https://xn--3e0b707e.kr/one")
    db.ok("promote", first, "--to", "confirmed")

    def unicode_outlet(document: dict[str, Any]) -> None:
        document["claims"][first]["sources"][0]["outlet"] = "한국.kr"

    edit_database(db_path, unicode_outlet)
    second = db.add("Cheong-san returns", "--source", "https://한국.kr/two")
    db.ok("promote", second, "--to", "confirmed")
    assert [row["cited"] for row in db.json("outlets")] == [2]
