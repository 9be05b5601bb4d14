"""The explainer article: the data it needs, and its Markdown through a Jinja2 template.

`build` turns the database into a plain dictionary (documented in README, and the same for
custom templates); `render` feeds it to `templates/article.md.j2` or a user's template. The
article is a pure function of the database and "now" (which only decides what is overdue):
it says when a claim last changed, never when it was exported, so an unchanged database
gives a byte-identical article.

User text is made inert by one filter, `md`, which every template applies to every value
that came from a user, so a claim can't add HTML, links, headings, list structure or
footnotes to the article. Links come only from sources, which are checked http(s) URLs.
"""

import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from importlib import resources
from typing import Any
from urllib.parse import quote

from aousdctl import claims as claim_rules
from aousdctl import clock, topics
from aousdctl.claims import Claim, Status
from aousdctl.errors import BadInput
from aousdctl.store import Database

WHATS_NEW_WINDOW = timedelta(days=30)
STATUS_GROUPS = (
    (Status.CONFIRMED, "Confirmed"),
    (Status.REPORTED, "Reported, not yet official"),
    (Status.RUMOR, "Rumored, unconfirmed"),
)
NEWS_ACTIONS = ("added", "promoted", "demoted", "debunked")
_STATUS_PHRASES = {
    "rumor": "a rumor",
    "reported": "reported",
    "confirmed": "confirmed",
    "debunked": "debunked",
}


def build(database: Database, now: datetime, changes_since: str | None = None) -> dict[str, Any]:
    """Everything the article says, as plain data (see README, "Custom templates")."""
    every_claim = database.claims()
    # When a claim last changed, removals included: an unchanged database, the same article.
    last_change = max(
        (claim["updated"] for claim in every_claim + database.removed_claims()), default=None
    )
    footnotes = _Footnotes()
    sections = [
        section
        for topic in topics.article_order((c["topic"] for c in every_claim), database.topics())
        if (section := _section(topic, every_claim, footnotes, now)) is not None
    ]
    counts = Counter(claim["status"] for claim in every_claim)
    return {
        "title": database.setting("title") or "What we know so far",
        "intro": database.setting("intro"),
        "last_updated": last_change,
        "last_updated_text": clock.describe(last_change[:10]) if last_change else None,
        "counts": {status.value: counts.get(status.value, 0) for status in Status},
        "whats_new": _whats_new(every_claim, last_change, changes_since),
        "sections": sections,
        "sources": footnotes.sources,
    }


def _section(
    topic: dict[str, Any], every_claim: list[Claim], footnotes: "_Footnotes", now: datetime
) -> dict[str, Any] | None:
    key = topic["name"].casefold()
    members = [claim for claim in every_claim if claim["topic"].casefold() == key]
    if not members:
        return None
    groups = []
    for status, label in STATUS_GROUPS:
        chosen = [_claim_entry(c, footnotes, now) for c in members if c["status"] == status]
        if chosen:
            groups.append({"status": status.value, "label": label, "claims": chosen})
    debunked = [_claim_entry(c, footnotes, now) for c in members if c["status"] == Status.DEBUNKED]
    return {
        "topic": topic["name"],
        "heading": topic["heading"] or topic["name"],
        "intro": topic["intro"],
        "groups": groups,
        "debunked": debunked,
    }


def _claim_entry(claim: Claim, footnotes: "_Footnotes", now: datetime) -> dict[str, Any]:
    return {
        "id": claim["id"],
        "text": claim["text"],
        "status": claim["status"],
        "tags": claim["tags"],
        "note": claim["note"],
        "expected": claim["expected"],
        "expected_text": clock.describe(claim["expected"]) if claim["expected"] else None,
        "overdue": claim_rules.is_overdue(claim, now),
        "footnotes": [footnotes.number(source) for source in claim["sources"]],
        "debunk_reason": claim_rules.debunk_reason(claim),
    }


