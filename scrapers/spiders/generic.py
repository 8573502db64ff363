"""A spider for any news site: give it a configured site, or a home page, sitemap or feed.

    scrapy crawl generic -a site=cipherbrief              (a site of archiver.toml or sites/*.toml)
    scrapy crawl generic -a start_url=http://127.0.0.1:8000/sitemap.xml
    archiver crawl cipherbrief
    archiver crawl --start-url http://127.0.0.1:8000/

Discovery:

- a sitemap or sitemap index (gzipped or not), and the ``Sitemap:`` lines of a
  robots.txt, list the articles; a feed links them; from an HTML page the spider
  follows same-host links (``max_depth`` deep; with an article pattern, only
  article links and those matching the follow pattern);
- URLs not matching the article pattern are not requested from sitemaps and feeds.

Re-visits (see :mod:`archiver.plan.revisit`): known articles due under the revisit policy
are fetched again; a discovered known URL is skipped when its sitemap ``lastmod`` is
not newer than the last fetch, or (without one) when it is not due; every re-visit
is a conditional request, so an unchanged page is a 304. A crawl that stopped
before finishing (killed, or a page or time limit) is resumed: the URLs it fetched
are not fetched again.

Memory does not grow with the site: every URL the crawl took or skipped, and the
revisit state, are on disk (:class:`~scrapers.discovery.Frontier`, a temporary SQLite
file), and Scrapy's scheduler holds at most ``ARCHIVER_SCHEDULER_MAX`` of the spider's
requests: the rest wait in the frontier and are handed to the scheduler as it runs
empty (``scheduler_empty``). A sitemap's URLs and the known articles due for a
re-visit always go there first, all at once, so nothing of a sitemap stays in memory.

Every article page is parsed by :class:`archiver.parser.page.ArticlePage` and handed to the
pipeline as a :class:`archiver.archive.store.Fetch`.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.spidermiddlewares.httperror import HttpError

from archiver.parser.page import ArticlePage
from archiver.plan.revisit import ALWAYS, RevisitPolicy, Revisits, parse_time
from archiver.plan.sites import Site, available_sites
from archiver.archive.store import Archive, Fetch
from archiver.archive.urls import canonical_url, site_of
from scrapers.discovery import Frontier, feed_links, kind_of, page_links, robots_sitemaps, sitemap_entries, unzipped
from scrapers.parsepool import ParsePool
from scrapers.workers import WorkerStopped
from scrapers.failures import describe

#: Statuses the spider handles itself: 304 is "not modified", gone pages make tombstones.
HANDLED_STATUSES = [304, 404, 410]
MIN_ARTICLE_CHARS = 200
FALSE = ("0", "false", "no", "")


class GenericSpider(scrapy.Spider):
    """Discover articles from start URLs and archive every article page."""

    name = "generic"
    custom_settings = {"HTTPERROR_ALLOWED_CODES": HANDLED_STATUSES}

    def __init__(
        self,
        start_url: str | list[str] = "",
        article_pattern: str = "",
        max_depth: int | str = 3,
        revisit: str = ALWAYS,
        site: Site | str | None = None,
        incremental: str | bool = True,
        follow_pattern: str = "",
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(site, str) and site:
            site = _configured_site(site)
        self.site = site or None
        if self.site is not None:
            start_urls = list(self.site.start_urls)
            self.allowed_domains = list(self.site.allowed_domains)
            article_pattern, follow_pattern = self.site.article_pattern, self.site.follow_pattern
            max_depth, policy = self.site.max_depth, self.site.revisit
        else:
            start_urls = list(start_url) if isinstance(start_url, (list, tuple)) else [
                url for url in re.split(r"[,\s]+", start_url or "") if url  # scrapy crawl generic -a start_url=A,B
            ]
            policy = RevisitPolicy.parse(revisit)
        if not start_urls:
            raise ValueError("the generic spider needs a site or a start URL: -a site=NAME or -a start_url=URL")
        self.start_urls = start_urls
        self.article_pattern = re.compile(article_pattern) if article_pattern else None
        self.follow_pattern = re.compile(follow_pattern) if follow_pattern else None
        self.max_depth = int(max_depth)
        self.policy = policy
        self.incremental = str(incremental).lower() not in FALSE
        self.revisits = Revisits([], policy, incremental=self.incremental)
        self.frontier = Frontier()
        self.scheduler_max = 0
        self.parse_pool: ParsePool | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.site is not None:
            spider.user_agent = spider.site.agent(crawler.settings.get("USER_AGENT"))
        spider.parse_pool = ParsePool.from_crawler(crawler)
        # A shared scheduler (Redis) keeps its queue out of this process: hand it everything.
        if not crawler.settings.getbool("ARCHIVER_REDIS"):
            spider.scheduler_max = crawler.settings.getint("ARCHIVER_SCHEDULER_MAX")
        crawler.signals.connect(spider.feed_scheduler, signal=signals.scheduler_empty)
        crawler.signals.connect(spider.keep_open, signal=signals.spider_idle)
        return spider

    @property
    def crawl_name(self) -> str:
        """What the ``crawls`` table calls this crawl: the site's name, or the spider's."""
        return self.site.name if self.site is not None else self.name

    async def start(self):
        try:
            self._load_archive_state()
            starts = list(self._requests(self.start_urls, self.parse_start, depth=0))
            self._queue_due()
        except Exception as error:  # Scrapy closes the crawl with "start_error"; the command says why
            self.crawler.stats.set_value("archiver/start_error", str(error) or type(error).__name__)
            raise
        for request in starts:
            yield request
        while not self.scheduler_max and len(self.frontier):  # a shared scheduler takes them all
            for request in self._waiting(1000):
                yield request

    def _load_archive_state(self) -> None:
        """Read what the archive knows: re-visit state, and the URLs an unfinished crawl fetched (taken)."""
        path = Path(self.settings.get("ARCHIVE_DB"))
        if not path.exists():
            return
        with Archive(path) as archive:
            sites = dict.fromkeys(map(site_of, self.start_urls))
            rows = itertools.chain.from_iterable(archive.revisit_state(site) for site in sites)
            self.revisits.close()
            self.revisits = Revisits(rows, self.policy, incremental=self.incremental)
            resumed = sum(self.frontier.taken.add(canonical_url(url)) for url in self._resumed_urls(archive))
        self.crawler.stats.set_value("archiver/resumed", resumed)

    def _queue_due(self) -> None:
        """Queue the known articles due for a re-visit in the frontier (never skipped: taken now)."""
        for url in self.revisits.iter_due():
            if self.frontier.taken.add(canonical_url(url)):
                self.frontier.push(url, "parse_page", self.max_depth)

    def _resumed_urls(self, archive: Archive):
        """The URLs fetched by the unfinished crawls this one continues (same start URLs, recent), one at a time."""
        current = self.crawler.stats.get_value("archiver/crawl_id")
        window = timedelta(seconds=self.settings.getfloat("ARCHIVER_RESUME_WINDOW"))
        since = datetime.now(timezone.utc) - window
        crawls = [
            row["id"]
            for row in archive.unfinished_crawls(self.crawl_name, self.start_urls)
            if row["id"] != current and (parse_time(row["started"]) or since) >= since
        ]
        if crawls:
            yield from archive.fetched_urls(crawls)

    def _requests(self, urls, callback, depth: int, lastmods=None, later: bool = False, **meta):
        """Requests for those of ``urls`` not taken yet, nor skipped as unchanged or not due.

        Checking before yielding is much cheaper than leaving it to the dupefilter.
        ``lastmods`` maps URLs to their sitemap ``lastmod``; the articles the policy
        chose for a re-visit were taken at the start, so they are never skipped. When
        Scrapy's scheduler already holds ``ARCHIVER_SCHEDULER_MAX`` requests, a URL waits
        in the frontier instead (see :meth:`feed_scheduler`); with ``later``, every URL
        does (a sitemap's thousands: read at once, nothing of the response is kept).
        """
        later = later and bool(self.scheduler_max)
        stats = self.crawler.stats
        for url in urls:
            key = canonical_url(url)
            if key in self.frontier.taken:
                continue
            if self.revisits.skip(url, (lastmods or {}).get(url)):
                if self.frontier.skipped.add(key):
                    stats.inc_value("archiver/skipped")
                continue
            self.frontier.taken.add(key)
            if later or self._scheduler_full():
                self.frontier.push(url, callback.__name__, depth, meta)
            else:
                yield self._request(url, callback, depth, meta)

    def _request(self, url: str, callback, depth: int, meta: dict) -> scrapy.Request:
        """The request for a URL taken, conditional when the archive knows it."""
        headers = self.revisits.validators(url)
        if headers:
            self.crawler.stats.inc_value("archiver/conditional")
        return scrapy.Request(
            url, callback=self._in_worker(callback), errback=self.failed, headers=headers, meta={"archiver_depth": depth, **meta}
        )

    def _scheduler_full(self) -> bool:
        """Whether Scrapy's scheduler holds ``ARCHIVER_SCHEDULER_MAX`` requests or more (never, when 0)."""
        scheduler = self.crawler.engine.scheduler if self.crawler.engine is not None else None
        return bool(self.scheduler_max) and scheduler is not None and len(scheduler) >= self.scheduler_max

    def feed_scheduler(self) -> None:
        """``scheduler_empty``: hand the requests waiting longest in the frontier to the scheduler, up to its bound.

        The engine sends the signal when it has room for a download and the scheduler has
        none, so downloads go on while the frontier drains, ``ARCHIVER_SCHEDULER_MAX`` at a time.
        """
        engine = self.crawler.engine
        if engine is None or engine.scheduler is None or not len(self.frontier):
            return
        room = max(self.scheduler_max - len(engine.scheduler), 1) if self.scheduler_max else len(self.frontier)
        for request in self._waiting(room):
            engine.crawl(request)

    def _waiting(self, count: int):
        """Requests for the ``count`` URLs waiting longest in the frontier, taken off it."""
        for url, callback, depth, meta in self.frontier.pop(count):
            yield self._request(url, getattr(self, callback), depth, meta)

    def keep_open(self) -> None:
        """``spider_idle``: the crawl is not over while requests wait in the frontier."""
        if len(self.frontier):
            self.feed_scheduler()
            raise DontCloseSpider

    def closed(self, reason: str) -> None:
        """Delete the frontier's and the revisit state's temporary files."""
        self.frontier.close()
        self.revisits.close()

    def parse_start(self, response):
        """A start URL: a robots.txt, a sitemap, a feed or an HTML page."""
        if response.status == 200:
            self.crawler.stats.inc_value("archiver/start_ok")
        body = unzipped(response.body, self.settings.getint("DOWNLOAD_MAXSIZE"))
        kind = kind_of(body, response.headers.get("Content-Type", b"").decode("latin-1"), response.url)
        if kind == "robots":
            yield from self._requests(robots_sitemaps(body, response.url), self.parse_start, depth=0)
        elif kind == "sitemap":
            yield from self.parse_sitemap(body)
        elif kind == "feed":
            links = [url for url in feed_links(body, response.url) if self._may_be_article(url)]
            yield from self._requests(links, self.parse_page, self.max_depth)
        else:
            yield from self.parse_page(response)

    def parse_sitemap(self, body: bytes):
        """Article URLs of a sitemap (with their ``lastmod``); the sitemaps of a sitemap index."""
        kind, entries = sitemap_entries(body)
        if kind == "sitemapindex":
            yield from self._requests([entry["loc"] for entry in entries], self.parse_start, depth=0)
            return
        lastmods = {entry["loc"]: entry.get("lastmod") for entry in entries}
        urls = [url for url in lastmods if self._may_be_article(url)]
        yield from self._requests(urls, self.parse_page, depth=self.max_depth, lastmods=lastmods, later=True, sitemap=True)

    def parse_page(self, response, parsed: dict | None = None):
        """An HTML page: archive it if it is an article, follow its links if it is a listing."""
        if response.status != 200:
            yield self._fetch(response)
            return
        if kind_of(response.body[:2048], response.headers.get("Content-Type", b"").decode("latin-1")) != "html":
            yield from self.parse_start(response)
            return
        profile = self.site.profile if self.site is not None else None
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        article = parsed or ArticlePage(response.url, response.body, content_type, profile=profile).to_article().to_dict()
        is_article = self.is_article(response, article)
        if is_article:
            yield self._fetch(response, body=response.body, article=article, profile=profile)
        if not is_article or response.meta.get("archiver_depth") == 0:
            yield from self.follow_links(response)

    async def parse_page_in_worker(self, response):
        """:meth:`parse_page`, with the page parsed in a worker process (``ARCHIVER_PARSE_WORKERS``)."""
        parsed = None
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        if response.status == 200 and kind_of(response.body[:2048], content_type) == "html":
            profile = self.site.profile if self.site is not None else None
            try:
                parsed = await self.parse_pool.parse(response.url, response.body, content_type, profile)
            except WorkerStopped as error:  # the parser process died on this page (or was killed)
                self.logger.error("%s: %s", response.url, error)
                return [self._fetch(response, error=f"not parsed: {error}")]
        return list(self.parse_page(response, parsed))  # a list, not an async generator: less for Scrapy to drive

    def _in_worker(self, callback):
        """The callback to use: :meth:`parse_page_in_worker` for pages when a parse pool runs."""
        return self.parse_page_in_worker if self.parse_pool is not None and callback == self.parse_page else callback

    def follow_links(self, response):
        """Requests for the same-host links of a listing page, up to ``max_depth``."""
        depth = response.meta.get("archiver_depth", 0)
        if depth >= self.max_depth:
            return
        links = [url for url in page_links(response.body, response.url) if self._may_follow(url)]
        yield from self._requests(links, self.parse_page, depth + 1)

    def is_article(self, response, article: dict) -> bool:
        """Whether a parsed page is an article: the site's article pattern, else the parser's ``is_article``."""
        if self.article_pattern is not None:
            return bool(self.article_pattern.search(_path(response.url)))
        if not article.get("title") or len(article.get("body") or "") < MIN_ARTICLE_CHARS:
            return False
        return bool(article.get("is_article"))

    def _may_be_article(self, url: str) -> bool:
        """Whether a URL from a sitemap or feed is worth fetching: it matches the article pattern, if any."""
        return self.article_pattern is None or bool(self.article_pattern.search(_path(url)))

    def _may_follow(self, url: str) -> bool:
        """Whether a link of a listing page is followed: any, or (with an article pattern) articles and listings."""
        if self._may_be_article(url):
            return True
        return self.follow_pattern is not None and bool(self.follow_pattern.search(_path(url)))

    def failed(self, failure):
        """A request that got no usable response: recorded as an error fetch, with a readable reason.

        A redirected request is recorded at the URL first asked for. Only a request
        robots.txt forbids is dropped without a record.
        """
        if failure.check(HttpError):
            return self._fetch(failure.value.response, error=f"HTTP {failure.value.response.status}")
        reason = describe(failure)
        if reason is None:
            return None
        request = failure.request
        self.logger.warning("%s: %s", request.url, reason)
        chain = [*request.meta.get("redirect_urls", []), request.url]
        response = getattr(failure.value, "response", None)
        return Fetch(
            url=chain[0], status=response.status if response is not None else 0, redirects=chain[1:],
            headers=_headers(response) if response is not None else {}, error=reason,
        )

    def _fetch(self, response, **fields) -> Fetch:
        """The :class:`Fetch` item for a response."""
        redirects = list(response.meta.get("redirect_urls", [])) if response.request is not None else []
        return Fetch(url=response.url, status=response.status, headers=_headers(response), redirects=redirects, **fields)


def _configured_site(name: str) -> Site:
    """The site called ``name`` in the default site files, or shipped with archiver."""
    sites = available_sites()
    if name not in sites:
        raise ValueError(f"no site {name!r} in archiver.toml, sites/*.toml or shipped (sites: {', '.join(sites)})")
    return sites[name]


def _path(url: str) -> str:
    """The path and query of a URL: what article and follow patterns are searched in."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _headers(response) -> dict:
    """The response headers as a plain ``str`` dict."""
    return {
        key.decode("latin-1"): values[-1].decode("latin-1")
        for key, values in response.headers.items()
        if values
    }
