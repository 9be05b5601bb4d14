""" "Now", and the partial dates and windows of time that claims are dated with.

Every timestamp and date comparison asks `now()`, so setting `AOUSDCTL_NOW` makes runs and
tests reproducible without patching anything.

A source's `--published` keeps the precision it was given: `YYYY`, `YYYY-MM` or
`YYYY-MM-DD`. Predictions are rarely exact, so `--expected` takes a *window* of time as
people write it ("late 2025", "2025-Q4", "H2 2026", "spring 2025", "March 2025",
"2025-09/2025-12") and stores it as EDTF, the Library of Congress Extended Date/Time Format
(ISO 8601-2); see "Windows of time" below.
"""

import calendar
import functools
import os
import re
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from aousdctl.domain.text import LazyPattern
from aousdctl.errors import BadInput

NOW_VARIABLE = "AOUSDCTL_NOW"
# ASCII digits only: `\d` would also match fullwidth and other scripts' digits, which
# `int()` accepts but no reader of the file expects.
_PARTIAL_DATE = LazyPattern(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_TIMESTAMP_SHAPE = LazyPattern(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
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


def since(value: str, what: str, now: datetime) -> str:
    """The first moment a `--since` covers, as a timestamp: a date at the precision given
    (`2026-11` starts 1 November), a whole UTC time (`2026-11-20T08:00:00Z`), or an age
    counted back from now (`7d`, `2w`)."""
    given = value.strip()
    if _AGE.fullmatch(given.lower()):
        return timestamp(now - parse_age(given, what))
    if "T" in given:
        return parse_timestamp(given, what)
    try:
        return first_moment(parse_partial_date(given, what))
    except BadInput:
        raise BadInput(
            f"{what} must be a date (YYYY, YYYY-MM or YYYY-MM-DD), a UTC time like "
            f"2026-11-23T12:00:00Z, or an age like 7d or 2w, not {value!r}"
        ) from None


def first_moment(partial: str) -> str:
    """The first moment a partial date covers, as a timestamp: "2025-10" starts 1 October."""
    year, month, day = [*partial.split("-"), "01", "01"][:3]
    return f"{year}-{month}-{day}T00:00:00Z"


def _partial_days(partial: str) -> tuple[date, date]:
    """The first and last day a partial date covers: "2025-10" is 1 to 31 October."""
    parts = [int(part) for part in partial.split("-")]
    if len(parts) == 3:
        day = date(parts[0], parts[1], parts[2])
        return day, day
    if len(parts) == 2:
        return date(parts[0], parts[1], 1), _month_end(parts[0], parts[1])
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _describe_partial(partial: str) -> str:
    parts = [int(part) for part in partial.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = _MONTHS[parts[1] - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{parts[2]} {month} {parts[0]}"


# Windows of time.
#
# EDTF writes a window in one of three ways, all of which this module reads and writes:
# - a date at the precision known: `2025`, `2025-10`, `2025-10-14` (EDTF level 0, so every
#   date stored before windows existed is already one);
# - a year with a sub-year grouping code in place of the month: seasons 21-24 (level 1),
#   quarters 33-36, quadrimesters 37-39 and semesters 40-41 (level 2);
# - an interval of two dates, `2025-09/2025-12` (level 0).
#
# The groupings' months, which EDTF leaves to the reader, are fixed here:
# - seasons are the northern hemisphere's meteorological ones: spring March-May, summer
#   June-August, autumn September-November, and winter December to February of the next
#   year (the winter that starts in that year, so a prediction of "winter 2025" is not
#   overdue before March 2026);
# - "early", "mid" and "late" a year are its thirds, EDTF's quadrimesters: January-April,
#   May-August, September-December;
# - quarters and halves are the calendar's.
#
# The `edtf` package on PyPI parses all of these, but it is not used at run time: importing
# it costs about 0.1 s of CPU (more than the whole command line's own import) and parsing a
# value about 6 ms, and it ends winter on 31 December. The subset above is small and closed;
# the tests check every form written here against that package.


class _Grouping(NamedTuple):
    """A sub-year grouping: where it starts, how many months it lasts, and how it is said
    ("{year}" is the year; "{next}" the last two digits of the next one)."""

    first_month: int
    months: int
    words: str


_GROUPINGS = {
    21: _Grouping(3, 3, "spring {year}"),
    22: _Grouping(6, 3, "summer {year}"),
    23: _Grouping(9, 3, "autumn {year}"),
    24: _Grouping(12, 3, "winter {year}\u2013{next}"),
    33: _Grouping(1, 3, "the first quarter of {year}"),
    34: _Grouping(4, 3, "the second quarter of {year}"),
    35: _Grouping(7, 3, "the third quarter of {year}"),
    36: _Grouping(10, 3, "the fourth quarter of {year}"),
    37: _Grouping(1, 4, "early {year}"),
    38: _Grouping(5, 4, "mid-{year}"),
    39: _Grouping(9, 4, "late {year}"),
    40: _Grouping(1, 6, "the first half of {year}"),
    41: _Grouping(7, 6, "the second half of {year}"),
}
_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_HEMISPHERE_SEASONS = range(25, 33)  # EDTF's northern (25-28) and southern (29-32) seasons
_QUARTER, _THIRD, _HALF = 32, 36, 39  # a grouping's code is one of these plus its number
_THIRDS = {"early": 1, "mid": 2, "late": 3}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3}
_ORDINALS["4th"] = 4
_MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(_MONTHS, start=1)}
_MONTH_NUMBERS |= {name[:3]: number for name, number in list(_MONTH_NUMBERS.items())}
_MONTH_NUMBERS["sept"] = 9
_MONTH = "(" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_YEAR = "([0-9]{4})"
_EDTF_DATE = r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"
_CODED = LazyPattern(rf"{_YEAR}[ -]?([qh])([0-9])|([qh])([0-9])[ -]?{_YEAR}")
_ORDINAL = LazyPattern(rf"(?:the )?({'|'.join(_ORDINALS)}) (quarter|half) (?:of )?{_YEAR}")
_PART_OF_YEAR = LazyPattern(rf"({'|'.join(_THIRDS)})[ -]?{_YEAR}")
_SEASON = LazyPattern(rf"({'|'.join(_SEASONS)}) (?:of )?{_YEAR}(?: ?[-\u2013/] ?([0-9]{{2,4}}))?")
_WRITTEN_DAY = LazyPattern(rf"([0-9]{{1,2}})(?:st|nd|rd|th)? {_MONTH}(?:,? {_YEAR})?")
_WRITTEN_DAY_US = LazyPattern(rf"{_MONTH} ([0-9]{{1,2}})(?:st|nd|rd|th)?(?:,? {_YEAR})?")
_WRITTEN_MONTH = LazyPattern(rf"{_MONTH}(?:,? {_YEAR})?")
_RANGE_WORDS = LazyPattern(r"(?:from )?(.+?) ?(?: to | until | through | - |\u2013|\u2014) ?(.+)")
WINDOW_EXAMPLES = (
    "YYYY, YYYY-MM, YYYY-MM-DD or a window like 2025-Q4, H2 2026, late 2025, spring 2025, "
    "March 2025 or 2025-09/2025-12"
)


def parse_window(text: str, what: str = "expected date") -> str:
    """A window of time as people write it (or as EDTF), as the EDTF string it is stored as:
    "late 2025" -> "2025-39", "Q4 2025" -> "2025-36", "March 2025" -> "2025-03"."""
    spoken = re.sub(r" ?/ ?", "/", " ".join(text.casefold().split()))
    for reader in (_read_edtf, _read_coded, _read_ordinal, _read_part_of_year, _read_season):
        window = reader(spoken, text, what)
        if window is not None:
            return window
    single = _written_date(spoken, None, text, what)
    if single is not None:
        return single
    ranged = _read_written_range(spoken, text, what)
    if ranged is not None:
        return ranged
    raise BadInput(f"{what} must be {WINDOW_EXAMPLES}, not {text!r}")


def stored_window(value: str, what: str = "expected date") -> str:
    """Check a window as stored: EDTF, exactly as `parse_window` writes it."""
    window = parse_window(value, what)
    if window != value:
        raise BadInput(f"{what} must be stored as EDTF ({window!r}), not {value!r}")
    return value


@functools.lru_cache(maxsize=4096)
def window_days(window: str) -> tuple[date, date]:
    """The first and last day a stored window covers: "2025-39" is 1 September to 31
    December 2025, "2025-24" (winter) 1 December 2025 to 28 February 2026."""
    start, slash, end = window.partition("/")
    if slash:
        return _partial_days(start)[0], _partial_days(end)[1]
    grouping = _grouping_of(window)
    if grouping is None:
        return _partial_days(window)
    year = int(window[:4])
    last = grouping.first_month + grouping.months - 2  # months counted from 0
    return date(year, grouping.first_month, 1), _month_end(year + last // 12, last % 12 + 1)


def ended_between(window: str, logged: str, moment: datetime) -> bool:
    """Whether a window ended after the time `logged` (a timestamp) and by `moment`: what
    makes an open claim an overdue prediction. One that ended before it was logged was a
    report of the past, not a prediction. A window ends when its last day (UTC) does."""
    last = window_days(window)[1].isoformat()
    return logged[:10] <= last < moment.astimezone(UTC).date().isoformat()


@functools.lru_cache(maxsize=4096)
def describe(window: str) -> str:
    """A stored date or window as a reader says it: "2025", "October 2025", "3 October
    2025", "late 2025", "the fourth quarter of 2025", "September to December 2025"."""
    start, slash, end = window.partition("/")
    if slash:
        first = _describe_partial(start)
        if start[:4] == end[:4] and len(start) > 4 and len(end) > 4:
            first = first.removesuffix(f" {start[:4]}")  # "September to December 2025"
        return f"{first} to {_describe_partial(end)}"
    grouping = _grouping_of(window)
    if grouping is None:
        return _describe_partial(window)
    year = int(window[:4])
    return grouping.words.format(year=year, next=f"{(year + 1) % 100:02d}")


def _grouping_of(window: str) -> _Grouping | None:
    return _GROUPINGS.get(int(window[5:])) if len(window) == 7 else None


def _read_edtf(spoken: str, text: str, what: str) -> str | None:
    """EDTF as stored: a date, a year with a grouping code, or an interval of two dates."""
    if re.fullmatch(rf"{_YEAR}-([0-9]{{2}})", spoken):
        code = int(spoken[5:])
        if code in _GROUPINGS:
            return _grouping(int(spoken[:4]), code, text, what)
        if code in _HEMISPHERE_SEASONS:
            raise BadInput(
                f"{what} uses a season of one hemisphere, which this tool doesn't: {text!r} "
                "(seasons are 21-24, read as the northern hemisphere's: spring is March-May)"
            )
    if re.fullmatch(_EDTF_DATE, spoken):
        return parse_partial_date(spoken, what)
    interval = re.fullmatch(f"({_EDTF_DATE})/({_EDTF_DATE})", spoken)
    if interval is None:
        return None
    try:
        start, end = (parse_partial_date(part, what) for part in interval.groups())
    except BadInput as error:
        raise BadInput(
            f"{what} is a range of two dates (YYYY, YYYY-MM or YYYY-MM-DD): {error}"
        ) from None
    return _interval(start, end, text, what)


def _read_coded(spoken: str, text: str, what: str) -> str | None:
    """Quarters and halves by letter: "2025-Q4", "Q4 2025", "H2 2026"."""
    match = _CODED.fullmatch(spoken)
    if match is None:
        return None
    if match.group(1):
        year, letter, number = match.group(1), match.group(2), match.group(3)
    else:
        letter, number, year = match.group(4), match.group(5), match.group(6)
    return _numbered(letter == "q", int(number), int(year), text, what)


def _read_ordinal(spoken: str, text: str, what: str) -> str | None:
    """Quarters and halves in words: "the fourth quarter of 2025", "the second half of 2026"."""
    match = _ORDINAL.fullmatch(spoken)
    if match is None:
        return None
    number = _ORDINALS[match.group(1)]
    return _numbered(match.group(2) == "quarter", number, int(match.group(3)), text, what)


def _numbered(quarter: bool, number: int, year: int, text: str, what: str) -> str:
    count, base = (4, _QUARTER) if quarter else (2, _HALF)
    if not 1 <= number <= count:
        kind = "quarters" if quarter else "halves"
        raise BadInput(f"{what}: a year has {count} {kind}, not {number}: {text!r}")
    return _grouping(year, base + number, text, what)


def _read_part_of_year(spoken: str, text: str, what: str) -> str | None:
    """A third of a year: "early 2025", "mid-2025", "late 2025"."""
    match = _PART_OF_YEAR.fullmatch(spoken)
    if match is None:
        return None
    return _grouping(int(match.group(2)), _THIRD + _THIRDS[match.group(1)], text, what)


def _read_season(spoken: str, text: str, what: str) -> str | None:
    """A season: "spring 2025", "fall 2025", "winter 2025-26" (winter only names the next
    year, which must be the one after)."""
    match = _SEASON.fullmatch(spoken)
    if match is None:
        return None
    code, year, following = _SEASONS[match.group(1)], int(match.group(2)), match.group(3)
    if following is not None and (code != _SEASONS["winter"] or not _next_year(year, following)):
        raise BadInput(
            f"{what}: only a winter spans two years, and the second is the next one: {text!r}"
        )
    return _grouping(year, code, text, what)


def _next_year(year: int, written: str) -> bool:
    return int(written) == (year + 1 if len(written) == 4 else (year + 1) % 100)


def _grouping(year: int, code: int, text: str, what: str) -> str:
    if year < FIRST_YEAR:
        raise BadInput(f"{what} needs a four-digit year from {FIRST_YEAR} on: {text!r}")
    if code == _SEASONS["winter"] and year == 9999:
        raise BadInput(f"{what}: the winter of 9999 ends in a year that can't be written")
    return f"{year:04d}-{code}"


def _written_date(spoken: str, year: int | None, text: str, what: str) -> str | None:
    """A date in words, "March 2025", "14 October 2025", "October 14, 2025", as a partial
    date; without a year, it takes `year` (the start of a range takes its end's)."""
    day: str | None
    if match := _WRITTEN_DAY.fullmatch(spoken):
        day, month, written_year = match.groups()
    elif match := _WRITTEN_DAY_US.fullmatch(spoken):
        month, day, written_year = match.groups()
    elif match := _WRITTEN_MONTH.fullmatch(spoken):
        month, written_year = match.groups()
        day = None
    else:
        return None
    found = int(written_year) if written_year else year
    if found is None:
        return None
    partial = f"{found:04d}-{_MONTH_NUMBERS[month]:02d}" + (f"-{int(day):02d}" if day else "")
    try:
        return parse_partial_date(partial, what)
    except BadInput:
        raise BadInput(f"{what} is not a real date: {text!r}") from None


def _read_written_range(spoken: str, text: str, what: str) -> str | None:
    """A range in words: "September to December 2025", "14 October to 3 November 2025",
    "December 2025 to February 2026", "2025 to 2026". A start without a year is in the end's
    year, or the one before when it would otherwise begin after the end does."""
    match = _RANGE_WORDS.fullmatch(spoken)
    if match is None:
        return None
    written_start, written_end = match.groups()
    end = _range_end(written_end, text, what)
    if end is None:
        return None
    start = _range_end(written_start, text, what)
    if start is None:
        year = int(end[:4])
        start = _written_date(written_start, year, text, what)
        begins_after = start is not None and _partial_days(start)[0] > _partial_days(end)[0]
        if begins_after and year > FIRST_YEAR:
            start = _written_date(written_start, year - 1, text, what)
    if start is None:
        return None
    return _interval(start, end, text, what)


def _range_end(written: str, text: str, what: str) -> str | None:
    """One end of a range given with its year: an EDTF date or one in words."""
    if re.fullmatch(_EDTF_DATE, written):
        return parse_partial_date(written, what)
    return _written_date(written, None, text, what)


def _interval(start: str, end: str, text: str, what: str) -> str:
    """An interval of two dates; one that starts where it ends is just that date."""
    if start == end:
        return start
    (first, last), (end_first, end_last) = _partial_days(start), _partial_days(end)
    if first > end_first or last > end_last:
        raise BadInput(f"{what} is a range that ends before it starts: {text!r}")
    return f"{start}/{end}"


# An age, as `stale-after` is given: days or weeks.
_AGE = LazyPattern(r"([0-9]{1,5})\s*([dw])")  # ASCII digits only, like every other number
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
