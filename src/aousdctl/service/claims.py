"""Requests about claims: add, change, remove, list and show, each opening the database
once (see `session`).

`domain.claims` says what a claim may become; this file finds the claims a request is about,
applies those rules and puts the result back, so that every command, every lead accepted
and every import matches and records changes the same way.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aousdctl.domain import claims, outlets, text
from aousdctl.domain.claims import Claim, Draft, Source, Status
from aousdctl.domain.snapshot import Snapshot
from aousdctl.errors import Conflict
from aousdctl.service import session
from aousdctl.service.reports import track_records
from aousdctl.storage.database import Database


@dataclass(frozen=True)
class Outcome:
    """A claim after a request, and what the request did to it: added, updated or unchanged;
    `before` is its status before the request."""

    claim: Claim
    result: str
    before: str
    added_sources: int = 0
    added_tags: int = 0


def add_to(database: Database, draft: Draft, *, at: str) -> Outcome:
    """Add a claim, or attach new sources and tags to the claim that already says it.

    A claim that was debunked is not added again: the request is refused with the reason.
    """
    candidate = claims.new_claim(draft, at=at)
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


def change(database: Database, reference: str, rule: Callable[[Claim], Claim | None]) -> Outcome:
    """Apply one of the rules in `claims` to the claim `reference` names (an id, a prefix of
    one or an old number) and keep the result.

    A change that returns None leaves the claim (and the file) as it was.
    """
    claim = database.claim(reference)
    changed = rule(claim)
    if changed is None:
        return Outcome(claim, "unchanged", claim["status"])
    if (changed["text"], changed["topic"]) != (claim["text"], claim["topic"]):
        _refuse_duplicate(database, changed)
    database.replace(changed)
    return Outcome(changed, "updated", claim["status"])


def remove(path: Path, reference: str, *, at: str) -> Claim:
    """Take a claim out of every list; it stays in the log and its id is never given again."""
    with session.writing(path, "rm") as database:
        claim = database.claim(reference)
        database.remove(claims.removal_event(claim, at=at))
    return claim


def add(path: Path, draft: Draft, *, at: str) -> Outcome:
    """`add`: a new claim, or new sources and tags for the claim that already says it."""
    with session.writing(path, "add") as database:
        return add_to(database, draft, at=at)


def promote(
    path: Path,
    reference: str,
    *,
    at: str,
    to: Status | None = None,
    sources: Sequence[Source] = (),
    note: str | None = None,
) -> Outcome:
    """`promote`: one step up the ladder, or straight `to` a status."""
    return _apply(
        path,
        "promote",
        reference,
        lambda claim: claims.promote(claim, at=at, to=to, sources=sources, note=note),
    )


def demote(
    path: Path, reference: str, *, at: str, why: str | None, to: Status | None = None
) -> Outcome:
    """`demote`: one step down the ladder (or `to` a status), saying why."""
    reason = text.required_note(why, "say why the claim moves down")
    return _apply(
        path, "demote", reference, lambda claim: claims.demote(claim, at=at, note=reason, to=to)
    )


def debunk(
    path: Path, reference: str, *, at: str, why: str | None, sources: Sequence[Source] = ()
) -> Outcome:
    """`debunk`: the claim is false, for the reason given."""
    reason = text.required_note(why, "say why the claim is false")
    return _apply(
        path,
        "debunk",
        reference,
        lambda claim: claims.debunk(claim, at=at, note=reason, sources=sources),
    )


def edit(path: Path, reference: str, *, at: str, **changes: Any) -> Outcome:
    """`edit`: new wording, topic, tags, expected date or note (see `claims.edit`)."""
    return _apply(path, "edit", reference, lambda claim: claims.edit(claim, at=at, **changes))


def cite(
    path: Path, reference: str, source: Source, *, at: str, explicit: Sequence[str]
) -> Outcome:
    """`source add`: attach a source, or update the details of one the claim has."""
    return _apply(
        path,
        "source add",
        reference,
        lambda claim: claims.add_source(claim, source, at=at, explicit=explicit),
    )


def _apply(
    path: Path, command: str, reference: str, rule: Callable[[Claim], Claim | None]
) -> Outcome:
    with session.writing(path, command) as database:
        return change(database, reference, rule)


def listing(path: Path, where: Callable[[Mapping[str, Any]], bool] | None = None) -> list[Claim]:
    """`list`: the claims `where` accepts, oldest first."""
    with session.reading(path) as database:
        return database.claims(where=where)


def claim(path: Path, reference: str) -> Claim:
    """The claim `reference` names (an id, a unique prefix of one, or an old number)."""
    with session.reading(path) as database:
        return database.claim(reference)


def show(path: Path, reference: str) -> tuple[Claim, dict[str, str]]:
    """`show`: the claim, and the grade and hit rate of each outlet it cites (by
    `outlets.outlet_key`)."""
    with session.reading(path) as database:
        found = database.claim(reference)
        return found, _grades(database, found)


def _grades(snapshot: Snapshot, claim: Claim) -> dict[str, str]:
    wanted = {outlets.outlet_key(source["outlet"]) for source in claim["sources"]}
    if not wanted:
        return {}
    return {
        outlets.outlet_key(record.outlet): f"grade {record.grade}, {record.hit_rate_text}"
        for record in track_records(snapshot, only=wanted)
    }


def _refuse_duplicate(database: Database, changed: Claim) -> None:
    """An edit must not make a claim say what another claim in its topic already says."""
    twin = database.find_match(changed["topic"], changed["text"])
    if twin is not None and twin["id"] != changed["id"]:
        raise Conflict(
            f"claim {twin['id']} already says this in topic {twin['topic']!r}; "
            "edit or remove one of them"
        )
