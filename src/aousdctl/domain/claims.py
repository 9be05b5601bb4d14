"""Claims, their sources, and the ladder they climb: rumor → reported → confirmed.

Everything here is pure: functions take a claim (the same object `--json` prints) and return
a new one with the change and its history event, or raise. Storage and the command line live
elsewhere, so every rule about what a claim may become is in this file.
"""

import copy
import functools
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple, TypedDict
from urllib.parse import urlsplit

from aousdctl.domain import ids
from aousdctl.domain.dates import has_passed, parse_partial_date, timestamp_problem
from aousdctl.domain.text import (
    LINE_BREAKERS,
    NOTE_BREAKERS,
    URL_BREAKERS,
    clean_line,
    clean_note,
    required_note,
)
from aousdctl.domain.urls import canonical_url
from aousdctl.errors import BadInput, Conflict


class Status(StrEnum):
    RUMOR = "rumor"
    REPORTED = "reported"
    CONFIRMED = "confirmed"
    DEBUNKED = "debunked"


class Action(StrEnum):
    """What a history event records. `undone` is never stored: `log` shows it for a change
    that `undo` reverted."""

    ADDED = "added"
    ATTACHED = "attached"
    PROMOTED = "promoted"
    DEMOTED = "demoted"
    DEBUNKED = "debunked"
    EDITED = "edited"
    SOURCED = "sourced"
    REMOVED = "removed"
    # Two clones changed the status on their own and a merge kept both histories (see
    # `merge`): the claim takes the status in `to`, and the events before this one need not
    # form one chain. As the last event, it asks a person to look at the claim.
    MERGED = "merged"
    UNDONE = "undone"


# The actions that move a claim to a status: each one's "to" is the status it leaves.
STATUS_ACTIONS = frozenset(
    {Action.ADDED, Action.PROMOTED, Action.DEMOTED, Action.DEBUNKED, Action.MERGED}
)
HISTORY_ACTIONS = frozenset(Action) - {Action.UNDONE}

LADDER = (Status.RUMOR, Status.REPORTED, Status.CONFIRMED)
# Debunked sits below the ladder, like a deprecated rank: promoting it reopens it as a rumor.
RANK = {Status.DEBUNKED: 0, Status.RUMOR: 1, Status.REPORTED: 2, Status.CONFIRMED: 3}
DEFAULT_TOPIC = "General"


class Source(TypedDict):
    url: str
    outlet: str
    title: str | None
    published: str | None


# "from" is a keyword, so the history event is declared in the functional form.
HistoryEvent = TypedDict(
    "HistoryEvent",
    {
        "at": str,
        "action": str,
        "from": str | None,
        "to": str | None,
        "note": str | None,
        "sources": list[str],
    },
)


class Claim(TypedDict):
    id: str
    text: str
    status: str
    topic: str
    tags: list[str]
    sources: list[Source]
    expected: str | None
    note: str | None
    created: str
    updated: str
    history: list[HistoryEvent]


def match_key(topic: str, text: str) -> tuple[str, str]:
    """What makes two claims the same: their topic and text, ignoring case and runs of spaces."""
    return (" ".join(topic.casefold().split()), " ".join(text.casefold().split()))


def parse_status(value: str) -> Status:
    try:
        return Status(value.strip().lower())
    except ValueError:
        names = ", ".join(status.value for status in Status)
        raise BadInput(f"unknown status {value!r} (choose from {names})") from None


def make_source(
    url: str,
    outlet: str | None = None,
    title: str | None = None,
    published: str | None = None,
) -> Source:
    """A reference to evidence. Only http(s) links: anything else could run or read locally.
    Its URL is stored canonical (see `urls`), so two links to one story are one source."""
    cleaned = url.strip()
    host = _http_host(cleaned)
    if host is None:
        raise BadInput(f"a source must be an http:// or https:// URL, not {url!r}")
    return {
        "url": canonical_url(cleaned),
        "outlet": clean_line(outlet, "outlet") if outlet else host.removeprefix("www."),
        "title": clean_line(title, "source title") if title else None,
        "published": parse_partial_date(published, "published date") if published else None,
    }


