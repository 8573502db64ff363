"""Parse article pages in worker processes, off the reactor's thread.

Parsing a page takes a few milliseconds of pure Python: in the crawling process it
holds the GIL and the reactor with it. With ``ARCHIVER_PARSE_WORKERS = N`` (N > 0) the
generic spider sends each HTML page to the least busy of N worker processes
(:mod:`scrapers.workers`) and awaits the article record; the reactor keeps
downloading and storing meanwhile. Workers start at the first page and stop with the
spider.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer

from scrapers.workers import WorkerProcess, WorkerStopped


class Parser:
    """The worker's side: ``(url, body, content_type, profile)`` -> the article record."""

    def __init__(self):
        from archiver.parser.page import ArticlePage

        self.page = ArticlePage

    def __call__(self, request) -> dict:
        url, body, content_type, profile = request
        return self.page(url, body, content_type, profile=profile).to_article().to_dict()


#: Pages sent to one worker and not parsed yet before the next page waits: enough to keep
#: it busy, few enough that a slow worker does not pile pages up in the crawling process.
PAGES_IN_FLIGHT = 32


class ParsePool:
    """A pool of parsing processes, closed when the spider closes."""

    def __init__(self, workers: int):
        self.workers = workers
        self._processes: list[WorkerProcess] = []
        self._slots = defer.DeferredSemaphore(PAGES_IN_FLIGHT * workers)

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
        """Parse in a worker; the article record.

        A worker that dies (killed, or crashed by a page) is replaced, and the pages it held
        are tried once more on another: a page that kills two workers raises
        :class:`~scrapers.workers.WorkerStopped`.
        """
        await maybe_deferred_to_future(self._slots.acquire())
        try:
            for attempt in (1, 2):
                try:
                    return await maybe_deferred_to_future(self._worker().call((url, body, content_type, profile)))
                except WorkerStopped:
                    if attempt == 2:
                        raise
        finally:
            self._slots.release()

    def _worker(self) -> WorkerProcess:
        """The least busy live worker; the workers are started at the first page, and replaced when they die."""
        self._processes = [process for process in self._processes if process.exit_reason is None]
        while len(self._processes) < self.workers:
            self._processes.append(WorkerProcess(f"{__name__}:Parser").start())
        return min(self._processes, key=lambda process: process.pending)

    def close(self) -> defer.Deferred:
        """Stop the workers (each finishes the page it holds); fires when they have ended."""
        processes, self._processes = self._processes, []
        return defer.DeferredList([process.close() for process in processes])
