"""Canonical URLs: one spelling per link, so two links to the same story are one source.

Lowercase scheme and host, no default port, no fragment, and no tracking parameters
(`utm_*`, `fbclid`, `gclid` and the like); every other query parameter stays, in its order
and spelling, and the path is kept exactly as given (no slash added or removed).
A link holding a user name or password (`https://user:secret@host/`) is refused, and so is
a host that can't exist (an empty label as in `a..example`, a label that starts or ends
with a hyphen, one longer than 63 characters). An international host is spelled as DNS
spells it, in punycode, whichever way it was given: `https://한국.kr/` is
`https://xn--3e0b707e.kr/`, and a look-alike (apple.com with a Cyrillic a) can't pass for
another site in an article.
"""

import functools
import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from aousdctl.domain.text import LINK_BREAKERS, URL_BREAKERS, LazyPattern
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
# A host name's label as DNS takes it (RFC 1123; `_` too, which real hosts use).
_ASCII_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")
_MAX_HOST = 253


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
    netloc = f"[{host}]" if ":" in host else canonical_host(host, url)
    if "@" in parts.netloc:
        # A user name or password in a link would be published in every footnote citing it
        # (and urllib can't send it anyway); the message leaves it out.
        raise BadInput(f"a link must not hold a user name or password ({scheme}://…@{netloc}/…)")
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, parts.path, _without_tracking(parts.query), ""))


def canonical_host(host: str, url: str) -> str:
    """A host name (lower case, as `urlsplit` gives it) in its one spelling, label by
    label; a name that no DNS could hold is refused. `example.com.` keeps its final dot."""
    body = host.removesuffix(".")
    labels = [_ascii_label(label, url) for label in body.split(".")]
    if len(".".join(labels)) > _MAX_HOST:
        raise _impossible_host(url)
    return ".".join(labels) + host[len(body) :]


def _ascii_label(label: str, url: str) -> str:
    """One label of a host name as DNS spells it: an international one in punycode (so it
    can't pass for another site's name), refused if no DNS could hold it."""
    try:
        encoded = label if label.isascii() else label.encode("idna").decode("ascii")
        if encoded.startswith("xn--"):
            encoded.encode("ascii").decode("idna")  # punycode that decodes to nothing
    except UnicodeError:
        raise _impossible_host(url) from None
    if not _ASCII_LABEL.fullmatch(encoded):
        raise _impossible_host(url)
    return encoded


def _impossible_host(url: str) -> BadInput:
    return BadInput(f"not a valid link: the host of {url!r} can't exist")


def ascii_host(name: str) -> str:
    """A host name (or an outlet named after one, as earlier versions stored an
    international host) in its DNS spelling, as `canonical_url` spells it; anything that
    isn't a host name is returned as it is."""
    if name.isascii() or "." not in name:
        return name
    try:
        return canonical_host(name, name)
    except BadInput:
        return name


# The scheme and host (with any port) of an http(s) URL, when nothing odd stands between.
_ORIGIN = re.compile(r"https?://[^/?#@\[\]\\\s]*(?=[/?#]|\Z)", re.IGNORECASE)


def outlet(url: str) -> str:
    """Who published a link: its canonical host without `www.`. It depends on the origin
    alone, so it is worked out once per origin (doctor folds every source record, and a
    database holds thousands of links to a few sites)."""
    origin = _ORIGIN.match(url)
    if origin is None or LINK_BREAKERS.search(url):
        return _outlet(url)
    try:
        return _outlet_of_origin(origin.group(0))
    except BadInput:
        return _outlet(url)  # refused again, naming the whole link


@functools.lru_cache(maxsize=4096)
def _outlet_of_origin(origin: str) -> str:
    return _outlet(origin)


def _outlet(url: str) -> str:
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


_NOT_URI = LazyPattern(r"[^\x21-\x7e]+")


def as_uri(url: str) -> str:
    """An address as a request sends it (RFC 3987's IRI to URI): the host in punycode, and
    every character outside printable ASCII percent-encoded as UTF-8 (`/café.xml` is
    `/caf%C3%A9.xml`); an ASCII address, escapes included, is returned as it is."""
    if url.isascii() and not _NOT_URI.search(url):
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii() and parts.hostname:
        port = f":{parts.port}" if parts.port is not None else ""
        netloc = canonical_host(parts.hostname, url) + port
    path, query, fragment = (
        _NOT_URI.sub(lambda found: quote(found.group(0), safe=""), part)
        for part in (parts.path, parts.query, parts.fragment)
    )
    return urlunsplit((parts.scheme, netloc, path, query, fragment))


def canonical_or_same(url: str) -> str:
    """A stored or imported link made canonical; one that isn't a valid link is left as it
    is, for the record's own checks (and `doctor`) to judge."""
    try:
        return canonical_url(url)
    except BadInput:
        return url


# The usual shape of an http(s) URL, whose host is read without `urlsplit` (doctor checks
# every source).
_PLAIN_HTTP_URL = re.compile(r"https?://([A-Za-z0-9.-]+)(?::[0-9]*)?(?:[/?#].*)?", re.IGNORECASE)


def http_host(url: str) -> str | None:
    """The host of an http(s) URL without spaces or control characters; None for anything else."""
    if URL_BREAKERS.search(url):
        return None
    plain = _PLAIN_HTTP_URL.fullmatch(url)
    if plain is not None:
        return plain.group(1).lower()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    return host if parts.scheme.lower() in ("http", "https") and host else None
