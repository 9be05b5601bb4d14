"""Commands about claims: add, list, show, promote, demote, debunk, edit, source add, rm, log."""

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from aousdctl.cli import common, completion, options, program, render
from aousdctl.domain import dates
from aousdctl.errors import BadInput

if TYPE_CHECKING:
    from aousdctl.service.claims import Outcome


@program.app.command()
def add(
    context: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The claim, as one sentence.")],
    status: Annotated[
        options.LadderStatus, typer.Option("--status", help="Where it starts.")
    ] = "rumor",
    topic: Annotated[
        str,
        typer.Option(
            "--topic",
            metavar="TOPIC",
            autocompletion=completion.complete_topics,
            help="The question it answers.",
        ),
    ] = "General",
    source: options.SourcesOption = None,
    tag: options.TagsOption = None,
    expected: options.ExpectedOption = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="Context for readers.")
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Add it even if a debunked claim says nearly the same."),
    ] = False,
    as_json: options.JsonFlag = False,
    quiet: options.QuietFlag = False,
) -> None:
    """Log a claim. The same text in the same topic is not added twice: new sources and tags
    are attached to the existing claim instead, so re-running a script is harmless. A text
    close to another claim's is added with a note naming it; close to a debunked claim's,
    it is refused unless --force."""
    from aousdctl.domain.claims import Draft, Status
    from aousdctl.service import claims as service

    options.check_output_flags(as_json, quiet)
    outcome = common.committed(
        service.add(
            common.database_path(context),
            Draft(
                text,
                status=Status(status),
                topic=topic,
                tags=tag or [],
                sources=options.sources(source),
                expected=expected,
                note=note,
            ),
            at=options.now(),
            force=force,
        )
    )
    for line in render.twin_notes(outcome.twins):
        typer.echo(line, err=True)
    render.report(outcome.claim, render.add_message(outcome), as_json, quiet)


@program.app.command("list")
def list_claims(
    context: typer.Context,
    status: Annotated[
        list[options.AnyStatus] | None,
        typer.Option("--status", help="Only these; repeatable."),
    ] = None,
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic",
            metavar="TOPIC",
            autocompletion=completion.complete_topics,
            help="Only this topic.",
        ),
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
        typer.Option(
            "--overdue",
            help="Only rumors and reports predicted for a window that has passed since.",
        ),
    ] = False,
    outlet: Annotated[
        str | None,
        typer.Option(
            "--outlet", metavar="NAME", help="Only claims with a source from this outlet."
        ),
    ] = None,
    since: options.SinceOption = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", metavar="N", min=1, help="Only the first N (oldest first)."),
    ] = None,
    as_json: options.JsonFlag = False,
    as_json_lines: Annotated[
        bool,
        typer.Option(
            "--jsonl", "--nl", help="Print one claim per line as JSON Lines (`import` reads it)."
        ),
    ] = False,
    as_csv: Annotated[
        bool,
        typer.Option(
            "--csv", help="Print CSV with a header row, for spreadsheets (`import` reads it)."
        ),
    ] = False,
) -> None:
    """List claims, oldest first. Plain tab-separated lines when not on a terminal.
    --since keeps the claims changed since then (added, moved, edited or sourced)."""
    from aousdctl.domain.filters import claim_filter

    if as_json + as_json_lines + as_csv > 1:
        raise BadInput("give one of --json, --jsonl and --csv")

    now = dates.now()
    wanted = claim_filter(
        statuses=status or [],
        topic=topic,
        tag=tag,
        search=search,
        overdue_at=now if overdue else None,
        updated_since=dates.since(since, "--since", now) if since is not None else None,
    )
    from aousdctl.service import claims as service

    found = service.listing(common.database_path(context), wanted, limit, outlet=outlet)
    if as_json:
        render.print_json(found)
    elif as_json_lines:
        render.print_json_lines(found)
    elif as_csv:
        render.print_csv(found)
    elif not common.on_terminal():
        colour = common.colour(context)
        for claim in found:
            shown = render.styled(claim["status"]) if colour else claim["status"]
            typer.echo(f"{claim['id']}\t{shown}\t{claim['topic']}\t{claim['text']}", color=colour)
    else:
        render.print_table(found, colour=common.colour(context))


@program.app.command()
def show(
    context: typer.Context, claim_id: options.ClaimId, as_json: options.JsonFlag = False
) -> None:
    """Show one claim with its sources (and each outlet's grade) and history."""
    from aousdctl.service import claims as service

    claim, grades = service.show(common.database_path(context), claim_id)
    if as_json:
        render.print_json(claim)
    else:
        typer.echo("\n".join(render.claim_lines(claim, grades)))


