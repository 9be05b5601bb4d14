"""`doctor`: a read-only check of everything a database file promises.

Unlike opening a database, which stops at the first thing it can't use, this lists every
problem it finds, each with the claim it concerns, so a damaged or hand-edited file can be
repaired. It never writes.
"""

import json
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from aousdctl import claims, clock, ids, migrations
from aousdctl.claims import Status
from aousdctl.errors import AousdctlError

_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_STATUS_ACTIONS = ("added", "promoted", "demoted", "debunked")


class DuplicateKey(ValueError):
    pass


def examine(path: Path) -> tuple[int, list[dict[str, Any]]]:
    """The number of claims and the problems found: each `{"claim": id or None, "problem"}`."""
    try:
        document = json.loads(path.read_bytes(), object_pairs_hook=_refuse_duplicates)
    except DuplicateKey as error:
        return 0, [_problem(None, f"the file repeats the key {error}: one of them is hidden")]
    except ValueError as error:
        return 0, [_problem(None, f"the file is not valid JSON: {error}")]
    except OSError as error:
        return 0, [_problem(None, f"the file can't be read: {error.strerror}")]
    try:
        tables = migrations.upgrade(document, path)
    except AousdctlError as error:
        return 0, [_problem(None, str(error))]
    problems = _id_problems(tables)
    for key, record in sorted(tables["claims"].items()):
        problems.extend(_problem(key, text) for text in _claim_problems(record))
    return len(tables["claims"]), problems


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    repeated = {key for key in keys if keys.count(key) > 1}
    if repeated:
        raise DuplicateKey(", ".join(sorted(repeated)))
    return dict(pairs)


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
    for number, alias in sorted(tables.get("numbers", {}).items()):
        if not number.isdigit() or not ids.is_id(alias.get("id")):
            problems.append(_problem(None, f"the old number {number!r} has no valid id"))
    for key, topic in sorted(tables["topics"].items()):
        name = topic.get("name")
        if not isinstance(name, str) or migrations.topic_key(name) != key:
            problems.append(_problem(None, f"the topic settings under {key!r} name another topic"))
    return problems


def _claim_problems(record: dict[str, Any]) -> list[str]:
    expected = record.get("expected")
    found = [
        *_refusal(lambda: claims.clean_line(_text(record, "text"), "text")),
        *_refusal(lambda: claims.clean_line(_text(record, "topic"), "topic")),
        *_refusal(lambda: claims.parse_status(_text(record, "status"))),
        *_refusal(lambda: expected is None or clock.parse_partial_date(expected, "expected")),
    ]
    for name in ("created", "updated"):
        if not isinstance(record.get(name), str) or not _TIMESTAMP.fullmatch(record[name]):
            found.append(f"{name} is not an ISO-8601 UTC time")
    if not isinstance(record.get("tags"), list) or not all(
        isinstance(tag, str) for tag in record["tags"]
    ):
        found.append("tags is not a list of text")
    found.extend(_source_problems(record.get("sources")))
    if record.get("status") == Status.CONFIRMED and not record.get("sources"):
        found.append("it is confirmed but has no source")
    found.extend(_history_problems(record.get("history"), record.get("status")))
    return found


def _source_problems(sources: Any) -> list[str]:
    if not isinstance(sources, list):
        return ["sources is not a list"]
    found: list[str] = []
    for source in sources:
        found.extend(
            f"a source is not valid: {r}" for r in _refusal(partial(_check_source, source))
        )
    return found


def _check_source(source: Any) -> None:
    claims.make_source(
        _text(source, "url"), source.get("outlet"), source.get("title"), source.get("published")
    )


def _refusal(check: Callable[[], object]) -> list[str]:
    """Why a check refuses a value, or nothing when it accepts it."""
    try:
        check()
    except (AousdctlError, TypeError, AttributeError) as error:
        return [str(error)]
    return []


def _text(record: Any, name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str):
        raise TypeError(f"{name} is missing or not text")
    return value


def _history_problems(history: Any, status: Any) -> list[str]:
    if not isinstance(history, list) or not history:
        return ["history is missing or empty"]
    if not all(isinstance(event, dict) for event in history):
        return ["history has an entry that is not an object"]
    found = []
    if history[0].get("action") != "added":
        found.append("history does not start with the claim being added")
    current = None
    for event in history:
        if event.get("action") not in _STATUS_ACTIONS:
            continue
        if event.get("from") != current:
            found.append(
                f"history moves from {event.get('from')} at {event.get('at')}, "
                f"but the claim was {current} then"
            )
        current = event.get("to")
    if current != status:
        found.append(f"history ends at {current}, but the status is {status}")
    return found


def _problem(claim_id: str | None, text: str) -> dict[str, Any]:
    return {"claim": claim_id, "problem": text}
