"""The undo journal: what each recent change replaced, kept beside the database, not in it.

The journal is this clone's own memory of its changes, so it lives in a sibling file that git
does not track (`.claims.json.journal` beside `claims.json`) and the tracked database changes
only where a command changes it. It is written under the database's lock, atomically, just
before the new database file replaces the old: a command whose journal can't be written
changes nothing.

Each change keeps the image of every record it touched as it was before (None: the record did
not exist), so `undo` puts back exactly the records there were, record for record. An undone
change keeps the images it reverted too, so `log` can still show it.

`undo` only walks back through this clone's own changes: the journal records a fingerprint of
the database file as its last write left it (a SHA-256 of the content, plus size, mtime,
inode and device so that an untouched file is recognised without reading it). When the file
was changed by anything else since (a `git pull`, a merge, a hand edit), there is nothing it
can safely undo; the changes made before such an outside change stay in the log but can no
longer be undone.

This is the only module that knows the journal's shape.
"""

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from aousdctl import codec
from aousdctl.errors import Conflict, StorageError

FORMAT = "aousdctl-journal"
VERSION = 1
# The newest changes kept, at most.
CHANGE_LIMIT = 100
# Record images (earlier and reverted versions) the kept changes may hold between them: a
# tenth as many as there are claims, and at least this. The newest change is always kept.
RECORD_FLOOR = 1_000
# Ids of undone new claims remembered after their change left the journal, at most.
RETIRED_LIMIT = 100_000
CLAIM_TABLES = ("claims", "removed")

Tables = dict[str, dict[str, Any]]
Fingerprint = dict[str, Any]

OUTSIDE_CHANGE = (
    "{path} was changed by something other than this clone's aousdctl since its last change "
    "(a git pull, a merge or an edit), so there is nothing it can safely undo; "
    "nothing was changed"
)


def path_for(database: Path) -> Path:
    """The journal of a database: a hidden sibling whose name begins with the database's."""
    return database.with_name(f".{database.name}.journal")


class Change:
    """The records one command touched, each as it was before the command's first change."""

    def __init__(self) -> None:
        self.before: Tables = {}
        # Ids of history events the command brought from elsewhere (see `Database.adopt`).
        self.adopted: set[str] = set()

    def remember(self, table: str, key: str, record: Any) -> None:
        """Keep `record` as the image of `table`/`key` unless an earlier one is kept already;
        `record` is None when it does not exist yet. The caller passes a copy it won't change."""
        self.before.setdefault(table, {}).setdefault(key, record)

    def knows(self, table: str, key: str) -> bool:
        return key in self.before.get(table, {})

    def __bool__(self) -> bool:
        return bool(self.before)


