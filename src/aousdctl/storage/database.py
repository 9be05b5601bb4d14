"""The database file: a TinyDB storage that never loses a write, and the changes a command
makes through it (`service.session` opens it for one request).

TinyDB's own JSONStorage rewrites the file in place without a lock, so two cron jobs, or a
crash mid-write, can lose claims or leave half a file. Here each command that writes:

1. takes an exclusive `flock` on `<db>.lock` beside the file (never on the data file
   itself, which the rename replaces), removed again when done; the lock dies with its
   process, so a killed run never blocks the next;
2. reads and parses the file once, refusing (and never overwriting) one it can't parse;
3. lets TinyDB's tables (`KeyedTable`, whose document ids are the records' text keys) change
   the records in memory, as often as the command needs;
4. writes once, at the end, and only if something changed: a temp file in the same folder,
   fsync, `os.replace`, fsync of the folder. A command that fails writes nothing. The undo
   journal, a file of its own (see `journal`), is written just before the `os.replace`.

Readers take no lock: a rename is atomic, so they see the old file or the new one.
"""

import contextlib
import copy
import os
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any, NoReturn, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from aousdctl.domain import dates, history, ids
from aousdctl.domain.claims import Claim, link_of, match_key
from aousdctl.domain.snapshot import CONFIG_KEY, Snapshot
from aousdctl.domain.topics import Topic
from aousdctl.errors import NotFound, StorageError
from aousdctl.storage import durable, gitignore, journal, migrations
from aousdctl.storage.durable import describe_kind, locked, write_atomically
from aousdctl.storage.fileformat import encoded, missing_database, read_database


class AtomicJSONStorage(Storage):
    """A TinyDB storage that reads its file once and writes it once, atomically, on commit.

    TinyDB gets the file's tables migrated to the current schema, without the `_schema`
    table: the version is the file's, not data a command changes, and every write records
    the current one (see `migrations.versioned`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tables: migrations.Tables | None = None
        self._pending = False
        # Whether the file was of an older schema, migrated as it was read.
        self.upgraded = False

    def read(self) -> migrations.Tables:
        if self._tables is None:
            self._tables, self.upgraded = read_database(self.path)
        return self._tables

    def write(self, data: migrations.Tables) -> None:
        self._tables = data
        self._pending = True

    @property
    def pending(self) -> bool:
        """Whether TinyDB changed anything that is not written yet."""
        return self._pending and self._tables is not None

    def commit(self, before_replace: Callable[[journal.Fingerprint], None] | None = None) -> bool:
        """Write what TinyDB changed, if anything; returns whether the file was written.

        `before_replace` gets the new file's fingerprint once its content is safely on disk
        but before it replaces the database; if it fails, the database stays as it was."""
        if not self.pending or self._tables is None:
            return False
        hashing = journal.Hashing()
        content = hashing.passing(encoded(self._tables))
        temporary = durable.written_beside(self.path, content)
        try:
            if before_replace is not None:
                before_replace(hashing.fingerprint(os.stat(temporary)))
        except BaseException:
            durable.discard(temporary)
            raise
        durable.replace_with(temporary, self.path)
        self._pending = False
        return True


class KeyedTable(Table):
    """A TinyDB table whose document ids are text (a claim id, a topic's name), never
    TinyDB's counter: ids come from `ids` (or a topic's name), so records added in two clones
    of the file never take the same id. Its changes go to the tables the storage holds, which
    writes them once, on commit.

    TinyDB's type hints give document ids as `int` whatever `document_id_class` says, hence
    the few `type: ignore`s, each where a text id meets them."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> NoReturn:
        raise TypeError(f"the {self.name} table has no counted ids: store a record by its key")

    def _update_table(self, updater: Callable[[dict[str, Any]], None]) -> None:  # type: ignore[override]
        """Change the stored table in place. TinyDB's own version copies the whole table twice
        per write to turn its ids into `document_id_class` and back, which for text ids changes
        nothing and would make an import that updates every claim take quadratic time."""
        tables = self.storage.read() or {}
        updater(tables.setdefault(self.name, {}))
        self.storage.write(tables)
        self.clear_cache()

    def record(self, key: str) -> Document | None:
        """The document stored under `key`, or None."""
        found: Document | None = self.get(doc_id=key)  # type: ignore[call-overload]
        return found

    def insert_new(self, records: Iterable[tuple[str, Mapping[str, object]]]) -> None:
        """Store records under keys no record has; TinyDB refuses a key in use."""
        self.insert_multiple(Document(record, doc_id=key) for key, record in records)  # type: ignore[arg-type]

    def put(self, key: str, record: Mapping[str, object]) -> None:
        self.put_all([(key, record)])

    def put_all(self, records: Iterable[tuple[str, Mapping[str, object]]]) -> None:
        """Store each record under its key, replacing any record there whole (TinyDB's
        `upsert` would merge the fields, keeping one the new record no longer has)."""

        def store(table: dict[str, Any]) -> None:
            for key, record in records:
                table[key] = dict(record)

        self._update_table(store)

    def delete(self, key: str) -> None:
        """Remove the record under `key`, if there is one."""
        self.remove(doc_ids=[key])  # type: ignore[list-item]


