"""The database file: a TinyDB storage that never loses a write, and opening it for a command.

TinyDB's own JSONStorage rewrites the file in place without a lock, so two cron jobs, or a
crash mid-write, can lose claims or leave half a file. Here each command that writes:

1. takes an exclusive `flock` on `<db>.lock` beside the file (never on the data file
   itself, which the rename replaces), removed again when done; the lock dies with its
   process, so a killed run never blocks the next;
2. reads and parses the file once, refusing (and never overwriting) one it can't parse;
3. lets TinyDB change the tables in memory, as often as the command needs;
4. writes once, at the end, and only if something changed: a temp file in the same folder,
   fsync, `os.replace`, fsync of the folder. A command that fails writes nothing.

Readers take no lock: a rename is atomic, so they see the old file or the new one.
"""

import contextlib
import copy
import fcntl
import glob
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, cast

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from aousdctl import clock, migrations
from aousdctl.claims import Claim, as_claim, match_key
from aousdctl.errors import BadInput, Conflict, NotFound, StorageError

DEFAULT_PATH = Path("db") / "claims.json"
LOCK_TIMEOUT_VARIABLE = "AOUSDCTL_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 10.0


class AtomicJSONStorage(Storage):
    """A TinyDB storage that reads its file once and writes it once, atomically, on commit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tables: migrations.Tables | None = None
        self._pending = False

    def read(self) -> migrations.Tables:
        if self._tables is None:
            self._tables = read_tables(self.path)
        return self._tables

    def write(self, data: migrations.Tables) -> None:
        self._tables = data
        self._pending = True

    def commit(self) -> bool:
        """Write what TinyDB changed, if anything; returns whether the file was written."""
        if not self._pending or self._tables is None:
            return False
        write_atomically(self.path, encoded(migrations.versioned(self._tables)))
        self._pending = False
        return True


_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def encoded(document: Any, depth: int = 0) -> Iterator[bytes]:
    """Pretty-printed, key-sorted JSON, so the database diffs and merges well in git.

    The same bytes as `orjson.dumps(document, option=OPT_INDENT_2 | OPT_SORT_KEYS)`, in
    pieces: the two outer levels (tables, then records) are laid out here and each record is
    encoded on its own, so a write never holds the whole encoded file in memory. orjson
    encodes about twenty times faster than the standard library's indenting encoder.
    """
    try:
        if depth >= 2 or not isinstance(document, dict) or not document:
            piece = orjson.dumps(document, option=_JSON_OPTIONS)
            yield piece.replace(b"\n", b"\n" + b"  " * depth) if depth else piece
        else:
            indent = b"  " * (depth + 1)
            for position, key in enumerate(sorted(document)):
                yield (b"{\n" if position == 0 else b",\n") + indent + orjson.dumps(key) + b": "
                yield from encoded(document[key], depth + 1)
            yield b"\n" + b"  " * depth + b"}"
    except orjson.JSONEncodeError as error:
        raise StorageError(f"the database can't be written as JSON: {error}") from None
    if depth == 0:
        yield b"\n"


def read_tables(path: Path) -> migrations.Tables:
    """Parse and migrate the database file, or explain why it can't be used."""
    try:
        # Read as text, not bytes: decoding bytes would hold the file twice at the peak.
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise missing_database(path) from None
    except IsADirectoryError:
        raise StorageError(f"{path} is a directory, not a database file") from None
    except UnicodeDecodeError as error:
        raise StorageError(f"{path} is not UTF-8 text ({error}); it was left untouched") from None
    except OSError as error:
        raise StorageError(f"can't read {path}: {error.strerror}") from None
    try:
        # The standard parser, not orjson: orjson builds its own tree of the whole file
        # first, which measured half again the peak memory for 10 ms less time at 10k claims.
        document = json.loads(text)
    except ValueError as error:
        raise StorageError(f"{path} is not valid JSON ({error}); it was left untouched") from None
    del text
    return migrations.upgrade(document, path)


