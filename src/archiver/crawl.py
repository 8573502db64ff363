"""Run Scrapy crawls in this process, writing to an archive, safe to schedule.

:func:`plan_crawls` turns a command line into :class:`CrawlJob` s (configured sites or
an ad-hoc start URL); :func:`run_crawls` takes the archive's lock, closes crawls a
dead process left ``running`` (the next crawl resumes them), runs every job in one
Twisted reactor and returns a :class:`CrawlResult` per job.
"""

from __future__ import annotations

import dataclasses
import logging
import logging.handlers
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from archiver.lock import CrawlLock
from archiver.revisit import RevisitPolicy
from archiver.sites import Site, load_sites
from archiver.store import Archive, ArchiveError

DEFAULT_SPIDER = "generic"
#: Why a crawl may stop and still count as a success: it finished, or reached a limit.
GOOD_REASONS = ("finished", "closespider_pagecount", "closespider_timeout", "closespider_itemcount")
LOG_BYTES, LOG_BACKUPS = 5 * 1024 * 1024, 5


class CrawlError(Exception):
    """A crawl could not start or fetched nothing; the message says why."""


@dataclass
class CrawlJob:
    """One crawl to run: a spider and its arguments (a :class:`Site`, or start URLs)."""

    spider: str = DEFAULT_SPIDER
    args: dict = field(default_factory=dict)
    site: Site | None = None

    @property
    def name(self) -> str:
        return self.site.name if self.site else self.spider


@dataclass
class CrawlResult:
    """What one crawl did: its ``crawls`` record and Scrapy stats, or why it failed."""

    job: CrawlJob
    record: dict | None
    stats: dict
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def plan_crawls(
    name: str | None,
    start_urls: list[str],
    site_files: list[str] | None = None,
    revisit: str | None = None,
    full: bool = False,
    adhoc_args: dict | None = None,
) -> list[CrawlJob]:
    """The crawls a command line asks for: one ad-hoc crawl with ``start_urls``, else configured sites.

    ``name`` is a spider (with start URLs) or a site name; none means every configured site.
    ``revisit`` overrides the revisit policy, ``full`` turns conditional requests and skips
    off; ``adhoc_args`` (article pattern, depth) apply to start-URL crawls only.
    """
    common = {"incremental": not full}
    if start_urls:
        args = {**common, **(adhoc_args or {}), "start_url": ",".join(start_urls)}
        return [CrawlJob(name or DEFAULT_SPIDER, {**args, "revisit": revisit} if revisit else args)]
    sites = load_sites(site_files)
    if name is None:
        if not sites:
            raise CrawlError("no sites configured (archiver.toml or sites/*.toml, or --site-file) and no --start-url")
        chosen = list(sites.values())
    elif name in sites:
        chosen = [sites[name]]
    elif name == DEFAULT_SPIDER:
        raise CrawlError("the generic spider needs at least one --start-url (a home page, sitemap or feed)")
    else:
        raise CrawlError(
            f"no site {name!r} configured and unknown spider {name!r}; "
            f"the sites are: {', '.join(sites) or 'none'}; the spiders are: {DEFAULT_SPIDER}"
        )
    try:
        policy = RevisitPolicy.parse(revisit) if revisit else None
    except ValueError as error:
        raise CrawlError(f"--revisit: {error}") from error
    return [
        CrawlJob(DEFAULT_SPIDER, {**common, "site": dataclasses.replace(site, revisit=policy or site.revisit)}, site)
        for site in chosen
    ]


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
    """Mark the crawls a dead process left ``running`` as ``interrupted``; their ids.

    Call it holding the archive's lock: then no crawl is running.
    """
    archive = Archive(db_path)
    try:
        ids = [row["id"] for row in archive.db.query("select id from crawls where status = 'running'")]
        for crawl_id in ids:
            archive.finish_crawl(crawl_id, "interrupted")
        return ids
    finally:
        archive.db.close()


