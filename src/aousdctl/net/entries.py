"""A feed's bytes to plain-text entries, read in a child process that can be stopped.

feedparser's time and memory grow faster than a feed's size for some shapes (thousands of
attributes on one element, deeply nested elements): 300 KB of one took 10 s and 1.5 MB
took 333 MB. So the bytes are parsed in a child process (`python -m aousdctl.net.entries`)
whose address space is capped (`MEMORY_CAP`, 256 MB) and which is killed when the feed's
deadline passes: the deadline and the memory cap hold for the whole feed, parsing
included, and a thread of the parent is never stuck in a parse. The child answers with one
JSON document on its standard output.

Before parsing, a numeric character reference that names no character (`&#xD800;`,
`&#0;`, `&#x110000;`) becomes U+FFFD: feedparser raised on each of them, losing the feed.
Relative links resolve against the address the feed was read from. An entry whose link
can't be a source (none, no host, spaces, control or bidirectional formatting characters,
a user name or password) is skipped and counted.
"""

import calendar
import contextlib
import dataclasses
import json
import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from aousdctl.domain.feeds import Entry, without_publisher
from aousdctl.domain.text import URL_BREAKERS, inert_line
from aousdctl.domain.urls import canonical_url
from aousdctl.errors import BadInput

MEMORY_CAP = 256 * 1024 * 1024
SUMMARY_LIMIT = 500
_OUT_OF_MEMORY = 3
_CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));")
_REPLACEMENT = b"&#xFFFD;"


class ParseFailed(Exception):
    """The bytes gave no entries, or reading them took too long or too much memory."""


@dataclasses.dataclass
class Parsed:
    """What a feed's bytes hold: its title, its entries, and how many entries were
    skipped because their link can't be a source."""

    title: str | None
    entries: list[Entry]
    skipped: int = 0


# --- In the parent ---------------------------------------------------------------------------


def parse_within(
    body: bytes, content_type: str | None, base: str, *, seconds: float, limit: float
) -> Parsed:
    """`body` parsed in a child process given `seconds` (what the feed has left of its
    `limit`) and `MEMORY_CAP` bytes of memory."""
    cpu_seconds = str(max(1, int(seconds) + 1))
    command = [sys.executable, "-m", "aousdctl.net.entries", base, content_type or "", cpu_seconds]
    child = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        output, errors = child.communicate(body, timeout=max(seconds, 0.001))
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise ParseFailed(f"timed out after {limit:g} s (reading its entries)") from None
    except BaseException:
        child.kill()
        child.communicate()
        raise
    if child.returncode == _OUT_OF_MEMORY:
        raise ParseFailed(f"needs more than {MEMORY_CAP // 2**20} MB to read")
    cpu_limit = getattr(signal, "SIGXCPU", None)  # the backstop: no parent to kill it
    if cpu_limit is not None and child.returncode == -cpu_limit:
        raise ParseFailed(f"timed out after {limit:g} s (reading its entries)")
    try:
        answer = json.loads(output)
    except ValueError:
        last = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no answer"]
        raise ParseFailed(f"could not be read ({inert_line(last[0])})") from None
    if "error" in answer:
        raise ParseFailed(answer["error"])
    entries = [Entry(*fields) for fields in answer["entries"]]
    return Parsed(answer["title"], entries, answer["skipped"])


# --- In the child ----------------------------------------------------------------------------


def main(arguments: list[str]) -> int:
    """The child: the body on standard input, the answer as JSON on standard output."""
    base, content_type, cpu_seconds = arguments
    _cap_resources(int(cpu_seconds))
    try:
        parsed = parse(sys.stdin.buffer.read(), content_type or None, base)
        answer: dict[str, Any] = {
            "title": parsed.title,
            "entries": [dataclasses.astuple(entry) for entry in parsed.entries],
            "skipped": parsed.skipped,
        }
        sys.stdout.write(json.dumps(answer))
    except MemoryError:
        return _OUT_OF_MEMORY
    except ParseFailed as error:
        sys.stdout.write(json.dumps({"error": str(error)}))
    except Exception as error:  # anything feedparser raises is this feed's failure
        reason = inert_line(f"not a readable feed ({type(error).__name__}: {error})")
        sys.stdout.write(json.dumps({"error": reason}))
    return 0