class _Footnotes:
    """One footnote per distinct source URL, numbered in order of first citation."""

    def __init__(self) -> None:
        self.sources: list[dict[str, Any]] = []
        self._numbers: dict[str, int] = {}

    def number(self, source: claim_rules.Source) -> int:
        if source["url"] not in self._numbers:
            self._numbers[source["url"]] = len(self.sources) + 1
            self.sources.append(
                {
                    "number": len(self.sources) + 1,
                    "url": source["url"],
                    "outlet": source["outlet"],
                    "title": source["title"],
                    "published": source["published"],
                    "published_text": clock.describe(source["published"])
                    if source["published"]
                    else None,
                }
            )
        return self._numbers[source["url"]]


def _whats_new(
    every_claim: Iterable[Claim], last_change: str | None, changes_since: str | None
) -> dict[str, Any]:
    """Claims added, promoted, demoted or debunked recently, newest first."""
    if changes_since:
        start = clock.first_moment(clock.parse_partial_date(changes_since, "--changes-since"))
    elif last_change:
        start = clock.timestamp(datetime.fromisoformat(last_change) - WHATS_NEW_WINDOW)
    else:
        return {"since": None, "since_text": None, "changes": []}
    recent = [
        (event["at"], claim["id"], position, claim, event)
        for claim in every_claim
        for position, event in enumerate(claim["history"])
        if event["action"] in NEWS_ACTIONS and event["at"] >= start
    ]
    recent.sort(key=lambda entry: entry[:3], reverse=True)
    changes = [
        {
            "at": event["at"],
            "date_text": clock.describe(event["at"][:10]),
            "claim": claim["id"],
            "text": claim["text"],
            "action": event["action"],
            "from": event["from"],
            "to": event["to"],
            "summary": _summary(event["action"], event["from"], event["to"]),
        }
        for _, _, _, claim, event in recent
    ]
    return {"since": start, "since_text": clock.describe(start[:10]), "changes": changes}


def _summary(action: str, before: str | None, after: str | None) -> str:
    """What a change did, in a reader's words: "now confirmed, was reported"."""
    if action == "added":
        return f"new, {_STATUS_PHRASES[after or 'rumor']}"
    if action == "debunked":
        return f"debunked, was {_STATUS_PHRASES[before or 'rumor']}"
    return f"now {_STATUS_PHRASES[after or 'rumor']}, was {_STATUS_PHRASES[before or 'rumor']}"


# Characters that start Markdown structure anywhere in a line: emphasis, code, links,
# footnotes, tables, strikethrough, headings, and e-mail autolinks.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~#@])")
_LINE_START_MARKERS = re.compile(r"^([-+=])|^(\d+)([.)])")


def escape_markdown(value: Any) -> str:
    """User text as inert Markdown: it reads the same but can't add structure or HTML."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    text = re.sub(r":(?=//)", r"\\:", text)  # no bare-URL autolinks
    text = re.sub(r"(?i)\bwww\.", lambda match: match.group(0)[:3] + "\\.", text)
    return _LINE_START_MARKERS.sub(
        lambda match: (
            f"\\{match.group(1)}" if match.group(1) else f"{match.group(2)}\\{match.group(3)}"
        ),
        text,
    )


def link_target(url: str) -> str:
    """A source URL safe inside `<...>`: anything that could end or break the link is encoded."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%-._~")


def default_template() -> str:
    return (resources.files("aousdctl") / "templates" / "article.md.j2").read_text("utf-8")


def render(data: dict[str, Any], template: str | None = None) -> str:
    """The article as Markdown, from the default template or a user's."""
    from jinja2 import Environment, StrictUndefined, TemplateError

    environment = Environment(
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    environment.filters["md"] = escape_markdown
    environment.filters["url"] = link_target
    try:
        text = environment.from_string(template or default_template()).render(**data)
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        where = f" (line {line})" if line else ""
        raise BadInput(f"the template failed{where}: {error}") from None
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
