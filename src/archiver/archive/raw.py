"""Raw pages, stored once per SHA-256 and compressed against their nearest relative.

Pages of one site share most of their bytes (the template), and two versions of one
article share nearly all of them. So a page is zstd-compressed with another stored
page as a raw-content dictionary (``pages.dictionary`` names it):

- a later page of an article: the article's first stored page;
- the first page of an article: its section's base page (same host, same first
  path segment; ``page_bases``);
- the first page of a section becomes that section's base and is stored plainly.

A chain is at most two dictionaries deep, so reading any page costs at most three
decompressions (cached for the bases).
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import zstandard
from sqlite_utils import Database

from archiver.archive import sql
from archiver.archive.fingerprint import bytes_hash

ZSTD_LEVEL = 3


def section_of(url: str) -> str:
    """``host/first-segment`` of a URL: pages that likely share a template."""
    parts = urlsplit(url)
    segment = parts.path.strip("/").split("/", 1)[0]
    return f"{parts.netloc.lower()}/{segment}"


class PageStore:
    """Write and read the ``pages`` table."""

    def __init__(self, db: Database):
        self.db = db
        self._plain = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
        #: Dictionary pages (bases, articles' first pages) are read again and again.
        self._get_cached = lru_cache(maxsize=64)(self.get)

    def put(self, body: bytes, url: str, content_type: str | None, article_id: int | None) -> str:
        """Store ``body`` unless stored already; return its hash."""
        digest = bytes_hash(body)
        if sql.one(self.db, "select 1 from pages where hash = ?", [digest]):
            return digest
        dictionary = self._dictionary_for(url, article_id)
        packed = self._compress(body, dictionary)
        sql.insert(
            self.db,
            "pages",
            {
                "hash": digest,
                "content_type": content_type,
                "size": len(body),
                "stored_size": len(packed),
                "zstd": packed,
                "dictionary": dictionary,
            },
        )
        if dictionary is None:
            sql.insert(self.db, "page_bases", {"section": section_of(url), "hash": digest}, ignore=True)
        return digest

    def get(self, digest: str) -> bytes:
        """The raw bytes of a stored page."""
        row = sql.one(self.db, "select zstd, dictionary from pages where hash = ?", [digest])
        if row is None:
            raise KeyError(f"no stored page {digest}")
        return self._decompress(row["zstd"], row["dictionary"])

    def _dictionary_for(self, url: str, article_id: int | None) -> str | None:
        """The hash of the page to compress against, or None to store plainly."""
        if article_id is not None:
            first = sql.one(
                self.db,
                "select page_hash from fetches where article_id = ? and page_hash is not null order by id limit 1",
                [article_id],
            )
            if first:
                return first["page_hash"]
        base = sql.one(self.db, "select hash from page_bases where section = ?", [section_of(url)])
        return base["hash"] if base else None

    def _compress(self, body: bytes, dictionary: str | None) -> bytes:
        """zstd, with the named page as raw-content dictionary when given."""
        if dictionary is None:
            return self._plain.compress(body)
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL, dict_data=self._dict(dictionary)).compress(body)

    def _decompress(self, packed: bytes, dictionary: str | None) -> bytes:
        """The inverse of :meth:`_compress`."""
        if dictionary is None:
            return zstandard.ZstdDecompressor().decompress(packed)
        return zstandard.ZstdDecompressor(dict_data=self._dict(dictionary)).decompress(packed)

    def _dict(self, digest: str) -> zstandard.ZstdCompressionDict:
        """The stored page ``digest`` as a raw-content zstd dictionary."""
        return zstandard.ZstdCompressionDict(self._get_cached(digest), dict_type=zstandard.DICT_TYPE_RAWCONTENT)
