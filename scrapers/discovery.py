"""Find article URLs in sitemaps, feeds and HTML pages, and keep them on disk until their turn (no Scrapy needed)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from archiver.plan.revisit import scratch_database

GZIP_MAGIC = b"\x1f\x8b"

ATOM = "{http://www.w3.org/2005/Atom}"
#: Extensions that are never article pages.
SKIP_EXTENSIONS = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".css", ".js", ".pdf", ".zip",
    ".mp3", ".mp4", ".avi", ".mov", ".woff", ".woff2", ".ttf", ".xml", ".json", ".rss",
)


def kind_of(body: bytes, content_type: str = "", url: str = "") -> str:
    """``robots``, ``sitemap``, ``feed`` or ``html`` for a response (its body gunzipped, see :func:`unzipped`)."""
    if urlsplit(url).path == "/robots.txt":
        return "robots"
    content_type = content_type.lower()
    head = body[:2048].lstrip().lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if "xml" in content_type and "html" not in content_type:
        return "sitemap" if b"sitemap" in head else "feed"
    return "html"


def unzipped(body: bytes, max_size: int = 0) -> bytes:
    """The body, gunzipped when it is gzip data (a ``.xml.gz`` sitemap)."""
    return gunzip(body, max_size=max_size) if body[:2] == GZIP_MAGIC else body


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt."""
    return list(sitemap_urls_from_robots(body, base_url))


def sitemap_entries(body: bytes) -> tuple[str, list[dict]]:
    """The sitemap's type (``urlset`` or ``sitemapindex``) and its entries (``loc``, ``lastmod``)."""
    sitemap = Sitemap(body)
    return sitemap.type, [dict(entry) for entry in sitemap if entry.get("loc")]


def feed_links(body: bytes, base_url: str) -> list[str]:
    """Item links of an RSS or Atom feed, absolute."""
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    root = lxml.etree.fromstring(body, parser=parser)
    if root is None:
        return []
    links = [el.text.strip() for el in root.iter("link") if el.text and el.text.strip()]
    links += [el.get("href") for el in root.iter(f"{ATOM}link") if el.get("rel", "alternate") == "alternate"]
    channel_links = {el.text.strip() for el in root.iterfind("channel/link") if el.text}
    return [urljoin(base_url, link) for link in links if link and link.strip() not in channel_links]


def page_links(body: bytes | str, base_url: str) -> list[str]:
    """Links of an HTML page to pages of the same host, absolute, fragments dropped, in order."""
    try:
        root = lxml.html.fromstring(body)
    except (lxml.etree.ParserError, ValueError):
        return []
    host = urlsplit(base_url).netloc
    seen, links = set(), []
    for element in root.iter("a"):
        href = element.get("href")
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        url = urljoin(base_url, href.strip()).split("#", 1)[0]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != host:
            continue
        if parts.path.lower().endswith(SKIP_EXTENSIONS) or url in seen:
            continue
        seen.add(url)
        links.append(url)
    return links


class KeySet:
    """A set of strings (or bytes) that costs no memory per member: 64-bit hashes in a temporary SQLite table.

    For the URLs or request fingerprints a crawl has seen, however many: SQLite caches a
    few MiB of the table and keeps the rest in its file (deleted when closed). Two
    members share a hash with a chance of about n² / 2⁶⁵ (3 in 100 million for a million).
    """

    def __init__(self, db: sqlite3.Connection | None = None, table: str = "keys"):
        self.db = db if db is not None else scratch_database()
        self.db.execute(f"create table {table} (key integer primary key)")
        self._add = f"insert or ignore into {table} values (?)"
        self._find = f"select 1 from {table} where key = ?"
        self._count = f"select count(*) from {table}"

    def add(self, member: str | bytes) -> bool:
        """Add ``member``; whether it was new."""
        return self.db.execute(self._add, [_hash(member)]).rowcount == 1

    def __contains__(self, member: str | bytes) -> bool:
        return self.db.execute(self._find, [_hash(member)]).fetchone() is not None

    def __len__(self) -> int:
        return self.db.execute(self._count).fetchone()[0]

    def close(self) -> None:
        """Delete the file (when the set has its own database)."""
        self.db.close()


class Frontier:
    """A crawl's URLs on disk: those it took (to request once), those it skipped, and those waiting their turn.

    ``taken`` and ``skipped`` are :class:`KeySet` s; :meth:`push` and :meth:`pop` make a
    first-in first-out queue of requests to make later (URL, callback name, depth, extra
    meta), so that a sitemap of 50,000 URLs waits here, not as 50,000 Scrapy requests in
    memory. Everything is in one temporary SQLite file, deleted by :meth:`close`.
    """

    def __init__(self):
        self.db = scratch_database()
        self.taken = KeySet(self.db, "taken")
        self.skipped = KeySet(self.db, "skipped")
        self.db.execute(
            "create table waiting (id integer primary key, url text not null, callback text not null, depth integer, meta text)"
        )
        self.waiting = 0

    def push(self, url: str, callback: str, depth: int, meta: dict | None = None) -> None:
        """Keep a request to make later: its URL, the name of its callback, its depth and extra meta."""
        self.db.execute(
            "insert into waiting (url, callback, depth, meta) values (?, ?, ?, ?)",
            [url, callback, depth, json.dumps(meta) if meta else None],
        )
        self.waiting += 1

    def pop(self, count: int) -> list[tuple[str, str, int, dict]]:
        """The ``count`` requests waiting longest (fewer if fewer wait), taken off the queue."""
        if count <= 0 or not self.waiting:
            return []
        rows = self.db.execute("select id, url, callback, depth, meta from waiting order by id limit ?", [count]).fetchall()
        if rows:
            self.db.execute("delete from waiting where id <= ?", [rows[-1][0]])
            self.waiting -= len(rows)
        return [(url, callback, depth, json.loads(meta) if meta else {}) for _, url, callback, depth, meta in rows]

    def __len__(self) -> int:
        """Requests waiting."""
        return self.waiting

    def close(self) -> None:
        """Delete the file."""
        self.db.close()


def _hash(member: str | bytes) -> int:
    """A 64-bit hash of ``member``, as the signed integer SQLite stores in 8 bytes."""
    data = member.encode("utf-8", "surrogatepass") if isinstance(member, str) else member
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)
