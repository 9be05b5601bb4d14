"""Claim ids: random, short, typed by prefix; old numbers keep working after the migration;
topics keyed by name."""

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from aousdctl.domain import ids
from tests.support.paths import SHIPPED_SCHEMA_3
from tests.support.runner import add_claim, assert_refused

SOURCE = "https://www.netflix.com/title/81237994"
AN_ID = re.compile(r"[0-9abcdefghjkmnpqrstvwxyz]{8}")
CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def expected_id(number: int, created: str) -> str:
    """The id the migration must give claim `number`: base32 of sha256's first 5 bytes."""
    value = int.from_bytes(hashlib.sha256(f"{number}:{created}".encode()).digest()[:5], "big")
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(35, -1, -5))


def draw(monkeypatch, *wanted: str) -> None:
    """Make the random source produce these ids, in this order."""
    values = iter(sum(CROCKFORD.index(c) << (5 * (7 - i)) for i, c in enumerate(w)) for w in wanted)
    monkeypatch.setattr(ids, "random_number", lambda: next(values))


@pytest.fixture
def shipped(cli, db_path):
    """A copy of the shipped database as it was at its old schema, with numbered claims."""
    db_path.parent.mkdir(parents=True)
    shutil.copy(SHIPPED_SCHEMA_3, db_path)
    return cli


def shipped_record(number: int) -> dict:
    return json.loads(SHIPPED_SCHEMA_3.read_text())["claims"][str(number)]


def test_new_ids_are_eight_random_characters_printed_whole_everywhere(db, tmp_path):
    lines = "".join(json.dumps({"text": f"claim {n}"}) + "\n" for n in range(60))
    db.ok("import", "-", input=lines)
    listed = db.json("list")
    assert len({claim["id"] for claim in listed}) == 60
    assert all(AN_ID.fullmatch(claim["id"]) for claim in listed)
    claim_id = add_claim(db, "one more")
    assert AN_ID.fullmatch(claim_id)
    assert db.ok("show", claim_id).stdout.startswith(f"Claim {claim_id} (rumor)\n")
    assert f"{claim_id}\trumor\tGeneral\tone more" in db.ok("list").stdout
    assert db.ok("log", claim_id).stdout.startswith(f"{claim_id}  ")
    promoted = db.ok("promote", claim_id[:4]).stdout
    assert promoted == f"Promoted claim {claim_id}: rumor -> reported\n"


def test_an_id_in_use_is_drawn_again_removed_claims_included(db, monkeypatch):
    draw(monkeypatch, "k3xq9m2a", "k3xq9m2a", "remvedxx", "k3xq9m2a", "remvedxx", "fresh000")
    assert add_claim(db, "first") == "k3xq9m2a"
    assert add_claim(db, "second") == "remvedxx"
    db.ok("rm", "remvedxx", "--yes")
    assert add_claim(db, "third") == "fresh000"


@pytest.mark.parametrize(
    "command",
    [
        ["show"],
        ["promote"],
        ["demote", "--note", "x"],
        ["debunk", "--note", "false"],
        ["edit", "--tag", "t"],
        ["source", "add", "--", SOURCE],
        ["log"],
        ["rm", "--yes"],
    ],
)
def test_every_command_takes_a_unique_prefix_of_four_characters(db, monkeypatch, command):
    draw(monkeypatch, "abcd0000", "abce1111")
    add_claim(db, "the claim", "--status", "reported")
    add_claim(db, "another claim")
    position = command.index("--") if "--" in command else len(command)
    for prefix in ("abcd", "ABCD0", "abcd0000"):
        args = [*command[:position], prefix, *command[position + 1 :]]
        if command[0] == "source":
            args = ["source", "add", prefix, SOURCE]
        result = db(*args)
        assert result.exit_code in (0, 1), (result.stdout, result.stderr)
        assert "there is no claim" not in result.stderr
        if result.exit_code == 1:  # a move the ladder no longer allows: the claim was found
            assert "abcd0000" in result.stderr
    log = db.json("log")
    assert {entry["claim"] for entry in log} >= {"abcd0000", "abce1111"}


def test_an_ambiguous_prefix_is_bad_input_naming_the_candidates(db, db_path, monkeypatch):
    draw(monkeypatch, "abcd0000", "abcd1111")
    add_claim(db, "one")
    add_claim(db, "two")
    before = db_path.read_bytes()
    assert_refused(db("promote", "abcd"), 2, "abcd0000", "abcd1111")
    assert db_path.read_bytes() == before
    assert db.json("show", "abcd1")["text"] == "two"


