"""JSON Lines (one record a line) and JSON (one array), streamed."""

from __future__ import annotations

import json
from typing import IO, Iterable


def write_jsonl(records: Iterable[dict], out: IO[str]) -> int:
    """Write records as JSON Lines; return how many."""
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def write_json(records: Iterable[dict], out: IO[str]) -> int:
    """Write records as one JSON array, a record a line, without holding them; return how many."""
    count = 0
    out.write("[")
    for record in records:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count
