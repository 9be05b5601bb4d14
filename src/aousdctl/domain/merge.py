"""Three-way merge of two clones' databases, claim by claim, as git's merge driver does it.

Git sees the database as lines of text; this module sees records. Given the common ancestor
(`base`) and two descendants (`ours`, `theirs`), every record that only one side changed takes
that side's version; a claim that both sides changed is merged field by field:

- history: the union of both histories, each side's own order kept, interleaved by time
  (ties broken by the events' content, so both clones merge to the same bytes);
- status: that of the latest status change in the merged history; when both sides changed the
  status, a `merged` event at the end says so, and marks the claim for a person to look at
  until its next change;
- tags and sources: what either side added, less what either side took away;
- any other field both sides set differently: the side that changed the claim last wins,
  and an `edited` event keeps the other value, so nothing either clone wrote is dropped;
- removed on one side, changed on the other: the claim stays, with the removal noted.

Topics, settings and any other table merge record by record, field by field, with the same
rules; where neither value has a time, the larger (as canonical JSON) wins, which is arbitrary
but the same on every clone. Everything here is pure: no files, no git.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from aousdctl.codec import canonical
from aousdctl.domain.claims import Action

Record = dict[str, Any]
Tables = dict[str, dict[str, Any]]

CLAIM_TABLES = ("claims", "removed")
MERGED_ACTION = Action.MERGED.value
REMOVED_ACTION = Action.REMOVED.value
_SET_FIELDS = ("tags", "sources")
_DERIVED_FIELDS = ("history", "status", "created", "updated", *_SET_FIELDS)


def merge_tables(base: Tables, ours: Tables, theirs: Tables) -> Tables:
    """The merged tables of three versions of a database (each already migrated)."""
    merged: Tables = {}
    claims, removed = _merge_claim_tables(base, ours, theirs)
    merged["claims"], merged["removed"] = claims, removed
    for name in sorted(set(base) | set(ours) | set(theirs)):
        if name not in CLAIM_TABLES:
            merged[name] = _merge_table(
                base.get(name, {}), ours.get(name, {}), theirs.get(name, {})
            )
    return merged


def is_flagged(record: Mapping[str, Any]) -> bool:
    """Whether a claim was merged from diverging status changes and not changed since."""
    history = record.get("history")
    return (
        isinstance(history, list)
        and bool(history)
        and isinstance(history[-1], dict)
        and history[-1].get("action") == MERGED_ACTION
    )


def merge_histories(ours: Sequence[Any], theirs: Sequence[Any]) -> list[Any]:
    """Both histories as one: the events they share, then the others interleaved by time.

    Each side's own order is kept (two events in the same second stay as that side wrote
    them), an event both sides hold appears once, and the result does not depend on which
    side is which.
    """
    shared = 0
    while shared < min(len(ours), len(theirs)) and ours[shared] == theirs[shared]:
        shared += 1
    merged = list(ours[:shared])
    seen = {_identity(event) for event in merged}
    left, right = ours[shared:], theirs[shared:]
    i = j = 0
    while i < len(left) or j < len(right):
        take_left = j >= len(right) or (
            i < len(left) and _event_order(left[i]) <= _event_order(right[j])
        )
        event = left[i] if take_left else right[j]
        if take_left:
            i += 1
        else:
            j += 1
        if _identity(event) not in seen:
            seen.add(_identity(event))
            merged.append(event)
    return merged


def status_from_history(history: Iterable[Mapping[str, Any]]) -> str | None:
    """The status the latest status change in a history leaves a claim with."""
    status = None
    for event in history:
        if event.get("to") is not None and event.get("action") != REMOVED_ACTION:
            status = event["to"]
    return status


def event_key(event: Mapping[str, Any]) -> tuple[Any, ...]:
    """What makes two copies of a history event the same event, for import."""
    return (
        event.get("at"),
        event.get("action"),
        event.get("from"),
        event.get("to"),
        event.get("note"),
    )


def absorb_history(claim: Mapping[str, Any], other: Mapping[str, Any]) -> Any:
    """`claim` with what another clone's copy of it (`other`) did that it lacks; None when
    the other copy holds nothing new.

    The other copy's history events this one lacks are woven in by time, and the claim takes
    the status the latest status change leaves; when the latest edit came from the other
    copy, so do the wording, topic, tags, expected date and note. Its `added` event is its
    own record of the claim's creation and its `merged` events are its own conclusions, not
    news. When the merged history no longer forms one chain of statuses (both copies moved
    the status), a `merged` event flags the claim, exactly as each clone would conclude, so
    two clones that import each other's exports end the same.
    """
    known = {event_key(event) for event in claim["history"]}
    news = [
        event
        for event in other["history"]
        if event["action"] not in (Action.ADDED, MERGED_ACTION) and event_key(event) not in known
    ]
    if not news:
        return None
    history = merge_histories(list(claim["history"]), news)
    absorbed = {**claim, "history": history}
    absorbed["updated"] = max(claim["updated"], *(str(event["at"]) for event in news))
    edits = [event for event in history if event["action"] == Action.EDITED]
    if edits and event_key(edits[-1]) not in known:
        for field in ("text", "topic", "tags", "expected", "note"):
            absorbed[field] = other[field]
    absorbed["status"] = status_from_history(history) or claim["status"]
    if _chain_breaks(history):
        history.append(_merged_event(absorbed["updated"], absorbed["status"]))
    return absorbed


def _chain_breaks(history: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the status changes since the last `merged` event fail to form one chain."""
    current = None
    for event in history:
        if event["action"] == MERGED_ACTION or event["action"] == Action.ADDED:
            current = event["to"]
        elif event.get("to") is not None and event["action"] != REMOVED_ACTION:
            if event.get("from") != current:
                return True
            current = event["to"]
    return False


