"""The versioned store: every fetch recorded, a version only when the article changed.

>>> archive = Archive("archive/archive.db")
>>> crawl_id = archive.start_crawl("generic", ["http://127.0.0.1:8000/sitemap.xml"])
>>> archive.record(Fetch(url=..., status=200, body=b"<html>...", article={...}), crawl_id)
'new'
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database

from archiver.archive import sql
from archiver.archive.changes import classify
from archiver.archive.fingerprint import changed_fields, content_hash
from archiver.archive.neardup import NearDuplicates
from archiver.archive.raw import PageStore
from archiver.archive.schema import LATEST_ON_ARTICLES, migrations
from archiver.archive.urls import canonical_url, same_site, site_of
from archiver.errors import ArchiverError

#: Outcomes of one fetch, as counted in ``crawls``.
OUTCOMES = ("new", "changed", "unchanged", "not_modified", "removed", "errors")
GONE_STATUSES = (404, 410)
#: Response headers left out of ``fetches.headers``: per-visitor session data, not the page's.
PRIVATE_HEADERS = frozenset({"set-cookie", "set-cookie2"})
#: The most ``fetches.headers`` holds, in bytes of JSON text, so a server cannot bloat the archive.
HEADERS_CAP = 16 * 1024
#: The pair that ends ``fetches.headers`` when headers did not fit under ``HEADERS_CAP``: how many.
HEADERS_OMITTED = "X-Archive-Headers-Omitted"


class ArchiveError(ArchiverError):
    """The archive cannot be opened or written; the message says why."""


def utcnow() -> str:
    """The current UTC time, ISO 8601 to the millisecond (two crawls can share a second)."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class Fetch:
    """One response (or failure) for one URL, as the crawler hands it over."""

    url: str
    status: int
    body: bytes = b""
    article: dict | None = None
    headers: dict = field(default_factory=dict)
    fetched_at: str = field(default_factory=utcnow)
    error: str | None = None
    #: URLs requested before the final one, in order, when the response was redirected.
    redirects: list[str] = field(default_factory=list)
    #: The site's parser profile (:class:`archiver.parser.profiles.Profile`) the crawl parsed with; None: picked by host.
    profile: object = None

    def header(self, name: str) -> str | None:
        """A response header by case-insensitive name."""
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


