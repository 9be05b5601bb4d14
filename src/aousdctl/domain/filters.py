"""Which claims a listing shows: by status, topic, tag, outlet, words, and overdue predictions."""

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from aousdctl.domain.claims import is_overdue
from aousdctl.domain.outlets import outlet_key

Test = Callable[[Mapping[str, Any]], bool]


def claim_filter(
    *,
    statuses: Iterable[str] = (),
    topic: str | None = None,
    tag: str | None = None,
    search: str | None = None,
    overdue_at: datetime | None = None,
    outlet: str | None = None,
) -> Test:
    """A test that every given condition holds for a claim (or its stored record, which has
    the same fields); topic, tag, search and outlet (a source's) ignore case.

    Only the given conditions are tested, each prepared once: a listing runs the test on
    every stored claim.
    """
    tests: list[Test] = []
    if wanted_statuses := frozenset(statuses):
        tests.append(lambda claim: claim["status"] in wanted_statuses)
    if topic is not None:
        wanted_topic = topic.strip().casefold()
        tests.append(lambda claim: claim["topic"].casefold() == wanted_topic)
    if tag is not None:
        wanted_tag = tag.strip().casefold()
        tests.append(lambda claim: any(t.casefold() == wanted_tag for t in claim["tags"]))
    if search is not None:
        words = search.casefold()
        tests.append(
            lambda claim: (
                words in claim["text"].casefold() or words in (claim["note"] or "").casefold()
            )
        )
    if outlet is not None:
        wanted_outlet = outlet_key(outlet)
        tests.append(
            lambda claim: any(outlet_key(s["outlet"]) == wanted_outlet for s in claim["sources"])
        )
    if overdue_at is not None:
        tests.append(lambda claim: is_overdue(claim, overdue_at))
    if len(tests) == 1:
        return tests[0]
    return lambda claim: all(test(claim) for test in tests)
