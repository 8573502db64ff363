"""A news site that misbehaves on purpose, on 127.0.0.1, for reliability and security tests.

    with HostileSite() as site:
        archiver("crawl", "--db", db, "--start-url", site.sitemap_url, "--set", "DOWNLOAD_TIMEOUT=3")
        site.hits("/fault/e503")      # how often a path was asked for
        site.escaped                  # requests for other hosts that reached it as a proxy

Among good article pages (the demo site's, edition 1) it serves one path per fault in
:data:`FAULTS`: connection resets, hangs and slow-loris answers, 5xx with and without
``Retry-After``, 429, redirect loops and chains, redirects off-site and to private
addresses, truncated bodies, wrong ``Content-Length``, a gzip bomb, oversized pages,
binary data sent as ``text/html``, pages in Latin-1, Windows-1252 and Shift-JIS with
wrong or missing charsets, deeply nested and malformed markup, empty pages and a page
that changes on every request. ``/sitemap.xml`` lists them all, and :data:`OFF_SITE`
URLs that the crawler must refuse without connecting.

Everything is bounded: a hang or a slow answer lasts at most ``slow_seconds``, and every
handler thread ends when the server stops.

Safety net: set ``http_proxy`` to :attr:`HostileSite.base_url` for the crawl and every
request goes through this server; a request for any other host is answered 502 and
logged in :attr:`HostileSite.escaped`, so a guard that fails sends nothing off the machine.
"""

from __future__ import annotations

import gzip
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from archiver.demo import DemoSite

GOOD_PAGES = 10
HTML = "text/html; charset=utf-8"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Fault:
    """One misbehaving path: what it does, and what the crawl must make of it.

    ``expect``: ``archived`` (a version is written), ``error`` (an error fetch whose
    reason contains ``reason``), or ``any`` (the crawl goes on; nothing more is promised).
    ``text``: words the archived version must contain, in the right characters.
    """

    path: str
    kind: str
    expect: str
    reason: str = ""
    text: tuple[str, ...] = ()


# --- pages in other encodings: text written for them --------------------------------

LATIN1_TITLE = "Ça coûte cher : la fête de l'été à Zürich"
LATIN1_BODY = (
    "À Zürich, la fête de l'été a réuni des milliers de visiteurs malgré la chaleur. "
    "Les cafés étaient pleins, les bières fraîches et les prix élevés : « ça coûte cher », "
    "disait une étudiante venue de Besançon. Der Bürgermeister sprach von einem großen Erfolg "
    "für die Straße am See; les organisateurs préparent déjà l'édition suivante, avec plus "
    "d'ombre et davantage de fontaines. Señora Núñez, venue d'Almería, a trouvé l'ambiance très agréable."
)
CP1252_TITLE = "“Smart” quotes — and a €5 coffee"
CP1252_BODY = (
    "The café’s new menu lists a coffee at €5 — “a fair price”, the owner says, for beans "
    "roasted in-house. Customers were less sure: “It’s good… but €5?” asked one regular. "
    "The council’s trading-standards office said prices were a matter for the market, "
    "and that the café’s sign — in Œuvre typeface, with a ™ mark — broke no rules. "
    "Still, the debate has spread to the town’s other cafés, where “fair” now means €3."
)
SJIS_TITLE = "東京の新しい図書館が開館"
SJIS_BODY = (
    "「東京の新しい図書館が開館しました。」市民は多くの本を読むことができます。"
    "図書館には子ども向けの部屋や静かな読書室があり、週末には家族連れでにぎわっています。"
    "館長は「地域の人々が集まる場所にしたい」と話しました。開館初日には三千人以上が訪れ、"
    "新しい本の貸し出しも始まりました。市は来年、さらに二つの分館を開く予定です。"
    "建物は木材を多く使った明るいデザインで、屋上には小さな庭もあります。"
    "夜九時まで開いているため、仕事帰りに立ち寄る人も増えています。"
    "利用者の多くは、駅から近く便利になったと喜んでいます。"
)


