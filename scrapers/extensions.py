"""Extensions: a progress line on a terminal, a duplicate filter on disk, a stop when the archive fails.

(AutoThrottle that trusts 304s is in :mod:`scrapers.seams`, with the other reaches into Scrapy.)
"""

from __future__ import annotations

import sqlite3
import sys
import time

from scrapy import signals
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from archiver.archive.store import ArchiveError
from scrapers.discovery import KeySet
from scrapers.seams import close_spider_soon, scheduler_of

#: Outcome counters kept by the pipeline, in the order the line shows them.
COUNTERS = ("new", "changed", "unchanged", "not_modified", "removed", "error")


class CompactDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter, with the fingerprints of the requests seen on disk (:class:`KeySet`), not in memory.

    The same decisions as :class:`~scrapy.dupefilters.RFPDupeFilter` (same fingerprints),
    without a set in memory that grows by one fingerprint per request. With ``JOBDIR``
    (Scrapy's own pause and resume) it is Scrapy's filter, unchanged.
    """

    def __init__(self, path=None, debug=False, *, fingerprinter=None):
        super().__init__(path, debug, fingerprinter=fingerprinter)
        self.seen = KeySet() if self.file is None else None

    def request_seen(self, request) -> bool:
        if self.seen is None:
            return super().request_seen(request)
        return not self.seen.add(self.fingerprinter.fingerprint(request))

    def close(self, reason: str) -> None:
        if self.seen is not None:
            self.seen.close()
        super().close(reason)


class Progress:
    """One line on stderr, rewritten every ``ARCHIVER_PROGRESS_INTERVAL`` seconds, for every running crawl.

    ``generic: 120 pages (100 new, 18 unchanged), 2 errors, 45 queued, 1:05`` : pages done
    (by outcome), errors, requests waiting (Scrapy's scheduler and the spider's frontier) and
    the time since the crawl started. Enabled by ``ARCHIVER_PROGRESS`` (``archiver crawl``
    sets it when stderr is a terminal), so runs from cron stay quiet.
    """

    running: dict[str, "Progress"] = {}

    def __init__(self, stats, interval: float, stream=None, queued=None):
        self.stats = stats
        self.interval = interval
        self.stream = stream or sys.stderr
        self.queued = queued or (lambda: 0)
        self.name = ""
        self.task = None
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("ARCHIVER_PROGRESS"):
            raise NotConfigured
        progress = cls(crawler.stats, crawler.settings.getfloat("ARCHIVER_PROGRESS_INTERVAL"),
                       queued=lambda: queued(crawler))
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self, spider) -> None:
        self.name = getattr(spider, "crawl_name", spider.name)
        self.started = time.monotonic()
        Progress.running[self.name] = self
        self.task = create_looping_call(self.show)
        self.task.start(self.interval, now=False)

    def spider_closed(self, spider) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        Progress.running.pop(self.name, None)
        self.stream.write("\r\033[K")
        self.stream.flush()

    def line(self) -> str:
        """``name: N pages (a new, b changed, ...), E errors, Q queued[, S skipped], m:ss`` for this crawl."""
        stats = self.stats.get_stats()
        counts = {name: stats.get(f"archiver/{name}", 0) for name in COUNTERS}
        errors = counts.pop("error")
        parts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items() if n)
        skipped = stats.get("archiver/skipped", 0)
        return (
            f"{self.name}: {sum(counts.values()) + errors} pages" + (f" ({parts})" if parts else "")
            + f", {errors} errors, {self.queued()} queued" + (f", {skipped} skipped" if skipped else "")
            + f", {elapsed(time.monotonic() - self.started)}"
        )

    def show(self) -> None:
        """Rewrite the progress line with every running crawl."""
        self.stream.write("\r\033[K" + " | ".join(p.line() for p in Progress.running.values()))
        self.stream.flush()


def queued(crawler) -> int:
    """The requests a crawl has waiting: in Scrapy's scheduler and in the spider's frontier on disk."""
    scheduler = scheduler_of(crawler)
    frontier = getattr(getattr(crawler, "spider", None), "frontier", None)
    return (len(scheduler) if scheduler is not None else 0) + (len(frontier) if frontier is not None else 0)


def elapsed(seconds: float) -> str:
    """``0:42``, ``12:05`` or ``1:02:03``: hours only when there are some."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class StopOnArchiveError:
    """Stop the crawl at the first item the archive cannot store (disk full, read-only, locked).

    Every later page would fail the same way and be lost; the reason goes into the stats as
    ``archiver/archive_error``, and ``archiver crawl`` reports it on one line and exits 1.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        return extension

    def item_error(self, item, response, spider, failure) -> None:
        archive_failed(self.crawler, failure.value)


def archive_failed(crawler, error: BaseException) -> bool:
    """Stop the crawl because the archive cannot be written (``error``); False for other errors.

    For a pipeline that writes outside ``process_item`` (a batch flushed on a timer or at
    close): call it with the error instead of letting it escape.
    """
    if not isinstance(error, (sqlite3.Error, OSError, ArchiveError)):
        return False
    if not crawler.stats.get_value("archiver/archive_error"):
        crawler.stats.set_value("archiver/archive_error", f"cannot write the archive: {error}")
        close_spider_soon(crawler, "archive_error")
    return True
