"""Git around the merge driver, in real repositories: a clone that never ran `git-setup`, a
driver whose program is gone, `resolve` in each state git can be in, an article committed
by two clones, `git-setup` staging what it writes, and the nightly recipe meeting an
uncommitted change, a push another clone beat, and no aousdctl to run."""

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.git import git
from tests.support.paths import NIGHTLY
from tests.support.runner import Cli, assert_refused

BIN = Path(sys.executable).parent
DATABASE = Path("db") / "claims.json"
ARTICLE = "explainer.md"
UNFINISHED = "Error: db/claims.json is in an unfinished git merge: run aousdctl resolve"
NOT_SET_UP = f"{UNFINISHED} and aousdctl git-setup once in this clone\n"

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
    pytest.mark.skipif(not (BIN / "aousdctl").exists(), reason="needs the installed command"),
]


@pytest.fixture(autouse=True)
def git_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Commits need a name; no user's git settings; the driver is found on PATH."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ['PATH']}")
    for name, value in (("NAME", "Editor"), ("EMAIL", "editor@example.com")):
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)


def commit_all(folder: Path, message: str) -> None:
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", message)


def at(monkeypatch: pytest.MonkeyPatch, moment: str) -> None:
    monkeypatch.setenv("AOUSDCTL_NOW", f"2026-11-24T{moment}:00Z")


class Repository:
    """A git repository holding a database with three claims at db/claims.json; commands
    run in its top folder, naming the database as people do: `db/claims.json`."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = folder
        self.cli = Cli(DATABASE)
        monkeypatch.chdir(folder)

    @property
    def database(self) -> Path:
        return self.folder / DATABASE

    def ids(self) -> list[str]:
        return [claim["id"] for claim in self.cli.json("list")]

    def claims(self) -> dict[str, Any]:
        return {claim["id"]: claim for claim in self.cli.json("list")}

    def note(self, claim_id: str, note: str, moment: str, monkeypatch: pytest.MonkeyPatch) -> None:
        """Change one claim's note, which touches the same lines of the file on every side."""
        at(monkeypatch, moment)
        self.cli.ok("edit", claim_id, "--note", note)


def make_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, driver: bool, name: str = "repo"
) -> Repository:
    folder = tmp_path / name
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    repository = Repository(folder, monkeypatch)
    repository.cli.ok("init", "--title", "Season 2")
    for text in ("Filming started in 2023", "Cheong-san returns", "Nam-ra returns"):
        repository.cli.add(text, "--source", "https://example.com/a")
    if driver:
        repository.cli.ok("git-setup")
    commit_all(folder, "The record")
    return repository


def conflicting_branch(repository: Repository, monkeypatch: pytest.MonkeyPatch) -> str:
    """A `laptop` branch and `main` that changed the same claim's note: git alone can only
    leave conflict markers. Returns the claim's id; `main` is checked out."""
    first = repository.ids()[0]
    git(repository.folder, "checkout", "-q", "-b", "laptop")
    repository.note(first, "Per a casting call", "09:00", monkeypatch)
    repository.cli.add("Added on the laptop")
    commit_all(repository.folder, "laptop")
    git(repository.folder, "checkout", "-q", "main")
    repository.note(first, "Per a set photo", "10:00", monkeypatch)
    repository.cli.add("Added on the server")
    commit_all(repository.folder, "server")
    return first


# Commands meeting a database git has not finished merging -------------------------------------


def test_a_clone_without_git_setup_is_told_to_resolve_by_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = make_repository(tmp_path, monkeypatch, driver=False)
    first = conflicting_branch(repository, monkeypatch)
    assert git(repository.folder, "merge", "--no-edit", "laptop", check=False).returncode != 0
    assert "<<<<<<<" in repository.database.read_text(encoding="utf-8")
    before = repository.database.read_bytes()
    for command in (["list"], ["show", first], ["add", "A new claim"], ["export"], ["review"]):
        result = repository.cli(*command)
        assert_refused(result, 1, "unfinished git merge")
        assert result.stderr == NOT_SET_UP, result.stderr
    doctor = repository.cli("doctor")
    assert doctor.exit_code == 1
    assert doctor.stdout == NOT_SET_UP.removeprefix("Error: ")
    assert repository.database.read_bytes() == before
    resolved = repository.cli.ok("resolve")
    # Both clones changed one note: the claim follows, listed for review.
    assert resolved.stdout.startswith(
        "Resolved db/claims.json; run `git commit` to finish the merge\n"
    )
    git(repository.folder, "commit", "-q", "--no-edit")
    texts = {claim["text"] for claim in repository.claims().values()}
    assert {"Added on the laptop", "Added on the server"} <= texts
    assert repository.cli("doctor").exit_code == 0