def open_database(path: str | Path) -> Database:
    """Open (creating if needed) the SQLite file at ``path``, with a clear error."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ArchiveError(f"cannot create the archive {path}: folder {path.parent} does not exist")
    try:
        db = Database(path)
        db.execute("pragma busy_timeout = 10000")
        db.enable_wal()
        db.execute("pragma synchronous = NORMAL")
        return db
    except sqlite3.DatabaseError as error:
        raise ArchiveError(f"cannot open the archive {path}: {error}") from error


class Archive:
    """The archive in one SQLite file."""

    def __init__(self, path: str | Path):
        """Open the archive at ``path``."""
        self.path = Path(path)
        self.db = open_database(self.path)
        try:
            migrations.apply(self.db)
        except sqlite3.Error as error:  # disk full or read-only while the schema is brought up to date
            raise ArchiveError(f"cannot bring the archive {self.path} up to date: {error}") from error
        self.pages = PageStore(self.db)
        self.near_duplicates = NearDuplicates(self.db)
        self._crawl_clocks: dict[int, float] = {}

    @classmethod
    def open_existing(cls, path: str | Path) -> Archive:
        """The archive at ``path``, which must exist: reading, checking or re-parsing never creates one."""
        if not Path(path).is_file():
            raise ArchiveError(f"no archive at {path}: run 'archiver crawl' first or pass --db")
        try:
            return cls(path)
        except sqlite3.DatabaseError as error:
            raise ArchiveError(f"cannot open the archive {path}: {error}") from error

    def parse(self, html: bytes, url: str, content_type: str | None = None, profile=None) -> dict:
        """Parse a stored page with the current parser, as an article record.

        ``content_type`` is the response's ``Content-Type``, as the crawler gave it to the
        parser: a charset that only the HTTP header declares decodes the page the same way.
        ``profile`` is the site's parser profile (None: the shipped one for the URL's host).
        """
        return parse_page(html, url, content_type, profile).to_dict()

    # crawls

    def start_crawl(self, spider: str, start_urls: list[str]) -> int:
        """Open a crawl record and return its id."""
        table = self.db["crawls"].insert(
            {"spider": spider, "start_urls": json.dumps(start_urls), "started": utcnow(), "status": "running"}
        )
        self._crawl_clocks[table.last_pk] = time.monotonic()
        return table.last_pk

    def finish_crawl(self, crawl_id: int, status: str = "finished") -> dict:
        """Close a crawl record with its counts, and return the record."""
        counts = dict.fromkeys(OUTCOMES, 0)
        for row in self.db.query(
            "select outcome, count(*) as n from fetches where crawl_id = ? group by outcome", [crawl_id]
        ):
            key = "errors" if row["outcome"] == "error" else row["outcome"]
            if key in counts:
                counts[key] += row["n"]
        pages = self.db["fetches"].count_where("crawl_id = ?", [crawl_id])
        began = self._crawl_clocks.pop(crawl_id, None)
        seconds = round(time.monotonic() - began, 3) if began is not None else None
        self.db["crawls"].update(
            crawl_id, {"finished": utcnow(), "seconds": seconds, "status": status, "pages": pages, **counts}
        )
        return self.db["crawls"].get(crawl_id)

    def close_interrupted_crawls(self) -> list[int]:
        """Mark the crawls a dead process left ``running`` as ``interrupted``; their ids.

        Call it holding the archive's crawl lock: then no crawl is running.
        """
        ids = [row["id"] for row in self.db.query("select id from crawls where status = 'running'")]
        for crawl_id in ids:
            self.finish_crawl(crawl_id, "interrupted")
        return ids

    def crawl_errors(self, crawl_id: int, limit: int = 10) -> list[str]:
        """The first errors of a crawl, one line each: URL and what went wrong."""
        rows = self.db.query(
            "select url, status, error from fetches where crawl_id = ? and outcome = 'error' order by id limit ?",
            [crawl_id, limit],
        )
        return [f"{row['url']}: {row['error'] or 'HTTP ' + str(row['status'])}" for row in rows]

    def close(self) -> None:
        """Close the SQLite connection."""
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # reading

    def known_urls(self, site: str | None = None, include_removed: bool = False) -> list[str]:
        """Canonical URLs of archived articles, optionally of one site."""
        where, params = [], []
        if site:
            where.append("site = ?")
            params.append(site)
        if not include_removed:
            where.append("removed_at is null")
        rows = self.db["articles"].rows_where(" and ".join(where) or None, params, select="url", order_by="id")
        return [row["url"] for row in rows]

    def find_article(self, *urls: str) -> dict | None:
        """The article that any of ``urls`` (canonicalised) belongs to."""
        for url in urls:
            if not url:
                continue
            key = canonical_url(url)
            found = sql.one(
                self.db, "select articles.* from aliases join articles on articles.id = aliases.article_id where aliases.url = ?", [key]
            )
            if found:
                return found
        return None

    def latest_version(self, article_id: int) -> dict | None:
        """The newest version row of an article, content fields decoded."""
        rows = list(
            self.db.query(
                "select * from versions where article_id = ? order by version desc limit 1", [article_id]
            )
        )
        return decode_version(rows[0]) if rows else None

    # writing

    def record(self, fetch: Fetch, crawl_id: int | None = None) -> str:
        """Store one fetch and return its outcome (one of ``OUTCOMES`` or ``error``)."""
        with self.db.atomic():
            if fetch.status == 304:
                return self._record_not_modified(fetch, crawl_id)
            if fetch.status in GONE_STATUSES:
                return self._record_gone(fetch, crawl_id)
            if fetch.status == 200 and fetch.article:
                return self._record_article(fetch, crawl_id)
            self._insert_fetch(fetch, crawl_id, self.find_article(fetch.url), "error")
            return "error"

    def record_batch(self, fetches: list[Fetch], crawl_id: int | None = None) -> list[str]:
        """Store many fetches in one transaction (one commit); their outcomes, in order.

        Each fetch is still recorded as by :meth:`record` (a savepoint each), so a batch
        that fails leaves none of its fetches behind, and a kill before the commit loses
        only this batch, never a committed version.
        """
        with self.db.atomic():
            return [self.record(fetch, crawl_id) for fetch in fetches]

    def _record_article(self, fetch: Fetch, crawl_id: int | None) -> str:
        """A page that parsed as an article: new, changed or unchanged."""
        article = fetch.article
        key = _article_key(fetch.url, article.get("canonical_url"))
        row = self.find_article(key, fetch.url, *fetch.redirects)
        now = fetch.fetched_at
        if row is None:
            row = self._insert_article(key, now)
        page_hash = self.pages.put(fetch.body, fetch.url, fetch.header("Content-Type"), row["id"]) if fetch.body else None
        self._add_aliases(row["id"], key, fetch.url, article.get("url"), *fetch.redirects)
        latest = self.latest_version(row["id"])
        digest = content_hash(article)
        if latest is not None and not row["removed_at"]:
            if latest["content_hash"] != digest:
                latest = self._catch_up_parser(row, latest, article, now, fetch.profile) or latest
            if latest["content_hash"] == digest:
                sql.update(self.db, "versions", latest["id"], {"last_seen": now})
                self._touch_article(row, now, fetch.status, removed_at=None)
                self._insert_fetch(fetch, crawl_id, row, "unchanged", latest["version"], page_hash)
                return "unchanged"
        outcome = "new" if latest is None else "changed"
        fetch_id = self._insert_fetch(fetch, crawl_id, row, outcome, _next(latest), page_hash)
        change = "restored" if row["removed_at"] else None
        self._insert_version(row, latest, article, now, fetch_id, page_hash, change=change, digest=digest)
        return outcome

    def _catch_up_parser(self, row: dict, latest: dict, article: dict, now: str, profile=None) -> dict | None:
        """When the parser changed since ``latest``, re-parse its page first.

        A difference that only the parser made becomes a ``reparse`` version, so that a
        parser upgrade never looks like an edit of the article. Returns that version.
        """
        if latest.get("parser_version") == article.get("parser_version") or not latest.get("page_hash"):
            return None
        fetch = sql.one(self.db, "select url, content_type from fetches where id = ?", [latest["fetch_id"]])
        fetch = fetch or {"url": row["url"], "content_type": None}
        reparsed = self.parse(self.raw_page(latest["page_hash"]), fetch["url"], fetch["content_type"], profile)
        if content_hash(reparsed) == latest["content_hash"]:
            return None
        return self._insert_version(
            row, latest, reparsed, now, latest["fetch_id"], latest["page_hash"], change="reparse", produced_by="reparse"
        )

    def _insert_version(
        self, row, latest, article, now, fetch_id, page_hash, change=None, produced_by="crawl", digest=None
    ) -> dict:
        """Write the next version of an article from a parsed record (``digest``: its content hash, if known); return it."""
        changed = changed_fields(latest or {}, article)
        version = {
            "article_id": row["id"],
            "version": _next(latest),
            "title": article.get("title"),
            "byline": json.dumps(article.get("byline") or [], ensure_ascii=False),
            "published": article.get("published"),
            "modified": article.get("modified"),
            "body": article.get("body") or "",
            "bio": json.dumps(article.get("bio") or [], ensure_ascii=False),
            "language": article.get("language"),
            "site_name": article.get("site_name"),
            "description": article.get("description"),
            "change": change or classify(latest, article, changed),
            "changed": json.dumps(changed),
            "content_hash": digest or content_hash(article),
            "first_seen": now,
            "last_seen": now,
            "fetch_id": fetch_id,
            "page_hash": page_hash,
            "parser_version": article.get("parser_version"),
            "produced_by": produced_by,
        }
        version_id = sql.insert(self.db, "versions", version)
        updates = {name: version[name] for name in LATEST_ON_ARTICLES}
        updates.update(latest_version=version["version"], latest_version_id=version_id)
        if produced_by == "crawl":
            updates.update(last_seen=now, last_status=200, removed_at=None)
        sql.update(self.db, "articles", row["id"], updates)
        if latest is None or "body" in changed:
            self.near_duplicates.update(row["id"], article.get("body") or "", now)
        return decode_version({**version, "id": version_id})

    def _record_gone(self, fetch: Fetch, crawl_id: int | None) -> str:
        """A 404 or 410: a tombstone on a known article, its versions kept."""
        row = self.find_article(fetch.url)
        if row is None:
            self._insert_fetch(fetch, crawl_id, None, "error")
            return "error"
        removed_at = row["removed_at"] or fetch.fetched_at
        self._touch_article(row, fetch.fetched_at, fetch.status, removed_at=removed_at)
        self._insert_fetch(fetch, crawl_id, row, "removed", row["latest_version"])
        return "removed"

    def _record_not_modified(self, fetch: Fetch, crawl_id: int | None) -> str:
        """A 304: the page is as it was; only the fetch is written."""
        row = self.find_article(fetch.url)
        if row is not None:
            self._touch_article(row, fetch.fetched_at, 200, removed_at=row["removed_at"])
        self._insert_fetch(fetch, crawl_id, row, "not_modified", row and row["latest_version"])
        return "not_modified"

    def _insert_article(self, url: str, now: str) -> dict:
        """A new article row for canonical ``url``."""
        rowid = sql.insert(self.db, "articles", {"url": url, "site": site_of(url), "first_seen": now, "last_seen": now})
        return sql.one(self.db, "select * from articles where id = ?", [rowid])

    def _touch_article(self, row: dict, now: str, status: int, removed_at) -> None:
        """Update when an article was last fetched, and how."""
        sql.update(self.db, "articles", row["id"], {"last_seen": now, "last_status": status, "removed_at": removed_at})

    def _add_aliases(self, article_id: int, *urls: str | None) -> None:
        """Remember every URL seen for an article."""
        for url in {canonical_url(u) for u in urls if u}:
            sql.insert(self.db, "aliases", {"url": url, "article_id": article_id}, ignore=True)

    def _insert_fetch(self, fetch, crawl_id, row, outcome, version=None, page_hash=None) -> int:
        """One fetches row."""
        article = fetch.article or {}
        return sql.insert(
            self.db,
            "fetches",
            {
                "crawl_id": crawl_id,
                "article_id": row["id"] if row else None,
                "url": fetch.url,
                "status": fetch.status,
                "fetched_at": fetch.fetched_at,
                "outcome": outcome,
                "version": version,
                "etag": fetch.header("ETag"),
                "last_modified": fetch.header("Last-Modified"),
                "content_type": fetch.header("Content-Type"),
                "page_hash": page_hash,
                "related_links": json.dumps(article.get("related_links") or [], ensure_ascii=False),
                "boilerplate": json.dumps(article.get("boilerplate") or [], ensure_ascii=False),
                "error": fetch.error,
                "final_url": fetch.url if fetch.redirects else None,
                "redirects": json.dumps(fetch.redirects) if fetch.redirects else None,
                "headers": stored_headers(fetch.headers),
            },
        )

    def record_reparse(self, row: dict, article: dict, now: str) -> bool:
        """Store a re-parse of an article's latest page; True when it made a new version."""
        with self.db.atomic():
            latest = self.latest_version(row["id"])
            if latest is None or content_hash(article) == latest["content_hash"]:
                return False
            self._insert_version(
                row, latest, article, now, latest["fetch_id"], latest["page_hash"], change="reparse", produced_by="reparse"
            )
            return True

    def raw_page(self, digest: str) -> bytes:
        """The raw bytes of a stored page."""
        return self.pages.get(digest)

    # --- queries for the crawler ---

    def crawls(self) -> list[dict]:
        """Every crawl record, oldest first."""
        return list(self.db.query("select * from crawls order by id"))

    def articles(self) -> Iterator[dict]:
        """Every article row (removed ones too), by id."""
        return self.db.query("select * from articles order by id")

    def versions(self, article_id: int) -> list[dict]:
        """An article's versions in order, decoded (:func:`decode_version`)."""
        rows = self.db.query("select * from versions where article_id = ? order by version", [article_id])
        return [decode_version(row) for row in rows]

    def revisit_state(self, site: str) -> Iterator[dict]:
        """Per URL seen for an article of ``site`` (alias): what a re-visit needs to know, row by row.

        ``url`` (the alias), ``article`` (its canonical URL), ``removed_at``, ``first_seen``,
        ``last_seen`` (last fetch of any kind), ``published`` (latest version), and the
        ``etag``, ``last_modified`` and ``fetched_at`` of the last 200 or 304 response.
        """
        return self.db.query(
            """
            with last_ok as (
                select article_id, max(id) as id from fetches
                where status in (200, 304) and article_id is not null group by article_id
            )
            select aliases.url, articles.url as article, articles.removed_at, articles.first_seen,
                   articles.last_seen, versions.published, fetches.etag, fetches.last_modified,
                   fetches.fetched_at
            from articles
            join aliases on aliases.article_id = articles.id
            left join versions on versions.article_id = articles.id and versions.version = articles.latest_version
            left join last_ok on last_ok.article_id = articles.id
            left join fetches on fetches.id = last_ok.id
            where articles.site = ?
            """,
            [site],
        )

    def unfinished_crawls(self, spider: str, start_urls: list[str]) -> list[dict]:
        """The crawls with these spider and start URLs since the last one that finished, newest first."""
        rows = self.db.query(
            "select * from crawls where spider = ? and start_urls = ? order by id desc",
            [spider, json.dumps(start_urls)],
        )
        unfinished = []
        for row in rows:
            if row["status"] == "finished":
                break
            unfinished.append(row)
        return unfinished

    def fetched_urls(self, crawl_ids: list[int]) -> Iterator[str]:
        """The URLs fetched (any outcome) by these crawls, one at a time."""
        marks = ", ".join("?" * len(crawl_ids))
        for row in self.db.query(f"select distinct url from fetches where crawl_id in ({marks})", crawl_ids):
            yield row["url"]


