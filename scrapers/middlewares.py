"""Middlewares: retries that back off when the site asks us to, and guards.

Downloader middlewares, in the order a request meets them:

- :class:`NetGuardMiddleware` (40, before robots.txt is asked): refuses URLs off the
  site, to private or loopback addresses, or not http(s) (:mod:`archiver.plan.netguard`),
  before any connection;
- :class:`BackoffRetryMiddleware` (550): retries, waiting on 429/503;
- :class:`ContentGuardMiddleware` (585, after decompression): refuses empty bodies and
  what is not a page, a sitemap or a feed (images, PDFs, binary data sent as ``text/html``);
- :class:`RedirectGuardMiddleware` (650, before redirects are followed): refuses redirect
  loops, long chains and redirects to where the site may not go.

Every refusal is a :class:`~scrapers.failures.Refused` with a readable reason; the spider's
errback records it as an error fetch. :class:`RecordErrorsMiddleware` (a spider middleware)
records a page whose callback raised, so no page is lost silently.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet.threads import deferToThread
from w3lib.url import safe_url_string

from archiver.plan.netguard import NetGuard, resolver_from_setting, system_resolver
from archiver.archive.store import Fetch
from scrapers.failures import Refused

logger = logging.getLogger(__name__)


def retry_after(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay in seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, but a 429 or 503 is retried only after a wait.

    The wait is the response's ``Retry-After`` when it has one, else
    ``RETRY_BACKOFF_BASE * 2 ** retries``. A ``Retry-After`` longer than
    ``RETRY_BACKOFF_MAX`` gives up at once (the page is recorded as an error). The
    site's download slot waits as long between requests meanwhile, so the whole site
    backs off, not only this page.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_codes = {int(code) for code in settings.getlist("RETRY_BACKOFF_HTTP_CODES")}
        self.base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.max_wait = settings.getfloat("RETRY_BACKOFF_MAX")

    async def process_response(self, request, response, spider=None):
        if response.status not in self.backoff_codes or request.meta.get("dont_retry", False):
            return super().process_response(request, response)
        wait = self.wait(request, response)
        if wait > self.max_wait:
            logger.warning("%s: Retry-After %.0f s is longer than %.0f s; not retrying", request.url, wait, self.max_wait)
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        self.crawler.stats.inc_value("retry/backoff_seconds", wait)
        slot = self._slot(request)
        previous = slot.delay if slot else None
        if slot is not None:
            slot.delay = max(previous, wait)  # the whole site waits, not only this page
        await sleep(wait)
        if slot is not None and slot.delay == max(previous, wait):  # unless AutoThrottle changed it since
            slot.delay = previous
        return retry

    def wait(self, request, response) -> float:
        """Seconds to wait before retrying: the server's ``Retry-After``, or an exponential back-off."""
        asked = retry_after(response.headers.get("Retry-After"))
        if asked is not None:
            return asked
        return min(self.max_wait, self.base * 2 ** request.meta.get("retry_times", 0))

    def _slot(self, request):
        """The download slot (one per site) of a request, or None."""
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        return downloader.slots.get(request.meta.get("download_slot")) if downloader else None


class NetGuardMiddleware:
    """Refuse, before any connection, a request the site's :class:`~archiver.plan.netguard.NetGuard` forbids.

    Replaces Scrapy's ``OffsiteMiddleware``: off-site requests are refused with a reason
    and recorded, not dropped silently. ``ARCHIVER_HOSTS`` (a JSON object, host ->
    address) answers name look-ups instead of DNS, for tests.
    """

    def __init__(self, stats, resolver=system_resolver, spider=None):
        self.stats = stats
        self.resolver = resolver
        self.guard: NetGuard | None = guard_for(spider, resolver) if spider is not None else None
        self._spider = lambda: spider

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler.stats, resolver_from_setting(crawler.settings.get("ARCHIVER_HOSTS")))
        middleware._spider = lambda: crawler.spider  # start requests may come before spider_opened
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider) -> None:
        self.guard = guard_for(spider, self.resolver)

    async def process_request(self, request):
        guard = self.guard or guard_for(self._spider(), self.resolver)
        if guard.needs_lookup(request.url):  # a name look-up blocks: not in the reactor's thread
            reason = await maybe_deferred_to_future(deferToThread(guard.refusal, request.url))
        else:
            reason = guard.refusal(request.url)
        if reason is not None:
            self.stats.inc_value("archiver/refused")
            if request.meta.get("redirect_urls"):
                reason = f"redirect to {request.url} {reason}"
            raise Refused(reason)
        return None


