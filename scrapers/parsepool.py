"""Parse article pages in worker processes, off the reactor's thread.

Parsing a page takes a few milliseconds of pure Python: in the crawling process it
holds the GIL and the reactor with it. With ``ARCHIVER_PARSE_WORKERS = N`` (N > 0) the
generic spider sends each HTML page to one of N worker processes and awaits the
article record; the reactor keeps downloading and storing meanwhile. Workers start
(``spawn``: no fork of a running reactor) at the first page and stop with the spider.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from scrapy import signals


def parse(url: str, body: bytes, content_type: str, profile) -> dict:
    """The article record of a page, as the spider's in-process parse makes it."""
    from archiver.page import ArticlePage

    return ArticlePage(url, body, content_type, profile=profile).to_article().to_dict()


def _warm() -> None:
    """Import the parser once per worker, before the first page."""
    import archiver.page  # noqa: F401


class ParsePool:
    """A pool of parsing processes, closed when the spider closes."""

    def __init__(self, workers: int):
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler) -> ParsePool | None:
        """The pool ``ARCHIVER_PARSE_WORKERS`` asks for, or None (parse in the crawling process)."""
        workers = crawler.settings.getint("ARCHIVER_PARSE_WORKERS", 0)
        if workers <= 0:
            return None
        pool = cls(workers)
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    async def parse(self, url: str, body: bytes, content_type: str, profile=None) -> dict:
        """Parse in a worker; the article record."""
        if self._executor is None:
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_warm)
        return await asyncio.wrap_future(self._executor.submit(parse, url, body, content_type, profile))

    def close(self) -> None:
        """Stop the workers."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
