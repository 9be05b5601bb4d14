"""Numbered schema migrations of the database file, applied in order when it is read.

The file records the number of migrations it has had as `schema_version`. Changing the schema
later is one new `@migration` function at the end of this file, never an edit of an old one.
A migrated database reaches the disk with the next write, so reading never rewrites a file.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from aousdctl.errors import StorageError

SCHEMA_KEY = "schema_version"
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


SCHEMA_VERSION = len(MIGRATIONS)


def empty_document() -> dict[str, Any]:
    """A new database: version 0, which the migrations then build up."""
    return {SCHEMA_KEY: 0}


def upgrade(document: Any, path: Path) -> Tables:
    """The tables of a parsed database file, migrated to the current schema.

    Refuses (and so never overwrites) a file that is not an aousdctl database or that a newer
    aousdctl wrote.
    """
    version = document.get(SCHEMA_KEY) if isinstance(document, dict) else None
    if type(version) is not int or version < 0:
        raise StorageError(
            f"{path} is not an aousdctl database (it has no valid {SCHEMA_KEY}); "
            "it was left untouched"
        )
    if version > SCHEMA_VERSION:
        raise StorageError(
            f"{path} has schema version {version}, newer than this aousdctl understands "
            f"({SCHEMA_VERSION}); upgrade aousdctl to use it"
        )
    tables: Tables = {name: value for name, value in document.items() if name != SCHEMA_KEY}
    for name, table in tables.items():
        if not isinstance(table, dict) or not all(isinstance(r, dict) for r in table.values()):
            raise StorageError(
                f"{path} is damaged: its table {name!r} is not a set of records; "
                "it was left untouched"
            )
    for step in MIGRATIONS[version:]:
        step(tables)
    return tables


def versioned(tables: Tables) -> dict[str, Any]:
    """The document to write: the tables plus the schema version they now have."""
    return {SCHEMA_KEY: SCHEMA_VERSION, **tables}
