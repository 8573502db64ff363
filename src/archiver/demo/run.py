"""The demo: crawl two editions of the bundled site and check the archive against its manifest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


from archiver.archive.fingerprint import normalise_value
from archiver.archive.store import Archive
from archiver.archive.urls import canonical_url
from archiver.errors import ArchiverError

#: Content fields the manifest gives and the archive must hold exactly.
CHECKED_FIELDS = ("title", "byline", "bio", "body")
#: How many versions each kind of change leaves in the archive.
EXPECTED_VERSIONS = {"unchanged": 1, "rotating-only": 1, "content": 2, "removed": 1, "new": 1}


class DemoError(ArchiverError):
    """The demo could not run; the message says why."""


def remove_database(db_path: Path) -> None:
    """Delete an SQLite file with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


def crawl_in_subprocess(db_path: Path, start_url: str) -> None:
    """``archiver crawl`` in its own process (the Twisted reactor runs once per process)."""
    command = [sys.executable, "-m", "archiver", "crawl", "--db", str(db_path), "--start-url", start_url]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise DemoError(f"the crawl of {start_url} failed: {result.stderr.strip() or result.stdout.strip()}")


def run_demo(db_path: str | Path, site_port: int = 0, echo=print) -> bool:
    """Serve edition 1, crawl, switch to edition 2, crawl; print the table; return whether it matches."""
    from archiver.demo import DemoServer, build_manifest

    db_path = Path(db_path)
    if not db_path.parent.is_dir():
        raise DemoError(f"cannot create the archive {db_path}: folder {db_path.parent} does not exist")
    remove_database(db_path)
    with DemoServer(edition=1, host="127.0.0.1", port=site_port) as server:
        echo(f"Demo site on {server.base_url}/ - crawling edition 1 ...")
        crawl_in_subprocess(db_path, f"{server.base_url}/sitemap.xml")
        server.set_edition(2)
        echo("Switched to edition 2 - crawling again ...")
        crawl_in_subprocess(db_path, f"{server.base_url}/sitemap.xml")
        manifest = build_manifest(server.base_url)
    with Archive.open_existing(db_path) as archive:
        echo(crawl_table(archive))
        problems = compare_with_manifest(archive, manifest)
    echo(manifest_summary(manifest, problems))
    for problem in problems[:20]:
        echo(f"  - {problem}")
    echo(f"Archive: {db_path}")
    return not problems


def crawl_table(archive: Archive) -> str:
    """The crawls as a small aligned table."""
    columns = ("id", "pages", "new", "changed", "unchanged", "not_modified", "removed", "errors")
    rows = [[str(row[c]) for c in columns] for row in archive.crawls()]
    header = ["crawl", *columns[1:]]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths))]
    lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def manifest_summary(manifest: dict, problems: list[str]) -> str:
    """One line: what the manifest expects and whether the archive matches it."""
    counts: dict[str, int] = {}
    for entry in manifest["articles"]:
        counts[entry["change"]] = counts.get(entry["change"], 0) + 1
    expected = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    verdict = "the archive matches it" if not problems else f"{len(problems)} differences"
    return f"Manifest: {expected} - {verdict}."


def compare_with_manifest(archive: Archive, manifest: dict) -> list[str]:
    """Every difference between the archive and the demo site's manifest, one line each."""
    archived = {row["url"]: row for row in archive.articles()}
    problems = []
    expected_urls = set()
    for entry in manifest["articles"]:
        url = canonical_url(entry["url"])
        expected_urls.add(url)
        problems += _compare_article(archive, archived.get(url), entry)
    problems += [f"{url}: archived but not in the manifest" for url in sorted(set(archived) - expected_urls)]
    return problems


def _compare_article(archive: Archive, row: dict | None, entry: dict) -> list[str]:
    """The differences for one manifest entry."""
    url, change = entry["url"], entry["change"]
    if row is None:
        return [f"{url}: not archived (change {change})"]
    versions = archive.versions(row["id"])
    problems = []
    if len(versions) != EXPECTED_VERSIONS[change]:
        problems.append(f"{url}: {len(versions)} versions, expected {EXPECTED_VERSIONS[change]} ({change})")
    if (row["removed_at"] is not None) != (change == "removed"):
        problems.append(f"{url}: removed is {row['removed_at'] is not None}, change is {change}")
    expected = [entry["edition1"], entry["edition2"]] if change == "content" else [entry["edition1"] or entry["edition2"]]
    for version, fields in zip(versions, expected):
        problems += _compare_fields(url, version, fields)
    return problems


def _compare_fields(url: str, version: dict, fields: dict) -> list[str]:
    """Differences between one archived version and the manifest's fields."""
    problems = []
    for name in CHECKED_FIELDS:
        stored = version[name]
        if normalise_value(stored) != normalise_value(fields[name]):
            problems.append(f"{url} v{version['version']}: {name} differs: {str(stored)[:80]!r}")
    return problems
