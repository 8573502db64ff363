"""Where the crawler reaches into Scrapy beyond its documented settings and signals.

One private hook is used: ``AutoThrottle._adjust_delay`` (overridden so that a 304 lowers
the delay as a 200 does). The engine's scheduler and closing a spider from outside a
callback use public APIs, wrapped here so that every use goes through one place.
``tests/test_scrapy_seams.py`` checks each against the installed Scrapy and fails with
the name of the seam when an upgrade moves it.
"""

from __future__ import annotations

import logging

from scrapy.extensions.throttle import AutoThrottle
from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)
#: Closings scheduled and not yet done: a task nobody references may be collected before it runs.
_closing: set = set()


class ConditionalAutoThrottle(AutoThrottle):
    """AutoThrottle that lets a 304 lower the delay, as a 200 does.

    Scrapy ignores faster non-200 responses because error pages are small and quick;
    a 304 is the healthy answer of a re-visit, and a re-crawl is mostly 304s. Without
    this, a conditional re-crawl stays at ``AUTOTHROTTLE_START_DELAY`` per request.
    """

    def _adjust_delay(self, slot, latency, response) -> None:
        super()._adjust_delay(slot, latency, response.replace(status=200) if response.status == 304 else response)


def scheduler_of(crawler):
    """The crawler's running scheduler, or None before the spider has started or after it closed."""
    return crawler.engine.scheduler if crawler.engine is not None else None


def close_spider_soon(crawler, reason: str) -> None:
    """Close the crawler's spider with ``reason`` as soon as the reactor gets to it (from any callback)."""
    deferred = deferred_from_coro(crawler.engine.close_spider_async(reason=reason))
    _closing.add(deferred)
    deferred.addErrback(lambda failure: logger.error("closing the spider failed: %s", failure.value))
    deferred.addBoth(lambda result: _closing.discard(deferred))
