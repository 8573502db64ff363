"""Run a Scrapy crawl in this process, writing to an archive."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from archiver.store import Archive, ArchiveError

DEFAULT_SPIDER = "generic"


class CrawlError(Exception):
    """A crawl could not start or fetched nothing; the message says why."""


def project_settings(db_path: str | Path, log_level: str = "CRITICAL", overrides: dict | None = None):
    """The Scrapy project's settings with the archive path and log level set."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scrapers.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.set("ARCHIVE_DB", str(db_path), priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def spider_names(settings) -> list[str]:
    """The names of the project's spiders."""
    from scrapy.spiderloader import get_spider_loader

    return sorted(get_spider_loader(settings).list())


def check_crawl(db_path: str | Path, spider: str, start_urls: list[str], settings) -> None:
    """Raise :class:`CrawlError` for a crawl that cannot work, before starting it."""
    names = spider_names(settings)
    if spider not in names:
        raise CrawlError(f"unknown spider {spider!r}; the spiders are: {', '.join(names)}")
    if spider == DEFAULT_SPIDER and not start_urls:
        raise CrawlError("the generic spider needs at least one --start-url (a home page, sitemap or feed)")
    try:
        Archive(db_path).db.close()
    except ArchiveError as error:
        raise CrawlError(str(error)) from error


def run_crawl(
    db_path: str | Path,
    spider: str = DEFAULT_SPIDER,
    start_urls: list[str] | None = None,
    log_level: str = "CRITICAL",
    settings_overrides: dict | None = None,
    **spider_args,
) -> dict:
    """Crawl with ``spider`` into the archive at ``db_path``; return the ``crawls`` record.

    Runs the Twisted reactor, so it can be called once per process.
    """
    from scrapy.crawler import CrawlerProcess

    start_urls = list(start_urls or [])
    settings = project_settings(db_path, log_level, settings_overrides)
    check_crawl(db_path, spider, start_urls, settings)
    if start_urls:
        spider_args["start_url"] = ",".join(start_urls)
    process = CrawlerProcess(settings)
    logging.getLogger("scrapy").setLevel(log_level)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **spider_args)
    process.start()
    record = crawler.stats.get_value("archiver/crawl")
    if record is None:
        raise CrawlError(f"the crawl did not run: {crawler.stats.get_value('finish_reason') or 'unknown reason'}")
    _check_fetched(db_path, record)
    return record


def crawl_errors(db_path: str | Path, crawl_id: int, limit: int = 10) -> list[str]:
    """The first errors of a crawl, one line each: URL and what went wrong."""
    archive = Archive(db_path)
    try:
        rows = archive.db.query(
            "select url, status, error from fetches where crawl_id = ? and outcome = 'error' order by id limit ?",
            [crawl_id, limit],
        )
        return [f"{row['url']}: {row['error'] or 'HTTP ' + str(row['status'])}" for row in rows]
    finally:
        archive.db.close()


def _check_fetched(db_path: str | Path, record: dict) -> None:
    """Raise :class:`CrawlError` when every fetch of the crawl failed."""
    if record["pages"] and record["errors"] < record["pages"]:
        return
    errors = crawl_errors(db_path, record["id"], limit=5)
    detail = "; ".join(errors) if errors else "no article page was found"
    raise CrawlError(f"crawl {record['id']} fetched nothing: {detail}")


def summary(record: dict) -> str:
    """One line about a finished crawl."""
    return (
        f"crawl {record['id']} {record['status']}: {record['pages']} pages, {record['new']} new, "
        f"{record['changed']} changed, {record['unchanged']} unchanged, {record['not_modified']} not modified, "
        f"{record['removed']} removed, {record['errors']} errors in {record['seconds'] or 0:.1f} s"
    )
