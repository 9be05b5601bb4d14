"""The explainer article: the data it needs, and its Markdown through a Jinja2 template.

`build` turns the database into a plain dictionary (the data of custom templates too, see
docs/templates.md); `render` feeds it to `templates/article.md.j2` or a user's template. The
article is a pure function of the database and "now" (which only decides what is overdue):
it says when a claim last changed, never when it was exported, so an unchanged database
gives a byte-identical article.

User text is made inert by one filter, `md`, which every template applies to every value
that came from a user, so a claim can't add HTML, links, headings, list structure or
footnotes to the article. Links come only from sources, which are checked http(s) URLs.
"""

import itertools
import re
import traceback
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from importlib import resources
from typing import Any, NamedTuple

from aousdctl.domain import claims as claim_rules
from aousdctl.domain import config, dates, outlets, sources, topics
from aousdctl.domain.claims import SUPPORTS, Action, Status
from aousdctl.domain.snapshot import Snapshot
from aousdctl.domain.topics import Topic
from aousdctl.errors import BadInput

WHATS_NEW_WINDOW = timedelta(days=30)
# A claim's id and its stored record: the article reads records as they are, uncopied.
Stored = tuple[str, Mapping[str, Any]]
STATUS_GROUPS = (
    (Status.CONFIRMED, "Confirmed"),
    (Status.REPORTED, "Reported, not yet official"),
    (Status.RUMOR, "Rumored, unconfirmed"),
)
NEWS_ACTIONS = claim_rules.STATUS_ACTIONS
_STATUS_PHRASES = {
    "rumor": "a rumor",
    "reported": "reported",
    "confirmed": "confirmed",
    "debunked": "debunked",
}


def build(
    snapshot: Snapshot,
    now: datetime,
    changes_since: str | None = None,
    *,
    with_outlets: bool = False,
) -> dict[str, Any]:
    """Everything the article says, as plain data (see docs/templates.md).

    The outlets' track records walk every claim's history, so they are worked out only
    `with_outlets` (for a custom template) or when the article's section shows them.
    """
    stored = snapshot.stored_claims()
    # When a claim last changed, removals included: an unchanged database, the same article.
    last_change = max(
        [record["updated"] for _, record in stored]
        + [claim["updated"] for claim in snapshot.removed_claims()],
        default=None,
    )
    footnotes = _Footnotes(snapshot.source_records())
    by_topic: dict[str, list[Stored]] = {}
    for claim_id, record in stored:
        by_topic.setdefault(record["topic"].casefold(), []).append((claim_id, record))
    sections = [
        _section(topic, by_topic[topic["name"].casefold()], footnotes, now)
        for topic in topics.article_order(
            (record["topic"] for _, record in stored), snapshot.topics()
        )
        if topic["name"].casefold() in by_topic
    ]
    counts = Counter(record["status"] for _, record in stored)
    settings = config.effective(snapshot.setting)
    min_settled = settings[outlets.MIN_SETTLED_SETTING]
    return {
        "title": settings[config.TITLE] or "What we know so far",
        "intro": settings[config.INTRO],
        "last_updated": last_change,
        "last_updated_text": dates.describe(last_change[:10]) if last_change else None,
        "counts": {status.value: counts.get(status.value, 0) for status in Status},
        "whats_new": _whats_new(stored, last_change, changes_since),
        "sections": sections,
        "sources": footnotes.sources,
        "outlets": (
            outlets.track_records(
                (record for _, record in stored),
                snapshot.source_records(),
                min_settled=min_settled,
            )
            if with_outlets or settings[config.TRACK_RECORD]
            else []
        ),
        "outlet_min_settled": min_settled,
        "track_record": settings[config.TRACK_RECORD],
    }


