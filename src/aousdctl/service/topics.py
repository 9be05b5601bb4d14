"""Requests about topics: how each appears in the article, the list of them, and renaming
or removing one (its claims move through `claims.edit`, so each claim's history says so)."""

from dataclasses import dataclass
from pathlib import Path
from shlex import quote
from typing import Any

from aousdctl.domain import claims, feeds, text, topics
from aousdctl.errors import BadInput, Conflict
from aousdctl.service import session
from aousdctl.service.claims import change_claim
from aousdctl.storage.database import Database


def set_topic(
    path: Path,
    name: str,
    *,
    heading: str | None = None,
    order: int | None = None,
    intro: str | None = None,
    new: bool = False,
) -> tuple[topics.Topic, bool]:
    """`topic set`: change how a topic appears in the article; returns its settings and
    whether they changed. A new topic takes the spelling the claims already use; one that
    nothing uses yet is refused (a typo would start a topic of its own) unless `new`."""
    with session.writing(path, "topic set") as database:
        current = topics.find(name, database.topics())
        spelled = topics.spelling(name, _claim_topics(database))
        settings = topics.settings(spelled, current, heading=heading, order=order, intro=intro)
        if current is None and not new:
            topics.require_known(name, _in_use(database), otherwise="give --new to start it")
        return settings, database.set_topic(settings)


@dataclass(frozen=True)
class Moved:
    """What `topic rename` or `topic rm` did: the topic (as it was spelled), where its
    claims went (None: nowhere, it had none), the ids of the claims and the names of the
    feeds that now name `to`, and whether the topic had settings."""

    topic: str
    to: str | None
    claims: list[str]
    feeds: list[str]
    settings: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "to": self.to,
            "claims": self.claims,
            "feeds": self.feeds,
            "settings": self.settings,
        }


def rename(path: Path, old: str, new: str, *, at: str) -> Moved:
    """`topic rename`: the topic's claims, settings and feeds all take the new name, as one
    change. The new name must be free: merging two topics is `topic rm OLD --to OTHER`."""
    target = text.clean_line(new, "topic")
    with session.writing(path, "topic rename") as database:
        in_use = _in_use(database)
        spelled = topics.require_known(old, in_use, otherwise="see `aousdctl topic list`")
        taken = topics.known(target, in_use)
        if taken is not None and taken.casefold() != spelled.casefold():
            raise Conflict(
                f"the topic {taken!r} exists already; to move the claims of {spelled!r} into "
                f"it, run `aousdctl topic rm {quote(spelled)} --to {quote(taken)}`"
            )
        if target == spelled:  # the same spelling: nothing to write, nothing for `undo`
            return Moved(spelled, target, [], [], False)
        return _move(database, spelled, target, at=at, settings_follow=True)


def remove(path: Path, name: str, *, to: str | None = None, at: str) -> Moved:
    """`topic rm`: forget a topic's settings; refused while claims or feeds use it, unless
    `to` names another topic in use, which they then move to (its settings stay its own)."""
    with session.writing(path, "topic rm") as database:
        in_use = _in_use(database)
        spelled = topics.require_known(name, in_use, otherwise="see `aousdctl topic list`")
        if to is None:
            _refuse_while_used(database, spelled)
            return _move(database, spelled, None, at=at, settings_follow=False)
        target = topics.require_known(
            to, in_use, otherwise="to give a topic a new name, use `aousdctl topic rename`"
        )
        if target.casefold() == spelled.casefold():
            raise BadInput(f"--to names the topic being removed, {spelled!r}")
        return _move(database, spelled, target, at=at, settings_follow=False)


def listing(path: Path) -> list[topics.CountedTopic]:
    """`topic list`: topics in article order, with their settings and number of claims."""
    with session.reading(path) as database:
        return topics.with_claim_counts(_claim_topics(database), database.topics())


def names(path: Path) -> set[str]:
    """Every topic name claims or topic settings use (for shell completion)."""
    with session.reading(path) as database:
        found = set(_claim_topics(database))
        return found | {topic["name"] for topic in database.topics()}


def _move(
    database: Database, name: str, to: str | None, *, at: str, settings_follow: bool
) -> Moved:
    """Move every claim and feed of topic `name` to `to`, and take its settings off it
    (to `to` when `settings_follow`)."""
    key = name.casefold()
    moved_claims = []
    if to is not None:
        for claim in database.claims(where=lambda record: record["topic"].casefold() == key):
            outcome = change_claim(
                database, claim, lambda found: claims.edit(found, at=at, topic=to)
            )
            if outcome.result == "updated":
                moved_claims.append(claim["id"])
    moved_feeds = []
    for feed_key, feed in list(database.table(feeds.TABLE).items()):
        if feed["topic"] is not None and feed["topic"].casefold() == key:
            database.put_record(feeds.TABLE, feed_key, {**feed, "topic": to})
            moved_feeds.append(feed["name"])
    settings = topics.find(name, database.topics())
    if settings is not None:
        database.remove_topic(name)
        if settings_follow and to is not None:
            database.set_topic({**settings, "name": to})
    return Moved(name, to, moved_claims, moved_feeds, settings is not None)


def _refuse_while_used(database: Database, name: str) -> None:
    key = name.casefold()
    used = sum(1 for topic in _claim_topics(database) if topic.casefold() == key)
    if used:
        raise Conflict(
            f"{used} claim{'s' if used > 1 else ''} use{'' if used > 1 else 's'} the topic "
            f"{name!r}; give --to OTHER to move them, or rename the topic"
        )
    for feed in database.table(feeds.TABLE).values():
        if feed["topic"] is not None and feed["topic"].casefold() == key:
            raise Conflict(
                f"the feed {feed['name']!r} files its claims under {name!r}; give --to OTHER, "
                f"or run `aousdctl feed edit {quote(feed['name'])} --topic OTHER` first"
            )


def _claim_topics(database: Database) -> list[str]:
    """The topic of every claim, oldest claim first: a topic without settings is shown as
    its first claim spells it."""
    return [record["topic"] for _, record in database.stored_claims()]


def _in_use(database: Database) -> list[str]:
    """Every topic name a topic's settings, a claim or a feed uses, in that order: a topic
    is spelled as its settings name it, else as its oldest claim does."""
    subscribed = [feed["topic"] for feed in database.table(feeds.TABLE).values() if feed["topic"]]
    return [*(t["name"] for t in database.topics()), *_claim_topics(database), *subscribed]
