"""Requests about feeds and leads: subscribing, fetching into the inbox, and deciding what
each lead says."""

from collections.abc import Sequence
from pathlib import Path

from aousdctl.domain import claims, feeds, leads, text
from aousdctl.domain.claims import Status
from aousdctl.domain.leads import FeedResult
from aousdctl.errors import BadInput, Unavailable
from aousdctl.service import session
from aousdctl.service.claims import Outcome, add_to, change_claim, named
from aousdctl.storage.database import Database


def add_feed(
    path: Path,
    url: str,
    *,
    name: str | None = None,
    match: list[str],
    topic: str | None = None,
    at: str,
    check: bool = True,
) -> tuple[feeds.Feed, leads.Trial | None]:
    """`feed add`: subscribe to a feed, once it was read (unless `check` is False) and what
    its terms keep is known. A feed that can't be read is not added. The network is asked
    without the lock held."""

    def subscribe(database: Database) -> tuple[str, feeds.Feed]:
        return feeds.subscription(
            database.table(feeds.TABLE), url, name=name, match=match, topic=topic, at=at
        )

    with session.reading(path) as database:
        _, record = subscribe(database)
    hint = " (--no-check subscribes without reading it)"
    tried = _read_whole(record, hint=hint) if check else None
    with session.writing(path, "feed add") as database:
        key, record = subscribe(database)
        database.add_records(feeds.TABLE, {key: record})
    return record, tried


def try_feed(path: Path, name: str, *, match: list[str] | None = None) -> leads.Trial:
    """`feed test`: the feed read now, whole, and which entries its terms (or `match`)
    keep; nothing is written."""
    with session.reading(path) as database:
        _, record = feeds.find(database.table(feeds.TABLE), name)
    if match is not None:
        record = feeds.edited({record["url"]: record}, record["url"], match=match)
    return _read_whole(record)


def _read_whole(record: feeds.Feed, *, hint: str = "") -> leads.Trial:
    from aousdctl.net import feeds as network

    whole = feeds.Feed(**record)
    whole["etag"] = whole["modified"] = whole["digest"] = None
    fetched = network.fetch(whole, network.timeout(), network.size_cap())
    if fetched.status != "ok":
        raise Unavailable(f"can't read the feed at {record['url']}: {fetched.error}{hint}")
    return leads.trial(fetched, record["match"])


def subscribed(path: Path) -> list[feeds.Feed]:
    """`feed list`: every feed, in the order they were added."""
    with session.reading(path) as database:
        return feeds.subscribed(database.table(feeds.TABLE))


def edit_feed(
    path: Path,
    name: str,
    *,
    url: str | None = None,
    match: list[str] | None = None,
    topic: str | None = None,
) -> tuple[feeds.Feed, bool]:
    """`feed edit`: a feed's address, match terms or topic; returns the feed and whether
    it changed. Feeds are kept under their address, so a new one moves the record."""
    with session.writing(path, "feed edit") as database:
        key, _ = feeds.find(database.table(feeds.TABLE), name)
        changed = feeds.edited(database.table(feeds.TABLE), key, url=url, match=match, topic=topic)
        if changed["url"] == key:
            return changed, database.put_record(feeds.TABLE, key, changed)
        database.delete_record(feeds.TABLE, key)
        database.add_records(feeds.TABLE, {changed["url"]: changed})
        return changed, True


def remove_feed(path: Path, name: str) -> feeds.Feed:
    """`feed rm`: unsubscribe; the feed's leads stay (and so does what they taught about
    known stories)."""
    with session.writing(path, "feed rm") as database:
        key, record = feeds.find(database.table(feeds.TABLE), name)
        database.delete_record(feeds.TABLE, key)
    return record


def fetch(path: Path, *, at: str) -> tuple[list[feeds.Feed], list[FeedResult], bool]:
    """`fetch`: every feed, with new matching entries kept as leads; returns the feeds, each
    one's result, and whether the database was written.

    No lock is held while the network answers: the copy read first is used for a dry run
    (never written), and only news takes the lock and writes, worked out again against the
    database as it is then."""
    from aousdctl.net import feeds as network

    with session.reading(path) as database:
        subscriptions = feeds.subscribed(database.table(feeds.TABLE))
        fetched = network.fetch_all(subscriptions)
        dry_run = leads.intake(
            database.table(feeds.TABLE), database.table(leads.TABLE), fetched, at=at
        )
    if not dry_run.leads and not dry_run.updated:
        return subscriptions, dry_run.results, False
    with session.writing(path, "fetch") as database:
        kept = leads.intake(
            database.table(feeds.TABLE), database.table(leads.TABLE), fetched, at=at
        )
        for key, feed in kept.feeds.items():
            database.put_record(feeds.TABLE, key, feed)
        for key, lead in kept.updated.items():
            database.put_record(leads.TABLE, key, lead)
        database.add_records(leads.TABLE, {lead["id"]: lead for lead in kept.leads})
    return subscriptions, kept.results, True


