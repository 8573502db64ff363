"""Run Scrapy crawls in this process, writing to an archive, safe to schedule.

:func:`crawl` is what ``archiver crawl`` calls: a local crawl or one through Redis, and its
report. :func:`run_crawls` takes the archive's lock, closes crawls a dead process left
``running`` (the next crawl resumes them), runs every job (planned by
:func:`archiver.plan.crawls.plan_crawls`) in one Twisted reactor and returns a
:class:`~archiver.plan.crawls.CrawlResult` per job.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path

from archiver.archive.store import Archive, ArchiveError
from archiver.plan.crawls import DEFAULT_SPIDER, CrawlError, CrawlJob, CrawlReport, CrawlResult, crawl_result, report
from archiver.plan.lock import CrawlLock
from archiver.plan.revisit import RevisitPolicy

LOG_BYTES, LOG_BACKUPS = 5 * 1024 * 1024, 5


def crawl(
    db_path: str | Path,
    jobs: list[CrawlJob],
    settings: dict,
    log_level: str = "CRITICAL",
    log_file: str | Path | None = None,
    redis_url: str | None = None,
    quiet: bool = False,
) -> CrawlReport:
    """Run ``jobs`` into the archive (or, with ``redis_url``, into the shared frontier there) and report.

    ``settings`` override the project's Scrapy settings. Runs the Twisted reactor, so once per process.
    """
    if redis_url:
        from scrapers.redis_crawl import run_redis_crawls

        lines = run_redis_crawls(redis_url, db_path, jobs, log_level, settings, log_file)
        return CrawlReport([] if quiet else lines)
    results = run_crawls(db_path, jobs, log_level=log_level, settings_overrides=settings, log_file=log_file)
    return report(db_path, results, quiet)


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


def check_crawl(db_path: str | Path, jobs: list[CrawlJob], settings) -> None:
    """Raise :class:`CrawlError` for a crawl that cannot work, before starting it."""
    names = spider_names(settings)
    for job in jobs:
        if job.spider not in names:
            raise CrawlError(f"unknown spider {job.spider!r}; the spiders are: {', '.join(names)}")
        if job.spider == DEFAULT_SPIDER and not (job.site or job.args.get("start_url")):
            raise CrawlError("the generic spider needs at least one --start-url (a home page, sitemap or feed)")
        for option in ("article_pattern", "follow_pattern"):
            try:
                re.compile(job.args.get(option) or "")
            except re.error as error:
                raise CrawlError(f"--{option.replace('_', '-')}: not a valid regular expression: {error}") from error
        try:
            RevisitPolicy.parse(job.args.get("revisit", "always"))
        except ValueError as error:
            raise CrawlError(f"--revisit: {error}") from error


def close_interrupted(db_path: str | Path) -> list[int]:
    """Mark the crawls a dead process left ``running`` as ``interrupted``; their ids (hold the lock)."""
    with Archive(db_path) as archive:
        return archive.close_interrupted_crawls()


def run_crawls(
    db_path: str | Path,
    jobs: list[CrawlJob],
    log_level: str = "CRITICAL",
    settings_overrides: dict | None = None,
    log_file: str | Path | None = None,
) -> list[CrawlResult]:
    """Run ``jobs`` into the archive at ``db_path``, holding its lock; one result per job.

    Raises :class:`~archiver.plan.lock.LockHeld` when another crawl holds the lock (the
    archive is not touched), :class:`CrawlError` when the crawls cannot start. Runs the
    Twisted reactor, so it can be called once per process.
    """
    path = Path(db_path)
    if not path.parent.is_dir():
        raise CrawlError(f"cannot create the archive {path}: folder {path.parent} does not exist")
    settings = project_settings(db_path, log_level, settings_overrides)
    check_crawl(db_path, jobs, settings)
    traces = _new_files(path, log_file)
    lock = CrawlLock(db_path)
    try:
        lock.acquire()
    except OSError as error:
        raise CrawlError(f"cannot lock the archive: {lock.path}: {error.strerror or error}") from error
    try:
        close_interrupted(db_path)
        results = _run(db_path, jobs, settings, log_level, log_file)
        if not any(result.started for result in results):
            _remove(traces, log_file)  # a crawl that never started leaves nothing behind
        return results
    except ArchiveError as error:
        raise CrawlError(str(error)) from error
    finally:
        lock.release()


def _new_files(db_path: Path, log_file) -> list[Path]:
    """The files and folders a crawl of ``db_path`` would create that do not exist yet (the archive's, the log's)."""
    paths = [db_path, *(db_path.with_name(db_path.name + end) for end in ("-wal", "-shm", "-journal", ".lock"))]
    if log_file:
        log_file = Path(log_file)
        missing = [log_file]
        for folder in log_file.parents:  # the log's folders made for it (logs/ beside a new archive)
            if folder.exists():
                break
            missing.append(folder)
        paths += missing
    return [path for path in paths if not path.exists()]


def _remove(paths: list[Path], log_file) -> None:
    """Remove ``paths`` (files, then the emptied folders), closing the log file's handler first."""
    if log_file:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "baseFilename", None) == os.path.abspath(log_file):
                root.removeHandler(handler)
                handler.close()
    for path in paths:
        if path.is_file():
            path.unlink(missing_ok=True)
    for path in paths:
        if path.is_dir():
            try:
                path.rmdir()
            except OSError:  # something else was put there meanwhile
                pass


def _run(db_path, jobs: list[CrawlJob], settings, log_level: str, log_file) -> list[CrawlResult]:
    """Every job in one reactor."""
    return [crawl_result(db_path, job, stats) for job, stats in run_jobs(jobs, settings, log_level, log_file)]


def run_jobs(jobs: list[CrawlJob], settings, log_level: str, log_file) -> list[tuple[CrawlJob, dict]]:
    """Run every job in one reactor with these Scrapy settings; each job with its Scrapy stats."""
    from scrapy.crawler import CrawlerProcess

    from scrapers.seams import Interrupts

    process = CrawlerProcess(settings)
    _log_to_file(log_file, log_level)
    crawlers = []
    for job in jobs:
        crawler = process.create_crawler(job.spider)
        process.crawl(crawler, **job.args)
        crawlers.append((job, crawler))
    from twisted.internet import reactor  # the one the first crawler installed

    interrupts = Interrupts()
    interrupts.watch(reactor)
    process.start()
    results = [(job, crawler.stats.get_stats()) for job, crawler in crawlers]
    if interrupts.received:  # Ctrl-C (SIGINT) or SIGTERM: which, and whether twice (stopped at once)
        for _, stats in results:
            stats["archiver/interrupted"] = interrupts.received[0]
            stats["archiver/stopped_now"] = len(interrupts.received) > 1
    return results


def _log_to_file(log_file, log_level: str) -> None:
    """Scrapy's log at INFO into ``log_file``, rotated; the console keeps ``log_level``.

    A log that cannot be written (disk full) is not worth a traceback on stderr.
    """
    logging.raiseExceptions = False
    if not log_file:
        logging.getLogger("scrapy").setLevel(log_level)
        return
    Path(log_file).parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    handler.setLevel(logging.INFO)
    logging.getLogger().addHandler(handler)
    for name in ("scrapy", "scrapers", "archiver"):
        logging.getLogger(name).setLevel(min(logging.INFO, logging.getLevelName(log_level)))