# Claims --------------------------------------------------------------------------------------


def _merge_claim_tables(
    base: Tables, ours: Tables, theirs: Tables
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Claims and removed claims together: removing moves a claim from one table to the other."""
    claims: dict[str, Any] = {}
    removed: dict[str, Any] = {}
    keys: set[str] = set()
    for tables in (base, ours, theirs):
        for name in CLAIM_TABLES:
            keys.update(tables.get(name, {}))
    for key in sorted(keys):
        place, record = _merge_claim_states(
            _claim_state(base, key), _claim_state(ours, key), _claim_state(theirs, key)
        )
        if place is not None:
            (claims if place == "claims" else removed)[key] = record
    return claims, removed


State = tuple[str, Record] | None


def _claim_state(tables: Tables, key: str) -> State:
    for name in CLAIM_TABLES:
        record = tables.get(name, {}).get(key)
        if record is not None:
            return name, record
    return None


def _merge_claim_states(base: State, ours: State, theirs: State) -> tuple[str | None, Any]:
    chosen = _three_way(base, ours, theirs)
    if chosen is not _BOTH_CHANGED:
        return (None, None) if chosen is None else chosen
    if ours is None or theirs is None:
        # One side dropped the claim without a trace (an undone add) while the other changed
        # it: the change is kept.
        kept = ours if theirs is None else theirs
        assert kept is not None
        return kept
    base_record = base[1] if base is not None else None
    record = merge_claim(base_record, ours[1], theirs[1])
    if ours[0] == theirs[0]:
        return ours[0], record
    # Removed on one side, changed on the other: the change keeps it in the lists.
    removal_at = _removal_time(ours[1] if ours[0] == "removed" else theirs[1])
    history = [e for e in record["history"] if e.get("action") != REMOVED_ACTION]
    note = _event(
        _latest_time(record),
        "edited",
        f"kept: removed on another clone at {removal_at}, but changed on this one",
    )
    # Before a closing `merged` event, which must stay last to flag the claim for review.
    history.insert(len(history) - 1 if is_flagged(record) else len(history), note)
    record["history"] = history
    return "claims", record


def _removal_time(record: Record) -> str:
    for event in reversed(record.get("history") or []):
        if event.get("action") == REMOVED_ACTION:
            return str(event.get("at"))
    return str(record.get("updated"))


def merge_claim(base: Record | None, ours: Record, theirs: Record) -> Record:
    """One claim that both sides changed, merged by the rules in this module's docstring."""
    base = base or {}
    history = merge_histories(ours.get("history") or [], theirs.get("history") or [])
    ours_at, theirs_at = _last_change(base, ours), _last_change(base, theirs)
    merged: Record = {}
    kept_aside: list[str] = []
    for field in sorted((set(ours) | set(theirs)) - set(_DERIVED_FIELDS)):
        value, other = _merge_field(
            base.get(field), ours.get(field), theirs.get(field), ours_at, theirs_at
        )
        merged[field] = value
        if other is not _NOTHING:
            kept_aside.append(f"{field} on the other clone was: {_describe(other)}")
    merged["tags"] = _merge_tags(base.get("tags") or [], ours["tags"], theirs["tags"])
    merged["sources"] = _merge_sources(
        base.get("sources") or [], ours["sources"], theirs["sources"], ours_at >= theirs_at
    )
    merged["created"] = min(ours["created"], theirs["created"])
    merged["updated"] = max(ours["updated"], theirs["updated"])
    merged["history"] = history
    latest = _latest_time(merged)
    for note in kept_aside:
        history.append(_event(latest, "edited", note))
    status = status_from_history(history) or ours["status"]
    if _both_changed_status(base, ours, theirs):
        history.append(_merged_event(latest, status))
    merged["status"] = status
    return merged


def _both_changed_status(base: Record, ours: Record, theirs: Record) -> bool:
    known = {_identity(event) for event in base.get("history") or []}

    def status_events(record: Record) -> set[bytes]:
        return {
            _identity(event)
            for event in record.get("history") or []
            if event.get("to") is not None
            and event.get("action") != REMOVED_ACTION
            and _identity(event) not in known
        }

    ours_events, theirs_events = status_events(ours), status_events(theirs)
    return bool(ours_events) and bool(theirs_events) and ours_events != theirs_events


def _last_change(base: Record, record: Record) -> str:
    """When a side last changed the claim: its newest event that the base lacks."""
    known = {_identity(event) for event in base.get("history") or []}
    times = [e["at"] for e in record.get("history") or [] if _identity(e) not in known]
    return max(times, default=str(record.get("updated", "")))


def _latest_time(record: Record) -> str:
    times = [str(event["at"]) for event in record["history"]]
    return max([*times, str(record["updated"])])


def _merge_field(
    base: Any, ours: Any, theirs: Any, ours_at: str, theirs_at: str
) -> tuple[Any, Any]:
    """The merged value of one field, and the value set aside (or _NOTHING)."""
    chosen = _three_way(base, ours, theirs)
    if chosen is not _BOTH_CHANGED:
        return chosen, _NOTHING
    ours_wins = (ours_at, _canonical(ours)) > (theirs_at, _canonical(theirs))
    return (ours, theirs) if ours_wins else (theirs, ours)


def _merge_tags(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """Tags either side added, less those either side removed, in first-seen order."""
    removed = {tag.casefold() for tag in base} - (
        {tag.casefold() for tag in ours} & {tag.casefold() for tag in theirs}
    )
    merged: list[str] = []
    seen: set[str] = set()
    for tag in [*ours, *theirs]:
        key = tag.casefold()
        if key not in seen and key not in removed:
            seen.add(key)
            merged.append(tag)
    return merged


def _merge_sources(
    base: list[Record], ours: list[Record], theirs: list[Record], ours_later: bool
) -> list[Record]:
    """Sources either side attached, less those either side dropped; for a source both sides
    describe differently, the description of the side that changed last."""
    in_base = {source["url"]: source for source in base}
    in_ours = {source["url"]: source for source in ours}
    in_theirs = {source["url"]: source for source in theirs}
    merged: list[Record] = []
    for url in dict.fromkeys([*in_ours, *in_theirs]):
        if url in in_base and (url not in in_ours or url not in in_theirs):
            continue  # one side dropped it
        chosen = _three_way(in_base.get(url), in_ours.get(url), in_theirs.get(url))
        if chosen is _BOTH_CHANGED:
            chosen = in_ours[url] if ours_later else in_theirs[url]
        merged.append(chosen)
    return merged


# Any other table -----------------------------------------------------------------------------


def _merge_table(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for key in sorted(set(base) | set(ours) | set(theirs)):
        chosen = _three_way(base.get(key), ours.get(key), theirs.get(key))
        if chosen is _BOTH_CHANGED:
            chosen = _merge_plain_record(base.get(key), ours.get(key), theirs.get(key))
        if chosen is not None:
            merged[key] = chosen
    return merged


def _merge_plain_record(base: Any, ours: Any, theirs: Any) -> Any:
    """A record without times: field by field; where both set a field differently, the
    larger value as canonical JSON, so that every clone picks the same one."""
    if not isinstance(ours, dict) or not isinstance(theirs, dict):
        kept = [value for value in (ours, theirs) if value is not None]
        return max(kept, key=_canonical) if kept else None
    base = base if isinstance(base, dict) else {}
    merged = {}
    for field in sorted(set(ours) | set(theirs)):
        value = _three_way(base.get(field), ours.get(field), theirs.get(field))
        if value is _BOTH_CHANGED:
            value = max((ours.get(field), theirs.get(field)), key=_canonical)
        merged[field] = value
    return merged


# Helpers ---------------------------------------------------------------------------------------


# Markers that no stored value can equal: "both sides changed it", and "nothing set aside".
_BOTH_CHANGED: Any = object()
_NOTHING: Any = object()


def _three_way(base: Any, ours: Any, theirs: Any) -> Any:
    """The value when at most one side changed it (or both made the same change)."""
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    return _BOTH_CHANGED


def _canonical(value: Any) -> bytes:
    return canonical(value)


def _identity(event: Mapping[str, Any]) -> bytes:
    return _canonical(event)


def _event_order(event: Mapping[str, Any]) -> tuple[str, bytes]:
    return str(event.get("at", "")), _canonical(event)


def _event(at: str, action: str, note: str) -> Record:
    return {"at": at, "action": action, "from": None, "to": None, "note": note, "sources": []}


def _merged_event(at: str, status: str) -> Record:
    return {
        "at": at,
        "action": MERGED_ACTION,
        "from": None,
        "to": status,
        "note": "merged from diverging changes on two clones: check the history",
        "sources": [],
    }


def _describe(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value
    return _canonical(value).decode()


def flagged(tables: Tables) -> Iterator[str]:
    """Ids of claims flagged as merged from diverging changes, for doctor and review."""
    for key, record in sorted(tables.get("claims", {}).items()):
        if is_flagged(record):
            yield key
