"""Leads: feed entries waiting for a human to decide what they say.

A lead is never a claim by itself. `accept` turns it into a new claim with the lead as its
source, `attach` cites it on an existing claim (optionally promoting it), `dismiss` sets it
aside. Decided leads stay in the database, so a story is never proposed twice: an entry is
known when its feed sent its id as a lead before, or when any lead has its canonical link.
An entry a feed's `--match` filters out makes nothing known.

An aggregator (Google News) names each story's publisher: the lead's `outlet` is then the
publisher's site and `publisher` its name, and the same story from the publisher's own feed
(same outlet, same headline once case, punctuation and the publisher's name are set aside)
is the same lead, with both links in `links` and the publisher's own one as its `link`: the
aggregator's redirect is cited only while nothing better is known.
"""

import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from aousdctl.domain import claims, ids
from aousdctl.domain.claims import Source
from aousdctl.domain.feeds import Entry, Feed, Fetched, without_publisher
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
    publisher: NotRequired[str | None]
    links: NotRequired[list[str]]
    suggestions: NotRequired[list[Suggestion]]


def new_id(taken: set[str]) -> str:
    """A short random id (base32): two copies of a database never hand out the same one."""
    while True:
        candidate = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def matches(entry: Entry, terms: Sequence[str]) -> bool:
    """Whether any term occurs in the title or summary, ignoring case and how the text's
    characters are composed (a Hangul or accented title in decomposed form matches); no
    terms match all."""
    if not terms:
        return True
    haystack = _comparable(f"{entry.title}\n{entry.summary}")
    return any(_comparable(term) in haystack for term in terms)


def _comparable(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass
class Trial:
    """A feed as it reads now, and what its `--match` terms keep of it: what `feed add`
    and `feed test` show."""

    title: str | None
    terms: list[str]
    entries: list[tuple[Entry, bool]]
    skipped: int

    @property
    def kept(self) -> int:
        return sum(kept for _, kept in self.entries)

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "match": self.terms,
            "entries": [
                {"title": e.title, "link": e.link, "published": e.published, "kept": kept}
                for e, kept in self.entries
            ],
            "kept": self.kept,
            "dropped": len(self.entries) - self.kept,
            "skipped": self.skipped,
        }


def trial(fetched: Fetched, terms: Sequence[str]) -> Trial:
    """Which of a fetched feed's entries `terms` keep and which they drop, newest first."""
    entries = sorted(fetched.entries, key=lambda entry: entry.published or "", reverse=True)
    marked = [(entry, matches(entry, terms)) for entry in entries]
    return Trial(fetched.title, list(terms), marked, fetched.skipped)


@dataclass
class FeedResult:
    """One feed's part in a fetch, as `fetch` reports it."""

    feed: str
    status: str
    new: int = 0
    error: str | None = None
    skipped: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "feed": self.feed,
            "status": self.status,
            "new": self.new,
            "skipped": self.skipped,
            "error": self.error,
        }


@dataclass
class Intake:
    """What a fetch brings to a database: each feed's result, the feeds with their new
    validators, the new leads, and the waiting leads that learnt a better link (by key).
    Nothing is to be kept when there is no new lead and no better link."""

    results: list[FeedResult]
    feeds: dict[str, Feed]
    leads: list[Lead]
    updated: dict[str, Lead] = field(default_factory=dict)


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
    known = _Known(leads)
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
            if known.has(result.feed, entry):
                continue
            # Only a lead makes its story known: an entry this feed's --match filters out
            # must not keep another feed's copy of the story out of the inbox.
            if not matches(entry, feed["match"]):
                continue
            if known.same_story(result.feed, entry):
                continue
            lead = _lead(entry, result.feed, new_id(known.taken), at)
            known.add(lead["id"], lead, result.feed, entry)
            new.append(lead)
            count += 1
        refreshed = validated[key] = Feed(**feed)
        refreshed["etag"], refreshed["modified"] = result.etag, result.modified
        refreshed["digest"] = result.digest
        results.append(FeedResult(result.feed, "ok", count, skipped=result.skipped))
    news = bool(new or known.updated)
    return Intake(results, validated if news else {}, new, known.updated)


