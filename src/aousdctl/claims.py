"""Claims, their sources, and the ladder they climb: rumor → reported → confirmed.

Everything here is pure: functions take a claim (the same object `--json` prints) and return
a new one with the change and its history event, or raise. Storage and the command line live
elsewhere, so every rule about what a claim may become is in this file.
"""

import copy
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, TypedDict
from urllib.parse import urlsplit

from aousdctl.clock import has_passed, parse_partial_date
from aousdctl.errors import BadInput, Conflict
from aousdctl.urls import canonical_url


class Status(StrEnum):
    RUMOR = "rumor"
    REPORTED = "reported"
    CONFIRMED = "confirmed"
    DEBUNKED = "debunked"


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
    id: int
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


# C0 and C1 controls and the Unicode line and paragraph separators would break a one-line
# field (and the article's Markdown) without being visible; lone surrogates (undecodable
# bytes on the command line) are not text at all.
_LINE_BREAKERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NOTE_BREAKERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def clean_line(value: str, what: str) -> str:
    """A one-line field with outer whitespace removed; blank or control characters are refused."""
    cleaned = value.strip()
    if not cleaned:
        raise BadInput(f"{what} must not be blank")
    if _LINE_BREAKERS.search(cleaned):
        raise BadInput(f"{what} must be one line without control characters")
    return cleaned


def clean_note(value: str, what: str = "note") -> str | None:
    """A free-text note: several lines allowed, other control characters refused; blank is None."""
    cleaned = value.strip()
    if _NOTE_BREAKERS.search(cleaned):
        raise BadInput(f"{what} must not contain control characters")
    return cleaned or None


def required_note(value: str | None, why: str) -> str:
    """A note that must be given, e.g. the reason for a demotion."""
    note = clean_note(value or "")
    if note is None:
        raise BadInput(f"--note is required: {why}")
    return note


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


def _http_host(url: str) -> str | None:
    """The host of an http(s) URL without spaces or control characters; None for anything else."""
    if _LINE_BREAKERS.search(url) or any(character.isspace() for character in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    return host if parts.scheme.lower() in ("http", "https") and host else None


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags without blanks or repeats (compared ignoring case), in the order given."""
    cleaned: list[str] = []
    for tag in tags:
        value = clean_line(tag, "tag")
        if value.casefold() not in (existing.casefold() for existing in cleaned):
            cleaned.append(value)
    return cleaned


def new_claim(
    text: str,
    *,
    at: str,
    status: Status = Status.RUMOR,
    topic: str = DEFAULT_TOPIC,
    tags: Sequence[str] = (),
    sources: Sequence[Source] = (),
    expected: str | None = None,
    note: str | None = None,
) -> Claim:
    """A claim as first heard; its id is given by the database when it is stored."""
    if status is Status.DEBUNKED:
        raise BadInput("a new claim can't start debunked: add it, then run debunk with a reason")
    unique_sources, _ = merge_sources([], sources)
    _require_source_to_confirm(status, unique_sources)
    cleaned_note = clean_note(note) if note is not None else None
    return {
        "id": 0,
        "text": clean_line(text, "claim text"),
        "status": status.value,
        "topic": clean_line(topic, "topic"),
        "tags": clean_tags(tags),
        "sources": unique_sources,
        "expected": parse_partial_date(expected, "expected date") if expected else None,
        "note": cleaned_note,
        "created": at,
        "updated": at,
        "history": [
            _event(at, "added", None, status, cleaned_note, [s["url"] for s in unique_sources])
        ],
    }


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
        _event(at, "attached", None, None, note, [s["url"] for s in added_sources])
    )
    return changed


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
    return _change_status(claim, at, "promoted", to, clean_note(note or ""), merged, added)


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
    return _change_status(claim, at, "demoted", to, reason, claim["sources"], [])


def debunk(claim: Claim, *, at: str, note: str | None, sources: Sequence[Source] = ()) -> Claim:
    """Mark a claim false. It is kept, with the reason, so nobody adds it again unknowingly."""
    reason = required_note(note, "say why the claim is false")
    if claim["status"] == Status.DEBUNKED:
        raise Conflict(f"claim {claim['id']} is already debunked")
    merged, added = merge_sources(claim["sources"], sources)
    return _change_status(claim, at, "debunked", Status.DEBUNKED, reason, merged, added)


def debunk_event(at: str, before: Status, note: str | None) -> HistoryEvent:
    """The history event of a debunking, for a claim that arrives already debunked."""
    return _event(at, "debunked", before, Status.DEBUNKED, note, [])


def debunk_reason(claim: Mapping[str, Any]) -> str | None:
    """Why a debunked claim was debunked: the note of its latest debunking."""
    for event in reversed(claim["history"]):
        if event["action"] == "debunked":
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
    changed["history"].append(_event(at, "edited", None, None, "; ".join(described), []))
    return changed


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
                _event(at, "sourced", None, None, "source details updated", [source["url"]])
            )
            return changed
    changed["sources"].append(source)
    changed["history"].append(_event(at, "sourced", None, None, None, [source["url"]]))
    return changed


def removal_event(claim: Claim, *, at: str) -> Claim:
    """The claim as it is kept after `rm`: out of every list, still in the log."""
    removed = _copy(claim, at)
    removed["history"].append(_event(at, "removed", Status(claim["status"]), None, None, []))
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
    action: str,
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
    return changed


def _copy(claim: Claim, at: str) -> Claim:
    """A deep copy to change, so the caller's claim (and any cache behind it) stays as it was."""
    changed = copy.deepcopy(claim)
    changed["updated"] = at
    return changed


def _event(
    at: str,
    action: str,
    before: Status | None,
    after: Status | None,
    note: str | None,
    sources: list[str],
) -> HistoryEvent:
    return {
        "at": at,
        "action": action,
        "from": before.value if before else None,
        "to": after.value if after else None,
        "note": note,
        "sources": sources,
    }


CLAIM_FIELDS = tuple(name for name in Claim.__annotations__ if name != "id")
_CLAIM_VALUES = operator.itemgetter(*CLAIM_FIELDS)
_CLAIM_KEYS = ("id", *CLAIM_FIELDS)


def as_claim(record: Mapping[str, Any], claim_id: int) -> Claim:
    """A stored record (which keeps its id as its key, not a field) as a claim object,
    with its fields in the documented order. Hot: a listing makes one per claim."""
    try:
        values = _CLAIM_VALUES(record)
    except KeyError:
        values = tuple(record.get(name) for name in CLAIM_FIELDS)
    claim: Any = dict(zip(_CLAIM_KEYS, (claim_id, *values)))  # noqa: B905 (same length)
    return claim  # type: ignore[no-any-return]