# The usual shape of an http(s) URL, whose host is read without `urlsplit` (doctor checks
# every source).
_PLAIN_HTTP_URL = re.compile(r"https?://([A-Za-z0-9.-]+)(?::[0-9]*)?(?:[/?#].*)?", re.IGNORECASE)


def _http_host(url: str) -> str | None:
    """The host of an http(s) URL without spaces or control characters; None for anything else."""
    if URL_BREAKERS.search(url):
        return None
    plain = _PLAIN_HTTP_URL.fullmatch(url)
    if plain is not None:
        return plain.group(1).lower()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    return host if parts.scheme.lower() in ("http", "https") and host else None


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags without blanks or repeats (compared ignoring case), in the order given."""
    cleaned: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        value = clean_line(tag, "tag")
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            cleaned.append(value)
    return cleaned


class Draft(NamedTuple):
    """What a new claim is made of, as `add`, an accepted lead or an imported record give it:
    the one list of a new claim's fields (the rest is worked out by `new_claim`)."""

    text: str
    status: Status = Status.RUMOR
    topic: str = DEFAULT_TOPIC
    tags: Sequence[str] = ()
    sources: Sequence[Source] = ()
    expected: str | None = None
    note: str | None = None


def new_claim(draft: Draft, *, at: str) -> Claim:
    """A claim as first heard; its id is given by the database when it is stored."""
    if draft.status is Status.DEBUNKED:
        raise BadInput("a new claim can't start debunked: add it, then run debunk with a reason")
    unique_sources, _ = merge_sources([], draft.sources)
    _require_source_to_confirm(draft.status, unique_sources)
    note = clean_note(draft.note) if draft.note is not None else None
    expected = parse_partial_date(draft.expected, "expected date") if draft.expected else None
    added = _event(at, Action.ADDED, None, draft.status, note, [s["url"] for s in unique_sources])
    return claim_from_record(
        {
            "text": clean_line(draft.text, "claim text"),
            "status": draft.status.value,
            "topic": clean_line(draft.topic, "topic"),
            "tags": clean_tags(draft.tags),
            "sources": unique_sources,
            "expected": expected,
            "note": note,
            "created": at,
            "updated": at,
            "history": [added],
        }
    )


def merge_sources(
    existing: Sequence[Source], new: Iterable[Source]
) -> tuple[list[Source], list[Source]]:
    """Existing sources plus those whose URL is not among them yet; also returns the added ones."""
    merged = list(existing)
    known = {source["url"] for source in merged}
    added: list[Source] = []
    for source in new:
        if source["url"] not in known:
            known.add(source["url"])
            merged.append(source)
            added.append(source)
    return merged, added


def attach(
    claim: Claim, *, at: str, sources: Sequence[Source] = (), tags: Sequence[str] = ()
) -> Claim | None:
    """What `add` does to a claim it already has: attach new sources and tags, or None if none."""
    merged, added_sources = merge_sources(claim["sources"], sources)
    known_tags = {tag.casefold() for tag in claim["tags"]}
    added_tags = [tag for tag in clean_tags(tags) if tag.casefold() not in known_tags]
    if not added_sources and not added_tags:
        return None
    changed = _copy(claim, at)
    changed["sources"] = merged
    changed["tags"] = claim["tags"] + added_tags
    note = "tags added: " + ", ".join(added_tags) if added_tags else None
    changed["history"].append(
        _event(at, Action.ATTACHED, None, None, note, [s["url"] for s in added_sources])
    )
    return claim_from_record(changed)


def promote(
    claim: Claim,
    *,
    at: str,
    to: Status | None = None,
    sources: Sequence[Source] = (),
    note: str | None = None,
) -> Claim:
    """One step up the ladder, or straight to `to`; confirming needs a source."""
    current = Status(claim["status"])
    if to is None:
        if current is Status.CONFIRMED:
            raise Conflict(f"claim {claim['id']} is already confirmed, the top of the ladder")
        to = Status.RUMOR if current is Status.DEBUNKED else LADDER[LADDER.index(current) + 1]
    if RANK[to] <= RANK[current]:
        raise Conflict(
            f"claim {claim['id']} is {current.value}; promoting it to {to.value} would not "
            "move it up (use demote to move down)"
        )
    merged, added = merge_sources(claim["sources"], sources)
    if to is Status.CONFIRMED and not merged:
        raise Conflict(
            f"claim {claim['id']} has no source, and confirming needs one: add it with --source URL"
        )
    return _change_status(claim, at, Action.PROMOTED, to, clean_note(note or ""), merged, added)


