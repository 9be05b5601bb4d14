"""Small helpers for tests that need the id of a claim they add (ids are random)."""

from typing import Any


def add_claim(cli: Any, text: str, *args: str) -> str:
    """Add a claim through the CLI (`add --quiet`) and return its whole id."""
    result = cli("add", text, "--quiet", *args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    claim_id: str = result.stdout.strip()
    return claim_id


def add_in_order(cli: Any, monkeypatch: Any, *claims: tuple[str, ...]) -> list[str]:
    """Add claims (each a tuple of `add` arguments) a minute apart, ending at the fixed test
    time, so that "oldest first" is the order given; returns their ids in that order.
    (Claims added in the same second are ordered by their random ids.)"""
    from conftest import NOW

    added = []
    for minute, args in enumerate(claims, start=60 - len(claims)):
        monkeypatch.setenv("AOUSDCTL_NOW", f"{NOW[:14]}{minute:02d}:00Z".replace("T12:", "T11:"))
        added.append(add_claim(cli, *args))
    monkeypatch.setenv("AOUSDCTL_NOW", NOW)
    return added
