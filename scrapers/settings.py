"""Scrapy settings for archiver's crawls: polite by default, fast where it is safe.

``archiver crawl`` overrides ``ARCHIVE_DB`` from its ``--db`` option and
``CLOSESPIDER_PAGECOUNT`` / ``CLOSESPIDER_TIMEOUT`` from ``--max-pages`` / ``--max-time``;
a configured site's crawl says who it is with the site's ``contact`` URL.
"""

BOT_NAME = "archiver"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

#: Where the pipeline writes (relative to the working directory).
ARCHIVE_DB = "archive/archive.db"

#: Say who we are and where to complain.
USER_AGENT = "archiver/0.1 (+https://github.com/archiver/archiver; web archive for research)"

# Politeness: obey robots.txt, few requests per site at once, back off when the site slows down.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0

# Failures: a few retries, a bounded wait, a bounded page. A 429 or 503 is retried
# after the site's Retry-After (or 1 s, 2 s, 4 s ... without one), and slows the
# whole site down; a Retry-After over RETRY_BACKOFF_MAX seconds is not waited for.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_HTTP_CODES = [429, 503]
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 120.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,  # NetGuard records what it refuses
    "scrapers.middlewares.NetGuardMiddleware": 40,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.middlewares.BackoffRetryMiddleware": 550,
    "scrapers.middlewares.ContentGuardMiddleware": 585,
    "scrapers.middlewares.RedirectGuardMiddleware": 650,
}
SPIDER_MIDDLEWARES = {"scrapers.middlewares.RecordErrorsMiddleware": 60}
# Security: a crawl stays on its sites. Links, sitemap and feed entries and redirects
# that lead off-site, to private, loopback or link-local addresses, or to anything but
# http(s) are refused before any connection and recorded (see archiver.plan.netguard);
# a host a start URL names is always allowed. ARCHIVER_HOSTS (JSON, host -> address)
# replaces DNS for the check, in tests. At most 5 redirects; loops are refused.
ARCHIVER_HOSTS = None
REDIRECT_MAX_TIMES = 5
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# One item at a time per response: Scrapy's default of 100 halves throughput
# for spiders that yield one item per page (measured, see MEASURED.md).
CONCURRENT_ITEMS = 1

ITEM_PIPELINES = {"scrapers.pipelines.ArchivePipeline": 300}
#: The pipeline writes in batches, one transaction each: when this many pages wait, at
#: least every this many seconds, and at the end (a kill loses only the open batch).
ARCHIVER_BATCH_SIZE = 100
ARCHIVER_BATCH_SECONDS = 1.0
#: Worker processes that parse pages off the reactor's thread (0: parse in the crawling
#: process). Pays on large crawls with a spare core; see BENCHMARKS.md, "Scale".
ARCHIVER_PARSE_WORKERS = 0
#: Write the batches in a writer process (one, SQLite has one writer) while the crawl goes
#: on, instead of in the crawling process between downloads.
ARCHIVER_WRITER_PROCESS = False

# AutoThrottle that counts a 304 as a healthy response; a progress line on stderr
# (``archiver crawl`` turns it on when stderr is a terminal).
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "scrapers.seams.ConditionalAutoThrottle": 0,
    "scrapers.extensions.Progress": 500,
    "scrapers.extensions.StopOnArchiveError": 0,  # disk full or read-only: stop, say so, exit 1
}
ARCHIVER_PROGRESS = False
ARCHIVER_PROGRESS_INTERVAL = 1.0

# Memory: bounded whatever the size of the site. The spider hands Scrapy's scheduler at most
# this many requests (plus the few Scrapy reads ahead of a callback: 2 * CONCURRENT_ITEMS + 1
# per response being handled); the URLs beyond wait on disk (a temporary SQLite file, with
# every URL the crawl has taken or skipped, and the revisit state) until the scheduler runs
# empty. Scrapy's duplicate filter keeps its fingerprints on disk too. 0: no bound.
ARCHIVER_SCHEDULER_MAX = 1000
DUPEFILTER_CLASS = "scrapers.extensions.CompactDupeFilter"

#: A crawl that did not finish (killed, or stopped by a page or time limit) is resumed
#: by the next crawl with the same start URLs within this many seconds: the URLs it
#: fetched are not fetched again.
ARCHIVER_RESUME_WINDOW = 24 * 3600

# Pages of the same site are compared by the archive, not cached.
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