def test_a_database_named_another_way_gets_its_own_resolve_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = make_repository(tmp_path, monkeypatch, driver=False)
    conflicting_branch(repository, monkeypatch)
    git(repository.folder, "merge", "--no-edit", "laptop", check=False)
    elsewhere = Cli(repository.folder / DATABASE)
    result = elsewhere("list")
    assert f"run aousdctl --db {repository.folder / DATABASE} resolve" in result.stderr


def test_a_driver_whose_program_is_gone_leaves_our_side_and_commands_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Git keeps our side, valid JSON, when the driver can't run: without a word the next
    write would drop the other side's changes."""
    repository = make_repository(tmp_path, monkeypatch, driver=True)
    gone = tmp_path / "uninstalled" / "aousdctl"
    git(repository.folder, "config", "merge.aousdctl.driver", f"{gone} merge %O %A %B")
    conflicting_branch(repository, monkeypatch)
    ours = repository.database.read_bytes()
    assert git(repository.folder, "merge", "--no-edit", "laptop", check=False).returncode != 0
    assert repository.database.read_bytes() == ours  # our side, nothing says it is half
    for command in (["list"], ["add", "A new claim"]):
        assert repository.cli(*command).stderr == NOT_SET_UP
    assert repository.cli("doctor").stdout == NOT_SET_UP.removeprefix("Error: ")
    repository.cli.ok("git-setup")
    assert repository.cli("list").stderr == f"{UNFINISHED}\n"  # set up now: only resolve
    repository.cli.ok("resolve")
    git(repository.folder, "commit", "-q", "--no-edit")
    assert "Added on the laptop" in {claim["text"] for claim in repository.claims().values()}


def test_a_side_the_driver_could_not_read_asks_only_for_resolve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = make_repository(tmp_path, monkeypatch, driver=True)
    git(repository.folder, "checkout", "-q", "-b", "laptop")
    repository.database.write_text("{ not json", encoding="utf-8")
    commit_all(repository.folder, "broken")
    git(repository.folder, "checkout", "-q", "main")
    repository.cli.add("Added on the server")
    commit_all(repository.folder, "server")
    assert git(repository.folder, "merge", "--no-edit", "laptop", check=False).returncode != 0
    assert repository.cli("list").stderr == f"{UNFINISHED}\n"


def test_a_merge_that_left_another_file_in_conflict_does_not_stop_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = make_repository(tmp_path, monkeypatch, driver=True)
    notes = repository.folder / "notes.txt"
    notes.write_text("base\n")
    commit_all(repository.folder, "notes")
    git(repository.folder, "checkout", "-q", "-b", "laptop")
    notes.write_text("laptop\n")
    commit_all(repository.folder, "laptop")
    git(repository.folder, "checkout", "-q", "main")
    notes.write_text("server\n")
    commit_all(repository.folder, "server")
    assert git(repository.folder, "merge", "--no-edit", "laptop", check=False).returncode != 0
    repository.cli.ok("add", "Added during the merge")
    assert repository.cli("doctor").exit_code == 0


def test_a_healthy_database_never_starts_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = make_repository(tmp_path, monkeypatch, driver=True)
    calls = tmp_path / "git-calls"
    fake = tmp_path / "fake-bin" / "git"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$@" >> {calls}\nexit 1\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    for command in (["list"], ["add", "One more"], ["export"], ["doctor"]):
        repository.cli.ok(*command)
    assert not calls.exists()


def test_an_octopus_merge_runs_no_driver_and_resolve_finishes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = make_repository(tmp_path, monkeypatch, driver=True)
    first = repository.ids()[0]
    for branch, moment in (("a", "09:00"), ("b", "10:00")):
        git(repository.folder, "checkout", "-q", "-b", branch, "main")
        repository.note(first, f"Per branch {branch}", moment, monkeypatch)
        repository.cli.add(f"Added on {branch}")
        commit_all(repository.folder, branch)
    git(repository.folder, "checkout", "-q", "main")
    assert git(repository.folder, "merge", "--no-edit", "a", "b", check=False).returncode != 0
    assert repository.cli("list").stderr == f"{UNFINISHED}\n"
    repository.cli.ok("resolve")
    git(repository.folder, "commit", "-q", "--no-edit")
    assert {"Added on a", "Added on b"} <= {c["text"] for c in repository.claims().values()}
    assert repository.cli("doctor").exit_code == 0


