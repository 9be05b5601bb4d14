"""Topics: the questions a reader asks, which the article is organised by.

A claim names its topic as free text; a topic may also have settings (a heading phrased as
the reader's question, a place in the article, an intro). Topic names match ignoring case.
"""

from collections import Counter
from collections.abc import Iterable
from typing import Any, TypedDict

from aousdctl.domain.text import clean_line, clean_note
from aousdctl.errors import BadInput

# The largest whole number every JSON reader holds exactly (2^53 - 1); the file can hold
# no number beyond 64 bits, and a bigger one would fail every later write.
MAX_ORDER = 9_007_199_254_740_991


class Topic(TypedDict):
    """A topic's settings, stored under its name ignoring case."""

    name: str
    heading: str | None
    order: int | None
    intro: str | None


class CountedTopic(Topic):
    """A topic as `topic list` shows it: its settings and how many claims it has."""

    claims: int


def blank(name: str) -> Topic:
    """A topic without settings."""
    return {"name": name, "heading": None, "order": None, "intro": None}


def settings(
    name: str,
    current: Topic | None,
    *,
    heading: str | None = None,
    order: int | None = None,
    intro: str | None = None,
) -> Topic:
    """A topic's settings after a change; an empty heading or intro clears it."""
    record = Topic(**current) if current else blank(clean_line(name, "topic"))
    if heading is not None:
        record["heading"] = clean_line(heading, "heading") if heading.strip() else None
    if order is not None:
        if not 0 <= order <= MAX_ORDER:
            raise BadInput(f"--order must be a whole number from 0 to {MAX_ORDER}")
        record["order"] = order
    if intro is not None:
        record["intro"] = clean_note(intro, "intro")
    return record


def spelling(name: str, claim_topics: Iterable[str]) -> str:
    """A topic name as the claims already spell it ("cast" becomes "Cast"), else as given."""
    key = name.strip().casefold()
    return next((topic for topic in claim_topics if topic.casefold() == key), name)


def find(name: str, configured: Iterable[Topic]) -> Topic | None:
    key = name.strip().casefold()
    return next((topic for topic in configured if topic["name"].casefold() == key), None)


def article_order(names: Iterable[str], configured: list[Topic]) -> list[Topic]:
    """Every topic named by a claim or configured, with its settings, in article order.

    Topics with an order come first, by that order; the rest follow alphabetically.
    """
    by_key: dict[str, Topic] = {}
    for topic in configured:
        by_key[topic["name"].casefold()] = topic
    for name in names:
        by_key.setdefault(name.casefold(), blank(name))
    return sorted(
        by_key.values(),
        key=lambda topic: (
            topic["order"] is None,
            topic["order"] if topic["order"] is not None else 0,
            topic["name"].casefold(),
        ),
    )


def with_claim_counts(claim_topics: list[str], configured: list[Topic]) -> list[CountedTopic]:
    """`article_order`, each topic with its number of claims (counted once, in one pass)."""
    counts = Counter(topic.casefold() for topic in claim_topics)
    return [
        CountedTopic(**topic, claims=counts.get(topic["name"].casefold(), 0))
        for topic in article_order(claim_topics, configured)
    ]


def problems(record: Any) -> list[str]:
    """Every reason a stored topic's settings can't be used by the article; [] if none."""
    if not isinstance(record, dict) or any(
        name not in record for name in ("name", "heading", "order", "intro")
    ):
        return ["a topic is not an object with name, heading, order and intro"]
    found = []
    name = record["name"]
    for value, what, check in (
        (name, "topic name", clean_line),
        (record["heading"], "heading", clean_line),
        (record["intro"], "intro", clean_note),
    ):
        if value is None and what != "topic name":
            continue
        try:
            if not isinstance(value, str):
                raise BadInput(f"{what} is not text")
            check(value, what)
        except BadInput as error:
            found.append(f"{name!r}: {error}")
    order = record["order"]
    if order is not None and (type(order) is not int or order < 0):
        found.append(f"{name!r}: the order {order!r} is not a whole number from 0")
    return found
