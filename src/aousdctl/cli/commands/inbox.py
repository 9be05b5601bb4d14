"""News from feeds: feed add/list/edit/test/rm, fetch, and the inbox's accept, attach, dismiss."""

from typing import Annotated

import typer

from aousdctl.cli import common, completion, options, program, render
from aousdctl.errors import BadInput

FeedName = Annotated[str, typer.Argument(metavar="NAME", help="The feed's name.")]


@program.feed_app.command("add")
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
    no_check: Annotated[
        bool,
        typer.Option(
            "--no-check", help="Subscribe without reading the feed first (it may be down)."
        ),
    ] = False,
    as_json: options.JsonFlag = False,
    quiet: options.SilentFlag = False,
) -> None:
    """Subscribe to a feed, once it was read: shows its title, its entries and how many
    --match keeps. A feed that can't be read is not added (exit 1) unless --no-check."""
    from aousdctl.service import inbox

    options.check_output_flags(as_json, quiet)
    feed, tried = common.committed(
        inbox.add_feed(
            common.database_path(context),
            url,
            name=name,
            match=match or [],
            topic=topic,
            at=options.now(),
            check=not no_check,
        )
    )
    if as_json:
        render.print_json({**render.feed_view(feed), "check": tried and tried.as_dict()})
    elif not quiet:
        typer.echo(f"Added feed {feed['name']}: {feed['url']}")
        if tried is not None:
            render.print_trial(tried)


@program.feed_app.command("test")
def feed_test(
    context: typer.Context,
    name: FeedName,
    match: Annotated[
        list[str] | None,
        typer.Option(
            "--match",
            metavar="WORDS",
            help="Try these terms instead of the feed's own; repeatable.",
        ),
    ] = None,
    as_json: options.JsonFlag = False,
) -> None:
    """Read a feed now and show which entries its --match keeps and which it drops.
    Nothing is written; exit 1 when the feed can't be read."""
    from aousdctl.service import inbox

    tried = inbox.try_feed(common.database_path(context), name, match=match)
    if as_json:
        render.print_json(tried.as_dict())
    else:
        render.print_trial(tried)


@program.feed_app.command("list")
def feed_list(context: typer.Context, as_json: options.JsonFlag = False) -> None:
    """The feeds `fetch` reads, in the order they were added."""
    from aousdctl.service import inbox

    found = [render.feed_view(feed) for feed in inbox.subscribed(common.database_path(context))]
    if as_json:
        render.print_json(found)
        return
    for feed in found:
        terms = ", ".join(feed["match"])
        typer.echo(f"{feed['name']}\t{feed['url']}\t{terms}\t{feed['topic'] or ''}")


@program.feed_app.command("edit")
def feed_edit(
    context: typer.Context,
    name: FeedName,
    url: Annotated[
        str | None, typer.Option("--url", metavar="URL", help="Its new http(s) address.")
    ] = None,
    match: Annotated[
        list[str] | None,
        typer.Option(
            "--match",
            metavar="WORDS",
            help='The terms that replace its terms; repeatable. --match "" keeps every entry.',
        ),
    ] = None,
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic",
            metavar="TOPIC",
            autocompletion=completion.complete_topics,
            help='The topic of claims accepted from it; "" for none.',
        ),
    ] = None,
    as_json: options.JsonFlag = False,
    quiet: options.SilentFlag = False,
) -> None:
    """Change a feed's address, match terms or topic. Its leads stay as they are."""
    from aousdctl.service import inbox

    options.check_output_flags(as_json, quiet)
    if url is None and match is None and topic is None:
        raise BadInput("nothing to change: give --url, --match or --topic")
    feed, changed = common.committed(
        inbox.edit_feed(common.database_path(context), name, url=url, match=match, topic=topic)
    )
    if as_json:
        render.print_json(render.feed_view(feed))
    elif not quiet:
        typer.echo(f"Feed {feed['name']} {'updated' if changed else 'unchanged'}")


@program.feed_app.command("rm")
def feed_rm(
    context: typer.Context,
    name: FeedName,
    quiet: options.SilentFlag = False,
) -> None:
    """Unsubscribe from a feed. Its leads stay, and its stories stay known."""
    from aousdctl.service import inbox

    feed = common.committed(inbox.remove_feed(common.database_path(context), name))
    if not quiet:
        typer.echo(f"Removed feed {feed['name']}")


@program.app.command()
def fetch(context: typer.Context, as_json: options.JsonFlag = False) -> None:
    """Fetch every feed; new matching entries become leads in the inbox.

    Exit 0 when every feed was read (or answered "not modified"), 1 when any failed; the
    others are still read and kept. Nothing is written when no feed has anything new.
    AOUSDCTL_FETCH_TIMEOUT (seconds, default 20) and AOUSDCTL_FETCH_MAX_BYTES (default
    10 MB) limit each feed."""
    from aousdctl.service import inbox

    subscriptions, results, wrote = inbox.fetch(common.database_path(context), at=options.now())
    common.Run.committed = wrote
    failed = [result.feed for result in results if result.status == "failed"]
    common.Run.outcome = 1 if failed else 0
    try:
        if as_json:
            render.print_json([result.as_dict() for result in results])
        elif not subscriptions:
            typer.echo("No feeds to fetch: add one with `aousdctl feed add URL`")
        else:
            for result in results:
                typer.echo(f"{result.feed}\t{render.fetch_outcome(result)}")
    finally:  # said even when the list could not be printed (stdout closed, say)
        if failed:
            typer.echo(
                f"Error: {len(failed)} of {len(results)} feeds failed: {', '.join(failed)}",
                err=True,
            )
    if failed:
        raise typer.Exit(1)


