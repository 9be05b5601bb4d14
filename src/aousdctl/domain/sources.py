"""Sources as records: one per canonical URL, shared by every claim that cites it.

A claim keeps only links, `{"url", "stance"}`: whether the source *supports* the claim or
*refutes* it (see `history`). What a source is (its outlet, the publisher's name, the
headline, when it was published, when it was first attached, an archived copy) lives
once, in the `sources` table, so every claim and every footnote that cites a URL shows
the same details, the way a reference list cites one work once.

A record's details are the fold of its own small history, like a claim's: each event sets
some fields, later events (by Lamport clock, time, id) win, and earlier events keep the old
values. Two clones that changed one source merge by keeping the events of both.

Pure: no I/O, apart from drawing random event ids.
"""

import functools
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, TypedDict

from aousdctl.domain import history
from aousdctl.domain.dates import parse_partial_date
from aousdctl.domain.history import STANCES, SUPPORTS, Source
from aousdctl.domain.text import clean_line
from aousdctl.domain.urls import http_host
from aousdctl.domain.urls import outlet as outlet_of
from aousdctl.errors import BadInput

# What a source record says of its source, in the order `--json` prints them.
DETAILS = ("outlet", "publisher", "title", "published", "accessed", "archive")
# The details a person gives (`accessed` is when the source was first attached).
GIVEN = ("outlet", "publisher", "title", "published", "archive")
EVENT_KEYS = ("at", "clock", "id", "set")
_EVENT_KEY_SET = frozenset(EVENT_KEYS)
_RECORD_KEYS = frozenset({"url", *DETAILS, "history"})


class SourceRecord(TypedDict):
    url: str
    outlet: str
    publisher: str | None
    title: str | None
    published: str | None
    accessed: str | None
    archive: str | None
    history: list[dict[str, Any]]


def check_details(given: Mapping[str, str | None]) -> dict[str, str | None]:
    """The details a person gave, cleaned, refused (BadInput) when one can't be stored. An
    empty publisher, title, date or archive clears it; the outlet can't be empty."""
    cleaned: dict[str, str | None] = {}
    for name, value in given.items():
        if name not in GIVEN:
            raise BadInput(f"a source has no {name!r} detail")
        if value is None or (not value.strip() and name != "outlet"):
            cleaned[name] = None
        elif name == "published":
            cleaned[name] = parse_partial_date(value.strip(), "published date")
        elif name == "archive":
            cleaned[name] = archive_url(value)
        else:
            cleaned[name] = clean_line(value, "outlet" if name == "outlet" else f"source {name}")
    return cleaned


def archive_url(value: str) -> str:
    """An archived copy's link (the Wayback Machine's, archive.today's...): an http(s) URL,
    kept as given: its path often holds the archived page's own address, tracking
    parameters and all, and changing it would point at another snapshot."""
    cleaned = value.strip()
    if http_host(cleaned) is None:
        raise BadInput(f"an archive link must be an http:// or https:// URL, not {value!r}")
    return cleaned


def refuse_own_link(url: str, archive: str | None) -> None:
    """An archive is a copy kept elsewhere, never the source's own link."""
    if archive is not None and archive.rstrip("/") == url.rstrip("/"):
        raise BadInput(f"the archive link is the source's own link ({url}): give a copy's link")


def defaults(url: str) -> dict[str, str | None]:
    """What is known of a source from its link alone: its outlet is the site."""
    return {
        "outlet": outlet_of(url),
        "publisher": None,
        "title": None,
        "published": None,
        "accessed": None,
        "archive": None,
    }


