"""The `aousdctl` command line: parse options, call the core, render the result.

This is the only module that knows about exit codes, terminals and Rich. The rules live in
`claims`, `tracker` and `store`, which are imported inside the commands that use them so that
`--version` and `--help` start without loading the database machinery.
"""

import errno
import gc
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption
from typer.exceptions import Abort
from typer.models import CommandFunctionType

from aousdctl import __version__, clock
from aousdctl.claims import Claim, Status
from aousdctl.errors import AousdctlError, BadInput
from aousdctl.typer_click import ClickException, Context, NoArgsIsHelpError

if TYPE_CHECKING:
    from aousdctl.outlets import TrackRecord
    from aousdctl.store import Database
    from aousdctl.tracker import Outcome

DEBUG_VARIABLE = "AOUSDCTL_DEBUG"


class Command(TyperCommand):
    """Every command: the shared options, and usage lines that show `ID`, not `{ID}`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(_shared_options(command_level=True))

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        # Typer wraps required arguments in braces; Click's convention is the bare name.
        return [
            piece[1:-1] if piece.startswith("{") and piece.endswith("}") else piece
            for piece in super().collect_usage_pieces(ctx)
        ]


class RunnableGroup(TyperGroup):
    """A group that also runs on its own (`inbox`), and so takes the shared options too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(_shared_options(command_level=True))


