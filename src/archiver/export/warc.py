"""WARC/1.1: the stored raw pages as ``response`` records, repeated payloads as ``revisit``.

One record per fetch that stored a page, in fetch order, each followed by the ``request``
record of that fetch (``WARC-Concurrent-To`` the response). ``WARC-Date`` is the fetch time.
A page whose bytes were already written earlier in the file becomes an
identical-payload-digest ``revisit`` record pointing at the first one.

HTTP headers of a response: those the server sent, as ``fetches.headers`` keeps them (every
header in order, but no ``Set-Cookie``), adjusted to the payload, which is the decoded body
as the crawler stored it:

- ``Content-Length`` is the stored body's; a server's different one (of an encoded body)
  becomes ``X-Archive-Orig-Content-Length``;
- ``Content-Encoding`` and ``Transfer-Encoding`` become ``X-Archive-Orig-Content-Encoding``
  and ``X-Archive-Orig-Transfer-Encoding``: the body is no longer compressed or chunked;
- ``Set-Cookie`` is never written, and line breaks or other control characters in a value
  become spaces (a header cannot forge another).

A fetch recorded before the archive kept headers (``headers`` NULL) gets the headers the
archive kept anyway: Content-Type, ETag, Last-Modified, and the stored body's Content-Length.

The request record is minimal: ``GET``, the path and query, and ``Host``. The archive does not
keep the request headers of a fetch (the user agent and validators a crawl sent vary by site
and run), so none are made up.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from http import HTTPStatus
from importlib.metadata import version
from io import BytesIO
from typing import BinaryIO, Iterable
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


#: Response headers never written (per-visitor session data).
DROPPED = frozenset({"set-cookie", "set-cookie2"})
#: Response headers that describe the bytes on the wire, not the stored payload: renamed.
RENAMED = frozenset({"content-encoding", "transfer-encoding"})
ORIGINAL = "X-Archive-Orig-"
#: An HTTP header name (RFC 9110 token).
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
#: What a fetch recorded before ``fetches.headers`` kept of its headers: name and column.
OLD_HEADERS = (("Content-Type", "content_type"), ("ETag", "etag"), ("Last-Modified", "last_modified"))
def write_warc(items: Iterable[tuple[dict, bytes]], out: BinaryIO, gzip: bool = True) -> int:
    """Write a warcinfo record, then per fetch a response or revisit record and its request
    record; return how many fetches."""
    writer = WARCWriter(out, gzip=gzip, warc_version="1.1")
    info = {
        "software": f"archiver {version('archiver')}",
        "format": "WARC File Format 1.1",
        "description": "Raw pages from an archiver archive, as decoded bodies. HTTP headers are the "
        "server's (no Set-Cookie; Content-Length of the stored body; Content-Encoding and "
        "Transfer-Encoding renamed X-Archive-Orig-*), or for fetches recorded before headers were "
        "kept: status, Content-Type, ETag, Last-Modified and Content-Length. Request records "
        "hold the method, URL and Host only.",
    }
    writer.write_record(writer.create_warcinfo_record(None, info))
    count = 0
    for row, body in items:
        uri, date = row["url"], warc_date(row["fetched_at"])
        if row["first_id"] == row["id"]:
            record = writer.create_warc_record(
                uri, "response", payload=BytesIO(body), length=len(body),
                http_headers=http_headers(row, len(body)), warc_headers_dict={"WARC-Date": date},
            )
        else:
            record = writer.create_revisit_record(
                uri, sha1_digest(body), row["first_url"], warc_date(row["first_fetched_at"]),
                http_headers=http_headers(row, len(body)), warc_headers_dict={"WARC-Date": date},
            )
        writer.write_record(record)
        concurrent = {"WARC-Date": date, "WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID")}
        writer.write_record(writer.create_warc_record(
            uri, "request", payload=BytesIO(b""), length=0,
            http_headers=request_headers(uri), warc_headers_dict=concurrent,
        ))
        count += 1
    return count


def sha1_digest(body: bytes) -> str:
    """WARC's payload digest form: ``sha1:`` and the base32 SHA-1."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def http_headers(row: dict, length: int) -> StatusAndHeaders:
    """The HTTP status line and headers of a fetch, for a payload of ``length`` bytes."""
    try:
        reason = HTTPStatus(row["status"]).phrase
    except ValueError:
        reason = ""
    kept = kept_headers(row.get("headers"))
    if kept is None:
        kept = [(name, row[column]) for name, column in OLD_HEADERS if row[column]]
    headers = []
    for name, value in kept:
        if value is None or not isinstance(name, str) or not TOKEN.fullmatch(name):
            continue
        value, lower = CONTROL.sub(" ", str(value)), name.lower()
        if lower in DROPPED or (lower == "content-length" and value.strip() == str(length)):
            continue
        if lower in RENAMED or lower == "content-length":
            name = ORIGINAL + name
        headers.append((name, value))
    headers.append(("Content-Length", str(length)))
    return StatusAndHeaders(f"{row['status']} {reason}".strip(), headers, protocol="HTTP/1.1")


def kept_headers(text: str | None) -> list[tuple[str, str]] | None:
    """The ``[name, value]`` pairs of a ``fetches.headers`` cell; None when it holds none."""
    if not text:
        return None
    try:
        pairs = json.loads(text)
    except ValueError:
        return None
    if isinstance(pairs, dict):
        pairs = list(pairs.items())
    if not isinstance(pairs, list):
        return None
    return [tuple(pair) for pair in pairs if isinstance(pair, (list, tuple)) and len(pair) == 2]


def request_headers(url: str) -> StatusAndHeaders:
    """The request line and ``Host`` of a GET of ``url``."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.netloc.rpartition("@")[2]
    return StatusAndHeaders(f"GET {target} HTTP/1.1", [("Host", host)], is_http_request=True)


def warc_date(moment: str) -> str:
    """The archive's ``2024-05-01T12:00:00+00:00`` as WARC's ``2024-05-01T12:00:00Z``."""
    return moment.replace("+00:00", "Z")
