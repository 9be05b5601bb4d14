"""The `aousdctl` command line: parse options, call the core, render the result.

This is the only module that knows about exit codes, terminals and Rich. The rules live in
`claims`, `tracker` and `store`, which are imported inside the commands that use them so that
`--version` and `--help` start without loading the database machinery.
"""

import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer

# Typer 0.26+ bundles its own Click; its exceptions are the ones the commands raise.
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer.core import TyperGroup
from typer.exceptions import Abort

from aousdctl import __version__, clock
from aousdctl.claims import Claim, Status
from aousdctl.errors import AousdctlError, BadInput

if TYPE_CHECKING:
    from aousdctl.store import Database
    from aousdctl.tracker import Outcome

DEBUG_VARIABLE = "AOUSDCTL_DEBUG"


class CommandGroup(TyperGroup):
    """Turns every failure into one `Error: ...` line on stderr and its exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> NoReturn:
        try:
            code = super().main(
                args=args,
                prog_name=prog_name or "aousdctl",
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
        except NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except ClickException as error:
            _fail(error.format_message() + _help_hint(error), error.exit_code)
        except Abort:
            _fail("aborted; nothing was changed", 1)
        except AousdctlError as error:
            _fail(str(error), error.exit_code)
        except Exception as error:
            if os.environ.get(DEBUG_VARIABLE):
                raise
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


HELP = """Track facts and speculation about an upcoming release.

Log each claim you hear with its sources, move it up the ladder
rumor -> reported -> confirmed as evidence arrives (or debunk it),
and keep the record scriptable for cron.

\b
Examples:
  aousdctl init --title "All of Us Are Dead Season 2"
  aousdctl add "Filming started in 2023" --topic Production --status reported
  aousdctl promote 1 --to confirmed --source https://example.com/report
  aousdctl list --status confirmed --json
  aousdctl export --output explainer.md

The database is db/claims.json under the current folder unless --db or
AOUSDCTL_DB says otherwise. Set AOUSDCTL_NOW (e.g. 2026-11-23T12:00:00Z)
to fix the clock. Exit codes: 0 done, 1 could not be done, 2 bad input.
"""

app = typer.Typer(
    cls=CommandGroup,
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
source_app = typer.Typer(
    help="Attach and describe the sources behind a claim.", no_args_is_help=True
)
app.add_typer(source_app, name="source")
topic_app = typer.Typer(
    help="Give topics the reader's question as a heading, and a place in the article.",
    no_args_is_help=True,
)
app.add_typer(topic_app, name="topic")
config_app = typer.Typer(help="The article's title and intro.", no_args_is_help=True)
app.add_typer(config_app, name="config")


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"aousdctl {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    context: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="AOUSDCTL_DB",
            metavar="PATH",
            show_default="db/claims.json",
            help="The database file (env AOUSDCTL_DB).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    if db is not None and not str(db).strip():
        raise BadInput("--db (or AOUSDCTL_DB) must not be empty")
    context.obj = db


def _database_path(context: typer.Context) -> Path:
    from aousdctl.store import DEFAULT_PATH

    root = context.find_root()
    return root.obj if isinstance(root.obj, Path) else DEFAULT_PATH


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


def _update(
    context: typer.Context, claim_id: int, change: Callable[[Claim], Claim | None]
) -> "Outcome":
    """Apply one of the rules in `claims` to a stored claim, as one locked write."""
    from aousdctl import tracker

    with _writing(context) as database:
        return tracker.update(database, claim_id, change)


def _now() -> str:
    return clock.timestamp(clock.now())


# Options shared by several commands, declared once.
JsonFlag = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
QuietFlag = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the claim id.")]
SilentFlag = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing.")]
SourcesOption = Annotated[
    list[str] | None,
    typer.Option("--source", "-s", metavar="URL", help="An http(s) link to evidence; repeatable."),
]
ClaimId = Annotated[int, typer.Argument(metavar="ID", help="The claim's id.")]
# Literal types become choices that --help lists and Typer checks (exit 2 when wrong).
LadderStatus = Literal["rumor", "reported", "confirmed"]


def _sources(urls: list[str] | None) -> list[Any]:
    from aousdctl.claims import make_source

    return [make_source(url) for url in urls or []]


def _print_json(data: Any) -> None:
    """JSON on stdout, written as bytes: as text, Click would first scan all of it for
    terminal escapes, which stored text can't contain (control characters are refused)."""
    typer.echo(_json_bytes(data), nl=False)