def run_crawls(
    db_path: str | Path,
    jobs: list[CrawlJob],
    log_level: str = "CRITICAL",
    settings_overrides: dict | None = None,
    log_file: str | Path | None = None,
) -> list[CrawlResult]:
    """Run ``jobs`` into the archive at ``db_path``, holding its lock; one result per job.

    Raises :class:`~archiver.lock.LockHeld` when another crawl holds the lock (the
    archive is not touched), :class:`CrawlError` when the crawls cannot start. Runs the
    Twisted reactor, so it can be called once per process.
    """
    path = Path(db_path)
    if not path.parent.is_dir():
        raise CrawlError(f"cannot create the archive {path}: folder {path.parent} does not exist")
    settings = project_settings(db_path, log_level, settings_overrides)
    check_crawl(db_path, jobs, settings)
    lock = CrawlLock(db_path)
    try:
        lock.acquire()
    except OSError as error:
        raise CrawlError(f"cannot lock the archive: {lock.path}: {error.strerror or error}") from error
    try:
        close_interrupted(db_path)
        return _run(db_path, jobs, settings, log_level, log_file)
    except ArchiveError as error:
        raise CrawlError(str(error)) from error
    finally:
        lock.release()


def _run(db_path, jobs: list[CrawlJob], settings, log_level: str, log_file) -> list[CrawlResult]:
    """Every job in one reactor."""
    return [_result(db_path, job, stats) for job, stats in run_jobs(jobs, settings, log_level, log_file)]


def run_jobs(jobs: list[CrawlJob], settings, log_level: str, log_file) -> list[tuple[CrawlJob, dict]]:
    """Run every job in one reactor with these Scrapy settings; each job with its Scrapy stats."""
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(settings)
    _log_to_file(log_file, log_level)
    crawlers = []
    for job in jobs:
        crawler = process.create_crawler(job.spider)
        process.crawl(crawler, **job.args)
        crawlers.append((job, crawler))
    process.start()
    return [(job, crawler.stats.get_stats()) for job, crawler in crawlers]


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


def default_log_file(db_path: str | Path) -> Path:
    """Where crawls of an archive log: ``logs/<archive name>.log`` beside it."""
    path = Path(db_path)
    return path.parent / "logs" / f"{path.stem}.log"


def _result(db_path, job: CrawlJob, stats: dict) -> CrawlResult:
    """A crawl's result: failed when it did not run, stopped early, reached nothing or fetched only errors."""
    record = stats.get("archiver/crawl")
    reason = stats.get("finish_reason") or "unknown reason"
    if stats.get("archiver/archive_error"):  # disk full, read-only: the crawl stopped at once
        return CrawlResult(job, record, stats, f"the crawl of {job.name} stopped: {stats['archiver/archive_error']}")
    if record is None:
        return CrawlResult(job, None, stats, f"the crawl of {job.name} did not run: {reason}")
    if reason not in GOOD_REASONS:
        return CrawlResult(job, record, stats, f"crawl {record['id']} ({job.name}) stopped: {reason}")
    if record["pages"] and record["errors"] == record["pages"]:
        errors = "; ".join(crawl_errors(db_path, record["id"], limit=5))
        return CrawlResult(job, record, stats, f"crawl {record['id']} ({job.name}) fetched nothing: {errors}")
    if not stats.get("archiver/start_ok"):
        detail = "; ".join(crawl_errors(db_path, record["id"], limit=5)) or "no article page was found"
        return CrawlResult(job, record, stats, f"crawl {record['id']} ({job.name}): no start URL answered: {detail}")
    return CrawlResult(job, record, stats)


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


def summary(result: CrawlResult) -> str:
    """One line about a finished crawl."""
    record, stats = result.record, result.stats
    resumed = stats.get("archiver/resumed", 0)
    return (
        f"crawl {record['id']} ({result.job.name}) {record['status']}: {record['pages']} pages, {record['new']} new, "
        f"{record['changed']} changed, {record['unchanged']} unchanged, {record['not_modified']} not modified, "
        f"{record['removed']} removed, {record['errors']} errors, {stats.get('archiver/skipped', 0)} skipped"
        + (f", {resumed} resumed" if resumed else "")
        + f" in {record['seconds'] or 0:.1f} s"
    )
