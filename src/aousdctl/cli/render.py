"""How results are shown: JSON, plain tab-separated lines off a terminal, tables on one."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import typer

from aousdctl.domain import dates

if TYPE_CHECKING:
    from aousdctl.domain.claims import Claim
    from aousdctl.domain.feeds import Feed
    from aousdctl.domain.leads import Lead
    from aousdctl.domain.outlets import TrackRecord
    from aousdctl.domain.twins import Twin
    from aousdctl.service.claims import Outcome
    from aousdctl.service.topics import Moved


def print_json(data: Any) -> None:
    """JSON on stdout, written as bytes: as text, Click would first scan all of it for
    terminal escapes, which stored text can't contain (control characters are refused)."""
    typer.echo(json_bytes(data), nl=False)


def print_json_lines(items: Iterable[Any]) -> None:
    from aousdctl import codec

    typer.echo(codec.printed_lines(items), nl=False)


def print_csv(claims: list["Claim"]) -> None:
    from aousdctl.formats import spreadsheet

    typer.echo(spreadsheet.written(claims), nl=False)


def report(claim: "Claim", message: str, as_json: bool, quiet: bool) -> None:
    """What a write prints: the claim as JSON, only its id, or a sentence."""
    if as_json:
        from aousdctl.domain.claims import in_stored_order

        print_json(in_stored_order(claim))
    elif quiet:
        typer.echo(str(claim["id"]))
    else:
        typer.echo(message)


def report_each(
    reports: Sequence[tuple["Claim", str]], as_json: bool, quiet: bool, *, several: bool
) -> None:
    """What a write on several claims prints: a sentence (or an id) a claim, or the claims
    as a JSON array; given one id, exactly what `report` prints for it."""
    if as_json and several:
        from aousdctl.domain.claims import in_stored_order

        print_json([in_stored_order(claim) for claim, _ in reports])
        return
    for claim, message in reports:
        report(claim, message, as_json, quiet)


def add_message(outcome: "Outcome") -> str:
    claim = outcome.claim
    if outcome.result == "added":
        return f"Added claim {claim['id']} ({claim['status']})"
    if outcome.result == "unchanged":
        return f"Claim {claim['id']} already says this; nothing new to add"
    attached = [
        count(outcome.added_sources, "source"),
        count(outcome.added_tags, "tag"),
    ]
    return f"Claim {claim['id']} already says this; attached " + " and ".join(
        part for part in attached if part
    )


def twin_notes(twins: "Sequence[Twin]") -> list[str]:
    """A `Note:` line for each claim a new one nearly repeats: its id, text, topic and
    status (with the reason, if debunked), and how close it is."""
    from aousdctl.domain.claims import debunk_reason

    notes = []
    for twin in twins:
        claim = twin.claim
        status = claim["status"]
        if status == "debunked":
            status += f": {debunk_reason(claim) or 'no reason recorded'}"
        closeness = "same words" if twin.same_words else f"{twin.score}% alike"
        notes.append(
            f'Note: claim {claim["id"]} says nearly the same: "{claim["text"]}" '
            f"({claim['topic']}, {status}; {closeness})"
        )
    return notes


def count(number: int, noun: str) -> str:
    if number == 0:
        return ""
    return f"{number} new {noun}" + ("" if number == 1 else "s")


STATUS_STYLES = {
    "confirmed": "bold green",
    "reported": "yellow",
    "rumor": "magenta",
    "debunked": "dim strike",
}


STATUS_COLOURS: dict[str, dict[str, Any]] = {
    "confirmed": {"fg": "green", "bold": True},
    "reported": {"fg": "yellow"},
    "rumor": {"fg": "magenta"},
    "debunked": {"dim": True},
}


def styled(status: str) -> str:
    return typer.style(status, **STATUS_COLOURS[status])


def print_table(found: list["Claim"], *, colour: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, header_style="bold")
    for name, options in (
        ("ID", {"no_wrap": True}),
        ("Status", {}),
        ("Topic", {}),
        ("Claim", {"overflow": "fold", "ratio": 1}),
        ("Sources", {"justify": "right"}),
        ("Expected", {}),
    ):
        table.add_column(name, **options)
    for claim in found:
        table.add_row(
            str(claim["id"]),
            Text(claim["status"], style=STATUS_STYLES[claim["status"]]),
            Text(claim["topic"]),
            Text(claim["text"]),
            str(len(claim["sources"])),
            Text(dates.describe(claim["expected"]) if claim["expected"] else ""),
        )
    print_rich(table, colour=colour)


