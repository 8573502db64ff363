"""``DemoSite``: one edition of the demo news site, answering paths with pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from urllib.parse import unquote, urlsplit

from markupsafe import escape

from archiver.demo import feeds
from archiver.demo.catalog import EDITIONS, get_catalog
from archiver.demo.content import AUTHORS_BY_SLUG, SECTIONS, SERVICE_PAGES
from archiver.demo.render import Renderer

HTML = "text/html; charset=utf-8"
PER_PAGE = 10
HOME_SIZE = 20
CSS_PATH = "/static/site.css"
XML = "application/xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
_SECTION_RE = re.compile(r"^/section/([a-z]+)/(?:page/(\d+)/)?$")
_AVATAR_RE = re.compile(r"^/static/avatars/([a-z0-9-]+)\.svg$")


@dataclass(frozen=True)
class Page:
    """One HTTP answer: status, content type, body and Last-Modified time."""

    status: int
    content_type: str
    body: bytes
    last_modified: datetime | None = None


class DemoSite:
    """The demo site as it is in one edition, served from ``base_url``.

    ``get(path)`` answers any path (query strings are ignored) with
    ``(status, content_type, body)``; pages are rendered once and cached.
    """

    def __init__(self, edition: int = 1, base_url: str = "http://127.0.0.1:8000"):
        if edition not in EDITIONS:
            raise ValueError(f"edition must be one of {EDITIONS}, not {edition!r}")
        self.edition = edition
        self.base_url = base_url.rstrip("/")
        self.catalog = get_catalog()
        self.renderer = Renderer(self.catalog, self.base_url)
        self.entries = self.catalog.in_edition(edition)
        self._cache: dict[str, Page] = {}

    def get(self, path: str) -> tuple[int, str, bytes]:
        """``(status, content_type, body)`` for ``path``."""
        page = self.page(path)
        return page.status, page.content_type, page.body

    def page(self, path: str) -> Page:
        """The full :class:`Page` (with Last-Modified) for ``path``."""
        path = unquote(urlsplit(path).path) or "/"
        if path not in self._cache:
            self._cache[path] = self._route(path)
        return self._cache[path]

    def article_urls(self) -> list[str]:
        """Absolute URLs of the articles present in this edition, newest first."""
        return [self.base_url + e.path for e in self.entries]

    # --- routing ---------------------------------------------------------

    def _route(self, path: str) -> Page:
        entry = self.catalog.by_path.get(path)
        if entry is not None:
            return self._article(entry, path)
        if path == "/":
            return self._listing_page("Latest news", path, self.entries[:HOME_SIZE], "home blog")
        match = _SECTION_RE.match(path)
        if match and match.group(1) in SECTIONS:
            return self._section(match.group(1), int(match.group(2) or 1), path)
        fixed = {
            "/sitemap.xml": self._sitemap,
            "/feed": self._feed,
            "/feed/": self._feed,
            "/robots.txt": self._robots,
            CSS_PATH: self._css,
        }
        if path in fixed:
            return fixed[path]()
        if path in SERVICE_PAGES:
            return Page(200, HTML, self.renderer.service(path).encode("utf-8"))
        match = _AVATAR_RE.match(path)
        if match:
            return self._avatar(match.group(1))
        return self._error(404, path)

    def _article(self, entry, path: str) -> Page:
        version = entry.version(self.edition)
        if version is None:
            return self._error(entry.gone_status(self.edition) or 404, path)
        html = self.renderer.article(entry, self.edition)
        return Page(200, HTML, html.encode("utf-8"), version.modified)

    def _section(self, section: str, number: int, path: str) -> Page:
        entries = [e for e in self.entries if e.section == section]
        pages = max(1, -(-len(entries) // PER_PAGE))
        if number > pages:
            return self._error(404, path)
        chunk = entries[(number - 1) * PER_PAGE : number * PER_PAGE]
        base = f"/section/{section}/"
        older = f"{base}page/{number + 1}/" if number < pages else None
        newer = None if number == 1 else (base if number == 2 else f"{base}page/{number - 1}/")
        heading = SECTIONS[section] + (f" – Page {number}" if number > 1 else "")
        css_class = f"archive category category-{section}"
        return self._listing_page(heading, path, chunk, css_class, older, newer)

    def _listing_page(self, heading, path, entries, css_class, older=None, newer=None) -> Page:
        html = self.renderer.listing(heading, path, entries, self.edition, older, newer, css_class)
        return Page(200, HTML, html.encode("utf-8"), self._latest_modified(entries))

    def _feed(self) -> Page:
        xml = feeds.rss_xml(self.entries, self.edition, self.base_url)
        return Page(200, "application/rss+xml; charset=utf-8", xml.encode("utf-8"),
                    self._latest_modified(self.entries[: feeds.FEED_SIZE]))

    def _sitemap(self) -> Page:
        xml = feeds.sitemap_xml(self.entries, self.edition, self.base_url)
        return Page(200, XML, xml.encode("utf-8"), self._latest_modified(self.entries))

    def _robots(self) -> Page:
        return Page(200, TEXT, feeds.robots_txt(self.base_url).encode("utf-8"))

    def _css(self) -> Page:
        css = files("archiver.demo").joinpath("static/site.css").read_bytes()
        return Page(200, "text/css; charset=utf-8", css)

    def _avatar(self, slug: str) -> Page:
        author = AUTHORS_BY_SLUG.get(slug)
        initials = "".join(w[0] for w in author.name.split()[:2]) if author else "?"
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">'
            '<rect width="96" height="96" fill="#8a1c1c"/>'
            '<text x="48" y="58" font-size="32" text-anchor="middle" fill="#fff">'
            f"{escape(initials)}</text></svg>"
        )
        return Page(200, "image/svg+xml", svg.encode("utf-8"))

    def _error(self, status: int, path: str) -> Page:
        return Page(status, HTML, self.renderer.error(status, path).encode("utf-8"))

    def _latest_modified(self, entries) -> datetime | None:
        times = [e.version(self.edition).modified for e in entries]
        return max(times) if times else None

