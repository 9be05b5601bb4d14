"""Claims, their sources, and the ladder they climb: rumor → reported → confirmed.

Everything here is pure: functions take a claim (the same object `--json` prints) and return
a new one with the change and its history event, or raise. Storage and the command line live
elsewhere, so every rule about what a claim may become is in this file.
"""

import functools
import itertools
import operator
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple, TypedDict

from aousdctl.domain import history, ids
from aousdctl.domain.dates import (
    ended_between,
    parse_partial_date,
    parse_window,
    stored_window,
    timestamp_problem,
)

# The ladder and the history's vocabulary live with the history (see `history`); every
# module reads them from here too.
from aousdctl.domain.history import HISTORY_ACTIONS as HISTORY_ACTIONS
from aousdctl.domain.history import LADDER as LADDER
from aousdctl.domain.history import RANK as RANK
from aousdctl.domain.history import REFUTES as REFUTES
from aousdctl.domain.history import STATUS_ACTIONS as STATUS_ACTIONS
from aousdctl.domain.history import SUPPORTS as SUPPORTS
from aousdctl.domain.history import Action as Action
from aousdctl.domain.history import HistoryEvent as HistoryEvent
from aousdctl.domain.history import Link as Link
from aousdctl.domain.history import Source as Source
from aousdctl.domain.history import Status as Status
from aousdctl.domain.sources import archive_url, joined, refuse_own_link
from aousdctl.domain.text import (
    LINE_BREAKERS,
    NOTE_BREAKERS,
    clean_line,
    clean_note,
    required_note,
)
from aousdctl.domain.urls import canonical_url, http_host
from aousdctl.domain.urls import outlet as outlet_of
from aousdctl.errors import BadInput, Conflict, NotFound

DEFAULT_TOPIC = "General"


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
    *,
    stance: str = SUPPORTS,
    publisher: str | None = None,
    archive: str | None = None,
) -> Source:
    """A reference to evidence, and whether it supports or refutes the claim citing it.
    Only http(s) links: anything else could run or read locally. Its URL is stored canonical
    (see `urls`), so two links to one story are one source. When it was accessed is known
    once it is attached (see `sources`)."""
    cleaned = url.strip()
    if http_host(cleaned) is None:
        raise BadInput(f"a source must be an http:// or https:// URL, not {url!r}")
    canonical = canonical_url(cleaned)
    copy = archive_url(archive) if archive else None
    refuse_own_link(canonical, copy)
    return {
        "url": canonical,
        "stance": stance,
        "outlet": clean_line(outlet, "outlet") if outlet else outlet_of(canonical),
        "publisher": clean_line(publisher, "publisher") if publisher else None,
        "title": clean_line(title, "source title") if title else None,
        "published": parse_partial_date(published, "published date") if published else None,
        "accessed": None,
        "archive": copy,
    }


def link_of(source: Mapping[str, Any]) -> Link:
    """What a claim stores of a source it cites (its details live in the source's record)."""
    return {"stance": source["stance"], "url": source["url"]}


def with_stance(sources: Iterable[Source], stance: str) -> list[Source]:
    """Sources as given for one stance: `promote -s` supports, `debunk -s` refutes."""
    return [{**source, "stance": stance} for source in sources]


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
    """A claim as first heard: its `added` event holds all it says. Its id is given by the
    database when it is stored."""
    if draft.status is Status.DEBUNKED:
        raise BadInput("a new claim can't start debunked: add it, then run debunk with a reason")
    unique_sources, _ = merge_sources([], draft.sources)
    _require_source_to_confirm(draft.status, unique_sources)
    note = clean_note(draft.note) if draft.note is not None else None
    expected = parse_window(draft.expected, "expected date") if draft.expected else None
    added = history.new_event(
        [],
        action=Action.ADDED,
        at=at,
        after=draft.status.value,
        note=note,
        change={
            "text": clean_line(draft.text, "claim text"),
            "topic": clean_line(draft.topic, "topic"),
            "tags": clean_tags(draft.tags),
            "cited": [link_of(source) for source in unique_sources],
            "expected": expected,
            "note": note,
        },
        sources=[source["url"] for source in unique_sources],
    )
    record = {**history.fold([added]).fields(), "history": [added]}
    require_valid(record)
    return as_claim(record, "", _details(unique_sources))


