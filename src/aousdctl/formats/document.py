"""Claims in and out as JSON: the versioned export document, and JSON Lines.

`export` writes the whole database (claims, removed claims, the ids of events `undo` took
back, topics, settings) as one document; `import` reads that document back, or JSON Lines
with one claim object per line (the same fields as `--json` output). Every record is checked
before anything is written, its history like a local one (and no later than a day after
this machine's clock), so a bad record refuses the whole input and names the line (or
claim) at fault.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aousdctl import codec
from aousdctl.codec import RepeatedKey
from aousdctl.domain import claims, config, dates, history, ids, sources, text, topics
from aousdctl.domain.claims import Claim, HistoryEvent, Status
from aousdctl.domain.snapshot import Snapshot
from aousdctl.domain.topics import Topic
from aousdctl.domain.urls import canonical_or_same, http_host
from aousdctl.errors import AousdctlError, BadInput

DOCUMENT_FORMAT = "aousdctl-export"
DOCUMENT_VERSION = 1
_BYTE_ORDER_MARK = b"\xef\xbb\xbf"


def export_document(snapshot: Snapshot) -> dict[str, Any]:
    """The whole database as one versioned document: its claims and removed claims with
    their histories, and the events undone here, so that another clone's import ends where
    this one is."""
    return {
        "format": DOCUMENT_FORMAT,
        "version": DOCUMENT_VERSION,
        "config": {name: snapshot.setting(name) for name in config.NAMES},
        "topics": sorted(snapshot.topics(), key=lambda topic: topic["name"].casefold()),
        "claims": snapshot.claims(),
        "removed": snapshot.removed_claims(),
        # The sources' records with their own histories, so that two clones importing each
        # other's exports end with the same records.
        "sources": [record for _, record in sorted(snapshot.source_records().items())],
        "tombstones": {
            event_id: history.holder_of(record)
            for event_id, record in sorted(snapshot.tombstones().items())
        },
        # Claims from before ids were random answer to their old numbers in a copy, too.
        "numbers": dict(sorted(snapshot.old_numbers().items(), key=lambda pair: int(pair[0]))),
    }


@dataclass
class Parsed:
    """What an input holds: checked claims, split into plain ones (matched like `add`) and
    copies that carry their history (another clone's, matched by their creation); from an
    export document also its settings and the events undone where it was made."""

    claims: list[Claim] = field(default_factory=list)
    copies: list[Claim] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    topics: list[Topic] = field(default_factory=list)
    numbers: dict[str, str] = field(default_factory=dict)
    tombstones: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Any] = field(default_factory=dict)

    def take(self, record: Any, at: str) -> None:
        claim = claim_from_record(record, at)
        carries_history = isinstance(record, dict) and record.get("history") is not None
        (self.copies if carries_history else self.claims).append(claim)


def parse(content: bytes, at: str) -> Parsed:
    """Read an export document, a JSON array of claims (as `list --json` prints) or JSON
    Lines, checking every record. A UTF-8 byte order mark at the start is ignored. `at` is
    this machine's time: no imported history may be more than a day after it."""
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
                parsed.take(record, at)
        return parsed
    for line_number, record in _json_lines(content):
        with reported_at(f"line {line_number}"):
            parsed.take(record, at)
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
            parsed.take(record, at)
    for index, record in enumerate(_list(document, "removed"), start=1):
        with reported_at(f"removed claim {index}"):
            removed = claim_from_record(record, at, removed=True)
            if record.get("history") is None:
                raise BadInput("a removed claim must carry its history")
            parsed.copies.append(removed)
    parsed.tombstones = _tombstones(document.get("tombstones"))
    for index, record in enumerate(_list(document, "sources"), start=1):
        with reported_at(f"source {index}"):
            url = record.get("url") if isinstance(record, dict) else None
            found = sources.problems(url if isinstance(url, str) else "", record)
            if found:
                raise BadInput(found[0])
            parsed.sources[record["url"]] = record
    numbers = document.get("numbers") or {}
    if not isinstance(numbers, dict) or not all(
        ids.is_old_number(number) and ids.is_id(claim_id) for number, claim_id in numbers.items()
    ):
        raise BadInput("numbers must map old claim numbers to claim ids; nothing was imported")
    parsed.numbers = numbers
    return parsed


def _tombstones(value: Any) -> dict[str, str]:
    """Event id -> claim id (or source link) of the events undone where an export was made."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        history.is_event_id(event_id)
        and (ids.is_id(holder) or (isinstance(holder, str) and http_host(holder) is not None))
        for event_id, holder in value.items()
    ):
        raise BadInput(
            "tombstones must map event ids to claim ids or source links; nothing was imported"
        )
    return dict(value)


@contextmanager
def reported_at(where: str) -> Iterator[None]:
    """Name the line or record a refusal is about; any refused record is bad input."""
    try:
        yield
    except AousdctlError as error:
        raise BadInput(f"{where}: {error}; nothing was imported") from None


def claim_from_record(record: Any, at: str, *, removed: bool = False) -> Claim:
    """A checked claim from a JSON object with the fields of `--json` output.

    `text` is required; the rest is optional. A record without a history is a claim as
    `add` would make it now. A record with one (as an export holds it) is a copy of a claim
    from elsewhere: its history is checked like a local one and must make its fields (see
    `claims.problems`); `created` and `updated` are the history's. A history from before
    events had ids gets them as a database of that age does when upgraded. No time in it may
    be more than a day after `at`, this machine's clock.
    """
    if not isinstance(record, dict):
        raise BadInput("a claim must be a JSON object")
    status = claims.parse_status(_text(record.get("status", "rumor"), "status"))
    identifier = record.get("id")
    if identifier is not None and (problem := claims.id_problem(identifier)):
        raise BadInput(problem)
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
    if record.get("history") is None:
        if status is Status.DEBUNKED:
            claim = claims.arrived_debunked(claim, at=at)
        return claims.claim_from_record({**claim, "id": _claim_id(identifier, claim["created"])})
    copy: dict[str, Any] = {**claim, "status": status.value}
    copy["history"] = [_event(event) for event in _list(record, "history")]
    if history.is_legacy(copy["history"]):
        first = copy["history"][0]["at"]
        seed = _claim_id(identifier, first) or f"{claim['topic']}\x1f{claim['text']}"
        history.upgrade_legacy(copy, seed, refold=False)
    elif any("id" not in event or "clock" not in event for event in copy["history"]):
        raise BadInput(
            "every history event needs its id and clock (or, from an older export, none has them)"
        )
    else:
        copy["history"] = _in_order(copy["history"])
    copy.update(_times_of(copy))
    # An older export's citations get their stances as an upgraded database's do; its
    # sources that say no stance take their history's.
    history.split_citations(copy)
    copy["sources"] = _with_stances(claim["sources"], _list(record, "sources"), copy)
    found = claims.problems(copy, removed=removed)
    if found:
        raise BadInput(found[0])
    copy["id"] = _claim_id(identifier, copy["created"])
    _refuse_the_future(copy, at)
    return claims.claim_from_record(copy)


def _with_stances(
    sources: list[claims.Source], given: list[Any], copy: dict[str, Any]
) -> list[claims.Source]:
    """A copy's sources, those given without a stance (an export from before stances)
    with the stance its history gives them."""
    urls = [value.get("url") if isinstance(value, dict) else value for value in given]
    unsaid = {
        canonical_or_same(url)
        for url, value in zip(urls, given, strict=True)
        if isinstance(url, str) and (not isinstance(value, dict) or "stance" not in value)
    }
    if not unsaid:
        return sources
    try:
        folded = {link["url"]: link["stance"] for link in history.fold(copy["history"]).sources}
    except (KeyError, TypeError, ValueError, AttributeError):
        return sources  # a damaged history: the check names it
    return [
        {**source, "stance": folded.get(source["url"], source["stance"])}
        if source["url"] in unsaid
        else source
        for source in sources
    ]


def _in_order(events: list[Any]) -> list[Any]:
    """Events in the fold's order; ones too damaged to be ordered are left for the check."""
    try:
        return history.in_order(events)
    except (KeyError, TypeError):
        return events


def _times_of(copy: dict[str, Any]) -> dict[str, Any]:
    """A copy's creation and last change: its history's (none for a damaged history)."""
    try:
        folded = history.fold(copy["history"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return {}
    times = {"created": folded.created, "updated": folded.updated}
    return {name: value for name, value in times.items() if value}


def _refuse_the_future(claim: dict[str, Any], at: str) -> None:
    """No event of an imported history may be more than a day after this machine's clock:
    it would take over "Last updated" and "What's new" until that day."""
    limit = dates.timestamp(datetime.fromisoformat(at[:-1] + "+00:00") + FUTURE_TOLERANCE)
    latest = max(event["at"] for event in claim["history"])
    if latest > limit:
        named = f"claim {claim['id']}" if claim["id"] else "the claim"
        raise BadInput(
            f"{named} ({claim['text']!r}) has a change at {latest}, more than a day after "
            f"this machine's clock ({at})"
        )


FUTURE_TOLERANCE = timedelta(days=1)


def _claim_id(identifier: Any, created: str) -> str:
    """The id a record asks to keep: a claim id as written, or, from an export made before
    ids were random, the id its number became (as the migration derives it); "" for none."""
    if type(identifier) is int and identifier > 0:
        return ids.derived_id(identifier, created)
    if isinstance(identifier, str) and ids.is_id(ids.normalized(identifier)):
        return ids.normalized(identifier)
    return ""


def _source(value: Any) -> claims.Source:
    """A source as `--json` prints it (or a bare URL): its link, stance and details."""
    if isinstance(value, str):
        return claims.make_source(value)
    if not isinstance(value, dict):
        raise BadInput("a source must be a URL or an object with a url")
    stance = _optional_text(value, "stance") or claims.SUPPORTS
    if stance not in history.STANCES:
        raise BadInput(f"a source's stance must be supports or refutes, not {stance!r}")
    source = claims.make_source(
        _text(value.get("url"), "source url"),
        outlet=_optional_text(value, "outlet"),
        title=_optional_text(value, "title"),
        published=_optional_text(value, "published"),
        stance=stance,
        publisher=_optional_text(value, "publisher"),
        archive=_optional_text(value, "archive"),
    )
    accessed = _optional_text(value, "accessed")
    if accessed is not None:
        source["accessed"] = dates.parse_partial_date(accessed, "accessed date")
    return source


def _event(value: Any) -> HistoryEvent:
    """A history event as imported: statuses checked, links in their canonical spelling
    (in its change's sources too); its id, clock and change kept as given (or left out, for
    a history from before they existed) for the claim's own check."""
    if not isinstance(value, dict):
        raise BadInput("a history event must be an object")
    statuses = [
        None if status is None else claims.parse_status(_text(status, "history status")).value
        for status in (value.get("from"), value.get("to"))
    ]
    note = _optional_text(value, "note")
    event: Any = {
        "at": _timestamp(value.get("at"), "history time"),
        "action": _text(value.get("action"), "history action"),
        "from": statuses[0],
        "to": statuses[1],
        "note": None if note is None else text.clean_note(note, "history note"),
        "sources": [
            canonical_or_same(_text(url, "history source")) for url in _list(value, "sources")
        ],
    }
    for name in ("id", "clock"):
        if name in value:
            event[name] = value[name]
    if "change" in value:
        event["change"] = _change(value["change"])
    elif "id" in value:
        event["change"] = {}
    return claims.stored_event(event)  # type: ignore[return-value]


def _change(value: Any) -> Any:
    """An event's change, with the links of the sources it cites in canonical spelling."""
    if not isinstance(value, dict):
        return value
    cited = value.get("cited")
    if isinstance(cited, list):
        value = {
            **value,
            "cited": [
                {**source, "url": canonical_or_same(source["url"])}
                if isinstance(source, dict) and isinstance(source.get("url"), str)
                else source
                for source in cited
            ],
        }
    return value


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