def demote(claim: Claim, *, at: str, note: str | None, to: Status | None = None) -> Claim:
    """One step down the ladder (or to `to`), with the reason; debunking is its own command."""
    reason = required_note(note, "say why the claim moves down")
    current = Status(claim["status"])
    if current is Status.DEBUNKED:
        raise Conflict(f"claim {claim['id']} is debunked; promote it to reopen it as a rumor")
    if to is Status.DEBUNKED:
        raise BadInput("use debunk, with a reason and sources, to mark a claim false")
    if to is None:
        if current is Status.RUMOR:
            raise Conflict(
                f"claim {claim['id']} is already a rumor, the bottom of the ladder; "
                "use debunk if it is false"
            )
        to = LADDER[LADDER.index(current) - 1]
    if RANK[to] >= RANK[current]:
        raise Conflict(
            f"claim {claim['id']} is {current.value}; demoting it to {to.value} would not "
            "move it down (use promote to move up)"
        )
    return _change_status(claim, at, Action.DEMOTED, to, reason, claim["sources"], [])


def debunk(claim: Claim, *, at: str, note: str | None, sources: Sequence[Source] = ()) -> Claim:
    """Mark a claim false. It is kept, with the reason, so nobody adds it again unknowingly."""
    reason = required_note(note, "say why the claim is false")
    if claim["status"] == Status.DEBUNKED:
        raise Conflict(f"claim {claim['id']} is already debunked")
    merged, added = merge_sources(claim["sources"], sources)
    return _change_status(claim, at, Action.DEBUNKED, Status.DEBUNKED, reason, merged, added)


def debunk_event(at: str, before: Status, note: str | None) -> HistoryEvent:
    """The history event of a debunking, for a claim that arrives already debunked."""
    return _event(at, Action.DEBUNKED, before, Status.DEBUNKED, note, [])


def debunk_reason(claim: Mapping[str, Any]) -> str | None:
    """Why a debunked claim was debunked: the note of its latest debunking."""
    for event in reversed(claim["history"]):
        if event["action"] == Action.DEBUNKED:
            note: str | None = event["note"]
            return note
    return None


def edit(
    claim: Claim,
    *,
    at: str,
    text: str | None = None,
    topic: str | None = None,
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    expected: str | None = None,
    note: str | None = None,
) -> Claim | None:
    """Change a claim's wording or filing. An empty `expected` or `note` clears it.

    Returns None when nothing would change. The history keeps the old text and values, so an
    edit never loses what the claim said before.
    """
    changed = _copy(claim, at)
    described: list[str] = []
    if text is not None and clean_line(text, "claim text") != claim["text"]:
        changed["text"] = clean_line(text, "claim text")
        described.append(f"text was: {claim['text']}")
    if topic is not None and clean_line(topic, "topic") != claim["topic"]:
        changed["topic"] = clean_line(topic, "topic")
        described.append(f"topic: {claim['topic']} → {changed['topic']}")
    changed["tags"] = _retag(claim["tags"], add_tags, remove_tags)
    if changed["tags"] != claim["tags"]:
        described.append(
            f"tags: {', '.join(claim['tags']) or '(none)'} → "
            f"{', '.join(changed['tags']) or '(none)'}"
        )
    if expected is not None:
        new_expected = parse_partial_date(expected, "expected date") if expected.strip() else None
        if new_expected != claim["expected"]:
            changed["expected"] = new_expected
            described.append(
                f"expected: {claim['expected'] or '(none)'} → {new_expected or '(none)'}"
            )
    if note is not None and clean_note(note) != claim["note"]:
        changed["note"] = clean_note(note)
        described.append("note changed")
    if not described:
        return None
    changed["history"].append(_event(at, Action.EDITED, None, None, "; ".join(described), []))
    return claim_from_record(changed)


