"""``build_manifest``: what the archive should hold after crawling the editions.

Editions 1 and 2 are crawled by ``archiver demo`` (``change``/``detail`` say what
changed between them); the rotating editions 3 and 4 have their own pair
(``change4``/``detail4``: ``content`` or ``rotating-only`` from edition 3 to 4).

Read from the same :class:`~archiver.demo.catalog.Version` objects and
related-link choices the templates render, so it cannot drift from the pages.
"""

from __future__ import annotations

from archiver.demo.catalog import EDITIONS, Entry, get_catalog
from archiver.demo.render import Renderer


def _edition_record(renderer: Renderer, entry: Entry, edition: int) -> dict | None:
    version = entry.version(edition)
    if version is None:
        return None
    related = renderer.page_related(entry, edition)
    return {
        "title": version.title,
        "byline": version.byline,
        "bio": version.bios,
        "body": version.body,
        "published": version.published.isoformat(),
        "modified": version.modified.isoformat(),
        "related_links": [{"url": t.url, "text": t.title} for t in related],
    }


def build_manifest(base_url: str) -> dict:
    """JSON-ready description of every article URL of any edition."""
    base_url = base_url.rstrip("/")
    catalog = get_catalog()
    renderer = Renderer(catalog, base_url)
    articles = [
        {
            "url": base_url + entry.path,
            "template": entry.template,
            "change": entry.change,
            "detail": entry.detail,
            "change4": entry.change4,
            "detail4": entry.detail4,
            **{f"edition{n}": _edition_record(renderer, entry, n) for n in EDITIONS},
        }
        for entry in catalog.entries
    ]
    return {"base_url": base_url, "articles": articles}