def _section(
    topic: Topic, members: list[Stored], footnotes: "_Footnotes", now: datetime
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


class ArticleSource(NamedTuple):
    """A footnote: one distinct source, numbered in order of first citation, with all its
    record says (see `domain.sources`); `name` is how the article names it: its publisher,
    or else its outlet."""

    number: int
    url: str
    name: str
    outlet: str
    publisher: str | None
    title: str | None
    published: str | None
    published_text: str | None
    accessed: str | None
    accessed_text: str | None
    archive: str | None


class ArticleLink(NamedTuple):
    """A claim's citation of a source: the footnote, and whether it supports the claim or
    refutes it."""

    stance: str
    source: ArticleSource

    @property
    def number(self) -> int:
        return self.source.number

    @property
    def name(self) -> str:
        return self.source.name


class ArticleClaim(NamedTuple):
    """A claim as the article shows it. Named tuples rather than dicts: an article can hold
    tens of thousands, and templates read their fields as attributes, Jinja's fast path.

    `footnotes` are the numbers of the sources that support it; `refuted_by` the sources
    that refute it; `sources` all of them, in the order cited. `status_date` is when it took
    its status (`status_text` says it: "confirmed 1 December 2026"); `first_reported`, for a
    debunked claim, the first source that carried the rumor."""

    id: str
    text: str
    status: str
    topic: str
    tags: list[str]
    note: str | None
    expected: str | None
    expected_text: str | None
    overdue: bool
    created: str
    updated: str
    status_date: str
    status_date_text: str
    status_text: str
    footnotes: list[int]
    refuted_by: list[ArticleLink]
    sources: list[ArticleLink]
    first_reported: ArticleLink | None
    debunk_reason: str | None


# How the article says when a claim took its status: "confirmed 1 December 2026".
_STATUS_SINCE = {
    "confirmed": "confirmed {0}",
    "reported": "reported since {0}",
    "rumor": "rumored since {0}",
    "debunked": "debunked {0}",
}


def _claim_entry(
    claim_id: str, claim: Mapping[str, Any], footnotes: "_Footnotes", now: datetime
) -> ArticleClaim:
    expected = claim["expected"]
    # Sources are numbered in the order the article names them: a debunked claim names
    # what debunked it first, any other claim its support.
    debunked = claim["status"] == "debunked"
    # (A link a hand edit left without its stance reads as support: `doctor` names it.)
    stances = [(link.get("stance", SUPPORTS), link["url"]) for link in claim["sources"]]
    ordered = sorted(stances, key=lambda pair: (pair[0] == SUPPORTS) == debunked)
    links = [ArticleLink(stance, footnotes.source(url)) for stance, url in ordered]
    supporting = [link for link in links if link.stance == SUPPORTS]
    since = claim_rules.status_since(claim)
    since_text = dates.describe(since[:10])
    return ArticleClaim(
        id=claim_id,
        text=claim["text"],
        status=claim["status"],
        topic=claim["topic"],
        tags=claim["tags"],
        note=claim["note"],
        expected=expected,
        expected_text=dates.describe(expected) if expected else None,
        overdue=bool(expected) and claim_rules.is_overdue(claim, now),
        created=claim["created"],
        updated=claim["updated"],
        status_date=since,
        status_date_text=since_text,
        status_text=_STATUS_SINCE[claim["status"]].format(since_text),
        footnotes=[link.number for link in supporting],
        refuted_by=[link for link in links if link.stance != SUPPORTS],
        sources=links,
        first_reported=supporting[0] if debunked and supporting else None,
        debunk_reason=claim_rules.debunk_reason(claim) if debunked else None,
    )


class _Footnotes:
    """One footnote per distinct source URL, numbered in order of first citation, showing
    the source's record."""

    def __init__(self, records: Mapping[str, Mapping[str, Any]]) -> None:
        self.sources: list[ArticleSource] = []
        self._by_url: dict[str, ArticleSource] = {}
        self._records = records

    def source(self, url: str) -> ArticleSource:
        found = self._by_url.get(url)
        if found is None:
            record = sources.details_of(url, self._records.get(url))
            published, accessed = record["published"], record["accessed"]
            found = self._by_url[url] = ArticleSource(
                number=len(self.sources) + 1,
                url=url,
                name=record["publisher"] or str(record["outlet"]),
                outlet=str(record["outlet"]),
                publisher=record["publisher"],
                title=record["title"],
                published=published,
                published_text=dates.describe(published) if published else None,
                accessed=accessed,
                accessed_text=dates.describe(accessed) if accessed else None,
                archive=record["archive"],
            )
            self.sources.append(found)
        return found


def _whats_new(
    stored: Iterable[Stored], last_change: str | None, changes_since: str | None
) -> dict[str, Any]:
    """One line per claim whose status changed in the period (or that is new), newest
    first (changes at the same moment go newest claim first; `stored` is oldest first): where
    it stood at the start of the period, and where it stands now."""
    if changes_since:
        start = dates.first_moment(dates.parse_partial_date(changes_since, "--changes-since"))
    elif last_change:
        window_start = datetime.fromisoformat(last_change) - WHATS_NEW_WINDOW
        start = dates.timestamp(max(window_start, dates.EARLIEST))
    else:
        return {"since": None, "since_text": None, "changes": []}
    recent = [
        (change["at"], age, change)
        for age, (claim_id, claim) in enumerate(stored)
        if (change := _change_since(claim_id, claim, start)) is not None
    ]
    recent.sort(key=lambda entry: entry[:2], reverse=True)
    changes = [
        {**change, "date_text": dates.describe(change["at"][:10])} for _, _, change in recent
    ]
    return {"since": start, "since_text": dates.describe(start[:10]), "changes": changes}


def _change_since(claim_id: str, claim: Mapping[str, Any], start: str) -> dict[str, Any] | None:
    """A claim's change from `start` to now, or None if its status ends where it began."""
    events = [
        event
        for event in claim["history"]
        if event["action"] in NEWS_ACTIONS and event["at"] >= start
    ]
    if not events:
        return None
    after = claim["status"]
    if any(event["action"] == "added" for event in events):
        action, before = "added", None
    else:
        before = events[0]["from"]
        if before == after or before is None:
            return None
        if after == Status.DEBUNKED:
            action = "debunked"
        elif claim_rules.RANK[Status(after)] > claim_rules.RANK[Status(before)]:
            action = "promoted"
        else:
            action = "demoted"
    return {
        "at": events[-1]["at"],
        "claim": claim_id,
        "text": claim["text"],
        "action": action,
        "from": before,
        "to": after,
        "summary": _summary(action, before, after),
    }


def _summary(action: str, before: str | None, after: str | None) -> str:
    """What a change did, in a reader's words: "now confirmed, was reported"."""
    if action == Action.ADDED:
        return f"new, {_STATUS_PHRASES[after or 'rumor']}"
    if action == Action.DEBUNKED:
        return f"debunked, was {_STATUS_PHRASES[before or 'rumor']}"
    return f"now {_STATUS_PHRASES[after or 'rumor']}, was {_STATUS_PHRASES[before or 'rumor']}"


# Characters that start Markdown structure anywhere in a line (emphasis, code, links,
# footnotes, tables, strikethrough, headings) are backslash-escaped, and HTML's are written
# as entities, by one `str.translate` (run only when a search finds something to escape:
# most text has nothing, and the search is far cheaper).
#
# Autolinks need more, because renderers find them in the text *after* escapes are undone:
# - GitHub (cmark-gfm's autolink extension) links `name@host.tld`, `mailto:` and `xmpp:`
#   whatever backslashes or entities stand around them, so "@" is followed by an invisible
#   WORD JOINER (U+2060, written as `&#8288;`) that no address can contain;
# - "www.", "http://" and markdown-it's linkify (which links bare `host.tld`, also behind a
#   fullwidth colon or fullwidth "www", and scheme-relative `//host`) look at unbroken runs
#   of text, so a "." before a word character, the ":" of "://" and the second "/" of "//"
#   are backslash-escaped, which splits those runs.
_SPECIAL = re.compile(r"[&<>\\`*_\[\]|~#@]")
_INERT = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "\\@&#8288;"}
    | {character: "\\" + character for character in "\\`*_[]|~#"}
)
_DOMAIN_DOT = re.compile(r"\.(?=\w)")
_WWW = re.compile(r"(www)\.", re.IGNORECASE)  # even at the end: the template may go on
_LINE_START_MARKER = re.compile(r"([-+=])|(\d+)([.)])")
_MARKER_STARTS = frozenset("-+=0123456789")


