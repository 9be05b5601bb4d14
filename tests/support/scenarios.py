"""What several test files build their databases with: the outlets' history the track record
tests start from (made through the command line, with a clock that moves an hour before every
change), and the places of the `several` fixture's claims in a listing."""

from datetime import datetime, timedelta

import pytest

SOOMPI = "https://www.soompi.com/article/{}"
MILL = "https://rumormill.example/post/{}"
NETFLIX = "https://www.netflix.com/tudum/{}"


class Clock:
    """AOUSDCTL_NOW, stepped forward an hour before every change, like days passing."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.moment = datetime(2026, 1, 1)

    def tick(self) -> str:
        self.moment += timedelta(hours=1)
        stamp = self.moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.monkeypatch.setenv("AOUSDCTL_NOW", stamp)
        return stamp


def add(db, clock, text, *args):
    """A claim added at the next moment; its id as `add -q` prints it."""
    clock.tick()
    return db.ok("add", text, "--quiet", *args).stdout.strip()


def step(db, clock, *args):
    clock.tick()
    return db.ok(*args)


def build_history(db, clock):
    """Soompi carried five claims: four were confirmed, one debunked (two Soompi links on one
    claim count once). The rumor mill carried six: five debunked, one still open. Netflix's
    links only ever came with a confirmation, as evidence."""
    ids = {}
    for n in range(5):
        claim = add(db, clock, f"Soompi claim {n}", "--topic", "Cast", "-s", SOOMPI.format(n))
        ids[f"soompi{n}"] = claim
    step(db, clock, "source", "add", ids["soompi0"], SOOMPI.format("0b"))
    for n in range(4):
        step(db, clock, "promote", ids[f"soompi{n}"], "--to", "confirmed", "-s", NETFLIX.format(n))
    step(db, clock, "debunk", ids["soompi4"], "--note", "Netflix denied it")
    for n in range(6):
        ids[f"mill{n}"] = add(db, clock, f"Mill claim {n}", "-s", MILL.format(n))
    for n in range(5):
        step(db, clock, "debunk", ids[f"mill{n}"], "--note", "Made up")
    return ids


def places(cli, *args):
    """The claims a listing shows, as their places among `several` (1 for the first)."""
    return [cli.ids.index(claim["id"]) for claim in cli.json("list", *args)]