class _Known:
    """What the leads (stored, and new in this fetch) make known: each feed's guids, every
    link, and each story by its outlet and headline."""

    def __init__(self, leads: Mapping[str, Lead]) -> None:
        self.guids = {(lead["feed"], lead["guid"]) for lead in leads.values()}
        self.links = {link for lead in leads.values() for link in links_of(lead)}
        self.taken = {lead["id"] for lead in leads.values()}
        self.stories: dict[tuple[str, str], tuple[str, Lead]] = {}
        for key, lead in leads.items():
            self.stories.setdefault(_story(lead), (key, lead))
        self.updated: dict[str, Lead] = {}
        self._new: dict[str, Lead] = {}

    def has(self, feed: str, entry: Entry) -> bool:
        return (feed, entry.guid) in self.guids or entry.link in self.links

    def add(self, key: str, lead: Lead, feed: str, entry: Entry) -> None:
        self.guids.add((feed, entry.guid))
        self.links.add(entry.link)
        self.stories.setdefault(_story(lead), (key, lead))
        self._new[key] = lead

    def same_story(self, feed: str, entry: Entry) -> bool:
        """Whether the entry is a story already known from another feed (an aggregator's
        copy of a publisher's story, or the other way round); a waiting lead learns its
        link, and prefers the publisher's own."""
        site = _outlet_of(entry)
        found = self.stories.get((site, headline_key(entry.title, entry.publisher)))
        if found is None:
            return False
        key, lead = found
        if _is_own(entry.link, site) and _is_own(lead["link"], site):
            return False  # two pages of the publisher's own: two stories of one headline
        self.guids.add((feed, entry.guid))
        self.links.add(entry.link)
        if lead["state"] == WAITING:
            better = with_link(lead, entry)
            self.stories[_story(better)] = (key, better)
            if key in self._new:
                self._new[key].update(better)
            else:
                self.updated[key] = better
        return True


def links_of(lead: Lead) -> list[str]:
    """Every link a lead is known by, the one it cites first."""
    return lead.get("links") or [lead["link"]]


def with_link(lead: Lead, entry: Entry) -> Lead:
    """The lead once it knows the entry's link too: the publisher's own link is the one it
    cites; the publisher's name is learnt from an aggregator."""
    changed = Lead(**lead)
    links = [link for link in links_of(lead) if link != entry.link]
    own = _is_own(entry.link, lead["outlet"]) and not _is_own(lead["link"], lead["outlet"])
    changed["links"] = [entry.link, *links] if own else [*links, entry.link]
    changed["link"] = changed["links"][0]
    if own:
        changed["title"] = entry.title
    if not changed.get("publisher") and entry.publisher:
        changed["publisher"] = entry.publisher
    return changed


def headline_key(title: str, publisher: str | None) -> str:
    """A headline as two copies of one story share it: without the publisher's name an
    aggregator appends, case, punctuation and symbols, with runs of spaces as one."""
    words = unicodedata.normalize("NFKC", without_publisher(title, publisher)).casefold()
    kept = (" " if unicodedata.category(c)[0] in "PSZ" else c for c in words)
    return " ".join("".join(kept).split())


def _story(lead: Lead) -> tuple[str, str]:
    return lead["outlet"], headline_key(lead["title"], lead.get("publisher"))


def _outlet_of(entry: Entry) -> str:
    return outlet(entry.publisher_site or entry.link)


def _is_own(link: str, site: str) -> bool:
    """Whether a link is on the publisher's own site (a subdomain counts)."""
    host = outlet(link)
    return host == site or host.endswith("." + site)


def _lead(entry: Entry, feed: str, lead_id: str, at: str) -> Lead:
    return {
        "id": lead_id,
        "title": entry.title,
        "summary": entry.summary,
        "link": entry.link,
        "outlet": _outlet_of(entry),
        "published": _not_ahead(entry.published, at),
        "feed": feed,
        "guid": entry.guid,
        "fetched": at,
        "state": WAITING,
        "claim": None,
        "note": None,
        "decided": None,
        "publisher": entry.publisher,
        "links": [entry.link],
    }


def _not_ahead(published: str | None, fetched: str) -> str | None:
    """A publication time, unless it is more than a day after the fetch (a feed's clock or
    a typo, like 9999-12-31): such a lead would head the inbox for good, and a source
    cited from it would say it was published in the future."""
    if published is None or published[:10] <= _next_day(fetched[:10]):
        return published
    return None


def _next_day(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def listed(table: Mapping[str, Lead], *, every: bool = False) -> list[Lead]:
    """Leads waiting for a decision (with `every`, decided ones too), newest first (by
    publication, else by fetching)."""
    found = [Lead(**lead) for lead in table.values() if every or lead["state"] == WAITING]
    found.sort(key=lambda lead: (lead["published"] or lead["fetched"], lead["id"]), reverse=True)
    return found


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
    """The lead as a source: its link (the publisher's own when known), outlet, publisher
    (the name an aggregator gave), headline and publication date."""
    published = lead["published"][:10] if lead["published"] else None
    return claims.make_source(
        lead["link"],
        outlet=lead["outlet"],
        title=lead["title"] or None,
        published=published,
        publisher=lead.get("publisher"),
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
