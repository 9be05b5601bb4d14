"""Sharing through git: git-setup, the merge driver, resolve."""

from pathlib import Path
from typing import Annotated

import typer

from aousdctl.cli import common, options, program


@program.app.command("git-setup")
def git_setup(context: typer.Context, quiet: options.SilentFlag = False) -> None:
    """Let git merge the database claim by claim: adds a line to the repository's
    .gitattributes (commit it) and registers the merge driver in this clone's git config
    (run it once in every clone). Running it again changes nothing."""
    from aousdctl.service import sharing

    changed = sharing.set_up(common.database_path(context))
    common.Run.committed = bool(changed)
    if quiet:
        return
    for change in changed:
        typer.echo(f"Set {change}")
    if not changed:
        typer.echo("Already set up; nothing changed")


@program.app.command("merge")
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
    from aousdctl.service import sharing

    flagged = sharing.merge_files(base, ours, theirs)
    if flagged:
        typer.echo(
            f"aousdctl: {len(flagged)} claim(s) changed on both sides, merged for review:\n  "
            + "\n  ".join(flagged),
            err=True,
        )


@program.app.command()
def resolve(context: typer.Context, quiet: options.SilentFlag = False) -> None:
    """Finish a git merge that left conflict markers in the database (a merge made before
    git-setup, or by a hosting site): merges the versions git keeps, writes the database and
    stages it, so `git commit` completes the merge. Outside such a merge: exit 1."""
    from aousdctl.service import sharing

    flagged = common.committed(sharing.resolve(common.database_path(context)))
    if quiet:
        return
    typer.echo(f"Resolved {common.database_path(context)}; run `git commit` to finish the merge")
    if flagged:
        typer.echo("Changed on both sides, for review:\n  " + "\n  ".join(flagged))
