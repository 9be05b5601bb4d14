"""Leads: feed entries waiting for a human to decide what they say.

A lead is never a claim by itself. `accept` turns it into a new claim with the lead as its
source, `attach` cites it on an existing claim (optionally promoting it), `dismiss` sets it
aside. Decided leads stay in the database, so a story is never proposed twice: an entry is
known when its feed sent its id as a lead before, or when any lead has its canonical link.
An entry a feed's `--match` filters out makes nothing known.
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

from aousdctl.domain import claims, ids
from aousdctl.domain.claims import Source
from aousdctl.domain.feeds import Entry, Feed, Fetched
from aousdctl.domain.urls import outlet
from aousdctl.errors import BadInput, Conflict, NotFound

TABLE = "leads"
WAITING = "waiting"
ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
ID_LENGTH = 8


class Suggestion(TypedDict):
    """A claim a lead may be about: its text and status, and how well it matches (out of
    100; see `suggestions`)."""

    claim: str
    text: str
    status: str
    score: int


class Lead(TypedDict):
    """A feed entry kept for a human to decide on: `state` is waiting, accepted, attached
    or dismissed; `claim` the claim it became or was cited on."""

    id: str
    title: str
    summary: str
    link: str
    outlet: str
    published: str | None
    feed: str
    guid: str
    fetched: str
    state: str
    claim: str | None
    note: str | None
    decided: str | None
    suggestions: NotRequired[list[Suggestion]]


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


@dataclass
class Intake:
    """What a fetch brings to a database: each feed's result, the feeds with their new
    validators, and the new leads. Nothing is to be kept when there is no new lead."""

    results: list[FeedResult]
    feeds: dict[str, Feed]
    leads: list[Lead]


def intake(
    feeds: Mapping[str, Feed],
    leads: Mapping[str, Lead],
    fetched: Sequence[Fetched],
    *,
    at: str,
) -> Intake:
    """New matching entries as leads, and with them each feed's validators.

    A fetch with no new lead keeps nothing, not even validators: a feed whose ETag or
    bytes change on every request would otherwise rewrite the file (and make a change for
    `undo` and a nightly commit) each time. Such a feed is only parsed again next time.
    """
    subscriptions = {record["name"]: (key, record) for key, record in feeds.items()}
    stored = leads.values()
    known_guids = {(lead["feed"], lead["guid"]) for lead in stored}
    known_links = {lead["link"] for lead in stored}
    taken = {lead["id"] for lead in stored}
    new: list[Lead] = []
    validated: dict[str, Feed] = {}
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
            if not matches(entry, feed["match"]):
                continue
            known_guids.add((result.feed, entry.guid))
            known_links.add(entry.link)
            new.append(_lead(entry, result.feed, new_id(taken), at))
            count += 1
        refreshed = validated[key] = Feed(**feed)
        refreshed["etag"], refreshed["modified"] = result.etag, result.modified
        refreshed["digest"] = result.digest
        results.append(FeedResult(result.feed, "ok", count))
    return Intake(results, validated if new else {}, new)


def _lead(entry: Entry, feed: str, lead_id: str, at: str) -> Lead:
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


def listed(table: Mapping[str, Lead], *, every: bool = False) -> list[Lead]:
    """Leads waiting for a decision (with `every`, decided ones too), newest first (by
    publication, else by fetching)."""
    found = [Lead(**lead) for lead in table.values() if every or lead["state"] == WAITING]
    found.sort(key=lambda lead: (lead["published"] or lead["fetched"], lead["id"]), reverse=True)
    return found


def links(lead: Mapping[str, Any]) -> list[str]:
    """Every link known for a lead's story, its own first (a lead may keep others under
    `links`: the same story from another feed)."""
    return list(dict.fromkeys([lead["link"], *lead.get("links", ())]))


def with_suggestions(leads: list[Lead], claims: Mapping[str, Mapping[str, Any]]) -> None:
    """Give each lead the claims it may be about (see `suggestions`), of `claims`, stored
    claim records by id (removed claims are not among them)."""
    from aousdctl.domain import suggestions  # its tables and patterns only for the inbox

    found = suggestions.suggest([(lead["title"], lead["summary"]) for lead in leads], claims)
    for lead, suggested in zip(leads, found, strict=True):
        lead["suggestions"] = [
            {"claim": item.claim, "text": item.text, "status": item.status, "score": item.score}
            for item in suggested
        ]


def find(table: Mapping[str, Lead], prefix: str) -> tuple[str, Lead]:
    """The lead whose id is `prefix` or starts with it (unique prefixes only; a leading `#`
    is dropped, as from a claim id)."""
    wanted = ids.typed(prefix).lower()
    if not wanted:
        raise BadInput("a lead id must not be blank")
    key_of = {lead["id"]: key for key, lead in table.items()}
    found = ids.by_prefix(wanted, key_of)
    if not found:
        shown = ids.shown_reference(prefix, quoted=True)
        raise NotFound(f"there is no lead {shown} (see `aousdctl inbox`)")
    if len(found) > 1:
        raise BadInput(f"lead id {prefix!r} is ambiguous: it starts {', '.join(found)}")
    key = key_of[found[0]]
    return key, Lead(**table[key])


def source(lead: Lead) -> Source:
    """The lead as a source: its link, outlet, headline and publication date."""
    published = lead["published"][:10] if lead["published"] else None
    return claims.make_source(
        lead["link"], outlet=lead["outlet"], title=lead["title"] or None, published=published
    )


def waiting_one(table: Mapping[str, Lead], prefix: str) -> tuple[str, Lead]:
    """The key and record of the lead `prefix` names, which must still wait for a decision."""
    key, lead = find(table, prefix)
    if lead["state"] != WAITING:
        about = f" (claim {lead['claim']})" if lead["claim"] is not None else ""
        raise Conflict(f"lead {lead['id']} was already {lead['state']}{about}")
    return key, lead


def decided(
    lead: Lead, state: str, *, at: str, claim: str | None = None, note: str | None = None
) -> Lead:
    """The lead once decided: accepted, attached or dismissed, when, and with what (the
    claim it became or was cited on, or why it was dismissed)."""
    kept = Lead(**lead)
    kept["state"] = state
    kept["decided"] = at
    if claim is not None:
        kept["claim"] = claim
    if state == "dismissed":
        kept["note"] = note
    return kept
