"""Windows of time (domain/dates.py) and the one overdue rule (domain/claims.py), pure."""

import ast
import calendar
from datetime import UTC, date, datetime, timedelta

import pytest
from edtf import parse_edtf
from hypothesis import given, settings
from hypothesis import strategies as st

from aousdctl.domain.claims import Status, is_overdue
from aousdctl.domain.dates import describe, parse_window, stored_window, window_days
from aousdctl.errors import BadInput
from tests.support.paths import ROOT


@pytest.mark.parametrize(
    "written, edtf, words",
    [
        ("2025", "2025", "2025"),
        ("2025-10", "2025-10", "October 2025"),
        ("2025-10-14", "2025-10-14", "14 October 2025"),
        ("2025-Q4", "2025-36", "the fourth quarter of 2025"),
        ("Q4 2025", "2025-36", "the fourth quarter of 2025"),
        ("q1-2026", "2026-33", "the first quarter of 2026"),
        ("H2 2026", "2026-41", "the second half of 2026"),
        ("2026-H1", "2026-40", "the first half of 2026"),
        ("early 2025", "2025-37", "early 2025"),
        ("mid 2025", "2025-38", "mid-2025"),
        ("Late 2025", "2025-39", "late 2025"),
        ("spring 2025", "2025-21", "spring 2025"),
        ("Summer 2025", "2025-22", "summer 2025"),
        ("fall 2025", "2025-23", "autumn 2025"),
        ("autumn 2025", "2025-23", "autumn 2025"),
        ("winter 2025", "2025-24", "winter 2025\u201326"),
        ("winter 2025/26", "2025-24", "winter 2025\u201326"),
        ("March 2025", "2025-03", "March 2025"),
        ("Sept. 2025", "2025-09", "September 2025"),
        ("October 14, 2025", "2025-10-14", "14 October 2025"),
        ("2025-09/2025-12", "2025-09/2025-12", "September to December 2025"),
        (" 2025-09 / 2025-12 ", "2025-09/2025-12", "September to December 2025"),
        ("September to December 2025", "2025-09/2025-12", "September to December 2025"),
        ("December to February 2026", "2025-12/2026-02", "December 2025 to February 2026"),
        ("2025-10-14/2025-12", "2025-10-14/2025-12", "14 October to December 2025"),
        ("2025/2026", "2025/2026", "2025 to 2026"),
        ("2025-10/2025-10", "2025-10", "October 2025"),
    ],
)
def test_a_window_as_written_is_stored_as_edtf_and_said_in_words(written, edtf, words):
    assert parse_window(written) == edtf
    assert describe(edtf) == words
    assert parse_window(words) == edtf


