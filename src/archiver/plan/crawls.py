"""What a crawl command asks for and what a crawl did, without Scrapy.

:func:`plan_crawls` turns a command line into :class:`CrawlJob` s (configured sites or
an ad-hoc start URL); :func:`crawl_result` reads a finished crawl's Scrapy stats into a
:class:`CrawlResult`; :func:`summary` is its one line. ``scrapers.run`` runs the jobs.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from archiver.archive.store import Archive
from archiver.plan.revisit import RevisitPolicy
from archiver.plan.sites import Site, load_sites, with_shipped
from archiver.errors import ArchiverError

DEFAULT_SPIDER = "generic"
#: Why a crawl may stop and still count as a success: it finished, or reached a limit.
GOOD_REASONS = ("finished", "closespider_pagecount", "closespider_timeout", "closespider_itemcount")


class CrawlError(ArchiverError):
    """A crawl could not start, fetched nothing or was interrupted; the message says why."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


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
class CrawlReport:
    """What a crawl command shows: lines for stdout, error lines for stderr, why it failed (None: it did not)."""

    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failure: str | None = None
    #: The exit status: 1, or 128 + the signal's number when a crawl was interrupted (130: Ctrl-C).
    exit_code: int = 1
    #: Whether the failure is an interruption that the next run of the same command resumes.
    resumable: bool = False


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

    @property
    def interrupted(self) -> int:
        """The signal that stopped the crawl (SIGINT for Ctrl-C, SIGTERM), or 0."""
        return self.stats.get("archiver/interrupted", 0)

    @property
    def started(self) -> bool:
        """Whether the crawl got as far as fetching: False when it failed while starting."""
        return self.stats.get("finish_reason") != "start_error" or bool(self.record and self.record["pages"])


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
    for url in start_urls:
        check_start_url(url)
    if start_urls:
        args = {**common, **(adhoc_args or {}), "start_url": [url.strip() for url in start_urls]}
        return [CrawlJob(name or DEFAULT_SPIDER, {**args, "revisit": revisit} if revisit else args)]
    sites = load_sites(site_files)
    available = with_shipped(sites)
    shipped = [key for key in available if key not in sites]
    if name is None:
        if not sites:
            raise CrawlError(
                "no sites configured (archiver.toml or sites/*.toml, or --site-file) and no --start-url; "
                f"shipped sites are crawled by name ({', '.join(shipped) or 'none'}): see archiver sites"
            )
        chosen = list(sites.values())
    elif name in available:
        chosen = [available[name]]
    elif name == DEFAULT_SPIDER:
        raise CrawlError("the generic spider needs at least one --start-url (a home page, sitemap or feed)")
    else:
        known = [*sites, *(f"{key} (shipped)" for key in shipped)]
        raise CrawlError(
            f"no site {name!r} configured or shipped and unknown spider {name!r}; "
            f"the sites are: {', '.join(known) or 'none'}; the spiders are: {DEFAULT_SPIDER}"
        )
    try:
        policy = RevisitPolicy.parse(revisit) if revisit else None
    except ValueError as error:
        raise CrawlError(f"--revisit: {error}") from error
    return [
        CrawlJob(DEFAULT_SPIDER, {**common, "site": dataclasses.replace(site, revisit=policy or site.revisit)}, site)
        for site in chosen
    ]


def check_start_url(url: str) -> None:
    """Raise :class:`CrawlError` unless ``url`` is an http(s) URL with a host; the message suggests one."""
    text = url.strip()
    parts = urlsplit(text)
    if "://" not in text:
        guess = _with_scheme(text.lstrip("/"))
        hint = f" — did you mean {guess}?" if guess else " (a start URL begins with http:// or https://)"
        raise CrawlError(f"not a URL: {url}{hint}")
    if parts.scheme.lower() not in ("http", "https"):
        raise CrawlError(f"not an http(s) URL: {url} (archiver crawls http:// and https:// pages)")
    try:
        host, _ = parts.hostname, parts.port
    except ValueError:
        raise CrawlError(f"not a URL: {url} (its port is not a number from 0 to 65535)") from None
    if not host:
        raise CrawlError(f"not a URL: {url} (no host name)")


