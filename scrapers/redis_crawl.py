"""Crawl with many processes, on many machines, sharing one frontier in Redis (scrapy-redis).

``archiver crawl --redis redis://HOST:PORT/N`` runs the usual spider with:

- scrapy-redis's scheduler and duplicate filter: every process takes requests from one
  queue in Redis and never schedules a request any of them has seen;
- :class:`LeasedQueue`: a request taken from the queue is *leased*, not deleted, until
  its response has been handled (its articles handed over, its links queued); a crawler
  that dies leaves leases that expire after ``ARCHIVER_REDIS_LEASE`` seconds and are
  handed to another crawler: nothing is lost;
- :class:`Handoff`: article pages go to the Redis list ``archiver:fetches`` as JSON
  (:func:`archiver.archive.ingest.encode`), for the one ``archiver ingest`` process that writes
  the archive; no crawler touches SQLite;
- :class:`WaitForFrontier`: a crawler stays up while the shared frontier is not empty or
  other crawlers still hold leases, and closes when all is quiet for
  ``ARCHIVER_REDIS_IDLE`` seconds; the last one out clears the duplicate filter, so the
  next run starts afresh.
"""

from __future__ import annotations

import time
import uuid

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.queue import Base

from archiver.plan.crawls import CrawlError
from archiver.archive.ingest import FETCH_QUEUE, connect, encode
from archiver.archive.store import Fetch
from scrapers.seams import scheduler_of

KEY_PREFIX = "archiver"
LEASE_SECONDS = 120.0
IDLE_SECONDS = 5.0

#: Take the oldest expired lease, else the first queued request, and lease it (atomically).
_POP = """
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, 1)
local member = expired[1]
if not member then
  local popped = redis.call('ZPOPMIN', KEYS[1])
  member = popped[1]
end
if member then redis.call('ZADD', KEYS[2], ARGV[2], member) end
return member
"""


def use_redis(settings, url: str) -> None:
    """Make a crawl with these Scrapy ``settings`` share its frontier in Redis at ``url``; items go there too."""
    values = {
        "REDIS_URL": url,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_QUEUE_CLASS": "scrapers.redis_crawl.LeasedQueue",
        "SCHEDULER_QUEUE_KEY": f"{KEY_PREFIX}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{KEY_PREFIX}:%(spider)s:dupefilter",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,  # a crawler that stops must not empty the others' frontier
        "ITEM_PIPELINES": {"scrapers.redis_crawl.Handoff": 300},  # no SQLite here
        "ARCHIVER_REDIS": True,
    }
    for name, component, order in (
        ("SPIDER_MIDDLEWARES", "scrapers.redis_crawl.Handoff", 100),
        ("DOWNLOADER_MIDDLEWARES", "scrapers.redis_crawl.Handoff", 1),
        ("EXTENSIONS", "scrapers.redis_crawl.WaitForFrontier", 10),
    ):
        values[name] = {**settings.getdict(name), component: order}
    for name, value in values.items():
        settings.set(name, value, priority="cmdline")


