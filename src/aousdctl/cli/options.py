"""Options and arguments that several commands share, declared once."""

from enum import StrEnum
from typing import Annotated, Any, Literal

import typer

from aousdctl.cli import completion
from aousdctl.domain import dates
from aousdctl.errors import BadInput


def now() -> str:
    return dates.timestamp(dates.now())


# Options shared by several commands, declared once.
JsonFlag = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


QuietFlag = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the claim id.")]


SilentFlag = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing.")]


SourcesOption = Annotated[
    list[str] | None,
    typer.Option("--source", "-s", metavar="URL", help="An http(s) link to evidence; repeatable."),
]


ClaimId = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="The claim's id, a unique prefix of it (4+ characters) or its old number.",
        autocompletion=completion.complete_claim_ids,
    ),
]


SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="WHEN",
        help="Only since then: a date (YYYY[-MM[-DD]]), a UTC time, or an age (7d, 2w).",
    ),
]


ClaimIds = Annotated[
    list[str],
    typer.Argument(
        metavar="ID...",
        help="The claims' ids (or unique prefixes, or old numbers): one or several, changed "
        "together or not at all.",
        autocompletion=completion.complete_claim_ids,
    ),
]


# `--note` once meant three things; promote now says --remark, demote and debunk --why.
OldNoteOption = Annotated[str | None, typer.Option("--note", metavar="TEXT", hidden=True)]


def renamed(value: str | None, old_value: str | None, name: str) -> str | None:
    """An option's value given by its new name or by the old `--note` (not both)."""
    if value is not None and old_value is not None:
        raise BadInput(f"give {name} once (--note is its old name)")
    return value if value is not None else old_value


# Literal types become choices that --help lists and Typer checks (exit 2 when wrong). They
# spell out `history.Status`, so that starting the program doesn't import the domain's
# rules (tests/cli/test_conventions.py checks that they agree).
LadderStatus = Literal["rumor", "reported", "confirmed"]


class AnyStatus(StrEnum):
    """Any status, for an option given several times (Typer takes no list of a Literal)."""

    RUMOR = "rumor"
    REPORTED = "reported"
    CONFIRMED = "confirmed"
    DEBUNKED = "debunked"


def sources(urls: list[str] | None) -> list[Any]:
    from aousdctl.domain.claims import make_source

    return [make_source(url) for url in urls or []]


def check_output_flags(as_json: bool, quiet: bool) -> None:
    if as_json and quiet:
        raise BadInput("--json and --quiet can't be used together")


LeadId = Annotated[str, typer.Argument(metavar="LEAD", help="The lead's id (or a unique prefix).")]


TagsOption = Annotated[
    list[str] | None, typer.Option("--tag", metavar="TAG", help="A label; repeatable.")
]
ExpectedOption = Annotated[
    str | None,
    typer.Option(
        "--expected",
        metavar="WHEN",
        help="When it should happen: a date or window (2025-10, late 2025, Q4 2025, "
        "H2 2026, spring 2025, 2025-09/2025-12).",
    ),
]
