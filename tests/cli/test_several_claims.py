"""promote, demote, debunk, rm and edit --tag/--untag/--topic on several claims at once:
all or nothing, one undo step, one line of output each."""

import json

import pytest

from tests.support.runner import assert_refused

SOURCE = "https://www.netflix.com/tudum/cast"


@pytest.fixture
def cast(db):
    """Three rumors about the cast, and one claim elsewhere."""
    ids = [
        db.add(text, "--topic", "Cast")
        for text in ("Lomon returns", "Cho Yi-hyun returns", "Park Ji-hoo returns")
    ]
    return db, ids


def statuses(db, ids):
    return [db.json("show", claim_id)["status"] for claim_id in ids]


def test_promote_moves_every_claim_and_prints_a_line_each(cast):
    db, ids = cast
    result = db.ok("promote", *ids, "--to", "confirmed", "--source", SOURCE)
    assert result.stdout.splitlines() == [
        f"Promoted claim {claim_id}: rumor -> confirmed" for claim_id in ids
    ]
    assert statuses(db, ids) == ["confirmed"] * 3
    for claim_id in ids:
        assert db.json("show", claim_id)["sources"][0]["url"] == SOURCE


def test_several_claims_are_one_undo_step(cast, db_path):
    db, ids = cast
    before = db_path.read_bytes()
    db.ok("promote", *ids)
    undone = db.ok("undo").stdout
    assert "(3 claims)" in undone
    assert statuses(db, ids) == ["rumor"] * 3
    assert json.loads(db_path.read_bytes())["claims"] == json.loads(before)["claims"]


@pytest.mark.parametrize(
    "bad, words",
    [
        ("zzzzzzzz", ["there is no claim zzzzzzzz", "nothing was changed"]),
        ("no-such!", ["'no-such!' is not a claim id"]),
        ("zz", ["zz", "at least 4"]),
    ],
)
def test_one_bad_id_changes_none_and_is_named(cast, db_path, bad, words):
    db, ids = cast
    before = db_path.read_bytes()
    assert_refused(db("promote", ids[0], bad, ids[1]), 2, *words)
    assert db_path.read_bytes() == before


def test_a_removed_claim_among_several_is_named(cast, db_path):
    db, ids = cast
    db.ok("rm", ids[2], "--yes")
    before = db_path.read_bytes()
    assert_refused(db("debunk", *ids, "--why", "x"), 2, f"claim {ids[2]} was removed")
    assert db_path.read_bytes() == before


def test_one_claim_the_rule_refuses_changes_none(cast, db_path):
    db, ids = cast
    db.ok("promote", ids[1], "--to", "confirmed", "-s", SOURCE)
    before = db_path.read_bytes()
    assert_refused(db("promote", *ids), 1, ids[1], "already confirmed")
    assert db_path.read_bytes() == before


def test_one_id_keeps_the_json_shape_scripts_know(cast):
    db, ids = cast
    one = json.loads(db.ok("promote", ids[0], "--json").stdout)
    assert isinstance(one, dict) and one["id"] == ids[0]
    several = json.loads(db.ok("promote", ids[1], ids[2], "--json").stdout)
    assert [claim["id"] for claim in several] == ids[1:]
    assert all(claim["status"] == "reported" for claim in several)
    assert several[0] == db.json("show", ids[1])


def test_quiet_prints_each_id_on_its_own_line(cast):
    db, ids = cast
    db.ok("promote", *ids)
    assert db.ok("demote", *ids, "--why", "Retracted", "-q").stdout.splitlines() == ids


def test_an_id_given_twice_is_changed_once(cast):
    db, ids = cast
    result = db.ok("promote", ids[0], ids[0][:5], ids[0].upper())
    assert result.stdout.splitlines() == [f"Promoted claim {ids[0]}: rumor -> reported"]
    assert statuses(db, ids[:1]) == ["reported"]


def test_debunk_gives_every_claim_the_reason(cast):
    db, ids = cast
    result = db.ok("debunk", ids[0], ids[1], "--why", "The agency denied it")
    assert result.stdout.splitlines() == [
        f"Debunked claim {ids[0]} (was rumor)",
        f"Debunked claim {ids[1]} (was rumor)",
    ]
    for claim_id in ids[:2]:
        assert db.json("show", claim_id)["history"][-1]["note"] == "The agency denied it"


def test_edit_retags_and_moves_several_claims_and_says_which_changed(cast):
    db, ids = cast
    db.ok("edit", ids[0], "--tag", "returning")
    result = db.ok("edit", *ids, "--tag", "returning", "--untag", "cast")
    assert result.stdout.splitlines() == [
        f"Claim {ids[0]} already reads that way; nothing changed",
        f"Edited claim {ids[1]}",
        f"Edited claim {ids[2]}",
    ]
    db.ok("edit", *ids, "--topic", "Returning cast")
    for claim_id in ids:
        claim = db.json("show", claim_id)
        assert (claim["topic"], claim["tags"]) == ("Returning cast", ["returning"])
        assert "topic: Cast → Returning cast" in claim["history"][-1]["note"]


def test_edit_refuses_one_claim_fields_for_several(cast, db_path):
    db, ids = cast
    before = db_path.read_bytes()
    for option in (["--text", "Same"], ["--note", "n"], ["--expected", "2026"]):
        assert_refused(db("edit", *ids[:2], *option), 2, "one claim at a time")
    assert db_path.read_bytes() == before


def test_moving_two_claims_that_say_the_same_into_one_topic_changes_none(cast, db_path):
    db, ids = cast
    twin = db.add("Lomon returns", "--topic", "Rumors")
    before = db_path.read_bytes()
    assert_refused(db("edit", ids[0], twin, "--topic", "Both"), 1, "already says this")
    assert db_path.read_bytes() == before


def test_rm_removes_several_with_yes(cast):
    db, ids = cast
    result = db.ok("rm", ids[0], ids[2], "--yes")
    assert result.stdout.splitlines() == [f"Removed claim {ids[0]}", f"Removed claim {ids[2]}"]
    assert [claim["id"] for claim in db.json("list")] == [ids[1]]
    db.ok("undo")
    assert len(db.json("list")) == 3


def test_rm_of_several_without_yes_off_a_terminal_is_refused(cast, db_path):
    db, ids = cast
    before = db_path.read_bytes()
    assert_refused(db("rm", *ids), 2, "--yes")
    assert db_path.read_bytes() == before


def test_the_help_names_several_ids(cast):
    db, _ = cast
    for command in ("promote", "demote", "debunk", "edit", "rm"):
        assert f"{command} [OPTIONS] ID..." in db.ok(command, "--help").stdout
