"""Find article URLs in sitemaps, feeds and HTML pages (no Scrapy needed)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

GZIP_MAGIC = b"\x1f\x8b"

ATOM = "{http://www.w3.org/2005/Atom}"
#: Extensions that are never article pages.
SKIP_EXTENSIONS = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".css", ".js", ".pdf", ".zip",
    ".mp3", ".mp4", ".avi", ".mov", ".woff", ".woff2", ".ttf", ".xml", ".json", ".rss",
)


def kind_of(body: bytes, content_type: str = "", url: str = "") -> str:
    """``robots``, ``sitemap``, ``feed`` or ``html`` for a response (its body gunzipped, see :func:`unzipped`)."""
    if urlsplit(url).path == "/robots.txt":
        return "robots"
    content_type = content_type.lower()
    head = body[:2048].lstrip().lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if "xml" in content_type and "html" not in content_type:
        return "sitemap" if b"sitemap" in head else "feed"
    return "html"


def unzipped(body: bytes, max_size: int = 0) -> bytes:
    """The body, gunzipped when it is gzip data (a ``.xml.gz`` sitemap)."""
    return gunzip(body, max_size=max_size) if body[:2] == GZIP_MAGIC else body


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt."""
    return list(sitemap_urls_from_robots(body, base_url))


def sitemap_entries(body: bytes) -> tuple[str, list[dict]]:
    """The sitemap's type (``urlset`` or ``sitemapindex``) and its entries (``loc``, ``lastmod``)."""
    sitemap = Sitemap(body)
    return sitemap.type, [dict(entry) for entry in sitemap if entry.get("loc")]


def feed_links(body: bytes, base_url: str) -> list[str]:
    """Item links of an RSS or Atom feed, absolute."""
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    root = lxml.etree.fromstring(body, parser=parser)
    if root is None:
        return []
    links = [el.text.strip() for el in root.iter("link") if el.text and el.text.strip()]
    links += [el.get("href") for el in root.iter(f"{ATOM}link") if el.get("rel", "alternate") == "alternate"]
    channel_links = {el.text.strip() for el in root.iterfind("channel/link") if el.text}
    return [urljoin(base_url, link) for link in links if link and link.strip() not in channel_links]


def page_links(body: bytes | str, base_url: str) -> list[str]:
    """Links of an HTML page to pages of the same host, absolute, fragments dropped, in order."""
    try:
        root = lxml.html.fromstring(body)
    except (lxml.etree.ParserError, ValueError):
        return []
    host = urlsplit(base_url).netloc
    seen, links = set(), []
    for element in root.iter("a"):
        href = element.get("href")
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        url = urljoin(base_url, href.strip()).split("#", 1)[0]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != host:
            continue
        if parts.path.lower().endswith(SKIP_EXTENSIONS) or url in seen:
            continue
        seen.add(url)
        links.append(url)
    return links
