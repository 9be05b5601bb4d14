"""The command line driven in-process through Typer's CliRunner, and what tests check of it."""

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from aousdctl.cli import app

# The moment every test runs at (conftest pins AOUSDCTL_NOW to it).
NOW = "2026-11-23T12:00:00Z"


class Cli:
    """Runs `aousdctl --db <db_path> ...` in-process and keeps stdout and stderr apart."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str] | None = None):
        return self.runner.invoke(
            app, ["--db", str(self.db_path), *args], input=input, env=env, catch_exceptions=False
        )

    def ok(self, *args: str, **kwargs: Any):
        result = self(*args, **kwargs)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json").stdout)

    def add(self, text: str, *args: str) -> str:
        """Add a claim and return its id, as a script takes it from `add --quiet`."""
        return self.ok("add", text, "--quiet", *args).stdout.strip()


def assert_refused(result, code: int, *words: str) -> None:
    """A refusal: the exit code, one `Error:` line on stderr that says why, and no traceback.
    `result` is a CliRunner result or a finished process."""
    exit_code = getattr(result, "exit_code", getattr(result, "returncode", None))
    assert exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def add_claim(cli: Any, text: str, *args: str) -> str:
    """Add a claim through the CLI (`add --quiet`) and return its whole id (ids are random)."""
    result = cli("add", text, "--quiet", *args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    claim_id: str = result.stdout.strip()
    return claim_id


def add_in_order(cli: Any, monkeypatch: Any, *claims: tuple[str, ...]) -> list[str]:
    """Add claims (each a tuple of `add` arguments) a minute apart, ending at the fixed test
    time, so that "oldest first" is the order given; returns their ids in that order.
    (Claims added in the same second are ordered by their random ids.)"""
    added = []
    for minute, args in enumerate(claims, start=60 - len(claims)):
        monkeypatch.setenv("AOUSDCTL_NOW", f"{NOW[:14]}{minute:02d}:00Z".replace("T12:", "T11:"))
        added.append(add_claim(cli, *args))
    monkeypatch.setenv("AOUSDCTL_NOW", NOW)
    return added
