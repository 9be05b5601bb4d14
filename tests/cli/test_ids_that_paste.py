"""Ids print without `#` wherever a user copies them, and `#id` is accepted where an id is."""

import re

import pytest

HASHED_ID = re.compile(r"#[0-9a-z]{4,8}\b")


@pytest.fixture
def claims(db):
    first = db.add("Netflix renewed the show", "--topic", "Renewal")
    late = db.add("Season 2 in October 2025", "--status", "reported", "--expected", "2025-10")
    return db, first, late


def test_every_output_a_user_copies_from_prints_bare_ids(claims):
    db, first, late = claims
    printed = [
        db.ok("promote", first).stdout,
        db.ok("list").stdout,
        db.ok("show", first).stdout,
        db.ok("log").stdout,
        db.ok("log", first).stdout,
        db.ok("review").stdout,
        db.ok("edit", late, "--tag", "dates").stdout,
        db("promote", "zzzzzzzz").stderr,
        db("debunk", first).stderr,
    ]
    for output in printed:
        assert not HASHED_ID.search(output), output
    assert any(line.startswith(f"{first}  ") for line in db.ok("log").stdout.splitlines())
    assert f"  {late}  Season 2 in October 2025" in db.ok("review").stdout


@pytest.mark.parametrize("command", [["show"], ["log"], ["show", "--json"]])
def test_an_id_pasted_with_its_hash_is_accepted(claims, command):
    db, first, _ = claims
    assert db.ok(*command, f"#{first}").stdout == db.ok(*command, first).stdout


def test_a_hashed_prefix_changes_the_claim(claims):
    db, first, _ = claims
    result = db.ok("promote", f"#{first[:5].upper()}", "--json")
    assert '"status": "reported"' in result.stdout
    db.ok("edit", f"#{first}", "--note", "From Tudum")
    assert db.json("show", first)["note"] == "From Tudum"


def test_a_hashed_id_that_names_nothing_is_reported_without_the_hash(claims):
    db, _, _ = claims
    result = db("show", "#zzzzzzzz")
    assert result.exit_code == 1
    assert "there is no claim zzzzzzzz" in result.stderr