@pytest.mark.parametrize(
    "window, first, last",
    [
        ("2025-39", date(2025, 9, 1), date(2025, 12, 31)),  # late: September-December
        ("2025-37", date(2025, 1, 1), date(2025, 4, 30)),  # early: January-April
        ("2025-38", date(2025, 5, 1), date(2025, 8, 31)),  # mid: May-August
        ("2025-36", date(2025, 10, 1), date(2025, 12, 31)),
        ("2026-40", date(2026, 1, 1), date(2026, 6, 30)),
        ("2025-21", date(2025, 3, 1), date(2025, 5, 31)),  # northern spring
        ("2025-24", date(2025, 12, 1), date(2026, 2, 28)),  # winter runs into the next year
        ("2027-24", date(2027, 12, 1), date(2028, 2, 29)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-09/2026-02-14", date(2025, 9, 1), date(2026, 2, 14)),
    ],
)
def test_the_days_a_window_covers(window, first, last):
    assert window_days(window) == (first, last)


@pytest.mark.parametrize(
    "written, words",
    [
        ("soon", "YYYY"),
        ("March", "YYYY"),
        ("2025-13", "real date"),
        ("2025-02-30", "real date"),
        ("February 30, 2025", "real date"),
        ("0999", "four-digit year"),
        ("2025-25", "hemisphere"),
        ("2025-42", "real date"),
        ("Q5 2025", "4 quarters"),
        ("H3 2025", "2 halves"),
        ("summer 2025-26", "only a winter"),
        ("winter 2025-27", "only a winter"),
        ("winter 9999", "can't be written"),
        ("2025-12/2025-09", "ends before it starts"),
        ("2025/2025-06", "ends before it starts"),
        ("2025-21/2025-23", "range of two dates"),
        ("2025-09/", "YYYY"),
        ("late 2025 or so", "YYYY"),
    ],
)
def test_what_is_not_a_window_is_refused(written, words):
    with pytest.raises(BadInput, match=words):
        parse_window(written)


def test_a_stored_window_must_be_the_edtf_itself():
    assert stored_window("2025-39") == "2025-39"
    with pytest.raises(BadInput, match=r"stored as EDTF \('2025-39'\)"):
        stored_window("late 2025")
    with pytest.raises(BadInput, match="stored as EDTF"):
        stored_window(" 2025")


# Every window `parse_window` can store: dates at three precisions, sub-year groupings and
# intervals of two dates.
years = st.integers(min_value=1000, max_value=9999)


@st.composite
def partial_dates(draw) -> str:
    year = draw(years)
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return f"{year}"
    month = draw(st.integers(1, 12))
    if precision == "month":
        return f"{year}-{month:02d}"
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    return f"{year}-{month:02d}-{day:02d}"


@st.composite
def groupings(draw) -> str:
    code = draw(st.sampled_from([21, 22, 23, 24, 33, 34, 35, 36, 37, 38, 39, 40, 41]))
    year = draw(st.integers(1000, 9998 if code == 24 else 9999))
    return f"{year}-{code}"


@st.composite
def intervals(draw) -> str:
    start, end = draw(partial_dates()), draw(partial_dates())
    (first, last), (end_first, end_last) = window_days(start), window_days(end)
    if (first, last) > (end_first, end_last):
        start, end = end, start
        (first, last), (end_first, end_last) = (end_first, end_last), (first, last)
    if start == end or first > end_first or last > end_last:
        return start  # not an interval of its own: one of the dates will do
    return f"{start}/{end}"


windows = st.one_of(partial_dates(), groupings(), intervals())


@settings(max_examples=300)
@given(windows)
def test_every_stored_window_reads_back_from_its_own_words(window):
    assert parse_window(window) == window
    assert parse_window(describe(window)) == window
    assert parse_window(describe(window).upper()) == window
    first, last = window_days(window)
    assert first <= last


@settings(max_examples=60, deadline=None)  # the edtf package parses in milliseconds
@given(windows)
def test_every_stored_window_is_edtf_with_the_same_days(window):
    """The `edtf` package reads each stored window, and covers the same days, except that
    it ends a winter on 31 December where this tool ends it with February."""
    parsed = parse_edtf(window)
    first, last = window_days(window)
    assert date(*parsed.lower_strict()[:3]) == first
    theirs = date(*parsed.upper_strict()[:3])
    if len(window) == 7 and window.endswith("-24"):  # a winter
        assert (theirs, last) == (
            date(first.year, 12, 31),
            date(first.year + 1, 3, 1) - timedelta(1),
        )
    else:
        assert theirs == last


def open_claim(window: str, logged: str, status: Status = Status.RUMOR) -> dict:
    return {"expected": window, "status": status.value, "created": logged}


def at(day: date, clock: str = "00:00:00") -> datetime:
    return datetime.fromisoformat(f"{day.isoformat()}T{clock}+00:00")


def test_late_2025_is_overdue_from_the_first_moment_of_2026():
    claim = open_claim("2025-39", "2025-06-01T09:00:00Z")
    assert not is_overdue(claim, at(date(2025, 12, 31), "23:59:59"))
    assert is_overdue(claim, at(date(2026, 1, 1)))


def test_a_claim_logged_after_its_window_is_about_the_past_and_never_overdue():
    wrapped = open_claim("2025-11", "2026-01-10T12:00:00Z")  # "Filming wrapped in November 2025"
    for moment in (at(date(2026, 1, 10)), at(date(2030, 1, 1))):
        assert not is_overdue(wrapped, moment)


def test_a_claim_logged_on_the_last_day_of_its_window_was_a_prediction():
    claim = open_claim("2025-11", "2025-11-30T23:00:00Z")
    assert not is_overdue(claim, at(date(2025, 11, 30), "23:59:59"))
    assert is_overdue(claim, at(date(2025, 12, 1)))
    assert not is_overdue(open_claim("2025-11", "2025-12-01T00:00:00Z"), at(date(2026, 6, 1)))


def test_winter_is_overdue_only_once_february_is_over():
    claim = open_claim("2025-24", "2025-10-01T00:00:00Z")
    assert not is_overdue(claim, at(date(2026, 2, 28), "23:59:59"))
    assert is_overdue(claim, at(date(2026, 3, 1)))


def test_only_open_claims_and_claims_with_a_window_are_overdue():
    later = at(date(2027, 1, 1))
    for status in (Status.RUMOR, Status.REPORTED):
        assert is_overdue(open_claim("2026", "2025-01-01T00:00:00Z", status), later)
    for status in (Status.CONFIRMED, Status.DEBUNKED):
        assert not is_overdue(open_claim("2026", "2025-01-01T00:00:00Z", status), later)
    assert not is_overdue({**open_claim("2026", "2025-01-01T00:00:00Z"), "expected": None}, later)


@given(windows, st.integers(min_value=0, max_value=400))
def test_a_prediction_is_overdue_from_the_day_after_its_window_ends(window, days_before):
    first, last = window_days(window)
    logged = max(first - timedelta(days=days_before), date(1000, 1, 1))
    claim = open_claim(window, f"{logged.isoformat()}T08:00:00Z")
    assert not is_overdue(claim, at(last, "23:59:59"))
    if last < date(9999, 12, 31):
        assert is_overdue(claim, at(last + timedelta(days=1)))
        # Logged the day after it ended, it is about the past: never overdue.
        past = open_claim(window, f"{(last + timedelta(days=1)).isoformat()}T00:00:00Z")
        assert not is_overdue(past, datetime(9999, 12, 31, tzinfo=UTC))


def test_the_program_never_imports_the_edtf_package():
    """It costs more to import than the whole command line: windows are parsed in dates.py,
    and only the tests use the package."""
    importing = []
    for path in (ROOT / "src" / "aousdctl").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in getattr(node, "names", [])]
            module = getattr(node, "module", None) or ""
            if any(name.split(".")[0] == "edtf" for name in [*names, module]):
                importing.append(path.name)
    assert importing == []