class Tracker(typer.Typer):
    """A Typer app whose commands are all `Command`s, so each gets the shared options."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or Command, **kwargs)


class _Run:
    """What the running command has done so far, for the one place that reports failures:
    once its write is committed, nothing that happens after may call it a failure."""

    committed = False


class OutputFailed(Exception):
    """Standard output could not take what a command printed (closed, full, a closed pipe).

    Not an OSError: Click turns any EPIPE it sees into a silent exit 1."""

    def __init__(self, code: int | None, reason: str | None) -> None:
        super().__init__(reason)
        self.errno = code
        self.strerror = reason or "write error"


class CommandGroup(TyperGroup):
    """Turns every failure into one `Error: ...` line on stderr and its exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(_shared_options(command_level=False))
        self.params.extend(_completion_options())

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        # The shell after --show-completion / --install-completion is optional: given last
        # without one, they mean the current shell (Typer's options are flags or need a value).
        if args and args[-1] in ("--show-completion", "--install-completion"):
            args = [*args, ""]
        return super().parse_args(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> NoReturn:
        _Run.committed = False
        try:
            code = super().main(
                args=args,
                prog_name=prog_name or "aousdctl",
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
            if sys.stdout is not None:
                sys.stdout.flush()  # here, where a failure is reported, not at exit
        except OutputFailed as error:
            _output_lost(error)
        except NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except ClickException as error:
            _fail(error.format_message() + _help_hint(error), error.exit_code)
        except Abort:
            _unless_saved("interrupted")
            _fail("aborted; nothing was changed", 1)
        except AousdctlError as error:
            _unless_saved(str(error))
            _fail(str(error), error.exit_code)
        except Exception as error:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            _unless_saved(f"unexpected {type(error).__name__}: {error}")
            _fail(
                f"unexpected {type(error).__name__}: {error} (nothing was changed; "
                f"set {DEBUG_VARIABLE}=1 to see where)",
                1,
            )
        sys.exit(code if isinstance(code, int) else 0)


def _help_hint(error: ClickException) -> str:
    context = getattr(error, "ctx", None)
    return f" (see '{context.command_path} --help')" if context is not None else ""


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"Error: {' '.join(message.split())}", err=True)
    sys.exit(code)


def _unless_saved(reason: str) -> None:
    """A failure after the command's change was saved is not the command's failure: a
    retry would make the change twice. Say what happened, and exit 0."""
    if _Run.committed:
        typer.echo(f"Warning: the change was saved, but then: {' '.join(reason.split())}", err=True)
        sys.exit(0)


# The exit status of a program that a closed pipe's SIGPIPE ended, as shells report it.
_CLOSED_PIPE_EXIT = 128 + 13


def _output_lost(error: OutputFailed) -> NoReturn:
    """Standard output failed. A committed write still succeeded (exit 0: a retry would
    change the record twice); a closed pipe ends quietly, as other Unix tools do."""
    _StandardOutput.discard_all()  # so that flushing at exit can't fail again
    reason = error.strerror
    if _Run.committed:
        if error.errno not in (errno.EPIPE, errno.EBADF):  # those were closed on purpose
            typer.echo(f"Warning: the change was saved, but not printed: {reason}", err=True)
        sys.exit(0)
    if error.errno == errno.EPIPE:
        sys.exit(_CLOSED_PIPE_EXIT)
    _fail(f"can't print the output: {reason}; nothing was changed", 1)


class _StandardOutput(io.RawIOBase):
    """File descriptor 1, raising `OutputFailed` for whatever goes wrong writing to it, so
    that the error is told apart from a file's; `None` stands for a closed stdout."""

    discarding = False

    def __init__(self, descriptor: int | None) -> None:
        super().__init__()
        self._descriptor = descriptor

    @classmethod
    def discard_all(cls) -> None:
        cls.discarding = True

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._descriptor is not None and os.isatty(self._descriptor)

    def fileno(self) -> int:
        if self._descriptor is None:
            raise OSError(errno.EBADF, "standard output is closed")
        return self._descriptor

    def write(self, data: Any) -> int:
        if self.discarding:
            return len(memoryview(data).cast("B"))
        if self._descriptor is None:
            raise OutputFailed(errno.EBADF, "standard output is closed")
        try:
            return os.write(self._descriptor, data)
        except OSError as error:
            raise OutputFailed(error.errno, error.strerror) from None


HELP = """Track facts and speculation about an upcoming release.

Log each claim you hear with its sources, move it up the ladder
rumor -> reported -> confirmed as evidence arrives (or debunk it),
and keep the record scriptable for cron.

\b
Examples:
  aousdctl init --title "All of Us Are Dead Season 2"
  aousdctl add "Filming started in 2023" --topic Production --status reported
  aousdctl promote k3xq --to confirmed --source https://example.com/report
  aousdctl list --status confirmed --json
  aousdctl export --output explainer.md

The database is db/claims.json under the current folder unless --db or
AOUSDCTL_DB says otherwise; --db and --color may also follow the command
name. Exit codes: 0 done, 1 could not be done, 2 bad input.

\b
Environment:
  AOUSDCTL_DB            the database file, as --db
  AOUSDCTL_NOW           the current time, e.g. 2026-11-23T12:00:00Z
  AOUSDCTL_LOCK_TIMEOUT  seconds a write waits for another's lock (10)
  AOUSDCTL_DEBUG         show the traceback of an unexpected failure
  NO_COLOR               no colour (a table stays a table)
  FORCE_COLOR            colour even off a terminal
"""

app = Tracker(
    cls=CommandGroup,
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    # `--install-completion` and `--show-completion` are declared below, taking a shell name.
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
source_app = Tracker(help="Attach and describe the sources behind a claim.", no_args_is_help=True)
app.add_typer(source_app, name="source")
topic_app = Tracker(
    help="Give topics the reader's question as a heading, and a place in the article.",
    no_args_is_help=True,
)
app.add_typer(topic_app, name="topic")
config_app = Tracker(
    help="The article's title and intro, how outlets are graded, and review's stale-after age.",
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")

DB_VARIABLE = "AOUSDCTL_DB"
_DB_KEY = "aousdctl.db"
_COLOR_KEY = "aousdctl.color"
COLOR_CHOICES = ("auto", "always", "never")


def _shared_options(*, command_level: bool) -> list[Any]:
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
            callback=_remember_database,
            help="The database file." if command_level else "The database file (env AOUSDCTL_DB).",
        ),
        TyperOption(
            param_decls=["--color"],
            metavar="WHEN",
            expose_value=False,
            callback=_remember_color,
            autocompletion=lambda: list(COLOR_CHOICES),
            help="auto (colour on a terminal unless NO_COLOR is set; FORCE_COLOR forces it), "
            "always or never.",
        ),
    ]


def _remember_database(context: typer.Context, _: Any, value: str | None) -> None:
    if value is None:
        return
    if not value.strip():
        raise BadInput("--db (or AOUSDCTL_DB) must not be empty")
    context.meta[_DB_KEY] = Path(value)


def _remember_color(context: typer.Context, _: Any, value: str | None) -> None:
    if value is None:
        return
    if value not in COLOR_CHOICES:
        raise typer.BadParameter(f"{value!r} is not one of auto, always, never")
    context.meta[_COLOR_KEY] = value


def _completion_options() -> list[Any]:
    """`--install-completion [SHELL]` and `--show-completion [SHELL]`: the shell given, or
    the current one (Typer's own flags would ignore a shell name)."""
    from aousdctl.typer_click import completion_init

    completion_init()  # registers zsh, fish and PowerShell beside bash
    shells = "bash, zsh, fish or pwsh"
    return [
        TyperOption(
            param_decls=[name],
            metavar="[SHELL]",
            expose_value=False,
            is_eager=True,
            callback=callback,
            help=f"{what} completion for SHELL ({shells}; default: the current shell).",
        )
        for name, callback, what in (
            ("--install-completion", _install_completion, "Install"),
            ("--show-completion", _show_completion, "Print"),
        )
    ]


def _install_completion(context: typer.Context, parameter: Any, value: str | None) -> None:
    if value is not None and not context.resilient_parsing:
        from typer.completion import install_callback

        install_callback(context, parameter, _shell(value))


def _show_completion(context: typer.Context, parameter: Any, value: str | None) -> None:
    if value is not None and not context.resilient_parsing:
        from typer.completion import show_callback

        show_callback(context, parameter, _shell(value))


def _shell(value: str) -> str | bool:
    """A shell Typer can complete for, or True to detect the current one."""
    if not value:
        return True
    if value not in ("bash", "zsh", "fish", "powershell", "pwsh"):
        raise typer.BadParameter(f"{value!r} is not one of bash, zsh, fish, pwsh")
    return value


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"aousdctl {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """The options before the command name (see `_shared_options` for the others)."""


def _database_path(context: typer.Context) -> Path:
    from aousdctl.store import DEFAULT_PATH

    path = context.meta.get(_DB_KEY)
    return path if isinstance(path, Path) else DEFAULT_PATH


@contextmanager
def _reading(context: typer.Context) -> Iterator["Database"]:
    from aousdctl.store import open_database

    with open_database(_database_path(context)) as database:
        yield database


@contextmanager
def _writing(context: typer.Context) -> Iterator["Database"]:
    from aousdctl.store import open_database

    command = context.command_path.partition(" ")[2]
    with open_database(_database_path(context), write=True, command=command) as database:
        yield database
    _Run.committed = True


def _update(
    context: typer.Context, claim_id: str, change: Callable[[Claim], Claim | None]
) -> "Outcome":
    """Apply one of the rules in `claims` to a stored claim, as one locked write."""
    from aousdctl import tracker

    with _writing(context) as database:
        return tracker.update(database, claim_id, change)


def _now() -> str:
    return clock.timestamp(clock.now())


def _complete_claim_ids(context: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: the ids that start with what was typed, each with its text."""
    return [
        (str(claim["id"]), claim["text"].translate(_SHELL_SAFE))
        for claim in _claims_for_completion(context)
        if str(claim["id"]).startswith(incomplete)
    ]


# A claim's text as a completion's description: Typer's zsh script quotes it, and a
# backslash or quote in it would break (or silently shorten) the shell's list.
_SHELL_SAFE = str.maketrans({"\\": "/", '"': "\u201d", "'": "\u2019", "`": "\u2019"})


def _complete_topics(context: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the topics of claims (and of topic settings) that start so."""
    names = {claim["topic"] for claim in _claims_for_completion(context)}
    with suppress(Exception), _reading(context) as database:
        names.update(topic["name"] for topic in database.topics())
    wanted = incomplete.casefold()
    return sorted(name for name in names if name.casefold().startswith(wanted))


def _claims_for_completion(context: typer.Context) -> list[Claim]:
    """Every claim, or none when the database can't be read: completion never fails."""
    try:
        with _reading(context) as database:
            return database.claims()
    except Exception:
        return []


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
        autocompletion=_complete_claim_ids,
    ),
]
# `--note` once meant three things; promote now says --remark, demote and debunk --why.
OldNoteOption = Annotated[str | None, typer.Option("--note", metavar="TEXT", hidden=True)]


def _renamed(value: str | None, old_value: str | None, name: str) -> str | None:
    """An option's value given by its new name or by the old `--note` (not both)."""
    if value is not None and old_value is not None:
        raise BadInput(f"give {name} once (--note is its old name)")
    return value if value is not None else old_value


# Literal types become choices that --help lists and Typer checks (exit 2 when wrong).
LadderStatus = Literal["rumor", "reported", "confirmed"]


def _sources(urls: list[str] | None) -> list[Any]:
    from aousdctl.claims import make_source

    return [make_source(url) for url in urls or []]


def _print_json(data: Any) -> None:
    """JSON on stdout, written as bytes: as text, Click would first scan all of it for
    terminal escapes, which stored text can't contain (control characters are refused)."""
    typer.echo(_json_bytes(data), nl=False)


def _print_json_lines(items: Iterable[Any]) -> None:
    import orjson

    typer.echo(b"".join(orjson.dumps(item) + b"\n" for item in items), nl=False)


