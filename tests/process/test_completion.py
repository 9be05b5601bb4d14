"""Shell completion as the shell asks for it: the installed program with the completion
variables set."""

import os
import subprocess

import pytest

from tests.support.processes import installed_command


@pytest.mark.parametrize("shell, marker", [("zsh", "#compdef aousdctl"), ("bash", "complete ")])
def test_show_completion_prints_the_named_shell(shell, marker):
    result = subprocess.run(
        [installed_command(), "--show-completion", shell], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout
    assert ("compdef" in result.stdout) == (shell == "zsh")


def complete_zsh(words: str, db_path) -> str:
    env = {
        **os.environ,
        "_AOUSDCTL_COMPLETE": "complete_zsh",
        "_TYPER_COMPLETE_ARGS": words,
        "AOUSDCTL_DB": str(db_path),
    }
    result = subprocess.run([installed_command()], env=env, capture_output=True, text=True)
    assert result.returncode == 0 and not result.stderr, result.stderr
    return result.stdout


def test_ids_and_topics_complete(two, db_path):
    ids = complete_zsh("aousdctl show ", db_path)
    assert f'"{two.ids[0]}":"Filming started in 2023"' in ids
    assert f'"{two.ids[1]}":"Cheong-san returns as a hybrid"' in ids
    assert complete_zsh("aousdctl list --topic Pro", db_path).split(":", 1)[1] == (
        """ :(("Production"))'\n"""
    )
    two.ok("topic", "set", "Release", "--order", "1")
    topics = complete_zsh(f"aousdctl list --db {db_path} --topic ", "elsewhere.json")
    assert '"Release"' in topics and '"Cast"' in topics


def test_completion_never_fails_on_a_missing_database(tmp_path):
    assert complete_zsh("aousdctl show ", tmp_path / "nowhere.json").strip() == "_files"


def test_completion_descriptions_survive_backslashes_and_quotes(db, db_path):
    claim = db.add('Path C:\\ and it\'s "quoted"')
    ids = complete_zsh("aousdctl show ", db_path)
    line = next(line for line in ids.splitlines() if claim in line)
    assert '\\"' not in line  # no backslash left to escape the closing quote
    assert "/ and it\u2019s \u201dquoted\u201d" in line


def test_shell_completion_completes_commands():
    env = {
        **os.environ,
        "_AOUSDCTL_COMPLETE": "complete_bash",
        "COMP_WORDS": "aousdctl pro",
        "COMP_CWORD": "1",
    }
    result = subprocess.run([installed_command()], env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["promote"]