@program.app.command()
def promote(
    context: typer.Context,
    claim_ids: options.ClaimIds,
    to: Annotated[
        options.LadderStatus | None,
        typer.Option("--to", help="Skip straight to this."),
    ] = None,
    source: options.SourcesOption = None,
    remark: Annotated[
        str | None,
        typer.Option(
            "--remark",
            metavar="TEXT",
            help="What the new evidence is, kept in the history (--note works too: its old name).",
        ),
    ] = None,
    old_note: options.OldNoteOption = None,
    as_json: options.JsonFlag = False,
    quiet: options.QuietFlag = False,
) -> None:
    """Move claims one step up the ladder (or straight --to a status).
    Confirming needs at least one source, given now or before."""
    from aousdctl.domain.claims import Status
    from aousdctl.service import claims as service

    options.check_output_flags(as_json, quiet)
    note = options.renamed(remark, old_note, "--remark")
    outcomes = common.committed(
        service.promote(
            common.database_path(context),
            claim_ids,
            at=options.now(),
            to=Status(to) if to else None,
            sources=options.sources(source),
            note=note,
        )
    )
    _report(outcomes, _moved("Promoted"), as_json, quiet, several=len(claim_ids) > 1)


@program.app.command()
def demote(
    context: typer.Context,
    claim_ids: options.ClaimIds,
    why: Annotated[
        str | None,
        typer.Option(
            "--why",
            metavar="TEXT",
            help="Why it moves down (required; --note works too: its old name).",
        ),
    ] = None,
    old_note: options.OldNoteOption = None,
    to: Annotated[
        Literal["rumor", "reported"] | None,
        typer.Option("--to", help="Go down to this."),
    ] = None,
    as_json: options.JsonFlag = False,
    quiet: options.QuietFlag = False,
) -> None:
    """Move claims one step down the ladder (or --to a status), saying why."""
    from aousdctl.domain.claims import Status
    from aousdctl.service import claims as service

    options.check_output_flags(as_json, quiet)
    outcomes = common.committed(
        service.demote(
            common.database_path(context),
            claim_ids,
            at=options.now(),
            why=options.renamed(why, old_note, "--why"),
            to=Status(to) if to else None,
        )
    )
    _report(outcomes, _moved("Demoted"), as_json, quiet, several=len(claim_ids) > 1)


@program.app.command()
def debunk(
    context: typer.Context,
    claim_ids: options.ClaimIds,
    why: Annotated[
        str | None,
        typer.Option(
            "--why",
            metavar="TEXT",
            help="Why it is false (required; --note works too: its old name).",
        ),
    ] = None,
    old_note: options.OldNoteOption = None,
    source: options.SourcesOption = None,
    as_json: options.JsonFlag = False,
    quiet: options.QuietFlag = False,
) -> None:
    """Mark claims false. Each is kept with the reason, so adding it again is refused."""
    from aousdctl.service import claims as service

    options.check_output_flags(as_json, quiet)
    outcomes = common.committed(
        service.debunk(
            common.database_path(context),
            claim_ids,
            at=options.now(),
            why=options.renamed(why, old_note, "--why"),
            sources=options.sources(source),
        )
    )
    _report(
        outcomes,
        lambda outcome: f"Debunked claim {outcome.claim['id']} (was {outcome.before})",
        as_json,
        quiet,
        several=len(claim_ids) > 1,
    )