def article_html(title: str, body: str, charset_meta: str | None = None, extra: str = "") -> str:
    """A plain article page: title, date, byline and paragraphs (``extra`` after the article)."""
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    paragraphs = "".join(f"<p>{sentence.strip()}</p>" for sentence in body.split(". ") if sentence.strip())
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}</title>"
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2026-03-01T10:00:00+00:00"></head>'
        f'<body><article><h1>{title}</h1><p class="byline">By Ana Reporter</p>'
        f'<time datetime="2026-03-01T10:00:00+00:00">1 March 2026</time>{paragraphs}</article>{extra}</body></html>'
    )


# --- the faults --------------------------------------------------------------------

FAULTS = [
    Fault("/fault/reset", "connection reset", "error", "connection"),
    Fault("/fault/reset-mid-body", "connection reset mid-body", "error", "truncated"),
    Fault("/fault/hang", "timeout (no answer)", "error", "timed out"),
    Fault("/fault/slowloris", "slow-loris (1 byte / 0.5 s)", "error", "timed out"),
    Fault("/fault/e500", "500", "error", "HTTP 500"),
    Fault("/fault/e502", "502", "error", "HTTP 502"),
    Fault("/fault/e502-retry-after", "502 with Retry-After", "error", "HTTP 502"),
    Fault("/fault/e503", "503", "error", "HTTP 503"),
    Fault("/fault/e503-retry-after", "503 with Retry-After: 1", "error", "HTTP 503"),
    Fault("/fault/e503-retry-after-long", "503 with Retry-After: 3600", "error", "HTTP 503"),
    Fault("/fault/e429-once", "429 once, then the page", "archived"),
    Fault("/fault/e500-once", "500 once, then the page", "archived"),
    Fault("/fault/loop-a", "redirect loop", "error", "redirect loop"),
    Fault("/fault/chain-1", "redirect chain (3 hops)", "archived"),
    Fault("/fault/long-1", "redirect chain (20 hops)", "error", "too many redirects"),
    Fault("/fault/to-offsite", "redirect to another domain", "error", "off-site host offsite.example.test"),
    Fault("/fault/to-private", "redirect to a private address", "error", "private address 10.1.2.3"),
    Fault("/fault/to-metadata", "redirect to 169.254.169.254", "error", "link-local address 169.254.169.254"),
    Fault("/fault/to-localhost", "redirect to localhost", "error", "off-site host localhost"),
    Fault("/fault/truncated", "truncated body", "error", "truncated"),
    Fault("/fault/short-length", "Content-Length shorter than the body", "any"),
    Fault("/fault/gzip-bomb", "gzip bomb (64 MiB of zeros in 64 KB)", "error", "DOWNLOAD_MAXSIZE"),
    Fault("/fault/oversized", "oversized page (20 MiB, with Content-Length)", "error", "too large"),
    Fault("/fault/oversized-stream", "oversized page (20 MiB, no Content-Length)", "error", "too large"),
    Fault("/fault/png-as-html", "PNG sent as text/html", "error", "a PNG image, sent as text/html"),
    Fault("/fault/binary-as-html", "random bytes sent as text/html", "error", "binary data, sent as text/html"),
    Fault("/fault/image.png", "an image (image/png)", "error", "not a page (Content-Type image/png)"),
    Fault("/fault/report.pdf", "a PDF (application/pdf)", "error", "not a page (Content-Type application/pdf)"),
    Fault("/fault/latin1-undeclared", "Latin-1, no charset", "archived", text=(LATIN1_TITLE, "Besançon", "Núñez")),
    Fault("/fault/cp1252-as-utf8", "Windows-1252 declared UTF-8", "archived", text=(CP1252_TITLE, "€5 — “a fair price”")),
    Fault("/fault/cp1252-as-latin1", "Windows-1252 declared ISO-8859-1", "archived", text=(CP1252_TITLE, "Œuvre", "™")),
    Fault("/fault/utf8-as-latin1", "UTF-8 declared ISO-8859-1", "archived", text=(LATIN1_TITLE, "großen Erfolg")),
    Fault("/fault/sjis-undeclared", "Shift-JIS, no charset", "archived", text=(SJIS_TITLE, "館長は")),
    Fault("/fault/sjis-as-latin1", "Shift-JIS declared ISO-8859-1", "archived", text=(SJIS_TITLE, "「東京の")),
    Fault("/fault/sjis-declared", "Shift-JIS declared in the header only", "archived", text=(SJIS_TITLE, "分館")),
    Fault("/fault/deep-nesting", "markup nested 20,000 deep", "archived", text=("Nesting survives",)),
    Fault("/fault/malformed", "malformed markup", "archived", text=("Malformed but readable",)),
    Fault("/fault/empty", "empty page", "error", "empty body"),
    Fault("/fault/blank", "white space only", "error", "empty body"),
    Fault("/fault/changing", "changes on every request", "archived"),
]

