"""Downloader middlewares: retries that back off when the site asks us to."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message

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
