"""Reports on the record as a whole: outlets' track records, and review."""

from typing import Annotated

import typer

from aousdctl.cli import common, options, program, render
from aousdctl.domain import dates


@program.app.command("outlets")
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
    as_json: options.JsonFlag = False,
) -> None:
    """Each outlet's track record: the claims it supported or refuted before they were
    confirmed or debunked, how many of those it got right and wrong, its hit rate and grade
    (A-E; "not yet judged" while too few are settled). Best first. Plain tab-separated lines
    (outlet, grade, hit rate, cited, supports, refutes, right, wrong, open) when not on a
    terminal."""
    from aousdctl.service import reports

    records = reports.outlet_records(common.database_path(context))
    shown = [record for record in records if record.settled >= minimum]
    if as_json:
        render.print_json([record.as_dict() for record in shown])
    elif not common.on_terminal():
        for record in shown:
            typer.echo(
                f"{record.outlet}\t{record.grade_text}\t{record.hit_rate_text}\t"
                f"{record.cited}\t{record.supported}\t{record.refuted}\t{record.right}\t"
                f"{record.wrong}\t{record.open}"
            )
    else:
        render.print_outlets_table(shown, colour=common.colour(context))


@program.app.command()
def review(
    context: typer.Context,
    as_json: options.JsonFlag = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when anything needs a human (for cron).")
    ] = False,
) -> None:
    """What needs a human: leads waiting, claims two clones changed on their own (merged
    for review), overdue predictions, reported claims with no source, and open claims
    unchanged for longer than `config set stale-after` (90d)."""
    from aousdctl.service import reports

    groups = reports.attention(common.database_path(context), dates.now())
    pending = sum(len(group.items) for group in groups)
    if as_json:
        render.print_json([group.as_dict() for group in groups])
    elif not pending:
        typer.echo("Nothing needs a human.")
    else:
        render.print_review(groups)
    if check and pending:
        raise typer.Exit(1)
