"""The rules of intake without the network: headlines an aggregator signs, the key two
copies of a story share, addresses as requests send them, and character references that
name no character."""

from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aousdctl.domain.feeds import without_publisher
from aousdctl.domain.leads import headline_key
from aousdctl.domain.merge import merge_tables
from aousdctl.domain.urls import as_uri
from aousdctl.net import entries
from tests.support.feedserver import rss


@pytest.mark.parametrize(
    ("title", "publisher", "headline"),
    [
        ("Filming wraps - Soompi", "Soompi", "Filming wraps"),
        ("Filming wraps - SOOMPI ", "Soompi", "Filming wraps"),
        ("Cast news \u2014 The Korea Herald", "The Korea Herald", "Cast news"),
        ("Cast news | Herald", "Herald", "Cast news"),
        ("Filming wraps - Soompi", None, "Filming wraps - Soompi"),
        ("Filming wraps - Allkpop", "Soompi", "Filming wraps - Allkpop"),
        ("- Soompi", "Soompi", "- Soompi"),
    ],
)
def test_an_aggregators_signature_leaves_the_headline(title, publisher, headline) -> None:
    assert without_publisher(title, publisher) == headline


def test_two_copies_of_a_story_share_a_key() -> None:
    own = headline_key("Filming Wraps For \u201cAll Of Us Are Dead 2\u201d!", None)
    aggregated = headline_key("Filming wraps for All of Us Are Dead 2 - Soompi", "Soompi")
    assert own == aggregated == "filming wraps for all of us are dead 2"
    assert headline_key("지금 우리 학교는, 시즌2!", None) == "지금 우리 학교는 시즌2"
    assert headline_key("Season 2", None) != headline_key("Season 3", None)


# What a stored address may hold: no controls, surrogates, `#` or `?` (canonical addresses have
# none, nor an empty query), no `%` (so that decoding gives the address back).
ADDRESS_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="%#?"),
    min_size=1,
    max_size=40,
)


@given(ADDRESS_TEXT)
def test_an_address_as_sent_is_ascii_and_means_the_same(path: str) -> None:
    iri = "https://example.com/" + path
    uri = as_uri(iri)
    assert uri.isascii() and " " not in uri
    assert unquote(uri) == iri
    assert as_uri(uri) == uri


def test_iri_to_uri_examples() -> None:
    assert as_uri("https://한국.kr/뉴스/rss?q=지우학") == (
        "https://xn--3e0b707e.kr/%EB%89%B4%EC%8A%A4/rss?q=%EC%A7%80%EC%9A%B0%ED%95%99"
    )
    assert as_uri("http://e.com/caf%C3%A9.xml?a=b%20c") == "http://e.com/caf%C3%A9.xml?a=b%20c"


@given(st.integers(min_value=0, max_value=2**70), st.booleans())
def test_no_character_reference_makes_a_feed_unreadable(number: int, hexadecimal: bool) -> None:
    reference = f"&#x{number:X};" if hexadecimal else f"&#{number};"
    body = rss({"title": f"Title {reference} end", "link": "https://e.example/1"})
    [entry] = entries.parse(body).entries
    assert entry.title.startswith("Title") and entry.title.endswith("end")


def test_a_surrogate_reference_becomes_the_replacement_character() -> None:
    body = rss({"title": "A &#xD800; B &#55296; C", "link": "https://e.example/1"})
    assert entries.parse(body).entries[0].title == "A \ufffd B \ufffd C"


def test_an_aggregated_entry_names_its_publisher() -> None:
    body = rss({"title": "Cast news - Soompi", "link": "https://news.google.com/a"}).replace(
        b"</item>", b'<source url="https://www.soompi.com/">Soompi</source></item>'
    )
    [entry] = entries.parse(body).entries
    assert (entry.title, entry.publisher, entry.publisher_site) == (
        "Cast news",
        "Soompi",
        "https://www.soompi.com/",
    )


def test_two_clones_copies_of_one_story_merge_into_one_lead() -> None:
    """Ours learnt the publisher's own link of the aggregator's story; theirs fetched the
    aggregator's copy alone, as another lead: the merge keeps one, the decided one first."""
    own, redirect = "https://www.soompi.com/article/1", "https://news.google.com/rss/a?oc=5"

    def lead(key: str, links: list[str], state: str = "waiting") -> dict[str, object]:
        decided = "2026-11-23T12:00:00Z" if state != "waiting" else None
        return {"id": key, "link": links[0], "links": links, "state": state, "decided": decided}

    ours = {"leads": {"aaaaaaaa": lead("aaaaaaaa", [own, redirect])}}
    theirs = {"leads": {"bbbbbbbb": lead("bbbbbbbb", [redirect], "dismissed")}}
    merged = merge_tables({"leads": {}}, ours, theirs)["leads"]
    assert list(merged) == ["bbbbbbbb"]
