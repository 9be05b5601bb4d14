"""`doctor`: a read-only check of everything a database file promises.

Unlike opening a database, which stops at the first thing it can't use, this lists every
problem it finds, each with the claim it concerns, so a damaged or hand-edited file can be
repaired. What a valid claim is comes from `claims.problems`, the same rule every command
that writes applies. It never writes.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aousdctl import codec
from aousdctl.domain import claims, config, history, ids, merge, sources, topics
from aousdctl.errors import AousdctlError
from aousdctl.service import parallel
from aousdctl.storage import journal, migrations
from aousdctl.storage.database import require_database
from aousdctl.vcs import git


def examine(path: Path) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]]:
    """The number of claims, the problems found (each `{"claim": id or None, "problem"}`)
    and the notices: claims a merge flagged for a person to look at, which are no fault.
    A file git has not finished merging is that one problem: its content is not the truth."""
    require_database(path)
    tables, unreadable = _read(path)
    unfinished = git.unfinished_merge(path, damaged=tables is None)
    if unfinished is not None or tables is None:
        return 0, [_problem(None, unfinished or unreadable)], []
    claim_problems, source_problems, unrecorded = _record_problems(tables)
    problems = _id_problems(tables)
    problems.extend(claim_problems)
    problems.extend(_tombstone_problems(tables))
    problems.extend(source_problems)
    problems.extend(unrecorded)
    problems.extend(_topic_problems(tables["topics"].values()))
    problems.extend(_setting_problems(tables.get("config", {}).get("1") or {}))
    problems.extend(_journal_problems(path))
    notices = [
        _problem(key, "merged from diverging changes on two clones: check its history")
        for key in merge.flagged(tables)
    ]
    return len(tables["claims"]), problems, notices


def _read(path: Path) -> tuple[migrations.Tables | None, str]:
    """The file's tables, or None and why they can't be read."""
    try:
        document = codec.loads_stored(path.read_bytes())
    except codec.RepeatedKey as error:
        repeated = ", ".join(sorted(error.keys))
        return None, f"the file repeats the key {repeated}: one of them is hidden"
    except ValueError as error:
        return None, f"the file is not valid JSON: {error}"
    except OSError as error:
        return None, f"the file can't be read: {error.strerror}"
    try:
        return migrations.upgrade(document, path), ""
    except AousdctlError as error:
        return None, str(error)


def _id_problems(tables: migrations.Tables) -> list[dict[str, Any]]:
    problems = []
    for table in ("claims", "removed"):
        for key in sorted(tables[table]):
            if not ids.is_id(key):
                problems.append(
                    _problem(
                        None,
                        f"{table} has an id that isn't {ids.LENGTH} letters and digits "
                        f"of {ids.ALPHABET}: {key!r}",
                    )
                )
    for key in sorted(set(tables["claims"]) & set(tables["removed"])):
        problems.append(_problem(key, "the id is used by a claim and by a removed claim"))
    known = tables["claims"].keys() | tables["removed"].keys()
    for number, alias in sorted(tables.get("numbers", {}).items()):
        if not ids.is_old_number(number):
            problems.append(_problem(None, f"the old number {number!r} is not ASCII digits"))
        elif not isinstance(alias, dict) or not ids.is_id(alias.get("id")):
            problems.append(_problem(None, f"the old number {number!r} has no valid id"))
        elif alias["id"] not in known:
            problems.append(_problem(None, f"the old number {number} names no claim"))
    for key, topic in sorted(tables["topics"].items()):
        name = topic.get("name")
        if not isinstance(name, str) or migrations.topic_key(name) != key:
            problems.append(_problem(None, f"the topic settings under {key!r} name another topic"))
    return problems


Problems = list[dict[str, Any]]


def _record_problems(tables: migrations.Tables) -> tuple[Problems, Problems, Problems]:
    """Each claim's problems (listed or removed), each source record's, and the links
    without a record: the bulk of the work, shared out between processes on a machine with
    several cores (see `parallel`)."""
    claim_records = [
        (key, table) for table in ("claims", "removed") for key in sorted(tables[table])
    ]
    source_records = sorted(tables.get("sources", {}).items())

    def check(part: int, parts: int) -> tuple[Problems, Problems, Problems]:
        claims_share = parallel.share(claim_records, part, parts)
        return (
            _claim_problems(tables, claims_share),
            _source_problems(parallel.share(source_records, part, parts)),
            _unrecorded_sources(tables, claims_share),
        )

    parts = parallel.parts_for(len(claim_records) + len(source_records))
    found = parallel.shared_out(check, parts)
    return (
        [problem for share in found for problem in share[0]],
        [problem for share in found for problem in share[1]],
        [problem for share in found for problem in share[2]],
    )


def _claim_problems(tables: migrations.Tables, records: Iterable[tuple[str, str]]) -> Problems:
    """Each claim valid (see `claims.problems`); a removed one says so."""
    found: Problems = []
    for key, table in records:
        removed = table == "removed"
        what = "removed claim: " if removed else ""
        found.extend(
            _problem(key, f"{what}{text}")
            for text in claims.problems(tables[table][key], removed=removed)
        )
    return found


def _source_problems(records: Iterable[tuple[str, Any]]) -> Problems:
    """Each source's record valid, and made by its history (see `domain.sources`)."""
    return [
        _problem(None, f"the source {key}: {text}")
        for key, record in records
        for text in sources.problems(key, record)
    ]


