"""Durable files: a lock beside a file, and replacing a file so a crash leaves the old or the new.

Used by the database (every write), by `init` and by `export --output`:

- `locked(path)` holds an exclusive `flock` on `<path>.lock` (never on the data file, which
  the rename replaces) and removes the temporary files a killed writer left for `path`;
- `write_atomically` and `write_if_changed` write a temporary file in the same folder,
  fsync it, `os.replace` it over the target and fsync the folder; whatever goes wrong
  before the rename, the temporary file is removed and the target is as it was. A new file
  gets the mode the umask gives; a replaced one keeps its mode;
- `holds` compares a file with content piece by piece, never holding either whole;
- `read_regular_bytes` reads a file without ever waiting on a FIFO or a device, and
  `replaceable_target` says where a write to a path may go (never over a database's own
  files, a FIFO, a device or a folder; through a symlink to its target).
"""

import contextlib
import errno
import math
import os
import re
import stat
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from aousdctl.errors import BadInput, StorageError

try:
    import fcntl
except ImportError:  # not a POSIX system: say so instead of failing with an ImportError
    raise StorageError(
        "aousdctl runs only on POSIX systems (Linux, macOS, the BSDs): it locks the database "
        "with fcntl, which this system does not have"
    ) from None

LOCK_TIMEOUT_VARIABLE = "AOUSDCTL_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 10.0
# Temporary files are named as `tempfile.mkstemp` names them: the prefix, then exactly this
# many of these characters, then the suffix. Matching them exactly is what keeps the temporary
# files of `claims.json` apart from those of `claims.json.md` (`.claims.json.md.k3xq9m2a.tmp`
# has no 8-character middle).
_TEMPORARY_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"
_TEMPORARY_NAME = r"[a-z0-9_]{8}"
_TEMPORARY_SUFFIX = ".tmp"
# The temporary files this process may have made and not yet renamed or removed: each name
# is noted before its file is made, so `discard_unfinished` finds every one, wherever a
# command is stopped.
_UNFINISHED: set[str] = set()


def _open_regular(path: Path) -> int:
    """A descriptor of the regular file at `path`; anything else (a FIFO, a device, a
    folder) is refused without waiting on it: opening a FIFO to read would block until a
    writer came."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise  # the caller knows what a missing file means to it
    except IsADirectoryError:
        raise StorageError(f"{path} is a directory, not a regular file") from None
    except OSError as error:
        raise StorageError(f"can't read {path}: {error.strerror}") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise StorageError(f"{path} is {describe_kind(path)}, not a regular file")
    return descriptor


def read_regular_bytes(path: Path) -> bytes:
    """A regular file's bytes (see `_open_regular`): the database, the files kept beside it."""
    with open(_open_regular(path), "rb", closefd=True) as handle:
        try:
            return handle.read()
        except OSError as error:
            raise StorageError(f"can't read {path}: {error.strerror}") from None


def describe_kind(path: Path) -> str:
    """What is at `path`, for a message: "a directory", "a FIFO", "a device"..."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "missing"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def belongs_to(owner: Path, candidate: Path) -> bool:
    """Whether `candidate` is one of the files kept for `owner`: `owner` itself, its lock
    `<owner>.lock`, a hidden file named after it (`.<owner>...`: temporary files, and any
    companion file such as a journal), or the `.gitignore` kept beside it. Both paths should
    be absolute and resolved."""
    if candidate.parent != owner.parent:
        return False
    name = candidate.name
    if name in (owner.name, f"{owner.name}.lock", ".gitignore"):
        return True
    return name.startswith(f".{owner.name}")


def replaceable_target(path: Path, protected: Path) -> Path:
    """Where writing `path` atomically would put the new file: `path` itself, or the file a
    symlink at `path` leads to (the link stays a link). Refused (bad input) when that is one
    of `protected`'s files (`belongs_to`), or is there and is not a regular file: a FIFO or
    a device can't be replaced by a rename, and a folder is not an output file."""
    if _leads_to_special_files(path):
        raise BadInput(
            f"{path} is a device or process file, not a regular file; to write to a pipe or "
            "a device, print to stdout instead"
        )
    target = Path(os.path.realpath(path))
    absolute = Path(os.path.abspath(protected))
    for owner in {absolute, Path(os.path.realpath(protected))}:
        if belongs_to(owner, target) or _same_file(owner, target):
            raise BadInput(f"{path} is the database's own file ({owner.name}); choose another")
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as error:
        raise BadInput(f"can't use {path}: {error.strerror}") from None
    if not stat.S_ISREG(mode):
        raise BadInput(
            f"{path} is {describe_kind(path)}, not a regular file; to write to a pipe or a "
            "device, print to stdout instead"
        )
    return target


def _leads_to_special_files(path: Path) -> bool:
    """Whether `path`, or a symlink it leads through, lies in the file systems of /dev or
    /proc: `/dev/stdout` and `/proc/self/fd/1` resolve to whatever stdout is, a regular
    file included, which must not be replaced. Judged by the folder's file system, not by
    its spelling, so `//dev/fd/0` or a symlinked folder can't slip past (and /dev/shm,
    ordinary memory-backed files, is no device)."""
    special = set()
    for root in ("/dev", "/proc"):
        with contextlib.suppress(OSError):
            special.add(os.stat(root).st_dev)
    with contextlib.suppress(OSError):
        special.discard(os.stat("/").st_dev)  # a /dev that is a mere folder proves nothing
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on symlinks followed is 40
        try:
            if os.stat(os.path.dirname(current)).st_dev in special:
                return True
        except OSError:
            return False
        try:
            link = os.readlink(current)
        except OSError:
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), link))
    return False