def fold(url: str, events: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A record's details: what its events set, in order, over the link's defaults; it was
    accessed on the earliest day any event says (two clones that first cited it apart)."""
    details = defaults(url)
    for event in sorted(events, key=history.order_key) if len(events) > 1 else events:
        first = details["accessed"]
        details.update(event["set"])
        if first is not None and (details["accessed"] or first) > first:
            details["accessed"] = first
    return details


def record_of(url: str, events: Sequence[Mapping[str, Any]]) -> SourceRecord:
    """The record its events make, the events in the fold's order."""
    ordered = sorted(events, key=history.order_key)
    return {"url": url, **fold(url, ordered), "history": ordered}  # type: ignore[typeddict-item]


def new_record(source: Source, *, at: str) -> SourceRecord:
    """The record of a source first attached now: what it came with, accessed today."""
    details = {name: source[name] for name in GIVEN}  # type: ignore[literal-required]
    details["accessed"] = source.get("accessed") or at[:10]
    return record_of(source["url"], [_event([], details, at)])


def updated(
    record: Mapping[str, Any], source: Source, *, at: str, explicit: Iterable[str] = ()
) -> SourceRecord | None:
    """The record with what `source` says that it didn't know: the details named in
    `explicit` replace the record's, any other fills in only what the record lacks (a lead
    or an import never overwrites what a person wrote). None when nothing changes."""
    given = set(explicit)
    changes = {
        name: source[name]  # type: ignore[literal-required]
        for name in GIVEN
        if source.get(name) != record[name]
        and (name in given or (record[name] is None and source.get(name) is not None))
    }
    if not changes:
        return None
    return record_of(record["url"], [*record["history"], _event(record["history"], changes, at)])


def _event(
    events: Sequence[Mapping[str, Any]], changes: Mapping[str, Any], at: str
) -> dict[str, Any]:
    return {
        "at": at,
        "clock": history.next_clock(events),
        "id": history.new_event_id(),
        "set": dict(sorted(changes.items())),
    }


def joined(link: Mapping[str, Any], record: Any) -> Source:
    """A claim's link with its source's details: what `--json`, the export and the
    article show of a source. A link whose record is missing or damaged shows what its
    URL says (`doctor` names the record)."""
    url = link["url"]
    stance = link.get("stance")
    joined: Any = {"url": url, "stance": stance if stance in STANCES else SUPPORTS}
    joined.update(details_of(url, record))
    return joined  # type: ignore[no-any-return]


def details_of(url: str, record: Any) -> dict[str, str | None]:
    """What a stored record says of its source, each detail a hand edit spoiled read as
    the link alone says it, so that no reader trips on it (`doctor` names it)."""
    details: dict[str, str | None] = dict.fromkeys(DETAILS)
    if isinstance(record, Mapping):
        for name in DETAILS:
            value = record.get(name)
            if value is not None and _readable(name, value):
                details[name] = value
    if details["outlet"] is None:
        # What the link alone says (see `defaults`), worked out only when needed: it
        # parses the URL, which for every link of a listing took a third of `list --json`.
        details["outlet"] = outlet_of(url)
    return details


@functools.lru_cache(maxsize=4096)
def _problem(name: str, value: str) -> str | None:
    """Why a stored detail's value can't be shown, or None. Checked once per value."""
    cleaned: str | None
    try:
        if name == "accessed":
            cleaned = parse_partial_date(value, "accessed date")
        else:
            cleaned = check_details({name: value})[name]
    except BadInput as error:
        return str(error)
    return None if cleaned == value else f"the {name} {value!r} is not as it would be stored"


def _readable(name: str, value: object) -> bool:
    return isinstance(value, str) and _problem(name, value) is None


def merge(base: Any, ours: Any, theirs: Any) -> SourceRecord | None:
    """One source changed on two clones: the events either side added, less those BASE had
    and a side dropped (a `git revert`, an `undo` after a push)."""
    versions = [_by_id(version) for version in (base, ours, theirs)]
    dropped = versions[0].keys() - (versions[1].keys() & versions[2].keys())
    kept = {**versions[1], **versions[2]}
    events = [kept[key] for key in sorted(kept.keys() - dropped)]
    url = next(v["url"] for v in (ours, theirs, base) if isinstance(v, dict) and "url" in v)
    return record_of(url, events) if events else None


def without_events(table: Mapping[str, Any], undone: Collection[str]) -> dict[str, Any]:
    """A sources table without the events in `undone` (taken back by `undo`); a record
    left with none is gone. Records a hand edit damaged are left for the merge to keep."""
    if not undone:
        return dict(table)
    kept: dict[str, Any] = {}
    for url, record in table.items():
        events = record.get("history") if isinstance(record, dict) else None
        if not isinstance(events, list) or not any(
            isinstance(event, dict) and event.get("id") in undone for event in events
        ):
            kept[url] = record
        elif remaining := [event for event in events if event.get("id") not in undone]:
            kept[url] = record_of(url, remaining)
    return kept


def _by_id(record: Any) -> dict[str, Any]:
    if not isinstance(record, dict) or not isinstance(record.get("history"), list):
        return {}
    return {event["id"]: event for event in record["history"] if isinstance(event, dict)}


def made_again(dropped: Iterable[str], claims: Iterable[Any]) -> dict[str, SourceRecord]:
    """A record again for each of `dropped` (links whose record a merge or an import took
    away: every event of it was undone on some clone) that one of `claims` still cites.

    A record's events are made by the claim that first cited its link; another claim that
    cites the link on another clone makes none. When the first one's citation is undone
    there, the link must keep a record: it is made from the citations left, as an older
    database's are (`from_citations`), alike on every clone."""
    wanted = set(dropped)
    first_cited: dict[str, list[str]] = {}
    for record in claims if wanted else ():
        for url in wanted & _links_of(record):
            if (at := _first_citation(record, url)) is not None:
                first_cited.setdefault(url, []).append(at)
    return {
        url: from_citations(url, [(at, {}) for at in sorted(times)])
        for url, times in sorted(first_cited.items())
    }


def _links_of(record: Any) -> set[str]:
    links = record.get("sources") if isinstance(record, Mapping) else None
    return {
        link["url"]
        for link in (links if isinstance(links, list) else ())
        if isinstance(link, Mapping) and isinstance(link.get("url"), str)
    }


def _first_citation(record: Mapping[str, Any], url: str) -> str | None:
    """When a claim's history first cites `url`, or None if it can't be told."""
    events = record.get("history")
    times = [
        event["at"]
        for event in (events if isinstance(events, list) else ())
        if isinstance(event, Mapping)
        and isinstance(event.get("at"), str)
        and isinstance(event.get("sources"), list)
        and url in event["sources"]
    ]
    return min(times, default=None)


def from_citations(url: str, cited: Sequence[tuple[str, Mapping[str, Any]]]) -> SourceRecord:
    """The record an older database's citations of one URL make (each cited entry with its
    time, oldest first): the latest value given of each detail (an outlet that is only the
    site, what a bare link says, never replaces one a person gave), accessed when first
    cited. Its one event's id comes from what it holds, so every clone upgrading makes the
    same."""
    details: dict[str, Any] = {"accessed": None}
    site = outlet_of(url)
    for at, entry in cited:
        details["accessed"] = details["accessed"] or at[:10]
        for name in ("outlet", "title", "published"):
            value = entry.get(name)
            if value is not None and not (name == "outlet" and value == site):
                details[name] = value
    content = history.canonical(details).decode()
    event = {
        "at": min(at for at, _ in cited),
        "clock": 1,
        "id": history.derived_event_id("source", url, content),
        "set": dict(sorted(details.items())),
    }
    return record_of(url, [event])


def problems(key: str, record: object) -> list[str]:
    """Every reason a stored source record is not valid; [] when it is one."""
    if not isinstance(record, dict):
        return ["it is not an object"]
    if record.get("url") != key:
        return [f"its url is {record.get('url')!r}, not its key"]
    events = record.get("history")
    if not isinstance(events, list) or not events:
        return ["its history is missing or empty"]
    found: list[str] = []
    for number, event in enumerate(events, start=1):
        found.extend(f"history event {number}: {p}" for p in _event_problems(event))
    if found:
        return found
    if unknown := sorted(record.keys() - _RECORD_KEYS):
        found.append(f"it has an unknown field {', '.join(map(repr, unknown))}")
    if missing := [name for name in DETAILS if name not in record]:
        found.append(f"it has no {', '.join(missing)} field (null stands for none)")
    expected = fold(key, events)
    for name in DETAILS:
        if name in record and record[name] != expected[name]:
            found.append(
                f"its {name} is {record.get(name)!r}, but its history makes it {expected[name]!r}"
            )
    return found


def _event_problems(event: object) -> list[str]:
    if not isinstance(event, dict) or event.keys() != _EVENT_KEY_SET:
        return [f"it is not an object with {EVENT_KEYS}"]
    found = history.stamp_problems(event)
    changes = event["set"]
    if not isinstance(changes, dict):
        return [*found, "set is not an object"]
    for name, value in changes.items():
        if name not in DETAILS:
            found.append(f"it sets an unknown detail {name!r}")
        elif name == "outlet" and not isinstance(value, str):
            found.append("the outlet is not text")
        elif value is not None and not isinstance(value, str):
            found.append(f"the {name} is not text")
        elif value is not None and (problem := _problem(name, value)) is not None:
            found.append(problem)
    return found
