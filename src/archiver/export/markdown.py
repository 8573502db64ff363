"""Markdown: one file per article version, YAML front matter, the body as escaped text.

Files are ``<folder>/<site>/<slug>-<hash>.v<version>.md``; the front matter holds every
selected field except ``body`` and ``bio``, which follow as text.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Iterable, Sequence

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)
_UNSAFE = re.compile(r"[^a-z0-9]+")


def write_markdown(records: Iterable[dict], folder: Path, fields: Sequence[str] | None = None) -> int:
    """Write one Markdown file per record under ``folder``, showing ``fields``; return how many."""
    count, made = 0, set()
    for record in records:
        path = folder / record_path(record)
        if path.parent not in made:  # one folder per site: a small set
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        shown = record if fields is None else {name: record[name] for name in fields}
        path.write_text(render(shown), encoding="utf-8")
        count += 1
    return count


def record_path(record: dict) -> Path:
    """``<site>/<slug>-<hash>.v<version>.md``: stable, unique per URL and version."""
    url = record.get("url") or ""
    site = _UNSAFE.sub("_", (record.get("site") or "site").lower()).strip("_") or "site"
    path = url.split("://", 1)[-1].partition("/")[2]
    slug = _UNSAFE.sub("-", path.lower()).strip("-")[-80:].strip("-") or "index"
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    return Path(site) / f"{slug}-{digest}.v{record.get('version', 0)}.md"


def render(record: dict) -> str:
    """Front matter, then the title, body and author bios."""
    lines = ["---"]
    for name, value in record.items():
        if name not in ("body", "bio"):
            lines.append(f"{name}: {json.dumps(value, ensure_ascii=False)}")  # JSON values are YAML
    lines += ["---", ""]
    if record.get("title"):
        lines += [f"# {escape(record['title'])}", ""]
    if record.get("body"):
        lines += [escape(record["body"]), ""]
    bios = record.get("bio") or []
    if bios:
        lines += ["## About the author" + ("s" if len(bios) > 1 else ""), ""]
        lines += [line for bio in bios for line in (escape(bio), "")]
    return "\n".join(lines)


def escape(text: str) -> str:
    """Plain text as Markdown that renders as the same text (no HTML, no markup)."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)
