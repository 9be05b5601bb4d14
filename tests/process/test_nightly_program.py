"""examples/nightly.sh finds `aousdctl` on PATH when AOUSDCTL is unset, and says plainly
when it can't find it (rather than blaming the feeds)."""

import os
import subprocess
from pathlib import Path

import pytest

from tests.support.paths import NIGHTLY
from tests.support.processes import installed_command


def program() -> Path:
    return Path(installed_command())


def repository(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    subprocess.run(["git", "init", "--quiet", str(site)], check=True)
    subprocess.run(
        [str(program()), "--db", str(site / "db" / "claims.json"), "init", "--title", "S2"],
        check=True,
        capture_output=True,
    )
    return site


def nightly(site: Path, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(NIGHTLY), str(site)],
        env={"AOUSDCTL_NOW": "2026-11-23T12:00:00Z", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "given, words",
    [
        (None, ["aousdctl not found on PATH", "set AOUSDCTL"]),
        ("no-such-program", ["no-such-program is not a program that can be run"]),
        ("plain-file", ["plain-file is not a program that can be run"]),
    ],
)
def test_without_the_program_it_says_so_and_changes_nothing(tmp_path, given, words):
    site = repository(tmp_path)
    (tmp_path / "plain-file").write_text("not a program\n")
    before = sorted(path.name for path in site.iterdir())
    setting = {} if given is None else {"AOUSDCTL": str(tmp_path / given)}
    result = nightly(site, {"PATH": "/usr/bin:/bin", **setting}, tmp_path)
    assert result.returncode == 127
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("nightly.sh: ")
    for word in words:
        assert word in result.stderr
    assert "fetch" not in result.stderr
    assert sorted(path.name for path in site.iterdir()) == before


@pytest.mark.slow  # git and several aousdctl processes
def test_with_aousdctl_unset_the_one_on_path_runs(tmp_path):
    site = repository(tmp_path)
    result = nightly(site, {"PATH": f"{program().parent}:/usr/bin:/bin"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (site / "explainer.md").read_text().startswith("# S2")


@pytest.mark.slow  # git and several aousdctl processes
def test_a_relative_aousdctl_is_found_from_the_folder_it_was_given_in(tmp_path):
    site = repository(tmp_path)
    relative = os.path.relpath(program(), tmp_path)
    result = nightly(site, {"PATH": "/usr/bin:/bin", "AOUSDCTL": relative}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (site / "explainer.md").exists()
