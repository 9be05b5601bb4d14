"""What a user asks of the tracker, carried out on an open database.

`claims.py` says what a claim may become; this file finds the claims a request is about,
applies those rules and puts the result back, so that every command and every import
matches, merges and records changes the same way.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aousdctl import claims, config, history, ids, merge, topics
from aousdctl.claims import Claim, Source, Status
from aousdctl.errors import Conflict
from aousdctl.store import Database

if TYPE_CHECKING:
    from aousdctl.interchange import Parsed


@dataclass(frozen=True)
class Outcome:
    """A claim after a request, and what the request did to it: added, updated or unchanged;
    `before` is its status before the request."""

    claim: Claim
    result: str
    before: str
    added_sources: int = 0
    added_tags: int = 0


def add(
    database: Database,
    text: str,
    *,
    at: str,
    status: Status = Status.RUMOR,
    topic: str = claims.DEFAULT_TOPIC,
    tags: Sequence[str] = (),
    sources: Sequence[Source] = (),
    expected: str | None = None,
    note: str | None = None,
) -> Outcome:
    """Add a claim, or attach new sources and tags to the claim that already says it.

    A claim that was debunked is not added again: the request is refused with the reason.
    """
    candidate = claims.new_claim(
        text,
        at=at,
        status=status,
        topic=topic,
        tags=tags,
        sources=sources,
        expected=expected,
        note=note,
    )
    existing = database.find_match(candidate["topic"], candidate["text"])
    if existing is None:
        return Outcome(database.insert(candidate), "added", candidate["status"])
    if existing["status"] == Status.DEBUNKED:
        reason = claims.debunk_reason(existing) or "no reason recorded"
        raise Conflict(
            f"claim {existing['id']} says this and was debunked: {reason} "
            "(it was not added again; promote it to reopen it)"
        )
    attached = claims.attach(existing, at=at, sources=candidate["sources"], tags=candidate["tags"])
    if attached is None:
        return Outcome(existing, "unchanged", existing["status"])
    database.replace(attached)
    return Outcome(
        attached,
        "updated",
        existing["status"],
        added_sources=len(attached["sources"]) - len(existing["sources"]),
        added_tags=len(attached["tags"]) - len(existing["tags"]),
    )


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged}


def import_parsed(database: Database, parsed: "Parsed", *, at: str) -> ImportSummary:
    """Import what an input holds. Settings fill in only what the database lacks (an import
    never overwrites your title, intro or topic settings). Copies of claims that carry their
    history merge with this database's as git's merge driver merges them (see
    `import_copies`); plain claims are matched like `add` (see `import_claims`)."""
    for name, value in parsed.config.items():
        if database.setting(name) is None:
            database.set_setting(name, value)
    for settings in parsed.topics:
        if topics.find(settings["name"], database.topics()) is None:
            database.set_topic(settings)
    summary = ImportSummary()
    import_copies(database, parsed.copies, parsed.tombstones, summary)
    plain = import_claims(database, parsed.claims, at=at)
    summary.added += plain.added
    summary.updated += plain.updated
    summary.unchanged += plain.unchanged
    _adopt_old_numbers(database, parsed)
    return summary


def _adopt_old_numbers(database: Database, parsed: "Parsed") -> None:
    """Old numbers of the imported claims that this database lacks, for claims that are
    here under the same id (not one that came in under a new id because theirs was taken)."""
    known = database.old_numbers()
    incoming = {claim["id"]: claim for claim in parsed.copies if claim["id"]}
    for number, claim_id in parsed.numbers.items():
        claim = incoming.get(claim_id)
        if number in known or claim is None:
            continue
        stored = database.claim_with_id(claim_id) or database.removed_claim(claim_id)
        if stored is not None and stored["history"][:1] == claim["history"][:1]:
            database.set_old_number(number, claim_id)


def import_copies(
    database: Database,
    copies: Sequence[Claim],
    tombstones: Mapping[str, str],
    summary: ImportSummary,
) -> None:
    """Merge copies of claims from another clone (an export) into this database.

    Each copy is merged with this database's claim of the same creation (whatever either
    side did to its wording) as the merge driver merges two versions without a common
    ancestor: every event of either is kept, except those undone on either side (the
    tombstones, which are kept here too); the rules of `history.merge_claim` settle what
    can't stand together. A claim from elsewhere that has the id of another claim here
    comes in under an id derived from the two, and its history says which id it had. So
    two clones that import each other's exports end the same. A claim removed here stays
    removed unless the other clone changed it since.
    """
    known = database.tombstones()
    undone = set(known) | set(tombstones)
    creations = database.creations()
    incoming: dict[str, tuple[str, Record]] = {}
    local: dict[str, tuple[str, Record]] = {}
    for copy in _one_copy_per_creation(copies):
        key = creations.get(history.creation_of(copy) or "")
        for local_key in (key, copy["id"]):
            if local_key and (entry := database.claim_entry(local_key)) is not None:
                local[local_key] = entry
        wanted = copy["id"] if copy["id"] and copy["id"] not in incoming else None
        incoming[wanted or _anonymous(history.creation_of(copy))] = _entry(copy)
    for key in database.claims_holding(set(tombstones) - set(known)):
        if (entry := database.claim_entry(key)) is not None:
            local[key] = entry
    taken = database.used_ids() - set(local)
    merged = merge.merge_claim_versions({}, local, incoming, undone, taken, ours_keep_ids=True)
    placed = {history.creation_of(record): key for key, (_, record) in merged.placed.items()}
    for key, (_, record) in local.items():
        if placed.get(history.creation_of(record)) != key:
            database.forget_claim(key)
            if history.creation_of(record) not in placed:
                summary.updated += 1
    for key, (table, record) in merged.placed.items():
        before = local.get(key)
        if before == (table, record):
            summary.unchanged += 1
            continue
        old_key = creations.get(history.creation_of(record) or "")
        was = local.get(old_key) if old_key is not None else None
        seen = {event["id"] for event in was[1]["history"]} if was else set()
        database.adopt(event["id"] for event in record["history"] if event["id"] not in seen)
        database.store_claim(claims.as_claim(record, key), removed=table == "removed")
        if was is not None:
            summary.updated += 1
        elif table == "claims":
            summary.added += 1
    new_tombstones = {
        event_id: claim_id
        for event_id, claim_id in {**tombstones, **merged.undone}.items()
        if event_id not in known and event_id not in merged.lifted
    }
    database.set_tombstones(new_tombstones, lifted=merged.lifted & set(known))


Record = dict[str, Any]


def _one_copy_per_creation(copies: Sequence[Claim]) -> list[Claim]:
    """An input that holds one claim twice (two exports joined) holds it once: the copies'
    events together."""
    by_creation: dict[str, Claim] = {}
    for copy in copies:
        creation = history.creation_of(copy) or ""
        other = by_creation.get(creation)
        if other is None:
            by_creation[creation] = copy
            continue
        merged = history.merge_claim(None, other["history"], copy["history"], set())
        events = history.with_reasons(merged.events, merged.reasons)
        joined: Any = {**other, **history.fold(events).fields(), "history": events}
        by_creation[creation] = joined
    return list(by_creation.values())


def _entry(claim: Claim) -> tuple[str, Record]:
    record = {name: value for name, value in claim.items() if name != "id"}
    removed = history.fold(claim["history"]).removed
    return ("removed" if removed else "claims", record)


def _anonymous(creation: str | None) -> str:
    """A key for a copy that names no id: one derived from its creation."""
    return ids.seeded_id(f"copy:{creation}")


def set_topic(
    database: Database,
    name: str,
    *,
    heading: str | None = None,
    order: int | None = None,
    intro: str | None = None,
) -> tuple[dict[str, Any], bool]:
    """Change how a topic appears in the article; returns its settings and whether they
    changed. A new topic takes the spelling the claims already use."""
    current = topics.find(name, database.topics())
    spelled = topics.spelling(name, (claim["topic"] for claim in database.claims()))
    settings = topics.settings(spelled, current, heading=heading, order=order, intro=intro)
    return settings, database.set_topic(settings)


def set_setting(database: Database, key: str, value: str) -> bool:
    """Set the article's title (one line) or intro (a paragraph; "" clears either), the
    settled claims an outlet needs for a grade, or whether the article shows outlets'
    track records; each value is checked by `config.clean`. Returns whether it changed."""
    cleaned = config.clean(key, value)
    if database.setting(key) == cleaned:
        return False
    database.set_setting(key, cleaned)
    return True


def import_claims(database: Database, candidates: Sequence[Claim], *, at: str) -> ImportSummary:
    """Add many plain claims (records without a history of their own) with the matching of
    `add`, written in one step.

    A candidate that matches a claim (already stored, or earlier in the same input) attaches
    its new sources and tags; one that matches a debunked claim attaches nothing. A new
    claim keeps the id it names where the database has none like it.
    """
    summary = ImportSummary()
    new: dict[tuple[str, str], Claim] = {}
    changed: dict[str, Claim] = {}
    for candidate in candidates:
        key = claims.match_key(candidate["topic"], candidate["text"])
        stored = database.find_match(candidate["topic"], candidate["text"])
        target = (changed.get(stored["id"], stored) if stored else None) or new.get(key)
        if target is None:
            new[key] = candidate
            summary.added += 1
            continue
        attached = None
        if target["status"] != Status.DEBUNKED:
            attached = claims.attach(
                target, at=at, sources=candidate["sources"], tags=candidate["tags"]
            )
        if attached is None:
            summary.unchanged += 1
        elif stored is None:
            new[key] = attached
            summary.unchanged += 1
        else:
            changed[attached["id"]] = attached
            summary.updated += 1
    if new:
        database.insert_all(list(new.values()))
    for claim in changed.values():
        database.replace(claim)
    return summary


def update(database: Database, reference: str, change: Callable[[Claim], Claim | None]) -> Outcome:
    """Apply one of the rules in `claims` to the claim `reference` names (an id, a prefix of
    one or an old number) and keep the result.

    A change that returns None leaves the claim (and the file) as it was.
    """
    claim = database.claim(reference)
    changed = change(claim)
    if changed is None:
        return Outcome(claim, "unchanged", claim["status"])
    if (changed["text"], changed["topic"]) != (claim["text"], claim["topic"]):
        _refuse_duplicate(database, changed)
    database.replace(changed)
    return Outcome(changed, "updated", claim["status"])


def remove(database: Database, reference: str, *, at: str) -> Claim:
    """Take a claim out of every list; it stays in the log and its id is never given again."""
    claim = database.claim(reference)
    database.remove(claims.removal_event(claim, at=at))
    return claim


def log(database: Database, reference: str | None = None) -> list[dict[str, Any]]:
    """History events of one claim or of all (removed ones included), newest first; events
    at the same moment go newest claim first (see `Database.age`).

    Changes that `undo` reverted are no longer in any claim's history; the journal still has
    them, so they are listed too, marked with when they were undone, beside the undo itself.
    """
    claim_id = None if reference is None else database.resolve(reference)
    if claim_id is None:
        everything = database.claims() + database.removed_claims()
    else:
        everything = [_claim_or_removed(database, claim_id)]
    entries = [
        (event["at"], database.age((claim["id"], claim)), position, _log_entry(claim, event, None))
        for claim in everything
        for position, event in enumerate(claim["history"])
    ]
    for at, key, position, record, event in database.undone_log(claim_id):
        entries.append(
            (
                at,
                database.age((key, record)),
                position,
                {"claim": key, "text": record["text"], **event},
            )
        )
    entries.sort(key=lambda entry: entry[:3], reverse=True)
    return [entry[3] for entry in entries]


def undo(database: Database) -> dict[str, Any]:
    """Revert the latest change still in the journal; returns what was reverted."""
    change = database.undo()
    return {**change, "claims": sorted(change["claims"])}


def _log_entry(claim: Any, event: Any, undone: str | None) -> dict[str, Any]:
    return {"claim": claim["id"], "text": claim["text"], **event, "undone": undone}


def _claim_or_removed(database: Database, claim_id: str) -> Claim:
    removed = database.removed_claim(claim_id)
    return removed if removed is not None else database.claim(claim_id)


def _refuse_duplicate(database: Database, changed: Claim) -> None:
    """An edit must not make a claim say what another claim in its topic already says."""
    twin = database.find_match(changed["topic"], changed["text"])
    if twin is not None and twin["id"] != changed["id"]:
        raise Conflict(
            f"claim {twin['id']} already says this in topic {twin['topic']!r}; "
            "edit or remove one of them"
        )
