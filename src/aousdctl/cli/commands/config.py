"""`config set` and `config show`."""

from typing import Annotated, Literal

import typer

from aousdctl.cli import common, options, program, render

ConfigKey = Literal["title", "intro", "outlet-min-settled", "article.track-record", "stale-after"]


@program.config_app.command("set")
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
    quiet: options.SilentFlag = False,
) -> None:
    """Set the article's title or intro paragraph, the settled claims an outlet needs
    before it is graded (outlet-min-settled, default 5), whether the article ends with
    the outlets' track records (article.track-record on/off, default off), or how long an
    open claim may go unchanged before `review` lists it (stale-after: 90d, 12w; default
    90d)."""
    from aousdctl.service import settings

    changed = common.committed(settings.set_setting(common.database_path(context), key, value))
    if not quiet:
        typer.echo(f"{key} {'set' if changed else 'unchanged'}")


@program.config_app.command("show")
def config_show(context: typer.Context, as_json: options.JsonFlag = False) -> None:
    """Show every setting, defaults included."""
    from aousdctl.domain import config
    from aousdctl.service import settings

    effective = settings.effective(common.database_path(context))
    if as_json:
        render.print_json(effective)
        return
    for key, value in effective.items():
        typer.echo(f"{key}\t{config.shown(value)}")
