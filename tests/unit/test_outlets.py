"""Track records and grades (`domain.outlets`), called directly on claims the domain made."""

import pytest

from aousdctl.domain import claims as rules
from aousdctl.domain.outlets import (
    TrackRecord,
    grade,
    parse_min_settled,
    predictions,
    track_records,
)
from aousdctl.errors import BadInput
from tests.support.records import claim


def records(claims, **options) -> list[TrackRecord]:
    """The track records of claims the domain made, their sources' details as they hold them."""
    claims = list(claims)
    details = {source["url"]: source for claim in claims for source in claim["sources"]}
    return track_records(claims, details, **options)


def at(hour: int, second: int = 0) -> str:
    return f"2026-11-21T{hour:02d}:00:{second:02d}Z"


def event(when: str, to: str | None = None, *sources: str) -> dict:
    return {"at": when, "to": to, "sources": list(sources)}


def settled(url: str, outcome: str, *, hour: int = 1) -> rules.Claim:
    """A claim `url` carried as a rumor, then confirmed or debunked an hour later."""
    carried = claim(f"A claim from {url}", at=at(hour), sources=[url])
    if outcome == "confirmed":
        return rules.promote(carried, at=at(hour + 1), to=rules.Status.CONFIRMED)
    return rules.debunk(carried, at=at(hour + 1), note="Denied")


@pytest.mark.parametrize(
    ("confirmed", "debunked", "letter"),
    [
        (9, 1, "A"),
        (8, 2, "B"),
        (3, 1, "B"),
        (7, 3, "C"),
        (1, 1, "C"),
        (3, 7, "D"),
        (1, 3, "D"),
        (1, 4, "E"),
        (0, 5, "E"),
    ],
)
def test_each_grade_starts_at_its_threshold(confirmed, debunked, letter):
    assert grade(confirmed, debunked, min_settled=1) == letter


@pytest.mark.parametrize(
    ("confirmed", "debunked", "with_four_needed"), [(0, 0, "F"), (4, 0, "A"), (2, 2, "C")]
)
def test_too_few_settled_claims_cannot_be_judged(confirmed, debunked, with_four_needed):
    assert grade(confirmed, debunked) == "F"  # fewer than the 5 settled claims by default
    assert grade(confirmed, debunked, min_settled=4) == with_four_needed


@pytest.mark.parametrize("value", ["0", "-1", "2.5", "five", "", "٣", "1000001"])
def test_a_minimum_is_a_whole_number_from_1(value):
    with pytest.raises(BadInput, match="outlet-min-settled"):
        parse_min_settled(value)


def test_a_minimum_may_have_spaces_around_it():
    assert parse_min_settled(" 12 ") == 12


def test_a_source_attached_while_open_and_before_settling_is_a_prediction():
    history = [
        event(at(1), "rumor", "https://early.example/1"),
        event(at(2), None, "https://later.example/1"),
        event(at(3), "confirmed", "https://official.example/1"),
        event(at(4), None, "https://echo.example/1"),
    ]
    assert set(predictions(history)) == {"https://early.example/1", "https://later.example/1"}


def test_a_source_attached_in_the_second_a_claim_settles_is_evidence():
    history = [event(at(1), "rumor"), event(at(2), None, "https://fast.example/1")]
    history.append(event(at(2), "debunked"))
    assert set(predictions(history)) == set()


def test_a_source_attached_while_a_claim_was_demoted_is_a_prediction_again():
    history = [
        event(at(1), "rumor"),
        event(at(2), "confirmed", "https://official.example/1"),
        event(at(3), "reported"),
        event(at(4), None, "https://between.example/1"),
        event(at(5), "confirmed"),
    ]
    assert set(predictions(history)) == {"https://between.example/1"}


def test_a_history_out_of_time_order_is_read_in_time_order():
    history = [
        event(at(1), "rumor", "https://one.example/1"),
        event(at(3), "debunked"),
        event(at(2), None, "https://two.example/1"),  # appended by a merge, earlier in time
    ]
    assert set(predictions(history)) == {"https://one.example/1", "https://two.example/1"}


def test_a_track_record_counts_what_each_carried_claim_came_to():
    claims = [settled(f"https://soompi.com/{n}", "confirmed", hour=2 * n) for n in range(4)]
    claims.append(settled("https://soompi.com/4", "debunked", hour=10))
    claims.append(claim("Still open", sources=["https://soompi.com/5"]))
    [record] = records(claims, min_settled=5)
    assert record == TrackRecord(
        outlet="soompi.com",
        cited=6,
        supported=6,
        refuted=0,
        right=4,
        wrong=1,
        open=1,
        hit_rate=0.8,
        grade="B",
        min_settled=5,
    )
    assert (record.settled, record.hit_rate_text) == (5, "80% of 5")


