"""A claim's history: the events that are its truth, and the fold that makes them a claim.

Every change to a claim is one event, and an event says all that it changed: `added` holds
the claim's first wording, filing, tags and sources; `edited` the new values (and, in
`was`, the old ones); `attached`, `sourced`, `promoted` and `debunked` the sources they
cited, with their details. Each event has a stable `id` and a Lamport `clock`: one more than
the highest clock the claim had where the event was made, so an event comes after every
event its maker had seen, whatever the machines' clocks said.

A claim's status, text, topic, tags, sources, expected date, note, creation, last change
and removal are the fold of its events in (clock, at, id) order: `fold`, the one function
that says what a history means. The fields in the file are that fold, kept for people
reading diffs, never merged on their own; `doctor` checks that they still are the fold.

Events that two clones made without seeing each other's can disagree. The fold then
applies a rule that keeps the claim valid, and notes a conflict:

- a status change applies whatever status it moved from: the later in the order wins;
- a claim left confirmed without a source (the change that brought it was taken back on
  another clone) counts as reported;
- a change that sets the text, topic, expected date or note applies whatever the field
  held: the later wins, and the other value stays in its event;
- a change after a removal puts the claim back in the lists.

A `merged` event, which a merge or an import adds after such conflicts, says a person
should look at the claim (it is flagged until its next change). A conflict that no
`merged` event follows is one no merge saw: such a history is refused on import, and
`doctor` reports it.

Everything here is pure, apart from drawing random event ids.
"""

import hashlib
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypedDict

from aousdctl.domain import ids
from aousdctl.domain.dates import timestamp_problem


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
    # A source taken off the claim (`source rm`): its change's `uncited` names the links.
    UNLINKED = "unlinked"
    REMOVED = "removed"
    # A merge (or an import) saw changes made on two clones that cannot both stand, and the
    # fold applied its rules: as the last event, it asks a person to look at the claim.
    MERGED = "merged"
    UNDONE = "undone"


# The actions that move a claim to a status: each one's "to" is the status it leaves.
STATUS_ACTIONS = frozenset(
    {Action.ADDED, Action.PROMOTED, Action.DEMOTED, Action.DEBUNKED, Action.MERGED}
)
HISTORY_ACTIONS = frozenset(Action) - {Action.UNDONE}
# The actions that move a status from the one the claim had (`from`) to another (`to`).
MOVES = frozenset({Action.PROMOTED, Action.DEMOTED, Action.DEBUNKED})

LADDER = (Status.RUMOR, Status.REPORTED, Status.CONFIRMED)
# Debunked sits below the ladder, like a deprecated rank: promoting it reopens it as a rumor.
RANK = {Status.DEBUNKED: 0, Status.RUMOR: 1, Status.REPORTED: 2, Status.CONFIRMED: 3}


# A source supports the claim that cites it (the default), or refutes it: a denial.
SUPPORTS = "supports"
REFUTES = "refutes"
STANCES = (SUPPORTS, REFUTES)


class Link(TypedDict):
    """A claim's citation of a source, as the claim stores it (see `sources`)."""

    stance: str
    url: str


class Source(TypedDict):
    """A cited source as a claim shows it: its link and its record's details."""

    url: str
    stance: str
    outlet: str
    publisher: str | None
    title: str | None
    published: str | None
    accessed: str | None
    archive: str | None


# "from" is a keyword, so the history event is declared in the functional form.
HistoryEvent = TypedDict(
    "HistoryEvent",
    {
        "action": str,
        "at": str,
        "change": dict[str, Any],
        "clock": int,
        "from": str | None,
        "id": str,
        "note": str | None,
        "sources": list[str],
        "to": str | None,
    },
)

EVENT_KEYS = tuple(HistoryEvent.__annotations__)
# What an event's `change` may hold: the new value of a field it sets, tags it added or
# removed, sources it cited (whole, with their details), and the old values (`was`).
SET_FIELDS = ("text", "topic", "expected", "note")
CHANGE_KEYS = frozenset({*SET_FIELDS, "tags", "untagged", "cited", "uncited", "was"})