# resolve names the next step for what git is in the middle of ---------------------------------


def _rebase(repository: Repository) -> subprocess.CompletedProcess[str]:
    git(repository.folder, "checkout", "-q", "laptop")
    return git(repository.folder, "rebase", "main", check=False)


def _cherry_pick(repository: Repository) -> subprocess.CompletedProcess[str]:
    return git(repository.folder, "cherry-pick", "laptop", check=False)


def _merge(repository: Repository) -> subprocess.CompletedProcess[str]:
    return git(repository.folder, "merge", "--no-edit", "laptop", check=False)


OPERATIONS: dict[str, tuple[Callable[[Repository], Any], str, list[str]]] = {
    "merge": (_merge, "`git commit` to finish the merge", ["commit", "-q", "--no-edit"]),
    "rebase": (_rebase, "`git rebase --continue` to finish the rebase", ["rebase", "--continue"]),
    "cherry-pick": (
        _cherry_pick,
        "`git cherry-pick --continue` to finish the cherry-pick",
        ["cherry-pick", "--continue"],
    ),
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_resolve_names_the_step_that_finishes_the_operation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, operation: str
) -> None:
    start, advice, finish = OPERATIONS[operation]
    repository = make_repository(tmp_path, monkeypatch, driver=False)
    conflicting_branch(repository, monkeypatch)
    assert start(repository).returncode != 0
    assert repository.cli("list").stderr == NOT_SET_UP
    resolved = repository.cli.ok("resolve")
    assert resolved.stdout.startswith(f"Resolved db/claims.json; run {advice}\n")
    monkeypatch.setenv("GIT_EDITOR", "true")
    git(repository.folder, *finish)
    assert git(repository.folder, "status", "--porcelain").stdout == ""
    assert git(repository.folder, "symbolic-ref", "-q", "HEAD").returncode == 0  # on a branch
    texts = {claim["text"] for claim in repository.claims().values()}
    assert {"Added on the laptop", "Added on the server"} <= texts
    assert repository.cli("doctor").exit_code == 0


def test_resolve_names_the_step_that_finishes_a_revert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = make_repository(tmp_path, monkeypatch, driver=False)
    first = repository.ids()[0]
    repository.note(first, "Per a casting call", "09:00", monkeypatch)
    commit_all(repository.folder, "a note")
    reverted = git(repository.folder, "rev-parse", "HEAD").stdout.strip()
    repository.note(first, "Per a set photo", "10:00", monkeypatch)
    commit_all(repository.folder, "another note")
    assert git(repository.folder, "revert", "--no-edit", reverted, check=False).returncode != 0
    resolved = repository.cli.ok("resolve")
    assert resolved.stdout.startswith(
        "Resolved db/claims.json; run `git revert --continue` to finish the revert\n"
    )
    monkeypatch.setenv("GIT_EDITOR", "true")
    git(repository.folder, "revert", "--continue")
    assert repository.cli("doctor").exit_code == 0


def test_resolve_names_the_step_that_finishes_a_stash_pop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = make_repository(tmp_path, monkeypatch, driver=False)
    first = repository.ids()[0]
    repository.note(first, "Per a casting call", "09:00", monkeypatch)
    repository.cli.add("Added before the stash")
    git(repository.folder, "stash", "-q")
    repository.note(first, "Per a set photo", "10:00", monkeypatch)
    commit_all(repository.folder, "committed meanwhile")
    assert git(repository.folder, "stash", "pop", check=False).returncode != 0
    assert repository.cli("list").stderr == NOT_SET_UP  # no MERGE_HEAD: the markers tell
    resolved = repository.cli.ok("resolve")
    assert resolved.stdout.startswith(
        "Resolved db/claims.json; run `git stash drop` to finish the stash pop\n"
    )
    git(repository.folder, "stash", "drop", "-q")
    assert "Added before the stash" in {c["text"] for c in repository.claims().values()}