def _same_file(one: Path, other: Path) -> bool:
    """Whether two paths are the same file (a hard link is), when both exist."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


@contextmanager
def folder_for_writing(folder: Path) -> Iterator[None]:
    """`folder` and any missing parents, made for a write that follows; if the write fails,
    the folders made for it are removed again (when still empty), so a failed command
    leaves nothing behind."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(f"can't create {folder}: {error.strerror}") from None
    try:
        yield
    except BaseException:
        for made in missing:  # deepest first
            with contextlib.suppress(OSError):
                made.rmdir()
        raise


def new_file_mode() -> int:
    """The mode a new file gets from the process's umask, as `open` or `touch` would give it.

    `os.umask` can only be read by setting it; a command runs one thread, so setting it back
    at once is safe."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomically(path: Path, content: Iterable[bytes | memoryview]) -> None:
    """Replace `path` with `content` so that a crash leaves either the old file or the new one.

    Whatever goes wrong before the rename (a full disk, an interrupt), the temporary file is
    removed and `path` is as it was.
    """
    temporary = written_beside(path, content)
    replace_with(temporary, path)


def write_if_changed(path: Path, content: Iterable[bytes]) -> bool:
    """Like `write_atomically`, but leave `path` (and its mtime) alone when it already holds
    exactly `content`; returns whether it was written. Neither is ever held whole."""
    comparison = _Comparison(path)
    temporary = written_beside(path, comparison.passing(content))
    if comparison.finish():
        discard(temporary)
        return False
    replace_with(temporary, path)
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


def written_beside(path: Path, content: Iterable[bytes | memoryview]) -> str:
    """`content` in a new, fsynced temporary file in `path`'s folder, with `path`'s mode."""
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = new_file_mode()
    try:
        descriptor, temporary = _new_temporary(path)
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
        discard(temporary)
        if isinstance(error, OSError):
            raise StorageError(
                f"can't write {path}: {error.strerror}; it was left as it was"
            ) from None
        raise
    return temporary


def _new_temporary(path: Path) -> tuple[int, str]:
    """A new empty file beside `path` (mode 0600, never an existing one), as `mkstemp`
    makes it, but noted in `_UNFINISHED` before it exists."""
    for _ in range(100):
        middle = "".join(
            _TEMPORARY_CHARACTERS[byte % len(_TEMPORARY_CHARACTERS)] for byte in os.urandom(8)
        )
        name = os.path.join(path.parent, f".{path.name}.{middle}{_TEMPORARY_SUFFIX}")
        _UNFINISHED.add(name)
        try:
            flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            _UNFINISHED.discard(name)
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file")


def replace_with(temporary: str, path: Path) -> None:
    try:
        os.replace(temporary, path)
    except OSError as error:
        discard(temporary)
        raise StorageError(f"can't write {path}: {error.strerror}; it was left as it was") from None
    _UNFINISHED.discard(temporary)
    _fsync_folder(path.parent)


def discard(temporary: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)
    _UNFINISHED.discard(temporary)


def discard_unfinished() -> None:
    """Remove every temporary file this process made and has not renamed into place: for a
    command stopped by a signal, anywhere (even between making a file and noting its name,
    or between writing it and renaming it). A name already renamed is no file any more."""
    for temporary in list(_UNFINISHED):
        discard(temporary)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable, not only the file's content."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def lock_timeout() -> float:
    value = os.environ.get(LOCK_TIMEOUT_VARIABLE, "").strip()
    if not value:
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise BadInput(
            f"{LOCK_TIMEOUT_VARIABLE} must be a number of seconds, 0 or more, not {value!r}"
        )
    return seconds


@contextmanager
def locked(path: Path, lock_name: str | None = None) -> Iterator[None]:
    """Hold the database's lock, waiting up to the lock timeout for another process.

    The lock is `fcntl.flock` on `<db>.lock` beside the database, never on the data file
    (which the rename replaces). The kernel drops it when its process ends, however it ends,
    so a killed run never blocks the next. The holder removes the lock file when it is done;
    a waiter that then gets the lock on the removed file notices (the path no longer leads to
    the file it locked) and starts again, so two processes never hold it at once. Temporary
    files left by a killed writer are removed by the next one. (The `filelock` package does
    much the same, but importing it cost every write 12 ms and 6 MB.)
    """
    lock_path = str(path.parent / (lock_name or f"{path.name}.lock"))
    deadline = time.monotonic() + lock_timeout()
    descriptor = _acquire(lock_path, deadline, path)
    try:
        remove_stale_temporaries(path)
        yield
    finally:
        # Lock files stay empty: a file there with content is somebody else's, kept.
        if os.fstat(descriptor).st_size == 0:
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


def remove_stale_temporaries(path: Path) -> None:
    """Temporary files for `path` that a killed writer left: call it with `path`'s lock
    held, when no live process is writing one. Only names `written_beside` makes for this
    very path match, never those of another file in the folder."""
    prefix = f".{path.name}."
    own = re.compile(re.escape(prefix) + _TEMPORARY_NAME + re.escape(_TEMPORARY_SUFFIX))
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix) and own.fullmatch(name):
            with contextlib.suppress(OSError):
                os.unlink(path.parent / name)
