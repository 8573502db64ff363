"""What to export: the selection options as SQL, and rows as export records."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator

from sqlite_utils import Database

from archiver.archive.urls import canonical_url
from archiver.errors import ArchiverError


class ExportError(ArchiverError):
    """The export cannot run as asked; the message says why, in one line."""


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


def parse_time(text: str, option: str, end_of_day: bool = False) -> str:
    """A date or ISO 8601 time as the archive's UTC form (``2024-05-01T12:00:00.000+00:00``).

    A bare date means its start, or with ``end_of_day`` the start of the next day, so that
    ``--until 2024-05-01`` includes that whole day.
    """
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day + timedelta(days=end_of_day), time(), timezone.utc)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
    except ValueError:
        raise ExportError(f"{option}: {text!r} is not a date (2024-05-01) or an ISO 8601 time") from None
    # the archive's own form, to the millisecond (``store.utcnow``): compared as text with it
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def parse_fields(text: str | None) -> tuple[str, ...]:
    """``--fields url,title`` as a tuple of known field names."""
    if not text:
        return FIELDS
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in FIELDS]
    if unknown or not names:
        raise ExportError(f"--fields: unknown field {', '.join(unknown) or '(none)'}; known: {', '.join(FIELDS)}")
    return names


def count_records(db: Database, selection: Selection) -> int:
    """How many records ``iter_records`` will yield."""
    where, params = selection.version_where()
    sql = f"select count(*) from versions join articles on articles.id = versions.article_id where {where}"
    return db.execute(sql, params).fetchone()[0]


def iter_records(db: Database, selection: Selection | None = None) -> Iterator[dict]:
    """Export records in article and version order, streamed from one query."""
    selection = selection or Selection()
    where, params = selection.version_where()
    for row in db.query(RECORDS_SQL.format(where=where), params):
        yield _record(row, selection.fields)


def _record(row: dict, fields: tuple[str, ...]) -> dict:
    """A query row as an export record: JSON columns decoded, ``removed`` set, fields picked."""
    for name in JSON_FIELDS:
        row[name] = json.loads(row[name]) if row.get(name) else []
    row["removed"] = row["removed_at"] is not None
    return {name: row[name] for name in fields}
