"""Scrapy settings for archiver's crawls: polite by default, fast where it is safe.

``archiver crawl`` overrides ``ARCHIVE_DB`` from its ``--db`` option.
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

# Failures: a few retries, a bounded wait, a bounded page.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# One item at a time per response: Scrapy's default of 100 halves throughput
# for spiders that yield one item per page (measured, see MEASURED.md).
CONCURRENT_ITEMS = 1

ITEM_PIPELINES = {"scrapers.pipelines.ArchivePipeline": 300}

# Pages of the same site are compared by the archive, not cached.
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
