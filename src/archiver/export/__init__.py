"""Export the archive, streamed: JSON Lines, JSON, CSV, Markdown files or WARC.

>>> selection = Selection(sites=("example.com",), all_versions=True)
>>> run_export("archive/archive.db", "csv", selection, output="versions.csv")
144

One module per format; ``records`` turns the selection into SQL. Every format reads one
query row at a time, so memory stays flat however large the archive.
"""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass, replace
from typing import Callable

from archiver.archive.store import Archive
from archiver.export.csvfile import write_csv
from archiver.export.jsonl import write_json, write_jsonl
from archiver.export.markdown import write_markdown
from archiver.export.output import atomic_folder, atomic_output, with_progress
from archiver.export.records import (
    FIELDS, ExportError, Selection, count_records, iter_records, parse_fields, parse_time,
)
from archiver.archive.queries import count_fetches, iter_fetches
from archiver.export.warc import write_warc

__all__ = [
    "FIELDS", "FORMATS", "ExportError", "Selection", "atomic_output", "iter_records", "parse_fields",
    "parse_time", "run_export", "write_jsonl",
]


@dataclass(frozen=True)
class Format:
    """An export format: what it writes to (``text``, ``binary`` or ``folder``) and how.

    ``write(items, out, selection, output)`` returns how many records it wrote; ``items`` are
    export records, or ``(fetch, raw page)`` pairs when ``pages`` is set.
    """

    kind: str
    write: Callable
    pages: bool = False


FORMATS = {
    "jsonl": Format("text", lambda items, out, selection, output: write_jsonl(items, out)),
    "json": Format("text", lambda items, out, selection, output: write_json(items, out)),
    "csv": Format("text", lambda items, out, selection, output: write_csv(items, out, selection.fields)),
    "markdown": Format("folder", lambda items, out, selection, output: write_markdown(items, out, selection.fields)),
    "warc": Format(
        "binary", lambda items, out, selection, output: write_warc(items, out, str(output).endswith(".gz")), True
    ),
}


def run_export(db_path, fmt: str, selection: Selection, output=None, progress: bool = False, stdout=None) -> int:
    """Export the selection from the archive at ``db_path`` in ``fmt``; return how many records.

    ``output`` is a file (a folder for ``markdown``) written atomically; without it, ``stdout``.
    ``progress`` draws a bar on stderr.
    """
    spec = FORMATS.get(fmt)
    if spec is None:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if spec.pages and selection.fields != FIELDS:
        raise ExportError(f"--fields does not apply to {fmt}: its records hold whole pages")
    if spec.kind == "folder" and output is None:
        raise ExportError(f"{fmt} writes one file per version: give a folder with -o")
    with Archive.open_existing(db_path) as archive:
        try:
            return _write(spec, archive, selection, output, progress, stdout)
        except sqlite3.DatabaseError as error:
            raise ExportError(f"cannot read the archive {db_path}: {error}") from error


def _write(spec: Format, archive, selection: Selection, output, progress: bool, stdout) -> int:
    """Stream the selection through the format's writer to ``output`` or ``stdout``."""
    if spec.pages:
        items, total = iter_fetches(archive, selection), count_fetches(archive.db, selection)
    else:  # markdown names files by url and version, so it reads every field and picks itself
        source = replace(selection, fields=FIELDS) if spec.kind == "folder" else selection
        items, total = iter_records(archive.db, source), count_records(archive.db, selection)
    if progress:
        items = with_progress(items, total)
    if output is None:
        stdout = stdout or (sys.stdout.buffer if spec.kind == "binary" else sys.stdout)
        return spec.write(items, stdout, selection, output)
    opener = atomic_folder(output) if spec.kind == "folder" else atomic_output(output, binary=spec.kind == "binary")
    with opener as out:
        return spec.write(items, out, selection, output)
