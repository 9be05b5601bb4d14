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

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from importlib import resources
from typing import Any, NamedTuple

from aousdctl import claims as claim_rules
from aousdctl import clock, config, outlets, topics
from aousdctl.claims import Status
from aousdctl.errors import BadInput
from aousdctl.store import Database

WHATS_NEW_WINDOW = timedelta(days=30)
# A claim's id and its stored record: the article reads records as they are, uncopied.
Stored = tuple[int, Mapping[str, Any]]
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


def build(
    database: Database,
    now: datetime,
    changes_since: str | None = None,
    *,
    with_outlets: bool = False,
) -> dict[str, Any]:
    """Everything the article says, as plain data (see README, "Custom templates").

    The outlets' track records walk every claim's history, so they are worked out only
    `with_outlets` (for a custom template) or when the article's section shows them.
    """
    stored = database.stored_claims()
    # When a claim last changed, removals included: an unchanged database, the same article.
    last_change = max(
        [record["updated"] for _, record in stored]
        + [claim["updated"] for claim in database.removed_claims()],
        default=None,
    )
    footnotes = _Footnotes()
    by_topic: dict[str, list[Stored]] = {}
    for claim_id, record in stored:
        by_topic.setdefault(record["topic"].casefold(), []).append((claim_id, record))
    sections = [
        _section(topic, by_topic[topic["name"].casefold()], footnotes, now)
        for topic in topics.article_order(
            (record["topic"] for _, record in stored), database.topics()
        )
        if topic["name"].casefold() in by_topic
    ]
    counts = Counter(record["status"] for _, record in stored)
    settings = config.effective(database.setting)
    min_settled = settings[outlets.MIN_SETTLED_SETTING]
    return {
        "title": settings[config.TITLE] or "What we know so far",
        "intro": settings[config.INTRO],
        "last_updated": last_change,
        "last_updated_text": clock.describe(last_change[:10]) if last_change else None,
        "counts": {status.value: counts.get(status.value, 0) for status in Status},
        "whats_new": _whats_new(stored, last_change, changes_since),
        "sections": sections,
        "sources": footnotes.sources,
        "outlets": (
            outlets.track_records((record for _, record in stored), min_settled=min_settled)
            if with_outlets or settings[config.TRACK_RECORD]
            else []
        ),
        "outlet_min_settled": min_settled,
        "track_record": settings[config.TRACK_RECORD],
    }


def _section(
    topic: dict[str, Any], members: list[Stored], footnotes: "_Footnotes", now: datetime
) -> dict[str, Any]:
    def entries(status: Status) -> list[ArticleClaim]:
        return [
            _claim_entry(claim_id, record, footnotes, now)
            for claim_id, record in members
            if record["status"] == status
        ]

    groups = [
        {"status": status.value, "label": label, "claims": chosen}
        for status, label in STATUS_GROUPS
        if (chosen := entries(status))
    ]
    debunked = entries(Status.DEBUNKED)
    return {
        "topic": topic["name"],
        "heading": topic["heading"] or topic["name"],
        "intro": topic["intro"],
        "groups": groups,
        "debunked": debunked,
    }


class ArticleClaim(NamedTuple):
    """A claim as the article shows it. Named tuples rather than dicts: an article can hold
    tens of thousands, and templates read their fields as attributes, Jinja's fast path."""

    id: int
    text: str
    status: str
    tags: list[str]
    note: str | None
    expected: str | None
    expected_text: str | None
    overdue: bool
    footnotes: list[int]
    debunk_reason: str | None


class ArticleSource(NamedTuple):
    """A footnote: one distinct source URL, numbered in order of first citation."""

    number: int
    url: str
    outlet: str
    title: str | None
    published: str | None
    published_text: str | None


def _claim_entry(
    claim_id: int, claim: Mapping[str, Any], footnotes: "_Footnotes", now: datetime
) -> ArticleClaim:
    expected = claim["expected"]
    return ArticleClaim(
        claim_id,
        claim["text"],
        claim["status"],
        claim["tags"],
        claim["note"],
        expected,
        clock.describe(expected) if expected else None,
        bool(expected) and claim_rules.is_overdue(claim, now),
        [footnotes.number(source) for source in claim["sources"]],
        claim_rules.debunk_reason(claim) if claim["status"] == "debunked" else None,
    )


class _Footnotes:
    """One footnote per distinct source URL, numbered in order of first citation."""

    def __init__(self) -> None:
        self.sources: list[ArticleSource] = []
        self._numbers: dict[str, int] = {}

    def number(self, source: claim_rules.Source) -> int:
        number = self._numbers.get(source["url"])
        if number is None:
            number = self._numbers[source["url"]] = len(self.sources) + 1
            published = source["published"]
            self.sources.append(
                ArticleSource(
                    number,
                    source["url"],
                    source["outlet"],
                    source["title"],
                    published,
                    clock.describe(published) if published else None,
                )
            )
        return number