def _unrecorded_sources(
    tables: migrations.Tables, claim_records: Iterable[tuple[str, str]]
) -> Problems:
    """Links whose source has no record (a hand edit): `source add ID URL` makes it again."""
    records = tables.get("sources", {})
    found: Problems = []
    for key, table in claim_records:
        links = tables[table][key].get("sources") if isinstance(tables[table][key], dict) else None
        found.extend(
            _problem(
                key,
                f"it cites {link['url']}, which has no source record (run `source add "
                f"{key} {link['url']}` to make one)",
            )
            for link in (links if isinstance(links, list) else ())
            if isinstance(link, dict)
            and isinstance(link.get("url"), str)
            and link["url"] not in records
        )
    return found


def _tombstone_problems(tables: migrations.Tables) -> list[dict[str, Any]]:
    """Tombstones name events by id, and no history still holds an undone event."""
    tombstones = tables.get("tombstones", {})
    found = [
        _problem(None, f"the tombstone {key!r} is not an event id with its claim's id or source")
        for key, record in sorted(tombstones.items())
        if not history.is_event_id(key)
        or not (ids.is_id(record.get("claim")) or isinstance(record.get("source"), str))
    ]
    if not tombstones:
        return found  # nothing undone: no history to look through (the common case)
    for url, record in sorted(tables.get("sources", {}).items()):
        events = record.get("history") if isinstance(record, dict) else None
        for event in events if isinstance(events, list) else ():
            if isinstance(event, dict) and event.get("id") in tombstones:
                found.append(
                    _problem(None, f"the source {url}: its event {event['id']} was undone")
                )
    for table in ("claims", "removed"):
        for key, record in sorted(tables[table].items()):
            events = record.get("history")
            for event in events if isinstance(events, list) else ():
                if (
                    isinstance(event, dict)
                    and isinstance(event.get("id"), str)
                    and event["id"] in tombstones
                ):
                    found.append(_problem(key, f"its event {event['id']} was undone"))
    return found


def _setting_problems(settings: dict[str, Any]) -> list[dict[str, Any]]:
    """Settings as `config set` would have stored them (the export's rule for them)."""
    found = []
    for name, value in sorted(settings.items()):
        if name not in config.NAMES:
            continue
        try:
            if value is not None:
                config.from_document(name, value)
        except AousdctlError as error:
            found.append(_problem(None, f"setting {name}: {error}"))
    return found


def _journal_problems(path: Path) -> list[dict[str, Any]]:
    """The undo journal beside the database: `log` and every write read it."""
    try:
        journal.load(path)
    except AousdctlError as error:
        return [_problem(None, str(error))]
    return []


def _topic_problems(settings: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        _problem(None, f"topic settings: {text}")
        for record in settings
        for text in topics.problems(record)
    ]


def _problem(claim_id: str | None, text: str) -> dict[str, Any]:
    return {"claim": claim_id, "problem": text}
