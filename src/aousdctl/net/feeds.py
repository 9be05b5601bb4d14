"""Fetching feeds: the network side of turning news into leads.

Fetching is careful with what it lets in: only http(s), a time limit per feed
(`AOUSDCTL_FETCH_TIMEOUT`, 20 s) and a size cap (`AOUSDCTL_FETCH_MAX_BYTES`, 10 MB, also
once a gzip body is decompressed) that hold until the feed's entries are read
(`net.entries` parses them in a child process), a few redirects at most (a loop is caught),
and a conditional GET with the ETag and Last-Modified each feed last sent, so a feed with
nothing new costs one 304 and writes nothing (a server that sends no validators but the
same bytes again is not parsed again either). An address or redirect holding non-ASCII
characters is sent percent-encoded (`urls.as_uri`). Whatever goes wrong with one feed is
that feed's failure, named in one line; it never stops another.
"""

import contextlib
import hashlib
import http.client
import math
import os
import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_from_bytes, urljoin

from aousdctl import __version__
from aousdctl.domain.feeds import Feed, Fetched
from aousdctl.domain.text import inert_line
from aousdctl.domain.urls import as_uri, canonical_url
from aousdctl.errors import BadInput
from aousdctl.net.entries import ParseFailed, parse_within

USER_AGENT = f"aousdctl/{__version__}"
TIMEOUT_VARIABLE = "AOUSDCTL_FETCH_TIMEOUT"
DEFAULT_TIMEOUT = 20.0
SIZE_CAP_VARIABLE = "AOUSDCTL_FETCH_MAX_BYTES"
DEFAULT_SIZE_CAP = 10 * 1024 * 1024
# The largest limits taken: a day for a feed, a gigabyte of feed held in memory.
MAX_TIMEOUT = 24 * 60 * 60
MAX_SIZE_CAP = 1024 * 1024 * 1024
MAX_REDIRECTS = 5
PARALLEL_FETCHES = 4
READ_SIZE = 65536
GZIP_MAGIC = b"\x1f\x8b"


# --- Fetching ------------------------------------------------------------------------------


class FetchFailed(Exception):
    """One feed could not be fetched or read; the message says why."""


def timeout() -> float:
    return _limit(TIMEOUT_VARIABLE, DEFAULT_TIMEOUT, MAX_TIMEOUT, whole=False)


def size_cap() -> int:
    return int(_limit(SIZE_CAP_VARIABLE, DEFAULT_SIZE_CAP, MAX_SIZE_CAP, whole=True))


