"""A package that installs anywhere: POSIX-only said clearly, Typer's private parts in one
place, the nightly recipe minding its own paths, and an sdist that carries its tests."""

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from conftest import NOW, assert_refused
from test_processes import installed_command

ROOT = Path(__file__).resolve().parent.parent


def test_without_fcntl_a_command_says_the_system_is_not_supported(db, db_path):
    """Simulates a system without POSIX file locks (as on Windows): `import fcntl` fails."""
    program = (
        "import sys; sys.modules['fcntl'] = None; "
        "from aousdctl.cli import main; sys.argv = ['aousdctl', *sys.argv[1:]]; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", program, "--db", str(db_path), "list"],
        capture_output=True,
        text=True,
        env={**os.environ, "AOUSDCTL_NOW": NOW},
    )
    assert_refused(result, 1, "POSIX", "fcntl")
    version = subprocess.run(
        [sys.executable, "-c", program, "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0 and version.stdout.startswith("aousdctl ")


def test_the_private_typer_names_used_are_still_there():
    """Fails first when a Typer upgrade moves what `aousdctl.typer_click` borrows."""
    import typer

    from aousdctl.cli import typer_click

    assert issubclass(typer.BadParameter, typer_click.ClickException)
    assert issubclass(typer_click.NoArgsIsHelpError, typer_click.ClickException)
    assert issubclass(typer.Context, typer_click.Context)
    typer_click.completion_init()
    from typer._click.shell_completion import get_completion_class

    assert get_completion_class("zsh") is not None


def test_only_typer_click_imports_typer_internals():
    for path in (ROOT / "src" / "aousdctl").rglob("*.py"):
        if path.name != "typer_click.py":
            assert "typer._" not in path.read_text(), path


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


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
    git(site, "add", "notes.txt")
    claims = tmp_path / "claims.jsonl"
    claims.write_text('{"text": "Filming started in 2023"}\n')

    def nightly() -> None:
        subprocess.run(
            ["sh", str(ROOT / "examples" / "nightly.sh"), str(site), str(claims)],
            check=True,
            env=env,
            stdin=subprocess.DEVNULL,
        )

    nightly()
    assert git(site, "show", "--name-only", "--format=", "HEAD").split() == [
        "db/claims.json",
        "explainer.md",
    ]
    assert git(site, "diff", "--cached", "--name-only").split() == ["notes.txt"]
    nightly()  # nothing new: no commit, and no failure because notes.txt is staged
    assert git(site, "rev-list", "--count", "HEAD").strip() == "1"
    assert git(site, "diff", "--cached", "--name-only").split() == ["notes.txt"]


def test_the_sdist_carries_what_its_tests_need(tmp_path):
    """.ci/run also installs the unpacked sdist and runs its tests; this checks the list."""
    if not (ROOT / ".git").exists():
        pytest.skip("needs the git checkout the sdist is built from")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (archive,) = tmp_path.glob("aousdctl-*.tar.gz")
    with tarfile.open(archive) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    tracked = git(ROOT, "ls-files", "tests", "db", "examples", "docs", "benchmarks").split()
    assert set(tracked) <= names, set(tracked) - names
    assert {"LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml"} <= names