# Event ids: 12 characters of the claim ids' alphabet, 60 bits, so that ids drawn on any
# number of clones never meet.
ID_LENGTH = 12
_ID_LETTERS = frozenset(ids.ALPHABET)


def _encoded(number: int) -> str:
    return "".join(ids.ALPHABET[(number >> shift) & 31] for shift in range(55, -1, -5))


def new_event_id() -> str:
    """A random event id (from `os.urandom`, like claim ids)."""
    return _encoded(int.from_bytes(os.urandom(8), "big") >> 4)


def derived_event_id(*parts: str) -> str:
    """An event id every clone derives alike from the same parts: for events a migration
    or a merge makes, so that two clones doing the same make the same event."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return _encoded(int.from_bytes(digest[:8], "big") >> 4)


def is_event_id(value: object) -> bool:
    return isinstance(value, str) and len(value) == ID_LENGTH and _ID_LETTERS.issuperset(value)


def stamp_problems(event: Mapping[str, Any]) -> list[str]:
    """What is wrong with the time, id and clock that order an event, in a claim's history
    or a source's; [] when nothing is (the common case, answered first: doctor is hot)."""
    at, event_id, clock = event["at"], event["id"], event["clock"]
    found = []
    if (problem := timestamp_problem(at, "time")) is not None:
        found.append(problem)
    if not is_event_id(event_id):
        found.append(f"the id {event_id!r} is not valid")
    if type(clock) is not int or clock < 1:
        found.append(f"the clock {clock!r} is not a whole number from 1")
    return found


def order_key(event: Mapping[str, Any]) -> tuple[int, str, str]:
    """The order of the fold: Lamport clock, then time, then id."""
    return (event["clock"], event["at"], event["id"])


def in_order(events: Iterable[Mapping[str, Any]]) -> list[Any]:
    return sorted(events, key=order_key)


def next_clock(history: Sequence[Mapping[str, Any]]) -> int:
    """The clock of an event made now: one more than the highest the claim has."""
    return max((event["clock"] for event in history), default=0) + 1


def new_event(
    history: Sequence[Mapping[str, Any]],
    *,
    action: Action,
    at: str,
    before: str | None = None,
    after: str | None = None,
    note: str | None = None,
    change: Mapping[str, Any] | None = None,
    sources: Sequence[str] = (),
) -> HistoryEvent:
    """A new event for a claim with `history`: a fresh id, the next clock, its keys (and
    those of its change) in the alphabetical order the file keeps them in."""
    return {
        "action": action.value,
        "at": at,
        "change": sorted_change(change or {}),
        "clock": next_clock(history),
        "from": before,
        "id": new_event_id(),
        "note": note,
        "sources": list(sources),
        "to": after,
    }


def sorted_change(change: Mapping[str, Any]) -> dict[str, Any]:
    """A change with its keys, and those of the sources it cites, in alphabetical order."""
    ordered = {name: change[name] for name in sorted(change)}
    if "cited" in ordered:
        ordered["cited"] = [dict(sorted(source.items())) for source in ordered["cited"]]
    if "was" in ordered:
        ordered["was"] = dict(sorted(ordered["was"].items()))
    return ordered


# The fold ------------------------------------------------------------------------------------


@dataclass
class Folded:
    """What a history makes of a claim. `conflicts` are the disagreements no later `merged`
    event follows, each (kind, words for a person)."""

    text: Any = None
    topic: Any = None
    tags: list[str] = field(default_factory=list)
    sources: list[Link] = field(default_factory=list)
    expected: Any = None
    note: Any = None
    status: Any = None
    created: Any = None
    updated: str = ""
    removed: bool = False
    conflicts: list[tuple[str, str]] = field(default_factory=list)

    def fields(self) -> dict[str, Any]:
        """The claim's fields the fold decides, as a stored record holds them."""
        return {
            "text": self.text,
            "status": self.status,
            "topic": self.topic,
            "tags": self.tags,
            "sources": self.sources,
            "expected": self.expected,
            "note": self.note,
            "created": self.created,
            "updated": self.updated,
        }


