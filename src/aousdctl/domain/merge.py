"""Three-way merge of two clones' databases, as git's merge driver (and `resolve`) does it.

Git sees the database as lines of text; this module sees records. Given the common ancestor
(`base`, empty when there is none) and two descendants (`ours`, `theirs`):

- A claim is its id together with its creation (the id of its `added` event). Its events
  merge three-way (see `history.merge_claim`): an event that BASE had and one side dropped
  is dropped (`git revert`, `undo` after a push), an event either side added is kept, an
  event in the tombstones (undone somewhere) is dropped; its fields, and whether it is
  removed, are the fold of the merged events. Fields are never merged on their own.
- Two claims that share an id but not a creation are both kept: the one created first (by
  its `added` event's time, then id) keeps the id, the other takes an id derived from the
  two, the same on every clone, and its history says which id it had.
- Tombstones merge three-way; a removal a change overruled joins them, an undone addition
  a change kept leaves them.
- Feed subscriptions are keyed by URL: two subscriptions of one site stay two, and a name
  both use is told apart (`name (2)`). Leads are one per story (canonical link): a decision
  (accepted, attached, dismissed) wins over waiting.
- Sources are records by URL, each with a history of its own: one both sides changed
  keeps the events of both (less those BASE had and a side dropped), its details their fold.
- Topics, settings and any other table merge record by record, field by field; where both
  sides set a field differently, the larger value as canonical JSON wins: arbitrary, but the
  same on every clone.

The result is the same bytes whichever side is ours. Everything here is pure: no files, no
git.
"""

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from aousdctl.domain import history, ids, sources
from aousdctl.domain.claims import Action
from aousdctl.errors import Conflict

Record = dict[str, Any]
Tables = dict[str, dict[str, Any]]
# One version's claims: key -> (table, record), the table being "claims" or "removed".
Version = Mapping[str, tuple[str, Record]]

CLAIM_TABLES = ("claims", "removed")
TOMBSTONES = "tombstones"
SOURCES = "sources"
MERGED_ACTION = Action.MERGED.value
WAITING = "waiting"


def merge_tables(base: Tables, ours: Tables, theirs: Tables) -> Tables:
    """The merged tables of three versions of a database (each already migrated)."""
    return merge_with_reasons(base, ours, theirs)[0]


def merge_with_reasons(
    base: Tables, ours: Tables, theirs: Tables
) -> tuple[Tables, dict[str, list[str]]]:
    """`merge_tables`, and why each claim this merge flagged for a person was flagged."""
    tombstones = merge_table(
        TOMBSTONES, base.get(TOMBSTONES, {}), ours.get(TOMBSTONES, {}), theirs.get(TOMBSTONES, {})
    )
    claims = merge_claim_versions(
        _version(base), _version(ours), _version(theirs), frozenset(tombstones)
    )
    merged: Tables = {"claims": {}, "removed": {}}
    for key, (table, record) in sorted(claims.placed.items()):
        merged[table][key] = record
    merged[TOMBSTONES] = with_rules_applied(tombstones, claims)
    for name in sorted(set(base) | set(ours) | set(theirs)):
        if name not in merged:
            merged[name] = merge_table(
                name,
                base.get(name, {}),
                ours.get(name, {}),
                theirs.get(name, {}),
                undone=frozenset(tombstones),
            )
    if SOURCES in merged:
        had = {url for version in (base, ours, theirs) for url in version.get(SOURCES, {})}
        citing = [*merged["claims"].values(), *merged["removed"].values()]
        merged[SOURCES] |= sources.made_again(had - merged[SOURCES].keys(), citing)
    return merged, claims.reasons


def with_rules_applied(tombstones: dict[str, Any], claims: "ClaimsMerge") -> dict[str, Any]:
    """The merged tombstones, plus the removals a change overruled, less the events a
    change brought back."""
    for event_id, claim_id in claims.undone.items():
        tombstones.setdefault(event_id, {"claim": claim_id})
    for event_id in claims.lifted:
        tombstones.pop(event_id, None)
    return dict(sorted(tombstones.items()))


def is_flagged(record: Mapping[str, Any]) -> bool:
    """Whether a claim's last event is a `merged` one: a merge flagged it for a person, and
    nobody has changed it since."""
    history_ = record.get("history")
    return (
        isinstance(history_, list)
        and bool(history_)
        and isinstance(history_[-1], dict)
        and history_[-1].get("action") == MERGED_ACTION
    )


def flagged(tables: Tables) -> Iterator[str]:
    """Ids of claims flagged as merged from diverging changes, for doctor and review."""
    for key, record in sorted(tables.get("claims", {}).items()):
        if is_flagged(record):
            yield key


# Claims --------------------------------------------------------------------------------------


@dataclass
class ClaimsMerge:
    """Claims merged from three versions: where each one now is (key -> (table, record)),
    the events a rule took back (event id -> claim key, for the tombstones) or brought back
    (`lifted`), and why each claim flagged by this merge needs a person."""

    placed: dict[str, tuple[str, Record]] = field(default_factory=dict)
    undone: dict[str, str] = field(default_factory=dict)
    lifted: set[str] = field(default_factory=set)
    reasons: dict[str, list[str]] = field(default_factory=dict)


