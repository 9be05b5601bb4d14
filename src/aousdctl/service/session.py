"""Opening the database for one request: the only code that does.

A request that reads gets the file as it is (a rename is atomic, so no lock is needed); one
that writes holds the lock beside the file from before it reads until after its one write,
which happens only if the request succeeds (see `storage.database`).
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aousdctl.errors import StorageError
from aousdctl.storage import journal
from aousdctl.storage.database import Database, require_database
from aousdctl.storage.durable import discard_unfinished, locked
from aousdctl.vcs import git

# The last database opened, kept until the next one is: a command's process ends without
# freeing it object by object (see `cli.program.exit_at_once`).
_last_opened: list[Database] = []


@contextmanager
def reading(path: Path) -> Iterator[Database]:
    """The database as it is now, checked whole before anything else is done with it."""
    require_database(path)
    database = Database(path)
    load(database, path)
    _last_opened[:] = [database]
    yield database


@contextmanager
def writing(path: Path, command: str) -> Iterator[Database]:
    """The database locked for one change, committed (and journaled as `command`, for
    `undo` to report) when the block ends without an error; otherwise nothing is written."""
    require_database(path)
    real_path = Path(os.path.realpath(path))
    with locked(real_path):
        journal.remove_stale_temporaries(real_path)
        database = Database(real_path, command)
        load(database, path)
        _last_opened[:] = [database]
        yield database
        database.commit()


def load(database: Database, named: Path) -> None:
    """Read and check the database, refusing one that git has not finished merging (the
    file as `named` by the user): conflict markers would otherwise read only as "not valid
    JSON", and our side alone, which git leaves when the merge driver could not run, as a
    healthy file whose next write drops the other side's changes."""
    try:
        database.load()
    except StorageError:
        refuse_unfinished_merge(named, damaged=True)
        raise
    refuse_unfinished_merge(named, damaged=False)


def refuse_unfinished_merge(path: Path, *, damaged: bool) -> None:
    """Stop here if git has not finished merging `path` (see `git.unfinished_merge`)."""
    unfinished = git.unfinished_merge(path, damaged=damaged)
    if unfinished is not None:
        raise StorageError(unfinished)


def abandon_unfinished_writes() -> None:
    """Remove the temporary files this process made and has not renamed into place: for a
    request stopped by a signal, wherever it was (see `durable.discard_unfinished`)."""
    discard_unfinished()
