"""Near twins (domain/twins.py): which claims a new text nearly repeats, pure."""

import pytest

from aousdctl.domain.claims import Draft, new_claim
from aousdctl.domain.twins import LIMIT, THRESHOLD, near_twins

AT = "2026-11-23T12:00:00Z"


def table(*texts: str) -> dict[str, dict]:
    """A claims table (id -> stored record) holding one claim per text, ids c0, c1, ..."""
    return {f"c{number}": new_claim(Draft(text), at=AT) for number, text in enumerate(texts)}


@pytest.mark.parametrize(
    "new",
    [
        "Netflix cancelled Season 2.",
        "netflix cancelled season 2",
        "Season 2: Netflix cancelled",
        "NETFLIX  CANCELLED  SEASON  2!!",
    ],
)
def test_the_same_words_in_any_case_punctuation_or_order_are_a_twin(new):
    [twin] = near_twins(new, table("Netflix cancelled Season 2"))
    assert (twin.claim["id"], twin.score, twin.same_words) == ("c0", 100, True)


@pytest.mark.parametrize(
    "new",
    [
        "Netflix has cancelled Season 2",  # one word more
        "Netflix cancelled Season 2 after the long silence",  # all its words, and more
        "Netflix canceled Season 2",  # another spelling
    ],
)
def test_nearly_the_same_words_are_a_twin_that_is_not_the_same_words(new):
    [twin] = near_twins(new, table("Netflix cancelled Season 2"))
    assert twin.claim["id"] == "c0" and not twin.same_words
    assert THRESHOLD <= twin.score <= 100


@pytest.mark.parametrize(
    "new, existing",
    [
        ("Season 2 has 8 episodes", "Season 2 has 12 episodes"),
        ("Season 2 premieres in 2027", "Season 2 premieres in 2026"),
        ("Part 2 of S2 airs", "Part 2 of S3 airs"),
        ("Netflix has not cancelled Season 2", "Netflix cancelled Season 2"),
        ("Netflix didn't cancel Season 2", "Netflix did cancel Season 2"),
        ("Lee Su-hyeok never returns", "Lee Su-hyeok returns"),
        ("Cheong-san survived the finale", "Nam-ra leads the hybrids in Seoul"),
    ],
)
def test_other_numbers_a_denial_or_other_words_are_no_twin(new, existing):
    assert near_twins(new, table(existing)) == []


def test_a_number_more_is_a_twin_another_number_is_not():
    claims = table("Season 2 premieres", "Season 2 premieres in 2027")
    [twin] = near_twins("Season 2 premieres in 2026", claims)
    assert twin.claim["id"] == "c0"


def test_twins_come_closest_first_and_at_most_a_few():
    texts = [
        "Netflix cancelled Season 2 after the long silence and the strike",
        "Netflix cancelled Season 2",
        *(f"Netflix cancelled Season 2, says {name}" for name in ("Ann", "Bo", "Cy", "Di", "Ed")),
    ]
    found = near_twins("Netflix cancelled Season 2", table(*texts))
    assert len(found) == LIMIT
    assert found[0].claim["id"] == "c1" and found[0].same_words
    assert [twin.score for twin in found] == sorted((twin.score for twin in found), reverse=True)


def test_a_twin_is_the_whole_claim_with_its_id():
    claims = table("Lomon returns as Lee Su-hyeok")
    [twin] = near_twins("Lomon returns as Lee Su-hyeok.", claims)
    assert twin.claim == {**claims["c0"], "id": "c0"}


def test_nothing_to_compare_finds_nothing():
    assert near_twins("Anything at all", {}) == []
    assert near_twins("!!!", table("Netflix cancelled Season 2")) == []
