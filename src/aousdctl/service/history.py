"""A database's history: the log of every change, and undoing the latest."""

from pathlib import Path
from typing import Any

from aousdctl.domain.claims import Claim
from aousdctl.service import session
from aousdctl.storage.database import Database


def log(path: Path, reference: str | None = None) -> list[dict[str, Any]]:
    """`log`: history events of one claim or of all (removed ones included), newest first;
    events at the same moment go newest claim first (see `Snapshot.age`).

    Changes that `undo` reverted are no longer in any claim's history; the journal still has
    them, so they are listed too, marked with when they were undone, beside the undo itself.
    """
    with session.reading(path) as database:
        return _log(database, reference)


def _log(database: Database, reference: str | None) -> list[dict[str, Any]]:
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


def undo(path: Path) -> dict[str, Any]:
    """`undo`: revert the latest change still in the journal; returns what was reverted."""
    with session.writing(path, "undo") as database:
        change = database.undo()
    return {**change, "claims": sorted(change["claims"])}


def _log_entry(claim: Any, event: Any, undone: str | None) -> dict[str, Any]:
    return {"claim": claim["id"], "text": claim["text"], **event, "undone": undone}


def _claim_or_removed(database: Database, claim_id: str) -> Claim:
    removed = database.removed_claim(claim_id)
    return removed if removed is not None else database.claim(claim_id)
