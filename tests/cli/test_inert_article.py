"""User text stays inert in the renderers the article is published with: GitHub's
(cmark-gfm with its extensions), markdown-it with linkify on, and plain CommonMark."""

from collections.abc import Callable
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

SOURCE = "https://example.com/report?a=1&b=2"
ADDRESSES = [
    "leaks@evil.example",
    "xmpp:bot@evil.example",
    "mailto:me@evil.example",
    "evil.com",
    "see evil.com/path now",
    "https\uff1a//evil.com",  # fullwidth colon
    "\uff57\uff57\uff57.evil.com",  # fullwidth www
    "www.evil.com",
    "WWW.EVIL.COM",
    "https://evil.com",
    "ftp://evil.com",
    "<https://evil.com>",
    "[x](https://evil.com)",
    "user+tag@sub.evil.co.uk",
    "1.2.3.4",
]


def _github(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_FOOTNOTES)


def _autolink_only(markdown: str) -> str:
    return cmarkgfm.markdown_to_html_with_extensions(markdown, extensions=["autolink"])


_LINKIFY = MarkdownIt("commonmark", {"linkify": True}).enable("linkify")
_COMMONMARK = MarkdownIt("commonmark")
RENDERERS: dict[str, Callable[[str], str]] = {
    "github": _github,
    "cmark-gfm autolink": _autolink_only,
    "markdown-it linkify": _LINKIFY.render,
    "commonmark": _COMMONMARK.render,
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.targets.extend(value or "" for name, value in attrs if name in ("href", "src"))


def links(html: str) -> set[str]:
    """Every link target in the HTML, except GitHub's own footnote anchors within the page."""
    parser = _Links()
    parser.feed(html)
    return {target for target in parser.targets if not target.startswith(("#fn-", "#fnref-"))}


def hostile_database(db, text: str) -> None:
    """Every field of the article that a user writes, holding `text`."""
    db.ok("config", "set", "title", text)
    db.ok("config", "set", "intro", text)
    claim_id = str(db.add(text, "--topic", text, "--note", text, "--tag", text))
    db.ok("source", "add", claim_id, SOURCE, "--outlet", text, "--title", text)
    db.ok("topic", "set", text, "--heading", text, "--intro", text)
    other = str(db.add(f"{text} (again)", "--topic", text))
    db.ok("debunk", other, "--note", text)


@pytest.mark.parametrize("text", ADDRESSES)
def test_addresses_in_user_text_never_become_links(db, text):
    hostile_database(db, text)
    article = db.ok("export").stdout
    for name, render in RENDERERS.items():
        assert links(render(article)) == {SOURCE}, name


def test_escaped_text_still_reads_the_same(db):
    hostile_database(db, "Mail leaks@evil.example or see www.evil.com, e.g. evil.com.")
    html = _github(db.ok("export").stdout)
    assert "Mail leaks@\u2060evil.example or see www.evil.com, e.g. evil.com." in html


# Mostly printable text with the characters that start links and structure.
_PIECES = [*"abw.:/@<>[]()*_`~#!|&;=+- x1\\\"'", "www.", "http", "://", "\uff1a", "\uff57", "\n"]
_HOSTILE = (
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=20)
    .map("".join)
    .filter(lambda text: text.strip() != "")
)


@pytest.mark.slow
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(text=_HOSTILE)
def test_hostile_text_never_adds_a_link_in_any_renderer(cli, db_path, text):
    if db_path.exists():
        db_path.unlink()
    cli.ok("init")
    line = " ".join(text.split())  # one-line fields refuse line breaks
    claim_id = cli.ok("add", "--quiet", "--note", text, "--topic", line, "--", line).stdout.strip()
    cli.ok("source", "add", "--outlet", line, "--title", line, "--", claim_id, SOURCE)
    cli.ok("config", "set", "--", "intro", text)
    article = cli.ok("export").stdout
    for render in RENDERERS.values():
        assert links(render(article)) == {SOURCE}, (text, render)


def test_a_scheme_relative_address_is_not_a_link(db):
    """linkify turns `//host/path` into a link; the article's text must not become one."""
    from markdown_it import MarkdownIt

    db.add("Leak at //localhost:8080/admin")
    db.ok("config", "set", "intro", "see //localhost/x")
    html = (
        MarkdownIt("commonmark", {"linkify": True}).enable("linkify").render(db.ok("export").stdout)
    )
    assert "href" not in html
    assert "//localhost:8080/admin" in html