def escape_markdown(value: Any) -> str:
    """User text as inert Markdown: it reads the same but can't add structure, HTML or links.

    Hot: an article escapes every claim, note, outlet and title, so text with nothing to
    escape (most of it) passes a few C-level checks and is returned as it is.
    """
    text = str(value)
    if not text.isprintable() or text[:1] == " " or text[-1:] == " ":
        text = " ".join(text.split())  # line breaks and odd spaces could start structure
    if _SPECIAL.search(text):
        text = text.translate(_INERT)
    if "//" in text:
        # No bare-URL autolinks ("http://"), nor linkify's scheme-relative "//host".
        text = text.replace("://", "\\://").replace("//", "/\\/")
    if "." in text:
        text = _DOMAIN_DOT.sub(r"\\.", text)  # no bare-domain autolinks
        if "ww" in text or "WW" in text or "Ww" in text or "wW" in text:
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
    """A source's footnote definition, read like a reference: `[^1]: Soompi, “Title”,
    published 14 October 2025, accessed 2 November 2026. <https://...> (archived:
    <https://...>)`."""
    parts = [escape_markdown(source.name)]
    if source.title:
        parts.append(quoted(escape_markdown(source.title)))
    if source.published_text:
        parts.append(f"published {source.published_text}")
    if source.accessed_text:
        parts.append(f"accessed {source.accessed_text}")
    archived = f" (archived: <{link_target(source.archive)}>)" if source.archive else ""
    return f"[^{source.number}]: {', '.join(parts)}. <{link_target(source.url)}>{archived}"


