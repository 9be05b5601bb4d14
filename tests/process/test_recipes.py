"""The example scripts as cron and a new user run them: examples/nightly.sh and
db/build-example.sh."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.git import git_output
from tests.support.paths import GOLDEN_ARTICLE, GOLDEN_NOW, NIGHTLY, ROOT
from tests.support.processes import close_stdin, installed_command
from tests.support.records import IMPORT_LINES, jsonl
from tests.support.runner import NOW


@pytest.mark.slow  # a shell script, git and several aousdctl processes
def test_the_nightly_recipe_commits_once_then_changes_nothing(tmp_path):
    site = tmp_path / "site"
    bare_env = {"PATH": "/usr/bin:/bin", "AOUSDCTL": installed_command(), "AOUSDCTL_NOW": NOW}
    subprocess.run(["git", "init", "--quiet", str(site)], check=True)
    subprocess.run(
        [
            installed_command(),
            "--db",
            str(site / "db" / "claims.json"),
            "init",
            "--title",
            "Season 2",
        ],
        check=True,
        env=bare_env,
    )
    claims = jsonl(tmp_path, *IMPORT_LINES)

    def nightly() -> None:
        subprocess.run(
            ["sh", str(NIGHTLY), str(site), str(claims)],
            check=True,
            env=bare_env,
            preexec_fn=close_stdin,  # as cron may start it: no stdin at all
            cwd="/",
        )

    def commits() -> int:
        return int(
            subprocess.run(
                ["git", "-C", str(site), "rev-list", "--count", "HEAD"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )

    nightly()
    article = (site / "explainer.md").read_bytes()
    database = (site / "db" / "claims.json").read_bytes()
    assert b"# Season 2" in article and b"Filming started in 2023" in article
    assert commits() == 1
    nightly()
    assert (site / "explainer.md").read_bytes() == article
    assert (site / "db" / "claims.json").read_bytes() == database
    assert commits() == 1


def test_the_nightly_recipe_leaves_unrelated_staged_changes_alone(tmp_path):
    site = tmp_path / "site"
    env = {"PATH": "/usr/bin:/bin", "AOUSDCTL": installed_command(), "AOUSDCTL_NOW": NOW}
    subprocess.run(["git", "init", "--quiet", str(site)], check=True)
    subprocess.run(
        [installed_command(), "--db", str(site / "db" / "claims.json"), "init"],
        check=True,
        env=env,
    )
    (site / "notes.txt").write_text("work in progress\n")
    git_output(site, "add", "notes.txt")
    claims = tmp_path / "claims.jsonl"
    claims.write_text('{"text": "Filming started in 2023"}\n')

    def nightly() -> None:
        subprocess.run(
            ["sh", str(NIGHTLY), str(site), str(claims)],
            check=True,
            env=env,
            stdin=subprocess.DEVNULL,
        )

    nightly()
    assert git_output(site, "show", "--name-only", "--format=", "HEAD").split() == [
        "db/claims.json",
        "explainer.md",
    ]
    assert git_output(site, "diff", "--cached", "--name-only").split() == ["notes.txt"]
    nightly()  # nothing new: no commit, and no failure because notes.txt is staged
    assert git_output(site, "rev-list", "--count", "HEAD").strip() == "1"
    assert git_output(site, "diff", "--cached", "--name-only").split() == ["notes.txt"]


@pytest.mark.slow
def test_build_example_reproduces_the_golden_article(tmp_path):
    (tmp_path / "db").mkdir()
    shutil.copy(ROOT / "db" / "build-example.sh", tmp_path / "db")
    bin_folder = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bin_folder}:{os.environ['PATH']}"}
    env.pop("AOUSDCTL_DB", None)
    subprocess.run(
        ["bash", str(tmp_path / "db" / "build-example.sh")],
        check=True,
        env=env,
        capture_output=True,
        timeout=600,
    )
    article = subprocess.run(
        [sys.executable, "-m", "aousdctl", "--db", str(tmp_path / "db" / "claims.json"), "export"],
        check=True,
        env={**env, "AOUSDCTL_NOW": GOLDEN_NOW},
        capture_output=True,
    ).stdout
    assert article == GOLDEN_ARTICLE.read_bytes()
