"""Verify an archive: SQLite integrity, raw pages present and intact, versions in order, search in sync.

Each check yields problems as readable lines; no news is good news.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

from archiver.archive.fingerprint import bytes_hash
from archiver.archive.schema import LATEST_ON_ARTICLES
from archiver.archive.store import Archive

MAX_PROBLEMS_PER_CHECK = 50


def sqlite_integrity(archive: Archive) -> Iterator[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check``."""
    for (message,) in archive.db.execute("pragma integrity_check").fetchall():
        if message != "ok":
            yield f"sqlite: {message}"
    for table, rowid, parent, _ in archive.db.execute("pragma foreign_key_check").fetchall():
        yield f"{table} row {rowid}: points to a missing {parent} row"


def version_numbering(archive: Archive) -> Iterator[str]:
    """Versions numbered 1..n without gaps; ``latest_version`` is n."""
    rows = archive.db.execute(
        """
        select articles.id, articles.url, articles.latest_version,
               count(versions.id), coalesce(max(versions.version), 0)
        from articles left join versions on versions.article_id = articles.id
        group by articles.id
        """
    )
    for article_id, url, latest, count, highest in rows:
        if count != highest:
            yield f"{url}: {count} versions numbered up to {highest}"
        if (latest or 0) != highest:
            yield f"{url}: latest_version is {latest}, the newest version is {highest}"


def latest_copies(archive: Archive) -> Iterator[str]:
    """The latest version's fields kept on each article row agree with that version."""
    differs = " or ".join(f"versions.{name} is not articles.{name}" for name in LATEST_ON_ARTICLES)
    sql = (
        "select articles.url from articles left join versions on versions.id = articles.latest_version_id"
        " where articles.latest_version is not null and (versions.id is null"
        " or versions.article_id != articles.id or versions.version != articles.latest_version"
        f" or {differs})"
    )
    rows = archive.db.execute(sql)
    for (url,) in rows:
        yield f"{url}: the article row does not match its latest version"


def raw_pages(archive: Archive) -> Iterator[str]:
    """Every page a version or fetch names is stored, readable, and hashes to its key."""
    missing = archive.db.execute(
        """
        select distinct page_hash from versions where page_hash is not null
          and page_hash not in (select hash from pages)
        union
        select distinct page_hash from fetches where page_hash is not null
          and page_hash not in (select hash from pages)
        """
    )
    for (digest,) in missing:
        yield f"page {digest}: named by a version or fetch but not stored"
    for (digest,) in archive.db.execute("select hash from pages order by rowid"):
        try:
            data = archive.raw_page(digest)
        except Exception as error:  # noqa: BLE001 - any failure to read is the finding
            yield f"page {digest}: cannot be read back: {error}"
            continue
        actual = bytes_hash(data)
        if actual != digest:
            yield f"page {digest}: its bytes hash to {actual}"


def search_index(archive: Archive) -> Iterator[str]:
    """Every full-text index passes FTS5's own integrity check."""
    tables = [
        name
        for (name,) in archive.db.execute(
            "select name from sqlite_master where type = 'table' and sql like '%using fts5%'"
        )
    ]
    for table in tables:
        try:
            archive.db.execute(f"insert into [{table}]([{table}]) values ('integrity-check')")
        except sqlite3.DatabaseError as error:
            yield f"search index {table}: {error}"


CHECKS: tuple[Callable[[Archive], Iterator[str]], ...] = (
    sqlite_integrity,
    version_numbering,
    latest_copies,
    raw_pages,
    search_index,
)


def check_archive(archive: Archive) -> list[str]:
    """All problems found, at most ``MAX_PROBLEMS_PER_CHECK`` per check."""
    problems = []
    for check in CHECKS:
        for count, problem in enumerate(check(archive)):
            if count == MAX_PROBLEMS_PER_CHECK:
                problems.append(f"{check.__name__}: more problems not listed")
                break
            problems.append(problem)
    return problems