def merge_claim_versions(
    base: Version,
    ours: Version,
    theirs: Version,
    tombstones: Collection[str],
    taken: Collection[str] = (),
    *,
    ours_keep_ids: bool = False,
) -> ClaimsMerge:
    """Claims of three versions merged creation by creation (see the module's docstring).

    `taken` are ids no claim of these versions may take (others in use, or retired): an
    import passes only the claims it concerns, and the rest of the database's ids here.
    With `ours_keep_ids` (an import), a claim of ours keeps its id whatever claim of theirs
    also has it.
    """
    by_creation: dict[str, dict[str, tuple[str, str, Record]]] = {}
    for side, version in (("base", base), ("ours", ours), ("theirs", theirs)):
        for key, (table, record) in version.items():
            creation = history.creation_of(record) or f"key:{key}"
            by_creation.setdefault(creation, {})[side] = (key, table, record)
    result = ClaimsMerge()
    survivors: dict[str, tuple[list[Any], list[str]]] = {}
    wanted: dict[str, list[str]] = {}
    for creation, sides in sorted(by_creation.items()):
        if creation.startswith("key:"):
            _merge_unreadable(creation[4:], sides, result)
            continue
        try:
            merged = history.merge_claim(
                _events(sides.get("base")),
                _events(sides.get("ours")),
                _events(sides.get("theirs")),
                tombstones,
            )
        except (TypeError, KeyError, AttributeError, ValueError):
            # A history a hand edit spoiled: its events can't be weighed one by one, and
            # keeping one side's record whole would lose the other's changes.
            raise Conflict(
                f"claim {min(key for key, _, _ in sides.values())} can't be merged: a hand "
                "edit spoiled its history on one side (`aousdctl doctor` there names it, "
                "`undo` or a fix by hand mends it); nothing was merged"
            ) from None
        if not merged.events:
            continue
        keys = sorted({key for key, _, _ in sides.values()})
        survivors[creation] = (merged.events, merged.reasons)
        wanted[creation] = keys
        result.undone.update(dict.fromkeys(merged.undone, keys[0]))
        result.lifted |= merged.lifted
    keepers = {
        creation for creation, sides in by_creation.items() if ours_keep_ids and "ours" in sides
    }
    assigned = _assign_keys(wanted, survivors, taken, set(result.placed), keepers)
    for creation, (events, reasons) in survivors.items():
        key, renamed_from = assigned[creation]
        if renamed_from is not None:
            reasons = [
                *reasons,
                f"it had the id {renamed_from}, which another claim has: it is now {key}",
            ]
        closed = history.with_reasons(events, reasons)
        folded = history.fold(closed)
        table = "removed" if folded.removed else "claims"
        result.placed[key] = (table, {**folded.fields(), "history": closed})
        if reasons:
            result.reasons[key] = reasons
    result.undone = {
        event_id: _new_key(key, assigned, wanted) for event_id, key in result.undone.items()
    }
    return result


def _version(tables: Tables) -> dict[str, tuple[str, Record]]:
    version: dict[str, tuple[str, Record]] = {}
    for name in CLAIM_TABLES:
        for key, record in tables.get(name, {}).items():
            version.setdefault(key, (name, record))
    return version


def _events(entry: tuple[str, str, Record] | None) -> list[Any] | None:
    if entry is None:
        return None
    events = entry[2].get("history")
    return events if isinstance(events, list) else []


def _merge_unreadable(
    key: str, sides: dict[str, tuple[str, str, Record]], result: ClaimsMerge
) -> None:
    """A record without a readable creation (damaged by hand): merged as a whole, the
    changed side's version or, when both changed it, the same one whichever side is ours."""
    versions = [sides.get(side) for side in ("base", "ours", "theirs")]
    chosen = three_way(*versions)
    if chosen is BOTH_CHANGED:
        chosen = max((v for v in versions[1:] if v is not None), key=history.canonical)
    if chosen is not None:
        result.placed[key] = (str(chosen[1]), chosen[2])


def _assign_keys(
    wanted: dict[str, list[str]],
    survivors: Mapping[str, tuple[list[Any], list[str]]],
    taken: Collection[str],
    placed: Collection[str],
    keepers: Collection[str],
) -> dict[str, tuple[str, str | None]]:
    """Each creation's key, and the key it gave up (None if none).

    A creation keeps the key its versions give it (one a merge already derived for it, if
    they give two). Where two creations want one key, one of `keepers`, else the one added
    first, keeps it and the other takes a key derived from the key and its creation; a key
    `taken` elsewhere is given up for a derived one too."""
    preferred = {creation: _preferred_key(keys, creation) for creation, keys in wanted.items()}
    by_key: dict[str, list[str]] = {}
    for creation, key in preferred.items():
        by_key.setdefault(key, []).append(creation)
    used = set(taken) | set(placed) | set(by_key)
    assigned: dict[str, tuple[str, str | None]] = {}
    for key, creations in sorted(by_key.items()):
        first = min(creations, key=lambda c: (c not in keepers, survivors[c][0][0]["at"], c))
        for creation in sorted(creations):
            if creation == first and key not in taken:
                assigned[creation] = (key, None)
            else:
                derived = ids.seeded_id(f"{key}:{creation}", used)
                used.add(derived)
                assigned[creation] = (derived, key if key not in taken else None)
    return assigned


