"""Sharing through git, where no repository is needed. The merge driver, `git-setup` and
`resolve` are tried in real repositories in tests/process/test_merge.py."""

from tests.support.runner import Cli, assert_refused


def test_git_setup_outside_a_repository_is_refused(db: Cli) -> None:
    assert_refused(db("git-setup"), 1, "not inside a git repository")