def add_source(
    claim: Claim, source: Source, *, at: str, explicit: Iterable[str] = ()
) -> Claim | None:
    """Attach a source, or update the fields named in `explicit` of one already attached.

    Returns None when the claim already has the source with those values.
    """
    changed = _copy(claim, at)
    for index, existing in enumerate(changed["sources"]):
        if existing["url"] == source["url"]:
            given = set(explicit)
            updated: Source = {
                "url": existing["url"],
                "outlet": source["outlet"] if "outlet" in given else existing["outlet"],
                "title": source["title"] if "title" in given else existing["title"],
                "published": source["published"] if "published" in given else existing["published"],
            }
            if updated == existing:
                return None
            changed["sources"][index] = updated
            changed["history"].append(
                _event(at, Action.SOURCED, None, None, "source details updated", [source["url"]])
            )
            return claim_from_record(changed)
    changed["sources"].append(source)
    changed["history"].append(_event(at, Action.SOURCED, None, None, None, [source["url"]]))
    return claim_from_record(changed)


def removal_event(claim: Claim, *, at: str) -> Claim:
    """The claim as it is kept after `rm`: out of every list, still in the log."""
    removed = _copy(claim, at)
    removed["history"].append(_event(at, Action.REMOVED, Status(claim["status"]), None, None, []))
    return removed


def is_overdue(claim: Mapping[str, Any], now: datetime) -> bool:
    """A prediction whose date has passed while the claim is still only rumored or reported."""
    return (
        claim["expected"] is not None
        and claim["status"] in (Status.RUMOR, Status.REPORTED)
        and has_passed(claim["expected"], now)
    )


def _retag(tags: list[str], add: Sequence[str], remove: Sequence[str]) -> list[str]:
    dropping = {tag.casefold() for tag in clean_tags(remove)}
    kept = [tag for tag in tags if tag.casefold() not in dropping]
    known = {tag.casefold() for tag in kept}
    return kept + [tag for tag in clean_tags(add) if tag.casefold() not in known]


def _require_source_to_confirm(status: Status, sources: Sequence[Source]) -> None:
    if status is Status.CONFIRMED and not sources:
        raise Conflict("a confirmed claim needs a source: add one with --source URL")


def _change_status(
    claim: Claim,
    at: str,
    action: Action,
    to: Status,
    note: str | None,
    sources: list[Source],
    added: list[Source],
) -> Claim:
    changed = _copy(claim, at)
    changed["status"] = to.value
    changed["sources"] = sources
    changed["history"].append(
        _event(at, action, Status(claim["status"]), to, note, [s["url"] for s in added])
    )
    return claim_from_record(changed)


def _copy(claim: Claim, at: str) -> Claim:
    """A deep copy to change, so the caller's claim (and any cache behind it) stays as it was."""
    changed = copy.deepcopy(claim)
    changed["updated"] = at
    return changed


def _event(
    at: str,
    action: Action,
    before: Status | None,
    after: Status | None,
    note: str | None,
    sources: list[str],
) -> HistoryEvent:
    return {
        "at": at,
        "action": action.value,
        "from": before.value if before else None,
        "to": after.value if after else None,
        "note": note,
        "sources": sources,
    }


CLAIM_FIELDS = tuple(name for name in Claim.__annotations__ if name != "id")
_CLAIM_VALUES = operator.itemgetter(*CLAIM_FIELDS)
_CLAIM_KEYS = ("id", *CLAIM_FIELDS)


def in_stored_order(claim: Claim) -> Claim:
    """The claim with the keys of each source and history event in alphabetical order: the
    order the database file keeps them in, so every read returns them that way. A claim a
    command has just changed in memory then prints exactly as it will read back."""
    ordered: Any = {
        **claim,
        "sources": [dict(sorted(source.items())) for source in claim["sources"]],
        "history": [dict(sorted(event.items())) for event in claim["history"]],
    }
    return ordered  # type: ignore[no-any-return]


def as_claim(record: Mapping[str, Any], claim_id: str) -> Claim:
    """A stored record (which keeps its id as its key, not a field) as a claim object,
    with its fields in the documented order. Hot: a listing makes one per claim."""
    try:
        values = _CLAIM_VALUES(record)
    except KeyError:
        values = tuple(record.get(name) for name in CLAIM_FIELDS)
    claim: Any = dict(zip(_CLAIM_KEYS, (claim_id, *values)))  # noqa: B905 (same length)
    return claim  # type: ignore[no-any-return]


