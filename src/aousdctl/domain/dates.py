""" "Now", and the partial dates that claims are dated with.

Every timestamp and date comparison asks `now()`, so setting `AOUSDCTL_NOW` makes runs and
tests reproducible without patching anything.

Predictions are rarely exact ("late 2025"), so `--expected` and `--published` keep the
precision they were given: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
"""

import calendar
import functools
import os
import re
from datetime import UTC, date, datetime, timedelta

from aousdctl.errors import BadInput

NOW_VARIABLE = "AOUSDCTL_NOW"
# ASCII digits only: `\d` would also match fullwidth and other scripts' digits, which
# `int()` accepts but no reader of the file expects.
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_TIMESTAMP_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
FIRST_YEAR = 1000
EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
# Fixed English names: `calendar.month_name` follows the locale, and the article must not.
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def now() -> datetime:
    """The current time in UTC, or the time `AOUSDCTL_NOW` pins it to."""
    pinned = os.environ.get(NOW_VARIABLE, "").strip()
    if not pinned:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(pinned)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise BadInput(
            f"{NOW_VARIABLE} is not an ISO-8601 time (e.g. 2026-11-23T12:00:00Z): {pinned!r}"
        ) from None
    if moment.year < FIRST_YEAR:
        # Its timestamps would have a three-digit year, which no reader accepts afterwards.
        raise BadInput(f"{NOW_VARIABLE} must be in the year {FIRST_YEAR} or later: {pinned!r}")
    return moment


def timestamp(moment: datetime) -> str:
    """ISO-8601 UTC to the second, the one form every stored timestamp takes."""
    return moment.astimezone(UTC).strftime(_TIMESTAMP_FORMAT)


def timestamp_problem(value: object, what: str) -> str | None:
    """Why `value` is not a stored timestamp (a real UTC time to the second, written as
    `timestamp` writes it), or None when it is one."""
    if isinstance(value, str) and _TIMESTAMP_SHAPE.fullmatch(value):
        try:
            # The shape is checked above; this checks the calendar and the clock (and is
            # fast: doctor checks every timestamp of every claim).
            datetime.fromisoformat(value[:-1])
        except ValueError:
            return f"{what} is not a real time: {value!r}"
        if value >= "1000":
            return None
        return f"{what} needs a four-digit year from {FIRST_YEAR} on: {value!r}"
    return f"{what} must be an ISO-8601 UTC time like 2026-11-23T12:00:00Z, not {value!r}"


def parse_timestamp(value: object, what: str = "time") -> str:
    """A stored timestamp, checked; anything else is refused as bad input."""
    problem = timestamp_problem(value, what)
    if problem is not None:
        raise BadInput(problem)
    return str(value)


def parse_partial_date(text: str, what: str = "date") -> str:
    """Check a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` date and return it at the precision given."""
    value = text.strip()
    match = _PARTIAL_DATE.fullmatch(value)
    if match is None:
        raise BadInput(f"{what} must be YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")
    year, month, day = (int(part) if part else None for part in match.groups())
    if year is None or year < FIRST_YEAR:
        raise BadInput(f"{what} needs a four-digit year from {FIRST_YEAR} on: {text!r}")
    try:
        # A missing month or day stands for any; a given one, "00" included, must exist.
        date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise BadInput(f"{what} is not a real date: {text!r}") from None
    return value


def first_moment(partial: str) -> str:
    """The first moment a partial date covers, as a timestamp: "2025-10" starts 1 October."""
    year, month, day = [*partial.split("-"), "01", "01"][:3]
    return f"{year}-{month}-{day}T00:00:00Z"


def last_day(partial: str) -> date:
    """The last day a partial date covers: a prediction of "2025-10" holds until 31 October."""
    parts = [int(part) for part in partial.split("-")]
    if len(parts) == 3:
        return date(parts[0], parts[1], parts[2])
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], 12, 31)


def has_passed(partial: str, moment: datetime) -> bool:
    """Whether every day a partial date covers lies before `moment`."""
    return last_day(partial) < moment.astimezone(UTC).date()


@functools.lru_cache(maxsize=4096)
def describe(partial: str) -> str:
    """A partial date as a reader says it: "2025", "October 2025", "3 October 2025"."""
    parts = [int(part) for part in partial.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = _MONTHS[parts[1] - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{parts[2]} {month} {parts[0]}"


# An age, as `stale-after` is given: days or weeks.
_AGE = re.compile(r"([0-9]{1,5})\s*([dw])")  # ASCII digits only, like every other number
_DAYS = {"d": 1, "w": 7}


def parse_age(value: str, what: str) -> timedelta:
    """An age given as days or weeks: `90d`, `12w`."""
    match = _AGE.fullmatch(value.strip().lower())
    if match is None or int(match.group(1)) == 0:
        raise BadInput(f"{what} must be a number of days or weeks like 90d or 12w, not {value!r}")
    return timedelta(days=int(match.group(1)) * _DAYS[match.group(2)])


def normal_age(value: str, what: str) -> str:
    """The spelling an age is stored in ("12W " -> "12w"), after checking it."""
    parse_age(value, what)
    return value.strip().lower().replace(" ", "")
