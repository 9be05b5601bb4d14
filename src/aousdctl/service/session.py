"""Opening the database for one request: the only code that does.

A request that reads gets the file as it is (a rename is atomic, so no lock is needed); one
that writes holds the lock beside the file from before it reads until after its one write,
which happens only if the request succeeds (see `storage.database`).
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aousdctl.storage import journal
from aousdctl.storage.database import Database, require_database
from aousdctl.storage.durable import locked


@contextmanager
def reading(path: Path) -> Iterator[Database]:
    """The database as it is now, checked whole before anything else is done with it."""
    require_database(path)
    database = Database(path)
    database.load()
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
        database.load()
        yield database
        database.commit()