# One definition of a valid claim. Every writer builds its claim through `claim_from_record`
# (or checks it with `require_valid`), `doctor` lists `problems` for every stored record, and
# a migration can call either; a record they accept is one that every reader (list, show,
# log, export) can use.

# The largest id: JSON readers in other languages hold integers exactly up to 2**53 - 1, and
# the file must still hold the next id after it.
_STATUS_VALUES = frozenset(status.value for status in Status)
_HISTORY_FIELDS = ("at", "action", "from", "to", "note", "sources")
_SOURCE_FIELDS = ("url", "outlet", "title", "published")
_HISTORY_KEYS = frozenset(_HISTORY_FIELDS)
_SOURCE_KEYS = frozenset(_SOURCE_FIELDS)
_CLAIM_FIELD_KEYS = frozenset(CLAIM_FIELDS)


def id_problem(value: object) -> str | None:
    """Why `value` can't name a claim in an import, or None when it can: the one rule for
    ids. A claim id as stored (see `ids`), in any case, or a whole number from an export made
    before ids were random (it names the id that number became)."""
    if isinstance(value, str) and ids.is_id(ids.normalized(value)):
        return None
    if type(value) is int and value > 0:
        return None
    return (
        f"the id {value!r} is not a claim id ({ids.LENGTH} letters and digits) "
        "or an old claim number"
    )


def problems(record: object) -> list[str]:
    """Every reason `record` is not a valid claim, each worded for a user; [] when it is one.

    `record` has the fields of a claim (its `id` is not judged here: a stored record keeps
    it as its key, see `ids.is_id`). Never raises, whatever JSON value it is given.
    """
    if not isinstance(record, Mapping):
        return ["the claim is not an object"]
    missing = (
        [] if record.keys() >= _CLAIM_FIELD_KEYS else [n for n in CLAIM_FIELDS if n not in record]
    )
    if missing:
        return [f"the claim has no {', '.join(missing)} field (null stands for none)"]
    found = [
        problem
        for problem in (
            _line_problem(record["text"], "text"),
            _line_problem(record["topic"], "topic"),
            _status_problem(record["status"], "status"),
            _optional_problem(record["expected"], "expected date", _partial_date),
            _optional_problem(record["note"], "note", _note),
            timestamp_problem(record["created"], "created"),
            timestamp_problem(record["updated"], "updated"),
        )
        if problem is not None
    ]
    found.extend(_tag_problems(record["tags"]))
    found.extend(_source_problems(record["sources"]))
    if record["status"] == Status.CONFIRMED and not record["sources"]:
        found.append("it is confirmed but has no source")
    found.extend(_history_problems(record["history"], record["status"]))
    return found


def claim_from_record(record: Mapping[str, Any]) -> Claim:
    """The claim a record describes, refused (BadInput naming its first problem) unless
    it is valid. Its id is the record's, or "" until the database gives it one."""
    require_valid(record)
    claim_id = record.get("id", "")
    return as_claim(record, claim_id if isinstance(claim_id, str) else "")


def require_valid(record: object) -> None:
    """Refuse a record that is not a valid claim, naming its first problem."""
    found = problems(record)
    if found:
        raise BadInput(found[0])


def _line_problem(value: object, what: str) -> str | None:
    if not isinstance(value, str):
        return f"{what} is missing or not text"
    if not LINE_BREAKERS.search(value) and not value.isspace() and value:
        return None  # the common case, answered without building an error (doctor is hot)
    return _refusal(clean_line, value, what)


def _note(value: str, what: str) -> object:
    return clean_note(value, what)


@functools.lru_cache(maxsize=4096)
def _partial_date(value: str, what: str) -> object:
    """Checked once per distinct value: a database holds few distinct dates."""
    if value != value.strip():
        raise BadInput(f"{what} has spaces around it: {value!r}")
    return parse_partial_date(value, what)


