"""Requests about topics: how each appears in the article, and the list of them."""

from pathlib import Path

from aousdctl.domain import topics
from aousdctl.service import session


def set_topic(
    path: Path,
    name: str,
    *,
    heading: str | None = None,
    order: int | None = None,
    intro: str | None = None,
) -> tuple[topics.Topic, bool]:
    """`topic set`: change how a topic appears in the article; returns its settings and
    whether they changed. A new topic takes the spelling the claims already use."""
    with session.writing(path, "topic set") as database:
        current = topics.find(name, database.topics())
        spelled = topics.spelling(name, (record["topic"] for _, record in database.stored_claims()))
        settings = topics.settings(spelled, current, heading=heading, order=order, intro=intro)
        return settings, database.set_topic(settings)


def listing(path: Path) -> list[topics.CountedTopic]:
    """`topic list`: topics in article order, with their settings and number of claims."""
    with session.reading(path) as database:
        return topics.with_claim_counts(
            [record["topic"] for _, record in database.stored_claims()], database.topics()
        )


def names(path: Path) -> set[str]:
    """Every topic name claims or topic settings use (for shell completion)."""
    with session.reading(path) as database:
        found = {record["topic"] for _, record in database.stored_claims()}
        return found | {topic["name"] for topic in database.topics()}