def _cap_resources(cpu_seconds: int) -> None:
    """The memory cap, and a limit of CPU time: a backstop, should the parent be gone."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def parse(body: bytes, content_type: str | None = None, base: str = "") -> Parsed:
    """The entries of an RSS or Atom document; broken XML that yields nothing is a failure
    (feedparser reads what it can of a slightly broken feed, and that is kept)."""
    import feedparser  # type: ignore[import-untyped]

    headers = {"content-type": content_type} if content_type else {}
    # Every title and summary is reduced to plain text below, so feedparser's own HTML
    # sanitizing and link resolving would be work thrown away (a third of the parse).
    parsed = feedparser.parse(
        _CHARACTER_REFERENCE.sub(_character_or_replacement, body),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    entries = [_entry(item, base) for item in parsed.entries]
    kept = [entry for entry in entries if entry is not None]
    if not kept:
        if parsed.get("bozo"):
            raise ParseFailed(f"not a readable feed ({parsed.get('bozo_exception')})")
        if not parsed.get("version"):
            raise ParseFailed("not an RSS or Atom feed")
    title = plain_text(str(parsed.feed.get("title") or "")) or None
    return Parsed(title, kept, len(entries) - len(kept))


def _character_or_replacement(reference: re.Match[bytes]) -> bytes:
    hexadecimal, decimal = reference.groups()
    digits = (hexadecimal or decimal).lstrip(b"0")
    if len(digits) > 7:  # beyond U+10FFFF either way (and `int` refuses 4,300 digits)
        return _REPLACEMENT
    number = int(hexadecimal, 16) if hexadecimal else int(decimal)
    if number in (9, 10, 13) or 0x20 <= number < 0xD800 or 0xE000 <= number <= 0x10FFFF:
        return reference.group(0)
    return _REPLACEMENT


def _entry(item: Any, base: str) -> Entry | None:
    """An entry as plain text, or None when its link can't be a source (a lead must cite
    something, and a link holding a user name or password would be published)."""
    link = source_link(str(item.get("link") or ""), base)
    if link is None:
        return None
    publisher, site = _publisher(item.get("source"), base)
    title = without_publisher(plain_text(item.get("title") or ""), publisher) or link
    summary = plain_text(item.get("summary") or "")
    if len(summary) > SUMMARY_LIMIT:
        summary = summary[: SUMMARY_LIMIT - 1].rstrip() + "…"
    guid = plain_text(str(item.get("id") or "")) or link
    published = _timestamp(item.get("published_parsed") or item.get("updated_parsed"))
    return Entry(guid, link, title, summary, published, publisher, site)


def source_link(link: str, base: str) -> str | None:
    """A link as a source would store it (relative ones resolved against `base`), or None
    when it can't be one."""
    given = link.strip()
    if not given:
        return None
    try:
        # Only a link without a scheme is relative: `urljoin` makes `http://` the base.
        relative = base and not urlsplit(given).scheme
        resolved = canonical_url(urljoin(base, given) if relative else given)
    except (BadInput, ValueError):
        return None
    return None if URL_BREAKERS.search(resolved) else resolved


def _publisher(source: Any, base: str) -> tuple[str | None, str | None]:
    """The publisher an aggregator names (RSS `<source url>`, Atom `<source>`): its name
    and its site."""
    if not isinstance(source, dict):
        return None, None
    name = plain_text(str(source.get("title") or "")) or None
    site = source_link(str(source.get("href") or source.get("link") or ""), base)
    return name, site


def _timestamp(moment: Any) -> str | None:
    """A parsed date as an ISO UTC timestamp; None (unknown) for one no claim could cite:
    before the year 1000 or after 9999 (not four digits), or out of the clock's range."""
    if moment is None:
        return None
    try:
        utc = time.gmtime(calendar.timegm(moment))
    except (OverflowError, OSError, ValueError, TypeError):
        return None
    if not 1000 <= utc.tm_year <= 9999:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", utc)


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment; scripts and styles are dropped whole."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        elif tag in ("br", "p", "div", "li"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def plain_text(fragment: str) -> str:
    """HTML (or text) as one inert line: tags dropped, entities decoded, controls and
    bidirectional formatting removed, runs of spaces collapsed. Markdown characters stay as
    text; the article escapes them."""
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    return inert_line("".join(parser.parts))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
