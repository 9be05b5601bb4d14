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

from aousdctl.domain import claims, filters, outlets, text, twins
from aousdctl.domain.claims import Claim, Draft, Source, Status
from aousdctl.domain.snapshot import Snapshot
from aousdctl.domain.twins import Twin
from aousdctl.domain.urls import canonical_or_same
from aousdctl.errors import AousdctlError, BadInput, Conflict
from aousdctl.service import session, sources
from aousdctl.service.reports import track_records
from aousdctl.storage.database import Database


@dataclass(frozen=True)
class Outcome:
    """A claim after a request, and what the request did to it: added, updated or unchanged;
    `before` is its status before the request; `twins`, the claims a new one nearly repeats."""

    claim: Claim
    result: str
    before: str
    added_sources: int = 0
    added_tags: int = 0
    twins: tuple[Twin, ...] = ()


def add_to(
    database: Database,
    draft: Draft,
    *,
    at: str,
    look_for_twins: bool = False,
    force: bool = False,
) -> Outcome:
    """Add a claim, or attach new sources and tags to the claim that already says it.

    A claim that was debunked is not added again: the request is refused with the reason.
    `look_for_twins` also names the claims a new one nearly repeats, and refuses one that
    nearly repeats a debunked claim unless `force`.
    """
    candidate = claims.new_claim(draft, at=at)
    existing = database.find_match(candidate["topic"], candidate["text"])
    if existing is None:
        found = _near_twins(database, candidate, force) if look_for_twins else ()
        stored = database.insert(candidate)
        sources.keep(database, candidate["sources"], at=at)
        return Outcome(_as_stored(database, stored), "added", candidate["status"], twins=found)
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
    sources.keep(database, candidate["sources"], at=at)
    return Outcome(
        _as_stored(database, attached),
        "updated",
        existing["status"],
        added_sources=len(attached["sources"]) - len(existing["sources"]),
        added_tags=len(attached["tags"]) - len(existing["tags"]),
    )


def change(database: Database, reference: str, rule: Callable[[Claim], Claim | None]) -> Outcome:
    """Apply one of the rules in `claims` to the claim `reference` names (an id, a prefix of
    one or an old number) and keep the result."""
    return change_claim(database, database.claim(reference), rule)


def change_claim(
    database: Database, claim: Claim, rule: Callable[[Claim], Claim | None]
) -> Outcome:
    """Apply one of the rules in `claims` to `claim` and keep the result.

    A change that returns None leaves the claim (and the file) as it was.
    """
    changed = rule(claim)
    if changed is None:
        return Outcome(claim, "unchanged", claim["status"])
    if (changed["text"], changed["topic"]) != (claim["text"], claim["topic"]):
        _refuse_duplicate(database, changed)
    database.replace(changed)
    # Only sources the change newly cites can need a record: a change that moves thousands
    # of claims (a topic renamed) never looks at their sources' records.
    cited = {source["url"] for source in claim["sources"]}
    new = [source for source in changed["sources"] if source["url"] not in cited]
    if not new:
        return Outcome(changed, "updated", claim["status"])
    sources.keep(database, new, at=changed["updated"])
    return Outcome(_as_stored(database, changed), "updated", claim["status"])


def _as_stored(database: Database, claim: Claim) -> Claim:
    """A claim as it now reads back: its sources with their records' details."""
    found = database.claim_with_id(claim["id"])
    return claim if found is None else found


def named(database: Database, references: Sequence[str]) -> list[Claim]:
    """The claims `references` name, each once, in the order given: all of them or none.

    One reference fails as it always has (an unknown id is not found, exit 1). Among
    several, any that names no claim is bad input naming it, so that a typo in a list of
    ids is fixed and the command run again, with nothing done in between.
    """
    if len(references) == 1:
        return [database.claim(references[0])]
    found: dict[str, Claim] = {}
    for reference in references:
        try:
            claim = database.claim(reference)
        except AousdctlError as error:
            raise BadInput(f"{error}; nothing was changed") from None
        found.setdefault(claim["id"], claim)
    return list(found.values())


def remove(path: Path, references: Sequence[str], *, at: str) -> list[Claim]:
    """Take claims out of every list; they stay in the log and their ids are never given
    again. All of them or none, as one change."""
    with session.writing(path, "rm") as database:
        removed = named(database, references)
        for claim in removed:
            database.remove(claims.removal_event(claim, at=at))
    return removed


def add(path: Path, draft: Draft, *, at: str, force: bool = False) -> Outcome:
    """`add`: a new claim (with the claims it nearly repeats), or new sources and tags for
    the claim that already says it."""
    with session.writing(path, "add") as database:
        return add_to(database, draft, at=at, look_for_twins=True, force=force)


