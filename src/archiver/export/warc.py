"""WARC/1.1: the stored raw pages as ``response`` records, repeated payloads as ``revisit``.

One record per fetch that stored a page, in fetch order. The HTTP headers are those the
archive keeps (status, Content-Type, ETag, Last-Modified) with the Content-Length of the
stored body; ``WARC-Date`` is the fetch time. A page whose bytes were already written earlier
in the file becomes an identical-payload-digest ``revisit`` record pointing at the first one.
"""

from __future__ import annotations

import base64
import hashlib
from http import HTTPStatus
from importlib.metadata import version
from io import BytesIO
from typing import BinaryIO, Iterable, Iterator

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.export.records import Selection, window

FETCHES_SQL = """
with selected as (
  select fetches.id, fetches.url, fetches.status, fetches.fetched_at, fetches.etag,
         fetches.last_modified, fetches.content_type, fetches.page_hash
  from fetches join articles on articles.id = fetches.article_id
  where {where}
),
firsts as (select page_hash, min(id) as first_id from selected group by page_hash)
select selected.*, firsts.first_id, first.url as first_url, first.fetched_at as first_fetched_at
from selected
  join firsts on firsts.page_hash = selected.page_hash
  join selected as first on first.id = firsts.first_id
order by selected.id
"""
LATEST_FETCH = """fetches.id = (select max(latest.id) from fetches as latest
  where latest.article_id = fetches.article_id and latest.page_hash is not null)"""


def count_fetches(db, selection: Selection) -> int:
    """How many records ``iter_fetches`` will yield."""
    sql, params = fetches_query(selection)
    return db.execute(f"select count(*) from ({sql})", params).fetchone()[0]


def fetches_query(selection: Selection) -> tuple[str, list]:
    """The SQL (and parameters) of the fetches to write: the latest per article, or all."""
    where, params = selection.article_where()
    where.append("fetches.page_hash is not null")
    if not selection.all_versions:
        where.append(LATEST_FETCH)
    where += window("fetches.fetched_at", selection, params)
    return FETCHES_SQL.format(where=" and ".join(where)), params


def iter_fetches(archive, selection: Selection) -> Iterator[tuple[dict, bytes]]:
    """``(fetch row, raw page)`` pairs in fetch order."""
    sql, params = fetches_query(selection)
    for row in archive.db.query(sql, params):
        yield row, archive.raw_page(row["page_hash"])


def write_warc(items: Iterable[tuple[dict, bytes]], out: BinaryIO, gzip: bool = True) -> int:
    """Write a warcinfo record, then one response or revisit record per fetch; return how many."""
    writer = WARCWriter(out, gzip=gzip, warc_version="1.1")
    info = {
        "software": f"archiver {version('archiver')}",
        "format": "WARC File Format 1.1",
        "description": "Raw pages from an archiver archive. HTTP headers are those the archive keeps: "
        "status, Content-Type, ETag, Last-Modified, and the stored body's Content-Length.",
    }
    writer.write_record(writer.create_warcinfo_record(None, info))
    count = 0
    for row, body in items:
        uri, date = row["url"], {"WARC-Date": warc_date(row["fetched_at"])}
        if row["first_id"] == row["id"]:
            record = writer.create_warc_record(
                uri, "response", payload=BytesIO(body), length=len(body),
                http_headers=http_headers(row, len(body)), warc_headers_dict=date,
            )
        else:
            record = writer.create_revisit_record(
                uri, sha1_digest(body), row["first_url"], warc_date(row["first_fetched_at"]),
                http_headers=http_headers(row, len(body)), warc_headers_dict=date,
            )
        writer.write_record(record)
        count += 1
    return count


def sha1_digest(body: bytes) -> str:
    """WARC's payload digest form: ``sha1:`` and the base32 SHA-1."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def http_headers(row: dict, length: int) -> StatusAndHeaders:
    """The HTTP status line and the headers the archive kept for a fetch."""
    try:
        reason = HTTPStatus(row["status"]).phrase
    except ValueError:
        reason = ""
    headers = [
        (name, value)
        for name, value in (
            ("Content-Type", row["content_type"]),
            ("ETag", row["etag"]),
            ("Last-Modified", row["last_modified"]),
            ("Content-Length", str(length)),
        )
        if value
    ]
    return StatusAndHeaders(f"{row['status']} {reason}".strip(), headers, protocol="HTTP/1.1")


def warc_date(moment: str) -> str:
    """The archive's ``2024-05-01T12:00:00+00:00`` as WARC's ``2024-05-01T12:00:00Z``."""
    return moment.replace("+00:00", "Z")
