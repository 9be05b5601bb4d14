"""Commands that move claims in and out: export (the article, or JSON) and import."""

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal

import typer

from aousdctl.cli import common, options, program, render
from aousdctl.domain import dates
from aousdctl.errors import BadInput


@program.app.command()
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
    from aousdctl.service import publish

    path = common.database_path(context)
    if output is not None and str(output) == "-":
        output = None  # `-o -` is stdout, as `import -` is stdin
    if check and output is None:
        raise BadInput("--check needs --output FILE to compare with")
    if output_format == "json" and (template is not None or changes_since is not None):
        raise BadInput("--template and --changes-since apply to the markdown format")
    template_text = _template_text(template) if template else None
    content: Iterable[bytes]
    if output_format == "json":
        from aousdctl.service import exchange  # its formats cost the article 10 ms to load

        content = [render.json_bytes(exchange.export_document(path))]
    else:
        content = publish.article(path, dates.now(), changes_since, template_text)
    if output is None:
        for piece in content:
            typer.echo(piece, nl=False)
        return
    if check:
        changed = publish.would_change(path, output, content)
        message = f"{output} would change" if changed else f"{output} unchanged"
    else:
        changed = common.committed(publish.write_output(path, output, content))
        message = f"Wrote {output}" if changed else f"{output} unchanged"
    if not quiet:
        typer.echo(message)
    if changed and check:
        raise typer.Exit(1)


def _template_text(path: Path) -> str:
    content = _read_input_file(path)
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise BadInput(f"the template failed (line {line}): {path} is not UTF-8 text") from None


def _read_input_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise BadInput(f"can't read {path}: {error.strerror}") from None


@program.app.command("import")
def import_claims(
    context: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="An export document, a JSON array of claims, JSON Lines or CSV; - for stdin.",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    quiet: options.SilentFlag = False,
) -> None:
    """Import claims: an `export --format json` document, a JSON array of claims (as
    `list --json` prints), JSON Lines with one claim object per line (`list --jsonl`), or
    CSV with a header row naming its columns, text among them (`list --csv`).
    Claims that carry their history (an export) merge with this database's like the merge
    driver's (claims they flag for review are named on stderr); others are matched like
    `add`. Re-importing changes nothing. All or nothing: one bad record refuses the whole
    file (exit 2)."""
    from aousdctl.service import exchange

    options.check_output_flags(as_json, quiet)
    content = _standard_input() if file == "-" else _read_input_file(Path(file))
    summary = common.committed(
        exchange.import_content(common.database_path(context), content, at=options.now())
    )
    if as_json:
        render.print_json(summary.as_dict())
    elif not quiet:
        typer.echo(
            f"{summary.added} added, {summary.updated} updated, {summary.unchanged} unchanged"
        )
    for line in summary.flagged:
        typer.echo(f"aousdctl: merged for review: {line}", err=True)


def _standard_input() -> bytes:
    if sys.stdin is None:
        raise BadInput("standard input is closed: give a FILE, or pipe the claims in")
    try:
        return sys.stdin.buffer.read()
    except OSError as error:
        raise BadInput(f"can't read standard input: {error.strerror}") from None
