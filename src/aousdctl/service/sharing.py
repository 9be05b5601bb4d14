"""Sharing the database through git: setting up the merge driver, the driver itself, and
finishing a merge that git made without it."""

import os
from pathlib import Path

from aousdctl.domain import merge
from aousdctl.errors import StorageError
from aousdctl.storage.database import require_database
from aousdctl.storage.durable import locked, write_atomically
from aousdctl.storage.fileformat import encoded, parse_tables, read_tables
from aousdctl.storage.migrations import Tables
from aousdctl.vcs import git


def set_up(path: Path) -> list[str]:
    """Register the merge driver for the database at `path`; returns what was changed."""
    require_database(path)
    return git.set_up(path)


def merge_files(base: Path, ours: Path, theirs: Path) -> list[str]:
    """What the merge driver does: merge three versions of the database and leave the result
    in `ours` (git's %A). Returns, one line each, the claims this merge flagged for a
    person to look at and why.

    A version that can't be read raises before anything is written, so git reports a
    conflict and every version stays as it was.
    """
    tables, reasons = merge.merge_with_reasons(
        read_tables(base), read_tables(ours), read_tables(theirs)
    )
    write_atomically(ours, encoded(tables))
    return _described(reasons)


def resolve(path: Path) -> list[str]:
    """Finish a merge that git made without the driver: merge the three versions it keeps of
    the database, write the result and stage it. Returns, one line each, the claims this
    merge flagged and why."""
    base, ours, theirs = git.conflicted_versions(path)
    tables, reasons = merge.merge_with_reasons(
        _version(base, f"{path} (base)") if base is not None else {},
        _version(ours, f"{path} (ours)"),
        _version(theirs, f"{path} (theirs)"),
    )
    real_path = Path(os.path.realpath(path))
    with locked(real_path):
        write_atomically(real_path, encoded(tables))
    git.stage(path)
    return _described(reasons)


def _described(reasons: dict[str, list[str]]) -> list[str]:
    return [f"{key}: {'; '.join(why)}" for key, why in sorted(reasons.items())]


def _version(content: bytes, where: str) -> Tables:
    """One of the versions git keeps, parsed and migrated like the database file."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StorageError(f"{where} is not UTF-8 text ({error})") from None
    return parse_tables(text, where)
