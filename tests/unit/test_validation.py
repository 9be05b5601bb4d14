"""One definition of a valid claim (`domain.claims.problems`), called directly: whatever the
domain's own changes make of a claim is valid, and no JSON value makes the check fail."""

import json
import re
from datetime import datetime, timedelta
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aousdctl.domain import claims
from aousdctl.domain.dates import timestamp
from aousdctl.errors import BadInput, Conflict
from tests.support.records import MADE_AT

# The bidirectional controls no one-line field may hold.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
START = datetime.fromisoformat(MADE_AT)

# Text as people paste it: mostly ordinary, sometimes with what the rules refuse (line breaks,
# control and bidirectional characters, blanks) or what they keep as it is (Korean, Markdown).
text = st.one_of(
    st.text(min_size=1, max_size=40),
    st.sampled_from(
        ["청산이 돌아온다", "[x](javascript:alert(1))", "  padded  ", "a\nb", "\u202eexe", " ", "x"]
    ),
)
urls = st.one_of(
    st.sampled_from(
        ["https://example.com/a", "HTTPS://WWW.Soompi.com/x?utm_source=y#z", "ftp://x.example/"]
    ),
    st.text(max_size=20).map(lambda path: "https://example.com/" + path),
)
dates = st.one_of(
    st.none(), st.sampled_from(["2025", "2025-10", "2024-02-29", "2025-02-30", "soon"])
)
# What the command line lets through to the domain: one-line text, http(s) links, real dates.
valid_text = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters=BIDI),
    min_size=1,
    max_size=30,
).filter(str.strip)
valid_urls = st.text(alphabet="abc019-_/?=&", max_size=12).map(
    lambda rest: "https://a.example/" + rest
)
valid_dates = st.one_of(st.none(), st.sampled_from(["2025", "2025-10", "2024-02-29", "1000-01-01"]))
statuses = st.sampled_from(list(claims.Status))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def changes(text, urls, dates, demoted_to):
    """Steps a command would take on a claim, with arguments drawn from these strategies."""
    return st.one_of(
        st.tuples(st.just("promote"), st.none() | statuses, st.lists(urls, max_size=2)),
        st.tuples(st.just("demote"), st.none() | demoted_to, text),
        st.tuples(st.just("debunk"), text, st.lists(urls, max_size=1)),
        st.tuples(st.just("edit"), st.none() | text, st.lists(text, max_size=2), dates),
        st.tuples(st.just("source"), urls, st.none() | text),
        st.tuples(st.just("attach"), st.lists(urls, max_size=2), st.lists(text, max_size=2)),
    )


def refused_or_valid(change, *args, refusals=(BadInput, Conflict), **kwargs):
    """What a domain change returns: None when it changes nothing, else a claim that must be
    valid; one of `refusals` (bad input, or a move the ladder doesn't allow) is fine too."""
    try:
        result = change(*args, **kwargs)
    except refusals:
        return None
    if result is not None:
        assert claims.problems(result) == [], result
    return result


def test_problems_never_raises_on_any_json_value():
    for value in (
        None,
        1,
        "x",
        [],
        {},
        {"history": [None]},
        {name: [] for name in claims.CLAIM_FIELDS},
    ):
        assert claims.problems(value)
    with pytest.raises(claims.BadInput):
        claims.claim_from_record({"text": "x"})


@settings(max_examples=100)
@given(
    text=text,
    status=statuses,
    topic=text,
    tags=st.lists(text, max_size=3),
    sources=st.lists(urls, max_size=3),
    expected=dates,
    note=st.one_of(st.none(), text),
)
def test_every_new_claim_is_valid_or_refused(text, status, topic, tags, sources, expected, note):
    try:
        made = [claims.make_source(url) for url in sources]
    except BadInput:  # a source the command line refuses before making the claim
        return
    draft = claims.Draft(text, status, topic, tags, made, expected, note)
    refused_or_valid(claims.new_claim, draft, at=MADE_AT)


def sources(urls: list[str]) -> list[claims.Source]:
    return [claims.make_source(url) for url in urls]


