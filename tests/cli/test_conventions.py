"""What people expect of a command-line tool, whatever the command: one shape of JSON, options
after the command name, colour conventions, clear option names and help. (Completion and
prompts need a real process: tests/process/test_completion.py and test_terminal.py.)"""

import json
import re

import pytest

from tests.support.records import SOURCE_KEYS
from tests.support.runner import add_claim, assert_refused
from tests.support.terminal import BOX_DRAWING, colour_codes

SOURCE = "https://www.netflix.com/title/81237994"


# --- JSON out ----------------------------------------------------------------------------


CITED_KEYS = ["stance", "url"]
EVENT_KEYS = ["action", "at", "change", "clock", "from", "id", "note", "sources", "to"]


def test_sources_and_history_keys_come_in_one_order(two):
    claim_id = str(two.json("list")[0]["id"])
    printed = [
        two.json("add", "Season 2 is coming", "--source", SOURCE),
        two.json("promote", claim_id),
        two.json("show", claim_id),
        two.json("source", "add", claim_id, "https://example.com/a", "--title", "A"),
        *two.json("list"),
    ]
    for claim in printed:
        assert [list(source) for source in claim["sources"]] == [SOURCE_KEYS] * len(
            claim["sources"]
        )
        assert [list(event) for event in claim["history"]] == [EVENT_KEYS] * len(claim["history"])
        for event in claim["history"]:
            assert list(event["change"]) == sorted(event["change"])
            for source in event["change"].get("cited", []):
                assert list(source) == CITED_KEYS


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["show", "1"],
        ["log"],
        ["topic", "list"],
        ["config", "show"],
        ["doctor"],
        ["add", "y"],
        ["promote", "1"],
        ["edit", "1", "--tag", "t"],
        ["undo"],
        ["source", "add", "1", SOURCE],
        ["topic", "set", "General", "--order", "1"],
    ],
)
def test_every_command_that_prints_data_has_json(db, command):
    claim_id = add_claim(db, "x")
    if command[0] != "topic":
        command = [claim_id if arg == "1" else arg for arg in command]
    json.loads(db.ok(*command, "--json").stdout)


# --- Options after the command name ------------------------------------------------------


def test_db_works_after_the_command_name(tmp_path):
    from typer.testing import CliRunner

    from aousdctl.cli import app

    runner = CliRunner()
    path = str(tmp_path / "after.json")
    assert runner.invoke(app, ["init", "--db", path]).exit_code == 0
    added = runner.invoke(app, ["add", "hello", "--db", path, "-q"])
    assert added.exit_code == 0, added.stderr
    listed = runner.invoke(app, ["list", "--db", path, "--json"])
    assert [c["text"] for c in json.loads(listed.stdout)] == ["hello"]
    # Given after the command name, --db wins over AOUSDCTL_DB and over --db before it.
    elsewhere = str(tmp_path / "missing.json")
    result = runner.invoke(app, ["list", "--db", path], env={"AOUSDCTL_DB": elsewhere})
    assert result.exit_code == 0 and "hello" in result.stdout
    result = runner.invoke(app, ["--db", elsewhere, "list", "--db", path])
    assert result.exit_code == 0 and "hello" in result.stdout
    assert_refused(runner.invoke(app, ["list", "--db", " "]), 2, "--db")


def test_every_command_takes_db_after_its_name():
    from typer.main import get_command

    from aousdctl.cli import app

    def commands(group, path=()):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from commands(command, (*path, name))
            else:
                yield (*path, name), command

    for path, command in commands(get_command(app)):
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert {"--db", "--color"} <= options, path


def test_the_inbox_takes_db_and_color_after_its_name(two, db_path):
    from typer.testing import CliRunner

    from aousdctl.cli import app

    listed = CliRunner().invoke(app, ["inbox", "--db", str(db_path), "--color", "never"])
    assert listed.exit_code == 0, listed.stderr
    assert "Inbox empty" in listed.stdout


# --- Colour (on a terminal: tests/process/test_terminal.py) ------------------------------


@pytest.mark.parametrize(
    "args, env",
    [
        ([], {"FORCE_COLOR": "1"}),
        (["--color", "always"], {}),
        (["--color", "always"], {"NO_COLOR": "1"}),
    ],
    ids=["FORCE_COLOR", "--color-always", "--color-always-beats-NO_COLOR"],
)
def test_forced_colour_off_a_terminal_colours_the_plain_lines(two, args, env):
    output = two.ok("list", *args, env=env).stdout
    assert not BOX_DRAWING & set(output)
    assert colour_codes(output)
    assert re.sub(r"\x1b\[[0-9;]*m", "", output).splitlines()[1] == (
        f"{two.ids[1]}\trumor\tCast\tCheong-san returns as a hybrid"
    )


def test_off_a_terminal_there_is_no_colour_by_default(two):
    output = two.ok("list").stdout
    assert "\x1b[" not in output
    assert_refused(two("list", "--color", "sometimes"), 2, "--color")


# --- Option names and help ---------------------------------------------------------------


def test_help_names_each_meaning_and_the_old_spelling(db):
    promote = " ".join(db.ok("promote", "--help").stdout.split())
    assert "--remark TEXT" in promote and "--note works too: its old name" in promote
    for command in ("demote", "debunk"):
        text = " ".join(db.ok(command, "--help").stdout.split())
        assert "--why TEXT" in text and "--note works too" in text
        assert "--note TEXT" not in text  # the old spelling is hidden
    assert "--note TEXT" in db.ok("add", "--help").stdout


def test_usage_lines_show_bare_argument_names(db):
    def usage(*command: str) -> str:
        return db.ok(*command, "--help").stdout.splitlines()[0].split(" ", 2)[2]

    assert usage("add") == "add [OPTIONS] TEXT"
    assert usage("rm") == "rm [OPTIONS] ID..."
    assert usage("source", "add") == "source add [OPTIONS] ID URL"
    assert usage("config", "set") == "config set [OPTIONS] KEY VALUE"
    assert usage("log") == "log [OPTIONS] [ID]"


def test_help_names_every_environment_variable(db):
    text = db.ok("--help").stdout
    for name in (
        "AOUSDCTL_DB",
        "AOUSDCTL_NOW",
        "AOUSDCTL_LOCK_TIMEOUT",
        "AOUSDCTL_DEBUG",
        "NO_COLOR",
        "FORCE_COLOR",
    ):
        assert name in text, name


def test_help_fits_80_columns(db):
    for command in ([], ["add"], ["export"], ["import"], ["list"], ["topic", "set"]):
        result = db(*command, "--help", env={"COLUMNS": "200"})
        assert max(len(line) for line in result.stdout.splitlines()) <= 80, command


def test_the_status_choices_spell_out_the_domain_statuses():
    """cli/options.py spells the statuses out so that start-up doesn't import the domain."""
    from typing import get_args

    from aousdctl.cli import options
    from aousdctl.domain.history import LADDER, Status

    assert [status.value for status in options.AnyStatus] == [status.value for status in Status]
    assert list(get_args(options.LadderStatus)) == [status.value for status in LADDER]
