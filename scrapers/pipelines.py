"""Hand every fetched page to the archive, in batches, and keep the crawl's record."""

from __future__ import annotations

import logging

from scrapy import signals
from twisted.internet import task

from archiver.store import Archive, Fetch
from scrapers.extensions import archive_failed

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """Record each :class:`~archiver.store.Fetch` item in the archive at ``ARCHIVE_DB``.

    Items are written in batches, one transaction per batch: when ``ARCHIVER_BATCH_SIZE``
    items wait, every ``ARCHIVER_BATCH_SECONDS``, and when the spider closes. A crawl
    killed meanwhile loses at most the uncommitted batch, never a committed version, and
    the next crawl fetches those pages again (it resumes from what the archive holds).
    """

    def __init__(self, db_path: str, crawler=None, batch_size: int = 1, batch_seconds: float = 0.0):
        self.db_path = db_path
        self.crawler = crawler
        self.batch_size = max(1, batch_size)
        self.batch_seconds = batch_seconds
        self.archive: Archive | None = None
        self.crawl_id: int | None = None
        self.pending: list[Fetch] = []
        self._timer: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        pipeline = cls(
            settings.get("ARCHIVE_DB"),
            crawler,
            batch_size=settings.getint("ARCHIVER_BATCH_SIZE", 1),
            batch_seconds=settings.getfloat("ARCHIVER_BATCH_SECONDS", 0.0),
        )
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        name = getattr(spider, "crawl_name", spider.name)  # a configured site's name
        try:
            self.archive = Archive(self.db_path)
            self.crawl_id = self.archive.start_crawl(name, list(getattr(spider, "start_urls", [])))
        except Exception as error:
            self.archive = None  # nothing will be written; the crawl stops with one clear line
            if archive_failed(self.crawler, error):
                return
            raise
        self.crawler.stats.set_value("archiver/crawl_id", self.crawl_id)
        if self.batch_size > 1 and self.batch_seconds > 0:
            self._timer = task.LoopingCall(self.flush)
            self._timer.start(self.batch_seconds, now=False)

    def process_item(self, item):
        if not isinstance(item, Fetch):
            return item
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        """Write the waiting items in one transaction."""
        if not self.pending or self.archive is None:
            return
        batch, self.pending = self.pending, []
        try:
            outcomes = self.archive.record_batch(batch, self.crawl_id)
        except Exception as error:
            if archive_failed(self.crawler, error):  # disk full, read-only: the crawl stops, one clear line
                return
            raise
        for item, outcome in zip(batch, outcomes):
            self.crawler.stats.inc_value(f"archiver/{outcome}")
            if outcome == "error":
                logger.warning("%s: %s", item.url, item.error or f"HTTP {item.status}")
            item.body = b""  # the raw page is stored; do not keep it in memory

    def spider_closed(self, spider, reason: str) -> None:
        if self.archive is None:
            return
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.flush()
        status = "finished" if reason == "finished" else f"stopped: {reason}"
        try:
            record = self.archive.finish_crawl(self.crawl_id, status)
        except Exception as error:
            if archive_failed(self.crawler, error):
                return
            raise
        self.crawler.stats.set_value("archiver/crawl", record)
