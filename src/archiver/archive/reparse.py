"""Re-run the current parser over stored raw pages."""

from __future__ import annotations

from dataclasses import dataclass

from archiver.archive.store import Archive, utcnow


@dataclass
class ReparseCounts:
    """What a re-parse did."""

    articles: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0


def candidates(archive: Archive, since: str | None = None, site: str | None = None):
    """Articles to re-parse with the page, URL and ``Content-Type`` of their latest version's fetch."""
    where, params = ["versions.page_hash is not null"], []
    if since:
        where.append("articles.last_seen >= ?")
        params.append(since)
    if site:
        where.append("articles.site = ?")
        params.append(site)
    sql = f"""
        select articles.*, versions.page_hash, coalesce(fetches.url, articles.url) as fetched_url,
            coalesce(fetches.content_type, pages.content_type) as content_type
        from articles
        join versions on versions.article_id = articles.id and versions.version = articles.latest_version
        left join fetches on fetches.id = versions.fetch_id
        left join pages on pages.hash = versions.page_hash
        where {' and '.join(where)} order by articles.id
    """
    return list(archive.db.query(sql, params))


def reparse(archive: Archive, since: str | None = None, site: str | None = None, on_error=None,
            profile_for=None) -> ReparseCounts:
    """Re-parse the latest page of each selected article; a version only where the result differs.

    ``profile_for(url)`` gives the parser profile a configured site names for a URL (None: the
    shipped one for its host), so pages are re-parsed as the crawl parsed them.
    """
    counts = ReparseCounts()
    for row in candidates(archive, since, site):
        counts.articles += 1
        url = row["fetched_url"]
        try:
            profile = profile_for(url) if profile_for else None
            article = archive.parse(archive.raw_page(row["page_hash"]), url, row["content_type"], profile)
        except Exception as error:  # noqa: BLE001 - one bad page must not stop the rest
            counts.failed += 1
            if on_error:
                on_error(row["url"], error)
            continue
        if archive.record_reparse(row, article, utcnow()):
            counts.changed += 1
        else:
            counts.unchanged += 1
    return counts
