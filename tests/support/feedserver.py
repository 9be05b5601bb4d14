"""A local feed server for the feed tests: 127.0.0.1, a free port, routes set by each test.

Every request is recorded (path and headers) so tests can check what `fetch` sent. The
server thread polls for shutdown, and slow routes sleep a bounded time, so no test waits on
it for long.
"""

import calendar
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle: float = 0.0  # seconds between the body's bytes, sent one at a time
    slow_headers: float = 0.0  # seconds between the bytes of a never-ending header
    raw: bytes = b""  # sent as the whole answer instead, status line and headers included


Route = Reply | Callable[[BaseHTTPRequestHandler], Reply]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers.items())))
                route = server.routes.get(self.path, Reply(404, b"not found"))
                reply = route(self) if callable(route) else route
                if reply.delay:
                    time.sleep(min(reply.delay, 3.0))
                try:
                    if reply.raw:
                        self.wfile.write(reply.raw)
                        return
                    if reply.slow_headers:
                        self.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
                        for _ in range(40):
                            self.wfile.write(b"x")
                            time.sleep(reply.slow_headers)
                        return
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.status != 304 and "X-Unannounced" not in reply.headers:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if reply.trickle:
                        for index in range(min(len(reply.body), 40)):
                            self.wfile.write(reply.body[index : index + 1])
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    elif reply.status != 304:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout or the size cap): that is the test

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body: bytes, content_type: str = "application/rss+xml") -> str:
        self.routes[path] = Reply(200, body, {"Content-Type": content_type})
        return self.url(path)

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


@contextmanager
def running_feed_server() -> Iterator[FeedServer]:
    """A feed server serving in a thread until the block ends (the `feed_server` fixture)."""
    server = FeedServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
        server.thread.join(timeout=5)


def rss(*items: dict[str, str], title: str = "Drama news", encoding: str = "utf-8") -> bytes:
    """An RSS 2.0 document; each item gives title, link and optionally guid, description,
    pubDate (raw XML text: escape it yourself when it should be text)."""
    parts = [f'<?xml version="1.0" encoding="{encoding}"?>', '<rss version="2.0"><channel>']
    parts.append(f"<title>{title}</title><link>https://news.example.com/</link>")
    for item in items:
        parts.append("<item>")
        for name in ("title", "link", "guid", "description", "pubDate"):
            if name in item:
                parts.append(f"<{name}>{item[name]}</{name}>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode(encoding)


def aggregated(*stories: tuple[str, str, str], title: str = "Google News") -> bytes:
    """An aggregator's RSS as Google News writes it: each story (headline, publisher,
    publisher's site) as an item titled "headline - Publisher", linking to a redirect on
    news.google.com and naming the publisher in `<source url>`."""
    parts = ['<?xml version="1.0" encoding="utf-8"?>', '<rss version="2.0"><channel>']
    parts.append(f"<title>{escape(title)}</title><link>https://news.google.com/</link>")
    for number, (headline, publisher, site) in enumerate(stories, start=1):
        redirect = f"https://news.google.com/rss/articles/CBMi{number:04d}?oc=5"
        parts.append(
            f"<item><title>{escape(headline)} - {escape(publisher)}</title>"
            f"<link>{redirect}</link>"
            f'<guid isPermaLink="false">CBMi{number:04d}</guid>'
            f"<pubDate>{pub_date(number)}</pubDate>"
            f"<description>{escape(f'<a href={redirect!r}>{headline}</a>')}</description>"
            f'<source url="{escape(site)}">{escape(publisher)}</source></item>'
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()


def atom(*entries: dict[str, str]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title>',
        "<id>urn:feed</id><updated>2026-11-20T00:00:00Z</updated>",
    ]
    for entry in entries:
        parts.append(
            f"<entry><title>{escape(entry['title'])}</title>"
            f'<link href="{escape(entry["link"])}"/><id>{entry["id"]}</id>'
            f"<updated>{entry['updated']}</updated>"
            f"<summary>{escape(entry.get('summary', ''))}</summary></entry>"
        )
    parts.append("</feed>")
    return "\n".join(parts).encode()


def pub_date(day: int) -> str:
    """An RFC 822 date in November 2026."""
    return formatdate(calendar.timegm((2026, 11, day, 12, 0, 0, 0, 0, 0)), usegmt=True)
