"""Fetching feeds: the network side of turning news into leads.

Fetching is careful with what it lets in: only http(s), a time limit per feed
(`AOUSDCTL_FETCH_TIMEOUT`, 20 s), a size cap (`AOUSDCTL_FETCH_MAX_BYTES`, 10 MB), a few
redirects at most (a loop is caught), and a conditional GET with the ETag and Last-Modified
each feed last sent, so a feed with nothing new costs one 304 and writes nothing (a server
that sends no validators but the same bytes again is not parsed again either). The bytes
are parsed by feedparser; titles and summaries come out as plain one-line text.
"""

import calendar
import contextlib
import hashlib
import http.client
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from aousdctl import __version__
from aousdctl.domain.feeds import Entry, Feed, Fetched
from aousdctl.domain.text import inert_line
from aousdctl.domain.urls import canonical_url
from aousdctl.errors import BadInput

USER_AGENT = f"aousdctl/{__version__}"
TIMEOUT_VARIABLE = "AOUSDCTL_FETCH_TIMEOUT"
DEFAULT_TIMEOUT = 20.0
SIZE_CAP_VARIABLE = "AOUSDCTL_FETCH_MAX_BYTES"
DEFAULT_SIZE_CAP = 10 * 1024 * 1024
MAX_REDIRECTS = 5
PARALLEL_FETCHES = 4
SUMMARY_LIMIT = 500
READ_SIZE = 65536


# --- Fetching ------------------------------------------------------------------------------


class FetchFailed(Exception):
    """One feed could not be fetched or read; the message says why."""


def timeout() -> float:
    return _positive_number(TIMEOUT_VARIABLE, DEFAULT_TIMEOUT)


def size_cap() -> int:
    return int(_positive_number(SIZE_CAP_VARIABLE, DEFAULT_SIZE_CAP))