#: Sitemap entries off the site: refused before any connection.
OFF_SITE = [
    "http://10.0.0.1/internal/admin",
    "http://169.254.169.254/latest/meta-data/",
    "http://localhost.evil/article/one",
    "http://[::1]/article/two",
    "http://2130706433/article/three",
    "http://192.168.1.1/router",
    "https://example.org/off-site-article",
    "file:///etc/passwd",
    "ftp://127.0.0.1/pub/article",
]


class HostileSite:
    """The misbehaving site (see the module docstring); a context manager."""

    def __init__(self, good_pages: int = GOOD_PAGES, slow_seconds: float = 5.0, off_site: list[str] | None = None,
                 faults: list[Fault] | None = None):
        self.slow_seconds = slow_seconds
        self.stopping = threading.Event()
        self.requests: list[tuple[str, float]] = []
        self.escaped: list[str] = []
        self.proxied = 0
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self.faults = {fault.path: fault for fault in (FAULTS if faults is None else faults)}
        self.off_site = OFF_SITE if off_site is None else off_site
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.demo = DemoSite(edition=1, base_url=self.base_url)
        self.good_urls = self.demo.article_urls()[:good_pages]
        self._bomb = gzip.compress(b"<html><body>" + bytes(64 * MIB), compresslevel=9)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def sitemap_url(self) -> str:
        return f"{self.base_url}/sitemap.xml"

    def url(self, path: str) -> str:
        return self.base_url + path

    def hits(self, path: str) -> int:
        """How many requests asked for ``path``."""
        with self._lock:
            return sum(1 for seen, _ in self.requests if seen == path)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)

    def sitemap(self) -> bytes:
        urls = [*self.good_urls, *(self.url(path) for path in self.faults), *self.off_site]
        entries = "".join(f"<url><loc>{_xml_escape(url)}</loc></url>" for url in urls)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        ).encode()

    def count(self, path: str) -> int:
        """Count a request for ``path``; how many came before it."""
        with self._lock:
            self.requests.append((path, time.monotonic()))
            seen = self._counts.get(path, 0)
            self._counts[path] = seen + 1
            return seen

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; False when the server is stopping."""
        return not self.stopping.wait(seconds)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _handler(site: HostileSite):
    class Handler(BaseHTTPRequestHandler):
        server_version = "Hostile/1.0"
        protocol_version = "HTTP/1.0"

        def log_message(self, *args):
            pass

        def do_GET(self):
            path = self.path
            if path.startswith(("http://", "https://")):  # asked as a proxy
                site.proxied += 1
                parts = urlsplit(path)
                if parts.netloc != f"127.0.0.1:{site.port}":
                    with site._lock:
                        site.escaped.append(path)
                    return self.answer(502, b"escaped", "text/plain")
                path = parts.path + (f"?{parts.query}" if parts.query else "")
            seen = site.count(path)
            try:
                self.route(path, seen)
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                pass  # the crawler hung up: fine

        # --- plumbing ---

        def answer(self, status: int, body: bytes = b"", content_type: str | None = HTML, headers: dict | None = None,
                   length: int | None = None) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def redirect(self, location: str) -> None:
            self.answer(302, b"", headers={"Location": location})

        def good(self, path: str) -> None:
            status, content_type, body = site.demo.get(path)
            self.answer(status, body, content_type)

        def reset(self) -> None:
            """Close with a TCP reset (RST), not a FIN."""
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

        def trickle(self, body: bytes, every: float) -> None:
            """Send ``body`` a byte at a time, for at most ``site.slow_seconds``."""
            deadline = time.monotonic() + site.slow_seconds
            for index in range(len(body)):
                if time.monotonic() > deadline or not site.wait(every):
                    return
                self.wfile.write(body[index:index + 1])
                self.wfile.flush()

        def stream(self, total: int, chunk: bytes = b"x" * 65536) -> None:
            sent = 0
            while sent < total and not site.stopping.is_set():
                self.wfile.write(chunk)
                sent += len(chunk)

        # --- routes ---

        def route(self, path: str, seen: int) -> None:
            if path == "/sitemap.xml":
                return self.answer(200, site.sitemap(), "application/xml")
            if path == "/robots.txt":
                return self.answer(200, f"User-agent: *\nAllow: /\nSitemap: {site.sitemap_url}\n".encode(), "text/plain")
            if path in site.faults:
                return self.fault(path, seen)
            if any(url == site.base_url + path for url in site.good_urls) or path.startswith("/fault/chain-end"):
                return self.good(site.good_urls[0][len(site.base_url):] if path.startswith("/fault/") else path)
            if path.startswith(("/fault/loop-", "/fault/chain-", "/fault/long-")):
                return self.hops(path)
            return self.answer(404, b"<html><body>not here</body></html>")

        def hops(self, path: str) -> None:
            name, _, number = path.rpartition("-")
            if name == "/fault/loop":
                return self.redirect("/fault/loop-b" if number == "a" else "/fault/loop-a")
            if name == "/fault/chain":
                return self.redirect("/fault/chain-end" if int(number) >= 3 else f"/fault/chain-{int(number) + 1}")
            return self.redirect(f"/fault/long-{int(number) + 1}" if int(number) < 20 else "/fault/chain-end")

        def fault(self, path: str, seen: int) -> None:
            name = path.removeprefix("/fault/")
            page = site.demo.get(site.good_urls[-1][len(site.base_url):])[2]
            if name == "reset":
                return self.reset()
            if name == "reset-mid-body":
                self.send_response(200)
                self.send_header("Content-Type", HTML)
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page[: len(page) // 2])
                return self.reset()
            if name == "hang":
                site.wait(site.slow_seconds)
                return self.reset()
            if name == "slowloris":
                self.send_response(200)
                self.send_header("Content-Type", HTML)
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.flush()
                return self.trickle(page, 0.5)
            if name.startswith(("e5", "e4")):
                return self.error_status(name, seen)
            if name == "loop-a" or name in ("chain-1", "long-1"):
                return self.hops(path)
            if name == "to-offsite":
                return self.redirect("http://offsite.example.test/article/x")
            if name == "to-private":
                return self.redirect("http://10.1.2.3/admin")
            if name == "to-metadata":
                return self.redirect("http://169.254.169.254/latest/meta-data/iam/security-credentials/")
            if name == "to-localhost":
                return self.redirect(f"http://localhost:{site.port}/")
            if name == "truncated":
                self.answer(200, page[:1000], length=len(page))
                return self.reset()
            if name == "short-length":
                return self.answer(200, page, length=len(page) // 3)
            if name == "gzip-bomb":
                return self.answer(200, site._bomb, headers={"Content-Encoding": "gzip"})
            if name == "oversized":
                self.answer(200, b"", length=20 * MIB)
                return self.stream(20 * MIB)
            if name == "oversized-stream":
                self.send_response(200)
                self.send_header("Content-Type", HTML)
                self.end_headers()
                return self.stream(20 * MIB)
            if name in ("png-as-html", "image.png"):
                png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
                return self.answer(200, png, HTML if name == "png-as-html" else "image/png")
            if name == "binary-as-html":
                return self.answer(200, bytes((i * 7919 + 13) % 256 for i in range(4096)))
            if name == "report.pdf":
                return self.answer(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n", "application/pdf")
            if name in ENCODED:
                body, content_type = ENCODED[name]
                return self.answer(200, body, content_type)
            if name == "deep-nesting":
                text = article_html("Nesting survives twenty thousand levels", LATIN1_BODY.replace("é", "e"),
                                    extra="<div>" * 20000 + "deep" + "</div>" * 20000)
                return self.answer(200, text.encode())
            if name == "malformed":
                return self.answer(200, MALFORMED.encode())
            if name == "empty":
                return self.answer(200, b"")
            if name == "blank":
                return self.answer(200, b" \n\t \r\n " * 20)
            if name == "changing":  # its own article (no canonical link), a new footer and ad each time
                body = page.replace(b"Page generated", f"Page generated {time.time_ns()} #{seen}".encode())
                body = re.sub(rb'<link rel="canonical"[^>]*>|<meta property="og:url"[^>]*>', b"", body)
                return self.answer(200, body.replace(b"</body>", f"<div class='ad'>ad {seen}</div></body>".encode()))
            return self.answer(404, b"")

        def error_status(self, name: str, seen: int) -> None:
            status = int(name[1:4])
            headers = {}
            if name.endswith("retry-after"):
                headers["Retry-After"] = "1"
            elif name.endswith("retry-after-long"):
                headers["Retry-After"] = "3600"
            if name.endswith("-once") and seen >= 1:
                return self.good(site.good_urls[1][len(site.base_url):])
            return self.answer(status, f"<html><body>error {status}</body></html>".encode(), headers=headers)

    return Handler


MALFORMED = (
    "<html><head><title>Malformed but readable</title><meta property=og:type content=article><meta property=article:published_time "
    "content=2026-03-02T09:00:00Z><body><article><h1>Malformed but readable</h1><p class=byline>By Ana Reporter"
    "<p>Unclosed paragraph with <b>bold <i>and italic</b> mis-nested</i> text and a stray </div> "
    "end tag, an attribute <span class=unquoted id=x\" title=>odd</span>, and <p <p>broken tags. "
    "<p>The council met on Tuesday to discuss the budget, and most members agreed that the road "
    "repairs should come first, before the new library wing; the vote is expected next month. "
    "<p>Residents who spoke at the meeting asked for better street lighting <em>and safer crossings "
    "near the schools<p>Officials said both would be studied over the summer"
    "<table><tr><td>cell<td>cell<tr>row</table><p>&bogus; &amp &#xZZ; &#99999999; entities "
    "<![CDATA[ cdata ]]> <? processing ?> <!-- a comment that never closes"
)

ENCODED = {
    "latin1-undeclared": (article_html(LATIN1_TITLE, LATIN1_BODY).encode("latin-1"), "text/html"),
    "cp1252-as-utf8": (article_html(CP1252_TITLE, CP1252_BODY).encode("cp1252"), "text/html; charset=utf-8"),
    "cp1252-as-latin1": (article_html(CP1252_TITLE, CP1252_BODY, "iso-8859-1").encode("cp1252"), "text/html"),
    "utf8-as-latin1": (article_html(LATIN1_TITLE, LATIN1_BODY).encode("utf-8"), "text/html; charset=iso-8859-1"),
    "sjis-undeclared": (article_html(SJIS_TITLE, SJIS_BODY).encode("shift_jis"), "text/html"),
    "sjis-as-latin1": (article_html(SJIS_TITLE, SJIS_BODY, "iso-8859-1").encode("shift_jis"), "text/html"),
    "sjis-declared": (article_html(SJIS_TITLE, SJIS_BODY).encode("shift_jis"), "text/html; charset=Shift_JIS"),
}


#: Runs argv[2:], then writes the peak RSS of its children (KiB) to the file argv[1].
_PEAK_WRAPPER = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); sys.exit(code)"
)


def run_measured(command: list[str], timeout: float, cwd=None, env=None) -> tuple[int, str, str, float]:
    """Run ``command``; its exit status, stdout, stderr and peak memory (RSS, MiB).

    The command runs under a small Python wrapper that reports its children's peak: a child
    started straight from a large process (pytest) would be charged that process's memory,
    since Linux records the old address space's high-water mark when the child execs. The
    whole process group is killed after ``timeout`` seconds.
    """
    import os
    import signal
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as peak:
        process = subprocess.Popen([sys.executable, "-c", _PEAK_WRAPPER, peak.name, *command],
                                   stdout=out, stderr=err, cwd=cwd, env=env, start_new_session=True)
        timer = threading.Timer(timeout, lambda: os.killpg(process.pid, signal.SIGKILL))
        timer.start()
        try:
            process.wait()
        finally:
            timer.cancel()
        out.seek(0)
        err.seek(0)
        peak_kib = float(peak.read() or 0)
        return process.returncode, out.read().decode(), err.read().decode(), peak_kib / 1024
