"""Incremental re-visits: which known articles to fetch again, and how cheaply.

- A known article is re-visited when its :class:`RevisitPolicy` says it is due: young
  articles often, old ones rarely (by age since publication, or first seen).
- A sitemap ``lastmod`` decides instead when there is one: fetch only when it is newer
  than what the last fetch saw (the page's ``Last-Modified``, else the fetch time).
- Every re-visit is a conditional request (``If-None-Match`` / ``If-Modified-Since``
  from the last 200 or 304), so an unchanged page costs a 304 and no body.

Removed articles (404/410) get no validators and are never skipped: they may be back.

The state a crawl decides by is read from the archive row by row
(:meth:`~archiver.archive.store.Archive.revisit_state`) into a private temporary SQLite file (:func:`scratch_database`), never into a list: memory
stays the same however large the archive.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from archiver.archive.urls import canonical_url

#: Re-visit every known article at every crawl (conditional requests keep it cheap).
ALWAYS = "always"
#: New articles often, older ones less: hourly for a day, daily for a week, then weekly.
DEFAULT_REVISIT = "1h until 1d, 1d until 7d, 7d"
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> float:
    """Seconds in ``"90s"``, ``"30m"``, ``"1h"``, ``"7d"``, ``"2w"`` or ``"0"``."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", str(text))
    if not match or (not match.group(2) and float(match.group(1)) != 0):
        raise ValueError(f"{text!r} is not a duration such as 30m, 1h, 7d or 2w")
    return float(match.group(1)) * UNITS.get(match.group(2) or "s")


@dataclass(frozen=True)
class RevisitPolicy:
    """How often a known article is re-visited, by its age.

    ``tiers`` is a list of ``(until, every)`` in seconds: an article younger than
    ``until`` is re-visited once ``every`` has passed since its last fetch; the
    last tier has ``until=None`` (any age); ``every=None`` means never.
    """

    text: str
    tiers: tuple[tuple[float | None, float | None], ...]

    @classmethod
    def parse(cls, text: str) -> "RevisitPolicy":
        """``"1h until 1d, 1d until 7d, 7d"``, ``"always"`` or ``"never"`` (the last tier may say ``never``)."""
        text = str(text).strip()
        if text == ALWAYS:
            return cls(text, ((None, 0.0),))
        tiers = []
        parts = [part.strip() for part in text.split(",")]
        for index, part in enumerate(parts):
            every, _, until = (word.strip() for word in part.partition(" until "))
            every = every.removeprefix("then ").strip()
            if not until and index != len(parts) - 1:
                raise ValueError(f"every tier but the last needs 'until AGE' ({part!r})")
            tiers.append((parse_duration(until) if until else None, None if every == "never" else parse_duration(every)))
        if tiers[-1][0] is not None:
            tiers.append((None, tiers[-1][1]))
        return cls(text, tuple(tiers))

    def interval(self, age: timedelta) -> timedelta | None:
        """How long after its last fetch an article of ``age`` is due again (None: never)."""
        for until, every in self.tiers:
            if until is None or age.total_seconds() < until:
                return None if every is None else timedelta(seconds=every)
        return None

    def is_due(self, age: timedelta, since_fetch: timedelta) -> bool:
        """Whether an article of ``age``, fetched ``since_fetch`` ago, is due for a re-visit."""
        interval = self.interval(age)
        return interval is not None and since_fetch >= interval


def parse_time(text: str | None, end_of_day: bool = False) -> datetime | None:
    """An aware datetime from ISO 8601 or an HTTP date; a bare date is its start (or end)."""
    if not text:
        return None
    text = text.strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if len(text) == 10 and end_of_day:  # YYYY-MM-DD: modified some time that day
        when += timedelta(days=1)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