# The kinds of conflict, in the words a `merged` event uses for them.
STATUS_CONFLICT = "its status moved on two clones"
FIELD_CONFLICT = "its {0} was changed on two clones (the later change stands)"
UNSOURCED_CONFLICT = (
    "it was confirmed while the change that brought its supporting source was taken back: "
    "it counts as reported"
)
REMOVAL_CONFLICT = "it was changed on one clone after its removal on another: it stays"


def fold(history: Sequence[Mapping[str, Any]]) -> Folded:
    """The claim its events make, walked in the order given (`in_order`). The events must be
    well formed (see `claims.problems`); hot: `doctor` folds every claim."""
    state = Folded()
    known: dict[str, int] = {}
    pending: list[tuple[str, str]] = []
    for number, event in enumerate(history, start=1):
        action = event["action"]
        if event["at"] > state.updated:
            state.updated = event["at"]
        if event["change"]:
            _apply_change(state, known, event, number, pending)
        for url in event["sources"]:
            if url not in known:
                known[url] = len(state.sources)
                state.sources.append(default_link(url, action))
        if action == Action.ADDED:
            if state.created is None:
                state.created = event["at"]
                state.status = event["to"]
        elif action in MOVES or action == Action.REMOVED:
            if event["from"] != state.status:
                pending.append(
                    (
                        STATUS_CONFLICT,
                        f"history event {number} ({action}) moves from {event['from']}, "
                        f"but the claim was {state.status} then",
                    )
                )
            if action == Action.REMOVED:
                state.removed = True
            else:
                state.status = event["to"]
        elif action == Action.MERGED:
            pending.clear()
        if state.removed and action != Action.REMOVED and action != Action.MERGED:
            pending.append(
                (
                    REMOVAL_CONFLICT,
                    f"history event {number} ({action}) changes the claim after its removal",
                )
            )
            state.removed = False
        if state.status == Status.CONFIRMED and not supported(state.sources):
            pending.append(
                (
                    UNSOURCED_CONFLICT,
                    f"history event {number} ({action}) leaves the claim confirmed without "
                    "a supporting source",
                )
            )
            state.status = Status.REPORTED.value
    state.conflicts = pending
    return state


def _apply_change(
    state: Folded,
    known: dict[str, int],
    event: Mapping[str, Any],
    number: int,
    pending: list[tuple[str, str]],
) -> None:
    change = event["change"]
    was = change.get("was") or {}
    for name in SET_FIELDS:
        if name in change:
            value, current = change[name], getattr(state, name)
            if name in was and was[name] != current and value != current:
                pending.append(
                    (
                        FIELD_CONFLICT.format(name),
                        f"history event {number} ({event['action']}) changes the {name} from "
                        f"{was[name]!r}, but it was {current!r} then",
                    )
                )
            setattr(state, name, value)
    if "tags" in change or "untagged" in change:
        state.tags = retagged(state.tags, change.get("tags") or (), change.get("untagged") or ())
    for source in change.get("cited") or ():
        cited: Link = {"stance": source.get("stance") or stance_of(event), "url": source["url"]}
        position = known.get(source["url"])
        if position is None:
            known[source["url"]] = len(state.sources)
            state.sources.append(cited)
        else:
            state.sources[position] = cited
    if uncited := change.get("uncited"):
        state.sources = [link for link in state.sources if link["url"] not in uncited]
        known.clear()
        known.update((link["url"], position) for position, link in enumerate(state.sources))


def stance_of(event: Mapping[str, Any]) -> str:
    """The stance of a link an event made without saying one (every link before stances):
    a source that came with a debunking refutes the claim; any other supports it."""
    return REFUTES if event.get("action") == Action.DEBUNKED else SUPPORTS


def supported(links: Iterable[Mapping[str, Any]]) -> bool:
    """Whether any of a claim's links supports it: what confirming needs."""
    return any(link["stance"] == SUPPORTS for link in links)


