"""Hand every fetched page to the archive, and keep the crawl's record."""

from __future__ import annotations

import logging

from scrapy import signals

from archiver.store import Archive, Fetch

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """Record each :class:`~archiver.store.Fetch` item in the archive at ``ARCHIVE_DB``."""

    def __init__(self, db_path: str, crawler=None):
        self.db_path = db_path
        self.crawler = crawler
        self.archive: Archive | None = None
        self.crawl_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.settings.get("ARCHIVE_DB"), crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.archive = Archive(self.db_path)
        name = getattr(spider, "crawl_name", spider.name)  # a configured site's name
        self.crawl_id = self.archive.start_crawl(name, list(getattr(spider, "start_urls", [])))
        self.crawler.stats.set_value("archiver/crawl_id", self.crawl_id)

    def process_item(self, item):
        if not isinstance(item, Fetch):
            return item
        outcome = self.archive.record(item, self.crawl_id)
        self.crawler.stats.inc_value(f"archiver/{outcome}")
        if outcome == "error":
            logger.warning("%s: %s", item.url, item.error or f"HTTP {item.status}")
        item.body = b""  # the raw page is stored; do not keep it in memory
        return item

    def spider_closed(self, spider, reason: str) -> None:
        if self.archive is None:
            return
        status = "finished" if reason == "finished" else f"stopped: {reason}"
        record = self.archive.finish_crawl(self.crawl_id, status)
        self.crawler.stats.set_value("archiver/crawl", record)
