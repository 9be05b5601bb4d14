"""Sharing the database through git: setting up the merge drivers, the database's driver
itself, and finishing a merge, rebase, cherry-pick, revert or stash pop that git could not
finish alone (the database, and the exported articles, made again from it)."""

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from aousdctl.domain import dates, merge
from aousdctl.errors import Conflict
from aousdctl.service import publish
from aousdctl.storage import filemerge, gitignore
from aousdctl.storage.database import require_database
from aousdctl.storage.durable import locked, read_regular_bytes, write_atomically
from aousdctl.storage.fileformat import encoded, parse_tables
from aousdctl.storage.migrations import Tables
from aousdctl.vcs import git


def set_up(path: Path, articles: list[Path]) -> list[str]:
    """`git-setup`: register the merge drivers (see `git.set_up`), and stage the
    `.gitattributes` and the `.gitignore` beside the database, written now if need be, so
    that they are committed together: a clone whose first write made its own `.gitignore`
    could not pull one that another clone committed. Returns what was changed."""
    require_database(path)
    changed = [f"Set {change}" for change in git.set_up(path, articles)]
    gitignore.ensure(path)
    top, _ = git.repository_of(path)
    shared = [top / git.ATTRIBUTES, gitignore.path_beside(path)]
    waiting = git.unstaged(*shared)
    if waiting:
        git.stage(*shared)
        changed.append(f"Staged {' and '.join(waiting)}: commit them")
    return changed


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


@dataclass
class Resolution:
    """What `resolve` did: the database merged (or not: the driver had), the articles made
    again, the claims flagged for review, what git is in the middle of, and the files still
    in conflict for a person to resolve."""

    operation: git.Operation
    database: bool = False
    articles: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    remaining: list[str] = field(default_factory=list)


def resolve(path: Path) -> Resolution:
    """Finish what git could not merge alone: the database from the three versions git
    keeps of it, then each exported article git left in conflict (marked in
    `.gitattributes` by `git-setup --article`), made again from the merged database with
    the default template; each is written and staged. Nothing to resolve is refused."""
    top, relative = git.repository_of(path)
    unmerged = git.unmerged_paths(top)
    articles = git.articles_among(top, [name for name in unmerged if name != relative])
    if relative not in unmerged and not articles:
        raise Conflict(
            f"{path} is not in a conflicted merge: there is nothing to resolve; nothing was changed"
        )
    resolution = Resolution(git.operation(path), articles=articles)
    if relative in unmerged:
        resolution.flagged = _merge_versions(path)
        resolution.database = True
    for article in articles:
        written = top / article
        publish.write_output(path, written, publish.article(path, dates.now(), None))
        git.stage(written)
    resolution.remaining = git.unmerged_paths(top)
    return resolution


def _merge_versions(path: Path) -> list[str]:
    """Merge the three versions git keeps of the database, write the result and stage it;
    returns, one line each, the claims this merge flagged and why."""
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
    base, ours, theirs = (
        _version(content, where, ancestor=number == 0)
        for number, (content, where) in enumerate(versions)
    )
    tables, reasons = merge.merge_with_reasons(base, ours, theirs)
    return encoded(tables), reasons


def _described(reasons: dict[str, list[str]]) -> list[str]:
    return [f"{key}: {'; '.join(why)}" for key, why in sorted(reasons.items())]


def _version(content: bytes, where: str, *, ancestor: bool) -> Tables:
    """One of the versions git keeps, parsed and migrated like the database file. An empty
    ancestor is an empty database (git's base when the two sides have none in common); an
    empty side is refused as any file that isn't JSON is: a file emptied by accident must
    not merge into the loss of every record the other side has."""
    if ancestor and not content.strip():
        return {}
    return parse_tables(content, where)
