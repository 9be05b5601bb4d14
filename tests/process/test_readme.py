"""README can't drift: its ```bash blocks run, in order, as one script in an empty folder."""

import subprocess
from pathlib import Path

import pytest

from tests.support.processes import installed_command
from tests.support.readme import bash_blocks
from tests.support.runner import NOW


@pytest.mark.slow  # some fifty processes
def test_the_readme_walk_through_runs_in_an_empty_folder(tmp_path):
    """Run with `bash -e` (and pipefail), the installed program first on PATH, a fixed clock,
    no terminal, and HOME and TMPDIR inside the test's folder."""
    script = "set -euo pipefail\n" + "\n".join(bash_blocks())
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": f"{Path(installed_command()).parent}:/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": str(tmp_path),
        "AOUSDCTL_NOW": NOW,
        "LC_ALL": "C.UTF-8",
    }
    result = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert "Error:" not in result.stderr, result.stderr
