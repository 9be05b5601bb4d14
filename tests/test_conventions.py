"""What people expect of a command-line tool: options after the command name, colour
conventions, shell completion, JSON in and out, clear option names and prompts."""

import json
import os
import pty
import re
import subprocess
import sys

import pytest

from conftest import NOW, assert_refused
from test_list_show import BOX_DRAWING, run_on_terminal
from test_processes import installed_command

SOURCE = "https://www.netflix.com/title/81237994"


def colour_codes(output: str) -> list[str]:
    """The SGR parameters that set a foreground or background colour (not bold or dim)."""
    found = []
    for parameters in re.findall(r"\x1b\[([0-9;]*)m", output):
        found += [p for p in parameters.split(";") if p and (30 <= int(p) <= 49 or int(p) >= 90)]
    return found


@pytest.fixture
def two(db, monkeypatch):
    """Two claims made a second apart, so that they list in this order; `two.ids` has them."""
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-23T11:59:59Z")
    first = db.add("Filming started in 2023", "--topic", "Production", "--source", SOURCE)
    monkeypatch.setenv("AOUSDCTL_NOW", NOW)
    db.ids = [first, db.add("Cheong-san returns as a hybrid", "--topic", "Cast")]
    return db


# --- JSON in and out -------------------------------------------------------------------


def test_import_reads_what_list_json_prints(two, tmp_path):
    from conftest import Cli

    listed = two.ok("list", "--json").stdout
    other = Cli(tmp_path / "other.json")
    other.ok("init")
    assert other.ok("import", "-", input=listed).stdout == "2 added, 0 updated, 0 unchanged\n"
    assert [c["text"] for c in other.json("list")] == [c["text"] for c in json.loads(listed)]
    assert other.ok("import", "-", input=listed).stdout == "0 added, 0 updated, 2 unchanged\n"


def test_a_bad_record_in_an_array_is_named_and_nothing_is_imported(db):
    result = db("import", "-", input='[{"text": "fine"}, {"text": ""}]')
    assert_refused(result, 2, "claim 2")
    assert db.json("list") == []


@pytest.mark.parametrize("flag", ["--jsonl", "--nl"])
def test_list_prints_json_lines_that_import_reads(two, flag):
    output = two.ok("list", flag).stdout
    lines = output.splitlines()
    assert [json.loads(line)["text"] for line in lines] == [
        "Filming started in 2023",
        "Cheong-san returns as a hybrid",
    ]
    assert two.ok("import", "-", input=output).stdout == "0 added, 0 updated, 2 unchanged\n"
    assert_refused(two("list", "--json", flag), 2, "--jsonl")


def test_json_lines_with_a_byte_order_mark_are_accepted(db, tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "first"}\n{"text": "second"}\n')
    assert db.ok("import", str(path)).stdout == "2 added, 0 updated, 0 unchanged\n"
    assert sorted(c["text"] for c in db.json("list")) == ["first", "second"]


SOURCE_KEYS = ["outlet", "published", "title", "url"]
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
                assert list(source) == SOURCE_KEYS


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


# --- Colour ------------------------------------------------------------------------------


def test_a_terminal_gets_a_coloured_table(two, db_path):
    output = run_on_terminal(["--db", str(db_path), "list"])
    assert BOX_DRAWING & set(output)
    assert colour_codes(output)


@pytest.mark.parametrize(
    "args, env",
    [
        ([], {"NO_COLOR": "1"}),
        (["--color", "never"], {}),
        (["--color", "never"], {"FORCE_COLOR": "1"}),
    ],
    ids=["NO_COLOR", "--color-never", "--color-never-beats-FORCE_COLOR"],
)
def test_no_colour_on_a_terminal_keeps_the_table(two, db_path, args, env):
    output = run_on_terminal(["--db", str(db_path), "list", *args], env)
    assert BOX_DRAWING & set(output)
    assert "Cheong-san returns as a hybrid" in output
    assert colour_codes(output) == []


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


# --- Completion --------------------------------------------------------------------------


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


# --- Option names, prompts, help -------------------------------------------------------


def test_promote_records_a_remark_and_keeps_the_old_note_spelling(two):
    first, second = two.ids
    claim = two.json("promote", second, "--remark", "Two outlets now say it")
    assert claim["history"][-1]["note"] == "Two outlets now say it"
    claim = two.json("promote", second, "--note", "Netflix said so", "--source", SOURCE)
    assert claim["history"][-1]["note"] == "Netflix said so"
    assert_refused(two("promote", first, "--remark", "a", "--note", "b"), 2, "--remark")


