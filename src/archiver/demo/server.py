"""``DemoServer``: serve the demo site over HTTP on localhost (stdlib only)."""

from __future__ import annotations

import hashlib
import threading
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from archiver.demo.catalog import EDITIONS
from archiver.demo.site import DemoSite, Page


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the owning DemoServer's current edition."""

    server_version = "MeridianDemo/1.0"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 30
    demo: "DemoServer"  # set on the per-server subclass

    def do_GET(self):  # noqa: N802 (stdlib naming)
        self._answer(with_body=True)

    def do_HEAD(self):  # noqa: N802
        self._answer(with_body=False)

    def log_message(self, format, *args):  # noqa: A002
        """Stay quiet: no line per request on stderr."""

    def _answer(self, with_body: bool) -> None:
        page = self.demo.site.page(self.path)
        etag = '"' + hashlib.sha1(page.body).hexdigest() + '"'
        status = 304 if page.status == 200 and self._not_modified(page, etag) else page.status
        self.send_response(status)
        self.send_header("ETag", etag)
        if page.last_modified is not None:
            self.send_header("Last-Modified", format_datetime(page.last_modified, usegmt=True))
        if status == 304:
            self.end_headers()
            return
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.send_header("Cache-Control", "max-age=60")
        self.end_headers()
        if with_body:
            self.wfile.write(page.body)

    def _not_modified(self, page: Page, etag: str) -> bool:
        """True when the request's validators match (If-None-Match wins)."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
            return "*" in tags or etag in tags
        since = self.headers.get("If-Modified-Since")
        if since is None or page.last_modified is None:
            return False
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        return when.tzinfo is not None and page.last_modified.replace(microsecond=0) <= when


class DemoServer:
    """The demo site on ``host:port`` (``port=0`` picks a free port).

    The socket is bound on construction, so ``base_url`` is known at once.
    ``start()`` serves from a daemon thread, ``serve_forever()`` blocks;
    ``set_edition(n)`` switches edition in place (same port, same URLs).
    Use as a context manager to start and stop it.
    """

    def __init__(self, edition: int = 1, host: str = "127.0.0.1", port: int = 0):
        handler = type("DemoHandler", (_Handler,), {"demo": self})
        self._httpd = _HTTPServer((host, port), handler)
        self._thread: threading.Thread | None = None
        self._sites: dict[int, DemoSite] = {}
        self.site = self._site_for(edition)

    @property
    def host(self) -> str:
        return self._httpd.server_address[0]

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """``http://host:port`` with the port actually bound."""
        return f"http://{self.host}:{self.port}"

    @property
    def edition(self) -> int:
        return self.site.edition

    def _site_for(self, edition: int) -> DemoSite:
        if edition not in EDITIONS:
            raise ValueError(f"edition must be one of {EDITIONS}, not {edition!r}")
        if edition not in self._sites:
            self._sites[edition] = DemoSite(edition, self.base_url)
        return self._sites[edition]

    def set_edition(self, edition: int) -> None:
        """Serve ``edition`` from now on."""
        self.site = self._site_for(edition)

    def start(self) -> "DemoServer":
        """Serve in a background daemon thread; returns self."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="demo-site",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        try:
            self._httpd.serve_forever()
        finally:
            self._httpd.server_close()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> "DemoServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