def _limit(variable: str, default: float, maximum: int, *, whole: bool) -> float:
    """A limit from the environment: a finite number above 0 and at most `maximum` (`nan`
    passed every comparison, and a timeout of 1e10 s overflowed the watchdog's timer)."""
    value = os.environ.get(variable, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not 0 < number <= maximum or (whole and number != int(number)):  # nan: not in range
        what = "a whole number of bytes" if whole else "a number of seconds"
        raise BadInput(f"{variable} must be {what} above 0, at most {maximum}, not {value!r}")
    return number


def fetch_all(feeds: Sequence[Feed]) -> list[Fetched]:
    """Fetch every feed, a few at a time; one failing never stops the others."""
    limit, cap = timeout(), size_cap()
    if not feeds:
        return []
    with ThreadPoolExecutor(max_workers=min(PARALLEL_FETCHES, len(feeds))) as pool:
        return list(pool.map(lambda feed: fetch(feed, limit, cap), feeds))


def fetch(feed: Feed, limit: float, cap: int) -> Fetched:
    """One feed, fetched and read within `limit` seconds and `cap` bytes; any failure is
    this feed's, in one line."""
    try:
        return _fetch(feed, limit, cap)
    except (FetchFailed, ParseFailed) as error:
        return Fetched(feed["name"], feed["url"], "failed", error=inert_line(str(error)))
    except Exception as error:  # whatever else one feed holds, it never costs the others
        reason = inert_line(f"unexpected {type(error).__name__}: {error}")
        return Fetched(feed["name"], feed["url"], "failed", error=reason)


def _fetch(feed: Feed, limit: float, cap: int) -> Fetched:
    deadline = time.monotonic() + limit
    response = download(feed["url"], feed.get("etag"), feed.get("modified"), limit, cap)
    if response.status == 304:
        return Fetched(feed["name"], feed["url"], "not-modified")
    # Many servers send no validators: the same bytes as last time are not modified
    # either, and parsing them again would only find known entries.
    digest = hashlib.sha256(response.body).hexdigest()
    if digest == feed.get("digest"):
        return Fetched(feed["name"], feed["url"], "not-modified")
    seconds = _remaining(deadline, limit)
    parsed = parse_within(
        response.body, response.content_type, response.url, seconds=seconds, limit=limit
    )
    return Fetched(
        feed["name"],
        feed["url"],
        "ok",
        parsed.entries,
        etag=response.etag,
        modified=response.modified,
        digest=digest,
        title=parsed.title,
        skipped=parsed.skipped,
    )


@dataclass(frozen=True)
class Response:
    """An answer: `url` is where it came from (after redirects), `body` decompressed."""

    status: int
    url: str
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
            "Accept-Encoding": "gzip",
        }
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        request = urllib.request.Request(as_uri(current), headers=headers)
        try:
            with opener.open(request, timeout=_remaining(deadline, limit)) as answer:
                body = _decompressed(_read_capped(answer, cap, deadline, limit), answer, cap)
                return Response(
                    answer.status,
                    current,
                    body,
                    answer.headers.get("Content-Type"),
                    answer.headers.get("ETag"),
                    answer.headers.get("Last-Modified"),
                )
        except urllib.error.HTTPError as error:
            if error.code == 304:
                if not etag and not modified:
                    why = "answered 304 Not Modified to a request without validators"
                    raise FetchFailed(why) from None
                return Response(304, current, b"", None, etag, modified)
            location = (
                error.headers.get("Location") if error.code in (301, 302, 303, 307, 308) else None
            )
            if location is None:
                raise FetchFailed(inert_line(f"HTTP {error.code} {error.reason}")) from None
            current = _redirect_target(current, _header_text(location), visited)
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


def _header_text(value: str) -> str:
    """A header as its sender meant it: http.client reads header bytes as Latin-1, so a
    UTF-8 `Location: /café.xml` arrives as `/cafÃ©.xml`. Bytes that aren't UTF-8 are
    percent-encoded as they are."""
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError:
        return value
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return quote_from_bytes(raw, safe=bytes(range(0x21, 0x7F)))


def _decompressed(body: bytes, answer: Any, cap: int) -> bytes:
    """The body, gunzipped (or inflated) when it is compressed, asked for or not, within
    the size cap: a small gzip body may unpack to gigabytes."""
    encoding = (answer.headers.get("Content-Encoding") or "").strip().lower()
    if body[:2] == GZIP_MAGIC:
        unpacker = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    elif encoding == "deflate":
        # zlib-wrapped, as the standard says, or raw deflate, as some servers send
        raw = bool(body) and (body[0] & 0x0F) != 8
        unpacker = zlib.decompressobj(wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    else:
        return body
    try:
        unpacked = unpacker.decompress(body, cap + 1)
        # A gzip body may be several members one after the other (RFC 1952): each is read.
        while body[:2] == GZIP_MAGIC and unpacker.eof and unpacker.unused_data[:2] == GZIP_MAGIC:
            rest = unpacker.unused_data
            unpacker = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
            unpacked += unpacker.decompress(rest, cap + 1 - len(unpacked))
            if len(unpacked) > cap:
                break
    except zlib.error as error:
        raise FetchFailed(f"a compressed body that can't be decompressed ({error})") from None
    if len(unpacked) > cap:
        raise FetchFailed(f"over the size cap of {cap:,} bytes once decompressed")
    return unpacked


def _remaining(deadline: float, limit: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchFailed(f"timed out after {limit:g} s")
    return left


def _read_capped(answer: Any, cap: int, deadline: float, limit: float) -> bytes:
    declared = answer.headers.get("Content-Length", "").strip()
    # ASCII digits only: `isdigit` takes "²", which `int` then refuses.
    if declared.isascii() and declared.isdigit() and int(declared) > cap:
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
