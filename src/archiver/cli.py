"""The ``archiver`` command: a thin layer over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from archiver.crawl import DEFAULT_SPIDER, CrawlError, crawl_errors, run_crawl, summary
from archiver.store import ArchiveError

DEFAULT_DB = "archive/archive.db"
CONTEXT = {"help_option_names": ["-h", "--help"]}


def db_option(default: str = DEFAULT_DB):
    return click.option(
        "--db",
        "db_path",
        default=default,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="The archive's SQLite file.",
    )


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="archiver")
def cli():
    """Crawl news sites, split every page into its parts, keep every version of every article."""


@cli.command(context_settings=CONTEXT)
@click.argument("spider", default=DEFAULT_SPIDER)
@db_option()
@click.option("--start-url", "start_urls", multiple=True, help="A home page, sitemap or feed (repeatable).")
@click.option("--article-pattern", default="", help="Regular expression that article URLs match.")
@click.option("--max-depth", default=3, show_default=True, help="Link depth followed from HTML start pages.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log (errors are summarised without it).")
def crawl(spider, db_path, start_urls, article_pattern, max_depth, overrides, verbose):
    """Crawl a site into the archive.

    Example: archiver crawl --start-url http://127.0.0.1:8000/sitemap.xml
    """
    args = {"max_depth": max_depth}
    if article_pattern:
        args["article_pattern"] = article_pattern
    settings = dict(_setting(text) for text in overrides)
    level = "INFO" if verbose else "CRITICAL"
    try:
        record = run_crawl(db_path, spider, list(start_urls), log_level=level, settings_overrides=settings, **args)
    except (CrawlError, ArchiveError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(summary(record))
    for line in crawl_errors(db_path, record["id"]) if record["errors"] else []:
        click.echo(f"  error: {line}", err=True)


@cli.command(context_settings=CONTEXT)
@db_option()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file.")
@click.option("--all-versions", is_flag=True, help="Every version, not only the latest.")
def export(db_path, output, all_versions):
    """Export articles as JSON Lines (the latest version of each, or --all-versions).

    Example: archiver export -o articles.jsonl
    """
    from archiver.export import atomic_output, iter_records, write_jsonl

    db = open_existing(db_path)
    records = iter_records(db, all_versions=all_versions)
    if output is None:
        _write_to_stdout(records)
        return
    try:
        with atomic_output(output) as out:
            count = write_jsonl(records, out)
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}") from error
    click.echo(f"{count} records written to {output}", err=True)


def _write_to_stdout(records) -> None:
    """JSON Lines on stdout that end quietly in a closed pipe."""
    from archiver.export import write_jsonl

    try:
        write_jsonl(records, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stdout = None  # nothing more can be written; exit quietly
        sys.exit(0)


def _setting(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` as a pair, or a usage error."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise click.BadParameter(f"{text!r} is not NAME=VALUE", param_hint="--set")
    return name.strip(), value


def open_existing(db_path: str):
    """The archive database at ``db_path``, which must exist."""
    from sqlite_utils import Database

    if not Path(db_path).is_file():
        raise click.ClickException(f"no archive at {db_path}: run 'archiver crawl' first or pass --db")
    return Database(db_path)


@cli.command(context_settings=CONTEXT)
@db_option()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("-p", "--port", default=8001, show_default=True)
def serve(db_path, host, port):
    """Browse the archive in Datasette.

    Example: archiver serve --db archive/archive.db
    """
    from archiver.serve import serve_datasette

    open_existing(db_path)
    serve_datasette(db_path, host=host, port=port)


@cli.command("demo-site", context_settings=CONTEXT)
@click.option("--edition", type=click.Choice(["1", "2"]), default="1", show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("-p", "--port", default=8000, show_default=True)
@click.option("--manifest", is_flag=True, help="Print the manifest of both editions as JSON and exit.")
def demo_site(edition, host, port, manifest):
    """Serve the bundled demo news site (no internet needed).

    Example: archiver demo-site --edition 2 --port 8000
    """
    from archiver.demo_site import DemoServer, build_manifest

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
    from archiver.demo import DemoError, run_demo

    try:
        ok = run_demo(db_path, site_port=site_port, echo=click.echo)
    except (DemoError, CrawlError, ArchiveError) as error:
        raise click.ClickException(str(error)) from error
    if not ok:
        raise click.ClickException("the archive does not match the demo site's manifest (see above)")
    if not no_serve:
        from archiver.serve import serve_datasette

        serve_datasette(db_path, port=port)


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.File("rb"))
@click.option("--url", default="http://localhost/", help="The URL the page came from.")
@click.option("--format", "fmt", type=click.Choice(["json", "text", "markdown"]), default="json", show_default=True)
def parse(file, url, fmt):
    """Split one HTML page (FILE or - for stdin) into its parts.

    Example: archiver parse page.html --url https://example.com/a --format text
    """
    from archiver import ParseError, parse_article
    from archiver.render import render

    try:
        article = parse_article(file.read(), url)
    except ParseError as error:
        raise click.ClickException(f"cannot parse {file.name}: {error}") from error
    click.echo(render(article, fmt))


def open_archive(db_path: str):
    """The :class:`~archiver.store.Archive` at ``db_path``, which must exist."""
    from archiver.store import Archive

    open_existing(db_path)
    try:
        return Archive(db_path)
    except ArchiveError as error:
        raise click.ClickException(str(error)) from error


@cli.command(context_settings=CONTEXT)
@click.argument("url")
@db_option()
def history(url, db_path):
    """The versions of an article, one line each, with the change kind.

    Example: archiver history https://example.com/news/story
    """
    from archiver.history import HistoryError, history_lines

    try:
        click.echo("\n".join(history_lines(open_archive(db_path), url)))
    except HistoryError as error:
        raise click.ClickException(str(error)) from error


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
    from archiver.history import HistoryError, diff_text

    try:
        click.echo(diff_text(open_archive(db_path), url, start, end))
    except HistoryError as error:
        raise click.ClickException(str(error)) from error


@cli.command(context_settings=CONTEXT)
@db_option()
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), help="Only articles fetched since.")
@click.option("--site", help="Only articles of this host.")
def reparse(db_path, since, site):
    """Re-run the current parser over the stored raw pages.

    A new version is written only where the parsed article differs, marked as
    produced by re-parsing (change "reparse"), so a parser upgrade never looks
    like an edit of the article.

    Example: archiver reparse --site www.example.com
    """
    from archiver.reparse import reparse as run

    def report(url, error):
        click.echo(f"cannot re-parse {url}: {error}", err=True)

    counts = run(open_archive(db_path), since.isoformat() if since else None, site, on_error=report)
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
    from archiver.stats import archive_stats, format_stats

    figures = archive_stats(open_archive(db_path).db, db_path)
    click.echo(json.dumps(figures, indent=2) if as_json else format_stats(figures))


@cli.command(context_settings=CONTEXT)
@db_option()
def check(db_path):
    """Verify an archive: SQLite integrity, raw pages present with the right hash,
    versions in order, the search index in sync. Exits 1 with a list of problems.

    Example: archiver check --db archive/archive.db
    """
    from archiver.check import check_archive

    archive = open_archive(db_path)
    problems = check_archive(archive)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problems in {db_path}")
    pages = archive.db["pages"].count
    click.echo(f"{db_path}: ok ({archive.db['versions'].count} versions, {pages} raw pages verified)")


def main():
    cli(prog_name="archiver")


if __name__ == "__main__":
    main()