class Hashing:
    """A SHA-256 of content taken as its pieces pass on their way to a file."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def passing(self, content: Iterable[bytes]) -> Iterator[bytes]:
        for piece in content:
            self._hash.update(piece)
            yield piece

    def fingerprint(self, written: os.stat_result) -> Fingerprint:
        return {"sha256": self._hash.hexdigest(), **_stat_part(written)}


def _stat_part(status: os.stat_result) -> dict[str, int]:
    return {
        "size": status.st_size,
        "mtime_ns": status.st_mtime_ns,
        "inode": status.st_ino,
        "device": status.st_dev,
    }


def holds_as_written(path: Path, fingerprint: Fingerprint | None) -> bool:
    """Whether the file at `path` is the one `fingerprint` describes: the same file untouched
    (no read needed), or failing that, the same content."""
    if fingerprint is None:
        return False
    try:
        status = path.stat()
    except OSError:
        return False
    if _stat_part(status) == {name: fingerprint.get(name) for name in _stat_part(status)}:
        return True
    if status.st_size != fingerprint.get("size"):
        return False
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while piece := handle.read(1 << 20):
                digest.update(piece)
    except OSError:
        return False
    return bool(digest.hexdigest() == fingerprint.get("sha256"))


class Journal:
    """The journal of one database, loaded for one command."""

    def __init__(self, path: Path, document: dict[str, Any] | None = None) -> None:
        self.path = path
        document = document or {}
        self._changes: list[dict[str, Any]] = document.get("changes", [])
        self._head: Fingerprint | None = document.get("head")
        self._retired: list[str] = document.get("retired", [])
        self._undone: dict[str, Any] | None = None

    # Reading

    def undone_changes(self) -> list[dict[str, Any]]:
        return [change for change in self._changes if change["undone_at"] is not None]

    def claim_ids_mentioned(self) -> set[str]:
        """Every claim key the journal mentions (undone claims included), as stored: a new
        claim's id must avoid them, so an undone claim's id is never given again."""
        mentioned = set(self._retired)
        for change in self._changes:
            for images in (change["before"], change.get("reverted") or {}):
                for table in CLAIM_TABLES:
                    mentioned.update(images.get(table, {}))
        return mentioned

    def claims_mentioned(self) -> set[tuple[str, str]]:
        """(claim key, creation) of every claim image the journal keeps that has a
        creation (see `history.creation_of`): an undone claim that comes back from another
        clone may take its own id again, and only it."""
        from aousdctl.domain import history

        found = set()
        for change in self._changes:
            for images in (change["before"], change.get("reverted") or {}):
                for table in CLAIM_TABLES:
                    for key, image in images.get(table, {}).items():
                        creation = history.creation_of(image) if image else None
                        if creation is not None:
                            found.add((key, creation))
        return found

    # Writing

    def notice_database(self, database: Path) -> None:
        """Before a write: if the database is not as this journal's last write left it,
        something else changed it, and no change made before that can be undone any more."""
        if self._head is not None and not holds_as_written(database, self._head):
            for change in self._changes:
                change["sealed"] = True
            self._head = None

    def seal(self) -> None:
        """No change recorded so far can be undone any more (the file was upgraded)."""
        for change in self._changes:
            change["sealed"] = True

    def record(self, change: Change, *, command: str, at: str) -> None:
        if change:
            entry: dict[str, Any] = {
                "at": at,
                "command": command,
                "before": change.before,
                "undone_at": None,
                "reverted": None,
                "sealed": False,
            }
            if change.adopted:
                entry["adopted"] = sorted(change.adopted)
            self._changes.append(entry)

    def undo(self, tables: Tables, database: Path, *, at: str) -> dict[str, Any]:
        """Put back, in `tables`, the records of the latest change not yet undone; returns
        what was undone: its command, when it was made, the claim keys it touched, and
        (`took_back`) the ids of the history events it made that are gone again, each with
        its claim's key."""
        if self._head is not None and not holds_as_written(database, self._head):
            raise Conflict(OUTSIDE_CHANGE.format(path=database))
        pending = [change for change in self._changes if change["undone_at"] is None]
        if not pending:
            raise Conflict("nothing to undo: no change is left in the journal")
        change = pending[-1]
        if change["sealed"] or self._head is None:
            raise Conflict(OUTSIDE_CHANGE.format(path=database))
        reverted: Tables = {}
        for table_name, images in change["before"].items():
            table = tables.setdefault(table_name, {})
            for key, before in images.items():
                reverted.setdefault(table_name, {})[key] = table.pop(key, None)
                if before is not None:
                    table[key] = before
        change["undone_at"] = at
        change["reverted"] = reverted
        self._undone = change
        return {
            "command": change["command"],
            "at": change["at"],
            "claims": _claim_keys(change),
            "took_back": _events_taken_back(change),
        }

    def trim(self, claim_count: int) -> None:
        """Keep the newest changes: at most CHANGE_LIMIT, holding between them at most a
        tenth as many record images as there are claims (at least RECORD_FLOOR), and always
        the newest one and the one this command undid. Ids of undone new claims outlive their
        change, up to RETIRED_LIMIT."""
        limit = max(RECORD_FLOOR, claim_count // 10)
        images = 0
        kept: list[dict[str, Any]] = []
        dropped: list[dict[str, Any]] = []
        for position, change in enumerate(reversed(self._changes), start=1):
            images += _image_count(change)
            within = position == 1 or (position <= CHANGE_LIMIT and images <= limit)
            (kept if within or change is self._undone else dropped).append(change)
        self._changes = kept[::-1]
        for change in reversed(dropped):
            self._retired.extend(_undone_new_claims(change))
        del self._retired[:-RETIRED_LIMIT]

    def save(self, database: Fingerprint) -> None:
        """Write the journal, recording `database` as the file this clone's last write left."""
        from aousdctl.storage.durable import write_atomically

        self._head = database
        document = {
            "format": FORMAT,
            "version": VERSION,
            "head": self._head,
            "retired": self._retired,
            "changes": self._changes,
        }
        try:
            content = codec.compact(document) + b"\n"
        except TypeError as error:  # orjson's JSONEncodeError
            raise StorageError(f"the undo journal can't be written as JSON: {error}") from None
        write_atomically(self.path, [content])


def load(database: Path) -> Journal:
    """The journal of `database` (resolved to the real file), or an empty one if it has none."""
    path = path_for(Path(os.path.realpath(database)))
    from aousdctl.storage.durable import read_regular_bytes

    try:
        content = read_regular_bytes(path)
    except FileNotFoundError:
        return Journal(path)
    try:
        document = codec.loads(content)
    except ValueError:  # not JSON, or a repeated key
        document = None
    if not _well_formed(document):
        raise StorageError(
            f"the undo journal {path} is damaged; move it away to go on "
            "(the database is fine; only undo and the log of undone changes need it)"
        )
    return Journal(path, document)


def _well_formed(document: Any) -> bool:
    """Whether the journal has the shape every reader of it relies on, down to each change:
    one broken entry would otherwise fail a write, `undo` or `log` with a bare KeyError."""
    return (
        isinstance(document, dict)
        and document.get("format") == FORMAT
        and document.get("version") == VERSION
        and isinstance(document.get("head"), dict | None)
        and isinstance(document.get("changes"), list)
        and isinstance(document.get("retired"), list)
        and all(isinstance(key, str) for key in document["retired"])
        and all(_well_formed_change(change) for change in document["changes"])
    )


def _well_formed_change(change: Any) -> bool:
    if not isinstance(change, dict):
        return False
    undone = change.get("undone_at") is not None
    return (
        isinstance(change.get("at"), str)
        and isinstance(change.get("command"), str)
        and isinstance(change.get("sealed"), bool)
        and isinstance(change.get("undone_at"), str | None)
        and _well_formed_images(change.get("before"), logged=undone)
        and (
            _well_formed_images(change.get("reverted"), logged=True)
            if undone
            else change.get("reverted") is None
        )
    )


def _well_formed_images(images: Any, *, logged: bool) -> bool:
    """Record images by table and key (None: the record did not exist). The claim images of
    an undone change are what `log` shows, so they must hold a status and a history."""
    if not isinstance(images, dict):
        return False
    for table, records in images.items():
        if not isinstance(records, dict):
            return False
        for record in records.values():
            if record is None:
                continue
            if not isinstance(record, dict):
                return False
            if logged and table in CLAIM_TABLES and not _loggable_claim(record):
                return False
    return True


def _loggable_claim(record: dict[str, Any]) -> bool:
    history = record.get("history")
    return (
        all(isinstance(record.get(field), str) for field in ("text", "created", "status"))
        and isinstance(history, list)
        and all(_loggable_event(event) for event in history)
    )


def _loggable_event(event: Any) -> bool:
    return (
        isinstance(event, dict)
        and isinstance(event.get("at"), str)
        and isinstance(event.get("action"), str)
        and all(isinstance(event.get(field), str | None) for field in ("from", "to", "note"))
        and isinstance(event.get("sources"), list)
        and all(isinstance(url, str) for url in event["sources"])
    )


def undone_log(
    journal: Journal, only: str | None
) -> list[tuple[str, str, int, dict[str, Any], dict[str, Any]]]:
    """The log lines of undone changes: (at, claim key, position, claim, event) where
    `claim` is the record as it was when undone and `event` a history event plus `undone`
    (when it was undone, or None for the `undone` event itself). Newest last."""
    lines = []
    for change in journal.undone_changes():
        before, reverted = change["before"], change["reverted"]
        for key in _claim_keys(change):
            if only is not None and key != only:
                continue
            was = _claim_image(before, key)
            became = _claim_image(reverted, key)
            if became is None:
                continue
            known = len(was["history"]) if was else 0
            for position, event in enumerate(became["history"][known:], start=known):
                lines.append(
                    (event["at"], key, position, became, {**event, "undone": change["undone_at"]})
                )
            undo_event = {
                "at": change["undone_at"],
                "action": "undone",
                "from": became["status"],
                "to": was["status"] if was else None,
                "note": f"reverted: {change['command']}",
                "sources": [],
                "undone": None,
            }
            lines.append((change["undone_at"], key, len(became["history"]), became, undo_event))
    return lines


def _claim_keys(change: dict[str, Any]) -> list[str]:
    return sorted({key for table in CLAIM_TABLES for key in change["before"].get(table, {})})


def _events_taken_back(change: dict[str, Any]) -> dict[str, str]:
    """Event id -> claim key (or source URL) of the history events an undone change had
    made: in the records it reverted, not in those it put back, and not brought from
    elsewhere."""
    adopted = set(change.get("adopted") or ())
    taken: dict[str, str] = {}
    images = [
        (key, _claim_image(change["before"], key), _claim_image(change["reverted"], key))
        for key in _claim_keys(change)
    ]
    before_sources = change["before"].get("sources", {})
    reverted_sources = (change["reverted"] or {}).get("sources", {})
    images += [
        (url, before_sources.get(url), reverted_sources.get(url)) for url in sorted(before_sources)
    ]
    for key, before, reverted in images:
        kept = {event["id"] for event in _history_of(before)}
        for event in _history_of(reverted):
            if event["id"] not in kept and event["id"] not in adopted:
                taken[event["id"]] = key
    return taken


def _history_of(record: Any) -> list[dict[str, Any]]:
    """The events of a record image that have ids (an image from before ids has none)."""
    history = record.get("history") if isinstance(record, dict) else None
    if not isinstance(history, list):
        return []
    return [event for event in history if isinstance(event, dict) and "id" in event]


def _claim_image(images: Tables, key: str) -> Any:
    return images.get("claims", {}).get(key) or images.get("removed", {}).get(key)


def _image_count(change: dict[str, Any]) -> int:
    return sum(
        len(table)
        for images in (change["before"], change["reverted"] or {})
        for table in images.values()
    )


def _undone_new_claims(change: dict[str, Any]) -> list[str]:
    if change["undone_at"] is None:
        return []
    return [key for key, image in change["before"].get("claims", {}).items() if image is None]


def remove_stale_temporaries(database: Path) -> None:
    """Temporary journal files a killed writer left (the caller holds the database's lock)."""
    from aousdctl.storage.durable import remove_stale_temporaries as remove_own_temporaries

    remove_own_temporaries(path_for(database))
