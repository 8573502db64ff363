"""What to export: the options as a :class:`~archiver.archive.queries.Selection`, and rows as export records."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator

from sqlite_utils import Database

from archiver.archive.queries import FIELDS, JSON_FIELDS, Selection, count_records, version_rows
from archiver.errors import ArchiverError

__all__ = ["FIELDS", "ExportError", "Selection", "count_records", "iter_records", "parse_fields", "parse_time"]


class ExportError(ArchiverError):
    """The export cannot run as asked; the message says why, in one line."""


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


def iter_records(db: Database, selection: Selection | None = None) -> Iterator[dict]:
    """Export records in article and version order, streamed from one query."""
    selection = selection or Selection()
    for row in version_rows(db, selection):
        yield _record(row, selection.fields)


def _record(row: dict, fields: tuple[str, ...]) -> dict:
    """A query row as an export record: JSON columns decoded, ``removed`` set, fields picked."""
    for name in JSON_FIELDS:
        row[name] = json.loads(row[name]) if row.get(name) else []
    row["removed"] = row["removed_at"] is not None
    return {name: row[name] for name in fields}