def _report(claim: Claim, message: str, as_json: bool, quiet: bool) -> None:
    """What a write prints: the claim as JSON, only its id, or a sentence."""
    if as_json:
        from aousdctl.claims import in_stored_order

        _print_json(in_stored_order(claim))
    elif quiet:
        typer.echo(str(claim["id"]))
    else:
        typer.echo(message)


def _check_output_flags(as_json: bool, quiet: bool) -> None:
    if as_json and quiet:
        raise BadInput("--json and --quiet can't be used together")


def _on_terminal() -> bool:
    """Tables for people at a terminal; plain lines for pipes, files and cron."""
    return sys.stdout.isatty()


def _colour(context: typer.Context) -> bool:
    """`--color always|never`, else: NO_COLOR turns colour off, FORCE_COLOR on, and
    otherwise there is colour only on a terminal. Colour never changes the layout."""
    when = context.meta.get(_COLOR_KEY, "auto")
    if when != "auto":
        return bool(when == "always")
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or _on_terminal()


@app.command()
def init(
    context: typer.Context,
    title: Annotated[
        str | None,
        typer.Option("--title", metavar="TEXT", help="The tracker's title (and its article's)."),
    ] = None,
    quiet: SilentFlag = False,
) -> None:
    """Create a new, empty database (and its folder)."""
    from aousdctl.claims import clean_line
    from aousdctl.store import create_database

    path = _database_path(context)
    create_database(path, clean_line(title, "title") if title is not None else None)
    _Run.committed = True
    if not quiet:
        typer.echo(f"Created {path}")


