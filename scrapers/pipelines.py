"""Hand every fetched page to the archive, in batches, and keep the crawl's record."""

from __future__ import annotations

import logging
from collections import deque

from scrapy import signals
from twisted.internet import defer, task

from archiver.plan.lock import CrawlLock, LockHeld, held_here
from archiver.archive.store import Archive, ArchiveError, Fetch
from scrapers.extensions import archive_failed
from scrapers.workers import WorkerProcess, WorkerStopped

logger = logging.getLogger(__name__)
#: With a writer process: batches sent and not yet written before new items wait for it.
BATCHES_IN_FLIGHT = 3


class ArchiveWriter:
    """The writer process's side: ``(crawl_id, fetches)`` -> their outcomes, one transaction."""

    def __init__(self, db_path: str):
        self.archive = Archive(db_path)

    def __call__(self, request) -> list[str]:
        crawl_id, fetches = request
        return self.archive.record_batch(fetches, crawl_id)

    def close(self) -> None:
        self.archive.close()


class ArchivePipeline:
    """Record each :class:`~archiver.archive.store.Fetch` item in the archive at ``ARCHIVE_DB``.

    Items are written in batches, one transaction per batch: when ``ARCHIVER_BATCH_SIZE``
    items wait, every ``ARCHIVER_BATCH_SECONDS``, and when the spider closes. A crawl
    killed meanwhile loses at most the uncommitted batch, never a committed version, and
    the next crawl fetches those pages again (it resumes from what the archive holds).

    With ``ARCHIVER_WRITER_PROCESS``, batches are written by one writer process
    (:class:`ArchiveWriter`, over pipes: :mod:`scrapers.workers`) while the crawl goes
    on; while ``BATCHES_IN_FLIGHT`` batches wait for it, new items wait too, so a slow disk
    slows the crawl instead of filling memory.
    """

    def __init__(self, db_path: str, crawler=None, batch_size: int = 1, batch_seconds: float = 0.0,
                 writer_process: bool = False):
        self.db_path = db_path
        self.crawler = crawler
        self.batch_size = max(1, batch_size)
        self.batch_seconds = batch_seconds
        self.writer_process = writer_process
        self.archive: Archive | None = None
        self.crawl_id: int | None = None
        self.pending: list[Fetch] = []
        self.writer: WorkerProcess | None = None
        self.in_flight: deque[defer.Deferred] = deque()
        self.lock: CrawlLock | None = None
        self._timer: task.LoopingCall | None = None
        self._closed: defer.Deferred | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        pipeline = cls(
            settings.get("ARCHIVE_DB"),
            crawler,
            batch_size=settings.getint("ARCHIVER_BATCH_SIZE", 1),
            batch_seconds=settings.getfloat("ARCHIVER_BATCH_SECONDS", 0.0),
            writer_process=settings.getbool("ARCHIVER_WRITER_PROCESS"),
        )
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        name = getattr(spider, "crawl_name", spider.name)  # a configured site's name
        try:
            if not held_here(self.db_path):  # a plain ``scrapy crawl``: one crawl per archive all the same
                self.lock = CrawlLock(self.db_path).acquire()
            self.archive = Archive(self.db_path)
            self.crawl_id = self.archive.start_crawl(name, list(getattr(spider, "start_urls", [])))
        except Exception as error:
            self.archive = None  # nothing will be written; the crawl stops with one clear line
            if isinstance(error, LockHeld):
                logger.error("%s", error)
                error = ArchiveError(str(error))
            if archive_failed(self.crawler, error):
                return
            raise
        self.crawler.stats.set_value("archiver/crawl_id", self.crawl_id)
        if self.writer_process:
            from twisted.internet import reactor

            self.writer = WorkerProcess(f"{__name__}:ArchiveWriter", self.db_path).start()
            # Ctrl-C while the crawl closes stops the reactor without waiting for the spider's
            # close: the writer still finishes what it was sent and the crawl's record is closed
            reactor.addSystemEventTrigger("before", "shutdown", self._close_writer, "shutdown")
        if self.batch_size > 1 and self.batch_seconds > 0:
            self._timer = task.LoopingCall(self.flush)
            self._timer.start(self.batch_seconds, now=False)

    def process_item(self, item):
        if not isinstance(item, Fetch):
            return item
        if len(self.in_flight) >= BATCHES_IN_FLIGHT:  # the writer is behind: this item waits for it
            waiting = defer.Deferred()
            self.in_flight[0].addBoth(lambda result: (waiting.callback(item), result)[1])
            return waiting.addCallback(self.process_item)
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        """Write the waiting items in one transaction (in the writer process, if there is one)."""
        if not self.pending or self.archive is None:
            return
        batch, self.pending = self.pending, []
        if self.writer is not None:
            self._send(batch)
            return
        try:
            outcomes = self.archive.record_batch(batch, self.crawl_id)
        except Exception as error:
            if archive_failed(self.crawler, error):  # disk full, read-only: the crawl stops, one clear line
                return
            raise
        self._count(outcomes, batch)

    def _send(self, batch: list[Fetch]) -> None:
        """Hand a batch to the writer process; count its outcomes when they come back."""
        written = self.writer.call((self.crawl_id, batch))
        for item in batch:
            item.body = b""  # sent; do not keep it in memory
        self.in_flight.append(written)
        written.addCallbacks(self._count, self._write_failed, callbackArgs=(batch,))
        written.addBoth(lambda result: (self.in_flight.remove(written), result)[1])

    def _write_failed(self, failure) -> None:
        """A batch the writer could not write: stop the crawl for archive errors, else log it."""
        error = failure.value
        if isinstance(error, WorkerStopped):
            error = ArchiveError(str(error))
        if not archive_failed(self.crawler, error):
            logger.error("a batch was not archived: %s", failure.getErrorMessage())

    def _count(self, outcomes: list[str], batch: list[Fetch]) -> None:
        """Count a written batch's outcomes in the stats."""
        for item, outcome in zip(batch, outcomes):
            self.crawler.stats.inc_value(f"archiver/{outcome}")
            if outcome == "error":
                logger.warning("%s: %s", item.url, item.error or f"HTTP {item.status}")
            item.body = b""  # the raw page is stored; do not keep it in memory

    def spider_closed(self, spider, reason: str) -> defer.Deferred | None:
        if self.archive is None:
            return None
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self.writer is not None:
            return self._close_writer(reason)  # it sends what waits
        self.flush()
        self._finish(reason)
        return None

    def _close_writer(self, reason: str) -> defer.Deferred:
        """Send what waits, let the writer write it and stop, then close the crawl's record (once);
        a Deferred that fires when done."""
        if self._closed is None:
            self.flush()
            self._closed = defer.DeferredList(list(self.in_flight))
            self._closed.addCallback(lambda _: self.writer.close())
            self._closed.addCallback(lambda _: self._finish(reason))
        done = defer.Deferred()
        self._closed.addBoth(lambda result: (done.callback(None), result)[1])
        return done

    def _finish(self, reason: str) -> None:
        """Close the crawl's record, and let go of the lock taken in :meth:`open_spider`."""
        status = "finished" if reason == "finished" else f"stopped: {reason}"
        try:
            record = self.archive.finish_crawl(self.crawl_id, status)
        except Exception as error:
            if archive_failed(self.crawler, error):
                return
            raise
        finally:
            if self.lock is not None:
                self.lock.release()
        self.crawler.stats.set_value("archiver/crawl", record)