def test_an_outlet_cited_only_as_evidence_carried_nothing():
    confirmed = rules.promote(
        claim("Netflix renewed the show"),
        at=at(2),
        to=rules.Status.CONFIRMED,
        sources=[rules.make_source("https://netflix.com/tudum/1")],
    )
    [record] = records([confirmed])
    assert (record.cited, record.settled, record.open, record.hit_rate) == (1, 0, 0, None)
    assert (record.grade, record.hit_rate_text) == ("F", "none settled")
    assert record.grade_text == "not yet judged (0 of 5 settled)"


def test_a_denial_cited_to_debunk_a_rumor_does_not_count_against_its_outlet():
    """The Netflix statement that debunks a Soompi rumor is evidence: Soompi was wrong,
    Netflix took no side while the claim was open."""
    rumor = claim("Season 2 premieres in 2026", at=at(1), sources=["https://soompi.com/1"])
    debunked = rules.debunk(
        rumor, at=at(2), note="Netflix: 2027", sources=[rules.make_source("https://netflix.com/a")]
    )
    by_outlet = {record.outlet: record for record in records([debunked], min_settled=1)}
    assert by_outlet["netflix.com"].as_dict() == {
        "outlet": "netflix.com",
        "cited": 1,
        "supported": 0,
        "refuted": 1,
        "right": 0,
        "wrong": 0,
        "open": 0,
        "hit_rate": None,
        "grade": "F",
    }
    assert (by_outlet["soompi.com"].wrong, by_outlet["soompi.com"].grade) == (1, "E")


@pytest.mark.parametrize(
    ("outcome", "right", "wrong"), [("debunked", 1, 0), ("confirmed", 0, 1), (None, 0, 0)]
)
def test_a_denial_made_while_the_claim_was_open_predicts_it_false(outcome, right, wrong):
    rumor = claim("Cheong-san returns as a hybrid", at=at(1))
    denied = rules.attach(
        rumor, at=at(2), sources=[rules.make_source("https://denier.example/1", stance="refutes")]
    )
    if outcome == "debunked":
        denied = rules.debunk(denied, at=at(3), note="Denied")
    elif outcome == "confirmed":
        denied = rules.promote(
            denied,
            at=at(3),
            to=rules.Status.CONFIRMED,
            sources=[rules.make_source("https://official.example/1")],
        )
    [record] = records([denied], only={"denier.example"})
    assert (record.refuted, record.right, record.wrong) == (1, right, wrong)
    assert record.open == (1 if outcome is None else 0)


def test_spellings_of_one_outlet_are_one_record_under_the_most_used_spelling():
    shouting = rules.make_source("https://soompi.example/x", outlet="SOOMPI.COM")
    claims = [
        claim("One", sources=["https://www.soompi.com/1"]),
        claim("Two", sources=["https://soompi.com/2"]),
        claim("Three", sources=[shouting]),
    ]
    [record] = records(claims)
    assert (record.outlet, record.cited) == ("soompi.com", 3)


def test_records_are_ranked_by_hit_rate_then_settled_claims_then_name():
    claims = [
        settled("https://b.example/1", "confirmed"),
        settled("https://a.example/1", "confirmed"),
        settled("https://many.example/1", "confirmed"),
        settled("https://many.example/2", "confirmed", hour=5),
        settled("https://half.example/1", "confirmed"),
        settled("https://half.example/2", "debunked", hour=5),
        claim("Open", sources=["https://open.example/1"]),
    ]
    ranked = [record.outlet for record in records(claims)]
    assert ranked == ["many.example", "a.example", "b.example", "half.example", "open.example"]


def test_only_the_outlets_asked_for_are_worked_out():
    claims = [
        settled("https://a.example/1", "confirmed"),
        settled("https://b.example/1", "debunked"),
    ]
    assert [record.outlet for record in records(claims, only={"b.example"})] == ["b.example"]


def test_the_hit_rate_shown_never_rounds_up_into_a_better_grade():
    claims = [settled(f"https://edge.example/{n}", "confirmed") for n in range(179)]
    claims += [settled(f"https://edge.example/x{n}", "debunked") for n in range(21)]
    [record] = records(claims)
    assert (record.grade, record.hit_rate_text) == ("B", "89% of 200")  # 89.5%, not 90%