@app.command()
def add(
    context: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The claim, as one sentence.")],
    status: Annotated[LadderStatus, typer.Option("--status", help="Where it starts.")] = "rumor",
    topic: Annotated[
        str,
        typer.Option(
            "--topic",
            metavar="TOPIC",
            autocompletion=_complete_topics,
            help="The question it answers.",
        ),
    ] = "General",
    source: SourcesOption = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", metavar="TAG", help="A label; repeatable.")
    ] = None,
    expected: Annotated[
        str | None,
        typer.Option("--expected", metavar="DATE", help="When it should happen: YYYY[-MM[-DD]]."),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="Context for readers.")
    ] = None,
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Log a claim. The same text in the same topic is not added twice: new sources and tags
    are attached to the existing claim instead, so re-running a script is harmless."""
    from aousdctl import tracker

    _check_output_flags(as_json, quiet)
    with _writing(context) as database:
        outcome = tracker.add(
            database,
            text,
            at=_now(),
            status=Status(status),
            topic=topic,
            tags=tag or [],
            sources=_sources(source),
            expected=expected,
            note=note,
        )
    _report(outcome.claim, _add_message(outcome), as_json, quiet)


def _add_message(outcome: "Outcome") -> str:
    claim = outcome.claim
    if outcome.result == "added":
        return f"Added claim {claim['id']} ({claim['status']})"
    if outcome.result == "unchanged":
        return f"Claim {claim['id']} already says this; nothing new to add"
    attached = [
        _count(outcome.added_sources, "source"),
        _count(outcome.added_tags, "tag"),
    ]
    return f"Claim {claim['id']} already says this; attached " + " and ".join(
        part for part in attached if part
    )


def _count(number: int, noun: str) -> str:
    if number == 0:
        return ""
    return f"{number} new {noun}" + ("" if number == 1 else "s")


@app.command("list")
def list_claims(
    context: typer.Context,
    status: Annotated[
        list[Status] | None,
        typer.Option("--status", help="Only these; repeatable."),
    ] = None,
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic", metavar="TOPIC", autocompletion=_complete_topics, help="Only this topic."
        ),
    ] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", metavar="TAG", help="Only claims with this tag.")
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", metavar="TEXT", help="Only claims whose text or note contains this."
        ),
    ] = None,
    overdue: Annotated[
        bool,
        typer.Option("--overdue", help="Only rumors and reports whose expected date has passed."),
    ] = False,
    outlet: Annotated[
        str | None,
        typer.Option(
            "--outlet", metavar="NAME", help="Only claims with a source from this outlet."
        ),
    ] = None,
    as_json: JsonFlag = False,
    as_json_lines: Annotated[
        bool,
        typer.Option(
            "--jsonl", "--nl", help="Print one claim per line as JSON Lines (`import` reads it)."
        ),
    ] = False,
) -> None:
    """List claims, oldest first. Plain tab-separated lines when not on a terminal."""
    from aousdctl.filters import claim_filter

    if as_json and as_json_lines:
        raise BadInput("--json and --jsonl can't be used together")

    wanted = claim_filter(
        statuses=status or [],
        topic=topic,
        tag=tag,
        search=search,
        overdue_at=clock.now() if overdue else None,
        outlet=outlet,
    )
    with _reading(context) as database:
        found = database.claims(where=wanted)
    if as_json:
        _print_json(found)
    elif as_json_lines:
        _print_json_lines(found)
    elif not _on_terminal():
        colour = _colour(context)
        for claim in found:
            shown = _styled(claim["status"]) if colour else claim["status"]
            typer.echo(f"{claim['id']}\t{shown}\t{claim['topic']}\t{claim['text']}", color=colour)
    else:
        _print_table(found, colour=_colour(context))


_STATUS_STYLES = {
    "confirmed": "bold green",
    "reported": "yellow",
    "rumor": "magenta",
    "debunked": "dim strike",
}


_STATUS_COLOURS: dict[str, dict[str, Any]] = {
    "confirmed": {"fg": "green", "bold": True},
    "reported": {"fg": "yellow"},
    "rumor": {"fg": "magenta"},
    "debunked": {"dim": True},
}


def _styled(status: str) -> str:
    return typer.style(status, **_STATUS_COLOURS[status])


def _print_table(found: list[Claim], *, colour: bool) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, header_style="bold")
    for name, options in (
        ("ID", {"no_wrap": True}),
        ("Status", {}),
        ("Topic", {}),
        ("Claim", {"overflow": "fold", "ratio": 1}),
        ("Sources", {"justify": "right"}),
        ("Expected", {}),
    ):
        table.add_column(name, **options)
    for claim in found:
        table.add_row(
            str(claim["id"]),
            Text(claim["status"], style=_STATUS_STYLES[claim["status"]]),
            Text(claim["topic"]),
            Text(claim["text"]),
            str(len(claim["sources"])),
            Text(claim["expected"] or ""),
        )
    Console(highlight=False, no_color=not colour, force_terminal=True).print(table)


@app.command()
def show(context: typer.Context, claim_id: ClaimId, as_json: JsonFlag = False) -> None:
    """Show one claim with its sources (and each outlet's grade) and history."""
    with _reading(context) as database:
        claim = database.claim(claim_id)
        grades = None if as_json else _outlet_grades(database, claim)
    if as_json:
        _print_json(claim)
    else:
        typer.echo("\n".join(_claim_lines(claim, grades)))


def _claim_lines(claim: Claim, grades: dict[str, str] | None = None) -> list[str]:
    lines = [
        f"Claim {claim['id']} ({claim['status']})",
        f"  Text:     {claim['text']}",
        f"  Topic:    {claim['topic']}",
    ]
    if claim["tags"]:
        lines.append(f"  Tags:     {', '.join(claim['tags'])}")
    if claim["expected"]:
        lines.append(f"  Expected: {claim['expected']}")
    if claim["note"]:
        lines.append(f"  Note:     {claim['note']}")
    lines.append(f"  Created:  {claim['created']}   Updated: {claim['updated']}")
    lines.append("Sources:" if claim["sources"] else "Sources: none")
    for number, source in enumerate(claim["sources"], start=1):
        described = " - ".join(
            part for part in (source["outlet"], source["title"], source["published"]) if part
        )
        if grades is not None:
            described += f"  ({_outlet_grade(source['outlet'], grades)})"
        lines.append(f"  [{number}] {described}\n      {source['url']}")
    lines.append("History:")
    lines.extend(f"  {_event_line(event)}" for event in claim["history"])
    return lines


def _event_line(event: Any) -> str:
    if event["from"] and event["to"]:
        move = f" {event['from']} -> {event['to']}"
    else:
        move = f" as {event['to']}" if event["to"] else ""
    # A note may span lines; the log and the history keep one event a line.
    note = f": {' / '.join(event['note'].splitlines())}" if event["note"] else ""
    sources = f" [{', '.join(event['sources'])}]" if event["sources"] else ""
    return f"{event['at']}  {event['action']}{move}{note}{sources}"


@app.command()
def promote(
    context: typer.Context,
    claim_id: ClaimId,
    to: Annotated[
        LadderStatus | None,
        typer.Option("--to", help="Skip straight to this."),
    ] = None,
    source: SourcesOption = None,
    remark: Annotated[
        str | None,
        typer.Option(
            "--remark",
            metavar="TEXT",
            help="What the new evidence is, kept in the history (--note works too: its old name).",
        ),
    ] = None,
    old_note: OldNoteOption = None,
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Move a claim one step up the ladder (or straight --to a status).
    Confirming needs at least one source, given now or before."""
    from aousdctl import claims

    _check_output_flags(as_json, quiet)
    note = _renamed(remark, old_note, "--remark")
    target = Status(to) if to else None
    new_sources = _sources(source)
    outcome = _update(
        context,
        claim_id,
        lambda claim: claims.promote(claim, at=_now(), to=target, sources=new_sources, note=note),
    )
    message = f"Promoted claim {outcome.claim['id']}: {outcome.before} -> {outcome.claim['status']}"
    _report(outcome.claim, message, as_json, quiet)


@app.command()
def demote(
    context: typer.Context,
    claim_id: ClaimId,
    why: Annotated[
        str | None,
        typer.Option(
            "--why",
            metavar="TEXT",
            help="Why it moves down (required; --note works too: its old name).",
        ),
    ] = None,
    old_note: OldNoteOption = None,
    to: Annotated[
        Literal["rumor", "reported"] | None,
        typer.Option("--to", help="Go down to this."),
    ] = None,
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Move a claim one step down the ladder (or --to a status), saying why."""
    from aousdctl import claims

    _check_output_flags(as_json, quiet)
    reason = claims.required_note(_renamed(why, old_note, "--why"), "say why the claim moves down")
    target = Status(to) if to else None
    outcome = _update(
        context, claim_id, lambda claim: claims.demote(claim, at=_now(), note=reason, to=target)
    )
    message = f"Demoted claim {outcome.claim['id']}: {outcome.before} -> {outcome.claim['status']}"
    _report(outcome.claim, message, as_json, quiet)


@app.command()
def debunk(
    context: typer.Context,
    claim_id: ClaimId,
    why: Annotated[
        str | None,
        typer.Option(
            "--why",
            metavar="TEXT",
            help="Why it is false (required; --note works too: its old name).",
        ),
    ] = None,
    old_note: OldNoteOption = None,
    source: SourcesOption = None,
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Mark a claim false. It is kept with the reason, so adding it again is refused."""
    from aousdctl import claims

    _check_output_flags(as_json, quiet)
    reason = claims.required_note(_renamed(why, old_note, "--why"), "say why the claim is false")
    new_sources = _sources(source)
    outcome = _update(
        context,
        claim_id,
        lambda claim: claims.debunk(claim, at=_now(), note=reason, sources=new_sources),
    )
    message = f"Debunked claim {outcome.claim['id']} (was {outcome.before})"
    _report(outcome.claim, message, as_json, quiet)


@app.command()
def edit(
    context: typer.Context,
    claim_id: ClaimId,
    text: Annotated[str | None, typer.Option("--text", metavar="TEXT", help="New wording.")] = None,
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic", metavar="TOPIC", autocompletion=_complete_topics, help="Move to this topic."
        ),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", metavar="TAG", help="Add a tag; repeatable.")
    ] = None,
    untag: Annotated[
        list[str] | None, typer.Option("--untag", metavar="TAG", help="Remove a tag; repeatable.")
    ] = None,
    expected: Annotated[
        str | None,
        typer.Option("--expected", metavar="DATE", help='YYYY[-MM[-DD]]; "" clears it.'),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help='The note; "" clears it.')
    ] = None,
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Change a claim's wording, topic, tags, expected date or note.
    The history keeps what it said before."""
    from aousdctl import claims

    _check_output_flags(as_json, quiet)
    if (
        text is None
        and topic is None
        and not tag
        and not untag
        and expected is None
        and note is None
    ):
        raise BadInput(
            "nothing to change: give --text, --topic, --tag, --untag, --expected or --note"
        )
    outcome = _update(
        context,
        claim_id,
        lambda claim: claims.edit(
            claim,
            at=_now(),
            text=text,
            topic=topic,
            add_tags=tag or [],
            remove_tags=untag or [],
            expected=expected,
            note=note,
        ),
    )
    message = (
        f"Edited claim {outcome.claim['id']}"
        if outcome.result == "updated"
        else f"Claim {outcome.claim['id']} already reads that way; nothing changed"
    )
    _report(outcome.claim, message, as_json, quiet)


@source_app.command("add")
def source_add(
    context: typer.Context,
    claim_id: ClaimId,
    url: Annotated[str, typer.Argument(metavar="URL", help="An http(s) link to the evidence.")],
    outlet: Annotated[
        str | None,
        typer.Option("--outlet", metavar="NAME", help="Who published it (default: the site)."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The headline.")
    ] = None,
    published: Annotated[
        str | None, typer.Option("--published", metavar="DATE", help="YYYY[-MM[-DD]].")
    ] = None,
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Attach a source to a claim, or update the outlet, title or date of one it has."""
    from aousdctl import claims

    _check_output_flags(as_json, quiet)
    source = claims.make_source(url, outlet=outlet, title=title, published=published)
    given = [
        name
        for name, value in (("outlet", outlet), ("title", title), ("published", published))
        if value is not None
    ]
    outcome = _update(
        context, claim_id, lambda claim: claims.add_source(claim, source, at=_now(), explicit=given)
    )
    message = (
        f"Claim {outcome.claim['id']} now cites {source['outlet']}"
        if outcome.result == "updated"
        else f"Claim {outcome.claim['id']} already cites this source; nothing changed"
    )
    _report(outcome.claim, message, as_json, quiet)


@app.command("rm")
def remove(
    context: typer.Context,
    claim_id: ClaimId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Don't ask.")] = False,
    quiet: SilentFlag = False,
) -> None:
    """Remove a claim from every list (it stays in the log; its id is never reused).
    Asks first on a terminal; elsewhere needs --yes. To mark a claim false, use debunk."""
    from aousdctl import tracker

    if not yes:
        if sys.stdin is None or not sys.stdin.isatty():
            raise BadInput("rm needs --yes when not run from a terminal; nothing was removed")
        with _reading(context) as database:
            shown = database.claim(claim_id)
        typer.echo(f"Claim {shown['id']}: {shown['text']}")
        if not typer.confirm("Remove it?"):
            if not quiet:
                typer.echo("Nothing removed.")
            return
        claim_id = shown["id"]  # exactly the claim shown, whatever was added meanwhile
    with _writing(context) as database:
        removed = tracker.remove(database, claim_id, at=_now())
    if not quiet:
        typer.echo(f"Removed claim {removed['id']}")


@app.command()
def log(
    context: typer.Context,
    claim_id: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help="Only this claim (id, prefix or old number)."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Status changes and edits, newest first, removed claims included."""
    from aousdctl import tracker

    with _reading(context) as database:
        entries = tracker.log(database, claim_id)
    if as_json:
        _print_json(entries)
        return
    for entry in entries:
        undone = f" (undone {entry['undone']})" if entry["undone"] else ""
        typer.echo(f"#{entry['claim']}  {_event_line(entry)}{undone}")


@app.command()
def export(
    context: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here (atomically), not stdout."),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if --output FILE would change."),
    ] = False,
    output_format: Annotated[
        Literal["markdown", "json"],
        typer.Option("--format", help="The article, or the whole database as JSON."),
    ] = "markdown",
    template: Annotated[
        Path | None,
        typer.Option("--template", metavar="FILE", help="A Jinja2 template for the article."),
    ] = None,
    changes_since: Annotated[
        str | None,
        typer.Option(
            "--changes-since",
            metavar="DATE",
            help="What's new since this date (default: 30 days up to the last change).",
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="With --output, print nothing.")
    ] = False,
) -> None:
    """Write the explainer article (Markdown), or the whole database as JSON.

    The article depends only on the database (and on AOUSDCTL_NOW or today, for overdue
    predictions): exporting an unchanged database gives the same bytes, and with --output
    an unchanged file is left alone."""
    from aousdctl import article, interchange

    if output is not None and str(output) == "-":
        output = None  # `-o -` is stdout, as `import -` is stdin
    if check and output is None:
        raise BadInput("--check needs --output FILE to compare with")
    if output_format == "json" and (template is not None or changes_since is not None):
        raise BadInput("--template and --changes-since apply to the markdown format")
    template_text = _template_text(template) if template else None
    content: Iterable[bytes]
    if output_format == "json":
        with _reading(context) as database:
            content = [_json_bytes(interchange.export_document(database))]
    else:
        data = _article_data(context, changes_since, with_outlets=template is not None)
        content = article.render(data, template_text)
    if output is None:
        for piece in content:
            typer.echo(piece, nl=False)
        return
    _write_output(_database_path(context), output, content, check, quiet)


def _template_text(path: Path) -> str:
    content = _read_input_file(path)
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise BadInput(f"the template failed (line {line}): {path} is not UTF-8 text") from None


def _article_data(
    context: typer.Context, changes_since: str | None, *, with_outlets: bool = False
) -> dict[str, Any]:
    """The article's data, with the database closed (its memory free for the rendering)."""
    from aousdctl import article

    with _reading(context) as database:
        return article.build(database, clock.now(), changes_since, with_outlets=with_outlets)


def _write_output(
    database: Path, output: Path, content: Iterable[bytes], check: bool, quiet: bool
) -> None:
    """Replace `output` atomically (through a symlink), only when its content changes (so
    its mtime means something); with `check`, only say whether it would change (exit 1 if
    so). Never the database's own files, and never a FIFO, device or folder."""
    from aousdctl.durable import (
        folder_for_writing,
        holds,
        locked,
        replaceable_target,
        write_if_changed,
    )

    target = replaceable_target(output, protected=database)
    if check:
        changed = not holds(target, content)
        message = f"{output} would change" if changed else f"{output} unchanged"
    else:
        # Locked, like the database: two exports of one file take turns, and the next one
        # removes the temporary file a killed one left.
        with (
            folder_for_writing(target.parent),
            locked(target, lock_name=f".{target.name}.lock"),
        ):
            changed = write_if_changed(target, content)
        _Run.committed = True
        message = f"Wrote {output}" if changed else f"{output} unchanged"
    if not quiet:
        typer.echo(message)
    if changed and check:
        raise typer.Exit(1)


def _read_input_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise BadInput(f"can't read {path}: {error.strerror}") from None


def _json_bytes(data: Any) -> bytes:
    """Indented JSON with a final newline; fields keep their documented order."""
    import orjson

    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


@app.command("import")
def import_claims(
    context: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="An export document, a JSON array of claims or JSON Lines; - for stdin.",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    quiet: SilentFlag = False,
) -> None:
    """Import claims: an `export --format json` document, a JSON array of claims (as
    `list --json` prints), or JSON Lines with one claim object per line (`list --jsonl`).
    Claims are matched like `add`, so re-importing changes nothing.
    All or nothing: one bad record refuses the whole file (exit 2)."""
    from aousdctl import interchange, tracker

    _check_output_flags(as_json, quiet)
    content = _standard_input() if file == "-" else _read_input_file(Path(file))
    at = _now()
    parsed = interchange.parse(content, at)
    with _writing(context) as database:
        summary = tracker.import_parsed(database, parsed, at=at)
    if as_json:
        _print_json(summary.as_dict())
    elif not quiet:
        typer.echo(
            f"{summary.added} added, {summary.updated} updated, {summary.unchanged} unchanged"
        )


def _standard_input() -> bytes:
    if sys.stdin is None:
        raise BadInput("standard input is closed: give a FILE, or pipe the claims in")
    try:
        return sys.stdin.buffer.read()
    except OSError as error:
        raise BadInput(f"can't read standard input: {error.strerror}") from None


@topic_app.command("set")
def topic_set(
    context: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="TOPIC", help="The topic, as claims name it.", autocompletion=_complete_topics
        ),
    ],
    heading: Annotated[
        str | None,
        typer.Option("--heading", metavar="TEXT", help='The reader\'s question; "" clears it.'),
    ] = None,
    order: Annotated[
        int | None,
        typer.Option("--order", metavar="N", help="Its place; topics without one follow A-Z."),
    ] = None,
    intro: Annotated[
        str | None,
        typer.Option(
            "--intro", metavar="TEXT", help='A paragraph under the heading; "" clears it.'
        ),
    ] = None,
    as_json: JsonFlag = False,
    quiet: SilentFlag = False,
) -> None:
    """Set how a topic appears in the article."""
    from aousdctl import tracker

    if heading is None and order is None and intro is None:
        raise BadInput("nothing to set: give --heading, --order or --intro")
    with _writing(context) as database:
        settings, changed = tracker.set_topic(
            database, name, heading=heading, order=order, intro=intro
        )
    if as_json:
        _print_json(settings)
    elif not quiet:
        typer.echo(f"Topic {settings['name']} {'updated' if changed else 'unchanged'}")


@topic_app.command("list")
def topic_list(context: typer.Context, as_json: JsonFlag = False) -> None:
    """Topics in article order, with their settings and number of claims."""
    from aousdctl import topics

    with _reading(context) as database:
        ordered = topics.with_claim_counts(
            [record["topic"] for _, record in database.stored_claims()], database.topics()
        )
    if as_json:
        _print_json(ordered)
        return
    for topic in ordered:
        order = "-" if topic["order"] is None else str(topic["order"])
        typer.echo(f"{order}\t{topic['name']}\t{topic['heading'] or ''}\t{topic['claims']}")


ConfigKey = Literal["title", "intro", "outlet-min-settled", "article.track-record", "stale-after"]


@config_app.command("set")
def config_set(
    context: typer.Context,
    key: Annotated[
        ConfigKey,
        typer.Argument(
            metavar="KEY",
            help="title, intro, outlet-min-settled, article.track-record or stale-after.",
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help='The text ("" clears a title, intro or stale-after), a whole number, on/off, '
            "or an age like 90d or 12w.",
        ),
    ],
    quiet: SilentFlag = False,
) -> None:
    """Set the article's title or intro paragraph, the settled claims an outlet needs
    before it is graded (outlet-min-settled, default 5), whether the article ends with
    the outlets' track records (article.track-record on/off, default off), or how long an
    open claim may go unchanged before `review` lists it (stale-after: 90d, 12w; default
    90d)."""
    from aousdctl import tracker

    with _writing(context) as database:
        changed = tracker.set_setting(database, key, value)
    if not quiet:
        typer.echo(f"{key} {'set' if changed else 'unchanged'}")


@config_app.command("show")
def config_show(context: typer.Context, as_json: JsonFlag = False) -> None:
    """Show every setting, defaults included."""
    from aousdctl import config

    with _reading(context) as database:
        settings = config.effective(database.setting)
    if as_json:
        _print_json(settings)
        return
    for key, value in settings.items():
        typer.echo(f"{key}\t{config.shown(value)}")


@app.command()
def undo(
    context: typer.Context,
    as_json: JsonFlag = False,
    quiet: SilentFlag = False,
) -> None:
    """Revert the latest change (a whole import counts as one); again to go further back.
    The reverted change stays visible in `log`."""
    from aousdctl import tracker

    _check_output_flags(as_json, quiet)
    with _writing(context) as database:
        reverted = tracker.undo(database)
    if as_json:
        _print_json(reverted)
    elif not quiet:
        ids = reverted["claims"]
        about = f" (claim {ids[0]})" if len(ids) == 1 else f" ({len(ids)} claims)" if ids else ""
        typer.echo(f"Undid `{reverted['command']}` of {reverted['at']}{about}")


@app.command()
def doctor(context: typer.Context, as_json: JsonFlag = False) -> None:
    """Check the database without changing it; exit 1 if anything is wrong.

    Checks that the file parses, its schema version is known, ids are well-formed and
    unique, old numbers and topic settings are filed right, statuses,
    dates and sources are valid, each history matches its claim's status, and every
    confirmed claim has a source. Claims a merge of two clones flagged for a person are
    listed as notices (they don't make it fail)."""
    from aousdctl import doctor as checks
    from aousdctl.store import require_database

    path = _database_path(context)
    require_database(path)
    count, problems, notices = checks.examine(path)
    if as_json:
        _print_json({"ok": not problems, "claims": count, "problems": problems, "notices": notices})
    else:
        for problem in problems + notices:
            where = f"claim {problem['claim']}: " if problem["claim"] is not None else ""
            notice = "notice: " if problem in notices else ""
            typer.echo(f"{where}{notice}{problem['problem']}")
        if not problems:
            typer.echo(f"{path}: no problems in {count} claims")
    if problems:
        raise typer.Exit(1)


# Sharing the record through git ---------------------------------------------------------------


@app.command("git-setup")
def git_setup(context: typer.Context, quiet: SilentFlag = False) -> None:
    """Let git merge the database claim by claim: adds a line to the repository's
    .gitattributes (commit it) and registers the merge driver in this clone's git config
    (run it once in every clone). Running it again changes nothing."""
    from aousdctl import git
    from aousdctl.store import require_database

    path = _database_path(context)
    require_database(path)
    changed = git.set_up(path)
    _Run.committed = bool(changed)
    if quiet:
        return
    for change in changed:
        typer.echo(f"Set {change}")
    if not changed:
        typer.echo("Already set up; nothing changed")


@app.command("merge")
def merge_driver(
    base: Annotated[Path, typer.Argument(metavar="BASE", help="The common ancestor (git's %O).")],
    ours: Annotated[
        Path, typer.Argument(metavar="OURS", help="This side; the result is written here (%A).")
    ],
    theirs: Annotated[Path, typer.Argument(metavar="THEIRS", help="The other side (%B).")],
) -> None:
    """git's merge driver for the database: merges three versions claim by claim into OURS.
    Exit 1 (git then reports a conflict, nothing lost) when a version can't be read.
    Set it up with `aousdctl git-setup`; you don't run it by hand."""
    from aousdctl import git

    flagged = git.merge_files(base, ours, theirs)
    if flagged:
        typer.echo(
            f"aousdctl: {len(flagged)} claim(s) changed on both sides, merged for review:\n  "
            + "\n  ".join(flagged),
            err=True,
        )


@app.command()
def resolve(context: typer.Context, quiet: SilentFlag = False) -> None:
    """Finish a git merge that left conflict markers in the database (a merge made before
    git-setup, or by a hosting site): merges the versions git keeps, writes the database and
    stages it, so `git commit` completes the merge. Outside such a merge: exit 1."""
    from aousdctl import git

    flagged = git.resolve(_database_path(context))
    _Run.committed = True  # written and staged: a failure to say so is no failure
    if quiet:
        return
    typer.echo(f"Resolved {_database_path(context)}; run `git commit` to finish the merge")
    if flagged:
        typer.echo("Changed on both sides, for review:\n  " + "\n  ".join(flagged))


def main() -> None:
    """The console script: `aousdctl`."""
    _survive_file_size_limit()
    _guard_standard_streams()
    # One command reads the whole database into hundreds of thousands of objects and exits:
    # the cyclic garbage collector would scan them again and again for cycles that do not
    # matter in a process this short (measured: a fifth of `list` at 10k claims).
    gc.disable()
    app()


def _guard_standard_streams() -> None:
    """Keep descriptors 0-2 taken, and stdout's failures recognisable.

    A program started with stdout closed (`>&-`) would otherwise get descriptor 1 for the
    next file it opens (a lock, the database's temporary file), and whatever it printed
    would land there. /dev/null fills each closed one; Python already shows them as None,
    which is how commands tell that there is no stdin or stdout.
    """
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            filler = os.open(os.devnull, os.O_RDWR)
            if filler != descriptor:
                os.dup2(filler, descriptor)
                os.close(filler)
    current = sys.stdout
    raw = _StandardOutput(None if current is None else 1)
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw, 1 << 16),
        encoding=current.encoding if current is not None else "utf-8",
        errors=current.errors if current is not None else "strict",
        line_buffering=bool(current.line_buffering) if current is not None else False,
    )