@pytest.mark.parametrize("command", ["demote", "debunk"])
def test_demote_and_debunk_take_why(two, command):
    first, second = two.ids
    two.ok("promote", first)
    claim = two.json(command, first, "--why", "The outlet retracted it")
    assert claim["history"][-1]["note"] == "The outlet retracted it"
    assert_refused(two(command, second), 2, "--why is required")


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
    assert usage("rm") == "rm [OPTIONS] ID"
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


def answer_rm_prompt(db_path, claim_id: str, answer: bytes) -> tuple[bytes, int]:
    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "aousdctl", "--db", str(db_path), "rm", claim_id],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        close_fds=True,
        env={**os.environ, "AOUSDCTL_NOW": NOW},
    )
    os.close(child_fd)
    output = b""
    while b"[y/N]" not in output:
        output += os.read(main_fd, 1024)
    os.write(main_fd, answer)
    while True:
        try:
            chunk = os.read(main_fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(main_fd)
    return output.replace(b"\r\n", b"\n"), process.wait(timeout=60)


def test_answering_no_at_the_rm_prompt_removes_nothing_and_succeeds(two, db_path):
    output, code = answer_rm_prompt(db_path, two.ids[1], b"n\n")
    assert code == 0
    shown = f"Claim {two.ids[1]}: Cheong-san returns as a hybrid\nRemove it? [y/N]"
    assert shown.encode() in output
    assert output.rstrip().endswith(b"Nothing removed.")
    assert b"Error" not in output
    assert len(two.json("list")) == 2


# --- What's new --------------------------------------------------------------------------


def test_whats_new_has_one_line_per_claim_for_the_period(db, monkeypatch):
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-09-01T00:00:00Z")
    climbed = db.add("climbed the ladder")
    back = db.add("went up and back down")
    early = db.add("added and promoted in the period")
    false = db.add("shown false")
    db.ok("promote", early)  # before the period
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-02T00:00:00Z")
    db.ok("promote", climbed)
    db.ok("promote", back)
    db.ok("debunk", false, "--why", "Netflix denied it")
    monkeypatch.setenv("AOUSDCTL_NOW", "2026-11-10T00:00:00Z")
    db.ok("promote", climbed, "--to", "confirmed", "--source", SOURCE)
    db.ok("demote", back, "--why", "Retracted")
    db.ok("edit", climbed, "--text", "Climbed the whole ladder")
    new = db.add("brand new", "--status", "reported", "--source", SOURCE)
    db.ok("promote", new)
    news = db.ok("export", "--changes-since", "2026-10").stdout
    news = news.split("## What's new")[1].split("\n## ")[0]
    assert [line for line in news.splitlines() if line.startswith("- ")] == [
        '- 10 November 2026: "brand new" (new, confirmed)',
        '- 10 November 2026: "Climbed the whole ladder" (now confirmed, was a rumor)',
        '- 2 November 2026: "shown false" (debunked, was a rumor)',
    ]  # claim 2 ends where it began; claim 3 moved before the period


def test_completion_descriptions_survive_backslashes_and_quotes(db, db_path):
    claim = db.add('Path C:\\ and it\'s "quoted"')
    ids = complete_zsh("aousdctl show ", db_path)
    line = next(line for line in ids.splitlines() if claim in line)
    assert '\\"' not in line  # no backslash left to escape the closing quote
    assert "/ and it\u2019s \u201dquoted\u201d" in line


def test_list_json_into_import_keeps_the_ids(two, tmp_path):
    from conftest import Cli

    other = Cli(tmp_path / "copy.json")
    other.ok("init")
    other.ok("import", "-", input=two.ok("list", "--json").stdout)
    assert {c["id"] for c in other.json("list")} == set(two.ids)


def test_a_note_over_several_lines_stays_one_log_line(two):
    first = two.ids[0]
    two.ok("promote", first, "--remark", "first line\nsecond line")
    lines = [line for line in two.ok("log", first).stdout.splitlines() if "promoted" in line]
    assert len(lines) == 1 and lines[0].endswith("first line / second line")


def test_the_inbox_takes_db_and_color_after_its_name(two, db_path):
    from typer.testing import CliRunner

    from aousdctl.cli import app

    listed = CliRunner().invoke(app, ["inbox", "--db", str(db_path), "--color", "never"])
    assert listed.exit_code == 0, listed.stderr
    assert "Inbox empty" in listed.stdout
