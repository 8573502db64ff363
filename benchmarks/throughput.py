"""Crawl throughput on one machine: our whole pipeline against the same spider doing nothing.

    python benchmarks/throughput.py                   # 20,000 article pages, one round each
    python benchmarks/throughput.py --pages 100000 --only full   # memory at 100,000 pages
    python benchmarks/throughput.py --variant workers=ARCHIVER_PARSE_WORKERS=1,ARCHIVER_WRITER_PROCESS=1
    python benchmarks/throughput.py --site wcxb --rounds 2   # the 1,497 real pages of wcxb-dev

Writes ``--pages`` distinct article pages in the demo site's templates, with a sitemap
index, as static files (cached under the temporary folder's archiver-bench/), serves them with nginx on
127.0.0.1 (a config written here; nginx started and stopped by this script), then crawls
the sitemap in separate processes, taking turns:

- ``noop``: the generic spider with a callback that does nothing (no parse, no item);
- ``full``: the generic spider with the project's pipeline into a new archive: fetch,
  parse, dedupe, versioned store, exactly what ``archiver crawl --start-url`` runs;
- each ``--variant NAME=SETTING=VALUE,...``: the full crawl with those settings too.

Both use the project's settings, with AutoThrottle off (a local server: politeness is
not what is measured). Prints pages/s (article pages over the spider's open-to-close
time), CPU seconds per 1,000 pages and peak RSS of each, and the ratio full/noop.

With ``--site wcxb`` the site is every page of ``../shared/corpus/wcxb-dev`` (real pages of
all kinds, ~280 KB each: see ``wcxb_site.py``; skipped when ``../shared`` is absent). The
site has no article pattern, so the crawler archives what the parser's ``is_article`` calls
articles: the report gives CPU per crawled and per archived page, how many of the corpus's
articles and other pages were archived, and the word F1 of the stored bodies against the
ground truth (``../shared/eval/score_wcxb.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # test helpers: synth, demo_traffic

import wcxb_site  # beside this script

#: Built sites and archives are kept between runs here (ARCHIVER_BENCH_CACHE overrides).
CACHE = Path(os.environ.get("ARCHIVER_BENCH_CACHE") or Path(tempfile.gettempdir()) / "archiver-bench")
NGINX_CONF = """
daemon off;
worker_processes 1;
worker_rlimit_nofile 16384;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log error;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    default_type text/html;
    types {{ text/xml xml; text/plain txt; }}
    sendfile on;
    keepalive_requests 100000;
    {http_conf}
    server {{
{listens}
        root {root};
        {locations}
    }}
}}
"""


def site_folder(pages: int) -> Path:
    """The static site with ``pages`` articles, written once and cached."""
    from synth import write_site

    folder = CACHE / f"site-{pages}"
    if (folder / "sitemap.xml").is_file():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    tmp = CACHE / f"site-{pages}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    began = time.monotonic()
    written = write_site(tmp, pages, "http://127.0.0.1")  # URLs made relative to any port below
    tmp.rename(folder)
    print(f"wrote {pages:,} pages ({written / 1e6:,.0f} MB) in {time.monotonic() - began:.0f} s", file=sys.stderr)
    return folder


def free_ports(count: int) -> list[int]:
    """``count`` distinct free ports of 127.0.0.1."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class Nginx:
    """nginx serving ``root`` on 127.0.0.1 (on ``1 + extra_ports`` ports), started and stopped by this benchmark.

    ``http_conf`` and ``locations`` may be set before it starts (the wcxb site's map).
    """

    def __init__(self, root: Path, extra_ports: int = 0):
        self.root, self.ports = root, free_ports(1 + extra_ports)
        self.port = self.ports[0]
        self.http_conf, self.locations = "", "location / { try_files $uri =404; }"
        self.prefix = Path(tempfile.mkdtemp(prefix="archiver-nginx-"))
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Nginx:
        conf = self.prefix / "nginx.conf"
        listens = "".join(f"        listen 127.0.0.1:{port};\n" for port in self.ports)
        conf.write_text(NGINX_CONF.format(prefix=self.prefix, listens=listens, root=self.root,
                                          http_conf=self.http_conf, locations=self.locations))
        self.process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(self.prefix), "-e", str(self.prefix / "error.log")])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError(f"nginx did not start: {(self.prefix / 'error.log').read_text()}")

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.prefix, ignore_errors=True)


def run_child(mode: str, url: str, db: Path, extra: list[str]) -> dict:
    """One crawl in its own process; its figures, with peak RSS from ``wait4``."""
    command = [sys.executable, __file__, "--child", mode, "--url", url, "--db", str(db), *extra]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"{mode} crawl failed ({status}): {output}")
    figures = json.loads(output.strip().splitlines()[-1])
    figures["peak_rss_mb"] = max(usage.ru_maxrss / 1024, figures.get("children_rss_mb", 0))
    figures["cpu_s"] = usage.ru_utime + usage.ru_stime
    return figures


