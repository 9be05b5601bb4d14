"""Claims in and out as JSON: the versioned export document, and JSON Lines.

`export` writes the whole database (claims, topics, settings) as one document; `import`
reads that document back, or JSON Lines with one claim object per line (the same fields as
`--json` output). Every record is checked before anything is written, so a bad record
refuses the whole input and names the line (or claim) at fault.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aousdctl import codec
from aousdctl.codec import RepeatedKey
from aousdctl.domain import claims, config, dates, ids, text, topics
from aousdctl.domain.claims import Claim, HistoryEvent, Status
from aousdctl.domain.snapshot import Snapshot
from aousdctl.domain.topics import Topic
from aousdctl.domain.urls import canonical_or_same
from aousdctl.errors import AousdctlError, BadInput

DOCUMENT_FORMAT = "aousdctl-export"
DOCUMENT_VERSION = 1
_BYTE_ORDER_MARK = b"\xef\xbb\xbf"


def export_document(snapshot: Snapshot) -> dict[str, Any]:
    """The whole database as one versioned document (removed claims are not included)."""
    return {
        "format": DOCUMENT_FORMAT,
        "version": DOCUMENT_VERSION,
        "config": {name: snapshot.setting(name) for name in config.NAMES},
        "topics": sorted(snapshot.topics(), key=lambda topic: topic["name"].casefold()),
        "claims": snapshot.claims(),
        # Claims from before ids were random answer to their old numbers in a copy, too.
        "numbers": dict(sorted(snapshot.old_numbers().items(), key=lambda pair: int(pair[0]))),
    }


@dataclass
class Parsed:
    """What an input holds: checked claims and, from an export document, its settings."""

    claims: list[Claim] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    topics: list[Topic] = field(default_factory=list)
    numbers: dict[str, str] = field(default_factory=dict)


def parse(content: bytes, at: str) -> Parsed:
    """Read an export document, a JSON array of claims (as `list --json` prints) or JSON
    Lines, checking every record. A UTF-8 byte order mark at the start is ignored."""
    content = content.removeprefix(_BYTE_ORDER_MARK)
    stripped = content.strip()
    if not stripped:
        return Parsed()
    try:
        whole = codec.loads(stripped)
    except RepeatedKey as error:
        raise BadInput(
            f"the input repeats the key {error} in one object; nothing was imported"
        ) from None
    except ValueError:
        whole = None  # JSON Lines, or not JSON: read line by line below
    if isinstance(whole, dict) and "format" in whole:
        return _parse_document(whole, at)
    parsed = Parsed()
    if isinstance(whole, list):
        for index, record in enumerate(whole, start=1):
            with reported_at(f"claim {index}"):
                parsed.claims.append(claim_from_record(record, at))
        return parsed
    for line_number, record in _json_lines(content):
        with reported_at(f"line {line_number}"):
            parsed.claims.append(claim_from_record(record, at))
    return parsed


def _json_lines(content: bytes) -> Iterator[tuple[int, Any]]:
    for line_number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield line_number, codec.loads(line)
        except RepeatedKey as error:
            raise BadInput(
                f"line {line_number}: repeats the key {error}; nothing was imported"
            ) from None
        except ValueError as error:
            raise BadInput(
                f"line {line_number}: not JSON ({error}); nothing was imported"
            ) from None


def _parse_document(document: dict[str, Any], at: str) -> Parsed:
    if document.get("format") != DOCUMENT_FORMAT:
        raise BadInput(f"not an aousdctl export: format is {document.get('format')!r}")
    if document.get("version") != DOCUMENT_VERSION:
        raise BadInput(
            f"export version {document.get('version')!r} is not one this aousdctl reads "
            f"({DOCUMENT_VERSION})"
        )
    parsed = Parsed()
    settings = document.get("config") or {}
    if not isinstance(settings, dict):
        raise BadInput("config must be an object")
    for name in config.NAMES:
        if settings.get(name) is not None:
            with reported_at("config"):
                parsed.config[name] = config.from_document(name, settings[name])
    for index, topic in enumerate(_list(document, "topics"), start=1):
        with reported_at(f"topic {index}"):
            parsed.topics.append(_topic(topic))
    for index, record in enumerate(_list(document, "claims"), start=1):
        with reported_at(f"claim {index}"):
            parsed.claims.append(claim_from_record(record, at))
    numbers = document.get("numbers") or {}
    if not isinstance(numbers, dict) or not all(
        ids.is_old_number(number) and ids.is_id(claim_id) for number, claim_id in numbers.items()
    ):
        raise BadInput("numbers must map old claim numbers to claim ids; nothing was imported")
    parsed.numbers = numbers
    return parsed


@contextmanager
def reported_at(where: str) -> Iterator[None]:
    """Name the line or record a refusal is about; any refused record is bad input."""
    try:
        yield
    except AousdctlError as error:
        raise BadInput(f"{where}: {error}; nothing was imported") from None


def claim_from_record(record: Any, at: str) -> Claim:
    """A checked claim from a JSON object with the fields of `--json` output.

    `text` is required; the rest is optional. A record that carries its history (as an
    export does) keeps it, with its `created` and `updated` times. The result must pass
    `claims.claim_from_record`, the check every writer uses.
    """
    if not isinstance(record, dict):
        raise BadInput("a claim must be a JSON object")
    status = claims.parse_status(_text(record.get("status", "rumor"), "status"))
    draft = claims.Draft(
        _text(record.get("text"), "text"),
        status=Status.RUMOR if status is Status.DEBUNKED else status,
        topic=_text(record.get("topic", claims.DEFAULT_TOPIC), "topic"),
        tags=[_text(tag, "tag") for tag in _list(record, "tags")],
        sources=[_source(source) for source in _list(record, "sources")],
        expected=_optional_text(record, "expected"),
        note=_optional_text(record, "note"),
    )
    claim = claims.new_claim(draft, at=at)
    if record.get("history") is not None:
        claim["history"] = [_event(event) for event in _list(record, "history")]
        claim["created"] = _timestamp(record.get("created", at), "created")
        claim["updated"] = _timestamp(record.get("updated", at), "updated")
    if status is Status.DEBUNKED:
        claim["status"] = status.value
        if record.get("history") is None:
            claim["history"].append(claims.debunk_event(at, Status.RUMOR, claim["note"]))
    identifier = record.get("id")
    if identifier is not None and (problem := claims.id_problem(identifier)):
        raise BadInput(problem)
    return claims.claim_from_record({**claim, "id": _claim_id(identifier, claim["created"])})


def _claim_id(identifier: Any, created: str) -> str:
    """The id a record asks to keep: a claim id as written, or, from an export made before
    ids were random, the id its number became (as the migration derives it); "" for none."""
    if type(identifier) is int and identifier > 0:
        return ids.derived_id(identifier, created)
    if isinstance(identifier, str) and ids.is_id(ids.normalized(identifier)):
        return ids.normalized(identifier)
    return ""


def _source(value: Any) -> claims.Source:
    if isinstance(value, str):
        return claims.make_source(value)
    if not isinstance(value, dict):
        raise BadInput("a source must be a URL or an object with a url")
    return claims.make_source(
        _text(value.get("url"), "source url"),
        outlet=_optional_text(value, "outlet"),
        title=_optional_text(value, "title"),
        published=_optional_text(value, "published"),
    )


def _event(value: Any) -> HistoryEvent:
    if not isinstance(value, dict):
        raise BadInput("a history event must be an object")
    statuses = [
        None if status is None else claims.parse_status(_text(status, "history status")).value
        for status in (value.get("from"), value.get("to"))
    ]
    note = _optional_text(value, "note")
    return {
        "at": _timestamp(value.get("at"), "history time"),
        "action": _text(value.get("action"), "history action"),
        "from": statuses[0],
        "to": statuses[1],
        "note": None if note is None else text.clean_note(note, "history note"),
        "sources": [
            canonical_or_same(_text(url, "history source")) for url in _list(value, "sources")
        ],
    }


def _topic(value: Any) -> Topic:
    if not isinstance(value, dict):
        raise BadInput("a topic must be an object")
    order = value.get("order")
    if order is not None and type(order) is not int:
        raise BadInput("a topic's order must be a whole number")
    return topics.settings(
        _text(value.get("name"), "topic name"),
        None,
        heading=_optional_text(value, "heading"),
        order=order,
        intro=_optional_text(value, "intro"),
    )


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise BadInput(f"{what} must be a string")
    return value


def _optional_text(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    return None if value is None else _text(value, name)


def _list(record: dict[str, Any], name: str) -> list[Any]:
    value = record.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadInput(f"{name} must be a list")
    return value


def _timestamp(value: Any, what: str) -> str:
    return dates.parse_timestamp(value, what)
