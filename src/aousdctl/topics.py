"""Topics: the questions a reader asks, which the article is organised by.

A claim names its topic as free text; a topic may also have settings (a heading phrased as
the reader's question, a place in the article, an intro). Topic names match ignoring case.
"""

from collections.abc import Iterable
from typing import Any

from aousdctl.claims import clean_line, clean_note
from aousdctl.errors import BadInput

# The largest whole number every JSON reader holds exactly (2^53 - 1); the file can hold
# no number beyond 64 bits, and a bigger one would fail every later write.
MAX_ORDER = 9_007_199_254_740_991


def settings(
    name: str,
    current: dict[str, Any] | None,
    *,
    heading: str | None = None,
    order: int | None = None,
    intro: str | None = None,
) -> dict[str, Any]:
    """A topic's settings after a change; an empty heading or intro clears it."""
    record = dict(
        current
        or {"name": clean_line(name, "topic"), "heading": None, "order": None, "intro": None}
    )
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


def find(name: str, configured: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    key = name.strip().casefold()
    return next((topic for topic in configured if topic["name"].casefold() == key), None)


def article_order(names: Iterable[str], configured: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every topic named by a claim or configured, with its settings, in article order.

    Topics with an order come first, by that order; the rest follow alphabetically.
    """
    by_key: dict[str, dict[str, Any]] = {}
    for topic in configured:
        by_key[topic["name"].casefold()] = topic
    for name in names:
        by_key.setdefault(
            name.casefold(), {"name": name, "heading": None, "order": None, "intro": None}
        )
    return sorted(
        by_key.values(),
        key=lambda topic: (
            topic["order"] is None,
            topic["order"] if topic["order"] is not None else 0,
            topic["name"].casefold(),
        ),
    )