def child(mode: str, url: str, db: str, settings: list[str]) -> None:
    """Run one crawl in this process and print its figures as JSON."""
    from scrapy.crawler import CrawlerProcess

    from scrapers.run import project_settings
    from scrapers.spiders.generic import GenericSpider

    class CountedSpider(GenericSpider):
        """The generic spider, counting the pages it is handed (articles or not)."""

        def parse_page(self, response, parsed=None):
            self.crawler.stats.inc_value("archiver/bench_pages")
            return super().parse_page(response, parsed)

    class NoopSpider(GenericSpider):
        """The generic spider with a callback that does nothing."""

        name = "generic-noop"

        def parse_page(self, response):
            self.crawler.stats.inc_value("archiver/noop_pages")
            return []

    overrides = {"AUTOTHROTTLE_ENABLED": False, **dict(item.split("=", 1) for item in settings)}
    if mode == "noop":
        overrides.update(ITEM_PIPELINES={}, ARCHIVER_PARSE_WORKERS=0)
    process = CrawlerProcess(project_settings(db, "ERROR", overrides))
    crawler = process.create_crawler(NoopSpider if mode == "noop" else CountedSpider)
    process.crawl(crawler, start_url=url)
    process.start()
    stats = crawler.stats.get_stats()
    if mode == "noop":
        pages, seconds = stats.get("archiver/noop_pages", 0), stats["elapsed_time_seconds"]
        crawled = pages
    else:
        record = stats["archiver/crawl"]
        pages, seconds = record["pages"], record["seconds"]
        crawled = stats.get("archiver/bench_pages", 0)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "pages": pages, "crawled": crawled, "seconds": seconds, "responses": stats.get("response_received_count", 0),
        "children_rss_mb": children.ru_maxrss / 1024, "children_cpu_s": children.ru_utime + children.ru_stime,
        "versions": stats.get("archiver/new", 0),
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", choices=["demo", "wcxb"], default="demo",
                        help="demo: --pages pages in the demo templates; wcxb: the pages of ../shared/corpus/wcxb-dev.")
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=1, help="Crawls of each kind, taking turns (median reported).")
    parser.add_argument("--only", choices=["noop", "full"], help="Run only one kind.")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="A Scrapy setting for both crawls.")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=SETTING=VALUE,...",
                        help="Another full crawl, with these settings (repeatable), e.g. "
                             "workers=ARCHIVER_PARSE_WORKERS=1,ARCHIVER_WRITER_PROCESS=1.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.db, args.settings)
        return
    if args.site == "wcxb":
        reason = wcxb_site.missing()
        if reason:
            print(f"skipped: {reason}", file=sys.stderr)
            return
        root = wcxb_folder()
    else:
        root = site_folder(args.pages)
    modes = [args.only] if args.only else ["noop", "full"]
    variants = {mode: [] for mode in modes}
    for text in args.variant:
        name, _, settings = text.partition("=")
        variants[name] = [f"--set={item}" for item in settings.split(",") if item]
    results: dict[str, list[dict]] = {mode: [] for mode in variants}
    archived, served = None, {}
    nginx = Nginx(root, len(wcxb_site.hosts(root)) if args.site == "wcxb" else 0)
    if args.site == "wcxb":
        served = wcxb_site.serve(nginx, root)
    with nginx, tempfile.TemporaryDirectory() as folder:
        url = f"http://127.0.0.1:{nginx.port}/sitemap.xml"
        if args.site == "demo":
            # The pages were written for http://127.0.0.1/ (port 80): serve them under this port by
            # rewriting only the sitemaps' host, so every article URL answers here.
            _point_sitemaps(root, nginx.port)
        for round_ in range(args.rounds):
            for mode, extra in variants.items():
                db = Path(folder) / f"{mode}-{round_}.db"
                kind = "noop" if mode == "noop" else "full"
                figures = run_child(kind, url, db, [f"--set={item}" for item in args.settings] + extra)
                results[mode].append(figures)
                print(f"{mode:5} round {round_ + 1}: {figures['crawled']:,} pages in {figures['seconds']:.1f} s "
                      f"= {figures['crawled'] / figures['seconds']:,.0f} pages/s, peak RSS {figures['peak_rss_mb']:.0f} MiB",
                      file=sys.stderr)
        if args.site == "wcxb" and "full" in results:
            archived = wcxb_site.archive_figures(Path(folder) / f"full-{args.rounds - 1}.db", served)
    if args.site == "wcxb":
        report_wcxb(results, archived)
    else:
        report(args.pages, results)


