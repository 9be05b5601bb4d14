"""Feed subscriptions, and what fetching a feed gave: the rules, without the network
(`net.feeds` fetches; `service.inbox` keeps the results)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aousdctl.domain import ids, text
from aousdctl.domain.urls import canonical_url, outlet
from aousdctl.errors import Conflict, NotFound

TABLE = "feeds"


def subscribed(table: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every feed, in the order they were added (feeds are kept under their names, so that
    clones adding feeds never collide)."""
    return [dict(table[key]) for key in sorted(table, key=lambda k: (table[k]["added"], k))]


def subscription(
    table: Mapping[str, Mapping[str, Any]],
    url: str,
    *,
    name: str | None = None,
    match: Sequence[str] = (),
    topic: str | None = None,
    at: str,
) -> tuple[str, dict[str, Any]]:
    """A new feed's key and record; its name (default: the site) must be new, and so must
    its URL."""
    address = canonical_url(url)
    feed_name = text.clean_line(name, "feed name") if name is not None else outlet(address)
    terms = [text.clean_line(term, "match term") for term in match]
    for record in table.values():
        if record["name"].casefold() == feed_name.casefold():
            raise Conflict(f"a feed named {record['name']!r} exists already; choose --name")
        if record["url"] == address:
            raise Conflict(f"feed {record['name']!r} already fetches {address}")
    record = {
        "name": feed_name,
        "url": address,
        "match": terms,
        "topic": text.clean_line(topic, "topic") if topic is not None else None,
        "added": at,
        "etag": None,
        "modified": None,
        "digest": None,
    }
    return feed_name.casefold(), record


def find(table: Mapping[str, Mapping[str, Any]], name: str) -> tuple[str, dict[str, Any]]:
    """The key and record of the feed with this name (ignoring case)."""
    for key, record in table.items():
        if record["name"].casefold() == name.strip().casefold():
            return key, dict(record)
    shown = ids.shown_reference(name, quoted=True)
    raise NotFound(f"there is no feed named {shown} (see `aousdctl feed list`)")


def topic_of(table: Mapping[str, Mapping[str, Any]], name: str) -> str | None:
    """The topic of claims accepted from the feed with this name, if it has one."""
    for record in table.values():
        if record["name"] == name:
            topic: str | None = record.get("topic")
            return topic
    return None


@dataclass(frozen=True)
class Entry:
    """One feed entry as plain text; `link` canonical, `published` a UTC timestamp or None."""

    guid: str
    link: str
    title: str
    summary: str
    published: str | None


@dataclass
class Fetched:
    """What fetching one feed gave: `status` is "ok", "not-modified" or "failed"."""

    feed: str
    url: str
    status: str
    entries: list[Entry] = field(default_factory=list)
    etag: str | None = None
    modified: str | None = None
    digest: str | None = None
    error: str | None = None
