"""Export the archive: one JSON record per article version, streamed."""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from sqlite_utils import Database

VERSIONS_SQL = """
select
  articles.url, articles.site, versions.version, versions.title, versions.byline,
  versions.published, versions.modified, versions.body, versions.bio,
  versions.language, versions.site_name, versions.description,
  versions.change, versions.changed, versions.first_seen, versions.last_seen,
  versions.parser_version, articles.removed_at,
  (select fetches.related_links from fetches
    where fetches.article_id = versions.article_id and fetches.version = versions.version
      and fetches.page_hash is not null
    order by fetches.id desc limit 1) as related_links
from versions join articles on articles.id = versions.article_id
{where}
order by articles.id, versions.version
"""
JSON_COLUMNS = ("byline", "bio", "changed", "related_links")


def iter_records(db: Database, all_versions: bool = False) -> Iterator[dict]:
    """Export records, in article order: the latest version of each, or every version."""
    where = "" if all_versions else "where versions.version = articles.latest_version"
    for row in db.query(VERSIONS_SQL.format(where=where)):
        yield _record(row)


def _record(row: dict) -> dict:
    """A query row as an export record: JSON columns decoded, ``removed`` set."""
    record = dict(row)
    for name in JSON_COLUMNS:
        record[name] = json.loads(record[name]) if record.get(name) else []
    record["removed"] = record["removed_at"] is not None
    return record


def write_jsonl(records, out: IO[str]) -> int:
    """Write records as JSON Lines; return how many."""
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


@contextmanager
def atomic_output(path: str | Path):
    """A text file that appears at ``path`` only when the block succeeds."""
    path = Path(path)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yield out
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