def parse_tables(content: bytes, where: str) -> migrations.Tables:
    """Parse and migrate a database held in memory (e.g. a version git keeps), or explain
    why it can't be used."""
    try:
        document = json.loads(content.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise StorageError(f"{where} is not UTF-8 text ({error})") from None
    except ValueError as error:
        raise StorageError(f"{where} is not valid JSON ({error})") from None
    return migrations.upgrade(document, Path(where))


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


def missing_database(path: Path) -> StorageError:
    return StorageError(
        f"no database at {path}; create it with `aousdctl --db {path} init` "
        "(or fix the path: nothing was created)"
    )


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


JOURNAL_LIMIT = 100
# Earlier record versions the journal may hold: a tenth of the claims, and at least this.
JOURNAL_RECORD_FLOOR = 1_000


class Database:
    """One database opened for one command: its claims, removed claims and settings.

    Every change made through it is journaled as one unit (what each record it touched was
    before), so `undo` can revert a whole command, a whole import included.
    """

    def __init__(self, path: Path, command: str = "") -> None:
        self.path = path
        self._command = command
        self._before: dict[str, dict[str, Any]] = {}
        self._tinydb = TinyDB(path, storage=AtomicJSONStorage)
        self._claims = self._tinydb.table("claims", cache_size=0)
        self._removed = self._tinydb.table("removed", cache_size=0)
        self._config = self._tinydb.table("config", cache_size=0)
        self._meta = self._tinydb.table("meta", cache_size=0)
        self._topics = self._tinydb.table("topics", cache_size=0)
        self._journal = self._tinydb.table("journal", cache_size=0)
        self._match_index: dict[tuple[str, str], int] | None = None

    @property
    def storage(self) -> AtomicJSONStorage:
        return cast(AtomicJSONStorage, self._tinydb.storage)

    def load(self) -> None:
        """Read and check the file now, so a damaged one is reported before anything else."""
        self.storage.read()

    def claim(self, claim_id: int) -> Claim:
        record = self._claims.get(doc_id=claim_id)
        if record is None:
            if self.removed_claim(claim_id) is not None:
                raise NotFound(f"claim {claim_id} was removed (see `aousdctl log {claim_id}`)")
            raise NotFound(f"there is no claim {claim_id}")
        return as_claim(record, claim_id)

    def claims(self, where: Callable[[Mapping[str, Any]], bool] | None = None) -> list[Claim]:
        """Every claim, or those whose stored record `where` accepts, in id order.

        The hot path of every listing: claim objects are built only for the records kept.
        """
        kept = [
            (int(key), record)
            for key, record in self._stored("claims").items()
            if where is None or where(record)
        ]
        kept.sort(key=_first)
        return [as_claim(record, claim_id) for claim_id, record in kept]

    def stored_claims(self) -> list[tuple[int, Mapping[str, Any]]]:
        """(id, stored record) pairs in id order, without copying anything: for code that
        only reads every claim, like the article (the file sorts its keys as text: 1, 10, 2)."""
        return sorted(
            ((int(key), record) for key, record in self._stored("claims").items()), key=_first
        )

    def _stored(self, table: str) -> dict[str, Any]:
        """A table as this command's storage holds it. Whole-table reads go through here:
        TinyDB's `all()` would first copy every record into a Document."""
        tables: dict[str, dict[str, Any]] = self.storage.read()
        return tables[table]

    def removed_claim(self, claim_id: int) -> Claim | None:
        record = self._removed.get(doc_id=claim_id)
        return None if record is None else as_claim(record, claim_id)

    def removed_claims(self) -> list[Claim]:
        records = sorted(self._removed.all(), key=lambda record: record.doc_id)
        return [as_claim(record, record.doc_id) for record in records]

    def find_match(self, topic: str, text: str) -> Claim | None:
        """The claim that says the same thing in the same topic, through an index built once."""
        if self._match_index is None:
            self._match_index = {
                match_key(record["topic"], record["text"]): int(key)
                for key, record in self._stored("claims").items()
            }
        claim_id = self._match_index.get(match_key(topic, text))
        return None if claim_id is None else self.claim(claim_id)

    def insert(self, claim: Claim) -> Claim:
        """Store a new claim under the next id; ids are never reused, even after `rm`."""
        return self.insert_all([claim])[0]

    def insert_all(self, new: list[Claim], *, keep_ids: bool = False) -> list[Claim]:
        """Store many claims in one step (an import of thousands stays linear).

        With `keep_ids`, a claim keeps its id when this database has never used it, so a
        database copied through export and import keeps its numbering.
        """
        next_id = self._next_claim_id()
        used = {int(key) for name in ("claims", "removed") for key in self._stored(name)}
        stored: list[Claim] = []
        for claim in new:
            numbered = claim.copy()
            if keep_ids and claim["id"] > 0 and claim["id"] not in used:
                numbered["id"] = claim["id"]
            else:
                while next_id in used:
                    next_id += 1
                numbered["id"] = next_id
            used.add(numbered["id"])
            next_id = max(next_id, numbered["id"] + 1)
            self._remember("claims", numbered["id"])
            stored.append(numbered)
        self._claims.insert_multiple(Document(_record(c), doc_id=c["id"]) for c in stored)
        self._meta.upsert(Document({"next_claim_id": next_id}, doc_id=1))
        for claim in stored:
            self._index(claim)
        return stored

    def replace(self, claim: Claim) -> None:
        self._remember("claims", claim["id"])
        self._claims.upsert(Document(_record(claim), doc_id=claim["id"]))
        self._match_index = None

    def remove(self, removed: Claim) -> None:
        """Move a claim out of the claims into the removed ones, where the log still sees it."""
        self._remember("claims", removed["id"])
        self._remember("removed", removed["id"])
        self._claims.remove(doc_ids=[removed["id"]])
        self._removed.upsert(Document(_record(removed), doc_id=removed["id"]))
        self._match_index = None

    def setting(self, name: str) -> Any:
        record = self._config.get(doc_id=1)
        return None if record is None else record.get(name)

    def set_setting(self, name: str, value: Any) -> None:
        self._remember("config", 1)
        record = dict(self._config.get(doc_id=1) or {})
        record[name] = value
        self._config.upsert(Document(record, doc_id=1))

    def topics(self) -> list[dict[str, Any]]:
        """Topic settings: name, heading, order and intro (topics without settings have none)."""
        return [dict(record) for record in self._topics.all()]

    def set_topic(self, settings: dict[str, Any]) -> bool:
        """Create or replace a topic's settings; returns whether anything changed."""
        key = settings["name"].casefold()
        for record in self._topics.all():
            if record["name"].casefold() == key:
                if dict(record) == settings:
                    return False
                self._remember("topics", record.doc_id)
                self._topics.upsert(Document(settings, doc_id=record.doc_id))
                return True
        self._remember("topics", self._topics.insert(settings))
        return True

    def commit(self) -> bool:
        """Journal this command's changes as one unit, then write the file once."""
        if self._before:
            self._journal.insert(
                {
                    "at": clock.timestamp(clock.now()),
                    "command": self._command,
                    "before": self._before,
                    "undone_at": None,
                }
            )
            self._trim_journal()
        return self.storage.commit()

    def _trim_journal(self) -> None:
        """Keep the newest changes: at most JOURNAL_LIMIT of them, holding between them at
        most a tenth as many earlier versions of records as there are claims (at least
        JOURNAL_RECORD_FLOOR), so a few imports that touched every claim can't multiply the
        file's size; and always the latest change."""
        limit = max(JOURNAL_RECORD_FLOOR, len(self._stored("claims")) // 10)
        records = 0
        dropped = []
        newest_first = sorted(self._journal.all(), key=lambda entry: -entry.doc_id)
        for position, entry in enumerate(newest_first, start=1):
            records += sum(
                before is not None
                for images in entry["before"].values()
                for before in images.values()
            )
            if position > 1 and (position > JOURNAL_LIMIT or records > limit):
                dropped.append(entry.doc_id)
        if dropped:
            self._journal.remove(doc_ids=dropped)

    def undo(self) -> dict[str, Any]:
        """Revert the latest change not yet undone; the journal keeps what it reverted."""
        pending = [record for record in self._journal.all() if record["undone_at"] is None]
        if not pending:
            raise Conflict("nothing to undo: no change is left in the journal")
        entry = max(pending, key=lambda record: record.doc_id)
        reverted: dict[str, dict[str, Any]] = {}
        for table_name, images in entry["before"].items():
            table = self._tinydb.table(table_name, cache_size=0)
            for key, before in images.items():
                current = table.get(doc_id=int(key))
                reverted.setdefault(table_name, {})[key] = _snapshot(current)
                if before is not None:
                    table.upsert(Document(before, doc_id=int(key)))
                elif current is not None:
                    table.remove(doc_ids=[int(key)])
        undone = {**entry, "undone_at": clock.timestamp(clock.now()), "reverted": reverted}
        self._journal.upsert(Document(undone, doc_id=entry.doc_id))
        self._match_index = None
        return undone

    def undone_changes(self) -> list[dict[str, Any]]:
        """Journal entries that were undone, with what they had changed, oldest first."""
        records = sorted(self._journal.all(), key=lambda record: record.doc_id)
        return [dict(record) for record in records if record["undone_at"] is not None]

    def _remember(self, table_name: str, key: int) -> None:
        """Keep a record's state from before this command's first change to it."""
        images = self._before.setdefault(table_name, {})
        if str(key) not in images:
            table = self._tinydb.table(table_name, cache_size=0)
            images[str(key)] = _snapshot(table.get(doc_id=key))

    def _next_claim_id(self) -> int:
        meta = self._meta.get(doc_id=1)
        return int(meta.get("next_claim_id", 1)) if meta else 1

    def _index(self, claim: Claim) -> None:
        if self._match_index is not None:
            self._match_index[match_key(claim["topic"], claim["text"])] = claim["id"]


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]


def _snapshot(record: Any) -> dict[str, Any] | None:
    return None if record is None else copy.deepcopy(dict(record))


def _record(claim: Claim) -> dict[str, Any]:
    """A claim as stored: its id is the record's key, not a field."""
    return {name: value for name, value in claim.items() if name != "id"}


def require_database(path: Path) -> None:
    """Refuse to go on without a database: a typo in a crontab must not start a new one."""
    if not path.exists():
        raise missing_database(path)
    if path.is_dir():
        raise StorageError(f"{path} is a directory, not a database file")


@contextmanager
def open_database(path: Path, *, write: bool = False, command: str = "") -> Iterator[Database]:
    """Open the database for one command; with `write`, locked, and committed if it succeeds.

    `command` names the change in the journal, for `undo` to report.
    """
    require_database(path)
    if not write:
        database = Database(path)
        database.load()
        yield database
        return
    real_path = Path(os.path.realpath(path))
    with locked(real_path):
        database = Database(real_path, command)
        database.load()
        yield database
        database.commit()


def create_database(path: Path, title: str | None) -> None:
    """Make a new, empty database (and its folder); never touches an existing one."""
    if path.exists() or path.is_symlink():
        raise StorageError(f"a database already exists at {path}; nothing was changed")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(f"can't create {path.parent}: {error.strerror}") from None
    with locked(path):
        if path.exists():
            raise StorageError(f"a database already exists at {path}; nothing was changed")
        tables = migrations.upgrade(migrations.empty_document(), path)
        tables["config"]["1"] = {"title": title} if title else {}
        write_atomically(path, encoded(migrations.versioned(tables)))
