"""Machine-readable pages: sitemap.xml, the RSS feed and robots.txt."""

from __future__ import annotations

from email.utils import format_datetime
from xml.sax.saxutils import escape

from archiver.demo.catalog import Entry
from archiver.demo.content import SITE_NAME, SITE_TAGLINE

FEED_SIZE = 20


def sitemap_xml(entries: list[Entry], edition: int, base_url: str) -> str:
    """A urlset with every article of ``edition``; lastmod is its modified time."""
    urls = "".join(
        f"<url><loc>{escape(base_url + e.path)}</loc>"
        f"<lastmod>{e.version(edition).modified.isoformat()}</lastmod></url>\n"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    )


def _rss_item(entry: Entry, edition: int, base_url: str) -> str:
    version = entry.version(edition)
    link = escape(base_url + entry.path)
    authors = escape(", ".join(version.byline))
    return (
        "<item>\n"
        f"<title>{escape(version.title)}</title>\n"
        f"<link>{link}</link>\n"
        f'<guid isPermaLink="true">{link}</guid>\n'
        f"<dc:creator>{authors}</dc:creator>\n"
        f"<category>{escape(entry.section_label)}</category>\n"
        f"<pubDate>{format_datetime(version.published)}</pubDate>\n"
        f"<description>{escape(version.description)}</description>\n"
        "</item>\n"
    )


def rss_xml(entries: list[Entry], edition: int, base_url: str) -> str:
    """RSS 2.0 feed of the latest ``FEED_SIZE`` articles (``entries`` newest first)."""
    latest = entries[:FEED_SIZE]
    build = max(e.version(edition).modified for e in latest)
    items = "".join(_rss_item(e, edition, base_url) for e in latest)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>{escape(SITE_NAME)}</title>\n"
        f"<link>{escape(base_url)}/</link>\n"
        f'<atom:link href="{escape(base_url)}/feed" rel="self" type="application/rss+xml"/>\n'
        f"<description>{escape(SITE_TAGLINE)}</description>\n"
        "<language>en</language>\n"
        f"<lastBuildDate>{format_datetime(build)}</lastBuildDate>\n"
        f"{items}</channel>\n</rss>\n"
    )


def robots_txt(base_url: str) -> str:
    """robots.txt: search and admin pages are off limits; points at the sitemap."""
    return (
        "User-agent: *\n"
        "Disallow: /search\n"
        "Disallow: /wp-admin/\n"
        "Allow: /wp-admin/admin-ajax.php\n"
        "\n"
        f"Sitemap: {base_url}/sitemap.xml\n"
    )
