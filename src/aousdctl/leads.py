"""Leads: feed entries waiting for a human to decide what they say.

A lead is never a claim by itself. `accept` turns it into a new claim with the lead as its
source, `attach` cites it on an existing claim (optionally promoting it), `dismiss` sets it
aside. Decided leads stay in the database, so a story is never proposed twice: an entry is
known when its feed sent its id as a lead before, or when any lead has its canonical link.
An entry a feed's `--match` filters out makes nothing known.
"""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from aousdctl import claims, feeds, tracker
from aousdctl.claims import Claim, Source, Status
from aousdctl.errors import BadInput, Conflict, NotFound
from aousdctl.feeds import Entry, Fetched
from aousdctl.ids import shown_reference
from aousdctl.store import Database
from aousdctl.urls import outlet

TABLE = "leads"
WAITING = "waiting"
ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
ID_LENGTH = 8
SUGGESTIONS = 3
SUGGESTION_CUTOFF = 60.0


def new_id(taken: set[str]) -> str:
    """A short random id (base32): two copies of a database never hand out the same one."""
    while True:
        candidate = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def matches(entry: Entry, terms: Sequence[str]) -> bool:
    """Whether any term occurs in the title or summary, ignoring case; no terms match all."""
    if not terms:
        return True
    haystack = f"{entry.title}\n{entry.summary}".casefold()
    return any(term.casefold() in haystack for term in terms)


@dataclass
class FeedResult:
    """One feed's part in a fetch, as `fetch` reports it."""

    feed: str
    status: str
    new: int = 0
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"feed": self.feed, "status": self.status, "new": self.new, "error": self.error}


def record(
    database: Database, fetched: Sequence[Fetched], *, at: str
) -> tuple[list[FeedResult], bool]:
    """Keep what a fetch brought: new matching entries as leads, and with them each feed's
    validators; returns each feed's result and whether anything changed.

    A fetch with no new lead writes nothing, not even validators: a feed whose ETag or
    bytes change on every request would otherwise rewrite the file (and make a change for
    `undo` and a nightly commit) each time. Such a feed is only parsed again next time.
    """
    subscriptions = {
        record["name"]: (key, record) for key, record in database.records(feeds.TABLE).items()
    }
    stored = database.records(TABLE).values()
    known_guids = {(lead["feed"], lead["guid"]) for lead in stored}
    known_links = {lead["link"] for lead in stored}
    taken = {lead["id"] for lead in stored}
    new: list[dict[str, Any]] = []
    validated: dict[str, dict[str, Any]] = {}
    results = []
    for result in fetched:
        subscription = subscriptions.get(result.feed)
        if result.status != "ok" or subscription is None:
            results.append(FeedResult(result.feed, result.status, error=result.error))
            continue
        key, feed = subscription
        count = 0
        for entry in result.entries:
            if (result.feed, entry.guid) in known_guids or entry.link in known_links:
                continue
            # Only a lead makes its story known: an entry this feed's --match filters out
            # must not keep another feed's copy of the story out of the inbox.
            if not matches(entry, feed.get("match") or []):
                continue
            known_guids.add((result.feed, entry.guid))
            known_links.add(entry.link)
            new.append(_lead(entry, result.feed, new_id(taken), at))
            count += 1
        validators = {"etag": result.etag, "modified": result.modified, "digest": result.digest}
        validated[key] = {**feed, **validators}
        results.append(FeedResult(result.feed, "ok", count))
    if not new:
        return results, False
    for key, feed in validated.items():
        database.put_record(feeds.TABLE, key, feed)
    database.add_records(TABLE, {lead["id"]: lead for lead in new})
    return results, True


def _lead(entry: Entry, feed: str, lead_id: str, at: str) -> dict[str, Any]:
    return {
        "id": lead_id,
        "title": entry.title,
        "summary": entry.summary,
        "link": entry.link,
        "outlet": outlet(entry.link),
        "published": entry.published,
        "feed": feed,
        "guid": entry.guid,
        "fetched": at,
        "state": WAITING,
        "claim": None,
        "note": None,
        "decided": None,
    }


def waiting(database: Database) -> list[dict[str, Any]]:
    """Leads waiting for a decision, newest first (by publication, else by fetching)."""
    found = [dict(lead) for lead in database.records(TABLE).values() if lead["state"] == WAITING]
    found.sort(key=lambda lead: (lead["published"] or lead["fetched"], lead["id"]), reverse=True)
    return found


def with_suggestions(leads: list[dict[str, Any]], every_claim: Iterable[Claim]) -> None:
    """Give each lead up to three claims it may be about, with a fuzzy score out of 100
    (rapidfuzz's token set ratio of the lead's title and the claim's text)."""
    if not leads:
        return
    from rapidfuzz import fuzz, process, utils

    originals = {claim["id"]: claim["text"] for claim in every_claim}
    texts = {claim_id: utils.default_process(text) for claim_id, text in originals.items()}
    candidates = _Candidates(texts)
    for lead in leads:
        title = utils.default_process(lead["title"])
        found = process.extract(
            title,
            {claim_id: texts[claim_id] for claim_id in candidates.sharing_words(title)},
            scorer=fuzz.token_set_ratio,
            processor=None,
            limit=SUGGESTIONS,
            score_cutoff=SUGGESTION_CUTOFF,
        )
        lead["suggestions"] = [
            {"claim": claim_id, "text": originals[claim_id], "score": round(score)}
            for _, score, claim_id in found
        ]


