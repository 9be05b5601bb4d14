"""Text a user gives or a feed sends: what a one-line field and a note may hold.

The one place that says which characters are forbidden where. C0 and C1 controls and the
Unicode line and paragraph separators would break a one-line field (and the article's
Markdown) without being visible; lone surrogates (undecodable bytes on the command line)
are not text at all. Bidirectional embeddings, overrides and isolates (U+202A-U+202E,
U+2066-U+2069) would make a short field display as something else (and spill over what
follows it on the line); right-to-left text needs none of them.
"""

import re
from collections.abc import Callable
from typing import Any

from aousdctl.errors import BadInput


class LazyPattern:
    """A regular expression compiled the first time it is used. Every command imports the
    domain, `--help` and `--version` included; compiling the patterns it holds up front cost
    each of them several milliseconds for patterns most never use.

    Its first use puts the compiled pattern's own methods in its place, so that later calls
    (`doctor` makes hundreds of thousands) go straight to them."""

    __slots__ = ("_flags", "_source", "fullmatch", "search", "sub")

    search: Callable[[str], re.Match[str] | None]
    fullmatch: Callable[[str], re.Match[str] | None]
    sub: Callable[[str | Callable[[re.Match[str]], str], str], str]

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        """Only called for a method not yet in place: compile, and put all of them there."""
        if name not in ("search", "fullmatch", "sub"):
            raise AttributeError(name)
        compiled = re.compile(self._source, self._flags)
        self.search, self.fullmatch, self.sub = compiled.search, compiled.fullmatch, compiled.sub
        return getattr(compiled, name)


_CONTROLS = r"\x00-\x1f\x7f-\x9f"
_NOTE_CONTROLS = r"\x00-\x08\x0b-\x1f\x7f-\x9f"  # a note keeps its tabs and line breaks
_SEPARATORS = r"\u2028\u2029"
_BIDI = r"\u202a-\u202e\u2066-\u2069"
_SURROGATES = r"\ud800-\udfff"

LINE_BREAKERS = LazyPattern(f"[{_CONTROLS}{_SEPARATORS}{_BIDI}{_SURROGATES}]")
NOTE_BREAKERS = LazyPattern(f"[{_NOTE_CONTROLS}{_SEPARATORS}{_SURROGATES}]")
# What no URL may hold: the above, and spaces of any kind.
URL_BREAKERS = LazyPattern(rf"[\s{_CONTROLS}{_SEPARATORS}{_BIDI}{_SURROGATES}]")
# What a link may not hold before it is parsed (ASCII space included).
LINK_BREAKERS = LazyPattern(f"[\x20{_CONTROLS}{_SEPARATORS}{_SURROGATES}]")
_NOT_TEXT = LazyPattern(f"[{_CONTROLS}{_SEPARATORS}{_SURROGATES}]")
_BIDI_CONTROLS = LazyPattern(f"[{_BIDI}]")


def clean_line(value: str, what: str) -> str:
    """A one-line field with outer whitespace removed; blank or control characters are refused."""
    cleaned = value.strip()
    if not cleaned:
        raise BadInput(f"{what} must not be blank")
    if LINE_BREAKERS.search(cleaned):
        raise BadInput(
            f"{what} must be one line without control or bidirectional formatting characters"
        )
    return cleaned


def clean_note(value: str, what: str = "note") -> str | None:
    """A free-text note: several lines allowed, other control characters refused; blank is None."""
    cleaned = value.strip()
    if NOTE_BREAKERS.search(cleaned):
        raise BadInput(f"{what} must not contain control characters")
    return cleaned or None


def required_note(value: str | None, why: str) -> str:
    """A reason that must be given (`--why`), e.g. for a demotion."""
    note = clean_note(value or "")
    if note is None:
        raise BadInput(f"--why is required: {why}")
    return note


def inert_line(text: str) -> str:
    """Text from elsewhere (a feed) as one line that is always a valid field: bidirectional
    formatting dropped, other controls turned into spaces, runs of spaces collapsed."""
    return " ".join(_NOT_TEXT.sub(" ", _BIDI_CONTROLS.sub("", text)).split())