def _preferred_key(keys: list[str], creation: str) -> str:
    """Of the keys a creation has in the versions, the one a merge derived for it (it gave
    up the other), else the smallest."""
    for key in keys:
        if any(key == ids.seeded_id(f"{other}:{creation}") for other in keys if other != key):
            return key
    return keys[0]


def _new_key(key: str, assigned: Mapping[str, tuple[str, str | None]], wanted: Any) -> str:
    for creation, keys in wanted.items():
        if key in keys:
            return assigned[creation][0]
    return key


# Feeds and leads -----------------------------------------------------------------------------


def _merge_feeds(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> dict[str, Any]:
    """Feeds keyed by URL, record by record; a name two feeds share is told apart."""
    merged = _merge_table(base, ours, theirs)
    by_name: dict[str, list[str]] = {}
    for key, record in merged.items():
        by_name.setdefault(str(record.get("name", "")).casefold(), []).append(key)
    names = set(by_name)
    for keys in by_name.values():
        keys.sort(key=lambda k: (str(merged[k].get("added")), k))
        for key in keys[1:]:
            name = str(merged[key].get("name", ""))
            number = 2
            while f"{name} ({number})".casefold() in names:
                number += 1
            names.add(f"{name} ({number})".casefold())
            merged[key] = {**merged[key], "name": f"{name} ({number})"}
    return merged


def _merge_leads(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> dict[str, Any]:
    """Leads record by record, then one per story (leads sharing any canonical link, as an
    aggregator's copy and the publisher's own do): a decided one wins over one waiting, the
    earlier decision over a later one, then the earlier fetch."""
    merged = _merge_table(base, ours, theirs)
    chosen: list[str] = []
    known: set[str] = set()
    for key in sorted(merged, key=lambda key: _lead_order(key, merged[key])):
        lead = merged[key]
        links = {str(link) for link in [lead.get("link"), *(lead.get("links") or [])]}
        if not links & known:
            chosen.append(key)
        known |= links
    return {key: merged[key] for key in sorted(chosen)}


def _lead_order(key: str, lead: Mapping[str, Any]) -> tuple[bool, str, str, str]:
    waiting = lead.get("state") == WAITING
    return (waiting, str(lead.get("decided") or ""), str(lead.get("fetched") or ""), key)


# Any other table -----------------------------------------------------------------------------


def _merge_table(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    *,
    both_changed: Callable[[Any, Any, Any], Any] | None = None,
) -> dict[str, Any]:
    """Record by record: the one side that changed a record wins; a record both changed
    merges by `both_changed` (field by field, unless given)."""
    merge_record = both_changed or _merge_plain_record
    merged: dict[str, Any] = {}
    for key in sorted(set(base) | set(ours) | set(theirs)):
        chosen = three_way(base.get(key), ours.get(key), theirs.get(key))
        if chosen is BOTH_CHANGED:
            chosen = merge_record(base.get(key), ours.get(key), theirs.get(key))
        if chosen is not None:
            merged[key] = chosen
    return merged


def _merge_plain_record(base: Any, ours: Any, theirs: Any) -> Any:
    """A record without times: field by field; where both set a field differently, the
    larger value as canonical JSON, so that every clone picks the same one."""
    if not isinstance(ours, dict) or not isinstance(theirs, dict):
        kept = [value for value in (ours, theirs) if value is not None]
        return max(kept, key=history.canonical) if kept else None
    base = base if isinstance(base, dict) else {}
    merged = {}
    for name in sorted(set(ours) | set(theirs)):
        value = three_way(base.get(name), ours.get(name), theirs.get(name))
        if value is BOTH_CHANGED:
            value = max((ours.get(name), theirs.get(name)), key=history.canonical)
        merged[name] = value
    return merged


def merge_table(
    name: str,
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    *,
    undone: Collection[str] = frozenset(),
) -> dict[str, Any]:
    """Any table but the claims, by its own rule (feeds, leads) or record by record."""
    if name == "feeds":
        return _merge_feeds(base, ours, theirs)
    if name == "leads":
        return _merge_leads(base, ours, theirs)
    if name == "sources":
        # Source records by URL, less the events `undo` took back (`undone`: the merged
        # tombstones); one both sides changed keeps the events of both.
        versions = [sources.without_events(table, undone) for table in (base, ours, theirs)]
        return _merge_table(*versions, both_changed=sources.merge)
    return _merge_table(base, ours, theirs)


# A marker no stored value can equal: "both sides changed it".
BOTH_CHANGED: Any = object()


def three_way(base: Any, ours: Any, theirs: Any) -> Any:
    """The value when at most one side changed it (or both made the same change), else
    `BOTH_CHANGED`."""
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    return BOTH_CHANGED