def _whats_new(
    stored: Iterable[Stored], last_change: str | None, changes_since: str | None
) -> dict[str, Any]:
    """Claims added, promoted, demoted or debunked recently, newest first."""
    if changes_since:
        start = clock.first_moment(clock.parse_partial_date(changes_since, "--changes-since"))
    elif last_change:
        start = clock.timestamp(datetime.fromisoformat(last_change) - WHATS_NEW_WINDOW)
    else:
        return {"since": None, "since_text": None, "changes": []}
    recent = [
        (event["at"], claim_id, position, claim, event)
        for claim_id, claim in stored
        for position, event in enumerate(claim["history"])
        if event["action"] in NEWS_ACTIONS and event["at"] >= start
    ]
    recent.sort(key=lambda entry: entry[:3], reverse=True)
    changes = [
        {
            "at": event["at"],
            "date_text": clock.describe(event["at"][:10]),
            "claim": claim_id,
            "text": claim["text"],
            "action": event["action"],
            "from": event["from"],
            "to": event["to"],
            "summary": _summary(event["action"], event["from"], event["to"]),
        }
        for _, claim_id, _, claim, event in recent
    ]
    return {"since": start, "since_text": clock.describe(start[:10]), "changes": changes}


def _summary(action: str, before: str | None, after: str | None) -> str:
    """What a change did, in a reader's words: "now confirmed, was reported"."""
    if action == "added":
        return f"new, {_STATUS_PHRASES[after or 'rumor']}"
    if action == "debunked":
        return f"debunked, was {_STATUS_PHRASES[before or 'rumor']}"
    return f"now {_STATUS_PHRASES[after or 'rumor']}, was {_STATUS_PHRASES[before or 'rumor']}"


# Characters that start Markdown structure anywhere in a line (emphasis, code, links,
# footnotes, tables, strikethrough, headings, e-mail autolinks) are backslash-escaped, and
# HTML's are written as entities, by one `str.translate` (run only when a search finds
# something to escape: most text has nothing, and the search is far cheaper).
_SPECIAL = re.compile(r"[&<>\\`*_\[\]|~#@]")
_INERT = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    | {character: "\\" + character for character in "\\`*_[]|~#@"}
)
_WWW = re.compile(r"(www)\.", re.IGNORECASE)
_LINE_START_MARKER = re.compile(r"([-+=])|(\d+)([.)])")
_MARKER_STARTS = frozenset("-+=0123456789")


def escape_markdown(value: Any) -> str:
    """User text as inert Markdown: it reads the same but can't add structure or HTML.

    Hot: an article escapes every claim, note, outlet and title, so text with nothing to
    escape (most of it) passes a few C-level checks and is returned as it is.
    """
    text = str(value)
    if not text.isprintable() or text[:1] == " " or text[-1:] == " ":
        text = " ".join(text.split())  # line breaks and odd spaces could start structure
    if _SPECIAL.search(text):
        text = text.translate(_INERT)
    if "://" in text:
        text = text.replace("://", "\\://")  # no bare-URL autolinks
    if "." in text and ("ww" in text or "WW" in text or "Ww" in text or "wW" in text):
        text = _WWW.sub(r"\1\\.", text)  # no "www." autolinks
    if text[:1] not in _MARKER_STARTS:
        return text
    marker = _LINE_START_MARKER.match(text)
    if marker is None:
        return text
    if marker.group(1):
        return "\\" + text
    return f"{marker.group(2)}\\{text[marker.end(2) :]}"


def footnote(source: ArticleSource) -> str:
    """A source's footnote definition: `[^1]: Outlet, "Title", June 2022. <https://...>`."""
    title = f', "{escape_markdown(source.title)}"' if source.title else ""
    published = f", {source.published_text}" if source.published_text else ""
    return (
        f"[^{source.number}]: {escape_markdown(source.outlet)}{title}{published}. "
        f"<{link_target(source.url)}>"
    )


def citations(footnotes: list[int]) -> str:
    """A claim's footnote references, or a visible mark that it has no source."""
    return "".join(f"[^{number}]" for number in footnotes) or " *(unsourced)*"


_LINK_UNSAFE = str.maketrans({"<": "%3C", ">": "%3E", " ": "%20"})
_LINK_BREAKERS = re.compile("[<> ]")


def link_target(url: str) -> str:
    """A source URL safe inside `<...>`: what could end or break the autolink is encoded.

    Sources are checked http(s) URLs without spaces or control characters when they are
    added; this also covers a database edited by hand.
    """
    return url.translate(_LINK_UNSAFE) if _LINK_BREAKERS.search(url) else url


def default_template() -> str:
    return (resources.files("aousdctl") / "templates" / "article.md.j2").read_text("utf-8")


def render(data: dict[str, Any], template: str | None = None) -> Iterator[bytes]:
    """The article as UTF-8 Markdown, in pieces, from the default template or a user's.

    Pieces, so that a large article goes to its file or to stdout as it is made and is never
    held whole. A template's syntax is checked before the first piece.
    """
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
    environment.filters["cite"] = citations
    environment.filters["footnote"] = footnote
    try:
        compiled = environment.from_string(template or default_template())
    except TemplateError as error:
        raise _template_failure(error) from None
    return _encoded_batches(compiled.generate(**data))


def _encoded_batches(chunks: Iterator[str], batch: int = 4096) -> Iterator[bytes]:
    """A template's many small pieces, joined and encoded a few thousand at a time."""
    from jinja2 import TemplateError

    try:
        while pieces := list(itertools.islice(chunks, batch)):
            yield "".join(pieces).encode("utf-8")
    except TemplateError as error:
        raise _template_failure(error) from None


def _template_failure(error: Exception) -> BadInput:
    line = getattr(error, "lineno", None)
    where = f" (line {line})" if line else ""
    return BadInput(f"the template failed{where}: {error}")