def _report(claim: Claim, message: str, as_json: bool, quiet: bool) -> None:
    """What a write prints: the claim as JSON, only its id, or a sentence."""
    if as_json:
        _print_json(claim)
    elif quiet:
        typer.echo(str(claim["id"]))
    else:
        typer.echo(message)


def _check_output_flags(as_json: bool, quiet: bool) -> None:
    if as_json and quiet:
        raise BadInput("--json and --quiet can't be used together")


def _plain_output() -> bool:
    """No colour or box drawing for pipes, files, cron, and anyone who sets NO_COLOR."""
    return not sys.stdout.isatty() or bool(os.environ.get("NO_COLOR"))


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
    if not quiet:
        typer.echo(f"Created {path}")


@app.command()
def add(
    context: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The claim, as one sentence.")],
    status: Annotated[LadderStatus, typer.Option("--status", help="Where it starts.")] = "rumor",
    topic: Annotated[
        str, typer.Option("--topic", metavar="TOPIC", help="The question it answers.")
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
        str | None, typer.Option("--topic", metavar="TOPIC", help="Only this topic.")
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
    as_json: JsonFlag = False,
) -> None:
    """List claims, oldest first. Plain tab-separated lines when not on a terminal."""
    from aousdctl.filters import claim_filter

    wanted = claim_filter(
        statuses=status or [],
        topic=topic,
        tag=tag,
        search=search,
        overdue_at=clock.now() if overdue else None,
    )
    with _reading(context) as database:
        found = database.claims(where=wanted)
    if as_json:
        _print_json(found)
    elif _plain_output():
        for claim in found:
            typer.echo(f"{claim['id']}\t{claim['status']}\t{claim['topic']}\t{claim['text']}")
    else:
        _print_table(found)


_STATUS_STYLES = {
    "confirmed": "bold green",
    "reported": "yellow",
    "rumor": "magenta",
    "debunked": "dim strike",
}


def _print_table(found: list[Claim]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, header_style="bold")
    for name, options in (
        ("ID", {"justify": "right"}),
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
    Console(highlight=False).print(table)


@app.command()
def show(context: typer.Context, claim_id: ClaimId, as_json: JsonFlag = False) -> None:
    """Show one claim with its sources and history."""
    with _reading(context) as database:
        claim = database.claim(claim_id)
    if as_json:
        _print_json(claim)
    else:
        typer.echo("\n".join(_claim_lines(claim)))


def _claim_lines(claim: Claim) -> list[str]:
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
        lines.append(f"  [{number}] {described}\n      {source['url']}")
    lines.append("History:")
    lines.extend(f"  {_event_line(event)}" for event in claim["history"])
    return lines


def _event_line(event: Any) -> str:
    if event["from"] and event["to"]:
        move = f" {event['from']} -> {event['to']}"
    else:
        move = f" as {event['to']}" if event["to"] else ""
    note = f": {event['note']}" if event["note"] else ""
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
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="What the new evidence is.")
    ] = None,
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Move a claim one step up the ladder (or straight --to a status).
    Confirming needs at least one source, given now or before."""
    from aousdctl import claims

    _check_output_flags(as_json, quiet)
    target = Status(to) if to else None
    new_sources = _sources(source)
    outcome = _update(
        context,
        claim_id,
        lambda claim: claims.promote(claim, at=_now(), to=target, sources=new_sources, note=note),
    )
    message = f"Promoted claim {claim_id}: {outcome.before} -> {outcome.claim['status']}"
    _report(outcome.claim, message, as_json, quiet)


@app.command()
def demote(
    context: typer.Context,
    claim_id: ClaimId,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="Why it moves down (required).")
    ] = None,
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
    reason = claims.required_note(note, "say why the claim moves down")
    target = Status(to) if to else None
    outcome = _update(
        context, claim_id, lambda claim: claims.demote(claim, at=_now(), note=reason, to=target)
    )
    message = f"Demoted claim {claim_id}: {outcome.before} -> {outcome.claim['status']}"
    _report(outcome.claim, message, as_json, quiet)


@app.command()
def debunk(
    context: typer.Context,
    claim_id: ClaimId,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="Why it is false (required).")
    ] = None,
    source: SourcesOption = None,
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Mark a claim false. It is kept with the reason, so adding it again is refused."""
    from aousdctl import claims

    _check_output_flags(as_json, quiet)
    reason = claims.required_note(note, "say why the claim is false")
    new_sources = _sources(source)
    outcome = _update(
        context,
        claim_id,
        lambda claim: claims.debunk(claim, at=_now(), note=reason, sources=new_sources),
    )
    _report(outcome.claim, f"Debunked claim {claim_id} (was {outcome.before})", as_json, quiet)