def citations(footnotes: Iterable[int]) -> str:
    """A claim's footnote references, or a visible mark that it has no source. A comma
    keeps two references apart: side by side, renderers run their numbers together."""
    return ",".join(f"[^{number}]" for number in footnotes) or " *(unsourced)*"


def named_citations(links: Iterable[ArticleLink]) -> str:
    """Sources introduced in words, each with its footnote: "Netflix[^3] and Soompi[^4]"."""
    named = [f"{escape_markdown(link.name)}[^{link.number}]" for link in links]
    if len(named) < 2:
        return "".join(named)
    return ", ".join(named[:-1]) + " and " + named[-1]


# Double quotes inside text that the article puts in double quotes become single ones, so
# quotation marks never nest the same way (a title that quotes someone keeps its quotes).
_INNER_QUOTES = re.compile(r'"([^"]*)"')
_LEFT_SINGLE, _RIGHT_SINGLE = "\u2018", "\u2019"


def quoted(text: str) -> str:
    """Text in curly double quotes, the quotes inside it turned into single ones."""
    inner = _INNER_QUOTES.sub(f"{_LEFT_SINGLE}\\1{_RIGHT_SINGLE}", text)
    inner = inner.replace("\u201c", _LEFT_SINGLE).replace("\u201d", _RIGHT_SINGLE)
    return "\u201c" + inner.replace('"', _RIGHT_SINGLE) + "\u201d"


_LINK_UNSAFE = str.maketrans({"<": "%3C", ">": "%3E", " ": "%20"})
_LINK_BREAKERS = re.compile("[<> ]")


def link_target(url: str) -> str:
    """A source URL safe inside `<...>`: what could end or break the autolink is encoded.

    Sources are checked http(s) URLs without spaces or control characters when they are
    added; this also covers a database edited by hand.
    """
    return url.translate(_LINK_UNSAFE) if _LINK_BREAKERS.search(url) else url


def default_template() -> str:
    return (resources.files("aousdctl.formats") / "templates" / "article.md.j2").read_text("utf-8")


def render(data: dict[str, Any], template: str | None = None) -> Iterator[bytes]:
    """The article as UTF-8 Markdown, in pieces, from the default template or a user's.

    Pieces, so that a large article goes to its file or to stdout as it is made and is never
    held whole. A template's syntax is checked before the first piece.
    """
    from jinja2 import Environment, FunctionLoader, StrictUndefined

    environment = Environment(
        # A template is one file: `{% include %}` and `{% extends %}` find nothing.
        loader=FunctionLoader(lambda name: None),
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
    environment.filters["named"] = named_citations
    environment.filters["quoted"] = quoted
    try:
        # An empty template is a template (of an empty article), not a wish for the default.
        compiled = environment.from_string(default_template() if template is None else template)
    except Exception as error:
        raise _template_failure(error) from None
    return _encoded_batches(compiled.generate(**data))


def _encoded_batches(chunks: Iterator[str], batch: int = 4096) -> Iterator[bytes]:
    """A template's many small pieces, joined and encoded a few thousand at a time."""
    try:
        while pieces := list(itertools.islice(chunks, batch)):
            yield "".join(pieces).encode("utf-8")
    except BadInput:
        raise
    except Exception as error:  # anything a template's code can raise: all of it bad input
        raise _template_failure(error) from None


def _template_failure(error: Exception) -> BadInput:
    """Bad input naming the template's line: a syntax error carries it, and Jinja points
    the traceback of any other error at the template's own lines."""
    from jinja2 import TemplateNotFound

    line = getattr(error, "lineno", None)
    if line is None:
        frames = traceback.walk_tb(error.__traceback__)
        lines = [number for frame, number in frames if frame.f_code.co_filename == "<template>"]
        line = lines[-1] if lines else None
    where = f" (line {line})" if line else ""
    if isinstance(error, TemplateNotFound):
        reason = f"it includes or extends {error.name!r}, but a template must be one file"
    else:
        reason = str(error) or type(error).__name__
    return BadInput(f"the template failed{where}: {reason}")
