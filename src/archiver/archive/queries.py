"""Named reads of the archive for exports: which versions and fetches a selection holds.

A :class:`Selection` (the ``archiver export`` options) becomes SQL here, next to the tables
it reads, so the export formats never write SQL of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from sqlite_utils import Database

from archiver.archive.urls import canonical_url

#: Every field of an export record, in output order.
FIELDS = (
    "url", "site", "version", "title", "byline", "published", "modified", "body", "bio",
    "language", "site_name", "description", "related_links", "change", "changed",
    "first_seen", "last_seen", "parser_version", "produced_by", "removed", "removed_at",
)
JSON_FIELDS = ("byline", "bio", "changed", "related_links")

RECORDS_SQL = """
select
  articles.url, articles.site, versions.version, versions.title, versions.byline,
  versions.published, versions.modified, versions.body, versions.bio,
  versions.language, versions.site_name, versions.description,
  (select fetches.related_links from fetches
    where fetches.article_id = versions.article_id and fetches.version = versions.version
      and fetches.page_hash is not null
    order by fetches.id desc limit 1) as related_links,
  versions.change, versions.changed, versions.first_seen, versions.last_seen,
  versions.parser_version, versions.produced_by, articles.removed_at
from versions join articles on articles.id = versions.article_id
where {where}
order by articles.id, versions.version
"""


FETCHES_SQL = """
with selected as (
  select fetches.id, fetches.url, fetches.status, fetches.fetched_at, fetches.etag,
         fetches.last_modified, fetches.content_type, fetches.page_hash, fetches.headers
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
@dataclass
class Selection:
    """Which articles and versions to export (``archiver export`` options)."""

    sites: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    all_versions: bool = False
    changed: bool = False
    include_removed: bool = False
    fields: tuple[str, ...] = field(default=FIELDS)

    def article_where(self) -> tuple[list[str], list]:
        """SQL conditions and parameters on ``articles``."""
        where, params = [], []
        if self.sites:
            where.append(f"articles.site in ({', '.join('?' * len(self.sites))})")
            params += list(self.sites)
        if self.urls:
            keys = [canonical_url(url) for url in self.urls]
            where.append(
                f"articles.id in (select article_id from aliases where url in ({', '.join('?' * len(keys))}))"
            )
            params += keys
        if self.changed:
            where.append("articles.latest_version > 1")
        if not self.include_removed:
            where.append("articles.removed_at is null")
        return where, params

    def version_where(self) -> tuple[str, list]:
        """The ``where`` clause of the records query: versions that changed in the window."""
        where, params = self.article_where()
        if not self.all_versions:
            where.append("versions.version = articles.latest_version")
        where += window("versions.first_seen", self, params)
        return " and ".join(where) or "1", params


def window(column: str, selection: Selection, params: list) -> list[str]:
    """Conditions keeping ``column`` in [since, until); appends their parameters."""
    where = []
    if selection.since:
        where.append(f"{column} >= ?")
        params.append(selection.since)
    if selection.until:
        where.append(f"{column} < ?")
        params.append(selection.until)
    return where


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


def count_records(db: Database, selection: Selection) -> int:
    """How many records ``iter_records`` will yield."""
    where, params = selection.version_where()
    sql = f"select count(*) from versions join articles on articles.id = versions.article_id where {where}"
    return db.execute(sql, params).fetchone()[0]


def version_rows(db: Database, selection: Selection) -> Iterator[dict]:
    """The selected versions with their article's URL, site and removal, in article and version order."""
    where, params = selection.version_where()
    yield from db.query(RECORDS_SQL.format(where=where), params)