def apply(claim: claims.Claim, step: tuple, at: str, refusals: tuple) -> claims.Claim | None:
    """One change a command would make, checked by `refused_or_valid`."""
    try:
        change = prepared(claim, step, at)
    except BadInput:  # a source the command line refuses before the change
        return None
    return refused_or_valid(change, refusals=refusals)


def prepared(claim: claims.Claim, step: tuple, at: str):
    """The change a step asks for, its sources made first as the command line makes them."""
    kind, *args = step
    if kind == "promote":
        return partial(claims.promote, claim, at=at, to=args[0], sources=sources(args[1]))
    if kind == "demote":
        return partial(claims.demote, claim, at=at, to=args[0], note=args[1])
    if kind == "debunk":
        return partial(claims.debunk, claim, at=at, note=args[0], sources=sources(args[1]))
    if kind == "edit":
        return partial(claims.edit, claim, at=at, text=args[0], add_tags=args[1], expected=args[2])
    if kind == "source":
        source = claims.make_source(args[0], title=args[1])
        return partial(claims.add_source, claim, source, at=at)
    return partial(claims.attach, claim, at=at, sources=sources(args[0]), tags=args[1])


def run(steps, refusals) -> claims.Claim:
    """A new claim taken through `steps`, a minute apart; each result checked on the way."""
    claim = claims.new_claim(claims.Draft("Filming started in 2023"), at=MADE_AT)
    for minute, step in enumerate(steps, start=1):
        at = timestamp(START + timedelta(minutes=minute))
        claim = apply(claim, step, at, refusals) or claim
    return claim


@settings(max_examples=100)
@given(steps=st.lists(changes(text, urls, dates, statuses), max_size=8))
def test_every_change_the_domain_makes_leaves_a_valid_claim(steps):
    claim = run(steps, refusals=(BadInput, Conflict))
    removed = claims.removal_event(claim, at=timestamp(START + timedelta(days=1)))
    assert claims.problems(removed) == []
    assert json.loads(json.dumps(claim)) == claim  # plain JSON, as the file holds it


@settings(max_examples=100)
@given(
    steps=st.lists(
        changes(valid_text, valid_urls, valid_dates, st.sampled_from(claims.LADDER)), max_size=8
    )
)
def test_a_change_with_valid_input_is_made_or_refused_by_the_ladder_alone(steps):
    """Only a Conflict (a move the ladder doesn't allow) may refuse it: a BadInput here would
    mean the change built a claim its own rules reject."""
    run(steps, refusals=(Conflict,))


@given(value=json_values)
def test_any_json_value_gets_a_list_of_problems_never_an_exception(value):
    found = claims.problems(value)
    assert isinstance(found, list) and all(isinstance(problem, str) for problem in found)


@settings(max_examples=200)
@given(field=st.sampled_from(claims.CLAIM_FIELDS), value=json_values)
def test_a_claim_with_any_field_replaced_is_accepted_exactly_when_it_has_no_problems(field, value):
    record = dict(claims.new_claim(claims.Draft("A claim", sources=[]), at=MADE_AT))
    record[field] = value
    found = claims.problems(record)
    if found:
        with pytest.raises(BadInput, match=re.escape(found[0])):
            claims.claim_from_record(record)
    else:
        assert claims.claim_from_record(record)[field] == value


@given(event=json_values)
def test_any_history_event_gets_problems_never_an_exception(event):
    record = dict(claims.new_claim(claims.Draft("A claim"), at=MADE_AT))
    record["history"] = [*record["history"], event]
    assert all(isinstance(problem, str) for problem in claims.problems(record))


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("k3xq9m2a", None),
        ("K3XQ9M2A", None),
        (7, None),
        (0, "not a claim id"),
        (True, "not a claim id"),
        ("k3xq9m2", "not a claim id"),
        (1.5, "not a claim id"),
    ],
)
def test_an_imported_id_is_a_claim_id_or_an_old_number(value, problem):
    found = claims.id_problem(value)
    assert found is None if problem is None else problem in found
