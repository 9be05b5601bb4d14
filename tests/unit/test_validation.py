"""One definition of a valid claim (`domain.claims.problems`), called directly."""

import pytest

from aousdctl.domain import claims


def test_problems_never_raises_on_any_json_value():
    for value in (
        None,
        1,
        "x",
        [],
        {},
        {"history": [None]},
        {name: [] for name in claims.CLAIM_FIELDS},
    ):
        assert claims.problems(value)
    with pytest.raises(claims.BadInput):
        claims.claim_from_record({"text": "x"})
