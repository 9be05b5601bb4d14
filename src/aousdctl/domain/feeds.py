"""Feed subscriptions, and what fetching a feed gave: the rules, without the network
(`net.feeds` fetches; `service.inbox` keeps the results)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from aousdctl.domain import ids, text
from aousdctl.domain.urls import canonical_url, outlet
from aousdctl.errors import Conflict, NotFound

TABLE = "feeds"


class Feed(TypedDict):
    """A subscription: what `fetch` reads, what it keeps, and the validators of the last
    answer (ETag, Last-Modified, and a digest of the bytes) for a conditional GET."""

    name: str
    url: str
    match: list[str]
    topic: str | None
    added: str
    etag: str | None
    modified: str | None
    digest: str | None


def subscribed(table: Mapping[str, Feed]) -> list[Feed]:
    """Every feed, in the order they were added, then by name (feeds are kept under their
    URLs, so that clones adding feeds never collide)."""

    def order(key: str) -> tuple[str, str, str]:
        return (table[key]["added"], table[key]["name"].casefold(), key)

    return [Feed(**table[key]) for key in sorted(table, key=order)]


def subscription(
    table: Mapping[str, Feed],
    url: str,
    *,
    name: str | None = None,
    match: Sequence[str] = (),
    topic: str | None = None,
    at: str,
) -> tuple[str, Feed]:
    """A new feed's key (its URL) and record; its name (default: the site) must be new, and
    so must its URL."""
    address = canonical_url(url)
    feed_name = text.clean_line(name, "feed name") if name is not None else outlet(address)
    for feed in table.values():
        if feed["name"].casefold() == feed_name.casefold():
            raise Conflict(f"a feed named {feed['name']!r} exists already; choose --name")
    _require_new_address(table, address, None)
    record: Feed = {
        "name": feed_name,
        "url": address,
        "match": _terms(match),
        "topic": _topic(topic),
        "added": at,
        "etag": None,
        "modified": None,
        "digest": None,
    }
    return address, record


def edited(
    table: Mapping[str, Feed],
    key: str,
    *,
    url: str | None = None,
    match: Sequence[str] | None = None,
    topic: str | None = None,
) -> Feed:
    """The feed under `key` after `feed edit`: a new address (no other feed's; the
    validators of the old one are dropped, so the next fetch reads it whole), new match
    terms (blank ones left out, so `--match ""` keeps every entry), a new topic ("" for
    none). What is not given stays."""
    changed = Feed(**table[key])
    if url is not None and (address := canonical_url(url)) != changed["url"]:
        _require_new_address(table, address, key)
        changed["url"] = address
        changed["etag"] = changed["modified"] = changed["digest"] = None
    if match is not None:
        changed["match"] = _terms(term for term in match if term.strip())
    if topic is not None:
        changed["topic"] = _topic(topic) if topic.strip() else None
    return changed


def _require_new_address(table: Mapping[str, Feed], address: str, own_key: str | None) -> None:
    for key, feed in table.items():
        if key != own_key and feed["url"] == address:
            raise Conflict(f"feed {feed['name']!r} already fetches {address}")


def _terms(match: Iterable[str]) -> list[str]:
    return [text.clean_line(term, "match term") for term in match]


def _topic(topic: str | None) -> str | None:
    return text.clean_line(topic, "topic") if topic is not None else None


def find(table: Mapping[str, Feed], name: str) -> tuple[str, Feed]:
    """The key and record of the feed with this name (ignoring case)."""
    for key, record in table.items():
        if record["name"].casefold() == name.strip().casefold():
            return key, Feed(**record)
    shown = ids.shown_reference(name, quoted=True)
    raise NotFound(f"there is no feed named {shown} (see `aousdctl feed list`)")


def topic_of(table: Mapping[str, Feed], name: str) -> str | None:
    """The topic of claims accepted from the feed with this name, if it has one."""
    for record in table.values():
        if record["name"] == name:
            return record["topic"]
    return None


@dataclass(frozen=True)
class Entry:
    """One feed entry as plain text; `link` canonical, `published` a UTC timestamp or None;
    `publisher` and `publisher_site` the name and site of the publisher an aggregator
    names (RSS `<source url>`, Atom `<source>`), when it names one."""

    guid: str
    link: str
    title: str
    summary: str
    published: str | None
    publisher: str | None = None
    publisher_site: str | None = None


# What separates a headline from the publisher's name an aggregator appends to it.
_PUBLISHER_SEPARATORS = (" - ", " \u2013 ", " \u2014 ", " | ")  # hyphen, en and em dash, bar


def without_publisher(title: str, publisher: str | None) -> str:
    """A headline without the trailing " - Publisher" an aggregator adds ("Filming wraps -
    Soompi" is "Filming wraps"); the title as it is when it doesn't end so."""
    if not publisher:
        return title
    wanted = publisher.casefold()
    for separator in _PUBLISHER_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if found and head.strip() and tail.strip().casefold() == wanted:
            return head.strip()
    return title


@dataclass
class Fetched:
    """What fetching one feed gave: `status` is "ok", "not-modified" or "failed"; `title`
    the feed's own, `skipped` how many entries had a link no source can have."""

    feed: str
    url: str
    status: str
    entries: list[Entry] = field(default_factory=list)
    etag: str | None = None
    modified: str | None = None
    digest: str | None = None
    error: str | None = None
    title: str | None = None
    skipped: int = 0