def guard_for(spider, resolver) -> NetGuard:
    """The guard of a spider: its start URLs' hosts and its ``allowed_domains``."""
    return NetGuard(getattr(spider, "start_urls", ()), getattr(spider, "allowed_domains", None) or (), resolver)


class RedirectGuardMiddleware:
    """Refuse a redirect that loops, goes on too long, or leads where the site may not go.

    Sees a 3xx before Scrapy's ``RedirectMiddleware`` follows it, so a refused target is
    never requested; at most ``REDIRECT_MAX_TIMES`` redirects are followed.
    """

    def __init__(self, max_times: int):
        self.max_times = max_times

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("REDIRECT_MAX_TIMES"))

    def process_response(self, request, response):
        location = response.headers.get("Location")
        if response.status not in (301, 302, 303, 307, 308) or not location or request.meta.get("dont_redirect"):
            return response
        target = urljoin(request.url, safe_url_string(location.decode("latin-1")))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise Refused(f"refused: redirect loop ({' -> '.join(chain + [target])})", response)
        if len(chain) > self.max_times:
            raise Refused(f"refused: too many redirects ({len(chain)}, at most {self.max_times})", response)
        return response


class ContentGuardMiddleware:
    """Refuse an answer that is not a page, a sitemap or a feed: recorded, never parsed.

    Only for the spider's own requests (robots.txt is Scrapy's business), and only for
    200 answers; it sees bodies after ``Content-Encoding`` was undone.
    """

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_response(self, request, response):
        if response.status != 200 or "archiver_depth" not in request.meta:
            return response
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        reason = content_refusal(content_type, response.body)
        if reason is not None:
            raise Refused(reason, response)
        return response


#: Media types the crawler reads: pages, sitemaps, feeds, robots.txt, gzipped sitemaps.
READABLE = ("text/html", "application/xhtml+xml", "text/xml", "application/xml", "text/plain")
GZIPPED = ("application/gzip", "application/x-gzip", "application/octet-stream")
#: Leading bytes of formats that are never pages.
MAGIC = (
    (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive"), (b"\x1f\x8b", "gzip data"),
    (b"RIFF", "RIFF media"), (b"\x7fELF", "a program"), (b"\x00\x00\x00", "binary data"),
)


def content_refusal(content_type: str, body: bytes) -> str | None:
    """Why a 200 answer is not read (``skipped: ...``), or None when it is a page, sitemap or feed."""
    media = content_type.split(";", 1)[0].strip().lower()
    if not body.strip():
        return "skipped: empty body"
    if media in GZIPPED:
        return None if body[:2] == b"\x1f\x8b" else f"skipped: not a page (Content-Type {media})"
    if media and media not in READABLE and not media.endswith("+xml"):
        return f"skipped: not a page (Content-Type {media})"
    if body[:2] == b"\x1f\x8b" and media not in ("text/html", "application/xhtml+xml"):
        return None  # a gzipped sitemap served as XML or without a type
    head = body[:1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return None  # a byte-order mark: UTF-16 text has zero bytes
    for magic, what in MAGIC:
        if head.startswith(magic):
            return f"skipped: {what}, sent as {media or 'no Content-Type'}"
    if b"\x00" in head:
        return f"skipped: binary data, sent as {media or 'no Content-Type'}"
    return None


class RecordErrorsMiddleware:
    """A spider middleware: a page whose callback raised is recorded as an error fetch, and the crawl goes on."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_spider_exception(self, response, exception):
        logger.warning("%s: %s: %s", response.url, type(exception).__name__, exception)
        reason = f"not parsed: {type(exception).__name__}: {exception}"[:500]
        return [Fetch(url=response.url, status=response.status, error=reason)]
