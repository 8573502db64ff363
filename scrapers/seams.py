"""Where the crawler reaches into Scrapy beyond its documented settings and signals.

One private hook is used: ``AutoThrottle._adjust_delay`` (overridden so that a 304 lowers
the delay as a 200 does). The engine's scheduler and closing a spider from outside a
callback use public APIs, wrapped here so that every use goes through one place; so does
:class:`Interrupts`, which wraps the signal handlers ``CrawlerProcess`` installs.
``tests/test_scrapy_seams.py`` checks each against the installed Scrapy and fails with
the name of the seam when an upgrade moves it.
"""

from __future__ import annotations

import functools
import logging
import os
import signal
import sys

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


class Interrupts:
    """Ctrl-C answered at once on stderr, on top of Scrapy's own handling of SIGINT and SIGTERM.

    ``CrawlerProcess`` installs its handlers once the reactor runs: the first signal closes
    the crawls after the pages in flight, the second stops the reactor now. :meth:`watch`
    wraps them (after Scrapy has installed them) so that a Ctrl-C says so at once, and
    :attr:`received` keeps the signals, for the exit status.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)
    FIRST = "stopping after the pages in flight — Ctrl-C again to stop now"
    SECOND = "stopping now"

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.received: list[int] = []

    def watch(self, reactor) -> None:
        """Wrap Scrapy's handlers once the reactor runs (its own are installed as it starts)."""
        reactor.callWhenRunning(reactor.callLater, 0, self._wrap)

    def _wrap(self) -> None:
        for signum in self.SIGNALS:
            handler = signal.getsignal(signum)
            if callable(handler):
                signal.signal(signum, functools.partial(self._received, handler))

    def _received(self, handler, signum, frame) -> None:
        self.received.append(signum)
        handler(signum, frame)  # Scrapy's: it installs its next handler (stop now, then ignore)
        if len(self.received) == 1:
            self._wrap()  # before saying so: a Ctrl-C in answer to the line reaches this wrapper
        if signum == signal.SIGINT:
            self._say(self.FIRST if len(self.received) == 1 else self.SECOND)

    def _say(self, text: str) -> None:
        """One line on stderr, written straight to the file (a signal may land in the middle of a write)."""
        try:
            terminal = self.stream.isatty()
            os.write(self.stream.fileno(), (("\r\033[K" if terminal else "") + text + "\n").encode())
        except (OSError, ValueError):
            pass