@pytest.mark.parametrize(
    "reference, code, words",
    [
        ("abc", 1, ["no claim abc", "at least 4"]),
        ("zzzz", 1, ["no claim zzzz"]),
        ("abcd00001", 2, ["not a claim id"]),
        ("ab!d", 2, ["not a claim id"]),
        ("", 2, ["not a claim id"]),
    ],
)
def test_a_short_unknown_or_malformed_id_is_refused(db, monkeypatch, reference, code, words):
    draw(monkeypatch, "abcd0000")
    add_claim(db, "one")
    for command in (["show", reference], ["promote", reference], ["log", reference]):
        assert_refused(db(*command), code, *words)


def test_the_shipped_database_keeps_answering_to_old_numbers(shipped, db_path):
    record = shipped_record(7)
    seven = expected_id(7, record["created"])
    assert shipped.json("show", "7")["id"] == seven  # reading migrates, without a write
    assert json.loads(db_path.read_text())["schema_version"] == 3
    assert shipped.ok("promote", "7").stdout == f"Promoted claim {seven}: rumor -> reported\n"
    assert shipped.json("show", seven[:4])["text"] == record["text"]
    document = json.loads(db_path.read_text())
    assert "meta" not in document
    assert sorted(document["claims"]) == sorted(
        expected_id(int(number), claim["created"])
        for number, claim in json.loads(SHIPPED_SCHEMA_3.read_text())["claims"].items()
    )
    assert document["numbers"]["7"] == {"id": seven} and len(document["numbers"]) == 25
    assert shipped.json("doctor")["ok"] is True


def test_two_clones_migrating_on_their_own_get_the_same_ids(tmp_path):
    from typer.testing import CliRunner

    from aousdctl.cli import app

    clones = [tmp_path / "a.json", tmp_path / "b.json"]
    for clone in clones:
        shutil.copy(SHIPPED_SCHEMA_3, clone)
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(clones[0]), "promote", "7"]).exit_code == 0
    debunked = runner.invoke(app, ["--db", str(clones[1]), "debunk", "13", "--note", "no"])
    assert debunked.exit_code == 0
    a, b = (json.loads(clone.read_text()) for clone in clones)
    assert sorted(a["claims"]) == sorted(b["claims"])
    assert a["numbers"] == b["numbers"]
    assert a["topics"] == b["topics"]
    differing = [key for key in a["claims"] if a["claims"][key] != b["claims"][key]]
    assert sorted(differing) == sorted([a["numbers"]["7"]["id"], a["numbers"]["13"]["id"]])


def old_database(path: Path) -> None:
    """A database from before random ids: claim 1234 and the removed claim 5."""

    def record(text: str, created: str, status: str = "rumor") -> dict:
        return {
            "text": text,
            "status": status,
            "topic": "Cast",
            "tags": [],
            "sources": [],
            "expected": None,
            "note": None,
            "created": created,
            "updated": created,
            "history": [
                {
                    "at": created,
                    "action": "added",
                    "from": None,
                    "to": "rumor",
                    "note": None,
                    "sources": [],
                }
            ],
        }

    removed = record("Gone", "2026-01-02T00:00:00Z")
    removed["history"].append(
        {
            "at": "2026-01-03T00:00:00Z",
            "action": "removed",
            "from": "rumor",
            "to": None,
            "note": None,
            "sources": [],
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "schema_version": 3,
                "claims": {"1234": record("Old claim", "2026-01-01T00:00:00Z")},
                "removed": {"5": removed},
                "config": {"1": {"title": "Old"}},
                "meta": {"1": {"next_claim_id": 1235}},
                "topics": {
                    "1": {"name": "Cast", "heading": "Who?", "order": 1, "intro": None},
                    "2": {"name": "Release", "heading": None, "order": None, "intro": None},
                },
                "journal": {},
            }
        )
    )