def _positive_number(variable: str, default: float) -> float:
    value = os.environ.get(variable, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = -1
    if number <= 0:
        raise BadInput(f"{variable} must be a positive number, not {value!r}")
    return number


def fetch_all(feeds: Sequence[Feed]) -> list[Fetched]:
    """Fetch every feed, a few at a time; one failing never stops the others."""
    limit, cap = timeout(), size_cap()
    if not feeds:
        return []
    with ThreadPoolExecutor(max_workers=min(PARALLEL_FETCHES, len(feeds))) as pool:
        return list(pool.map(lambda feed: fetch(feed, limit, cap), feeds))


def fetch(feed: Feed, limit: float, cap: int) -> Fetched:
    try:
        response = download(feed["url"], feed.get("etag"), feed.get("modified"), limit, cap)
        if response.status == 304:
            return Fetched(feed["name"], feed["url"], "not-modified")
        # Many servers send no validators: the same bytes as last time are not modified
        # either, and parsing them again would only find known entries.
        digest = hashlib.sha256(response.body).hexdigest()
        if digest == feed.get("digest"):
            return Fetched(feed["name"], feed["url"], "not-modified")
        entries = parse(response.body, response.content_type)
    except FetchFailed as error:
        return Fetched(feed["name"], feed["url"], "failed", error=str(error))
    return Fetched(
        feed["name"],
        feed["url"],
        "ok",
        entries,
        etag=response.etag,
        modified=response.modified,
        digest=digest,
    )


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    modified: str | None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by `download`, which counts them and catches loops."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _Deadline:
    """One feed's deadline, for the whole download: every connection it opens (redirects
    included) is shut down when the time is up, whatever it is waiting for.

    A socket's timeout counts each wait for a packet, not the whole answer: a server sending
    its headers or body a byte at a time would otherwise keep the feed as long as it liked.
    Shutting the socket down ends any wait on it, under TLS too."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.at = time.monotonic() + limit
        self._watchdogs: list[threading.Timer] = []

    def watch(self, sock: Any) -> None:
        watchdog = threading.Timer(max(0.0, self.at - time.monotonic()), _cut, (sock,))
        watchdog.daemon = True
        watchdog.start()
        self._watchdogs.append(watchdog)

    def cancel(self) -> None:
        for watchdog in self._watchdogs:
            watchdog.cancel()

    def handlers(self) -> list[urllib.request.BaseHandler]:
        deadline = self

        def bounded(base: Any) -> Any:
            class Bounded(base):  # type: ignore[misc]
                def connect(self) -> None:
                    super().connect()
                    deadline.watch(self.sock)

            return Bounded

        class HTTP(urllib.request.HTTPHandler):
            def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
                return super().do_open(bounded(http_class), req, **kwargs)

        class HTTPS(urllib.request.HTTPSHandler):
            def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
                return super().do_open(bounded(http_class), req, **kwargs)

        return [HTTP(), HTTPS()]


def _cut(sock: Any) -> None:
    # The plain socket's shutdown, also under TLS: it only ends the waiting. A socket
    # already closed (the answer was read in time) refuses it, which is fine.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def download(url: str, etag: str | None, modified: str | None, limit: float, cap: int) -> Response:
    """GET a feed within `limit` seconds and `cap` bytes, following a few redirects."""
    bound = _Deadline(limit)
    try:
        return _download(url, etag, modified, bound, cap)
    finally:
        bound.cancel()


def _download(
    url: str, etag: str | None, modified: str | None, bound: _Deadline, cap: int
) -> Response:
    opener = urllib.request.build_opener(_NoRedirects, *bound.handlers())
    deadline, limit = bound.at, bound.limit
    visited: list[str] = []
    current = url
    while True:
        visited.append(current)
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8",
        }
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        request = urllib.request.Request(current, headers=headers)
        try:
            with opener.open(request, timeout=_remaining(deadline, limit)) as answer:
                body = _read_capped(answer, cap, deadline, limit)
                return Response(
                    answer.status,
                    body,
                    answer.headers.get("Content-Type"),
                    answer.headers.get("ETag"),
                    answer.headers.get("Last-Modified"),
                )
        except urllib.error.HTTPError as error:
            if error.code == 304:
                return Response(304, b"", None, etag, modified)
            location = (
                error.headers.get("Location") if error.code in (301, 302, 303, 307, 308) else None
            )
            if location is None:
                raise FetchFailed(f"HTTP {error.code} {error.reason}") from None
            current = _redirect_target(current, location, visited)
        except (TimeoutError, urllib.error.URLError, OSError, http.client.HTTPException) as error:
            if time.monotonic() >= deadline:  # the watchdog cut the connection
                raise FetchFailed(f"timed out after {limit:g} s") from None
            if isinstance(error, http.client.HTTPException) and not isinstance(error, OSError):
                raise FetchFailed(f"not a valid HTTP answer ({type(error).__name__})") from None
            raise FetchFailed(_network_failure(error, limit)) from None


def _redirect_target(current: str, location: str, visited: list[str]) -> str:
    try:
        target = canonical_url(urljoin(current, location.strip()))
    except BadInput as error:
        raise FetchFailed(f"redirected to a link that can't be followed: {error}") from None
    if target in visited:
        raise FetchFailed(f"redirect loop ({len(visited)} hops back to {target})")
    if len(visited) > MAX_REDIRECTS:
        raise FetchFailed(f"more than {MAX_REDIRECTS} redirects")
    return target


def _remaining(deadline: float, limit: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchFailed(f"timed out after {limit:g} s")
    return left


def _read_capped(answer: Any, cap: int, deadline: float, limit: float) -> bytes:
    declared = answer.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > cap:
        raise FetchFailed(f"over the size cap of {cap:,} bytes ({int(declared):,} announced)")
    chunks: list[bytes] = []
    total = 0
    # `read(n)` waits until n bytes came, however slowly, and the socket's timeout counts
    # only the wait for each packet: a server trickling a byte a second would hold the feed
    # for as long as it liked. So each read takes what has arrived (`read1`), and may wait
    # no longer than the time this feed has left.
    sock = _socket_of(answer)
    while True:
        left = _remaining(deadline, limit)
        if sock is not None:
            sock.settimeout(left)
        chunk = answer.read1(READ_SIZE)
        if not chunk:
            _remaining(deadline, limit)  # an end the watchdog made is no end of the feed
            return b"".join(chunks)
        total += len(chunk)
        if total > cap:
            raise FetchFailed(f"over the size cap of {cap:,} bytes")
        chunks.append(chunk)


def _socket_of(answer: Any) -> Any:
    """The socket under an http.client response (its buffered reader's raw socket IO), or
    None for an answer that has none (then the timeout given when opening still holds)."""
    raw = getattr(getattr(answer, "fp", None), "raw", None)
    sock = getattr(raw, "_sock", None)
    return sock if hasattr(sock, "settimeout") else None


def _network_failure(error: BaseException, limit: float) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"timed out after {limit:g} s"
    return f"can't reach the server: {reason}"


# --- Parsing -------------------------------------------------------------------------------


def parse(body: bytes, content_type: str | None = None) -> list[Entry]:
    """The entries of an RSS or Atom document; broken XML that yields nothing is a failure
    (feedparser reads what it can of a slightly broken feed, and that is kept)."""
    import feedparser  # type: ignore[import-untyped]

    headers = {"content-type": content_type} if content_type else {}
    # Every title and summary is reduced to plain text below, so feedparser's own HTML
    # sanitizing and link resolving would be work thrown away (a third of the parse).
    parsed = feedparser.parse(
        body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    entries = [entry for entry in map(_entry, parsed.entries) if entry is not None]
    if not entries:
        if parsed.get("bozo"):
            raise FetchFailed(f"not a readable feed ({parsed.get('bozo_exception')})")
        if not parsed.get("version"):
            raise FetchFailed("not an RSS or Atom feed")
    return entries


def _entry(item: Any) -> Entry | None:
    """An entry as plain text, or None without an http(s) link (a lead must cite something)
    or with a link holding a user name or password (it would be published in footnotes)."""
    try:
        link = canonical_url(str(item.get("link") or ""))
    except BadInput:
        return None
    title = plain_text(item.get("title") or "") or link
    summary = plain_text(item.get("summary") or "")
    if len(summary) > SUMMARY_LIMIT:
        summary = summary[: SUMMARY_LIMIT - 1].rstrip() + "…"
    guid = plain_text(str(item.get("id") or "")) or link
    published = _timestamp(item.get("published_parsed") or item.get("updated_parsed"))
    return Entry(guid=guid, link=link, title=title, summary=summary, published=published)


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
