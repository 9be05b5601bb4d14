"""What every command shares: `--db` and `--color` (accepted before or after the command
name), the database path and colour they decide, and whether a command's write is done."""

import os
import sys
from pathlib import Path
from typing import Any, TypeVar

import typer
from typer.core import TyperOption

from aousdctl.errors import BadInput

T = TypeVar("T")


DB_VARIABLE = "AOUSDCTL_DB"
DB_KEY = "aousdctl.db"
COLOR_KEY = "aousdctl.color"
COLOR_CHOICES = ("auto", "always", "never")


def shared_options(*, command_level: bool) -> list[Any]:
    """`--db` and `--color`, declared once for the whole program and for every command, so
    that `aousdctl --db x list` and `aousdctl list --db x` both work. AOUSDCTL_DB is read
    only before the command name, so that it never overrides a `--db` given there."""
    return [
        TyperOption(
            param_decls=["--db"],
            metavar="PATH",
            envvar=None if command_level else DB_VARIABLE,
            show_default=False if command_level else "db/claims.json",
            expose_value=False,
            callback=remember_database,
            help="The database file." if command_level else "The database file (env AOUSDCTL_DB).",
        ),
        TyperOption(
            param_decls=["--color"],
            metavar="WHEN",
            expose_value=False,
            callback=remember_color,
            autocompletion=lambda: list(COLOR_CHOICES),
            help="auto (colour on a terminal unless NO_COLOR is set; FORCE_COLOR forces it), "
            "always or never.",
        ),
    ]


def remember_database(context: typer.Context, _: Any, value: str | None) -> None:
    if value is None:
        return
    if not value.strip():
        raise BadInput("--db (or AOUSDCTL_DB) must not be empty")
    context.meta[DB_KEY] = Path(value)


def remember_color(context: typer.Context, _: Any, value: str | None) -> None:
    if value is None:
        return
    if value not in COLOR_CHOICES:
        raise typer.BadParameter(f"{value!r} is not one of auto, always, never")
    context.meta[COLOR_KEY] = value


# The database when neither --db nor AOUSDCTL_DB names one.
DEFAULT_PATH = Path("db") / "claims.json"


def database_path(context: typer.Context) -> Path:
    path = context.meta.get(DB_KEY)
    return path if isinstance(path, Path) else DEFAULT_PATH


def on_terminal() -> bool:
    """Tables for people at a terminal; plain lines for pipes, files and cron."""
    return sys.stdout.isatty()


def colour(context: typer.Context) -> bool:
    """`--color always|never`, else: NO_COLOR turns colour off, FORCE_COLOR on, and
    otherwise there is colour only on a terminal. Colour never changes the layout."""
    when = context.meta.get(COLOR_KEY, "auto")
    if when != "auto":
        return bool(when == "always")
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or on_terminal()


class Run:
    """What the running command has done so far, for the one place that reports failures:
    once its write is committed, nothing that happens after may call it a failure, nor
    hide one it already knows of (`outcome`: `fetch` with a feed that failed is 1)."""

    committed = False
    outcome = 0


def committed(result: T) -> T:
    """The result of a request that wrote the database: from here on, nothing that fails
    (printing, say) may call the command a failure."""
    Run.committed = True
    return result