def merge_sources(
    existing: Sequence[Source], new: Iterable[Source]
) -> tuple[list[Source], list[Source]]:
    """Existing sources plus those whose URL is not among them yet; also returns the added ones.

    A source can't both support and refute one claim: one given with the other stance than
    the claim's link to it is refused (`source add --refutes` or `--supports` turns a link
    round)."""
    merged = list(existing)
    known = {source["url"]: source["stance"] for source in merged}
    added: list[Source] = []
    for source in new:
        stance = known.get(source["url"])
        if stance is None:
            known[source["url"]] = source["stance"]
            merged.append(source)
            added.append(source)
        elif stance != source["stance"]:
            raise Conflict(
                f"{source['url']} already {stance} this claim, so it can't also "
                f"{'support' if source['stance'] == SUPPORTS else 'refute'} it "
                f"(to turn it round: source add ID URL --{source['stance']})"
            )
    return merged, added


def attach(
    claim: Claim, *, at: str, sources: Sequence[Source] = (), tags: Sequence[str] = ()
) -> Claim | None:
    """What `add` does to a claim it already has: attach new sources and tags, or None if none."""
    _, added_sources = merge_sources(claim["sources"], sources)
    known_tags = {tag.casefold() for tag in claim["tags"]}
    added_tags = [tag for tag in clean_tags(tags) if tag.casefold() not in known_tags]
    if not added_sources and not added_tags:
        return None
    note = "tags added: " + ", ".join(added_tags) if added_tags else None
    change: dict[str, Any] = {"tags": added_tags} if added_tags else {}
    return _with_event(claim, at, Action.ATTACHED, note=note, change=change, cited=added_sources)


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
    merged, added = merge_sources(claim["sources"], with_stance(sources, SUPPORTS))
    if to is Status.CONFIRMED and not history.supported(merged):
        raise Conflict(
            f"claim {claim['id']} has no supporting source, and confirming needs one: "
            "add it with --source URL"
        )
    return _change_status(claim, at, Action.PROMOTED, to, clean_note(note or ""), added)


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
    return _change_status(claim, at, Action.DEMOTED, to, reason, [])


def debunk(claim: Claim, *, at: str, note: str | None, sources: Sequence[Source] = ()) -> Claim:
    """Mark a claim false. It is kept, with the reason, so nobody adds it again unknowingly."""
    reason = required_note(note, "say why the claim is false")
    if claim["status"] == Status.DEBUNKED:
        raise Conflict(f"claim {claim['id']} is already debunked")
    _, added = merge_sources(claim["sources"], with_stance(sources, REFUTES))
    return _change_status(claim, at, Action.DEBUNKED, Status.DEBUNKED, reason, added)


