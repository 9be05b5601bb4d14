"""README can't drift: every command, option and environment variable of the program appears in
it, the article it quotes is real, and its walk-through (run by tests/process/test_readme.py)
names no guessed id and leaves the shipped database alone."""

import re

import pytest

from tests.support import paths
from tests.support.paths import GOLDEN_ARTICLE, ROOT
from tests.support.readme import bash_blocks

README = paths.README.read_text(encoding="utf-8")


def test_readme_has_a_walk_through():
    assert len(bash_blocks()) >= 5


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


def test_the_readme_excerpt_is_real_output():
    """Every line the README shows of the shipped article is in the golden article."""
    readme = paths.README.read_text(encoding="utf-8")
    excerpt = readme.split("```markdown\n")[1].split("```")[0]
    article = GOLDEN_ARTICLE.read_text(encoding="utf-8").splitlines()
    shown = [line for line in excerpt.splitlines() if line and not line.endswith("...")]
    assert shown and all(line in article for line in shown)