def test_an_exact_old_number_wins_over_a_prefix_and_removed_claims_keep_theirs(
    cli, db_path, monkeypatch
):
    old_database(db_path)
    draw(monkeypatch, "1234abcd")
    assert add_claim(cli, "New claim", "--topic", "Cast") == "1234abcd"
    assert cli.json("show", "1234")["text"] == "Old claim"
    assert cli.json("show", "1234a")["text"] == "New claim"
    gone = expected_id(5, "2026-01-02T00:00:00Z")
    assert_refused(cli("show", "5"), 1, f"claim {gone} was removed")
    assert [entry["action"] for entry in cli.json("log", "5")] == ["removed", "added"]
    assert cli.json("doctor")["ok"] is True


def test_topics_are_keyed_by_name_so_clones_adding_topics_do_not_collide(cli, db_path, tmp_path):
    old_database(db_path)
    cli.ok("topic", "set", "cast", "--order", "2")
    document = json.loads(db_path.read_text())
    assert document["topics"] == {
        "cast": {"name": "Cast", "heading": "Who?", "order": 2, "intro": None},
        "release": {"name": "Release", "heading": None, "order": None, "intro": None},
    }
    clone = tmp_path / "clone.json"
    shutil.copy(db_path, clone)
    cli.ok("topic", "set", "Episodes", "--order", "3", "--new")
    from typer.testing import CliRunner

    from aousdctl.cli import app

    result = CliRunner().invoke(
        app, ["--db", str(clone), "topic", "set", "Tone", "--order", "3", "--new"]
    )
    assert result.exit_code == 0
    mine = json.loads(db_path.read_text())["topics"]
    theirs = json.loads(clone.read_text())["topics"]
    assert set(mine) - set(theirs) == {"episodes"} and set(theirs) - set(mine) == {"tone"}


def test_an_old_export_with_numbers_imports_under_the_derived_ids(db, tmp_path):
    record = {**shipped_record(7), "id": 7}
    document = {
        "format": "aousdctl-export",
        "version": 1,
        "config": {},
        "topics": [],
        "claims": [record],
    }
    path = tmp_path / "old-export.json"
    path.write_text(json.dumps(document))
    db.ok("import", str(path))
    (claim,) = db.json("list")
    assert claim["id"] == expected_id(7, record["created"])


def test_an_export_keeps_its_ids_and_old_numbers_where_free(shipped, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from aousdctl.cli import app

    exported = tmp_path / "export.json"
    exported.write_text(shipped.ok("export", "--format", "json").stdout)
    seven = expected_id(7, shipped_record(7)["created"])
    target = tmp_path / "target.json"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(target), "init"]).exit_code == 0
    draw(monkeypatch, seven, "athe0000")  # this database already uses claim 7's id
    taken = runner.invoke(app, ["--db", str(target), "add", "Something else", "--quiet"])
    assert taken.stdout == f"{seven}\n"
    assert runner.invoke(app, ["--db", str(target), "import", str(exported)]).exit_code == 0
    copied = json.loads(runner.invoke(app, ["--db", str(target), "list", "--json"]).stdout)
    original = shipped.json("list")
    (moved,) = {c["id"] for c in copied} - {c["id"] for c in original}
    by_id = {c["id"]: c for c in copied}
    assert by_id[seven]["text"] == "Something else"  # this database's claim keeps its id
    assert by_id[moved]["text"] == shipped_record(7)["text"]  # claim 7 gets another, and says so
    assert f"it had the id {seven}" in by_id[moved]["history"][-1]["note"]
    numbers = json.loads(target.read_text())["numbers"]
    assert "7" not in numbers  # claim 7 came in under a new id: its number stays unclaimed
    assert numbers["8"] == {"id": expected_id(8, shipped_record(8)["created"])}


def test_oldest_first_is_by_creation_time_then_by_id(db, monkeypatch):
    draw(monkeypatch, "zzzz0000", "00000000", "mmmm0000", "aaaa0000")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-23T12:00:00Z")
    add_claim(db, "added first, created later")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-23T13:00:00Z")
    add_claim(db, "created last")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-23T11:00:00Z")
    add_claim(db, "same second, later id")
    add_claim(db, "same second, earlier id")
    expected = [
        "same second, earlier id",
        "same second, later id",
        "added first, created later",
        "created last",
    ]
    assert [claim["text"] for claim in db.json("list")] == expected
    article = db.ok("export").stdout.split("## General")[1]
    assert [line[2:] for line in article.splitlines() if line.startswith("- ")] == [
        f"{text} (rumored since 23 November 2026; *unsourced*)" for text in expected
    ]
