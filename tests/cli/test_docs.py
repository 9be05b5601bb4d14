"""README can't drift: its ```bash blocks run, in order, as one script in an empty folder, and
every command and option of the program appears in it."""

import re
import subprocess
from pathlib import Path

import pytest

from tests.support import paths
from tests.support.paths import ROOT
from tests.support.processes import installed_command
from tests.support.runner import NOW

README = paths.README.read_text(encoding="utf-8")
# ```bash blocks are the walk-through and are run; ```sh, ```console and the rest are shown only.
BASH_BLOCK = re.compile(r"^```bash\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def bash_blocks() -> list[str]:
    return BASH_BLOCK.findall(README)


def test_readme_has_a_walk_through():
    assert len(bash_blocks()) >= 5


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


def test_the_walk_through_never_names_a_claim_by_a_guessed_id():
    for block in bash_blocks():
        for command in ("show", "promote", "demote", "debunk", "edit", "rm", "log", "source add"):
            assert not re.search(rf"aousdctl {command} \d", block), (command, block)


def test_the_walk_through_never_touches_the_shipped_database():
    script = "\n".join(bash_blocks())
    assert "db/claims.json" not in script.split("mktemp -d", 1)[0]
    assert script.lstrip().startswith('cd "$(mktemp -d)"')


def command_tree():
    """(command path, command) for the program and every command and group under it."""
    from typer.main import get_command

    from aousdctl.cli import app

    def walk(command, path):
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            if not sub.hidden:
                yield from walk(sub, (*path, name))

    yield from walk(get_command(app), ())


def mentioned(word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", README) is not None


def every_name():
    for path, command in command_tree():
        if path:
            yield " ".join(path)
        for parameter in command.params:
            if parameter.param_type_name == "option" and not getattr(parameter, "hidden", False):
                yield from getattr(parameter, "opts", [])
                yield from getattr(parameter, "secondary_opts", [])


@pytest.mark.parametrize("name", sorted(set(every_name())))
def test_every_command_and_option_appears_in_the_readme(name):
    assert mentioned(name), f"README never mentions {name!r}"


def test_every_environment_variable_the_code_reads_is_in_the_readme():
    read = set()
    for path in (ROOT / "src" / "aousdctl").rglob("*.py"):
        read |= set(re.findall(r'"((?:AOUSDCTL|NO|FORCE)_[A-Z_]+)"', path.read_text()))
    assert read >= {"AOUSDCTL_DB", "AOUSDCTL_NOW", "AOUSDCTL_LOCK_TIMEOUT", "AOUSDCTL_DEBUG"}
    for name in read | {"NO_COLOR", "FORCE_COLOR"}:
        assert f"`{name}`" in README, name


def test_readme_says_only_what_is_true_about_git():
    assert "merges well" not in README and "merge well" not in README
