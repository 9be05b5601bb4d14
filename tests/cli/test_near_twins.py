"""`add` and near twins: a note naming a claim it nearly repeats, a refusal (unless --force)
when that claim was debunked, and the exact match attaching to the claim as before."""

import json

import pytest

from tests.support.runner import assert_refused

CANCELLED = "Netflix cancelled Season 2"
WHY = "The June 2022 renewal stands"


def note_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Note: ")]


@pytest.fixture
def debunked(db) -> str:
    claim_id = db.add(CANCELLED, "--topic", "Renewal")
    db.ok("debunk", claim_id, "--why", WHY)
    return claim_id


@pytest.mark.parametrize(
    "text, topic, closeness",
    [
        ("Netflix cancelled Season 2.", "Renewal", "same words"),  # a full stop
        ("netflix cancelled season 2", "Rumors", "same words"),  # another topic
        ("Season 2: Netflix cancelled", "Renewal", "same words"),  # another order
        ("Netflix has cancelled Season 2", "Renewal", "% alike"),  # one word more
    ],
)
def test_a_near_twin_is_named_and_the_claim_added(db, text, topic, closeness):
    twin = db.add(CANCELLED, "--topic", "Renewal")
    result = db.ok("add", text, "--topic", topic)
    assert result.stdout.startswith("Added claim ")
    [note] = note_lines(result)
    assert note.startswith(
        f'Note: claim {twin} says nearly the same: "{CANCELLED}" (Renewal, rumor; '
    )
    assert closeness in note
    assert len(db.json("list")) == 2


@pytest.mark.parametrize(
    "text, topic",
    [
        ("Netflix cancelled Season 2.", "Renewal"),
        ("netflix cancelled season 2", "Rumors"),
        ("Netflix has cancelled Season 2", "Renewal"),
        ("Netflix cancelled Season 2 after the long silence", "Release"),
    ],
)
def test_a_near_twin_of_a_debunked_claim_is_refused_with_exit_2(db, db_path, debunked, text, topic):
    before = db_path.read_bytes()
    result = db("add", text, "--topic", topic, "--source", "https://example.com/a")
    assert_refused(result, 2, f"claim {debunked}", CANCELLED, "debunked", WHY, "--force")
    assert db_path.read_bytes() == before


def test_force_adds_it_all_the_same_and_still_names_the_debunked_twin(db, debunked):
    result = db.ok("add", "Netflix has cancelled Season 2", "--force", "--json")
    added = json.loads(result.stdout)  # stdout stays one JSON document
    assert added["text"] == "Netflix has cancelled Season 2" and added["status"] == "rumor"
    [note] = note_lines(result)
    assert f"claim {debunked}" in note and f"debunked: {WHY}" in note
    assert len(db.json("list")) == 2


def test_quiet_prints_only_the_id_and_the_note_goes_to_stderr(db):
    twin = db.add("Lomon returns as Lee Su-hyeok", "--topic", "Cast")
    result = db.ok("add", "Lomon returns as Lee Su-hyeok.", "--topic", "Cast", "--quiet")
    assert len(result.stdout.split()) == 1 and twin not in result.stdout
    assert [f"claim {twin}" in note for note in note_lines(result)] == [True]


def test_the_exact_match_still_attaches_to_the_claim_without_a_note(db):
    claim_id = db.add(CANCELLED, "--topic", "Renewal")
    result = db.ok(
        "add", "netflix  cancelled season 2", "--topic", "renewal", "-s", "https://a.example/"
    )
    assert result.stdout == f"Claim {claim_id} already says this; attached 1 new source\n"
    assert result.stderr == ""
    assert len(db.json("list")) == 1


def test_the_exact_match_of_a_debunked_claim_is_refused_as_before_even_with_force(db, debunked):
    result = db("add", CANCELLED, "--topic", "Renewal", "--force")
    assert_refused(result, 1, f"claim {debunked}", "debunked", WHY)


@pytest.mark.parametrize(
    "text",
    [
        "Netflix has not cancelled Season 2",  # its denial
        "Netflix cancelled Season 3",  # another number
        "Netflix renewed Season 2 in June 2022",  # other words
    ],
)
def test_what_says_something_else_is_added_without_a_note(db, debunked, text):
    result = db.ok("add", text, "--topic", "Renewal")
    assert result.stdout.startswith("Added claim ") and result.stderr == ""


def test_at_most_three_twins_are_named_the_same_words_first(db):
    ids = [db.add(f"Lomon returns as Lee Su-hyeok, says {who}") for who in ("Ann", "Bo", "Cy")]
    same = db.add("Lee Su-hyeok returns as Lomon")
    notes = note_lines(db.ok("add", "Lomon returns as Lee Su-hyeok"))
    assert len(notes) == 3
    assert f"claim {same}" in notes[0] and "same words" in notes[0]
    assert all(any(f"claim {i}" in note for i in ids) for note in notes[1:])
