"""Claim ids (`domain.ids`), called directly: drawing, deriving and resolving what people type."""

import pytest

from aousdctl.domain import ids
from aousdctl.errors import BadInput, NotFound

KNOWN = ["abcd0000", "abcd1111", "bcde2345", "k3xq9m2a"]
NUMBERS = {"7": "nr182ckq", "1234": "zz000000"}


def resolve(reference: str) -> str:
    return ids.resolve(reference, [*KNOWN, "nr182ckq", "zz000000", "1234abcd"], NUMBERS)


@pytest.mark.parametrize(
    ("reference", "found"),
    [
        ("k3xq9m2a", "k3xq9m2a"),  # a whole id
        ("k3xq", "k3xq9m2a"),  # a unique prefix of 4
        (" K3XQ9 ", "k3xq9m2a"),  # any case, spaces around
        ("abcd1", "abcd1111"),
        ("7", "nr182ckq"),  # an old number
        ("1234", "zz000000"),  # an old number wins over the prefix of 1234abcd
        ("1234a", "1234abcd"),
    ],
)
def test_a_reference_names_one_claim(reference, found):
    assert resolve(reference) == found


def test_look_alike_letters_read_as_the_digits_they_resemble():
    assert ids.normalized(" I0LO ") == "1010"
    assert ids.resolve("abcdOOOO", KNOWN, {}) == "abcd0000"
    assert ids.resolve("ABCDiLlI", KNOWN, {}) == "abcd1111"


def test_an_ambiguous_prefix_is_refused_naming_the_ids_it_starts():
    with pytest.raises(BadInput, match=r"abcd is the start of 2 claim ids \(abcd0000, abcd1111\)"):
        resolve("abcd")


def test_an_ambiguous_prefix_names_at_most_ten_candidates():
    many = [f"abcd{n:04d}" for n in range(12)]
    with pytest.raises(BadInput, match=r"of 12 claim ids \(abcd0000, .*, abcd0009, \.\.\.\)"):
        ids.resolve("abcd", many, {})


@pytest.mark.parametrize(
    ("reference", "error", "words"),
    [
        ("abc", NotFound, "give at least 4 characters"),
        ("zzzz", NotFound, "there is no claim zzzz"),
        ("abcd00001", BadInput, "not a claim id"),
        ("ab!d", BadInput, "not a claim id"),
        ("abcu", BadInput, "not a claim id"),  # u is not in the alphabet
        ("", BadInput, "not a claim id"),
        ("   ", BadInput, "not a claim id"),
    ],
)
def test_a_short_unknown_or_malformed_reference_is_refused(reference, error, words):
    with pytest.raises(error, match=words):
        resolve(reference)


def test_a_whole_id_matches_itself_and_a_prefix_matches_every_id_it_starts():
    assert ids.by_prefix("abcd0000", KNOWN) == ["abcd0000"]
    assert ids.by_prefix("abcd", reversed(KNOWN)) == ["abcd0000", "abcd1111"]
    assert ids.by_prefix("x", KNOWN) == []


def test_a_derived_id_is_the_same_on_every_clone_and_tells_claims_apart():
    """base32 of the first 5 bytes of sha256("<number>:<created>"), as the migration gives."""
    assert ids.derived_id(7, "2026-01-01T00:00:00Z") == "nr182ckq"
    assert ids.derived_id(7, "2026-01-01T00:00:01Z") == "0r1jp1w6"
    assert ids.is_id(ids.derived_id(123456789, "2026-11-23T12:00:00Z"))


def test_a_derived_id_already_taken_is_derived_again():
    assert ids.derived_id(7, "2026-01-01T00:00:00Z", taken={"nr182ckq"}) == "7rs16fqe"


def test_a_new_id_is_drawn_again_until_it_is_free(monkeypatch):
    drawn = iter([0, 0, 1])
    monkeypatch.setattr(ids, "random_number", lambda: next(drawn))
    assert ids.new_id(taken={"00000000"}) == "00000001"


def test_new_ids_are_ids():
    drawn = {ids.new_id(taken=()) for _ in range(50)}
    assert len(drawn) == 50 and all(ids.is_id(claim_id) for claim_id in drawn)


@pytest.mark.parametrize("value", ["k3xq9m2", "k3xq9m2ab", "K3XQ9M2A", "k3xq9m2u", 12345678, None])
def test_only_eight_characters_of_the_alphabet_are_a_stored_id(value):
    assert not ids.is_id(value)