def _with_scheme(text: str) -> str | None:
    """``text`` made into the URL it probably meant: http:// for this machine, https:// elsewhere; None if no host."""
    host = urlsplit(f"//{text}").hostname if text and " " not in text else None
    if not host:
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        local = host == "localhost"
    else:
        local = address.is_private or address.is_loopback
    url = f"{'http' if local else 'https'}://{text}"
    return url if urlsplit(url).path else url + "/"


def default_log_file(db_path: str | Path) -> Path:
    """Where crawls of an archive log: ``logs/<archive name>.log`` beside it."""
    path = Path(db_path)
    return path.parent / "logs" / f"{path.stem}.log"


def crawl_errors(db_path: str | Path, crawl_id: int, limit: int = 10) -> list[str]:
    """The first errors of a crawl, one line each: URL and what went wrong."""
    with Archive(db_path) as archive:
        return archive.crawl_errors(crawl_id, limit)


def crawl_result(db_path, job: CrawlJob, stats: dict) -> CrawlResult:
    """A crawl's result: failed when it did not run, stopped early, reached nothing or fetched only errors."""
    record = stats.get("archiver/crawl")
    reason = stats.get("finish_reason") or "unknown reason"
    if stats.get("archiver/archive_error"):  # disk full, read-only: the crawl stopped at once
        return CrawlResult(job, record, stats, f"the crawl of {job.name} stopped: {stats['archiver/archive_error']}")
    if stats.get("archiver/interrupted") and reason != "finished":
        crawl = f"crawl {stats['archiver/crawl_id']} ({job.name})" if stats.get("archiver/crawl_id") else job.name
        if stats.get("archiver/stopped_now") or record is None:
            return CrawlResult(job, record, stats, f"{crawl} stopped at once")
        return CrawlResult(job, record, stats, f"{crawl} interrupted after {record['pages']} pages")
    if reason == "start_error":
        cause = stats.get("archiver/start_error") or "see the log"
        return CrawlResult(job, record, stats, f"the crawl of {job.name} could not start: {cause}")
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


def summary(result: CrawlResult) -> str:
    """One line about a finished crawl."""
    record, stats = result.record, result.stats
    resumed = stats.get("archiver/resumed", 0)
    status = "interrupted" if result.interrupted and not result.ok else record["status"]
    return (
        f"crawl {record['id']} ({result.job.name}) {status}: {record['pages']} pages, {record['new']} new, "
        f"{record['changed']} changed, {record['unchanged']} unchanged, {record['not_modified']} not modified, "
        f"{record['removed']} removed, {record['errors']} errors, {stats.get('archiver/skipped', 0)} skipped"
        + (f", {resumed} resumed" if resumed else "")
        + f" in {record['seconds'] or 0:.1f} s"
    )


def report(db_path: str | Path, results: list[CrawlResult], quiet: bool = False) -> CrawlReport:
    """The report of finished crawls: a summary line each (failures only when ``quiet``), their first errors."""
    shown = CrawlReport()
    for result in results:
        if result.record and result.started and (not result.ok or not quiet):
            shown.lines.append(summary(result))
        if result.ok and result.record["errors"]:
            shown.errors += [f"  error: {line}" for line in crawl_errors(db_path, result.record["id"])]
    failures = [result.error for result in results if not result.ok]
    shown.failure = "; ".join(failures) or None
    interrupted = [result.interrupted for result in results if result.interrupted and not result.ok]
    if interrupted:
        shown.exit_code, shown.resumable = 128 + interrupted[0], True
    return shown


def scrapy_overrides(
    max_pages: int | None = None,
    max_time: int | None = None,
    workers: int = 0,
    progress: bool = False,
    overrides: dict | None = None,
) -> dict:
    """The Scrapy settings a crawl command's options stand for (``overrides`` last: they win)."""
    settings = {"ARCHIVER_PROGRESS": progress}
    settings.update({"CLOSESPIDER_PAGECOUNT": max_pages} if max_pages else {})
    settings.update({"CLOSESPIDER_TIMEOUT": max_time} if max_time else {})
    settings.update({"ARCHIVER_PARSE_WORKERS": workers, "ARCHIVER_WRITER_PROCESS": True} if workers else {})
    settings.update(overrides or {})
    return settings