@program.inbox_app.callback()
def inbox(
    context: typer.Context,
    every: Annotated[
        bool,
        typer.Option(
            "--all", help="Decided leads too (accepted, attached, dismissed), with the decision."
        ),
    ] = False,
    as_json: options.JsonFlag = False,
) -> None:
    """Leads waiting for a decision, newest first, each with up to 3 claims it may be about
    (open claims first, and how well each matches, out of 100)."""
    from aousdctl.service import inbox

    if context.invoked_subcommand is not None:
        if as_json:
            raise BadInput("--json goes after the inbox subcommand")
        if every:
            raise BadInput("--all lists the inbox; it goes with no subcommand")
        return
    found = inbox.listed(common.database_path(context), every=every)
    shown = [render.lead_view(lead) for lead in found]
    if as_json:
        render.print_json(shown)
        return
    if not shown:
        typer.echo("Inbox empty: no leads" if every else "Inbox empty: no leads waiting")
    for lead in shown:
        typer.echo(f"{lead['id']}  {lead['published'] or lead['fetched']}  {lead['outlet']}")
        typer.echo(f"  {lead['title']}")
        typer.echo(f"  {lead['link']}")
        if lead["state"] != "waiting":
            typer.echo(f"  {render.decision(lead)}")
        for suggestion in lead["suggestions"]:
            typer.echo(f"  {render.suggestion_line(suggestion)}")


@program.inbox_app.command("show")
def inbox_show(
    context: typer.Context, lead: options.LeadId, as_json: options.JsonFlag = False
) -> None:
    """Show one lead whole: its summary, every link to the story, and the claims it may be
    about (or what was decided)."""
    from aousdctl.service import inbox

    shown = render.lead_view(inbox.shown(common.database_path(context), lead))
    if as_json:
        render.print_json(shown)
    else:
        typer.echo("\n".join(render.lead_lines(shown)))


@program.inbox_app.command("accept")
def inbox_accept(
    context: typer.Context,
    lead: options.LeadId,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The claim, as one sentence.")],
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic",
            metavar="TOPIC",
            autocompletion=completion.complete_topics,
            help="Its topic (default: the feed's, or General).",
        ),
    ] = None,
    status: Annotated[
        options.LadderStatus,
        typer.Option(
            "--status",
            help="Where it starts: an outlet carried it (confirmed: the lead is official).",
        ),
    ] = "reported",
    tag: options.TagsOption = None,
    expected: options.ExpectedOption = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Accept it even if a debunked claim says nearly the same."),
    ] = False,
    as_json: options.JsonFlag = False,
    quiet: options.QuietFlag = False,
) -> None:
    """Make a new claim citing the lead (or cite it on the claim that already says this).
    Checked as `add` checks a claim: a text close to another claim's is accepted with a
    note naming it; close to a debunked claim's, it is refused unless --force."""
    from aousdctl.domain.claims import Status
    from aousdctl.service import inbox

    options.check_output_flags(as_json, quiet)
    outcome = common.committed(
        inbox.accept(
            common.database_path(context),
            lead,
            text,
            at=options.now(),
            topic=topic,
            status=Status(status),
            tags=tag or [],
            expected=expected,
            force=force,
        )
    )
    for line in render.twin_notes(outcome.twins):
        typer.echo(line, err=True)
    render.report(outcome.claim, render.add_message(outcome), as_json, quiet)


@program.inbox_app.command("attach")
def inbox_attach(
    context: typer.Context,
    lead: options.LeadId,
    claim_ids: options.ClaimIds,
    promote: Annotated[
        bool, typer.Option("--promote", help="Also move each claim one step up the ladder.")
    ] = False,
    to: Annotated[
        options.LadderStatus | None, typer.Option("--to", help="With --promote: straight to this.")
    ] = None,
    refutes: Annotated[
        bool, typer.Option("--refutes", help="The lead refutes the claims (a denial).")
    ] = False,
    as_json: options.JsonFlag = False,
    quiet: options.QuietFlag = False,
) -> None:
    """Cite the lead as a source of existing claims (one story can back several), in the
    same change as --promote; --refutes cites it as a denial."""
    from aousdctl.domain.claims import Status
    from aousdctl.service import inbox

    options.check_output_flags(as_json, quiet)
    outcomes = common.committed(
        inbox.attach(
            common.database_path(context),
            lead,
            claim_ids,
            at=options.now(),
            promote=promote,
            to=Status(to) if to else None,
            refutes=refutes,
        )
    )
    reports = []
    for outcome in outcomes:
        claim = outcome.claim
        if outcome.result == "unchanged":
            message = f"Claim {claim['id']} already cites this lead"
        elif claim["status"] != outcome.before:
            message = f"Claim {claim['id']} cites the lead: {outcome.before} -> {claim['status']}"
        else:
            message = f"Claim {claim['id']} now cites the lead"
        reports.append((claim, message))
    render.report_each(reports, as_json, quiet, several=len(claim_ids) > 1)


@program.inbox_app.command("dismiss")
def inbox_dismiss(
    context: typer.Context,
    lead: options.LeadId,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="Why, for the record.")
    ] = None,
    quiet: options.SilentFlag = False,
) -> None:
    """Set a lead aside: it leaves the inbox and is never proposed again."""
    from aousdctl.service import inbox

    dismissed = common.committed(
        inbox.dismiss(common.database_path(context), lead, at=options.now(), note=note)
    )
    if not quiet:
        typer.echo(f"Dismissed lead {dismissed['id']}")