#: What a re-visit needs to know about a URL (see :meth:`~archiver.archive.store.Archive.revisit_state`).
STATE_COLUMNS = ("url", "article", "removed_at", "first_seen", "last_seen", "published", "etag", "last_modified", "fetched_at")
#: The most memory SQLite may use to cache one scratch database, in KiB.
SCRATCH_CACHE_KIB = 2048
_SCRATCH_PRAGMAS = (f"pragma cache_size = -{SCRATCH_CACHE_KIB}", "pragma journal_mode = off", "pragma synchronous = off")
_CREATE_STATE = f"create table state (key text not null unique, {', '.join(STATE_COLUMNS)})"
_UPSERT_STATE = (
    f"insert into state (key, {', '.join(STATE_COLUMNS)}) values (?{', ?' * len(STATE_COLUMNS)}) on conflict (key) "
    f"do update set {', '.join(f'{name} = excluded.{name}' for name in STATE_COLUMNS)}"
)


def scratch_database() -> sqlite3.Connection:
    """A private SQLite database in a temporary file, deleted when closed; a few MiB of it cached in memory.

    For a crawl's per-URL state: rows on disk instead of Python objects in memory.
    """
    db = sqlite3.connect("", isolation_level=None)
    for pragma in _SCRATCH_PRAGMAS:
        db.execute(pragma)
    return db


class Revisits:
    """Re-visit decisions for one crawl, from the archive's :meth:`~archiver.archive.store.Archive.revisit_state` rows.

    ``rows`` may be any iterable (``revisit_state`` streams them): they are kept in a
    :func:`scratch_database`, by canonical URL, and looked up one URL at a time.
    """

    def __init__(self, rows: Iterable[dict], policy: RevisitPolicy, now: datetime | None = None, incremental: bool = True):
        self.policy = policy
        self.now = now or datetime.now(timezone.utc)
        self.incremental = incremental
        self.db = scratch_database()
        self.db.row_factory = sqlite3.Row
        self.db.execute(_CREATE_STATE)
        self.db.execute("begin")
        self.db.executemany(
            _UPSERT_STATE, ((canonical_url(row["url"]), *(row.get(name) for name in STATE_COLUMNS)) for row in rows)
        )
        self.db.execute("commit")
        self._last: tuple[str | None, dict | None] = (None, None)

    def close(self) -> None:
        """Delete the state's temporary file."""
        self.db.close()

    def known(self, url: str) -> dict | None:
        """The state of a URL seen for a live (not removed) article, or None.

        The last answer is kept: a discovered URL is asked about twice in a row (:meth:`skip`,
        then :meth:`validators` for its request), and the state does not change during a crawl.
        """
        key = canonical_url(url)
        if self._last[0] != key:
            row = self.db.execute("select * from state where key = ?", [key]).fetchone()
            self._last = (key, dict(row) if row and not row["removed_at"] else None)
        return self._last[1]

    def due_articles(self) -> list[str]:
        """Canonical URLs of the live articles the policy says to re-visit now, oldest fetch first."""
        return list(self.iter_due())

    def iter_due(self) -> Iterator[str]:
        """:meth:`due_articles`, one at a time (read from disk as they are taken)."""
        rows = self.db.execute(
            """
            select article, first_seen, last_seen, published, min(rowid) as first from state
            where removed_at is null or removed_at = ''
            group by article order by coalesce(last_seen, ''), first
            """
        )
        for row in rows:
            if not self.incremental or self._is_due(row):
                yield row["article"]

    def skip(self, url: str, lastmod: str | None = None) -> bool:
        """Whether a discovered URL need not be fetched: known, and unchanged by ``lastmod`` or not due."""
        row = self.known(url)
        if row is None or not self.incremental:
            return False
        modified = parse_time(lastmod, end_of_day=True)
        if modified is not None:
            seen = parse_time(row["last_modified"]) or parse_time(row["fetched_at"])
            return seen is not None and modified <= seen
        return not self._is_due(row)

    def validators(self, url: str) -> dict:
        """``If-None-Match`` / ``If-Modified-Since`` headers for a known URL, or ``{}``."""
        row = self.known(url)
        if row is None or not self.incremental:
            return {}
        headers = {"If-None-Match": row["etag"], "If-Modified-Since": row["last_modified"]}
        return {name: value for name, value in headers.items() if value}

    def _is_due(self, row: dict) -> bool:
        born = parse_time(row["published"]) or parse_time(row["first_seen"]) or self.now
        last = parse_time(row["last_seen"])
        return last is None or self.policy.is_due(self.now - born, self.now - last)
