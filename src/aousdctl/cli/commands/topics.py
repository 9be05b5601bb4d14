"""`topic set` and `topic list`."""

from typing import Annotated

import typer

from aousdctl.cli import common, completion, options, program, render
from aousdctl.errors import BadInput


@program.topic_app.command("set")
def topic_set(
    context: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="TOPIC",
            help="The topic, as claims name it.",
            autocompletion=completion.complete_topics,
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
    as_json: options.JsonFlag = False,
    quiet: options.SilentFlag = False,
) -> None:
    """Set how a topic appears in the article."""
    from aousdctl.service import topics

    if heading is None and order is None and intro is None:
        raise BadInput("nothing to set: give --heading, --order or --intro")
    settings, changed = common.committed(
        topics.set_topic(
            common.database_path(context), name, heading=heading, order=order, intro=intro
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
