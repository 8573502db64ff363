"""Watch and shape the demo server's traffic, for crawl tests and benchmarks.

    with DemoServer(edition=1) as server:
        traffic = Traffic(server, delay=0.05, answers={"/sitemap_index.xml": [sitemap_index(...)]})
        ...  # crawl
        traffic.count(conditional=True, status=304)

- a request log: path, the validators sent (``If-None-Match``, ``If-Modified-Since``),
  the status answered;
- ``delay``: seconds each answer waits (a slow site, to kill a crawl mid-way);
- ``answers``: canned answers by path (extra pages, or a 429 before the real page),
  used up in order, then the demo site answers.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Answer:
    """A canned HTTP answer; ``repeat`` keeps it for every request instead of once."""

    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    repeat: bool = False


@dataclass(frozen=True)
class Seen:
    """One request the server answered."""

    path: str
    if_none_match: str | None
    if_modified_since: str | None
    status: int
    at: float
    user_agent: str | None = None

    @property
    def conditional(self) -> bool:
        return bool(self.if_none_match or self.if_modified_since)


def sitemap_index(*sitemap_urls: str) -> Answer:
    """A WordPress-style sitemap index listing ``sitemap_urls``."""
    entries = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in sitemap_urls)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
    )
    return Answer(200, body.encode(), {"Content-Type": "application/xml; charset=utf-8"}, repeat=True)


class Traffic:
    """Log and shape every request a :class:`~archiver.demo.DemoServer` answers from now on."""

    def __init__(self, server, delay: float = 0.0, answers: dict[str, list[Answer] | Answer] | None = None):
        self.requests: list[Seen] = []
        self.delay = delay
        self.answers = {path: [a] if isinstance(a, Answer) else list(a) for path, a in (answers or {}).items()}
        self._lock = threading.Lock()
        traffic, base = self, server._httpd.RequestHandlerClass

        class Handler(base):
            def _answer(self, with_body: bool) -> None:
                time.sleep(traffic.delay)
                answer = traffic._canned(self.path)
                if answer is None:
                    return super()._answer(with_body)
                self.send_response(answer.status)
                for name, value in {"Content-Length": str(len(answer.body)), **answer.headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                if with_body:
                    self.wfile.write(answer.body)

            def send_response(self, code, message=None):
                headers = self.headers
                traffic.requests.append(
                    Seen(self.path, headers.get("If-None-Match"), headers.get("If-Modified-Since"), code,
                         time.monotonic(), headers.get("User-Agent"))
                )
                super().send_response(code, message)

        server._httpd.RequestHandlerClass = Handler

    def _canned(self, path: str) -> Answer | None:
        """The next canned answer for ``path``, or None."""
        with self._lock:
            queue = self.answers.get(path)
            if not queue:
                return None
            return queue[0] if queue[0].repeat else queue.pop(0)

    def count(self, conditional: bool | None = None, status: int | None = None, prefix: str = "") -> int:
        """How many requests (for paths starting with ``prefix``) were conditional or not, with ``status``."""
        return sum(
            1
            for seen in self.requests
            if seen.path.startswith(prefix)
            and (conditional is None or seen.conditional == conditional)
            and (status is None or seen.status == status)
        )