@app.command()
def edit(
    context: typer.Context,
    claim_id: ClaimId,
    text: Annotated[str | None, typer.Option("--text", metavar="TEXT", help="New wording.")] = None,
    topic: Annotated[
        str | None, typer.Option("--topic", metavar="TOPIC", help="Move to this topic.")
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
        f"Edited claim {claim_id}"
        if outcome.result == "updated"
        else f"Claim {claim_id} already reads that way; nothing changed"
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
        f"Claim {claim_id} now cites {source['outlet']}"
        if outcome.result == "updated"
        else f"Claim {claim_id} already cites this source; nothing changed"
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
            text = database.claim(claim_id)["text"]
        if not typer.confirm(f"Remove claim {claim_id}: {text}?"):
            raise Abort()
    with _writing(context) as database:
        tracker.remove(database, claim_id, at=_now())
    if not quiet:
        typer.echo(f"Removed claim {claim_id}")


@app.command()
def log(
    context: typer.Context,
    claim_id: Annotated[int | None, typer.Argument(metavar="[ID]", help="Only this claim.")] = None,
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

    if check and output is None:
        raise BadInput("--check needs --output FILE to compare with")
    if output_format == "json" and (template is not None or changes_since is not None):
        raise BadInput("--template and --changes-since apply to the markdown format")
    template_text = _read_input_file(template).decode("utf-8") if template else None
    content: Iterable[bytes]
    if output_format == "json":
        with _reading(context) as database:
            content = [_json_bytes(interchange.export_document(database))]
    else:
        content = article.render(_article_data(context, changes_since), template_text)
    if output is None:
        for piece in content:
            typer.echo(piece, nl=False)
        return
    _write_output(output, content, check, quiet)


def _article_data(context: typer.Context, changes_since: str | None) -> dict[str, Any]:
    """The article's data, with the database closed (its memory free for the rendering)."""
    from aousdctl import article

    with _reading(context) as database:
        return article.build(database, clock.now(), changes_since)


def _write_output(output: Path, content: Iterable[bytes], check: bool, quiet: bool) -> None:
    """Replace `output` atomically, only when its content changes (so its mtime means
    something); with `check`, only say whether it would change (exit 1 if so)."""
    from aousdctl.store import holds, write_if_changed

    if check:
        changed = not holds(output, content)
        message = f"{output} would change" if changed else f"{output} unchanged"
    else:
        changed = write_if_changed(output, content)
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
        str, typer.Argument(metavar="FILE", help="An export document or JSON Lines; - for stdin.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    quiet: SilentFlag = False,
) -> None:
    """Import claims: an `export --format json` document, or JSON Lines with one claim
    object per line. Claims are matched like `add`, so re-importing changes nothing.
    All or nothing: one bad record refuses the whole file (exit 2)."""
    from aousdctl import interchange, tracker

    _check_output_flags(as_json, quiet)
    content = sys.stdin.buffer.read() if file == "-" else _read_input_file(Path(file))
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


@topic_app.command("set")
def topic_set(
    context: typer.Context,
    name: Annotated[str, typer.Argument(metavar="TOPIC", help="The topic, as claims name it.")],
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
        every_claim = database.claims()
        ordered = topics.article_order((c["topic"] for c in every_claim), database.topics())
    for topic in ordered:
        key = topic["name"].casefold()
        topic["claims"] = sum(1 for claim in every_claim if claim["topic"].casefold() == key)
    if as_json:
        _print_json(ordered)
        return
    for topic in ordered:
        order = "-" if topic["order"] is None else str(topic["order"])
        typer.echo(f"{order}\t{topic['name']}\t{topic['heading'] or ''}\t{topic['claims']}")


ConfigKey = Literal["title", "intro"]


@config_app.command("set")
def config_set(
    context: typer.Context,
    key: Annotated[ConfigKey, typer.Argument(metavar="KEY", help="title or intro.")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help='The text; "" clears it.')],
    quiet: SilentFlag = False,
) -> None:
    """Set the article's title or intro paragraph."""
    from aousdctl import tracker

    with _writing(context) as database:
        changed = tracker.set_setting(database, key, value)
    if not quiet:
        typer.echo(f"{key} {'set' if changed else 'unchanged'}")


@config_app.command("show")
def config_show(context: typer.Context, as_json: JsonFlag = False) -> None:
    """Show the article's title and intro."""
    with _reading(context) as database:
        settings = {key: database.setting(key) for key in ("title", "intro")}
    if as_json:
        _print_json(settings)
        return
    for key, value in settings.items():
        typer.echo(f"{key}\t{value or ''}")


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

    Checks that the file parses, its schema version is known, ids are unique, statuses,
    dates and sources are valid, each history matches its claim's status, and every
    confirmed claim has a source."""
    from aousdctl import doctor as checks
    from aousdctl.store import require_database

    path = _database_path(context)
    require_database(path)
    count, problems = checks.examine(path)
    if as_json:
        _print_json({"ok": not problems, "claims": count, "problems": problems})
    elif problems:
        for problem in problems:
            where = f"claim {problem['claim']}: " if problem["claim"] is not None else ""
            typer.echo(f"{where}{problem['problem']}")
    else:
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
            f"aousdctl: {len(flagged)} claim(s) changed on both sides, merged for review: "
            + ", ".join(flagged),
            err=True,
        )


@app.command()
def resolve(context: typer.Context, quiet: SilentFlag = False) -> None:
    """Finish a git merge that left conflict markers in the database (a merge made before
    git-setup, or by a hosting site): merges the versions git keeps, writes the database and
    stages it, so `git commit` completes the merge. Outside such a merge: exit 1."""
    from aousdctl import git

    flagged = git.resolve(_database_path(context))
    if quiet:
        return
    typer.echo(f"Resolved {_database_path(context)}; run `git commit` to finish the merge")
    if flagged:
        typer.echo(f"Changed on both sides, for review: {', '.join(flagged)}")


def main() -> None:
    """The console script: `aousdctl`."""
    _survive_file_size_limit()
    # One command reads the whole database into hundreds of thousands of objects and exits:
    # the cyclic garbage collector would scan them again and again for cycles that do not
    # matter in a process this short (measured: a fifth of `list` at 10k claims).
    gc.disable()
    app()


def _survive_file_size_limit() -> None:
    """Report a file-size limit (ulimit -f) as a failed write instead of dying by signal."""
    import signal

    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
