"""Requests about sources as records: keeping each cited source's record, and `source
edit`, `source list` and `source rm` (see `domain.sources`)."""

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from aousdctl.domain import sources
from aousdctl.domain.claims import Source
from aousdctl.domain.urls import canonical_or_same
from aousdctl.errors import Conflict, NotFound
from aousdctl.service import session
from aousdctl.storage.database import Database


def keep(
    database: Database, cited: Iterable[Source], *, at: str, explicit: Iterable[str] = ()
) -> None:
    """The record of each source cited: made when it is first cited (accessed today), told
    what it didn't know since; the details named in `explicit` replace what it held."""
    named = tuple(explicit)
    for source in cited:
        record = database.source_records().get(source["url"])
        kept = (
            sources.new_record(source, at=at)
            if record is None
            else sources.updated(sound(source["url"], record), source, at=at, explicit=named)
        )
        if kept is not None:
            database.keep_source(kept)


def take(
    database: Database, records: Iterable[Mapping[str, Any]], undone: Iterable[str] = ()
) -> None:
    """Source records from another clone's export: each one's history joins the one here,
    so clones that import each other's exports end with the same records; events undone
    here or there (`undone`, the export's tombstones) stay out."""
    gone = set(database.tombstones()) | set(undone)
    offered = {record["url"]: record for record in records}
    incoming = sources.without_events(offered, gone)
    stored = dict(database.source_records())
    local = sources.without_events(stored, gone)
    for url, record in incoming.items():
        merged = sources.merge(None, local[url], record) if url in local else record
        if merged is not None and merged != stored.get(url):
            had = {event["id"] for event in local[url]["history"]} if url in local else set()
            # Brought from elsewhere: an `undo` of this import takes them back here only.
            database.adopt(e["id"] for e in merged["history"] if e["id"] not in had)
            database.keep_source(merged)
    # Records here that hold events undone elsewhere lose them, as the claims do; one left
    # with none is gone (the export that undid them may no longer carry the record at all).
    for url in stored.keys() - incoming.keys():
        if url not in local:
            database.delete_record("sources", url)
        elif local[url] is not stored[url]:  # `without_events` made a new one
            database.keep_source(local[url])
    dropped = (stored.keys() | offered.keys()) - (local.keys() | incoming.keys())
    citing = [*database.table("claims").values(), *database.table("removed").values()]
    for record in sources.made_again(dropped, citing).values():
        database.adopt(event["id"] for event in record["history"])
        database.keep_source(record)


def edit(path: Path, url: str, given: Mapping[str, str | None], *, at: str) -> dict[str, Any]:
    """`source edit`: change what a source's record says; the history keeps the old values.
    Returns the source as `source list` shows it, with `changed` saying whether anything did."""
    details = sources.check_details(given)
    with session.writing(path, "source edit") as database:
        link, record = _record(database, url)
        sources.refuse_own_link(link, details.get("archive"))
        source: Any = {**sources.details_of(link, record), **details}
        kept = sources.updated(record, source, at=at, explicit=details)
        if kept is not None:
            database.keep_source(kept)
        shown = listed(link, kept or record, _citing(database, link))
        return {**shown, "changed": bool(kept)}


def listing(path: Path) -> list[dict[str, Any]]:
    """`source list`: every source's record, with how many claims cite it, by URL."""
    with session.reading(path) as database:
        counts: dict[str, int] = {}
        for record in database.table("claims").values():
            for url in {link["url"] for link in record["sources"] if isinstance(link, dict)}:
                counts[url] = counts.get(url, 0) + 1
        return [
            listed(url, record, counts.get(url, 0))
            for url, record in sorted(database.source_records().items())
        ]


def listed(url: str, record: Mapping[str, Any], cited: int) -> dict[str, Any]:
    """A source as `source list --json` prints it."""
    return {"url": url, **sources.details_of(url, record), "cited": cited}


def _record(database: Database, url: str) -> tuple[str, Mapping[str, Any]]:
    """The canonical link and the sound record of a source on record."""
    link = canonical_or_same(url.strip())
    record: Mapping[str, Any] | None = database.source_records().get(link)
    if record is None:
        raise NotFound(f"no source has the link {url} (see `aousdctl source list`)")
    return link, sound(link, record)


def sound(url: str, record: Mapping[str, Any]) -> Mapping[str, Any]:
    """A record a change can build on; a damaged one (a hand edit) is refused, not built on."""
    found = sources.problems(url, record)
    if found:
        raise Conflict(
            f"the record of the source {url} is damaged ({found[0]}); "
            "`aousdctl doctor` lists what to fix"
        )
    return record


def _citing(database: Database, url: str) -> int:
    return sum(
        any(link["url"] == url for link in record["sources"])
        for record in database.table("claims").values()
    )
