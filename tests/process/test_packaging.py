"""A package that installs anywhere: POSIX-only said clearly, a wheel that carries its template,
and an sdist that carries its tests."""

import os
import subprocess
import sys
import tarfile
import zipfile

import pytest

from tests.support.git import git_output
from tests.support.paths import ROOT
from tests.support.runner import NOW, assert_refused


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
    tracked = git_output(ROOT, "ls-files", "tests", "db", "examples", "docs", "benchmarks").split()
    assert set(tracked) <= names, set(tracked) - names
    assert {"LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml"} <= names


@pytest.mark.slow  # builds a wheel in a pip process
def test_the_default_template_ships_in_a_built_wheel(tmp_path):
    """A non-editable install must include the template, not only this source tree."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("aousdctl-*.whl"))
    assert "aousdctl/formats/templates/article.md.j2" in zipfile.ZipFile(wheel).namelist()
