"""Fixtures: a fresh database under tmp_path, the CLI driven through CliRunner, a local feed
server, and the databases several test files start from. The helpers behind them live in
`tests.support`, which test modules import too; nothing here is imported."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aousdctl.cli import app
from tests.support.feedserver import FeedServer, running_feed_server
from tests.support.records import NETFLIX_TITLE
from tests.support.runner import NOW, Cli, add_claim
from tests.support.scenarios import Clock, build_history


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


@pytest.fixture(scope="module")
def built_history(tmp_path_factory):
    """The outlets' history (see `build_history`), built once per module through the CLI."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.delenv("NO_COLOR", raising=False)
        path = tmp_path_factory.mktemp("history") / "claims.json"
        cli = Cli(path)
        cli.ok("init", "--title", "Test tracker")
        ids = build_history(cli, Clock(monkeypatch))
    return path, ids


@pytest.fixture
def history(built_history, db, db_path):
    """A copy of the built history as the test's database; the claims' ids by name."""
    path, ids = built_history
    shutil.copy(path, db_path)
    return ids


@pytest.fixture
def several(db, monkeypatch):
    """Four claims added a minute apart (so oldest first is their order); `several.ids[n]`
    is the id of the n-th, counting from 1."""
    db.ids = [None]
    at = iter(f"2026-11-23T11:0{minute}:00Z" for minute in range(4))

    def add(*args):
        monkeypatch.setenv("AOUSDCTL_NOW", next(at))
        db.ids.append(add_claim(db, *args))

    add(
        "Filming started in 2023",
        "--topic",
        "Production",
        "--tag",
        "filming",
        "--status",
        "reported",
    )
    add("Cheong-san returns [exclusive]", "--topic", "Cast", "--tag", "Hybrids")
    add("Season 2 has 8 episodes", "--topic", "Episodes", "--note", "from a forum post")
    add(
        "Netflix renewed the show",
        "--topic",
        "Renewal",
        "--status",
        "confirmed",
        "--source",
        "https://www.netflix.com/title/81237994",
    )
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-23T12:00:00Z")
    db.ok("debunk", db.ids[3], "--note", "No episode count announced")
    return db


@pytest.fixture
def two(db, monkeypatch):
    """Two claims made a second apart, so that they list in this order; `two.ids` has them."""
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-23T11:59:59Z")
    first = db.add("Filming started in 2023", "--topic", "Production", "--source", NETFLIX_TITLE)
    monkeypatch.setenv("AOUSDCTL_NOW", NOW)
    db.ids = [first, db.add("Cheong-san returns as a hybrid", "--topic", "Cast")]
    return db