def print_rich(renderable: Any, *, colour: bool) -> None:
    """A table on the terminal. Without colour Rich gets no colour system at all: its
    `no_color` would still write bold and dim, which `--color never` and NO_COLOR forbid."""
    from rich.console import Console

    Console(
        highlight=False,
        force_terminal=True,
        color_system="auto" if colour else None,
        no_color=not colour,  # Rich would read NO_COLOR itself, over `--color always`
    ).print(renderable)


def claim_lines(claim: "Claim", grades: dict[str, str] | None = None) -> list[str]:
    lines = [
        f"Claim {claim['id']} ({claim['status']})",
        f"  Text:     {claim['text']}",
        f"  Topic:    {claim['topic']}",
    ]
    if claim["tags"]:
        lines.append(f"  Tags:     {', '.join(claim['tags'])}")
    if claim["expected"]:
        lines.append(f"  Expected: {dates.describe(claim['expected'])} ({claim['expected']})")
    if claim["note"]:
        lines.append(f"  Note:     {claim['note']}")
    lines.append(f"  Created:  {claim['created']}   Updated: {claim['updated']}")
    lines.append("Sources:" if claim["sources"] else "Sources: none")
    for number, source in enumerate(claim["sources"], start=1):
        described = " - ".join(
            part
            for part in (
                source["publisher"] or source["outlet"],
                source["title"],
                source["published"],
            )
            if part
        )
        if source["stance"] == "refutes":
            described = f"refutes it: {described}"
        if grades is not None:
            described += f"  ({outlet_grade(source['outlet'], grades)})"
        lines.append(f"  [{number}] {described}\n      {source['url']}")
    lines.append("History:")
    lines.extend(f"  {event_line(event)}" for event in claim["history"])
    return lines


def event_line(event: Any) -> str:
    if event["from"] and event["to"]:
        move = f" {event['from']} -> {event['to']}"
    else:
        move = f" as {event['to']}" if event["to"] else ""
    # A note may span lines; the log and the history keep one event a line.
    note = f": {' / '.join(event['note'].splitlines())}" if event["note"] else ""
    sources = f" [{', '.join(event['sources'])}]" if event["sources"] else ""
    return f"{event['at']}  {event['action']}{move}{note}{sources}"


def json_bytes(data: Any) -> bytes:
    """Indented JSON with a final newline; fields keep their documented order."""
    from aousdctl import codec

    return codec.printed(data)


def outlet_grade(outlet: str, grades: dict[str, str]) -> str:
    from aousdctl.domain.outlets import outlet_key

    return grades.get(outlet_key(outlet), "not graded")


def print_outlets_table(records: "Sequence[TrackRecord]", *, colour: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, header_style="bold")
    table.add_column("Outlet", overflow="fold", ratio=1)
    table.add_column("Grade")
    table.add_column("Hit rate")
    for name in ("Cited", "Supports", "Refutes", "Right", "Wrong", "Open"):
        table.add_column(name, justify="right")
    for record in records:
        table.add_row(
            Text(record.outlet),
            record.grade_text,
            record.hit_rate_text,
            *(
                str(number)
                for number in (
                    record.cited,
                    record.supported,
                    record.refuted,
                    record.right,
                    record.wrong,
                    record.open,
                )
            ),
        )
    print_rich(table, colour=colour)


def topic_move_details(moved: "Moved") -> str:
    """What moved with a renamed or removed topic: "; moved 3 claims and 1 feed to Cast"."""
    moved_parts = [
        f"{number} {noun}" + ("" if number == 1 else "s")
        for number, noun in ((len(moved.claims), "claim"), (len(moved.feeds), "feed"))
        if number
    ]
    return f"; moved {' and '.join(moved_parts)} to {moved.to}" if moved_parts else ""


def feed_view(feed: "Feed") -> dict[str, Any]:
    """A feed as `feed list --json` shows it: without the validators of its last answer."""
    return {
        "name": feed["name"],
        "url": feed["url"],
        "match": feed["match"],
        "topic": feed["topic"],
        "added": feed["added"],
    }


