"""`feeds.edited`: the rule behind `feed edit`."""

import pytest

from aousdctl.domain import feeds
from aousdctl.errors import BadInput, Conflict

AT = "2026-11-23T12:00:00Z"


def table() -> dict[str, feeds.Feed]:
    first_key, first = feeds.subscription({}, "https://a.example/feed", match=["x"], at=AT)
    second_key, second = feeds.subscription(
        {first_key: first}, "https://b.example/feed", topic="Cast", at=AT
    )
    first.update(etag='"1"', modified="yesterday", digest="abc")
    return {first_key: first, second_key: second}


def test_what_is_not_given_stays():
    subscriptions = table()
    assert (
        feeds.edited(subscriptions, "https://a.example/feed")
        == subscriptions["https://a.example/feed"]
    )


def test_a_new_address_drops_the_validators_of_the_old():
    changed = feeds.edited(table(), "https://a.example/feed", url="https://A.example/new#top")
    assert changed["url"] == "https://a.example/new"
    assert (changed["etag"], changed["modified"], changed["digest"]) == (None, None, None)


def test_the_same_address_keeps_the_validators():
    changed = feeds.edited(table(), "https://a.example/feed", url="HTTPS://a.example/feed")
    assert changed["etag"] == '"1"'


def test_blank_terms_and_topic_clear_them():
    changed = feeds.edited(table(), "https://b.example/feed", match=["", "  "], topic=" ")
    assert (changed["match"], changed["topic"]) == ([], None)
    assert feeds.edited(table(), "https://b.example/feed", match=["zombie", ""])["match"] == [
        "zombie"
    ]


def test_another_feeds_address_is_refused():
    with pytest.raises(Conflict, match="already fetches"):
        feeds.edited(table(), "https://b.example/feed", url="https://a.example/feed")


def test_the_table_is_not_changed():
    subscriptions = table()
    feeds.edited(subscriptions, "https://b.example/feed", topic="Renewal", match=["x"])
    assert subscriptions["https://b.example/feed"]["topic"] == "Cast"


def test_a_term_with_a_line_break_is_refused():
    with pytest.raises(BadInput):
        feeds.edited(table(), "https://b.example/feed", match=["two\nlines"])