def _survive_file_size_limit() -> None:
    """Report a file-size limit (ulimit -f) as a failed write instead of dying by signal."""
    import signal

    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


# Outlets: each outlet's track record, earned from how the claims it carried turned out.


def _outlet_grades(database: "Database", claim: Claim) -> dict[str, str]:
    """The grade and hit rate of each outlet the claim cites, by `outlets.outlet_key`."""
    from aousdctl import config, outlets

    wanted = {outlets.outlet_key(source["outlet"]) for source in claim["sources"]}
    if not wanted:
        return {}
    records = outlets.track_records(
        (record for _, record in database.stored_claims()),
        min_settled=config.effective(database.setting)[outlets.MIN_SETTLED_SETTING],
        only=wanted,
    )
    return {
        outlets.outlet_key(record.outlet): f"grade {record.grade}, {record.hit_rate_text}"
        for record in records
    }


def _outlet_grade(outlet: str, grades: dict[str, str]) -> str:
    from aousdctl.outlets import outlet_key

    return grades.get(outlet_key(outlet), "not graded")


@app.command("outlets")
def outlets_command(
    context: typer.Context,
    minimum: Annotated[
        int,
        typer.Option(
            "--min",
            metavar="N",
            min=0,
            help="Hide outlets with fewer than N settled claims.",
        ),
    ] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Each outlet's track record: the claims it carried before they were confirmed or
    debunked, how they turned out, its hit rate and grade (A-E; F: too few settled claims
    to judge). Best first. Plain tab-separated lines when not on a terminal."""
    from aousdctl import config, outlets

    with _reading(context) as database:
        records = outlets.track_records(
            (record for _, record in database.stored_claims()),
            min_settled=config.effective(database.setting)[outlets.MIN_SETTLED_SETTING],
        )
    shown = [record for record in records if record.settled >= minimum]
    if as_json:
        _print_json([record.as_dict() for record in shown])
    elif not _on_terminal():
        for record in shown:
            typer.echo(
                f"{record.outlet}\t{record.grade}\t{record.hit_rate_text}\t{record.carried}\t"
                f"{record.confirmed}\t{record.debunked}\t{record.open}"
            )
    else:
        _print_outlets_table(shown, colour=_colour(context))


def _print_outlets_table(records: "Sequence[TrackRecord]", *, colour: bool) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, header_style="bold")
    table.add_column("Outlet", overflow="fold", ratio=1)
    table.add_column("Grade")
    table.add_column("Right")
    for name in ("Carried", "Confirmed", "Debunked", "Open"):
        table.add_column(name, justify="right")
    for record in records:
        table.add_row(
            Text(record.outlet),
            record.grade,
            record.hit_rate_text,
            str(record.carried),
            str(record.confirmed),
            str(record.debunked),
            str(record.open),
        )
    Console(highlight=False, no_color=not colour, force_terminal=True).print(table)


# --- Feeds, the inbox and review: news from feeds becomes leads a human decides on ---------

feed_app = Tracker(
    help="Subscribe to the RSS and Atom feeds that `fetch` reads.", no_args_is_help=True
)
app.add_typer(feed_app, name="feed")
inbox_app = Tracker(
    cls=RunnableGroup,
    help="Leads from feeds waiting for a decision: accept, attach or dismiss them.",
    invoke_without_command=True,
)
app.add_typer(inbox_app, name="inbox")
LeadId = Annotated[str, typer.Argument(metavar="LEAD", help="The lead's id (or a unique prefix).")]
OpenStatus = Literal["rumor", "reported"]


@feed_app.command("add")
def feed_add(
    context: typer.Context,
    url: Annotated[str, typer.Argument(metavar="URL", help="The feed's http(s) address.")],
    name: Annotated[
        str | None, typer.Option("--name", metavar="NAME", help="Its name (default: the site).")
    ] = None,
    match: Annotated[
        list[str] | None,
        typer.Option(
            "--match",
            metavar="WORDS",
            help="Keep only entries whose title or summary contains this (any case); "
            "repeatable. Without it, every entry is kept.",
        ),
    ] = None,
    topic: Annotated[
        str | None,
        typer.Option("--topic", metavar="TOPIC", help="The topic of claims accepted from it."),
    ] = None,
    as_json: JsonFlag = False,
    quiet: SilentFlag = False,
) -> None:
    """Subscribe to a feed."""
    from aousdctl import feeds

    _check_output_flags(as_json, quiet)
    with _writing(context) as database:
        feed = feeds.add(database, url, name=name, match=match or [], topic=topic, at=_now())
    if as_json:
        _print_json(_feed_view(feed))
    elif not quiet:
        typer.echo(f"Added feed {feed['name']}: {feed['url']}")


def _feed_view(feed: dict[str, Any]) -> dict[str, Any]:
    return {name: feed[name] for name in ("name", "url", "match", "topic", "added")}


@feed_app.command("list")
def feed_list(context: typer.Context, as_json: JsonFlag = False) -> None:
    """The feeds `fetch` reads, in the order they were added."""
    from aousdctl import feeds

    with _reading(context) as database:
        found = [_feed_view(feed) for feed in feeds.subscribed(database)]
    if as_json:
        _print_json(found)
        return
    for feed in found:
        terms = ", ".join(feed["match"])
        typer.echo(f"{feed['name']}\t{feed['url']}\t{terms}\t{feed['topic'] or ''}")


@feed_app.command("rm")
def feed_rm(
    context: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The feed's name.")],
    quiet: SilentFlag = False,
) -> None:
    """Unsubscribe from a feed. Its leads stay, and its stories stay known."""
    from aousdctl import feeds

    with _writing(context) as database:
        feed = feeds.remove(database, name)
    if not quiet:
        typer.echo(f"Removed feed {feed['name']}")


@app.command()
def fetch(context: typer.Context, as_json: JsonFlag = False) -> None:
    """Fetch every feed; new matching entries become leads in the inbox.

    Exit 0 when every feed was read (or answered "not modified"), 1 when any failed; the
    others are still read and kept. Nothing is written when no feed has anything new.
    AOUSDCTL_FETCH_TIMEOUT (seconds, default 20) and AOUSDCTL_FETCH_MAX_BYTES (default
    10 MB) limit each feed."""
    from aousdctl import feeds, leads

    at = _now()
    with _reading(context) as database:
        subscriptions = feeds.subscribed(database)
        fetched = feeds.fetch_all(subscriptions)  # no lock is held while the network answers
        # A dry run on the copy read (never written): only news takes the lock and writes.
        results, changed = leads.record(database, fetched, at=at)
    if changed:
        with _writing(context) as database:
            results, _ = leads.record(database, fetched, at=at)
    failed = [result.feed for result in results if result.status == "failed"]
    if as_json:
        _print_json([result.as_dict() for result in results])
    elif not subscriptions:
        typer.echo("No feeds to fetch: add one with `aousdctl feed add URL`")
    else:
        for result in results:
            typer.echo(f"{result.feed}\t{_fetch_outcome(result)}")
    if failed:
        typer.echo(
            f"Error: {len(failed)} of {len(results)} feeds failed: {', '.join(failed)}", err=True
        )
        raise typer.Exit(1)


def _fetch_outcome(result: Any) -> str:
    if result.status == "failed":
        return f"failed: {result.error}"
    if result.status == "not-modified":
        return "not modified"
    return f"{result.new} new lead" + ("" if result.new == 1 else "s")


@inbox_app.callback()
def inbox(context: typer.Context, as_json: JsonFlag = False) -> None:
    """Leads waiting for a decision, newest first, each with up to 3 claims it may be about
    (and how well it matches, out of 100)."""
    from aousdctl import leads

    if context.invoked_subcommand is not None:
        if as_json:
            raise BadInput("--json goes after the inbox subcommand")
        return
    with _reading(context) as database:
        waiting = leads.waiting(database)
        leads.with_suggestions(waiting, database.claims())
    shown = [_lead_view(lead) for lead in waiting]
    if as_json:
        _print_json(shown)
        return
    if not shown:
        typer.echo("Inbox empty: no leads waiting")
    for lead in shown:
        typer.echo(f"{lead['id']}  {lead['published'] or lead['fetched']}  {lead['outlet']}")
        typer.echo(f"  {lead['title']}")
        typer.echo(f"  {lead['link']}")
        for suggestion in lead["suggestions"]:
            typer.echo(
                f"  maybe #{suggestion['claim']} ({suggestion['score']}): {suggestion['text']}"
            )


def _lead_view(lead: dict[str, Any]) -> dict[str, Any]:
    names = ("id", "title", "summary", "link", "outlet", "published", "feed", "fetched")
    return {**{name: lead[name] for name in names}, "suggestions": lead.get("suggestions", [])}


@inbox_app.command("accept")
def inbox_accept(
    context: typer.Context,
    lead: LeadId,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The claim, as one sentence.")],
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic", metavar="TOPIC", help="Its topic (default: the feed's, or General)."
        ),
    ] = None,
    status: Annotated[
        OpenStatus, typer.Option("--status", help="Where it starts: an outlet carried it.")
    ] = "reported",
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Make a new claim citing the lead (or cite it on the claim that already says this)."""
    from aousdctl import leads

    _check_output_flags(as_json, quiet)
    with _writing(context) as database:
        outcome = leads.accept(database, lead, text, at=_now(), topic=topic, status=Status(status))
    _report(outcome.claim, _add_message(outcome), as_json, quiet)


@inbox_app.command("attach")
def inbox_attach(
    context: typer.Context,
    lead: LeadId,
    claim_id: ClaimId,
    promote: Annotated[
        bool, typer.Option("--promote", help="Also move the claim one step up the ladder.")
    ] = False,
    to: Annotated[
        LadderStatus | None, typer.Option("--to", help="With --promote: straight to this.")
    ] = None,
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Cite the lead as a source of an existing claim, in the same change as --promote."""
    from aousdctl import leads

    _check_output_flags(as_json, quiet)
    with _writing(context) as database:
        outcome = leads.attach(
            database,
            lead,
            claim_id,
            at=_now(),
            promote=promote,
            to=Status(to) if to else None,
        )
    claim = outcome.claim
    if outcome.result == "unchanged":
        message = f"Claim {claim['id']} already cites this lead"
    elif claim["status"] != outcome.before:
        message = f"Claim {claim['id']} cites the lead: {outcome.before} -> {claim['status']}"
    else:
        message = f"Claim {claim['id']} now cites the lead"
    _report(claim, message, as_json, quiet)


@inbox_app.command("dismiss")
def inbox_dismiss(
    context: typer.Context,
    lead: LeadId,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="Why, for the record.")
    ] = None,
    quiet: SilentFlag = False,
) -> None:
    """Set a lead aside: it leaves the inbox and is never proposed again."""
    from aousdctl import leads

    with _writing(context) as database:
        dismissed = leads.dismiss(database, lead, at=_now(), note=note)
    if not quiet:
        typer.echo(f"Dismissed lead {dismissed['id']}")


@app.command()
def review(
    context: typer.Context,
    as_json: JsonFlag = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when anything needs a human (for cron).")
    ] = False,
) -> None:
    """What needs a human: leads waiting, claims two clones changed on their own (merged
    for review), overdue predictions, reported claims with no source, and open claims
    unchanged for longer than `config set stale-after` (90d)."""
    from aousdctl import review as attention

    with _reading(context) as database:
        groups = attention.review(database, clock.now())
    pending = sum(len(group.items) for group in groups)
    if as_json:
        _print_json([group.as_dict() for group in groups])
    elif not pending:
        typer.echo("Nothing needs a human.")
    else:
        _print_review(groups)
    if check and pending:
        raise typer.Exit(1)


def _print_review(groups: list[Any]) -> None:
    for group in groups:
        if not group.items:
            continue
        typer.echo(f"{group.title} ({len(group.items)}): {group.hint}")
        for item in group.items:
            label = f"lead {item['lead']}" if "lead" in item else f"#{item['claim']}"
            typer.echo(f"  {label}  {item['text']}  ({item['detail']})")