# An article committed by several clones --------------------------------------------------------


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """A bare shared repository whose database and article are committed, the article marked
    by `git-setup --article`, and two clones of it: the server's (set up) and a laptop that
    never ran `git-setup`."""
    bare = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "-q", str(bare), str(seed))
    monkeypatch.chdir(seed)
    cli = Cli(DATABASE)
    cli.ok("init", "--title", "Season 2")
    for text in ("Filming started in 2023", "Cheong-san returns"):
        cli.add(text, "--source", "https://example.com/first")
    cli.ok("export", "-o", ARTICLE)
    setup = cli.ok("git-setup", "--article", ARTICLE).stdout
    assert "merge=aousdctl-article" in setup
    commit_all(seed, "The record")
    git(seed, "push", "-q", "origin", "HEAD:main")
    clones = []
    for name in ("server", "laptop"):
        clone = tmp_path / name
        git(tmp_path, "clone", "-q", str(bare), str(clone))
        clones.append(clone)
    monkeypatch.chdir(clones[0])
    Cli(DATABASE).ok("git-setup")
    return bare, clones[0], clones[1]


def change_and_export(clone: Path, text: str, moment: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """What an editor does: change the claims, export the article, commit both."""
    monkeypatch.chdir(clone)
    at(monkeypatch, moment)
    cli = Cli(DATABASE)
    first = cli.json("list")[0]["id"]
    cli.ok("edit", first, "--note", f"checked on the {clone.name}")
    cli.add(text)
    cli.ok("export", "-o", ARTICLE)
    commit_all(clone, f"Changes on the {clone.name}")


def test_an_article_committed_by_two_clones_never_stops_a_pull(
    shared: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, server, laptop = shared
    change_and_export(laptop, "Added on the laptop", "09:00", monkeypatch)
    git(laptop, "push", "-q")
    change_and_export(server, "Added on the server", "10:00", monkeypatch)
    ours = (server / ARTICLE).read_bytes()
    pulled = git(server, "pull", "--no-rebase", "--no-edit", check=False)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert (server / ARTICLE).read_bytes() == ours  # this clone's, until export remakes it
    cli = Cli(DATABASE)
    assert {"Added on the laptop", "Added on the server"} <= {c["text"] for c in cli.json("list")}
    assert cli(*("export", "--check", "-o", ARTICLE)).exit_code == 1
    cli.ok("export", "-o", ARTICLE)
    assert "Added on the laptop" in (server / ARTICLE).read_text(encoding="utf-8")


def test_resolve_makes_a_conflicted_article_again_from_the_merged_database(
    shared: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The laptop never ran git-setup: git leaves markers in the database and the article;
    `resolve` finishes both."""
    _, server, laptop = shared
    change_and_export(server, "Added on the server", "09:00", monkeypatch)
    git(server, "push", "-q")
    change_and_export(laptop, "Added on the laptop", "10:00", monkeypatch)
    assert git(laptop, "pull", "--no-rebase", "--no-edit", check=False).returncode != 0
    assert "<<<<<<<" in (laptop / ARTICLE).read_text(encoding="utf-8")
    cli = Cli(DATABASE)
    resolved = cli.ok("resolve")
    assert resolved.stdout.startswith(
        f"Resolved db/claims.json, {ARTICLE}; run `git commit` to finish the merge\n"
        f"Made again from the merged database: {ARTICLE}\n"
    )
    git(laptop, "commit", "-q", "--no-edit")
    assert (laptop / ARTICLE).read_text(encoding="utf-8") == cli.ok("export").stdout
    assert "Added on the server" in (laptop / ARTICLE).read_text(encoding="utf-8")


def test_resolve_names_what_it_leaves_in_conflict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = make_repository(tmp_path, monkeypatch, driver=False)
    notes = repository.folder / "notes.txt"
    notes.write_text("base\n")
    commit_all(repository.folder, "notes")
    conflicting_branch(repository, monkeypatch)
    git(repository.folder, "checkout", "-q", "laptop")
    notes.write_text("laptop\n")
    commit_all(repository.folder, "laptop notes")
    git(repository.folder, "checkout", "-q", "main")
    notes.write_text("server\n")
    commit_all(repository.folder, "server notes")
    git(repository.folder, "merge", "--no-edit", "laptop", check=False)
    resolved = repository.cli.ok("resolve")
    assert resolved.stdout.endswith("Still in conflict, for you to resolve first: notes.txt\n")


def test_resolve_with_nothing_of_its_own_in_conflict_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = make_repository(tmp_path, monkeypatch, driver=True)
    before = repository.database.read_bytes()
    assert_refused(repository.cli("resolve"), 1, "nothing to resolve")
    assert repository.database.read_bytes() == before


# git-setup stages what every clone needs ---------------------------------------------------


def test_git_setup_writes_and_stages_the_gitignore_with_the_attributes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database committed without its .gitignore (made by an older version, or added
    alone): git-setup writes it and stages it, so the clone that sets up commits it."""
    repository = make_repository(tmp_path, monkeypatch, driver=False)
    git(repository.folder, "rm", "-q", "--cached", "db/.gitignore")
    (repository.folder / "db" / ".gitignore").unlink()
    git(repository.folder, "commit", "-q", "-m", "without the ignore file")
    setup = repository.cli.ok("git-setup").stdout
    assert setup.splitlines()[-1] == "Staged .gitattributes and db/.gitignore: commit them"
    staged = git(repository.folder, "diff", "--cached", "--name-only").stdout.split()
    assert staged == [".gitattributes", "db/.gitignore"]
    assert "/.claims.json.journal" in (repository.folder / "db" / ".gitignore").read_text()
    git(repository.folder, "commit", "-q", "-m", "set up")
    assert repository.cli.ok("git-setup").stdout == "Already set up; nothing changed\n"


def test_git_setup_refuses_an_article_outside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = make_repository(tmp_path, monkeypatch, driver=False)
    outside = tmp_path / "elsewhere.md"
    assert_refused(repository.cli("git-setup", "--article", str(outside)), 2, "not a file inside")
    assert not (repository.folder / ".gitattributes").exists()


# The nightly recipe ----------------------------------------------------------------------------


def nightly(
    server: Path, env: dict[str, str] | None = None, now: str = "2026-11-25T03:00:00Z"
) -> subprocess.CompletedProcess[str]:
    """The recipe as cron starts it: a bare environment, stdin closed."""
    base = {
        "PATH": f"{BIN}{os.pathsep}/usr/bin:/bin",
        "HOME": os.environ["HOME"],
        "GIT_CONFIG_NOSYSTEM": "1",
        "AOUSDCTL_NOW": now,
    }
    return subprocess.run(
        ["sh", str(NIGHTLY), str(server)],
        env={**base, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def head(clone: Path) -> str:
    return git(clone, "rev-parse", "HEAD").stdout.strip()


@pytest.mark.slow
def test_nightly_names_uncommitted_changes_that_stop_the_pull(
    shared: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, server, laptop = shared
    change_and_export(laptop, "Added on the laptop", "09:00", monkeypatch)
    git(laptop, "push", "-q")
    monkeypatch.chdir(server)
    Cli(DATABASE).add("Typed on the server, never committed")
    before, changed = head(server), (server / DATABASE).read_bytes()
    result = nightly(server)
    assert result.returncode == 1
    assert "db/claims.json" in result.stderr and "commit or stash them" in result.stderr
    assert "resolve" not in result.stderr
    assert head(server) == before and (server / DATABASE).read_bytes() == changed


@pytest.mark.slow
def test_nightly_pulls_and_pushes_again_when_another_clone_beat_its_push(
    shared: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Another clone pushes while the night exports: its push is refused, so it pulls once
    more, makes the article again from the merged database, and pushes."""
    bare, server, laptop = shared
    change_and_export(laptop, "Added on the laptop", "09:00", monkeypatch)
    racing = tmp_path / "race.sh"
    racing.write_text(
        "#!/bin/sh\n"
        f'case " $* " in *" export "*) if [ ! -e "{tmp_path}/raced" ]; then\n'
        f'    touch "{tmp_path}/raced"; git -C "{laptop}" push -q; fi;; esac\n'
        f'exec "{BIN / "aousdctl"}" "$@"\n'
    )
    racing.chmod(racing.stat().st_mode | stat.S_IEXEC)
    monkeypatch.chdir(server)
    Cli(DATABASE).add("Added on the server")
    commit_all(server, "by hand on the server")
    result = nightly(server, {"AOUSDCTL": str(racing)})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (tmp_path / "raced").exists()
    assert head(server) == git(bare, "rev-parse", "main").stdout.strip()
    monkeypatch.chdir(server)
    cli = Cli(DATABASE)
    assert {"Added on the laptop", "Added on the server"} <= {c["text"] for c in cli.json("list")}
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-25T03:00:00Z")  # the night's clock
    assert (server / ARTICLE).read_text(encoding="utf-8") == cli.ok("export").stdout


def test_nightly_without_aousdctl_says_it_is_not_found(shared: tuple[Path, Path, Path]) -> None:
    _, server, _ = shared
    result = nightly(server, {"PATH": "/usr/bin:/bin"})
    assert result.returncode == 127
    assert "aousdctl not found" in result.stderr
    assert "fetch had failures" not in result.stderr
