"""Commands that look after the database itself: init, undo, doctor."""

from typing import Annotated

import typer

from aousdctl.cli import common, options, program, render


@program.app.command()
def init(
    context: typer.Context,
    title: Annotated[
        str | None,
        typer.Option("--title", metavar="TEXT", help="The tracker's title (and its article's)."),
    ] = None,
    quiet: options.SilentFlag = False,
) -> None:
    """Create a new, empty database (and its folder)."""
    from aousdctl.service import maintenance

    path = common.database_path(context)
    maintenance.init(path, title)
    common.Run.committed = True
    if not quiet:
        typer.echo(f"Created {path}")


@program.app.command()
def undo(
    context: typer.Context,
    as_json: options.JsonFlag = False,
    quiet: options.SilentFlag = False,
) -> None:
    """Revert the latest change (a whole import counts as one); again to go further back.
    The reverted change stays visible in `log`."""
    from aousdctl.service import history

    options.check_output_flags(as_json, quiet)
    reverted = common.committed(history.undo(common.database_path(context)))
    if as_json:
        render.print_json(reverted)
    elif not quiet:
        ids = reverted["claims"]
        about = f" (claim {ids[0]})" if len(ids) == 1 else f" ({len(ids)} claims)" if ids else ""
        typer.echo(f"Undid `{reverted['command']}` of {reverted['at']}{about}")


@program.app.command()
def doctor(context: typer.Context, as_json: options.JsonFlag = False) -> None:
    """Check the database without changing it; exit 1 if anything is wrong.

    Checks that the file parses, its schema version is known, ids are well-formed and
    unique, old numbers and topic settings are filed right, statuses,
    dates and sources are valid, each history matches its claim's status, and every
    confirmed claim has a source. Claims a merge of two clones flagged for a person are
    listed as notices (they don't make it fail)."""
    from aousdctl.service import doctor as checks

    path = common.database_path(context)
    count, problems, notices = checks.examine(path)
    if as_json:
        render.print_json(
            {"ok": not problems, "claims": count, "problems": problems, "notices": notices}
        )
    else:
        for problem in problems + notices:
            where = f"claim {problem['claim']}: " if problem["claim"] is not None else ""
            notice = "notice: " if problem in notices else ""
            typer.echo(f"{where}{notice}{problem['problem']}")
        if not problems:
            typer.echo(f"{path}: no problems in {count} claims")
    if problems:
        raise typer.Exit(1)
