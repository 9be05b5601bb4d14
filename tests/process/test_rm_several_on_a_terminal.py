"""`rm` of several claims on a terminal shows each one and asks once."""

from tests.support.terminal import answer_rm_prompt


def test_every_claim_is_shown_and_yes_removes_them_all(db, db_path):
    ids = [db.add("Lomon returns"), db.add("Cho Yi-hyun returns"), db.add("Kept")]
    output, code = answer_rm_prompt(db_path, [ids[0], ids[1][:5]], b"y\n")
    assert code == 0
    assert (
        f"Claim {ids[0]}: Lomon returns\nClaim {ids[1]}: Cho Yi-hyun returns\nRemove these 2? [y/N]"
    ).encode() in output
    assert f"Removed claim {ids[0]}\nRemoved claim {ids[1]}\n".encode() in output
    assert [claim["id"] for claim in db.json("list")] == [ids[2]]


def test_no_removes_none(db, db_path):
    ids = [db.add("Lomon returns"), db.add("Cho Yi-hyun returns")]
    output, code = answer_rm_prompt(db_path, ids, b"n\n")
    assert code == 0 and output.rstrip().endswith(b"Nothing removed.")
    assert len(db.json("list")) == 2
