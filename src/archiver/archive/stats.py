"""What the archive holds: counts, sizes, compression, versions per article."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database


def archive_stats(db: Database, path: str | Path | None = None) -> dict:
    """The archive's figures as a flat dict."""
    one = lambda sql: next(iter(db.execute(sql).fetchone() or [None]))  # noqa: E731 - a one-value query
    pages = db.execute("select count(*), coalesce(sum(size), 0), coalesce(sum(stored_size), 0) from pages").fetchone()
    fetched_raw = one(
        "select coalesce(sum(pages.size), 0) from fetches join pages on pages.hash = fetches.page_hash"
    )
    figures = {
        "articles": db["articles"].count,
        "removed": one("select count(*) from articles where removed_at is not null"),
        "versions": db["versions"].count,
        "reparse_versions": one("select count(*) from versions where produced_by = 'reparse'"),
        "fetches": db["fetches"].count,
        "crawls": db["crawls"].count,
        "near_duplicate_pairs": db["near_duplicates"].count,
        "pages": pages[0],
        "raw_bytes_distinct": pages[1],
        "raw_bytes_fetched": fetched_raw,
        "stored_bytes": pages[2],
        "max_versions": one("select coalesce(max(latest_version), 0) from articles"),
        "articles_with_changes": one("select count(*) from articles where latest_version > 1"),
        "file_bytes": Path(path).stat().st_size if path else None,
    }
    figures["compression_distinct"] = ratio(figures["raw_bytes_distinct"], figures["stored_bytes"])
    figures["compression_fetched"] = ratio(figures["raw_bytes_fetched"], figures["stored_bytes"])
    figures["versions_per_article"] = ratio(figures["versions"], figures["articles"])
    figures["changes"] = {row["change"]: row["n"] for row in db.query("select change, count(*) as n from versions group by change order by n desc")}
    return figures


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator to two decimals, or None when there is nothing to divide by."""
    return round(numerator / denominator, 2) if denominator else None


def format_stats(figures: dict) -> str:
    """The figures as aligned lines for people."""
    changes = ", ".join(f"{kind} {n}" for kind, n in figures["changes"].items()) or "none"
    lines = [
        ("articles", f"{figures['articles']:,} ({figures['removed']:,} removed, {figures['articles_with_changes']:,} with more than one version)"),
        ("versions", f"{figures['versions']:,} ({figures['versions_per_article'] or 0} per article, at most {figures['max_versions']}; {figures['reparse_versions']:,} from re-parsing)"),
        ("changes", changes),
        ("fetches", f"{figures['fetches']:,} in {figures['crawls']:,} crawls"),
        ("raw pages", f"{figures['pages']:,} distinct, {figures['raw_bytes_distinct']:,} bytes ({figures['raw_bytes_fetched']:,} bytes fetched)"),
        ("stored", f"{figures['stored_bytes']:,} bytes: {figures['compression_distinct'] or 0}x smaller than the distinct pages, {figures['compression_fetched'] or 0}x than all fetched"),
        ("near-duplicates", f"{figures['near_duplicate_pairs']:,} pairs"),
    ]
    if figures["file_bytes"] is not None:
        lines.append(("archive file", f"{figures['file_bytes']:,} bytes"))
    width = max(len(label) for label, _ in lines)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in lines)