def _near_twins(snapshot: Snapshot, candidate: Claim, force: bool) -> tuple[Twin, ...]:
    """The claims `candidate` nearly repeats; refused if one was debunked, unless `force`."""
    found = tuple(twins.near_twins(candidate["text"], snapshot.table("claims")))
    debunked = next((twin.claim for twin in found if twin.claim["status"] == Status.DEBUNKED), None)
    if debunked is not None and not force:
        reason = claims.debunk_reason(debunked) or "no reason recorded"
        raise BadInput(
            f'claim {debunked["id"]} says nearly this ("{debunked["text"]}", topic '
            f"{debunked['topic']}) and was debunked: {reason}; nothing was added "
            f"(add --force to add it all the same, or promote {debunked['id']} to reopen it)"
        )
    return found


def promote(
    path: Path,
    references: Sequence[str],
    *,
    at: str,
    to: Status | None = None,
    sources: Sequence[Source] = (),
    note: str | None = None,
) -> list[Outcome]:
    """`promote`: each claim one step up the ladder, or straight `to` a status."""
    return _apply(
        path,
        "promote",
        references,
        lambda claim: claims.promote(claim, at=at, to=to, sources=sources, note=note),
    )


def demote(
    path: Path,
    references: Sequence[str],
    *,
    at: str,
    why: str | None,
    to: Status | None = None,
) -> list[Outcome]:
    """`demote`: each claim one step down the ladder (or `to` a status), saying why."""
    reason = text.required_note(why, "say why the claim moves down")
    return _apply(
        path, "demote", references, lambda claim: claims.demote(claim, at=at, note=reason, to=to)
    )


def debunk(
    path: Path,
    references: Sequence[str],
    *,
    at: str,
    why: str | None,
    sources: Sequence[Source] = (),
) -> list[Outcome]:
    """`debunk`: the claims are false, for the reason given."""
    reason = text.required_note(why, "say why the claim is false")
    return _apply(
        path,
        "debunk",
        references,
        lambda claim: claims.debunk(claim, at=at, note=reason, sources=sources),
    )


def edit(
    path: Path,
    references: Sequence[str],
    *,
    at: str,
    text: str | None = None,
    topic: str | None = None,
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    expected: str | None = None,
    note: str | None = None,
) -> list[Outcome]:
    """`edit`: new wording, topic, tags, expected date or note (see `claims.edit`)."""
    return _apply(
        path,
        "edit",
        references,
        lambda claim: claims.edit(
            claim,
            at=at,
            text=text,
            topic=topic,
            add_tags=add_tags,
            remove_tags=remove_tags,
            expected=expected,
            note=note,
        ),
    )


def cite(
    path: Path,
    reference: str,
    source: Source,
    *,
    at: str,
    explicit: Sequence[str],
    turn: bool = False,
) -> Outcome:
    """`source add`: cite a source (or, with `turn`, change the stance of the claim's link
    to it); details given in `explicit` update the source's record, for every claim."""
    with session.writing(path, "source add") as database:
        claim = database.claim(reference)
        before = dict(database.source_records().get(source["url"]) or {})
        outcome = change_claim(
            database, claim, lambda claim: claims.add_source(claim, source, at=at, turn=turn)
        )
        sources.keep(database, [source], at=at, explicit=explicit)
        if outcome.result == "unchanged" and database.source_records()[source["url"]] != before:
            return Outcome(_as_stored(database, claim), "updated", claim["status"])
        return outcome


def uncite(path: Path, reference: str, url: str, *, at: str) -> Claim:
    """`source rm`: take a source off a claim (see `claims.unlink`); its record stays."""
    link = canonical_or_same(url.strip())
    with session.writing(path, "source rm") as database:
        return change(database, reference, lambda claim: claims.unlink(claim, link, at=at)).claim


def _apply(
    path: Path, command: str, references: Sequence[str], rule: Callable[[Claim], Claim | None]
) -> list[Outcome]:
    """One rule applied to every claim `references` name, as one change: if it refuses any
    of them, nothing is written."""
    with session.writing(path, command) as database:
        return [change_claim(database, claim, rule) for claim in named(database, references)]


def listing(
    path: Path,
    where: Callable[[Mapping[str, Any]], bool] | None = None,
    limit: int | None = None,
    *,
    outlet: str | None = None,
) -> list[Claim]:
    """`list`: the claims `where` accepts (and that cite `outlet`, when given), oldest
    first (the first `limit` of them)."""
    with session.reading(path) as database:
        if outlet is not None:
            tests = [filters.outlet_filter(outlet, database.source_records())]
            where = filters.every([*tests, where] if where is not None else tests)
        return database.claims(where=where, limit=limit)


def claims_named(path: Path, references: Sequence[str]) -> list[Claim]:
    """The claims `references` name (ids, unique prefixes of them, or old numbers), each
    once, all or none (see `named`): what `rm` shows before it asks."""
    with session.reading(path) as database:
        return named(database, references)


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
        outlets.outlet_key(record.outlet): f"grade {record.grade_text}, {record.hit_rate_text}"
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
