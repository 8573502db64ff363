"""CSV: one row per record; list fields (byline, bio, changed, related links) as JSON text."""

from __future__ import annotations

import csv
import json
from typing import IO, Iterable, Sequence


def write_csv(records: Iterable[dict], out: IO[str], fields: Sequence[str]) -> int:
    """Write records as CSV with a header row of ``fields``; return how many."""
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow({name: _cell(value) for name, value in record.items()})
        count += 1
    return count


def _cell(value):
    """A CSV cell: lists and dicts as JSON, booleans as true/false."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
