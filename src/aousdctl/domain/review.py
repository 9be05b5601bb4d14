"""What needs a human: one list, in groups, of everything waiting for a judgement.

Each group is a function from a snapshot of the database to its items, listed in `GROUPS`;
a new kind of attention is one more function.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aousdctl.domain import claims, config, dates, leads, merge
from aousdctl.domain.claims import Claim, Status
from aousdctl.domain.leads import Lead
from aousdctl.domain.snapshot import Snapshot

STALE_AFTER_SETTING = config.STALE_AFTER
DEFAULT_STALE_AFTER = config.DEFAULT_STALE_AFTER


@dataclass(frozen=True)
class Outlook:
    """What the groups look at, read once."""

    claims: list[Claim]
    leads: list[Lead]
    now: datetime
    stale_after: str


@dataclass
class Group:
    key: str
    title: str
    hint: str
    items: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.key,
            "title": self.title,
            "hint": self.hint,
            "count": len(self.items),
            "items": self.items,
        }


def _claim_item(claim: Claim, detail: str) -> dict[str, Any]:
    return {"claim": claim["id"], "text": claim["text"], "detail": detail}


def _leads_waiting(outlook: Outlook) -> Group:
    group = Group("leads", "Leads waiting", "aousdctl inbox, then accept, attach or dismiss")
    group.items = [
        {
            "lead": lead["id"],
            "text": lead["title"],
            "detail": f"{lead['outlet']} via {lead['feed']}",
        }
        for lead in outlook.leads
    ]
    return group


def _overdue(outlook: Outlook) -> Group:
    group = Group(
        "overdue",
        "Overdue predictions",
        "promote, debunk, or edit --expected with a new date",
    )
    group.items = [
        _claim_item(claim, f"expected {dates.describe(claim['expected'])}, still {claim['status']}")
        for claim in outlook.claims
        if claims.is_overdue(claim, outlook.now)
    ]
    return group


def _reported_without_source(outlook: Outlook) -> Group:
    group = Group(
        "unsourced",
        "Reported claims with no source",
        "a report needs an outlet: source add ID URL, or demote it to rumor",
    )
    group.items = [
        _claim_item(claim, "reported, no source")
        for claim in outlook.claims
        if claim["status"] == Status.REPORTED and not claim["sources"]
    ]
    return group


def _stale(outlook: Outlook) -> Group:
    age = dates.parse_age(outlook.stale_after, STALE_AFTER_SETTING)
    group = Group(
        "stale",
        f"Open claims unchanged for more than {outlook.stale_after}",
        "still true? promote, demote, debunk or edit it",
    )
    cutoff = outlook.now - age
    group.items = [
        _claim_item(claim, f"{claim['status']} since {claim['updated'][:10]}")
        for claim in outlook.claims
        if claim["status"] in (Status.RUMOR, Status.REPORTED)
        and datetime.fromisoformat(claim["updated"]) < cutoff
    ]
    return group


def _merged(outlook: Outlook) -> Group:
    group = Group(
        "merged",
        "Claims merged from diverging changes",
        "two clones moved each one on their own: check its history (show ID), then change it",
    )
    group.items = [
        _claim_item(claim, f"now {claim['status']}, both histories kept")
        for claim in outlook.claims
        if merge.is_flagged(claim)
    ]
    return group


GROUPS: list[Callable[[Outlook], Group]] = [
    _leads_waiting,
    _merged,
    _overdue,
    _reported_without_source,
    _stale,
]


def review(snapshot: Snapshot, now: datetime) -> list[Group]:
    """Every group, in order, with its items (empty groups included, with a count of 0)."""
    outlook = Outlook(
        claims=snapshot.claims(),
        leads=leads.listed(snapshot.table(leads.TABLE)),
        now=now,
        stale_after=snapshot.setting(STALE_AFTER_SETTING) or DEFAULT_STALE_AFTER,
    )
    return [group(outlook) for group in GROUPS]