class _Candidates:
    """Claims worth scoring against a title: those sharing a word with it that few claims
    use. Scoring every claim costs about 4 ms per thousand claims per lead; a word that most
    claims share ("season", "2") can't single one out, so it doesn't make a candidate. A
    database of up to COMMON_FLOOR claims is scored whole."""

    COMMON_FLOOR = 50

    def __init__(self, texts: dict[Any, str]) -> None:
        self._everyone = list(texts)
        self._by_word: dict[str, list[Any]] = {}
        for claim_id, text in texts.items():
            for word in set(text.split()):
                self._by_word.setdefault(word, []).append(claim_id)
        self._common = max(self.COMMON_FLOOR, len(texts) // 20)

    def sharing_words(self, title: str) -> list[Any]:
        if len(self._everyone) <= self.COMMON_FLOOR:
            return self._everyone
        found: dict[Any, None] = {}
        for word in set(title.split()):
            holders = self._by_word.get(word, [])
            if len(holders) <= self._common:
                found.update(dict.fromkeys(holders))
        return list(found)


def find(database: Database, prefix: str) -> tuple[str, dict[str, Any]]:
    """The lead whose id is `prefix` or starts with it (unique prefixes only)."""
    wanted = prefix.strip().lower()
    if not wanted:
        raise BadInput("a lead id must not be blank")
    found = [
        (key, lead)
        for key, lead in database.records(TABLE).items()
        if lead["id"].startswith(wanted)
    ]
    exact = [pair for pair in found if pair[1]["id"] == wanted]
    if exact:
        found = exact
    if not found:
        shown = shown_reference(prefix, quoted=True)
        raise NotFound(f"there is no lead {shown} (see `aousdctl inbox`)")
    if len(found) > 1:
        ids = ", ".join(sorted(lead["id"] for _, lead in found))
        raise BadInput(f"lead id {prefix!r} is ambiguous: it starts {ids}")
    key, lead = found[0]
    return key, dict(lead)


def source(lead: dict[str, Any]) -> Source:
    """The lead as a source: its link, outlet, headline and publication date."""
    published = lead["published"][:10] if lead["published"] else None
    return claims.make_source(
        lead["link"], outlet=lead["outlet"], title=lead["title"] or None, published=published
    )


def _waiting(database: Database, prefix: str) -> tuple[str, dict[str, Any]]:
    key, lead = find(database, prefix)
    if lead["state"] != WAITING:
        about = f" (claim {lead['claim']})" if lead["claim"] is not None else ""
        raise Conflict(f"lead {lead['id']} was already {lead['state']}{about}")
    return key, lead


def _decide(
    database: Database, key: str, lead: dict[str, Any], state: str, *, at: str, **fields: Any
) -> dict[str, Any]:
    decided = {**lead, "state": state, "decided": at, **fields}
    database.put_record(TABLE, key, decided)
    return decided


def accept(
    database: Database,
    prefix: str,
    text: str,
    *,
    at: str,
    topic: str | None = None,
    status: Status = Status.REPORTED,
) -> tracker.Outcome:
    """A new claim saying `text`, citing the lead (or the lead attached to the claim that
    already says it). The claim and the lead change together: one change for `undo`."""
    if status not in (Status.RUMOR, Status.REPORTED):
        raise BadInput("an accepted lead starts as rumor or reported; promote it afterwards")
    key, lead = _waiting(database, prefix)
    feed_topic = _feed_topic(database, lead["feed"])
    outcome = tracker.add(
        database,
        text,
        at=at,
        status=status,
        topic=topic or feed_topic or claims.DEFAULT_TOPIC,
        sources=[source(lead)],
        note=None,
    )
    _decide(database, key, lead, "accepted", at=at, claim=outcome.claim["id"])
    return outcome


def attach(
    database: Database,
    prefix: str,
    claim_id: Any,
    *,
    at: str,
    promote: bool = False,
    to: Status | None = None,
) -> tracker.Outcome:
    """Cite the lead on an existing claim, moving it up the ladder too with `promote`."""
    if to is not None and not promote:
        raise BadInput("--to goes with --promote")
    key, lead = _waiting(database, prefix)
    cited = source(lead)
    if promote:
        outcome = tracker.update(
            database, claim_id, lambda claim: claims.promote(claim, at=at, to=to, sources=[cited])
        )
    else:
        outcome = tracker.update(
            database, claim_id, lambda claim: claims.attach(claim, at=at, sources=[cited])
        )
    _decide(database, key, lead, "attached", at=at, claim=outcome.claim["id"])
    return outcome


def dismiss(database: Database, prefix: str, *, at: str, note: str | None = None) -> dict[str, Any]:
    """Set a lead aside for good: it leaves the inbox and its story is never proposed again."""
    key, lead = _waiting(database, prefix)
    reason = claims.clean_note(note) if note is not None else None
    return _decide(database, key, lead, "dismissed", at=at, note=reason)


def _feed_topic(database: Database, name: str) -> str | None:
    for record in database.records(feeds.TABLE).values():
        if record["name"] == name:
            topic: str | None = record.get("topic")
            return topic
    return None