def arrived_debunked(claim: Claim, *, at: str) -> Claim:
    """A new claim that arrives already debunked (an import that says so without a
    history): debunked at once, its note as the reason."""
    return _change_status(claim, at, Action.DEBUNKED, Status.DEBUNKED, claim["note"], [])


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

    Returns None when nothing would change. The event keeps the old values (in its note for
    people, in its change's `was` for merges), so an edit never loses what the claim said.
    """
    change: dict[str, Any] = {}
    described: list[str] = []
    if text is not None and clean_line(text, "claim text") != claim["text"]:
        change["text"] = clean_line(text, "claim text")
        described.append(f"text was: {claim['text']}")
    if topic is not None and clean_line(topic, "topic") != claim["topic"]:
        change["topic"] = clean_line(topic, "topic")
        described.append(f"topic: {claim['topic']} → {change['topic']}")
    tags = _retag(claim["tags"], add_tags, remove_tags)
    if tags != claim["tags"]:
        before = {tag.casefold() for tag in claim["tags"]}
        after = {tag.casefold() for tag in tags}
        change["tags"] = [tag for tag in tags if tag.casefold() not in before]
        change["untagged"] = [tag for tag in claim["tags"] if tag.casefold() not in after]
        described.append(
            f"tags: {', '.join(claim['tags']) or '(none)'} → {', '.join(tags) or '(none)'}"
        )
    if expected is not None:
        new_expected = parse_window(expected, "expected date") if expected.strip() else None
        if new_expected != claim["expected"]:
            change["expected"] = new_expected
            described.append(
                f"expected: {claim['expected'] or '(none)'} → {new_expected or '(none)'}"
            )
    if note is not None and clean_note(note) != claim["note"]:
        change["note"] = clean_note(note)
        described.append(f"note was: {claim['note'] or '(none)'}")
    if not described:
        return None
    was = {name: claim[name] for name in history.SET_FIELDS if name in change}  # type: ignore[literal-required]
    if was:
        change["was"] = was
    return _with_event(claim, at, Action.EDITED, note="; ".join(described), change=change)


def add_source(claim: Claim, source: Source, *, at: str, turn: bool = False) -> Claim | None:
    """Cite a source (with its stance), or, with `turn`, change the stance of the claim's
    link to it. Returns None when the claim already cites it that way. (What the source
    is, its details, is its record's: see `sources`.)"""
    for existing in claim["sources"]:
        if existing["url"] == source["url"]:
            if not turn or existing["stance"] == source["stance"]:
                return None
            others = [s for s in claim["sources"] if s["url"] != source["url"]]
            if claim["status"] == Status.CONFIRMED and not history.supported([*others, source]):
                raise BadInput(
                    f"claim {claim['id']} is confirmed and {source['url']} is its only "
                    "supporting source; add another (source add) or demote the claim first"
                )
            return _with_event(
                claim,
                at,
                Action.SOURCED,
                note=f"the source now {source['stance']} the claim",
                cited=[source],
            )
    return _with_event(claim, at, Action.SOURCED, cited=[source])


def unlink(claim: Claim, url: str, *, at: str) -> Claim:
    """Take a source off a claim (its record stays, for the other claims citing it). A
    confirmed claim keeps at least one supporting source."""
    if all(source["url"] != url for source in claim["sources"]):
        raise NotFound(f"claim {claim['id']} doesn't cite {url}")
    left = [source for source in claim["sources"] if source["url"] != url]
    if claim["status"] == Status.CONFIRMED and not history.supported(left):
        raise BadInput(
            f"claim {claim['id']} is confirmed and {url} is its only supporting source; "
            "add another (source add) or demote the claim first"
        )
    return _with_event(
        claim, at, Action.UNLINKED, note=f"source removed: {url}", change={"uncited": [url]}
    )


def removal_event(claim: Claim, *, at: str) -> Claim:
    """The claim as it is kept after `rm`: out of every list, still in the log."""
    require_valid(claim)
    event = history.new_event(
        claim["history"], action=Action.REMOVED, at=at, before=claim["status"]
    )
    return as_claim(history.with_event(claim, event), claim["id"], _details(claim["sources"]))


def status_since(claim: Mapping[str, Any]) -> str:
    """When a claim took the status it has: the time of the latest change of status (its
    addition, a promotion, a demotion or a debunking), never of a later edit or source."""
    for event in reversed(claim["history"]):
        if event["to"] is not None and event["action"] in history.MOVES | {Action.ADDED}:
            at: str = event["at"]
            return at
    created: str = claim["created"]
    return created


def is_overdue(claim: Mapping[str, Any], now: datetime) -> bool:
    """A prediction whose window has passed while the claim is still only rumored or reported.

    It was a prediction only if its window ended after the claim was logged: a claim about
    a past event ("filming wrapped in November 2025", logged in 2026) is never overdue. The
    one rule for `list --overdue`, `review` and the article."""
    return (
        claim["expected"] is not None
        and claim["status"] in (Status.RUMOR, Status.REPORTED)
        and ended_between(claim["expected"], claim["created"], now)
    )


def _retag(tags: list[str], add: Sequence[str], remove: Sequence[str]) -> list[str]:
    return history.retagged(tags, clean_tags(add), clean_tags(remove))


def _require_source_to_confirm(status: Status, sources: Sequence[Source]) -> None:
    if status is Status.CONFIRMED and not history.supported(sources):
        raise Conflict("a confirmed claim needs a supporting source: add one with --source URL")


def _change_status(
    claim: Claim,
    at: str,
    action: Action,
    to: Status,
    note: str | None,
    added: list[Source],
) -> Claim:
    return _with_event(
        claim,
        at,
        action,
        before=claim["status"],
        after=to.value,
        note=note,
        cited=added,
    )


def _with_event(
    claim: Claim,
    at: str,
    action: Action,
    *,
    before: str | None = None,
    after: str | None = None,
    note: str | None = None,
    change: Mapping[str, Any] | None = None,
    cited: Sequence[Source] = (),
) -> Claim:
    """The claim with one more event, made now (the next clock), its fields folded again:
    a new claim object, so the caller's claim (and any cache behind it) stays as it was.
    A stored claim that isn't valid is refused, not repaired by the change: `doctor` says
    what is wrong with it. The sources it `cited` go in its change as links."""
    require_valid(claim)
    if cited:
        change = {**(change or {}), "cited": [link_of(source) for source in cited]}
    event = history.new_event(
        claim["history"],
        action=action,
        at=at,
        before=before,
        after=after,
        note=note,
        change=change,
        sources=[source["url"] for source in cited],
    )
    record = history.with_event(claim, event)
    require_valid(record)
    return as_claim(record, claim["id"], _details([*claim["sources"], *cited]))


def _details(sources: Iterable[Source]) -> dict[str, Source]:
    """Sources by URL, to show a changed claim's links with the details they came with."""
    return {source["url"]: source for source in sources}


CLAIM_FIELDS = tuple(name for name in Claim.__annotations__ if name != "id")
_CLAIM_VALUES = operator.itemgetter(*CLAIM_FIELDS)
_CLAIM_KEYS = ("id", *CLAIM_FIELDS)


def in_stored_order(claim: Claim) -> Claim:
    """The claim with the keys of each history event in alphabetical order: the order the
    database file keeps them in, so every read returns them that way. A claim a command has
    just changed in memory then prints exactly as it will read back. (Its sources show
    their records' details in the documented order: see `sources.joined`.)"""
    ordered: Any = {
        **claim,
        "history": [stored_event(event) for event in claim["history"]],
    }
    return ordered  # type: ignore[no-any-return]


def stored_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """A history event with its keys (and those of its change) in alphabetical order."""
    ordered = dict(sorted(event.items()))
    if isinstance(ordered.get("change"), Mapping):
        ordered["change"] = history.sorted_change(ordered["change"])
    return ordered


def as_claim(
    record: Mapping[str, Any], claim_id: str, details: Mapping[str, Mapping[str, Any]]
) -> Claim:
    """A stored record (which keeps its id as its key, not a field) as a claim object,
    with its fields in the documented order, and each of its links shown with the
    `details` of its source (records by URL: see `sources.joined`). Hot: a listing makes
    one per claim."""
    try:
        values = _CLAIM_VALUES(record)
    except KeyError:
        values = tuple(record.get(name) for name in CLAIM_FIELDS)
    claim: Any = dict(zip(_CLAIM_KEYS, (claim_id, *values)))  # noqa: B905 (same length)
    links = claim["sources"]
    if links and isinstance(links, list):
        claim["sources"] = [_joined(link, details) for link in links]
    return claim  # type: ignore[no-any-return]


def _joined(link: Any, details: Mapping[str, Mapping[str, Any]]) -> Any:
    """A link with its source's details; one a hand edit left a bare URL reads as a
    supporting link (`doctor` names it)."""
    if isinstance(link, str):
        link = {"stance": SUPPORTS, "url": link}
    if not isinstance(link, dict) or not isinstance(link.get("url"), str):
        return link
    return joined(link, details.get(link["url"]))


# One definition of a valid claim. Every writer builds its claim through `claim_from_record`
# (or checks it with `require_valid`), `doctor` lists `problems` for every stored record, and
# a migration can call either; a record they accept is one that every reader (list, show,
# log, export) can use.

_STATUS_VALUES = frozenset(status.value for status in Status)
_HISTORY_FIELDS = history.EVENT_KEYS
_SOURCE_FIELDS = ("url", "stance")
_STANCES = frozenset(history.STANCES)
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


def problems(record: object, *, removed: bool | None = None) -> list[str]:
    """Every reason `record` is not a valid claim, each worded for a user; [] when it is one.

    `record` has the fields of a claim (its `id` is not judged here: a stored record keeps
    it as its key, see `ids.is_id`). Its history must be well formed, and its fields must be
    what the history makes of them (see `history.fold`); with `removed` given, the history
    must also say whether the claim was removed. Never raises, whatever JSON value it is given.
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
            _optional_problem(record["expected"], "expected date", _window),
            _optional_problem(record["note"], "note", _note),
            timestamp_problem(record["created"], "created"),
            timestamp_problem(record["updated"], "updated"),
        )
        if problem is not None
    ]
    found.extend(_tag_problems(record["tags"]))
    found.extend(_source_problems(record["sources"]))
    if record["status"] == Status.CONFIRMED and not _supported(record["sources"]):
        found.append("it is confirmed but has no supporting source")
    found.extend(_history_problems(record, removed))
    return found


def claim_from_record(
    record: Mapping[str, Any], details: Mapping[str, Mapping[str, Any]] | None = None
) -> Claim:
    """The claim a record describes, refused (BadInput naming its first problem) unless
    it is valid. Its id is the record's, or "" until the database gives it one; its
    sources show the `details` given (by URL), or those the record's own sources hold."""
    require_valid(record)
    claim_id = record.get("id", "")
    if details is None:
        details = {s["url"]: s for s in record["sources"] if s.keys() > {"url", "stance"}}
    return as_claim(record, claim_id if isinstance(claim_id, str) else "", details)


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


@functools.lru_cache(maxsize=4096)
def _window(value: str, what: str) -> object:
    """Checked once per distinct value, like `_partial_date`."""
    return stored_window(value, what)


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


def _supported(sources: object) -> bool:
    return isinstance(sources, list) and any(
        isinstance(source, dict) and source.get("stance") == SUPPORTS for source in sources
    )


def _source_problems(sources: object, *, cited: bool = False) -> list[str]:
    """What is wrong with a claim's sources (or, `cited`, an event's citations, which may
    say no stance: those of events from before stances, see `history.stance_of`)."""
    if not isinstance(sources, list):
        return ["sources is not a list"]
    found: list[str] = []
    seen: set[str] = set()
    for number, source in enumerate(sources, start=1):
        if source_problems := _one_source_problems(source, cited):
            found.extend(f"source {number}: {problem}" for problem in source_problems)
        url = source.get("url") if isinstance(source, dict) else None
        if isinstance(url, str):
            if url in seen:
                found.append(f"source {number}: {url} is cited twice")
            seen.add(url)
    return found


def _one_source_problems(source: object, cited: bool = False) -> list[str]:
    if not isinstance(source, dict):
        return ["it is not an object"]
    url = source.get("url")
    if (
        len(source) == 2
        and source.get("stance") in _STANCES
        and isinstance(url, str)
        and http_host(url)
    ):
        return []  # a link as claims store it: the common case, answered first (doctor is hot)
    found = [] if isinstance(url, str) and http_host(url) else [f"{url!r} is not an http(s) URL"]
    if "stance" in source or not cited:
        stance = source.get("stance")
        if stance not in _STANCES:
            found.append(f"its stance is {stance!r}, not supports or refutes")
    for name, value in source.items():
        if name in _DETAIL_CHECKS:
            what, check = _DETAIL_CHECKS[name]
            if (problem := _optional_problem(value, what, check)) is not None:
                found.append(problem)
        elif name not in _SOURCE_KEYS:
            found.append(f"it has an unknown field {name!r}")
    if "outlet" in source and source["outlet"] is None:
        found.append("outlet is missing or not text")
    return found


def _history_problems(record: Mapping[str, Any], removed: bool | None) -> list[str]:
    """Each event well formed, in the fold's order, the first one the claim's addition; the
    fold finds no conflict a `merged` event doesn't follow, and makes the claim's fields."""
    events = record["history"]
    if not isinstance(events, list) or not events:
        return ["history is missing or empty"]
    found: list[str] = []
    if not isinstance(events[0], dict) or events[0].get("action") != Action.ADDED:
        found.append("history does not start with the claim being added")
    well_formed = True
    for number, event in enumerate(events, start=1):
        if not isinstance(event, dict) or not event.keys() >= _HISTORY_KEYS:
            found.append(f"history event {number} is not an object with {_HISTORY_FIELDS}")
            well_formed = False
        elif event_problems := _event_problems(event):
            found.extend(f"history event {number}: {p}" for p in event_problems)
            well_formed = False
    if not well_formed:
        return found
    found.extend(_order_problems(events))
    if found:
        return found
    folded = history.fold(events)
    found.extend(message for _, message in folded.conflicts)
    if folded.status != record["status"]:
        found.append(f"history ends at {folded.status}, but the status is {record['status']}")
    for name, value in folded.fields().items():
        held = record[name]
        if name == "sources":
            held = _links(held)  # a claim shown with its sources' details
        if name != "status" and value != held:
            found.append(f"the {name} is {held!r}, but its history makes it {value!r}")
    if removed is not None and folded.removed != removed:
        found.append(
            "its history ends with its removal, but it is listed"
            if folded.removed
            else "it is among the removed claims, but its history doesn't end with a removal"
        )
    return found


def _order_problems(events: list[dict[str, Any]]) -> list[str]:
    """One `added` event, ids used once, events in the fold's (clock, at, id) order."""
    found = []
    if sum(1 for event in events if event["action"] == Action.ADDED) > 1:
        found.append("history adds the claim more than once")
    if len({event["id"] for event in events}) < len(events):
        found.append("history uses an event id twice")
    keys = [history.order_key(event) for event in events]
    if any(earlier >= later for earlier, later in itertools.pairwise(keys)):
        found.append("history events are not in the order of their clocks, times and ids")
    return found


def _event_problems(event: dict[str, Any]) -> list[str]:
    action = event["action"] if isinstance(event["action"], str) else None
    found = history.stamp_problems(event)
    if action not in HISTORY_ACTIONS:
        found.append(f"unknown action {event['action']!r}")
    if event["note"] is not None and (problem := _optional_problem(event["note"], "note", _note)):
        found.append(problem)
    for name in ("from", "to"):
        if event[name] is not None and (problem := _status_problem(event[name], name)):
            found.append(problem)
    if action in HISTORY_ACTIONS and not found:
        found.extend(_move_problems(action, event["from"], event["to"]))
    if not isinstance(event["sources"], list):
        found.append("sources is not a list")
    else:
        for url in event["sources"]:
            if (problem := _line_problem(url, "a source")) is not None:
                found.append(problem)
    found.extend(_change_problems(event["change"]))
    return found


def _move_problems(action: str, before: str | None, after: str | None) -> list[str]:
    """Only status actions move a status, each the way its name says."""
    move = f"({action}) moves from {before} to {after}"
    if action == Action.ADDED:
        ok = before is None and after in LADDER
    elif action == Action.PROMOTED:
        ok = before is not None and after is not None and after != Status.DEBUNKED
        ok = ok and RANK[Status(after)] > RANK[Status(before)]  # type: ignore[arg-type]
    elif action == Action.DEMOTED:
        ok = before in LADDER and after in LADDER
        ok = ok and RANK[Status(after)] < RANK[Status(before)]  # type: ignore[arg-type]
    elif action == Action.DEBUNKED:
        ok = before is not None and before != Status.DEBUNKED and after == Status.DEBUNKED
    elif action == Action.REMOVED:
        ok = before is not None and after is None
    elif action == Action.MERGED:
        ok = before is None
    else:
        ok = before is None and after is None
        move = f"({action}) is not a change of status, but moves from {before} to {after}"
    if not ok and action in STATUS_ACTIONS and after is None and action != Action.MERGED:
        return [f"a change of status ({action}) has no status to go to"]
    return [] if ok else [f"{move}, which its action can't do"]


def _change_problems(change: object) -> list[str]:
    """What an event says it changed: known fields, each with a value the claim may hold."""
    if not isinstance(change, dict):
        return ["change is not an object"]
    if not change:
        return []
    found = [f"change has an unknown field {name!r}" for name in change if name not in CHANGE_KEYS]
    for name in history.SET_FIELDS:
        if name in change and (problem := _set_field_problem(name, change[name])) is not None:
            found.append(problem)
    for name in ("tags", "untagged"):
        if name in change:
            found.extend(_tag_problems(change[name]))
    if "cited" in change:
        found.extend(_source_problems(change["cited"], cited=True))
    uncited = change.get("uncited")
    if uncited is not None and not (
        isinstance(uncited, list) and all(isinstance(url, str) for url in uncited)
    ):
        found.append("uncited must be a list of links")
    was = change.get("was")
    if was is not None and not (isinstance(was, dict) and set(was) <= set(history.SET_FIELDS)):
        found.append("was must name the old values of text, topic, expected or note")
    return found


def _links(sources: Any) -> Any:
    """A claim's sources as the links it stores, or as they are if they can't be read."""
    if isinstance(sources, list) and all(
        isinstance(source, dict) and "url" in source and "stance" in source for source in sources
    ):
        return [link_of(source) for source in sources]
    return sources


def _archive(value: str, what: str) -> object:
    if archive_url(value) != value:
        raise BadInput(f"{what} is not a canonical http(s) URL: {value!r}")
    return value


# The details a source may carry beside its link, each with the check of its value.
_DETAIL_CHECKS: dict[str, tuple[str, Any]] = {
    "outlet": ("outlet", clean_line),
    "publisher": ("publisher", clean_line),
    "title": ("source title", clean_line),
    "published": ("published date", _partial_date),
    "accessed": ("accessed date", _partial_date),
    "archive": ("archive link", _archive),
}


def _set_field_problem(name: str, value: object) -> str | None:
    if name in ("text", "topic"):
        return _line_problem(value, name)
    if name == "expected":
        return _optional_problem(value, "expected date", _window)
    return _optional_problem(value, "note", _note)


CHANGE_KEYS = history.CHANGE_KEYS