def fetch_outcome(result: Any) -> str:
    if result.status == "failed":
        return f"failed: {result.error}"
    if result.status == "not-modified":
        return "not modified"
    outcome = _counted(result.new, "new lead")
    if result.skipped:
        outcome += f", {_counted(result.skipped, 'entry', 'entries')} skipped (no link to cite)"
    return outcome


def _counted(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def print_trial(trial: Any) -> None:
    """What `feed add` and `feed test` show of a feed read now: its title, how many
    entries its terms keep, and each entry marked `keep` or `drop` (newest first)."""
    title = trial.title or "(untitled feed)"
    count = _counted(len(trial.entries), "entry", "entries")
    if trial.terms:
        kept = f"--match keeps {trial.kept}, drops {len(trial.entries) - trial.kept}"
    else:
        kept = "no --match: all kept"
    skipped = f"; {trial.skipped} skipped (no link to cite)" if trial.skipped else ""
    typer.echo(f"{title}: {count}, {kept}{skipped}")
    for entry, keeps in trial.entries:
        day = entry.published[:10] if entry.published else "-"
        typer.echo(f"{'keep' if keeps else 'drop'}\t{day}\t{entry.title}")


def lead_view(lead: "Lead") -> dict[str, Any]:
    """A lead as `inbox --json` and `inbox show --json` show it: what a person decides on,
    every link to the story, the decision (`state` waiting, accepted, attached or dismissed;
    the claim, the note, when), and the suggestions while it waits."""
    from aousdctl.domain.leads import links_of

    return {
        "id": lead["id"],
        "title": lead["title"],
        "summary": lead["summary"],
        "link": lead["link"],
        "links": links_of(lead),
        "outlet": lead["outlet"],
        "publisher": lead.get("publisher"),
        "published": lead["published"],
        "feed": lead["feed"],
        "fetched": lead["fetched"],
        "state": lead["state"],
        "claim": lead["claim"],
        "note": lead["note"],
        "decided": lead["decided"],
        "suggestions": lead.get("suggestions", []),
    }


def suggestion_line(suggestion: Any) -> str:
    return (
        f"maybe {suggestion['claim']} ({suggestion['score']}, {suggestion['status']}): "
        f"{suggestion['text']}"
    )


def decision(lead: dict[str, Any]) -> str:
    """What was decided about a lead, in words: "accepted as claim k3xq9m2a on ..."."""
    if lead["state"] == "accepted":
        done = f"accepted as claim {lead['claim']}"
    elif lead["state"] == "attached":
        done = f"attached to claim {lead['claim']}"
    else:
        done = lead["state"]
    when = f" on {lead['decided']}" if lead["decided"] else ""
    note = f": {lead['note']}" if lead["note"] else ""
    return f"{done}{when}{note}"


def lead_lines(lead: dict[str, Any]) -> list[str]:
    """One lead whole, as `inbox show` prints it."""
    lines = [
        f"Lead {lead['id']} ({lead['state']})",
        f"  Title:     {lead['title']}",
        f"  Outlet:    {lead['outlet']} (feed {lead['feed']})",
        f"  Published: {lead['published'] or 'unknown'}   Fetched: {lead['fetched']}",
    ]
    if lead["state"] != "waiting":
        lines.append(f"  Decision:  {decision(lead)}")
    lines.append("Summary:" if lead["summary"] else "Summary: none")
    if lead["summary"]:
        lines.append(f"  {lead['summary']}")
    lines.append("Links:")
    lines.extend(f"  {link}" for link in lead["links"])
    if lead["state"] == "waiting":
        lines.append("Suggestions:" if lead["suggestions"] else "Suggestions: none")
        lines.extend(f"  {suggestion_line(suggestion)}" for suggestion in lead["suggestions"])
    return lines


def print_review(groups: list[Any]) -> None:
    for group in groups:
        if not group.items:
            continue
        typer.echo(f"{group.title} ({len(group.items)}): {group.hint}")
        for item in group.items:
            label = f"lead {item['lead']}" if "lead" in item else item["claim"]
            typer.echo(f"  {label}  {item['text']}  ({item['detail']})")