def stored_headers(headers: dict | None) -> str | None:
    """A fetch's response headers as ``fetches.headers`` keeps them, or None when it has none.

    JSON text, a list of ``[name, value]`` pairs in the order received (a value given as a
    list is one pair per item: a repeated header), written compactly. ``Set-Cookie`` is left
    out (``PRIVATE_HEADERS``). The text stays within ``HEADERS_CAP`` bytes (UTF-8): a pair that
    would not fit is left out, later smaller ones are still kept, and a last
    ``[HEADERS_OMITTED, "<how many>"]`` pair says that some were.
    """
    pairs = []
    for name, values in (headers or {}).items():
        name = _text(name)
        if name.lower() in PRIVATE_HEADERS:
            continue
        for value in values if isinstance(values, (list, tuple)) else [values]:
            pairs.append([name, _text(value)])
    if not pairs:
        return None
    items, omitted = [], 0
    # "[" and "]", and room for the omitted pair, whatever its count: the cap always holds.
    room = HEADERS_CAP - 2 - len(_json_pair([HEADERS_OMITTED, str(len(pairs))])) - 1
    for pair in pairs:
        item = _json_pair(pair)
        if len(item) + 1 > room:
            omitted += 1
            continue
        items.append(item)
        room -= len(item) + 1
    if omitted:
        items.append(_json_pair([HEADERS_OMITTED, str(omitted)]))
    return "[" + ",".join(item.decode("utf-8") for item in items) + "]"


def _json_pair(pair: list[str]) -> bytes:
    """One ``[name, value]`` pair as compact JSON, UTF-8."""
    return json.dumps(pair, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")


def _text(value) -> str:
    """A header name or value as text (bytes as Latin-1, as HTTP has them)."""
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _next(latest: dict | None) -> int:
    """The number of the version after ``latest``."""
    return (latest["version"] if latest else 0) + 1


def parse_page(html: bytes, url: str, content_type: str | None = None, profile=None):
    """The current parser's :class:`~archiver.article.Article` for a page (an archive's default parser)."""
    from archiver.parser.page import ArticlePage

    return ArticlePage(url, html, content_type, profile=profile).to_article()


def _article_key(url: str, declared: str | None) -> str:
    """The canonical URL: the page's own canonical link when it is on the same site."""
    if declared and same_site(declared, url):
        return canonical_url(declared)
    return canonical_url(url)


def decode_version(row: dict) -> dict:
    """A ``versions`` row with its JSON columns (byline, bio, changed) as lists; readers outside
    the store (history, the Datasette plugin) use it too."""
    row = dict(row)
    for name in ("byline", "bio", "changed"):
        row[name] = json.loads(row[name]) if row.get(name) else []
    return row
