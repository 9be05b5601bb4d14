"""`topic set`, `topic list`, `topic rename` and `topic rm`."""

from typing import TYPE_CHECKING, Annotated

import typer

from aousdctl.cli import common, completion, options, program, render
from aousdctl.errors import BadInput

if TYPE_CHECKING:
    from aousdctl.service.topics import Moved

TopicName = Annotated[
    str,
    typer.Argument(
        metavar="TOPIC",
        help="The topic, as claims name it (any case).",
        autocompletion=completion.complete_topics,
    ),
]


@program.topic_app.command("set")
def topic_set(
    context: typer.Context,
    name: TopicName,
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
    new: Annotated[
        bool,
        typer.Option("--new", help="Start a topic no claim, setting or feed uses yet."),
    ] = False,
    as_json: options.JsonFlag = False,
    quiet: options.SilentFlag = False,
) -> None:
    """Set how a topic appears in the article. A topic nothing uses yet needs --new, so
    that a typo doesn't start a topic of its own."""
    from aousdctl.service import topics

    if heading is None and order is None and intro is None:
        raise BadInput("nothing to set: give --heading, --order or --intro")
    settings, changed = common.committed(
        topics.set_topic(
            common.database_path(context),
            name,
            heading=heading,
            order=order,
            intro=intro,
            new=new,
        )
    )
    if as_json:
        render.print_json(settings)
    elif not quiet:
        typer.echo(f"Topic {settings['name']} {'updated' if changed else 'unchanged'}")


@program.topic_app.command("list")
def topic_list(context: typer.Context, as_json: options.JsonFlag = False) -> None:
    """Topics in article order, with their settings and number of claims."""
    from aousdctl.service import topics

    ordered = topics.listing(common.database_path(context))
    if as_json:
        render.print_json(ordered)
        return
    for topic in ordered:
        order = "-" if topic["order"] is None else str(topic["order"])
        typer.echo(f"{order}\t{topic['name']}\t{topic['heading'] or ''}\t{topic['claims']}")


@program.topic_app.command("rename")
def topic_rename(
    context: typer.Context,
    old: TopicName,
    new: Annotated[str, typer.Argument(metavar="NEW", help="Its new name, unused so far.")],
    as_json: options.JsonFlag = False,
    quiet: options.SilentFlag = False,
) -> None:
    """Rename a topic: its claims (each one's history says so), its settings and the feeds
    that file claims under it all follow, as one change for `undo`."""
    from aousdctl.service import topics

    options.check_output_flags(as_json, quiet)
    moved = common.committed(
        topics.rename(common.database_path(context), old, new, at=options.now())
    )
    if moved.topic == moved.to:
        message = f"Topic {moved.topic} already has that name; nothing changed"
    else:
        message = f"Renamed topic {moved.topic} to {moved.to}"
    _report(moved, message, as_json, quiet)


@program.topic_app.command("rm")
def topic_rm(
    context: typer.Context,
    name: TopicName,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="OTHER",
            autocompletion=completion.complete_topics,
            help="Move its claims (and feeds) to this topic, which must exist.",
        ),
    ] = None,
    as_json: options.JsonFlag = False,
    quiet: options.SilentFlag = False,
) -> None:
    """Remove a topic and its settings. Refused while claims or feeds use it, unless --to
    moves them to another topic (whose settings stay as they are)."""
    from aousdctl.service import topics

    options.check_output_flags(as_json, quiet)
    moved = common.committed(
        topics.remove(common.database_path(context), name, to=to, at=options.now())
    )
    _report(moved, f"Removed topic {moved.topic}", as_json, quiet)


def _report(moved: "Moved", sentence: str, as_json: bool, quiet: bool) -> None:
    if as_json:
        render.print_json(moved.as_dict())
    elif not quiet:
        typer.echo(sentence + render.topic_move_details(moved))
