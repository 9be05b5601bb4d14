"""Feed entries as plain text: whatever a feed holds, one inert line."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aousdctl.net import entries as feeds
from tests.support.feedserver import rss

HOSTILE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=80
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(title=HOSTILE)
def test_any_entry_title_becomes_one_inert_line(title: str) -> None:
    from xml.sax.saxutils import escape

    from markdown_it import MarkdownIt

    from aousdctl.formats.article import escape_markdown

    printable = "".join(c for c in title if c >= " " or c in "\t\n")
    body = rss({"title": escape(printable), "link": "https://example.com/1", "guid": "g"})
    entries = feeds.parse(body).entries
    if not entries:  # feedparser may refuse characters XML 1.0 forbids
        return
    text = entries[0].title
    assert text == " ".join(text.split())
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text)
    html = MarkdownIt("commonmark").render(escape_markdown(text))
    assert html.startswith("<p>") and html.count("<") == 2, html


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<b>Cast</b> [exclusive]", "Cast [exclusive]"),
        ("a<script>alert(1)</script>b", "ab"),
        ("Tom &amp; Jerry &lt;3", "Tom & Jerry <3"),
        ("line\none\u2028two", "line one two"),
        ("\u202eevil\u202c \u2066txt\u2069.exe", "evil txt.exe"),
        ("**bold** [x](http://e)", "**bold** [x](http://e)"),
    ],
)
def test_plain_text(fragment: str, text: str) -> None:
    assert feeds.plain_text(fragment) == text
