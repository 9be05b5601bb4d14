"""An id copied with a `#` in front (`#k3xq9m2a`) names the same claim or lead."""

import pytest

from aousdctl.domain import ids, leads
from aousdctl.errors import BadInput, NotFound

KNOWN = {"k3xq9m2a", "k3xz0000", "m7pd4c1e"}
NUMBERS = {"5": "m7pd4c1e"}


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("#k3xq9m2a", "k3xq9m2a"),
        ("#K3XQ", "k3xq9m2a"),
        (" #m7pd ", "m7pd4c1e"),
        ("# m7pd4c1e", "m7pd4c1e"),
        ("#5", "m7pd4c1e"),
        ("k3xq9m2a", "k3xq9m2a"),
    ],
)
def test_a_leading_hash_is_read_as_nothing(typed, meant):
    assert ids.resolve(typed, KNOWN, NUMBERS) == meant


def test_only_one_hash_is_dropped():
    with pytest.raises(BadInput, match="not a claim id"):
        ids.resolve("##k3xq9m2a", KNOWN, NUMBERS)


def test_a_bare_hash_names_nothing():
    with pytest.raises(BadInput):
        ids.resolve("#", KNOWN, NUMBERS)


def test_errors_name_the_id_without_its_hash():
    with pytest.raises(NotFound) as refused:
        ids.resolve("#zzzzzzzz", KNOWN, NUMBERS)
    assert "no claim zzzzzzzz" in str(refused.value)


def test_normalized_drops_the_hash_too():
    assert ids.normalized("#K3XQ9M2A") == "k3xq9m2a"
    assert ids.is_id(ids.normalized("#k3xq9m2a"))


def lead(lead_id: str) -> leads.Lead:
    return {
        "id": lead_id,
        "title": "t",
        "summary": "",
        "link": "https://example.com/a",
        "outlet": "example.com",
        "published": None,
        "feed": "f",
        "guid": lead_id,
        "fetched": "2026-11-23T12:00:00Z",
        "state": leads.WAITING,
        "claim": None,
        "note": None,
        "decided": None,
    }


@pytest.mark.parametrize("typed", ["#qiolzabc", "#QIOL", "qiol"])
def test_a_lead_id_with_a_hash_names_the_lead(typed):
    """Lead ids use a different alphabet (with i, l and o): no look-alike reading for them."""
    table = {"qiolzabc": lead("qiolzabc"), "wxyz2345": lead("wxyz2345")}
    assert leads.find(table, typed)[0] == "qiolzabc"


def test_a_blank_lead_id_after_the_hash_is_refused():
    with pytest.raises(BadInput, match="blank"):
        leads.find({"qiolzabc": lead("qiolzabc")}, "#")
