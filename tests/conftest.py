"""Fixtures: a fresh database under tmp_path, and the CLI driven through CliRunner."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aousdctl.cli import app

NOW = "2026-11-23T12:00:00Z"


@pytest.fixture(autouse=True)
def pinned_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test runs at a fixed time, in its own folder, without the caller's settings."""
    monkeypatch.setenv("AOUSDCTL_NOW", NOW)
    for name in ("AOUSDCTL_DB", "AOUSDCTL_LOCK_TIMEOUT", "AOUSDCTL_DEBUG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "db" / "claims.json"


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
        return self.ok("add", text, "--quiet", *args).stdout.strip()


@pytest.fixture
def cli(db_path: Path) -> Cli:
    return Cli(db_path)


@pytest.fixture
def db(cli: Cli) -> Cli:
    """A CLI whose database exists and is empty."""
    cli.ok("init", "--title", "Test tracker")
    return cli


def assert_refused(result, code: int, *words: str) -> None:
    """A refusal: the exit code, one `Error:` line on stderr that says why, and no traceback."""
    exit_code = getattr(result, "exit_code", getattr(result, "returncode", None))
    assert exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def run_process(*args: str, env: dict[str, str] | None = None, **kwargs: Any):
    """The installed program in a real process, as cron or a shell would start it."""
    return subprocess.run(
        [sys.executable, "-m", "aousdctl", *args],
        capture_output=True,
        text=True,
        env=env if env is not None else {**os.environ},
        timeout=120,
        **kwargs,
    )
