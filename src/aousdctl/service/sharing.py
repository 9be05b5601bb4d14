"""Sharing the database through git: setting up the merge driver, the driver itself, and
finishing a merge that git made without it."""

import os
from collections.abc import Iterable
from pathlib import Path

from aousdctl.domain import merge
from aousdctl.errors import StorageError
from aousdctl.storage import filemerge
from aousdctl.storage.database import require_database
from aousdctl.storage.durable import locked, read_regular_bytes, write_atomically
from aousdctl.storage.fileformat import encoded, parse_tables
from aousdctl.storage.migrations import Tables
from aousdctl.vcs import git


def set_up(path: Path) -> list[str]:
    """Register the merge driver for the database at `path`; returns what was changed."""
    require_database(path)
    return git.set_up(path)


def merge_files(base: Path, ours: Path, theirs: Path) -> list[str]:
    """What the merge driver does: merge three versions of the database and leave the result
    in `ours` (git's %A). Returns, one line each, the claims this merge flagged for a
    person to look at and why. An empty BASE is no common ancestor.

    A version that can't be read raises before anything is written, so git reports a
    conflict and every version stays as it was.
    """
    versions = [(read_regular_bytes(path), str(path)) for path in (base, ours, theirs)]
    pieces, reasons = _merged(versions)
    write_atomically(ours, pieces)
    return _described(reasons)


def resolve(path: Path) -> list[str]:
    """Finish a merge that git made without the driver: merge the three versions it keeps of
    the database, write the result and stage it. Returns, one line each, the claims this
    merge flagged and why."""
    base, ours, theirs = git.conflicted_versions(path)
    pieces, reasons = _merged(
        [
            (base or b"", f"{path} (base)"),
            (ours, f"{path} (ours)"),
            (theirs, f"{path} (theirs)"),
        ]
    )
    real_path = Path(os.path.realpath(path))
    with locked(real_path):
        write_atomically(real_path, pieces)
    git.stage(path)
    return _described(reasons)


def _merged(
    versions: list[tuple[bytes, str]],
) -> tuple[Iterable[bytes | memoryview], dict[str, list[str]]]:
    """The merged file's bytes and the flagged claims' reasons: record by record from the
    bytes when every version is laid out as this aousdctl writes it (see `filemerge`),
    else from the versions parsed and migrated."""
    laid_out = filemerge.merge_versions(*(content for content, _ in versions))
    if laid_out is not None:
        return laid_out
    base, ours, theirs = (_version(content, where) for content, where in versions)
    tables, reasons = merge.merge_with_reasons(base, ours, theirs)
    return encoded(tables), reasons


def _described(reasons: dict[str, list[str]]) -> list[str]:
    return [f"{key}: {'; '.join(why)}" for key, why in sorted(reasons.items())]


def _version(content: bytes, where: str) -> Tables:
    """One of the versions git keeps, parsed and migrated like the database file; an empty
    one is an empty database (git's base when the two sides have no common ancestor)."""
    if not content.strip():
        return {}
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StorageError(f"{where} is not UTF-8 text ({error})") from None
    return parse_tables(text, where)