class LeasedQueue(Base):
    """A priority queue of requests whose pops are leases, acknowledged when handled."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.leases = f"{self.key}:leases"
        self.lease_seconds = spider.settings.getfloat("ARCHIVER_REDIS_LEASE", LEASE_SECONDS)
        self._pop = server.register_script(_POP)

    def __len__(self) -> int:
        return self.server.zcard(self.key)

    def push(self, request) -> None:
        self.server.zadd(self.key, {self._encode_request(request): -request.priority})

    def pop(self, timeout=0):
        now = time.time()
        member = self._pop(keys=[self.key, self.leases], args=[now, now + self.lease_seconds])
        if member is None:
            return None
        request = self._decode_request(member)
        request.meta["archiver_lease"] = member
        return request

    def ack(self, member) -> None:
        """The request is handled: drop its lease."""
        self.server.zrem(self.leases, member)

    def leased(self) -> int:
        """Requests taken by some crawler and not yet handled."""
        return self.server.zcard(self.leases)

    def clear(self) -> None:
        self.server.delete(self.key, self.leases)


def _queue(crawler) -> LeasedQueue | None:
    queue = getattr(scheduler_of(crawler), "queue", None)
    return queue if isinstance(queue, LeasedQueue) else None


class Handoff:
    """Article fetches go to Redis; a request's lease ends once its output is out.

    As a spider middleware it sees a response's output: fetches are pushed, requests
    queued, then the lease is dropped. As an item pipeline it pushes the fetches that
    reach it by other ways (an errback's error records). As a downloader middleware (the
    outermost) it drops the lease of a request that failed for good (retries spent,
    robots.txt): its errback follows, and it must not come back forever.
    """

    def __init__(self, crawler):
        if not crawler.settings.getbool("ARCHIVER_REDIS"):
            raise NotConfigured
        from scrapy_redis.connection import from_settings

        self.crawler = crawler
        self.server = from_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_spider_output(self, response, result):
        async for output in result:
            if isinstance(output, Fetch):
                self.hand_over(output)
            else:
                yield output
        self.ack(response.request)

    def process_item(self, item):
        if isinstance(item, Fetch):
            self.hand_over(item)
        return item

    def process_exception(self, request, exception):
        self.ack(request)

    def hand_over(self, fetch: Fetch) -> None:
        """Push one fetch to the ingest queue."""
        self.server.lpush(FETCH_QUEUE, encode(fetch, uuid.uuid4().hex))
        fetch.body = b""
        self.crawler.stats.inc_value("archiver/queued" if fetch.status == 200 and not fetch.error else "archiver/queued_other")

    def ack(self, request) -> None:
        member = request.meta.get("archiver_lease") if request is not None else None
        queue = _queue(self.crawler)
        if member is not None and queue is not None:
            queue.ack(member)


class WaitForFrontier:
    """Extension: keep the spider open while the shared frontier has work; clean up after the last crawler."""

    def __init__(self, crawler, idle_seconds: float):
        self.crawler = crawler
        self.idle_seconds = idle_seconds
        self.quiet_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("ARCHIVER_REDIS"):
            raise NotConfigured
        extension = cls(crawler, crawler.settings.getfloat("ARCHIVER_REDIS_IDLE", IDLE_SECONDS))
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_idle(self, spider) -> None:
        queue = _queue(self.crawler)
        if queue is None:
            return
        if len(queue) or queue.leased():
            self.quiet_since = None
            raise DontCloseSpider
        self.quiet_since = self.quiet_since or time.monotonic()
        if time.monotonic() - self.quiet_since < self.idle_seconds:
            raise DontCloseSpider

    def spider_closed(self, spider, reason: str) -> None:
        scheduler = scheduler_of(self.crawler)
        queue = _queue(self.crawler)
        if reason == "finished" and queue is not None and not len(queue) and not queue.leased():
            scheduler.df.clear()  # the run is over: the next one may fetch these URLs again


def run_redis_crawls(url: str, db_path, jobs, log_level: str, overrides: dict, log_file) -> list[str]:
    """Run ``jobs`` in this process against the shared frontier at ``url``; one summary line per job.

    Takes no lock and writes no archive: ``archiver ingest`` does. A local archive at
    ``db_path``, when there is one, still tells the spider what to re-visit and how.
    """
    from scrapers.run import check_crawl, project_settings, run_jobs

    server = connect(url)
    try:
        server.ping()
    except Exception as error:  # noqa: BLE001 - any failure to reach Redis is the message
        raise CrawlError(f"cannot reach Redis at {url}: {error}") from error
    settings = project_settings(db_path, log_level, overrides)
    use_redis(settings, url)
    check_crawl(db_path, jobs, settings)
    return [
        f"crawl ({job.name}) via {url} {stats.get('finish_reason', 'unknown')}: "
        f"{stats.get('response_received_count', 0)} responses, {stats.get('archiver/queued', 0)} pages queued "
        f"for ingest, {stats.get('archiver/queued_other', 0)} other fetches queued"
        for job, stats in run_jobs(jobs, settings, log_level, log_file)
    ]