def retagged(tags: Sequence[str], added: Iterable[str], removed: Iterable[str]) -> list[str]:
    """Tags less `removed`, plus those of `added` not there yet (compared ignoring case)."""
    dropping = {tag.casefold() for tag in removed}
    kept = [tag for tag in tags if tag.casefold() not in dropping]
    seen = {tag.casefold() for tag in kept}
    for tag in added:
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            kept.append(tag)
    return kept


def default_link(url: str, action: str) -> Link:
    """The link an event from before events cited sources whole made (it names the URL
    only): its stance as `stance_of` says."""
    return {"stance": REFUTES if action == Action.DEBUNKED else SUPPORTS, "url": url}


def with_event(record: Mapping[str, Any], event: HistoryEvent) -> dict[str, Any]:
    """The claim `record` with one more event, its fields folded again."""
    history = [*record["history"], event]
    return {**record, **fold(history).fields(), "history": history}


def tombstone(holder: str) -> dict[str, str]:
    """The tombstone of an undone event: the claim (by id) or the source (by its link) whose
    history held it."""
    return {"source": holder} if holder.startswith(("http://", "https://")) else {"claim": holder}


def holder_of(tombstone: Mapping[str, Any]) -> Any:
    """The claim id or source link a tombstone names."""
    return tombstone.get("claim", tombstone.get("source"))


def creation_of(record: Mapping[str, Any]) -> str | None:
    """The id of a claim's `added` event: with its id, what makes a claim itself."""
    history = record.get("history")
    if isinstance(history, list) and history and isinstance(history[0], dict):
        first = history[0]
        if first.get("action") == Action.ADDED and is_event_id(first.get("id")):
            return str(first["id"])
    return None


