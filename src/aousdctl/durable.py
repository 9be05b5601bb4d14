"""Durable files: a lock beside a file, and replacing a file so a crash leaves the old or the new.

Used by the database (every write), by `init` and by `export --output`:

- `locked(path)` holds an exclusive `flock` on `<path>.lock` (never on the data file, which
  the rename replaces) and removes the temporary files a killed writer left;
- `write_atomically` and `write_if_changed` write a temporary file in the same folder,
  fsync it, `os.replace` it over the target and fsync the folder; whatever goes wrong
  before the rename, the temporary file is removed and the target is as it was;
- `holds` compares a file with content piece by piece, never holding either whole.
"""

import contextlib
import fcntl
import glob
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from aousdctl.errors import BadInput, StorageError

LOCK_TIMEOUT_VARIABLE = "AOUSDCTL_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 10.0


def write_atomically(path: Path, content: Iterable[bytes]) -> None:
    """Replace `path` with `content` so that a crash leaves either the old file or the new one.

    Whatever goes wrong before the rename (a full disk, an interrupt), the temporary file is
    removed and `path` is as it was.
    """
    temporary = _written_beside(path, content)
    _replace(temporary, path)


def write_if_changed(path: Path, content: Iterable[bytes]) -> bool:
    """Like `write_atomically`, but leave `path` (and its mtime) alone when it already holds
    exactly `content`; returns whether it was written. Neither is ever held whole."""
    comparison = _Comparison(path)
    temporary = _written_beside(path, comparison.passing(content))
    if comparison.finish():
        os.unlink(temporary)
        return False
    _replace(temporary, path)
    return True


def holds(path: Path, content: Iterable[bytes]) -> bool:
    """Whether `path` holds exactly `content`, compared piece by piece."""
    comparison = _Comparison(path)
    for _ in comparison.passing(content):
        pass
    return comparison.finish()


class _Comparison:
    """Compares pieces of content, as they pass, with what a file already holds."""

    def __init__(self, path: Path) -> None:
        try:
            self._file: BinaryIO | None = open(path, "rb")  # noqa: SIM115 (closed in finish)
        except FileNotFoundError:
            self._file = None
        except OSError as error:
            raise StorageError(f"can't read {path}: {error.strerror}") from None
        self._same = self._file is not None

    def passing(self, content: Iterable[bytes]) -> Iterator[bytes]:
        for piece in content:
            if self._same and self._file is not None:
                self._same = self._file.read(len(piece)) == piece
            yield piece

    def finish(self) -> bool:
        if self._file is None:
            return False
        same = self._same and self._file.read(1) == b""
        self._file.close()
        return same


def _written_beside(path: Path, content: Iterable[bytes]) -> str:
    """`content` in a new, fsynced temporary file in `path`'s folder, with `path`'s mode."""
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    try:
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise StorageError(f"can't write in {folder}: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for piece in content:
                handle.write(piece)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
    except BaseException as error:
        _discard(temporary)
        if isinstance(error, OSError):
            raise StorageError(
                f"can't write {path}: {error.strerror}; it was left as it was"
            ) from None
        raise
    return temporary


def _replace(temporary: str, path: Path) -> None:
    try:
        os.replace(temporary, path)
    except OSError as error:
        _discard(temporary)
        raise StorageError(f"can't write {path}: {error.strerror}; it was left as it was") from None
    _fsync_folder(path.parent)


def _discard(temporary: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable, not only the file's content."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def lock_timeout() -> float:
    value = os.environ.get(LOCK_TIMEOUT_VARIABLE, "").strip()
    try:
        return float(value) if value else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        raise BadInput(
            f"{LOCK_TIMEOUT_VARIABLE} must be a number of seconds, not {value!r}"
        ) from None


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the database's lock, waiting up to the lock timeout for another process.

    The lock is `fcntl.flock` on `<db>.lock` beside the database, never on the data file
    (which the rename replaces). The kernel drops it when its process ends, however it ends,
    so a killed run never blocks the next. The holder removes the lock file when it is done;
    a waiter that then gets the lock on the removed file notices (the path no longer leads to
    the file it locked) and starts again, so two processes never hold it at once. Temporary
    files left by a killed writer are removed by the next one. (The `filelock` package does
    much the same, but importing it cost every write 12 ms and 6 MB.)
    """
    lock_path = f"{path}.lock"
    deadline = time.monotonic() + lock_timeout()
    descriptor = _acquire(lock_path, deadline, path)
    try:
        _remove_stale_temporaries(path)
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock_path)
        os.close(descriptor)


def _acquire(lock_path: str, deadline: float, path: Path) -> int:
    pause = 0.002
    while True:
        try:
            descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise StorageError(f"can't lock {path}: {error.strerror}") from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
        else:
            if _still_at(lock_path, descriptor):
                return descriptor
            os.close(descriptor)  # the holder removed it meanwhile: lock the new one
            continue
        if time.monotonic() >= deadline:
            raise StorageError(
                f"{path} is busy: another aousdctl kept it locked for {lock_timeout():g} s; "
                "nothing was changed, try again"
            )
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def _still_at(lock_path: str, descriptor: int) -> bool:
    """Whether the file locked through `descriptor` is still the one at `lock_path`."""
    try:
        current = os.stat(lock_path)
    except FileNotFoundError:
        return False
    locked_file = os.fstat(descriptor)
    return (current.st_dev, current.st_ino) == (locked_file.st_dev, locked_file.st_ino)


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files of this database that a killed writer left: with the lock held, no
    live process is writing one."""
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()
