"""Which claims a listing shows: by status, topic, tag, outlet, words, overdue predictions,
and when they last changed."""

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
    updated_since: str | None = None,
) -> Test:
    """A test that every given condition holds for a claim (or its stored record, which has
    the same fields); topic, tag and search ignore case. (`outlet_filter` is the test of a
    source's outlet.)

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
    if overdue_at is not None:
        tests.append(lambda claim: is_overdue(claim, overdue_at))
    if updated_since is not None:
        # Stored timestamps share one fixed-width form, so they compare as text.
        tests.append(lambda claim: claim["updated"] >= updated_since)
    return every(tests)


def every(tests: list[Test]) -> Test:
    """A test that all of `tests` hold (the one test itself when there is one)."""
    if len(tests) == 1:
        return tests[0]
    return lambda claim: all(test(claim) for test in tests)


def outlet_filter(outlet: str, details: Mapping[str, Mapping[str, Any]]) -> Test:
    """A test that a stored claim cites a source of `outlet` (ignoring case), its sources'
    records by URL in `details`."""
    from aousdctl.domain.sources import details_of

    wanted = outlet_key(outlet)
    verdicts: dict[str, bool] = {}

    def of_outlet(url: str) -> bool:
        verdict = verdicts.get(url)
        if verdict is None:
            name = str(details_of(url, details.get(url))["outlet"])
            verdict = verdicts[url] = outlet_key(name) == wanted
        return verdict

    return lambda claim: any(of_outlet(link["url"]) for link in claim["sources"])