@program.app.command()
def edit(
    context: typer.Context,
    claim_ids: options.ClaimIds,
    text: Annotated[str | None, typer.Option("--text", metavar="TEXT", help="New wording.")] = None,
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic",
            metavar="TOPIC",
            autocompletion=completion.complete_topics,
            help="Move to this topic.",
        ),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", metavar="TAG", help="Add a tag; repeatable.")
    ] = None,
    untag: Annotated[
        list[str] | None, typer.Option("--untag", metavar="TAG", help="Remove a tag; repeatable.")
    ] = None,
    expected: Annotated[
        str | None,
        typer.Option(
            "--expected", metavar="WHEN", help='A date or window, as for add; "" clears it.'
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help='The note; "" clears it.')
    ] = None,
    as_json: options.JsonFlag = False,
    quiet: options.QuietFlag = False,
) -> None:
    """Change a claim's wording, topic, tags, expected date or note; several claims' topic
    and tags at once. The history keeps what each said before."""
    from aousdctl.service import claims as service

    options.check_output_flags(as_json, quiet)
    one_claim_only = [text, expected, note]
    if all(value is None for value in [*one_claim_only, topic]) and not tag and not untag:
        raise BadInput(
            "nothing to change: give --text, --topic, --tag, --untag, --expected or --note"
        )
    if len(claim_ids) > 1 and any(value is not None for value in one_claim_only):
        raise BadInput(
            "--text, --expected and --note change one claim at a time; "
            "several claims take --topic, --tag and --untag"
        )
    outcomes = common.committed(
        service.edit(
            common.database_path(context),
            claim_ids,
            at=options.now(),
            text=text,
            topic=topic,
            add_tags=tag or [],
            remove_tags=untag or [],
            expected=expected,
            note=note,
        )
    )
    _report(
        outcomes,
        lambda outcome: (
            f"Edited claim {outcome.claim['id']}"
            if outcome.result == "updated"
            else f"Claim {outcome.claim['id']} already reads that way; nothing changed"
        ),
        as_json,
        quiet,
        several=len(claim_ids) > 1,
    )


_PUBLISHER = Annotated[
    str | None,
    typer.Option("--publisher", metavar="NAME", help="The publisher's name, as readers know it."),
]
_ARCHIVE = Annotated[
    str | None,
    typer.Option("--archive", metavar="URL", help="A link to an archived copy."),
]
_TITLE = Annotated[str | None, typer.Option("--title", metavar="TEXT", help="The headline.")]
_PUBLISHED = Annotated[
    str | None, typer.Option("--published", metavar="DATE", help="YYYY[-MM[-DD]].")
]


def _given(*values: str | None) -> dict[str, str]:
    """The details a command line gave a source (outlet, publisher, title, published,
    archive, in that order), by name."""
    names = ("outlet", "publisher", "title", "published", "archive")
    return {name: value for name, value in zip(names, values, strict=True) if value is not None}


@program.source_app.command("add")
def source_add(
    context: typer.Context,
    claim_id: options.ClaimId,
    url: Annotated[str, typer.Argument(metavar="URL", help="An http(s) link to the evidence.")],
    refutes: Annotated[
        bool | None,
        typer.Option(
            "--refutes/--supports",
            help="Whether the source refutes the claim (a denial) or supports it "
            "(the default for a new link); given for a cited source, it turns the link round.",
            show_default=False,
        ),
    ] = None,
    outlet: Annotated[
        str | None,
        typer.Option("--outlet", metavar="NAME", help="Who published it (default: the site)."),
    ] = None,
    publisher: _PUBLISHER = None,
    title: _TITLE = None,
    published: _PUBLISHED = None,
    archive: _ARCHIVE = None,
    as_json: options.JsonFlag = False,
    quiet: options.QuietFlag = False,
) -> None:
    """Cite a source on a claim, as supporting it or (--refutes) refuting it. Details given
    for a source already known update its record, for every claim that cites it (the
    record's history keeps the old values)."""
    from aousdctl.domain import claims
    from aousdctl.service import claims as service

    options.check_output_flags(as_json, quiet)
    stance = claims.REFUTES if refutes else claims.SUPPORTS
    source = claims.make_source(
        url,
        outlet=outlet,
        title=title,
        published=published,
        stance=stance,
        publisher=publisher,
        archive=archive,
    )
    given = list(_given(outlet, publisher, title, published, archive))
    outcome = common.committed(
        service.cite(
            common.database_path(context),
            claim_id,
            source,
            at=options.now(),
            explicit=given,
            turn=refutes is not None,
        )
    )
    verb = next(s["stance"] for s in outcome.claim["sources"] if s["url"] == source["url"])
    message = (
        f"Claim {outcome.claim['id']} cites {source['url']}, which {verb} it"
        if outcome.result == "updated"
        else f"Claim {outcome.claim['id']} already cites this source; nothing changed"
    )
    render.report(outcome.claim, message, as_json, quiet)


