"""`edit` keeps what it replaces in the claim's history: the old text, and the old note."""

from tests.support.runner import Cli


def test_edit_note_keeps_the_old_note_in_the_history(db: Cli) -> None:
    claim_id = db.add("Filming started in 2023", "--note", "Per a casting call\nand a set photo")
    edited = db.json("edit", claim_id, "--note", "Per two outlets")
    assert edited["note"] == "Per two outlets"
    assert "note was: Per a casting call\nand a set photo" in edited["history"][-1]["note"]
    cleared = db.json("edit", claim_id, "--note", "")
    assert cleared["note"] is None
    assert "note was: Per two outlets" in cleared["history"][-1]["note"]
    written = db.json("edit", claim_id, "--note", "Confirmed by the studio")
    assert "note was: (none)" in written["history"][-1]["note"]
    assert db.ok("doctor").stdout.endswith("no problems in 1 claims\n")


def test_every_earlier_note_is_in_the_log(db: Cli) -> None:
    claim_id = db.add("Nam-ra returns", "--note", "first")
    db.ok("edit", claim_id, "--note", "second")
    db.ok("edit", claim_id, "--note", "third", "--text", "Nam-ra is back")
    log = db.ok("log", claim_id).stdout
    assert "note was: first" in log and "note was: second" in log
    assert "text was: Nam-ra returns" in log
