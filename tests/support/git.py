"""Git for the sharing tests: running it, and a repository whose database the CLI drives."""

import subprocess
from pathlib import Path
from typing import Any

from tests.support.runner import Cli

# Who commits in the tests' repositories, with the system's git settings left out.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.com",
    "GIT_COMMITTER_NAME": "Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """git run in `folder`; unless `check` is False, a failure fails the test with its output."""
    result = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True)
    if check:
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result


def git_output(folder: Path, *args: str) -> str:
    """What a successful git command in `folder` prints."""
    return git(folder, *args).stdout


class Clone:
    """A git working tree holding a database at db/claims.json, driven through the CLI."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.cli = Cli(folder / "db" / "claims.json")

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return git(self.folder, *args, check=check)

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def claims(self) -> dict[str, Any]:
        return {str(claim["id"]): claim for claim in self.cli.json("list")}


def repository(tmp_path: Path, *, driver: bool = True) -> Clone:
    """A repository with three claims committed, and (unless told not) the merge driver."""
    clone = Clone(tmp_path / "repo")
    clone.folder.mkdir()
    clone.git("init", "-q", "-b", "main")
    clone.cli.ok("init", "--title", "Season 2")
    for text in ("Filming started in 2023", "Cheong-san returns", "Nam-ra returns"):
        clone.cli.add(text, "--source", "https://example.com/a")
    if driver:
        clone.cli.ok("git-setup")
    clone.commit("start")
    return clone
