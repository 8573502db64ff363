"""The ``archiver`` command: a thin layer over the library."""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

import click

from archiver.archive.store import Archive
from archiver.errors import ArchiverError

DEFAULT_DB = "archive/archive.db"
#: The URL ``archiver parse`` takes a page to come from when it is not told.
ASSUMED_URL = "http://localhost/"
CONTEXT = {"help_option_names": ["-h", "--help"]}


class Setting(click.ParamType):
    """A ``NAME=VALUE`` option, as a pair."""

    name = "NAME=VALUE"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            self.fail(f"{value!r} is not NAME=VALUE", param, ctx)
        return name.strip(), setting


def db_option(default: str = DEFAULT_DB):
    return click.option(
        "--db",
        "db_path",
        default=default,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="The archive's SQLite file.",
    )


def site_files_option():
    return click.option(
        "--site-file",
        "site_files",
        multiple=True,
        type=click.Path(),
        help="Site file or folder to read instead of archiver.toml and sites/*.toml (repeatable).",
    )


class Commands(click.Group):
    """The command group: a library error becomes one line on stderr and its exit status."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ArchiverError as error:
            failure = click.ClickException(str(error))
            failure.exit_code = error.exit_code
            raise failure from error
        except KeyboardInterrupt:  # Ctrl-C: one word and the shell's status for it, not a traceback
            failure = click.ClickException("interrupted")
            failure.exit_code = 130
            raise failure from None


@click.group(cls=Commands, context_settings=CONTEXT)
@click.version_option(package_name="archiver")
def cli():
    """Crawl news sites, split every page into its parts, keep every version of every article."""


@cli.command(context_settings=CONTEXT)
@click.argument("name", required=False)
@db_option()
@click.option("--start-url", "start_urls", multiple=True, help="Crawl ad hoc: a home page, sitemap or feed (repeatable).")
@site_files_option()
@click.option("--article-pattern", default="", help="With --start-url: regular expression searched in article URLs' paths.")
@click.option("--max-depth", default=3, show_default=True, help="With --start-url: link depth followed from HTML start pages.")
@click.option("--revisit", metavar="POLICY", help="Revisit policy, e.g. '1h until 1d, 1d until 7d, 7d', 'always' (default with --start-url) or 'never'.")
@click.option("--full", is_flag=True, help="Fetch every page in full: no conditional requests, nothing skipped.")
@click.option("--max-pages", type=click.IntRange(min=1), help="Stop after this many responses (CLOSESPIDER_PAGECOUNT).")
@click.option("--max-time", type=click.IntRange(min=1), metavar="SECONDS", help="Stop after this many seconds (CLOSESPIDER_TIMEOUT).")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Log file (rotated)  [default: logs/<archive>.log beside the archive].")
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="Parse in this many worker processes and write in one more (0: all in the crawling process). "
                   "For large crawls with cores to spare.")
@click.option("-s", "--set", "overrides", multiple=True, type=Setting(), help="Override a Scrapy setting.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line unless the crawl failed.")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log (errors are summarised without it).")
@click.option("--redis", "redis_url", metavar="URL", help="Share the frontier with other crawlers in Redis (redis://HOST:PORT/N); pages go there for 'archiver ingest'.")
def crawl(name, db_path, start_urls, site_files, article_pattern, max_depth, revisit, full, max_pages, max_time,
          log_file, workers, overrides, quiet, verbose, redis_url):
    """Crawl the configured sites (or site NAME, or --start-url) into the archive.

    Sites come from archiver.toml and sites/*.toml (see docs/crawling.md). One crawl per
    archive runs at a time: while another holds the archive's lock, the command says
    who and exits with status 75. A progress line (pages done, errors, queued, time
    elapsed) shows on a terminal only.

    \b
    Example: archiver crawl
             archiver crawl cipherbrief --max-time 600
             archiver crawl --start-url http://127.0.0.1:8000/sitemap.xml
    """
    from archiver.plan.crawls import CrawlError, default_log_file, plan_crawls, scrapy_overrides
    from scrapers.run import crawl as run

    jobs = plan_crawls(name, list(start_urls), list(site_files), revisit, full,
                       {"max_depth": max_depth, **({"article_pattern": article_pattern} if article_pattern else {})})
    progress = sys.stderr.isatty() and not verbose and not quiet
    shown = run(db_path, jobs, scrapy_overrides(max_pages, max_time, workers, progress, dict(overrides)),
                log_level="INFO" if verbose else "CRITICAL", log_file=log_file or default_log_file(db_path),
                redis_url=redis_url, quiet=quiet)
    for line in shown.lines:
        click.echo(line)
    for line in shown.errors:
        click.echo(line, err=True)
    if shown.failure:
        again = shlex.join(["archiver", *sys.argv[1:]])
        raise CrawlError(shown.failure + (f"; run `{again}` again to resume it" if shown.resumable else ""),
                         shown.exit_code)


@cli.command(context_settings=CONTEXT)
@site_files_option()
def sites(site_files):
    """List the sites: those configured here, and those shipped with archiver.

    Configured sites come from archiver.toml and sites/*.toml in this folder (or
    --site-file); shipped ones are crawled by name from any folder, and a configured
    site of the same name is used instead. Each with where it comes from, its base URL
    and its revisit policy.

    Example: archiver sites
    """
    from archiver.plan.sites import site_table

    rows = site_table(list(site_files))
    columns = list(rows[0]) if rows else []
    widths = {column: max(len(column), *(len(row[column]) for row in rows)) for column in columns}
    for row in [dict(zip(columns, columns)), *rows]:
        click.echo("  ".join(row[column].ljust(widths[column]) for column in columns).rstrip())


@cli.command(context_settings=CONTEXT)
@db_option()
@click.option("--redis", "redis_url", required=True, metavar="URL", help="The Redis the crawlers queue pages in (redis://HOST:PORT/N).")
@click.option("--batch", default=200, show_default=True, type=click.IntRange(min=1), help="Pages written per transaction.")
@click.option("--until-idle", type=float, metavar="SECONDS", help="Stop once the queue has been empty this long (default: run until stopped).")
def ingest(db_path, redis_url, batch, until_idle):
    """Write the pages crawlers queued in Redis into the archive (its one writer).

    Every queued page is written at least once and recorded once: a batch is taken
    onto a processing list, written in one transaction, then acknowledged. Run one
    ingester per archive, beside the SQLite file.

    \b
    Example: archiver ingest --redis redis://10.0.0.5:6379/0
             archiver ingest --redis redis://127.0.0.1:6379/0 --until-idle 30
    """
    from redis.exceptions import RedisError

    from archiver.archive.ingest import Ingester, connect

    with Archive(db_path) as archive:
        try:
            counts = Ingester(connect(redis_url), archive, batch).run(until_idle=until_idle)
        except (OSError, RedisError) as error:
            raise click.ClickException(f"cannot reach Redis at {redis_url}: {error}") from error
        except KeyboardInterrupt:
            return
    click.echo("ingested: " + ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items())) if counts else "ingested nothing")


@cli.command(context_settings=CONTEXT)
@click.argument("name", required=False)
@db_option()
@click.option("--every", default="1h", show_default=True, help="How often: 15m, 30m, 1h, 6h, 1d ...")
def schedule(name, db_path, every):
    """Print a crontab line and a systemd service and timer that crawl on a schedule.

    They crawl every configured site (or site NAME) from the current folder, where
    archiver.toml and sites/ are. No flock wrapper is needed: a crawl locks the archive.

    Example: archiver schedule --every 1h
    """
    from archiver.plan.schedule import crontab, systemd_units

    try:
        line = crontab(every, db_path, Path.cwd(), name)
        service, timer = systemd_units(every, db_path, Path.cwd(), name)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"# crontab -e\n{line}\n")
    click.echo(f"# ~/.config/systemd/user/archiver-crawl.service\n{service}")
    click.echo(f"# ~/.config/systemd/user/archiver-crawl.timer\n{timer}")
    click.echo("# systemctl --user daemon-reload && systemctl --user enable --now archiver-crawl.timer")


@cli.command(context_settings=CONTEXT)
@db_option()
@click.option("-f", "--format", "fmt", default="jsonl", show_default=True, metavar="FORMAT",
              help="jsonl, json, csv, markdown (a folder: -o needed) or warc (raw pages; .gz compresses).")
@click.option("-o", "--output", help="Write to this file (folder for markdown), atomically; default stdout.")
@click.option("--site", "sites", multiple=True, help="Only this site, e.g. example.com (repeatable).")
@click.option("--url", "urls", multiple=True, help="Only this article, by any URL seen for it (repeatable).")
@click.option("--since", metavar="TIME", help="Versions that appeared (warc: fetches made) at or after this date/time.")
@click.option("--until", metavar="TIME", help="... before this time; a bare date includes that day.")
@click.option("--all-versions", is_flag=True, help="Every version (warc: every fetch), not only the latest.")
@click.option("--changed", is_flag=True, help="Only articles with more than one version.")
@click.option("--include-removed", is_flag=True, help="Include articles whose page answered 404/410.")
@click.option("--fields", metavar="A,B", help="Only these fields, in this order (not for warc).")
def export(db_path, fmt, output, sites, urls, since, until, all_versions, changed, include_removed, fields):
    """Export articles: the latest version of each, or --all-versions.

    \b
    Example: archiver export -o articles.jsonl
             archiver export --format csv --changed --all-versions --fields url,version,title
             archiver export --format warc --since 2024-05-01 -o pages.warc.gz
    """
    from archiver.export import Selection, parse_fields, parse_time, run_export

    try:
        selection = Selection(
            sites=sites, urls=urls, all_versions=all_versions, changed=changed, include_removed=include_removed,
            since=since and parse_time(since, "--since"), until=until and parse_time(until, "--until", True),
            fields=parse_fields(fields),
        )
        count = run_export(db_path, fmt, selection, output=output, progress=sys.stderr.isatty())
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # a closed pipe: stop quietly
        sys.exit(0)
    except OSError as error:
        raise click.ClickException(f"cannot write {output or 'to stdout'}: {error.strerror or error}") from error
    if output and sys.stderr.isatty():
        click.echo(f"{count} records written to {output}", err=True)


@cli.command(context_settings=CONTEXT)
@db_option()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("-p", "--port", default=8001, show_default=True)
@click.option("-m", "--metadata", type=click.Path(exists=True, dir_okay=False),
              help="Your Datasette metadata file, merged over the plugin's  [default: metadata.yml beside the archive, else archive/metadata.yml].")
def serve(db_path, host, port, metadata):
    """Browse the archive in Datasette.

    Example: archiver serve --db news.db --metadata my-metadata.yml
    """
    from archiver.serve import serve_datasette

    serve_datasette(db_path, host=host, port=port, metadata=metadata)


@cli.command("demo-site", context_settings=CONTEXT)
@click.option("--edition", type=click.Choice(["1", "2", "3", "4"]), default="1", show_default=True,
              help="1 and 2: the editions `archiver demo` crawls; 3 and 4: the same articles "
              "with blocks between paragraphs that rotate from 3 to 4.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("-p", "--port", default=8000, show_default=True)
@click.option("--manifest", is_flag=True, help="Print the manifest of every edition as JSON and exit.")
def demo_site(edition, host, port, manifest):
    """Serve the bundled demo news site (no internet needed).

    Example: archiver demo-site --edition 2 --port 8000
    """
    from archiver.demo import DemoServer, build_manifest

    if manifest:
        click.echo(json.dumps(build_manifest(f"http://{host}:{port}"), indent=2, ensure_ascii=False))
        return
    try:
        server = DemoServer(edition=int(edition), host=host, port=port)
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    click.echo(f"Demo site edition {edition} on {server.base_url}/ (Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


@cli.command(context_settings=CONTEXT)
@click.option("--db", "db_path", default="archive/demo.db", show_default=True, type=click.Path(dir_okay=False))
@click.option("--site-port", default=0, help="Port of the demo site (default: any free port).")
@click.option("-p", "--port", default=8001, show_default=True, help="Port of Datasette.")
@click.option("--no-serve", is_flag=True, help="Stop after the two crawls.")
def demo(db_path, site_port, port, no_serve):
    """Crawl both editions of the demo site, then browse the archive.

    Serves edition 1, crawls it, switches to edition 2, crawls again, prints
    what changed and checks it against the site's manifest. The demo archive
    is made anew each time.
    """
    from archiver.demo.run import run_demo

    if not run_demo(db_path, site_port=site_port, echo=click.echo):
        raise click.ClickException("the archive does not match the demo site's manifest (see above)")
    if not no_serve:
        from archiver.serve import serve_datasette

        serve_datasette(db_path, port=port)


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.File("rb"))
@click.option("--url", help="The URL the page came from (default http://localhost/, said on stderr).")
@click.option("--format", "fmt", type=click.Choice(["json", "text", "markdown"]), default="json", show_default=True)
def parse(file, url, fmt):
    """Split one HTML page (FILE or - for stdin) into its parts.

    Example: archiver parse page.html --url https://example.com/a --format text
    """
    from archiver import ParseError, parse_article
    from archiver.formats import render

    if url is None:
        url = ASSUMED_URL
        click.echo(f"no --url: assuming the page came from {url} (its links are resolved against it)", err=True)
    try:
        article = parse_article(file.read(), url)
    except ParseError as error:
        raise click.ClickException(f"cannot parse {file.name}: {error}") from error
    click.echo(render(article, fmt))


@cli.command(context_settings=CONTEXT)
@click.argument("url")
@db_option()
def history(url, db_path):
    """The versions of an article, one line each, with the change kind.

    Example: archiver history https://example.com/news/story
    """
    from archiver.archive.history import history_lines

    with Archive.open_existing(db_path) as archive:
        click.echo("\n".join(history_lines(archive, url)))


@cli.command(context_settings=CONTEXT)
@click.argument("url")
@db_option()
@click.option("--from", "start", type=int, help="Version to compare from (default: the one before --to).")
@click.option("--to", "end", type=int, help="Version to compare to (default: the latest).")
def diff(url, db_path, start, end):
    """A word-level diff of two versions of an article, field by field.

    [-deleted-] and {+inserted+} words, as git's --word-diff shows them.

    Example: archiver diff https://example.com/news/story --from 1 --to 3
    """
    from archiver.archive.history import diff_text

    with Archive.open_existing(db_path) as archive:
        click.echo(diff_text(archive, url, start, end))


@cli.command(context_settings=CONTEXT)
@db_option()
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), help="Only articles fetched since.")
@click.option("--site", help="Only articles of this host.")
def reparse(db_path, since, site):
    """Re-run the current parser over the stored raw pages.

    A new version is written only where the parsed article differs, marked as
    produced by re-parsing (change "reparse"), so a parser upgrade never looks
    like an edit of the article. A page of a configured site (archiver.toml,
    sites/*.toml) whose entry names a parser_profile is re-parsed with it.

    Example: archiver reparse --site www.example.com
    """
    from archiver.archive.reparse import reparse as run
    from archiver.plan.sites import available_sites, profile_for

    def report(url, error):
        click.echo(f"cannot re-parse {url}: {error}", err=True)

    sites = list(available_sites().values())
    with Archive.open_existing(db_path) as archive:
        counts = run(archive, since.isoformat() if since else None, site, on_error=report,
                     profile_for=lambda url: profile_for(url, sites))
    click.echo(
        f"re-parsed {counts.articles} articles: {counts.changed} new versions, "
        f"{counts.unchanged} unchanged, {counts.failed} failed"
    )


@cli.command(context_settings=CONTEXT)
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(db_path, as_json):
    """Counts, sizes, compression ratio and versions per article.

    Example: archiver stats --db archive/archive.db
    """
    from archiver.archive.stats import archive_stats, format_stats

    with Archive.open_existing(db_path) as archive:
        figures = archive_stats(archive.db, db_path)
    click.echo(json.dumps(figures, indent=2) if as_json else format_stats(figures))


@cli.command(context_settings=CONTEXT)
@db_option()
def check(db_path):
    """Verify an archive: SQLite integrity, raw pages present with the right hash,
    versions in order, the search index in sync. Exits 1 with a list of problems.

    Example: archiver check --db archive/archive.db
    """
    from archiver.archive.integrity import check_archive

    with Archive.open_existing(db_path) as archive:
        problems = check_archive(archive)
        versions, pages = archive.db["versions"].count, archive.db["pages"].count
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problems in {db_path}")
    click.echo(f"{db_path}: ok ({versions} versions, {pages} raw pages verified)")


def main():
    cli(prog_name="archiver")


if __name__ == "__main__":
    main()
