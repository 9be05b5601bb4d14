"""Canonical URLs, called directly: one spelling per link, and only http(s) links. (Sources given
by hand, imported, migrated and fetched are stored canonical: see the cli and process tests.)"""

import pytest

from aousdctl.domain.urls import canonical_url, outlet
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
