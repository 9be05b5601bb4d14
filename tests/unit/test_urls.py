"""Canonical URLs, called directly: one spelling per link, and only http(s) links. (Sources given
by hand, imported, migrated and fetched are stored canonical: see the cli and process tests.)"""

from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aousdctl.domain.urls import canonical_or_same, canonical_url, outlet
from aousdctl.errors import BadInput


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("HTTPS://WWW.Soompi.COM/article/1", "https://www.soompi.com/article/1"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a/?utm_source=x&id=7&UTM_Medium=y", "https://example.com/a/?id=7"),
        (
            "https://example.com/a?fbclid=1&b=2&gclid=3&a=1&mc_cid=4&mc_eid=5&igshid=6&ref_src=t",
            "https://example.com/a?b=2&a=1",
        ),
        ("https://example.com/a?q=a%20b&x=c+d", "https://example.com/a?q=a%20b&x=c+d"),
        ("https://example.com/Path/Kept", "https://example.com/Path/Kept"),
        ("https://example.com", "https://example.com"),
        ("https://example.com/a?utm_source=x", "https://example.com/a"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_canonical_url(given: str, canonical: str) -> None:
    assert canonical_url(given) == canonical
    assert canonical_url(canonical) == canonical  # idempotent


@pytest.mark.parametrize(
    "bad",
    [
        "ftp://example.com/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://a b/",
        "http://u:p@example.com/feed",
        "https://user@example.com/",
        "https://@example.com/",
    ],
)
def test_only_http_links(bad: str) -> None:
    with pytest.raises(BadInput):
        canonical_url(bad)


def test_outlet_drops_www() -> None:
    assert outlet("https://WWW.Koreaherald.com/view?ud=1") == "koreaherald.com"


@pytest.mark.parametrize(
    "query", ["utm%5Fsource=x", "UTM_Campaign=y", "Fbclid=1", "wt.mc_id=2", "_ga=3", "utm_term"]
)
def test_tracking_parameters_go_however_they_are_spelled(query: str) -> None:
    assert (
        canonical_url(f"https://example.com/a?id=7&{query}&b=2") == "https://example.com/a?id=7&b=2"
    )


def test_a_password_in_a_link_is_refused_without_being_repeated() -> None:
    with pytest.raises(BadInput, match="user name or password") as refused:
        canonical_url("https://editor:secret@www.soompi.com/a")
    assert "secret" not in str(refused.value) and "editor" not in str(refused.value)


@pytest.mark.parametrize("bad", ["https://example.com/a b", "https://example.com/\x1b[31m", ""])
def test_a_link_is_one_word_without_control_characters(bad: str) -> None:
    with pytest.raises(BadInput):
        canonical_url(bad)


def test_a_stored_link_that_is_not_valid_is_left_for_doctor_to_judge() -> None:
    assert canonical_or_same("not a link") == "not a link"
    assert canonical_or_same("HTTPS://X.example/a#top") == "https://x.example/a"


hosts = st.sampled_from(["example.com", "WWW.Soompi.COM", "news.example.co.kr", "[::1]"])
paths = st.text(alphabet="abcXYZ019-_./~%", max_size=12).map(lambda path: "/" + path)
parameters = st.lists(
    st.tuples(
        st.sampled_from(["id", "q", "page", "utm_source", "fbclid", "Utm_Medium", "ref_src"]),
        st.text(alphabet="abc123+%", max_size=4),
    ),
    max_size=4,
)


@given(scheme=st.sampled_from(["http", "HTTPS"]), host=hosts, path=paths, query=parameters)
def test_a_canonical_link_is_its_own_canonical_form_without_tracking(scheme, host, path, query):
    link = f"{scheme}://{host}{path}?" + "&".join(f"{name}={value}" for name, value in query)
    canonical = canonical_url(link + "#fragment")
    assert canonical_url(canonical) == canonical
    assert "#" not in canonical and canonical.startswith(scheme.lower() + "://")
    kept = [f"{name}={value}" for name, value in query if name in ("id", "q", "page")]
    assert canonical.partition("?")[2] == "&".join(kept)


def _outlet_or_refusal(url: str, outlet_of: object) -> tuple[str, str]:
    try:
        return ("outlet", outlet_of(url))  # type: ignore[operator]
    except BadInput as error:
        return ("refused", str(error))


def _outlet_from_the_whole_link(url: str) -> str:
    return (urlsplit(canonical_url(url)).hostname or "").removeprefix("www.")


_ODD_NETLOC = st.text(alphabet="aZ09.-_@:[]%\\ \t한é", max_size=12)
_ODD_REST = st.tuples(st.sampled_from(["", "/", "?", "#", "\\"]), st.text(max_size=8)).map("".join)


@given(
    scheme=st.sampled_from(["http", "https", "HTTP", "ftp", " http"]),
    netloc=_ODD_NETLOC,
    rest=_ODD_REST,
)
def test_an_outlet_worked_out_once_per_site_is_the_whole_links_outlet(scheme, netloc, rest):
    """`outlet` remembers each site's answer: every link still gets the answer (or the
    refusal, naming the whole link) that its canonical form gives."""
    url = f"{scheme}://{netloc}{rest}"
    for _ in range(2):  # the second time comes from what was remembered
        assert _outlet_or_refusal(url, outlet) == _outlet_or_refusal(
            url, _outlet_from_the_whole_link
        )
