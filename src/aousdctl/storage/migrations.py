"""Numbered schema migrations of the database file, applied in order when it is read.

The file records the number of migrations it has had: in the one record of its `_schema` table
since migration 9, as a bare `schema_version` number beside the tables before it (both are
read). Changing the schema later is one new `@migration` function at the end of this file, never
an edit of an old one. A migrated database reaches the disk with the next write, so reading
never rewrites a file.
"""

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aousdctl.domain import ids
from aousdctl.errors import StorageError

# Where the file keeps its schema version: `{"_schema": {"1": {"version": N}}}`, a table like
# every other top-level key, so TinyDB can open each of them; files before migration 9 kept a
# bare number under `schema_version` instead.
SCHEMA_TABLE = "_schema"
SCHEMA_RECORD = "1"
OLD_SCHEMA_KEY = "schema_version"
Tables = dict[str, dict[str, Any]]
MIGRATIONS: list[Callable[[Tables], None]] = []


def migration(function: Callable[[Tables], None]) -> Callable[[Tables], None]:
    MIGRATIONS.append(function)
    return function


@migration
def m001_initial(tables: Tables) -> None:
    """Claims, removed claims (kept for the log), settings, and the next claim id."""
    for name in ("claims", "removed", "config", "meta"):
        tables.setdefault(name, {})


@migration
def m002_topics(tables: Tables) -> None:
    """Topic settings: the heading, place and intro of a topic in the article."""
    tables.setdefault("topics", {})


@migration
def m003_journal(tables: Tables) -> None:
    """The journal of recent changes, which `undo` walks back through."""
    tables.setdefault("journal", {})


@migration
def m004_journal_out_of_file(tables: Tables) -> None:
    """The undo journal moved to a file of its own beside the database, which git does not
    track; the entries the database held are dropped (they were changes of a file that every
    clone shared, not of this clone's own)."""
    tables.pop("journal", None)


@migration
def m005_random_ids(tables: Tables) -> None:
    """Claim ids become random strings (see `ids.py`); `meta.next_claim_id` goes.

    Each numbered claim, removed ones too, gets an id derived from its number and creation
    time, so two clones that migrate the same file on their own agree on every id. The old
    numbers go to a `numbers` table (old number -> {"id": ...}) rather than into the claims:
    they belong to this file's past, not to what a claim says, so they stay out of claim
    objects (an export lists them apart, and an import takes only those the database lacks,
    so they never clash with its own). The table is written here and otherwise only by such
    an import, so it doesn't conflict in a merge, and `rm` leaves it alone.
    """
    renamed: dict[str, dict[str, str]] = {"claims": {}, "removed": {}}
    taken: set[str] = set()
    numbers: dict[str, Any] = tables.setdefault("numbers", {})
    numbered = sorted(
        (int(key), position, name, key)
        for position, name in enumerate(("claims", "removed"))
        for key in tables[name]
        if ids.is_old_number(key)
    )
    for number, _, name, key in numbered:
        new = ids.derived_id(number, str(tables[name][key].get("created")), taken)
        taken.add(new)
        renamed[name][key] = new
        numbers.setdefault(str(number), {"id": new})
    for name, keys in renamed.items():
        tables[name] = {keys.get(key, key): record for key, record in tables[name].items()}
    tables.pop("meta", None)


@migration
def m006_topics_by_name(tables: Tables) -> None:
    """Topic settings are keyed by the topic's name ignoring case, not by a counter, so two
    clones that set up topics on their own don't collide."""
    keyed: dict[str, Any] = {}
    current = {
        key: topic_key(str(record.get("name", key))) for key, record in tables["topics"].items()
    }
    for key in sorted(tables["topics"], key=lambda key: (len(key), key)):
        keyed.setdefault(current[key], tables["topics"][key])
    tables["topics"] = keyed


def topic_key(name: str) -> str:
    """The key of a topic's settings: its name, ignoring case and outer spaces."""
    return name.strip().casefold()


@migration
def m007_canonical_source_urls(tables: Tables) -> None:
    """Source URLs in their canonical spelling (see `urls`); sources of a claim that become
    the same link are merged, keeping the first one's outlet, title and date."""
    for name in ("claims", "removed"):
        for record in tables.get(name, {}).values():
            _canonical_sources(record)


def _canonical_sources(record: dict[str, Any]) -> None:
    from aousdctl.domain.urls import canonical_or_same

    sources = record.get("sources")
    if isinstance(sources, list):
        merged: list[Any] = []
        seen: set[str] = set()
        for source in sources:
            if isinstance(source, dict) and isinstance(source.get("url"), str):
                url = canonical_or_same(source["url"])
                if url in seen:
                    continue
                seen.add(url)
                source = {**source, "url": url}
            merged.append(source)
        record["sources"] = merged
    for event in record.get("history") or []:
        urls = event.get("sources") if isinstance(event, dict) else None
        if isinstance(urls, list) and all(isinstance(url, str) for url in urls):
            event["sources"] = list(dict.fromkeys(canonical_or_same(url) for url in urls))


