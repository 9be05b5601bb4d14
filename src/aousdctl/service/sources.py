"""Requests about sources as records: keeping each cited source's record, and `source
edit`, `source list` and `source rm` (see `domain.sources`)."""

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from aousdctl.domain import claims, sources
from aousdctl.domain.claims import Claim, Source
from aousdctl.domain.urls import canonical_or_same
from aousdctl.errors import NotFound
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
            else sources.updated(record, source, at=at, explicit=named)
        )
        if kept is not None:
            database.keep_source(kept)


def edit(path: Path, url: str, given: Mapping[str, str | None], *, at: str) -> dict[str, Any]:
    """`source edit`: change what a source's record says; the history keeps the old values.
    Returns the source as `source list` shows it, with `changed` saying whether anything did."""
    details = sources.check_details(given)
    with session.writing(path, "source edit") as database:
        record = _record(database, url)
        source: Any = {**sources.joined({"url": record["url"], "stance": ""}, record), **details}
        kept = sources.updated(record, source, at=at, explicit=details)
        if kept is not None:
            database.keep_source(kept)
        return {**listed(kept or record, _citing(database, record["url"])), "changed": bool(kept)}


def listing(path: Path) -> list[dict[str, Any]]:
    """`source list`: every source's record, with how many claims cite it, by URL."""
    with session.reading(path) as database:
        counts: dict[str, int] = {}
        for record in database.table("claims").values():
            for link in record["sources"]:
                counts[link["url"]] = counts.get(link["url"], 0) + 1
        return [
            listed(record, counts.get(url, 0))
            for url, record in sorted(database.source_records().items())
        ]


def listed(record: Mapping[str, Any], cited: int) -> dict[str, Any]:
    """A source as `source list --json` prints it."""
    return {
        "url": record["url"],
        **{name: record[name] for name in sources.DETAILS},
        "cited": cited,
    }


def unlink(path: Path, reference: str, url: str, *, at: str) -> Claim:
    """`source rm`: take a source off a claim (see `claims.unlink`)."""
    from aousdctl.service.claims import change

    link = canonical_or_same(url.strip())
    with session.writing(path, "source rm") as database:
        return change(database, reference, lambda claim: claims.unlink(claim, link, at=at)).claim


def _record(database: Database, url: str) -> Mapping[str, Any]:
    record: Mapping[str, Any] | None = database.source_records().get(canonical_or_same(url.strip()))
    if record is None:
        raise NotFound(f"no source has the link {url} (see `aousdctl source list`)")
    return record


def _citing(database: Database, url: str) -> int:
    return sum(
        any(link["url"] == url for link in record["sources"])
        for record in database.table("claims").values()
    )
