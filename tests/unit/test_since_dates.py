"""`dates.since`: what `--since` accepts, as the first moment it covers."""

from datetime import UTC, datetime

import pytest

from aousdctl.domain import dates
from aousdctl.errors import BadInput

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "given, start",
    [
        ("2026", "2026-01-01T00:00:00Z"),
        ("2026-11", "2026-11-01T00:00:00Z"),
        (" 2026-11-20 ", "2026-11-20T00:00:00Z"),
        ("2026-11-20T08:30:00Z", "2026-11-20T08:30:00Z"),
        ("7d", "2026-11-16T12:00:00Z"),
        ("2W", "2026-11-09T12:00:00Z"),
    ],
)
def test_since_is_the_first_moment_covered(given, start):
    assert dates.since(given, "--since", NOW) == start


@pytest.mark.parametrize("given", ["", "yesterday", "2026-02-30", "0d", "0999", "2026-11-20 08:00"])
def test_anything_else_is_bad_input_naming_the_option(given):
    with pytest.raises(BadInput, match="--since"):
        dates.since(given, "--since", NOW)
