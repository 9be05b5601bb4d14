"""Claims in and out between databases: `import` and the JSON export document."""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aousdctl.domain import claims, merge, topics
from aousdctl.domain.claims import Claim, Status
from aousdctl.formats import document, spreadsheet
from aousdctl.formats.document import Parsed
from aousdctl.service import session
from aousdctl.storage.database import Database


@dataclass
class ImportSummary:
    """How many claims an import added, updated and left unchanged."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0

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
    never overwrites your title, intro or topic settings); claims keep their ids from an
    export document where this database never used them."""
    for name, value in parsed.config.items():
        if database.setting(name) is None:
            database.set_setting(name, value)
    for settings in parsed.topics:
        if topics.find(settings["name"], database.topics()) is None:
            database.set_topic(settings)
    summary = import_claims(database, parsed.claims, at=at)
    _adopt_old_numbers(database, parsed)
    return summary


def _adopt_old_numbers(database: Database, parsed: Parsed) -> None:
    """Old numbers of the imported claims that this database lacks, for claims that are
    here under the same id (not one that came in under a new id because theirs was taken)."""
    known = database.old_numbers()
    incoming = {claim["id"]: claim for claim in parsed.claims if claim["id"]}
    for number, claim_id in parsed.numbers.items():
        claim = incoming.get(claim_id)
        if number in known or claim is None:
            continue
        stored = database.find_match(claim["topic"], claim["text"])
        if stored is not None and stored["id"] == claim_id:
            database.set_old_number(number, claim_id)


def import_claims(database: Database, candidates: Sequence[Claim], *, at: str) -> ImportSummary:
    """Add many claims with the matching of `add`, written in one step.

    A candidate that matches a claim (already stored, or earlier in the same input) brings
    what it did that the claim lacks (see `merge.absorb_history`) and attaches its new
    sources and tags; one that matches a debunked claim attaches nothing. A record that
    carries an id (an export, `list --json`) is matched by it first, so another clone's copy
    finds its claim whatever either side did to its wording, and one removed here stays
    removed; a new claim keeps its id where the database has none like it.
    """
    summary = ImportSummary()
    new: dict[tuple[str, str], Claim] = {}
    changed: dict[str, Claim] = {}
    for candidate in candidates:
        key = claims.match_key(candidate["topic"], candidate["text"])
        own_id = candidate["id"]
        by_id = _same_claim(database.claim_with_id(own_id), candidate) if own_id else None
        if by_id is None and own_id and _same_claim(database.removed_claim(own_id), candidate):
            summary.unchanged += 1  # removed here: another clone's copy doesn't revive it
            continue
        stored = by_id or database.find_match(candidate["topic"], candidate["text"])
        target = (changed.get(stored["id"], stored) if stored else None) or new.get(key)
        if target is None:
            new[key] = candidate
            summary.added += 1
            continue
        attached = merge.absorb_history(target, candidate)
        if target["status"] != Status.DEBUNKED:
            attached = (
                claims.attach(
                    attached or target, at=at, sources=candidate["sources"], tags=candidate["tags"]
                )
                or attached
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


def _same_claim(stored: Claim | None, candidate: Claim) -> Claim | None:
    """`stored` when `candidate` is a copy of it: the same id and the same creation (its
    first history event), as another clone's export holds it; else None."""
    if stored is not None and stored["history"][:1] == candidate["history"][:1]:
        return stored
    return None