def _optional_problem(value: object, what: str, check: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return f"{what} is not text"
    if check is clean_line:
        return _line_problem(value, what)
    if check is _note and not NOTE_BREAKERS.search(value):
        return None
    return _refusal(check, value, what)


def _refusal(check: Any, value: str, what: str) -> str | None:
    try:
        check(value, what)
    except BadInput as error:
        return str(error)
    return None


def _status_problem(value: object, what: str) -> str | None:
    if isinstance(value, str) and value in _STATUS_VALUES:
        return None
    names = ", ".join(status.value for status in Status)
    return f"unknown status {value!r} in {what} (choose from {names})"


def _tag_problems(tags: object) -> list[str]:
    if not isinstance(tags, list):
        return ["tags is not a list"]
    found: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        problem = _line_problem(tag, "a tag")
        if problem is not None or not isinstance(tag, str):
            found.append(problem or "a tag is not text")
        elif tag.casefold() in seen:
            found.append(f"the tag {tag!r} is repeated")
        else:
            seen.add(tag.casefold())
    return found


def _source_problems(sources: object) -> list[str]:
    if not isinstance(sources, list):
        return ["sources is not a list"]
    found: list[str] = []
    seen: set[str] = set()
    for number, source in enumerate(sources, start=1):
        if source_problems := _one_source_problems(source):
            found.extend(f"source {number}: {problem}" for problem in source_problems)
        url = source.get("url") if isinstance(source, dict) else None
        if isinstance(url, str):
            if url in seen:
                found.append(f"source {number}: {url} is cited twice")
            seen.add(url)
    return found


def _one_source_problems(source: object) -> list[str]:
    if not isinstance(source, dict):
        return ["it is not an object"]
    url = source.get("url")
    found = [] if isinstance(url, str) and _http_host(url) else [f"{url!r} is not an http(s) URL"]
    missing = (
        [] if source.keys() >= _SOURCE_KEYS else [n for n in _SOURCE_FIELDS if n not in source]
    )
    if missing:
        found.append(f"it has no {', '.join(missing)} field (null stands for none)")
        return found
    for problem in (
        _line_problem(source["outlet"], "outlet"),
        _optional_problem(source["title"], "source title", clean_line),
        _optional_problem(source["published"], "published date", _partial_date),
    ):
        if problem is not None:
            found.append(problem)
    return found


def _history_problems(history: object, status: object) -> list[str]:
    """Each event well formed, and the status changes a chain that ends at `status` (a
    `merged` event starts the chain afresh: what came before it are two clones' chains)."""
    if not isinstance(history, list) or not history:
        return ["history is missing or empty"]
    found: list[str] = []
    chain: list[str] = []
    current: object = None
    for number, event in enumerate(history, start=1):
        if not isinstance(event, dict) or not event.keys() >= _HISTORY_KEYS:
            found.append(f"history event {number} is not an object with {_HISTORY_FIELDS}")
            continue
        if event_problems := _event_problems(event):
            found.extend(f"history event {number}: {p}" for p in event_problems)
        action = event["action"] if isinstance(event["action"], str) else None
        if number == 1 and action != Action.ADDED:
            found.append("history does not start with the claim being added")
        if action == Action.MERGED:
            chain.clear()
            current = event["to"]
        elif action in STATUS_ACTIONS or action == Action.REMOVED:
            if event["from"] != current:
                chain.append(
                    f"history event {number} ({action}) moves from {event['from']}, "
                    f"but the claim was {current} then"
                )
            if action != Action.REMOVED:
                current = event["to"]
    found.extend(chain)
    if current != status:
        found.append(f"history ends at {current}, but the status is {status}")
    return found


def _event_problems(event: dict[str, Any]) -> list[str]:
    action = event["action"] if isinstance(event["action"], str) else None
    found = [
        problem
        for problem in (
            timestamp_problem(event["at"], "time"),
            None if action in HISTORY_ACTIONS else f"unknown action {event['action']!r}",
            _optional_problem(event["note"], "note", _note),
        )
        if problem is not None
    ]
    for name in ("from", "to"):
        if event[name] is not None and (problem := _status_problem(event[name], name)):
            found.append(problem)
    if action in STATUS_ACTIONS and event["to"] is None:
        found.append(f"a change of status ({action}) has no status to go to")
    if not isinstance(event["sources"], list):
        found.append("sources is not a list")
    else:
        for url in event["sources"]:
            if (problem := _line_problem(url, "a source")) is not None:
                found.append(problem)
    return found
