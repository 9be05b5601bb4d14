"""Reports on the record as a whole: outlets' track records and what needs a human."""

from collections.abc import Collection
from datetime import datetime
from pathlib import Path

from aousdctl.domain import config, outlets, review
from aousdctl.domain.outlets import TrackRecord
from aousdctl.domain.snapshot import Snapshot
from aousdctl.service import session


def track_records(snapshot: Snapshot, only: Collection[str] | None = None) -> list[TrackRecord]:
    """Each outlet's track record (or only those of `only`, by `outlets.outlet_key`), graded
    with the database's `outlet-min-settled`."""
    return outlets.track_records(
        (record for _, record in snapshot.stored_claims()),
        snapshot.source_records(),
        min_settled=config.effective(snapshot.setting)[outlets.MIN_SETTLED_SETTING],
        only=only,
    )


def outlet_records(path: Path) -> list[TrackRecord]:
    """`outlets`: every outlet's track record, best first."""
    with session.reading(path) as database:
        return track_records(database)


def attention(path: Path, now: datetime) -> list[review.Group]:
    """`review`: every group of what needs a human, in order."""
    with session.reading(path) as database:
        return review.review(database, now)
