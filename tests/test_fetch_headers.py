"""``fetches.headers``: every response header of a fetch kept (no Set-Cookie, capped), and
written into the WARC export as the server sent them, adjusted to the decoded payload."""

import gzip
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlite_utils import Database

from archiver import parse_article
from archiver.export import Selection, run_export
from archiver.archive.store import HEADERS_CAP, HEADERS_OMITTED, Archive, Fetch
from conftest import archiver
from test_export import warc_records

PAGE = (
    "<html lang='en'><head><title>A compressed story</title>"
    "<meta property='article:published_time' content='2024-05-01T10:00:00Z'></head>"
    "<body><article><h1>A compressed story</h1><p>"
    + "Words of a long article about compression, cookies and archives. " * 40
    + "</p></article></body></html>"
).encode()


def record_page(archive, url, headers):
    """Record ``PAGE`` at ``url`` as a 200 with these response headers; the fetch row."""
    article = parse_article(PAGE, url).to_dict()
    assert archive.record(Fetch(url=url, status=200, body=PAGE, article=article, headers=headers)) == "new"
    return next(archive.db.query("select * from fetches order by id desc limit 1"))


def warcio(*args):
    return subprocess.run([sys.executable, "-m", "warcio.cli", *map(str, args)], capture_output=True, text=True)


def test_headers_kept_in_order_without_set_cookie(tmp_path):
    archive = Archive(tmp_path / "a.db")
    headers = {
        "Date": "Wed, 01 May 2024 10:00:00 GMT",
        "Set-Cookie": "session=visitor-secret; Path=/",
        "Content-Type": "text/html; charset=utf-8",
        "Link": ["<https://example.com/a>; rel=preload", "<https://example.com/b>; rel=preload"],
        b"Content-Language": b"fr",
        "set-cookie2": "old=1",
    }
    row = record_page(archive, "https://example.com/news/a-story", headers)
    assert json.loads(row["headers"]) == [
        ["Date", "Wed, 01 May 2024 10:00:00 GMT"],
        ["Content-Type", "text/html; charset=utf-8"],
        ["Link", "<https://example.com/a>; rel=preload"],
        ["Link", "<https://example.com/b>; rel=preload"],
        ["Content-Language", "fr"],
    ]
    assert "visitor-secret" not in json.dumps(list(archive.db.query("select * from fetches")))
    # A failure without a response keeps no headers: NULL, as for a fetch before m008.
    archive.record(Fetch(url="https://example.com/news/down", status=0, error="connection refused"))
    assert next(archive.db.query("select headers from fetches order by id desc limit 1"))["headers"] is None


def test_an_absurd_header_set_is_capped(tmp_path):
    archive = Archive(tmp_path / "a.db")
    headers = {"Date": "Wed, 01 May 2024 10:00:00 GMT", "Content-Type": "text/html; charset=utf-8"}
    headers["X-Huge"] = "x" * 1_000_000
    headers.update({f"X-Junk-{n}": "y" * 100 for n in range(5000)})
    headers["X-Last"] = "small"
    row = record_page(archive, "https://example.com/news/hostile", headers)
    text = row["headers"]
    assert len(text.encode("utf-8")) <= HEADERS_CAP
    pairs = json.loads(text)
    name, omitted = pairs[-1]
    kept = [n for n, _ in pairs[:-1]]
    assert name == HEADERS_OMITTED and len(kept) + int(omitted) == len(headers)
    assert kept[:2] == ["Date", "Content-Type"] and "X-Huge" not in kept
    # What was kept is in the order received; a pair that did not fit did not stop later ones.
    assert kept == [n for n in headers if n in set(kept)]
    assert "X-Last" in kept
    # The WARC is still valid, and says that headers were left out.
    out = tmp_path / "capped.warc"
    assert run_export(tmp_path / "a.db", "warc", Selection(), output=out) == 1
    assert warcio("check", out).returncode == 0
    (_, _, http, payload), = [r for r in warc_records(out) if r[0] == "response"]
    assert http.get_header(HEADERS_OMITTED) == omitted
    assert http.get_header("Content-Length") == str(len(payload)) == str(len(PAGE))
    assert len(http.headers) < 200


def test_warc_headers_cannot_be_forged(tmp_path):
    archive = Archive(tmp_path / "a.db")
    headers = {
        "X-Note": "one\r\nSet-Cookie: forged=1",
        "Bad Name": "dropped",
        "Content-Length": "999",
        "Transfer-Encoding": "chunked",
        "Content-Encoding": "br",
    }
    record_page(archive, "https://example.com/news/forged", headers)
    out = tmp_path / "forged.warc"
    run_export(tmp_path / "a.db", "warc", Selection(), output=out)
    assert warcio("check", out).returncode == 0
    (_, _, http, payload), = [r for r in warc_records(out) if r[0] == "response"]
    assert http.headers == [
        ("X-Note", "one  Set-Cookie: forged=1"),
        ("X-Archive-Orig-Content-Length", "999"),
        ("X-Archive-Orig-Transfer-Encoding", "chunked"),
        ("X-Archive-Orig-Content-Encoding", "br"),
        ("Content-Length", str(len(payload))),
    ]


class _GzipHandler(BaseHTTPRequestHandler):
    """A site that compresses its pages and sets cookies, as many news sites do."""

    protocol_version = "HTTP/1.1"
    server_version = "GzipNews/2.0"
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002
        pass

    def do_GET(self):  # noqa: N802
        if not self.path.startswith("/news/"):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = gzip.compress(PAGE)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Set-Cookie", "session=visitor-secret; Path=/; HttpOnly")
        self.send_header("Set-Cookie", "consent=none; Path=/")
        self.send_header("Content-Language", "en")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def gzip_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GzipHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_crawl_of_a_gzipped_site_with_cookies(gzip_site, tmp_path):
    db = tmp_path / "gz.db"
    url = f"{gzip_site}/news/a-compressed-story"
    result = archiver("crawl", "generic", "--start-url", url, "--db", db, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    fetch = next(Database(db).query("select * from fetches where url = ?", [url]))
    stored = json.loads(fetch["headers"])
    names = [name.lower() for name, _ in stored]
    # Scrapy hands over the decoded body and drops Content-Encoding; Content-Length is the wire's.
    assert "set-cookie" not in names and "visitor-secret" not in fetch["headers"]
    assert "content-encoding" not in names
    assert dict(stored)["Server"] == "GzipNews/2.0" and "Date" in dict(stored)
    out = tmp_path / "gz.warc.gz"
    assert run_export(db, "warc", Selection(), output=out) == 1
    assert warcio("check", out).returncode == 0
    (_, _, http, payload), = [r for r in warc_records(out) if r[0] == "response"]
    assert payload == PAGE
    assert http.get_header("Content-Length") == str(len(PAGE))
    assert http.get_header("X-Archive-Orig-Content-Length") == str(len(gzip.compress(PAGE)))
    assert http.get_header("Content-Language") == "en" and http.get_header("Vary") == "Accept-Encoding"
    assert http.get_header("Date") == dict(stored)["Date"]
    assert http.get_header("Set-Cookie") is None and http.get_header("Content-Encoding") is None
    (_, warc, request, _), = [r for r in warc_records(out) if r[0] == "request"]
    assert request.headers == [("Host", gzip_site.removeprefix("http://"))]
    assert request.protocol == "GET" and request.statusline == "/news/a-compressed-story HTTP/1.1"
