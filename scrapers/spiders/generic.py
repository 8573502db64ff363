"""A spider for any news site: give it a home page, a sitemap or a feed.

    scrapy crawl generic -a start_url=http://127.0.0.1:8000/sitemap.xml
    archiver crawl --start-url http://127.0.0.1:8000/

- A sitemap (or sitemap index) lists the articles; a feed links them; from an
  HTML page the spider follows links on the same host (``max_depth`` deep).
- Articles already in the archive for those hosts are re-visited too, so a page
  that went 404/410 is noticed.
- Every article page is parsed by :class:`archiver.page.ArticlePage` and handed
  to the pipeline as a :class:`archiver.store.Fetch`.
"""

from __future__ import annotations

import re
from pathlib import Path

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from archiver.page import ArticlePage
from archiver.store import Archive, Fetch
from archiver.urls import canonical_url, site_of
from scrapers.discovery import feed_links, kind_of, page_links, sitemap_entries

#: Statuses the spider handles itself: gone pages make tombstones.
HANDLED_STATUSES = [304, 404, 410]
MIN_ARTICLE_CHARS = 200
MIN_UNDATED_ARTICLE_CHARS = 1500


class GenericSpider(scrapy.Spider):
    """Discover articles from start URLs and archive every article page."""

    name = "generic"
    custom_settings = {"HTTPERROR_ALLOWED_CODES": HANDLED_STATUSES}

    def __init__(self, start_url: str = "", article_pattern: str = "", max_depth: int | str = 3, revisit="1", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [url for url in re.split(r"[,\s]+", start_url or "") if url]
        if not self.start_urls:
            raise ValueError("the generic spider needs a start URL: -a start_url=URL (home page, sitemap or feed)")
        self.article_pattern = re.compile(article_pattern) if article_pattern else None
        self.max_depth = int(max_depth)
        self.revisit = str(revisit).lower() not in ("0", "false", "no", "")
        self._queued: set[str] = set()

    async def start(self):
        for request in self._requests(self.start_urls, self.parse_start, depth=0):
            yield request
        for request in self._requests(self._known_urls(), self.parse_page, depth=self.max_depth):
            yield request

    def _known_urls(self) -> list[str]:
        """Articles already archived for the start URLs' hosts."""
        if not self.revisit:
            return []
        path = Path(self.settings.get("ARCHIVE_DB"))
        if not path.exists():
            return []
        archive = Archive(path)
        try:
            return [url for site in {site_of(u) for u in self.start_urls} for url in archive.known_urls(site)]
        finally:
            archive.db.close()

    def _requests(self, urls, callback, depth: int, **meta):
        """Requests for those of ``urls`` not queued yet in this crawl.

        Checking before yielding is much cheaper than leaving it to the dupefilter.
        """
        for url in urls:
            key = canonical_url(url)
            if key in self._queued:
                continue
            self._queued.add(key)
            yield scrapy.Request(url, callback=callback, errback=self.failed, meta={"archiver_depth": depth, **meta})

    def parse_start(self, response):
        """A start URL: a sitemap, a feed or an HTML page."""
        kind = kind_of(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        if kind == "sitemap":
            yield from self.parse_sitemap(response)
        elif kind == "feed":
            yield from self._requests(feed_links(response.body, response.url), self.parse_page, self.max_depth)
        else:
            yield from self.parse_page(response)

    def parse_sitemap(self, response):
        """Article URLs of a sitemap; the sitemaps of a sitemap index."""
        kind, entries = sitemap_entries(response.body)
        urls = [entry["loc"] for entry in entries]
        if kind == "sitemapindex":
            yield from self._requests(urls, self.parse_start, depth=0)
        else:
            yield from self._requests(urls, self.parse_page, depth=self.max_depth, sitemap=True)

    def parse_page(self, response):
        """An HTML page: archive it if it is an article, follow its links if it is a listing."""
        if response.status != 200:
            yield Fetch(url=response.url, status=response.status, headers=_headers(response))
            return
        if kind_of(response.body, response.headers.get("Content-Type", b"").decode("latin-1")) != "html":
            yield from self.parse_start(response)
            return
        article = ArticlePage(response.url, response.body).to_article().to_dict()
        is_article = self.is_article(response, article)
        if is_article:
            yield Fetch(url=response.url, status=200, body=response.body, article=article, headers=_headers(response))
        if not is_article or response.meta.get("archiver_depth") == 0:
            yield from self.follow_links(response)

    def follow_links(self, response):
        """Requests for the same-host links of a listing page, up to ``max_depth``."""
        depth = response.meta.get("archiver_depth", 0)
        if depth >= self.max_depth:
            return
        yield from self._requests(page_links(response.body, response.url), self.parse_page, depth + 1)

    def is_article(self, response, article: dict) -> bool:
        """Whether a parsed page is an article (pattern, sitemap, or its own signals)."""
        if self.article_pattern is not None:
            return bool(self.article_pattern.search(response.url))
        body = article.get("body") or ""
        if not article.get("title") or len(body) < MIN_ARTICLE_CHARS:
            return False
        if article.get("page_type") == "listing":
            return False
        if response.meta.get("sitemap") or article.get("published") or article.get("page_type") == "article":
            return True
        return len(body) >= MIN_UNDATED_ARTICLE_CHARS

    def failed(self, failure):
        """A request that got no usable response: recorded as an error fetch."""
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            return None
        request = failure.request
        if failure.check(HttpError):
            response = failure.value.response
            return Fetch(url=request.url, status=response.status, headers=_headers(response), error=f"HTTP {response.status}")
        self.logger.warning("%s: %s", request.url, failure.getErrorMessage())
        return Fetch(url=request.url, status=0, error=f"{failure.type.__name__}: {failure.getErrorMessage()}")


def _headers(response) -> dict:
    """The response headers as a plain ``str`` dict."""
    return {
        key.decode("latin-1"): values[-1].decode("latin-1")
        for key, values in response.headers.items()
        if values
    }
