"""`--color never` and NO_COLOR mean no escape code at all on a real terminal (a
pseudo-terminal): no colour, and no bold or dim either."""

import pytest

from tests.support.terminal import BOX_DRAWING, on_terminal

ESCAPE = b"\x1b"


@pytest.fixture
def filled(db):
    """A database with claims in every status, a source with an outlet, and a topic."""
    confirmed = db.add("Netflix renewed the show", "--topic", "Renewal")
    db.ok("promote", confirmed, "--to", "confirmed", "-s", "https://www.netflix.com/tudum/a")
    db.add("Filming started in 2023", "--status", "reported", "-s", "https://example.com/f")
    db.add("Season 2 in October 2025", "--expected", "2025-10")
    false = db.add("Netflix cancelled Season 2")
    db.ok("debunk", false, "--why", "Netflix denied it")
    db.ok("topic", "set", "Renewal", "--heading", "Is it renewed?")
    return db.db_path


# The two Rich tables, styled status words, help, and an error line.
COMMANDS = [["list"], ["outlets"], ["review"], ["list", "--help"], ["show", "nosuchid"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_color_never_writes_no_escape_code_on_a_terminal(filled, command):
    output, _ = on_terminal(["--db", str(filled), "--color", "never", *command])
    assert output.strip()
    assert ESCAPE not in output, output


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_color_writes_no_escape_code_on_a_terminal(filled, command):
    output, _ = on_terminal(["--db", str(filled), *command], {"NO_COLOR": "1"})
    assert output.strip()
    assert ESCAPE not in output, output


def test_the_table_is_still_a_table_without_colour(filled):
    output, code = on_terminal(["--db", str(filled), "list", "--color", "never"])
    assert code == 0
    assert BOX_DRAWING & set(output.decode()) and b"Netflix renewed the show" in output


@pytest.mark.parametrize("command", [["list"], ["outlets"]])
def test_colour_on_a_terminal_does_write_escape_codes(filled, command):
    """The check above can fail: the same tables in colour carry escape codes."""
    assert ESCAPE in on_terminal(["--db", str(filled), *command])[0]
    always = on_terminal(["--db", str(filled), "--color", "always", *command], {"NO_COLOR": "1"})
    assert ESCAPE in always[0]