class Records(TinyDB):
    """The database's TinyDB, whose tables are keyed by text."""

    table_class = KeyedTable


class Database(Snapshot):
    """One database opened for one command: its claims, removed claims and settings, read
    as a `Snapshot` and changed through the methods below.

    Every change made through it is journaled as one unit (what each record it touched was
    before), so `undo` can revert a whole command, a whole import included. The journal is a
    file of its own beside the database (see `journal`).
    """

    def __init__(self, path: Path, command: str = "") -> None:
        self.path = path
        self._command = command
        self._change = journal.Change()
        self._journal: journal.Journal | None = None
        self._tinydb = Records(path, storage=AtomicJSONStorage)
        self._claims = self._keyed("claims")
        self._removed = self._keyed("removed")
        self._config = self._keyed("config")
        self._topics = self._keyed("topics")
        self._match_index: dict[tuple[str, str], str] | None = None
        self._twins = False
        self._number_by_id: dict[str, int] | None = None

    def _keyed(self, name: str) -> KeyedTable:
        """A table through TinyDB, for reading or changing single records."""
        return cast(KeyedTable, self._tinydb.table(name))

    def table(self, name: str) -> dict[str, Any]:
        """A table as this command's storage holds it. Whole-table reads go through here:
        TinyDB's `all()` would first copy every record into a Document."""
        tables: dict[str, dict[str, Any]] = self.storage.read()
        return tables.get(name, {})

    def snapshot(self) -> Snapshot:
        """The tables as they are now, for what reads them after the database is closed."""
        return Snapshot(self.storage.read())

    @property
    def storage(self) -> AtomicJSONStorage:
        return cast(AtomicJSONStorage, self._tinydb.storage)

    def load(self) -> None:
        """Read and check the file now, so a damaged one is reported before anything else."""
        self.storage.read()

    def resolve(self, reference: str) -> str:
        """The whole id of the claim (or removed claim) that `reference` names: an old
        number, a whole id or a unique prefix of one. The one resolver every command uses."""
        known = self.table("claims").keys() | self.table("removed").keys()
        return ids.resolve(reference, known, self.old_numbers())

    def claim(self, reference: str) -> Claim:
        """The claim `reference` names (see `resolve`); a removed one is not found."""
        claim_id = self.resolve(reference)
        record = self._claims.record(claim_id)
        if record is None:
            raise NotFound(f"claim {claim_id} was removed (see `aousdctl log {claim_id}`)")
        return self.claim_of(record, claim_id)

    def keep_source(self, record: Mapping[str, object]) -> None:
        """Store a source's record under its URL (journaled, like any change)."""
        self.put_record("sources", str(record["url"]), record)

    def set_old_number(self, number: str, claim_id: str) -> None:
        """Let a claim answer to an old number again (an import of another database's)."""
        self._remember("numbers", number)
        self._keyed("numbers").put(number, {"id": claim_id})
        self._number_by_id = None

    def claim_with_id(self, claim_id: str) -> Claim | None:
        """The claim with exactly this whole id, if there is one (no prefixes, no numbers)."""
        record = self._claims.record(claim_id)
        return None if record is None else self.claim_of(record, claim_id)

    def removed_claim(self, claim_id: str) -> Claim | None:
        """The removed claim with this whole id (see `resolve`), if there is one."""
        record = self._removed.record(claim_id)
        return None if record is None else self.claim_of(record, claim_id)

    def find_match(self, topic: str, text: str) -> Claim | None:
        """The claim that says the same thing in the same topic, through an index built once."""
        if self._match_index is None:
            self._match_index = {
                match_key(record["topic"], record["text"]): key
                for key, record in self.table("claims").items()
            }
            # Two claims that say the same (a merge of two clones can leave them) share one
            # entry, which can't then be kept up to date claim by claim.
            self._twins = len(self._match_index) < len(self.table("claims"))
        claim_id = self._match_index.get(match_key(topic, text))
        return None if claim_id is None else self.claim_of(self.table("claims")[claim_id], claim_id)

    def insert(self, claim: Claim) -> Claim:
        """Store a new claim under a new random id, never one in use (removed claims too)."""
        return self.insert_all([claim])[0]

    def insert_all(self, new: list[Claim]) -> list[Claim]:
        """Store many claims in one step (an import of thousands stays linear).

        A claim that comes with an id (from an import) keeps it when no claim here, removed
        ones included, has it, so a database copied through export and import keeps its
        ids; any other gets a new random one.
        """
        used = self.table("claims").keys() | self.table("removed").keys()
        # Ids the journal mentions are taken too: an undone claim's id is never given again.
        used |= self.undo_journal().claim_ids_mentioned()
        stored: list[Claim] = []
        for claim in new:
            identified = claim.copy()
            if not (ids.is_id(claim["id"]) and claim["id"] not in used):
                identified["id"] = ids.new_id(used)
            used.add(identified["id"])
            self._remember("claims", identified["id"])
            stored.append(identified)
        self._claims.insert_new((c["id"], _record(c)) for c in stored)
        for claim in stored:
            self._index(claim)
        return stored

    def replace(self, claim: Claim) -> None:
        self._remember("claims", claim["id"])
        self._unindex(claim["id"])
        self._claims.put(claim["id"], _record(claim))
        self._index(claim)

    def remove(self, removed: Claim) -> None:
        """Move a claim out of the claims into the removed ones, where the log still sees it."""
        self._remember("claims", removed["id"])
        self._remember("removed", removed["id"])
        self._unindex(removed["id"])
        self._claims.delete(removed["id"])
        self._removed.put(removed["id"], _record(removed))

    def set_setting(self, name: str, value: Any) -> None:
        self._remember("config", CONFIG_KEY)
        record = dict(self._config.record(CONFIG_KEY) or {})
        record[name] = value
        self._config.put(CONFIG_KEY, record)

    def set_topic(self, settings: Topic) -> bool:
        """Create or replace a topic's settings, keyed by its name ignoring case (never by a
        counter, so clones adding topics don't collide); returns whether anything changed."""
        key = migrations.topic_key(settings["name"])
        if self._topics.record(key) == settings:
            return False
        self._remember("topics", key)
        self._topics.put(key, settings)
        return True

    def remove_topic(self, name: str) -> None:
        """Remove a topic's settings (journaled: `undo` puts them back)."""
        self.delete_record("topics", migrations.topic_key(name))

    def undo_journal(self) -> journal.Journal:
        """This database's undo journal, read once per command."""
        if self._journal is None:
            self._journal = journal.load(self.path)
        return self._journal

    def put_record(self, table_name: str, key: str, record: Mapping[str, object]) -> bool:
        """Replace one record of a table, journaled; returns whether it changed (an
        unchanged record leaves the file alone)."""
        table = self._keyed(table_name)
        if table.record(key) == record:
            return False
        self._remember(table_name, key)
        table.put(key, record)
        return True

    def add_records(self, table_name: str, new: Mapping[str, Mapping[str, object]]) -> None:
        """Store new records of a table under their keys in one step, journaled."""
        for key in new:
            self._remember(table_name, key)
        self._keyed(table_name).put_all(new.items())

    def delete_record(self, table_name: str, key: str) -> None:
        """Remove one record of a table, journaled (undo puts it back)."""
        self._remember(table_name, key)
        self._keyed(table_name).delete(key)

    def commit(self) -> bool:
        """Journal this command's changes as one unit, then write the file once.

        The new file is written beside the database, then the journal (under the same lock,
        recording the new file's fingerprint), and only then does the new file replace the
        database; the `.gitignore` beside it is checked first. If any of them can't be
        written, the database stays as it was."""
        if not self.storage.pending:
            return False
        changes = self.undo_journal()
        changes.notice_database(self.path)
        if self.storage.upgraded:
            changes.seal()  # its images are of the older schema: undo can't put them back
        changes.record(self._change, command=self._command, at=dates.timestamp(dates.now()))
        changes.trim(len(self.table("claims")))
        gitignore.ensure(self.path)
        return self.storage.commit(before_replace=changes.save)

    def undo(self) -> dict[str, Any]:
        """Revert the latest change not yet undone, record for record; the journal keeps
        what it reverted. The ids of the history events it took back go to the tombstones,
        so that neither an import nor a merge brings them back from another clone's copy.
        Returns its command, when it was made and the claim keys touched."""
        tables: migrations.Tables = self.storage.read()
        undone = self.undo_journal().undo(tables, self.path, at=dates.timestamp(dates.now()))
        tombstones = tables.setdefault("tombstones", {})
        for event_id, holder in undone.pop("took_back").items():
            tombstones[event_id] = history.tombstone(holder)
        self.storage.write(tables)
        self._match_index = None
        self._number_by_id = None
        return undone

    def undone_log(
        self, claim_id: str | None = None
    ) -> list[tuple[str, str, int, dict[str, Any], dict[str, Any]]]:
        """The log lines of undone changes, of one claim or of all (see `journal.undone_log`)."""
        return journal.undone_log(self.undo_journal(), claim_id)

    def creations(self) -> dict[str, str]:
        """Creation (the id of a claim's `added` event) -> id, of every claim and removed
        claim: what finds another clone's copy of a claim whatever its id became."""
        index: dict[str, str] = {}
        for table in ("removed", "claims"):
            for key, record in self.table(table).items():
                creation = history.creation_of(record)
                if creation is not None:
                    index[creation] = key
        return index

    def claim_entry(self, key: str) -> tuple[str, dict[str, Any]] | None:
        """The table ("claims" or "removed") and stored record of the claim with this id."""
        for table in ("claims", "removed"):
            record = self.table(table).get(key)
            if record is not None:
                return table, record
        return None

    def claims_holding(self, event_ids: set[str]) -> list[str]:
        """Ids of the claims (removed ones too) whose history holds any of these events."""
        if not event_ids:
            return []
        return [
            key
            for table in ("claims", "removed")
            for key, record in self.table(table).items()
            if any(event.get("id") in event_ids for event in record.get("history") or ())
        ]

    def used_ids(self, returning: Iterable[tuple[str, str]] = ()) -> set[str]:
        """Every id a new claim must not take: claims, removed claims, and undone ones, but
        for the (id, creation) pairs of `returning` that the journal knows: a claim undone
        here coming back from another clone takes its own id again."""
        used = set(self.table("claims")) | set(self.table("removed"))
        used |= self.undo_journal().claim_ids_mentioned()
        known = self.undo_journal().claims_mentioned()
        return used - {key for key, creation in returning if (key, creation) in known}

    def store_claim(self, claim: Claim, *, removed: bool) -> None:
        """Keep a claim among the claims, or the removed claims, and out of the other."""
        key = claim["id"]
        self._remember("claims", key)
        self._remember("removed", key)
        (self._removed if removed else self._claims).put(key, _record(claim))
        (self._claims if removed else self._removed).delete(key)
        self._match_index = None

    def forget_claim(self, key: str) -> None:
        """Drop a claim (or removed claim) whose history is gone (an addition undone on
        another clone), or that moves to another id."""
        self._remember("claims", key)
        self._remember("removed", key)
        self._claims.delete(key)
        self._removed.delete(key)
        self._match_index = None

    def set_tombstones(self, added: Mapping[str, str], *, lifted: Collection[str]) -> None:
        """Record events undone elsewhere (event id -> claim id or source URL), and forget
        tombstones of events that are back; journaled, like any change."""
        for event_id, claim_id in added.items():
            self.put_record("tombstones", event_id, history.tombstone(claim_id))
        for event_id in lifted:
            if event_id in self.table("tombstones"):
                self.delete_record("tombstones", event_id)

    def adopt(self, event_ids: Iterable[str]) -> None:
        """Mark history events this command brought from another clone (an import): an
        `undo` of it takes them back without a tombstone, so they are not lost for the clone
        they came from."""
        self._change.adopted.update(event_ids)

    def _remember(self, table_name: str, key: str) -> None:
        """Keep a record's state from before this command's first change to it."""
        if not self._change.knows(table_name, str(key)):
            record = self.table(table_name).get(str(key))
            self._change.remember(table_name, str(key), _snapshot(record))

    def _index(self, claim: Claim) -> None:
        if self._match_index is not None:
            self._match_index[match_key(claim["topic"], claim["text"])] = claim["id"]

    def _unindex(self, claim_id: str) -> None:
        """Forget what a stored claim says, before it changes or goes (kept up to date rather
        than rebuilt: a command that moves a whole topic changes thousands of claims)."""
        record = self.table("claims").get(claim_id)
        if self._match_index is None or record is None:
            return
        if self._twins:
            self._match_index = None
            return
        key = match_key(record["topic"], record["text"])
        if self._match_index.get(key) == claim_id:
            del self._match_index[key]


def _snapshot(record: Any) -> dict[str, Any] | None:
    return None if record is None else copy.deepcopy(dict(record))


def _record(claim: Claim) -> dict[str, Any]:
    """A claim as stored: its id is the record's key, not a field, and its sources are
    links (their details are the sources' records)."""
    record = {name: value for name, value in claim.items() if name != "id"}
    record["sources"] = [link_of(source) for source in claim["sources"]]
    return record


def require_database(path: Path) -> None:
    """Refuse to go on without a database: a typo in a crontab must not start a new one."""
    if not path.exists():
        raise missing_database(path)
    if path.is_dir():
        raise StorageError(f"{path} is a directory, not a database file")
    if not path.is_file():
        raise StorageError(f"{path} is {describe_kind(path)}, not a database file")


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
        tables["config"][CONFIG_KEY] = {"title": title} if title else {}
        gitignore.ensure(path)
        # A journal left by an earlier database at this path is not this one's history.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(journal.path_for(path))
        write_atomically(path, encoded(tables))
