"""Partial dates, timestamps, ages and "now" (`domain.dates`), called directly."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from aousdctl.domain import dates
from aousdctl.errors import BadInput

SEOUL = timezone(timedelta(hours=9))


@pytest.mark.parametrize("value", ["2025", "2025-10", "2025-10-31", "2024-02-29", "1000-01-01"])
def test_a_real_date_keeps_the_precision_it_was_given(value):
    assert dates.parse_partial_date(f" {value} ") == value


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("late 2025", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2025-1", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("25-10-31", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("\uff12\uff10\uff12\uff15", "YYYY, YYYY-MM or YYYY-MM-DD"),  # fullwidth digits
        ("0999", "four-digit year from 1000"),
        ("2025-00", "not a real date"),
        ("2025-13", "not a real date"),
        ("2025-02-29", "not a real date"),
        ("2025-04-31", "not a real date"),
        ("2025-01-00", "not a real date"),
    ],
)
def test_anything_else_is_refused_naming_what_it_was_for(value, words):
    with pytest.raises(BadInput, match=f"expected date .*{words}"):
        dates.parse_partial_date(value, "expected date")


@pytest.mark.parametrize(
    ("value", "said"),
    [("2025", "2025"), ("2025-10", "October 2025"), ("2025-10-03", "3 October 2025")],
)
def test_a_date_is_described_as_a_reader_says_it(value, said):
    assert dates.describe(value) == said


@pytest.mark.parametrize(
    ("value", "last", "first"),
    [
        ("2025", date(2025, 12, 31), "2025-01-01T00:00:00Z"),
        ("2024-02", date(2024, 2, 29), "2024-02-01T00:00:00Z"),
        ("2025-02", date(2025, 2, 28), "2025-02-01T00:00:00Z"),
        ("2025-10-03", date(2025, 10, 3), "2025-10-03T00:00:00Z"),
    ],
)
def test_a_partial_date_covers_every_day_of_its_precision(value, last, first):
    assert (dates.last_day(value), dates.first_moment(value)) == (last, first)


@pytest.mark.parametrize(
    ("value", "moment", "passed"),
    [
        ("2025-10", datetime(2025, 10, 31, 23, 59, tzinfo=UTC), False),
        ("2025-10", datetime(2025, 11, 1, tzinfo=UTC), True),
        ("2025", datetime(2025, 12, 31, 12, tzinfo=UTC), False),
        ("2025-10-03", datetime(2025, 10, 4, tzinfo=UTC), True),
        # 1 a.m. on 4 October in Seoul is still 3 October in UTC.
        ("2025-10-03", datetime(2025, 10, 4, 1, tzinfo=SEOUL), False),
    ],
)
def test_a_date_has_passed_once_its_last_day_is_over(value, moment, passed):
    assert dates.has_passed(value, moment) is passed


def test_a_timestamp_is_utc_to_the_second():
    seoul = datetime(2026, 11, 24, 18, 30, 15, 999, tzinfo=SEOUL)
    assert dates.timestamp(seoul) == "2026-11-24T09:30:15Z"
    assert dates.timestamp_problem("2026-11-24T09:30:15Z", "created") is None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2026-11-24 09:30:15Z", "ISO-8601 UTC time"),
        ("2026-11-24T09:30:15", "ISO-8601 UTC time"),
        ("2026-11-24T09:30:15+00:00", "ISO-8601 UTC time"),
        (1732440615, "ISO-8601 UTC time"),
        ("2026-13-45T25:61:61Z", "not a real time"),
        ("0999-12-31T23:59:59Z", "four-digit year from 1000"),
    ],
)
def test_a_stored_timestamp_is_a_real_utc_time_written_one_way(value, words):
    assert words in dates.timestamp_problem(value, "created")
    with pytest.raises(BadInput, match="created"):
        dates.parse_timestamp(value, "created")


def test_now_is_the_pinned_time_in_utc(monkeypatch):
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-24T09:30:00+09:00")
    assert dates.now() == datetime(2026, 11, 24, 0, 30, tzinfo=UTC)
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-24T09:30:00")  # no zone: UTC
    assert dates.now() == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("pinned", "words"), [("yesterday", "ISO-8601"), ("0999-06-01T00:00:00Z", "year 1000")]
)
def test_a_pinned_time_that_is_not_one_is_bad_input(monkeypatch, pinned, words):
    monkeypatch.setenv("AOUSDCTL_NOW", pinned)
    with pytest.raises(BadInput, match=f"AOUSDCTL_NOW.*{words}"):
        dates.now()


def test_an_unpinned_clock_is_the_current_second(monkeypatch):
    monkeypatch.delenv("AOUSDCTL_NOW")
    before = datetime.now(UTC).replace(microsecond=0)
    assert before <= dates.now() <= before + timedelta(seconds=5)


@pytest.mark.parametrize(
    ("value", "days", "stored"), [("90d", 90, "90d"), (" 12W ", 84, "12w"), ("1 d", 1, "1d")]
)
def test_an_age_is_days_or_weeks(value, days, stored):
    assert dates.parse_age(value, "stale-after") == timedelta(days=days)
    assert dates.normal_age(value, "stale-after") == stored


@pytest.mark.parametrize("value", ["0d", "3 months", "5y", "90", "\uff11\u0662d", "-3d"])
def test_anything_else_is_not_an_age(value):
    with pytest.raises(BadInput, match="stale-after must be a number of days or weeks"):
        dates.parse_age(value, "stale-after")
