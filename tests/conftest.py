"""Fixtures: a fresh database under tmp_path, the CLI driven through CliRunner, a local feed
server. The helpers behind them live in `tests.support`, which test modules import too."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aousdctl.cli import app
from tests.support.feedserver import FeedServer, running_feed_server
from tests.support.runner import NOW, Cli


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


@pytest.fixture
def cli(db_path: Path) -> Cli:
    return Cli(db_path)


@pytest.fixture(scope="session")
def empty_database_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding what `init --title "Test tracker"` makes, made once per run."""
    folder = tmp_path_factory.mktemp("empty") / "db"
    result = CliRunner().invoke(
        app,
        ["--db", str(folder / "claims.json"), "init", "--title", "Test tracker"],
        env={"AOUSDCTL_NOW": NOW},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return folder


@pytest.fixture
def db(cli: Cli, empty_database_folder: Path) -> Cli:
    """A CLI whose database exists and is empty: a copy of one `init` made, which is
    faster than a locked, fsynced `init` in each of the hundreds of tests that need one."""
    shutil.copytree(empty_database_folder, cli.db_path.parent)
    return cli


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A feed server on 127.0.0.1 for this test: its routes are the test's to set."""
    with running_feed_server() as server:
        yield server
