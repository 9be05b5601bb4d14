"""Sharing through git: git-setup, the merge driver, resolve."""

from pathlib import Path
from typing import Annotated

import typer

from aousdctl.cli import common, options, program


@program.app.command("git-setup")
def git_setup(
    context: typer.Context,
    article: Annotated[
        list[Path] | None,
        typer.Option(
            "--article",
            metavar="FILE",
            help="An article `export --output` writes and you commit: a merge keeps this "
            "clone's, never a conflict (export makes it again). Repeatable.",
        ),
    ] = None,
    quiet: options.SilentFlag = False,
) -> None:
    """Let git merge the database claim by claim: adds a line to the repository's
    .gitattributes, writes the .gitignore beside the database, stages both (commit them)
    and registers the merge drivers in this clone's git config (run it once in every
    clone). Running it again changes nothing."""
    from aousdctl.service import sharing

    changed = sharing.set_up(common.database_path(context), article or [])
    common.Run.committed = bool(changed)
    if quiet:
        return
    for change in changed:
        typer.echo(change)
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
    """Finish what git could not merge alone (a merge, rebase, cherry-pick, revert or stash
    pop made before git-setup, or by a hosting site): merges the versions git keeps of the
    database, makes the articles marked by `git-setup --article` again from it, stages
    them, and names the git command that finishes the operation. Outside one: exit 1."""
    from aousdctl.service import sharing

    path = common.database_path(context)
    done = common.committed(sharing.resolve(path))
    if quiet:
        return
    resolved = [str(path)] if done.database else []
    typer.echo(f"Resolved {', '.join(resolved + done.articles)}; {done.operation.advice}")
    if done.articles:
        typer.echo(f"Made again from the merged database: {', '.join(done.articles)}")
    if done.flagged:
        typer.echo("Changed on both sides, for review:\n  " + "\n  ".join(done.flagged))
    if done.remaining:
        typer.echo(f"Still in conflict, for you to resolve first: {', '.join(done.remaining)}")
