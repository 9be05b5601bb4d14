"""Canonical URLs: one spelling per link, so two links to the same story are one source.

Lowercase scheme and host, no default port, no fragment, and no tracking parameters
(`utm_*`, `fbclid`, `gclid` and the like); every other query parameter stays, in its order
and spelling, and the path is kept exactly as given (no slash added or removed).
A link holding a user name or password (`https://user:secret@host/`) is refused.
"""

from urllib.parse import unquote, urlsplit, urlunsplit

from aousdctl.domain.text import LINK_BREAKERS
from aousdctl.errors import BadInput

DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that say who shared a link or which campaign it came from, never which page.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "igshid",
        "igsh",
        "ref_src",
        "ref_url",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wt.mc_id",
    }
)
TRACKING_PREFIXES = ("utm_",)


def canonical_url(url: str) -> str:
    """The one spelling of an http(s) link that every source and lead stores."""
    cleaned = url.strip()
    if LINK_BREAKERS.search(cleaned):
        raise BadInput(f"a link must be one word without spaces or control characters: {url!r}")
    try:
        parts = urlsplit(cleaned)
        host = parts.hostname
        port = parts.port
    except ValueError:
        raise BadInput(f"not a valid link: {url!r}") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not host:
        raise BadInput(f"a link must be an http:// or https:// URL, not {url!r}")
    netloc = f"[{host}]" if ":" in host else host
    if "@" in parts.netloc:
        # A user name or password in a link would be published in every footnote citing it
        # (and urllib can't send it anyway); the message leaves it out.
        raise BadInput(f"a link must not hold a user name or password ({scheme}://…@{netloc}/…)")
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, parts.path, _without_tracking(parts.query), ""))


def outlet(url: str) -> str:
    """Who published a link: its canonical host without `www.`."""
    host = urlsplit(canonical_url(url)).hostname or ""
    return host.removeprefix("www.")


def is_tracking(name: str) -> bool:
    key = unquote(name).strip().lower()
    return key in TRACKING_PARAMETERS or key.startswith(TRACKING_PREFIXES)


def _without_tracking(query: str) -> str:
    """The query without tracking parameters; the others keep their exact spelling."""
    if not query:
        return ""
    kept = [
        piece
        for piece in query.split("&")
        if piece and not is_tracking(piece.partition("=")[0].replace("+", " "))
    ]
    return "&".join(kept)


def canonical_or_same(url: str) -> str:
    """A stored or imported link made canonical; one that isn't a valid link is left as it
    is, for the record's own checks (and `doctor`) to judge."""
    try:
        return canonical_url(url)
    except BadInput:
        return url