def listed(path: Path, *, every: bool = False) -> list[leads.Lead]:
    """`inbox`: leads waiting for a decision (with `every`, decided ones too), newest first;
    each waiting one with its suggestions."""
    with session.reading(path) as database:
        found = leads.listed(database.table(leads.TABLE), every=every)
        waiting = [lead for lead in found if lead["state"] == leads.WAITING]
        leads.with_suggestions(waiting, database.table("claims"))
    return found


def shown(path: Path, prefix: str) -> leads.Lead:
    """`inbox show`: one lead whole, with its suggestions while it waits."""
    with session.reading(path) as database:
        _, lead = leads.find(database.table(leads.TABLE), prefix)
        if lead["state"] == leads.WAITING:
            leads.with_suggestions([lead], database.table("claims"))
    return lead


def accept(
    path: Path,
    prefix: str,
    claim_text: str,
    *,
    at: str,
    topic: str | None = None,
    status: Status = Status.REPORTED,
    tags: Sequence[str] = (),
    expected: str | None = None,
) -> Outcome:
    """`inbox accept`: a new claim saying `claim_text`, citing the lead (or the lead attached
    to the claim that already says it), checked as `add` checks a claim: the lead is its
    source, so it may start confirmed. The claim and the lead change together: one change
    for `undo`."""
    with session.writing(path, "inbox accept") as database:
        key, lead = leads.waiting_one(database.table(leads.TABLE), prefix)
        feed_topic = feeds.topic_of(database.table(feeds.TABLE), lead["feed"])
        draft = claims.Draft(
            claim_text,
            status=status,
            topic=topic or feed_topic or claims.DEFAULT_TOPIC,
            tags=tags,
            sources=[leads.source(lead)],
            expected=expected,
        )
        outcome = add_to(database, draft, at=at)
        _decide(database, key, leads.decided(lead, "accepted", at=at, claim=outcome.claim["id"]))
    return outcome


def attach(
    path: Path,
    prefix: str,
    references: Sequence[str],
    *,
    at: str,
    promote: bool = False,
    to: Status | None = None,
    refutes: bool = False,
) -> list[Outcome]:
    """`inbox attach`: cite the lead on existing claims (one announcement can confirm four
    cast members), as supporting them or, with `refutes`, refuting them; moving each up the
    ladder too with `promote`. One change: all the claims or none."""
    if to is not None and not promote:
        raise BadInput("--to goes with --promote")
    if refutes and promote:
        raise BadInput("a refuting lead can't promote a claim: drop --promote, or debunk it")
    with session.writing(path, "inbox attach") as database:
        key, lead = leads.waiting_one(database.table(leads.TABLE), prefix)
        cited = leads.source(lead)
        if refutes:
            cited = {**cited, "stance": claims.REFUTES}

        def rule(claim: claims.Claim) -> claims.Claim | None:
            if promote:
                return claims.promote(claim, at=at, to=to, sources=[cited])
            return claims.attach(claim, at=at, sources=[cited])

        outcomes = [change_claim(database, claim, rule) for claim in named(database, references)]
        first = outcomes[0].claim["id"]
        _decide(database, key, leads.decided(lead, "attached", at=at, claim=first))
    return outcomes


def dismiss(path: Path, prefix: str, *, at: str, note: str | None = None) -> leads.Lead:
    """`inbox dismiss`: set a lead aside for good: it leaves the inbox and its story is never
    proposed again."""
    reason = text.clean_note(note) if note is not None else None
    with session.writing(path, "inbox dismiss") as database:
        key, lead = leads.waiting_one(database.table(leads.TABLE), prefix)
        dismissed = leads.decided(lead, "dismissed", at=at, note=reason)
        _decide(database, key, dismissed)
    return dismissed


def _decide(database: Database, key: str, lead: leads.Lead) -> None:
    database.put_record(leads.TABLE, key, lead)
