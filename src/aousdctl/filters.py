"""Which claims a listing shows: by status, topic, tag, words, and overdue predictions."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aousdctl.claims import is_overdue


@dataclass(frozen=True)
class ClaimFilter:
    """Conditions that all have to hold; topic, tag and search ignore case."""

    statuses: Sequence[str] = ()
    topic: str | None = None
    tag: str | None = None
    search: str | None = None
    overdue_at: datetime | None = None

    def matches(self, claim: Mapping[str, Any]) -> bool:
        """Whether a claim (or its stored record, which has the same fields) is wanted."""
        if self.overdue_at is not None and not is_overdue(claim, self.overdue_at):
            return False
        if self.statuses and claim["status"] not in self.statuses:
            return False
        if self.topic is not None and claim["topic"].casefold() != self.topic.strip().casefold():
            return False
        if self.tag is not None and self.tag.strip().casefold() not in (
            tag.casefold() for tag in claim["tags"]
        ):
            return False
        if self.search is not None:
            wanted = self.search.casefold()
            return wanted in claim["text"].casefold() or wanted in (claim["note"] or "").casefold()
        return True