@migration
def m008_feeds_and_leads(tables: Tables) -> None:
    """Feed subscriptions (with the validators each feed last sent) and the leads fetched
    from them, waiting or decided (accepted, attached or dismissed)."""
    tables.setdefault("feeds", {})
    tables.setdefault("leads", {})


@migration
def m009_schema_version_in_a_table(tables: Tables) -> None:
    """The schema version moves out of the top level, where a bare number sat among the tables
    and TinyDB's `tables()` listed it as one it could not read, into a table of its own
    (`SCHEMA_TABLE`, written by `versioned`), so every top-level key of the file is a table.
    The tables themselves don't change: `upgrade` reads the version from either place."""


@migration
def m010_history_is_the_truth(tables: Tables) -> None:
    """Every history event gets a stable id and a Lamport clock, and the claim's fields
    become the fold of its events (see `history.upgrade_legacy`: the same file upgrades to
    the same bytes in every clone); a `tombstones` table keeps the ids of events `undo` took
    back; feed subscriptions are keyed by their URL, so two subscriptions of one site stay
    two when clones merge."""
    from aousdctl.domain import history

    for name in ("claims", "removed"):
        for key, record in tables.get(name, {}).items():
            if history.is_legacy(record.get("history")):
                history.upgrade_legacy(record, key)
    tables.setdefault("tombstones", {})
    feeds: dict[str, Any] = {}
    for key in sorted(tables.get("feeds", {})):
        record = tables["feeds"][key]
        url = record.get("url")
        feeds.setdefault(url if isinstance(url, str) else key, record)
    tables["feeds"] = feeds


@migration
def m011_sources_are_records(tables: Tables) -> None:
    """Sources become records, one per URL in a `sources` table (see `domain.sources`), and
    a claim keeps only links with a stance: those a debunking brought refute the claim, the
    rest support it. Each record holds the latest details any claim gave its URL, accessed
    when first cited; the citations in events keep only the link and its stance."""
    from aousdctl.domain import history, sources

    cited: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name in ("claims", "removed"):
        for record in tables.get(name, {}).values():
            for url, at, entry in history.split_citations(record):
                cited.setdefault(url, []).append((at, entry))
            with contextlib.suppress(KeyError, TypeError, AttributeError, ValueError):
                record["sources"] = history.fold(record["history"]).sources
    tables["sources"] = {
        url: dict(sources.from_citations(url, sorted(cited[url], key=lambda pair: pair[0])))
        for url in sorted(cited)
    }


SCHEMA_VERSION = len(MIGRATIONS)


def empty_document() -> dict[str, Any]:
    """A new database: version 0, which the migrations then build up."""
    return {SCHEMA_TABLE: {SCHEMA_RECORD: {"version": 0}}}


def version_of(document: Any) -> Any:
    """The schema version a parsed database file says it has (checked by `upgrade`)."""
    return _stored_version(document)[1]


def upgrade(document: Any, path: Path) -> Tables:
    """The tables of a parsed database file, migrated to the current schema.

    Refuses (and so never overwrites) a file that is not an aousdctl database or that a newer
    aousdctl wrote.
    """
    holder, version = _stored_version(document)
    if type(version) is not int or version < 0:
        raise StorageError(
            f"{path} is not an aousdctl database (it has no valid schema version); "
            "it was left untouched"
        )
    if version > SCHEMA_VERSION:
        raise StorageError(
            f"{path} has schema version {version}, newer than this aousdctl understands "
            f"({SCHEMA_VERSION}); upgrade aousdctl to use it"
        )
    tables: Tables = {name: value for name, value in document.items() if name != holder}
    for name, table in tables.items():
        if not isinstance(table, dict) or not all(isinstance(r, dict) for r in table.values()):
            raise StorageError(
                f"{path} is damaged: its table {name!r} is not a set of records; "
                "it was left untouched"
            )
    for step in MIGRATIONS[version:]:
        step(tables)
    return tables


def _stored_version(document: Any) -> tuple[str, Any]:
    """The top-level key that holds a parsed file's schema version, and the version: the
    `SCHEMA_TABLE` where there is one, else the bare number older files kept. Only the key
    the version came from is set aside, so a file of the new shape that still has a bare
    number is refused as damaged rather than rewritten without it; a schema table holding
    anything but the version has none, as the next write would drop the rest."""
    if not isinstance(document, dict):
        return OLD_SCHEMA_KEY, None
    if SCHEMA_TABLE not in document:
        return OLD_SCHEMA_KEY, document.get(OLD_SCHEMA_KEY)
    table = document[SCHEMA_TABLE]
    record = table.get(SCHEMA_RECORD) if isinstance(table, dict) and len(table) == 1 else None
    if not isinstance(record, dict) or record.keys() != {"version"}:
        return SCHEMA_TABLE, None
    return SCHEMA_TABLE, record["version"]


def versioned(tables: Tables) -> dict[str, Any]:
    """The document to write: the tables plus the schema version they now have, in a table of
    its own."""
    return {SCHEMA_TABLE: {SCHEMA_RECORD: {"version": SCHEMA_VERSION}}, **tables}