def split_citations(record: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Make the history of a claim from before stances cite its sources by links with a
    stance, in place: each of its events' citations keeps its link and gets the stance of
    the event that first cited the URL (`stance_of`). Returns the details each citation
    (and each of the claim's sources) held, as (url, time, details), for the sources'
    records. A history too damaged to read is left as it is, for `doctor`."""
    events = record.get("history")
    try:
        first: dict[str, str] = {}
        attached: dict[str, str] = {}  # url -> when an event first cited it
        for event in events:  # type: ignore[union-attr]
            for url in [entry["url"] for entry in event["change"].get("cited") or ()] + list(
                event["sources"]
            ):
                first.setdefault(url, stance_of(event))
                attached.setdefault(url, event["at"])
        details: list[tuple[str, str, dict[str, Any]]] = []
        for event in events:  # type: ignore[union-attr]
            cited = event["change"].get("cited")
            if cited:
                details.extend((entry["url"], event["at"], entry) for entry in cited)
                event["change"]["cited"] = [
                    {"stance": entry.get("stance") or first[entry["url"]], "url": entry["url"]}
                    for entry in cited
                ]
        for source in record.get("sources") or ():
            if isinstance(source, dict) and isinstance(source.get("url"), str):
                when = attached.get(source["url"], record["created"])
                details.append((source["url"], when, source))
    except (KeyError, TypeError, AttributeError):
        return []
    return details


# Merging two clones' events ------------------------------------------------------------------


@dataclass
class ClaimMerge:
    """One claim merged from two clones' histories: its events in order (none when the
    claim is gone), ids of events a rule took back (`undone`, for the tombstones) or brought
    back (`lifted`), and why a person should look at it (`reasons`, empty when the two
    sides' changes stand together)."""

    events: list[Any]
    undone: set[str] = field(default_factory=set)
    lifted: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)


def merge_claim(
    base: Sequence[Any] | None,
    ours: Sequence[Any] | None,
    theirs: Sequence[Any] | None,
    tombstones: Collection[str],
) -> ClaimMerge:
    """Three versions of one claim's history (None where the claim is absent) as one.

    An event that BASE had and one side dropped is dropped (a `git revert`, or an `undo`
    after the change was shared); an event either side added is kept; an event whose id is
    in `tombstones` (undone somewhere) is dropped. Then the rules for what can't both stand:

    - removed on one side, changed on the other: the change keeps the claim, and the
      removal goes to the tombstones;
    - added on one side and the addition undone there, changed on the other: the claim
      stays, with its `added` event;
    - and the fold's own rules (see the module's docstring).

    The events come back in order, with the reasons a person should look at the claim
    (`with_reasons` then ends the history with a `merged` event saying them). The result is
    the same whichever side is `ours`. With no BASE (an import), every event is kept.
    """
    base_events = _by_id(base)
    ours_events, theirs_events = _by_id(ours), _by_id(theirs)
    kept: dict[str, Any] = {}
    for event_id in ours_events.keys() | theirs_events.keys():
        in_ours, in_theirs = event_id in ours_events, event_id in theirs_events
        if (in_ours and in_theirs) or event_id not in base_events:
            kept[event_id] = _one_version(
                base_events.get(event_id), ours_events.get(event_id), theirs_events.get(event_id)
            )
    new_ours = ours_events.keys() - base_events.keys() - theirs_events.keys()
    new_theirs = theirs_events.keys() - base_events.keys() - ours_events.keys()
    merged = ClaimMerge([])
    for event_id in [event_id for event_id in kept if event_id in tombstones]:
        del kept[event_id]
    for removing, changing in ((new_ours, new_theirs), (new_theirs, new_ours)):
        _overrule_removals(kept, removing, changing, merged)
    _keep_creation(kept, (base, ours, theirs), tombstones, merged)
    merged.events = in_order(kept.values())
    if merged.events:
        folded = fold(merged.events)
        merged.reasons.extend(dict.fromkeys(kind for kind, _ in folded.conflicts))
    return merged


def with_reasons(events: list[Any], reasons: Sequence[str]) -> list[Any]:
    """A merged history, ended by a `merged` event when there are reasons for a person to
    look at the claim."""
    if not reasons or not events:
        return events
    return [*events, merged_event(events, reasons)]


def _by_id(events: Sequence[Any] | None) -> dict[str, Any]:
    return {event["id"]: event for event in events or ()}


def _one_version(base: Any, ours: Any, theirs: Any) -> Any:
    """The content of an event both sides hold: the one that changed it (a migration's
    summary, say), or, when both did, the same one whichever side is ours."""
    if ours is None or ours == theirs:
        return theirs
    if theirs is None or theirs == base:
        return ours
    if ours == base:
        return theirs
    return max(ours, theirs, key=canonical)


def _overrule_removals(
    kept: dict[str, Any], removing: set[str], changing: set[str], merged: ClaimMerge
) -> None:
    """Removed on one side, changed on the other: the change keeps the claim."""
    removals = [i for i in removing if i in kept and kept[i]["action"] == Action.REMOVED]
    changes = [kept[i]["action"] for i in changing if i in kept]
    if not removals or Action.REMOVED in changes:
        return
    if any(action != Action.MERGED for action in changes):
        for event_id in sorted(removals):
            at = kept.pop(event_id)["at"]
            merged.undone.add(event_id)
            merged.reasons.append(
                f"it was removed on one clone at {at} but changed on another: it stays"
            )


def _keep_creation(
    kept: dict[str, Any],
    versions: Sequence[Sequence[Any] | None],
    tombstones: Collection[str],
    merged: ClaimMerge,
) -> None:
    """A claim whose addition was undone on one side but changed on the other stays."""
    if not kept:
        return
    creations = [events[0] for events in versions if events and events[0]["action"] == "added"]
    if not creations or creations[0]["id"] in kept:
        return
    creation = max(creations, key=canonical)
    # Already flagged by a merge that saw this (its `merged` event is the last): a clone
    # that merges that result again, holding the undo's tombstone still, adds nothing.
    flagged = max(kept.values(), key=order_key)["action"] == Action.MERGED
    kept[creation["id"]] = creation
    if creation["id"] in tombstones:
        merged.lifted.add(creation["id"])
    if not flagged:
        merged.reasons.append("its addition was undone on one clone but it was changed on another")


def merged_event(events: Sequence[Mapping[str, Any]], reasons: Sequence[str]) -> HistoryEvent:
    """The `merged` event that ends a history whose events don't all stand together: the
    same on every clone that merges the same events (its id, time and clock come from them)."""
    return {
        "action": Action.MERGED.value,
        "at": max(event["at"] for event in events),
        "change": {},
        "clock": next_clock(events),
        "from": None,
        "id": derived_event_id("merged", *sorted(event["id"] for event in events), *reasons),
        "note": "merged from diverging changes on two clones: "
        + "; ".join(reasons)
        + " (check the history)",
        "sources": [],
        "to": None,
    }


def canonical(value: Any) -> bytes:
    """Key-sorted JSON: one spelling of a value, to compare and order values by. (`codec`
    and its orjson are imported here, not at the top: every command, `--help` included,
    imports this module, and only merges and folds of conflicts compare values.)"""
    from aousdctl import codec

    return codec.canonical(value)


# Histories from before events had ids ----------------------------------------------------------

_LEGACY_KEYS = ("at", "action", "from", "to", "note", "sources")
UPGRADE_REASON = "its history did not form one chain when its database was upgraded"
_RECORD_FIELDS = ("text", "topic", "tags", "sources", "expected", "note")


def is_legacy(history: object) -> bool:
    """Whether a history is one from before events had ids and clocks."""
    return (
        isinstance(history, list)
        and bool(history)
        and all(isinstance(event, dict) for event in history)
        and all("id" not in event and "clock" not in event for event in history)
    )


def upgrade_legacy(record: dict[str, Any], seed: str, *, refold: bool = True) -> None:
    """Give the events of a history from before ids (`is_legacy`) what the fold needs, in
    place: ids derived from `seed` (the claim's id) and each event's content, clocks in the
    order they are listed, and, on the last event, the claim's fields as they stand (those
    events did not say what they changed). With `refold`, the fields are then folded again,
    and a history that doesn't form one chain (what an older merge could write) ends with a
    `merged` event; without, they are left for the caller to check against the history.
    A record too damaged to read is left with its ids and clocks only, for `doctor`.
    """
    history = record["history"]
    if not all(set(_LEGACY_KEYS) <= event.keys() for event in history):
        return
    seen: dict[bytes, int] = {}
    for position, event in enumerate(history):
        content = canonical({name: event[name] for name in _LEGACY_KEYS})
        occurrence = seen.get(content, 0)
        seen[content] = occurrence + 1
        event["id"] = derived_event_id("upgraded", seed, content.decode(), str(occurrence))
        event["clock"] = position + 1
        event["change"] = {}
    summary = _summary_of(record)
    if summary is None:
        return
    history[-1]["change"] = summary
    if not refold:
        return
    try:
        folded = fold(history)
    except (KeyError, TypeError, ValueError, AttributeError):
        return
    if folded.conflicts:
        history.append(merged_event(history, [UPGRADE_REASON]))
        folded = fold(history)
    record.update(folded.fields())


def _summary_of(record: Mapping[str, Any]) -> dict[str, Any] | None:
    """A record's fields as a change that sets them, or None if they can't be read."""
    if not all(name in record for name in _RECORD_FIELDS):
        return None
    texts = [record["text"], record["topic"]]
    optional = [record["expected"], record["note"]]
    tags, sources = record["tags"], record["sources"]
    if not (
        all(isinstance(value, str) for value in texts)
        and all(value is None or isinstance(value, str) for value in optional)
        and isinstance(tags, list)
        and all(isinstance(tag, str) for tag in tags)
        and isinstance(sources, list)
        and all(_readable_source(source) for source in sources)
    ):
        return None
    return sorted_change(
        {
            "text": record["text"],
            "topic": record["topic"],
            "expected": record["expected"],
            "note": record["note"],
            "tags": list(tags),
            # What the record says of each source, but no stance: the one that first cited
            # it says that (see `split_citations`).
            "cited": [
                {name: value for name, value in source.items() if name != "stance"}
                for source in sources
            ],
        }
    )


def _readable_source(source: object) -> bool:
    return (
        isinstance(source, dict)
        and isinstance(source.get("url"), str)
        and {"outlet", "title", "published"} <= source.keys()
    )
