"""Claims in and out between databases: `import` and the JSON export document."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aousdctl.domain import claims, history, ids, merge, topics
from aousdctl.domain.claims import Claim, Status
from aousdctl.formats import document, spreadsheet
from aousdctl.formats.document import Parsed
from aousdctl.service import session, sources
from aousdctl.storage.database import Database


@dataclass
class ImportSummary:
    """How many claims an import added, updated and left unchanged."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    # The claims the import flagged for a person, one line each: "id: why".
    flagged: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged}


def import_content(path: Path, content: bytes, *, at: str) -> ImportSummary:
    """`import`: claims from an export document, a JSON array of claims, JSON Lines or CSV
    with a header row, all checked before the database is opened; all or nothing."""
    reader = spreadsheet if spreadsheet.is_csv(content) else document
    parsed = reader.parse(content, at)
    with session.writing(path, "import") as database:
        return import_parsed(database, parsed, at=at)


def export_document(path: Path) -> dict[str, Any]:
    """`export --format json`: the whole database as one versioned document."""
    with session.reading(path) as database:
        return document.export_document(database)


def import_parsed(database: Database, parsed: Parsed, *, at: str) -> ImportSummary:
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
    sources.take(database, parsed.sources.values(), parsed.tombstones)
    cited = [source for claim in [*parsed.copies, *parsed.claims] for source in claim["sources"]]
    sources.keep(database, [s for s in cited if s["url"] not in parsed.sources], at=at)
    summary.added += plain.added
    summary.updated += plain.updated
    summary.unchanged += plain.unchanged
    _adopt_old_numbers(database, parsed)
    return summary


def _adopt_old_numbers(database: Database, parsed: Parsed) -> None:
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
    # An undone claim's id is never given to another claim, but a claim undone here that
    # comes back (changed elsewhere since, or an undone import brought again) takes its own.
    returning = [(key, history.creation_of(record) or "") for key, (_, record) in incoming.items()]
    taken = database.used_ids(returning) - set(local)
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
        database.store_claim(database.claim_of(record, key), removed=table == "removed")
        if was is not None:
            summary.updated += 1
        elif table == "claims":
            summary.added += 1
    summary.flagged.extend(
        f"{key}: {'; '.join(why)}" for key, why in sorted(merged.reasons.items())
    )
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