@program.source_app.command("edit")
def source_edit(
    context: typer.Context,
    url: Annotated[str, typer.Argument(metavar="URL", help="The source's link.")],
    outlet: Annotated[
        str | None, typer.Option("--outlet", metavar="NAME", help="Who published it.")
    ] = None,
    publisher: _PUBLISHER = None,
    title: _TITLE = None,
    published: _PUBLISHED = None,
    archive: _ARCHIVE = None,
    as_json: options.JsonFlag = False,
    quiet: options.QuietFlag = False,
) -> None:
    """Change what a source's record says, for every claim that cites it; "" clears a
    detail (but the outlet). The record's history keeps the old values."""
    from aousdctl.service import sources

    options.check_output_flags(as_json, quiet)
    given = _given(outlet, publisher, title, published, archive)
    if not given:
        raise BadInput(
            "nothing to change: give --outlet, --publisher, --title, --published or --archive"
        )
    shown = common.committed(
        sources.edit(common.database_path(context), url, given, at=options.now())
    )
    if as_json:
        render.print_json({name: value for name, value in shown.items() if name != "changed"})
    elif not quiet:
        typer.echo(
            f"Source {shown['url']} updated"
            if shown["changed"]
            else f"Source {shown['url']} already says that; nothing changed"
        )


@program.source_app.command("list")
def source_list(context: typer.Context, as_json: options.JsonFlag = False) -> None:
    """Every source on record, with how many claims cite it. Plain tab-separated lines
    (url, cited, outlet, title) when not on a terminal."""
    from aousdctl.service import sources

    found = sources.listing(common.database_path(context))
    if as_json:
        render.print_json(found)
        return
    for source in found:
        typer.echo(
            f"{source['url']}\t{source['cited']}\t{source['publisher'] or source['outlet']}"
            f"\t{source['title'] or ''}"
        )


@program.source_app.command("rm")
def source_rm(
    context: typer.Context,
    claim_id: options.ClaimId,
    url: Annotated[str, typer.Argument(metavar="URL", help="The link to take off the claim.")],
    as_json: options.JsonFlag = False,
    quiet: options.QuietFlag = False,
) -> None:
    """Take a source off a claim (its record stays for the others). Refused for a confirmed
    claim's last supporting source."""
    from aousdctl.service import claims as service

    options.check_output_flags(as_json, quiet)
    claim = common.committed(
        service.uncite(common.database_path(context), claim_id, url, at=options.now())
    )
    render.report(claim, f"Claim {claim['id']} no longer cites {url.strip()}", as_json, quiet)


@program.app.command("rm")
def remove(
    context: typer.Context,
    claim_ids: options.ClaimIds,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Don't ask.")] = False,
    quiet: options.SilentFlag = False,
) -> None:
    """Remove claims from every list (they stay in the log; their ids are never reused).
    Asks first on a terminal; elsewhere needs --yes. To mark a claim false, use debunk."""
    from aousdctl.service import claims as service

    path = common.database_path(context)
    if not yes:
        if sys.stdin is None or not sys.stdin.isatty():
            raise BadInput("rm needs --yes when not run from a terminal; nothing was removed")
        shown = service.claims_named(path, claim_ids)
        for claim in shown:
            typer.echo(f"Claim {claim['id']}: {claim['text']}")
        if not typer.confirm("Remove it?" if len(shown) == 1 else f"Remove these {len(shown)}?"):
            if not quiet:
                typer.echo("Nothing removed.")
            return
        # Exactly the claims shown, whatever was added meanwhile.
        claim_ids = [claim["id"] for claim in shown]
    removed = common.committed(service.remove(path, claim_ids, at=options.now()))
    if not quiet:
        for claim in removed:
            typer.echo(f"Removed claim {claim['id']}")


@program.app.command()
def log(
    context: typer.Context,
    claim_id: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help="Only this claim (id, prefix or old number)."),
    ] = None,
    since: options.SinceOption = None,
    as_json: options.JsonFlag = False,
) -> None:
    """Status changes and edits, newest first, removed claims included."""
    from aousdctl.service import history

    start = dates.since(since, "--since", dates.now()) if since is not None else None
    entries = history.log(common.database_path(context), claim_id, since=start)
    if as_json:
        render.print_json(entries)
        return
    for entry in entries:
        undone = f" (undone {entry['undone']})" if entry["undone"] else ""
        typer.echo(f"{entry['claim']}  {render.event_line(entry)}{undone}")


def _report(
    outcomes: "list[Outcome]",
    sentence: "Callable[[Outcome], str]",
    as_json: bool,
    quiet: bool,
    *,
    several: bool,
) -> None:
    render.report_each(
        [(outcome.claim, sentence(outcome)) for outcome in outcomes],
        as_json,
        quiet,
        several=several,
    )


def _moved(verb: str) -> "Callable[[Outcome], str]":
    """The sentence of a move on the ladder: `Promoted claim ID: rumor -> reported`."""
    return lambda outcome: (
        f"{verb} claim {outcome.claim['id']}: {outcome.before} -> {outcome.claim['status']}"
    )