def wcxb_folder() -> Path:
    """The static site of the wcxb-dev pages, written once and cached."""
    folder = CACHE / "site-wcxb"
    if (folder / wcxb_site.PAGES_FILE).is_file():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    tmp = CACHE / "site-wcxb.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    written = wcxb_site.write_site(tmp)
    tmp.rename(folder)
    print(f"wrote the wcxb-dev pages ({written / 1e6:,.0f} MB)", file=sys.stderr)
    return folder


def _point_sitemaps(root: Path, port: int) -> None:
    """Make the sitemaps list the articles at ``127.0.0.1:port`` (idempotent)."""
    import re

    for path in root.glob("sitemap*.xml"):
        text = path.read_text()
        path.write_text(re.sub(r"http://127\.0\.0\.1(:\d+)?/", f"http://127.0.0.1:{port}/", text))


def report(pages: int, results: dict[str, list[dict]]) -> None:
    """The table: pages/s, CPU per 1,000 pages, peak RSS; and full/noop."""
    print(f"site: {pages:,} article pages (demo templates, ~13 KB each) from nginx on 127.0.0.1; "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    width = max(6, *(len(mode) for mode in results))
    print(f"{'crawl':{width}} {'pages':>8} {'seconds':>8} {'pages/s':>8} {'CPU s/1k pages':>15} {'of it workers':>14} "
          f"{'peak RSS MiB':>13} {'/ noop':>7}")
    rates = {mode: statistics.median(r["pages"] / r["seconds"] for r in rounds) for mode, rounds in results.items()}
    for mode, rounds in results.items():
        last = rounds[-1]
        per_1k = 1000 / max(last["pages"], 1)
        ratio = f"{rates[mode] / rates['noop']:.2f}x" if "noop" in rates and mode != "noop" else ""
        print(f"{mode:{width}} {last['pages']:>8,} {last['seconds']:>8.1f} {rates[mode]:>8,.0f} {last['cpu_s'] * per_1k:>15.2f} "
              f"{last['children_cpu_s'] * per_1k:>14.2f} {last['peak_rss_mb']:>13.0f} {ratio:>7}")


def report_wcxb(results: dict[str, list[dict]], archived: dict | None) -> None:
    """The wcxb table: pages/s, CPU per crawled and per archived page, peak RSS (medians of the rounds); the archive's figures."""
    pages = max(run["crawled"] for rounds in results.values() for run in rounds)
    print(f"site: the {pages:,} pages of wcxb-dev "
          f"(~280 KB each) from nginx on 127.0.0.1; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    width = max(6, *(len(mode) for mode in results))
    print(f"{'crawl':{width}} {'crawled':>8} {'archived':>9} {'seconds':>8} {'pages/s':>8} {'CPU ms/page':>12} "
          f"{'CPU ms/archived':>16} {'peak RSS MiB':>13} {'/ noop':>7}")
    medians = {mode: {key: statistics.median(_figure(r, key) for r in rounds) for key in
                      ("crawled", "pages", "seconds", "rate", "cpu_s", "peak_rss_mb")} for mode, rounds in results.items()}
    for mode, m in medians.items():
        archived_ms = f"{m['cpu_s'] * 1000 / m['pages']:16.1f}" if mode != "noop" and m["pages"] else f"{'-':>16}"
        ratio = f"{m['rate'] / medians['noop']['rate']:.2f}x" if "noop" in medians and mode != "noop" else ""
        print(f"{mode:{width}} {m['crawled']:>8,.0f} {m['pages'] if mode != 'noop' else 0:>9,.0f} {m['seconds']:>8.1f} "
              f"{m['rate']:>8,.1f} {m['cpu_s'] * 1000 / max(m['crawled'], 1):>12.1f} {archived_ms} "
              f"{m['peak_rss_mb']:>13.0f} {ratio:>7}")
    if "noop" in medians and "full" in medians and medians["full"]["pages"]:
        extra = (medians["full"]["cpu_s"] - medians["noop"]["cpu_s"]) * 1000 / medians["full"]["pages"]
        print(f"full less noop: {extra:.1f} CPU ms per archived page")
    if archived:
        a = archived
        print(f"archived (last full crawl): {a['articles_archived']} of the {a['articles']} articles, "
              f"{a['others_archived']} of the {a['others']} other pages")
        print(f"word F1 of the stored bodies: archived articles {a['f1_archived_articles']:.3f}, archived other pages "
              f"{a['f1_archived_others'] or 0:.3f}, all {a['articles']} articles (those not archived as empty) "
              f"{a['f1_all_articles']:.3f}; 'without' snippets in archived articles {a['without_archived_articles']:.3f}")


def _figure(run: dict, key: str) -> float:
    """One figure of a crawl; ``rate``: crawled pages per second."""
    return run["crawled"] / run["seconds"] if key == "rate" else run[key]


if __name__ == "__main__":
    main()
