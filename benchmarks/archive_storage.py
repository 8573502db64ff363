"""What the archive costs: bytes stored against raw HTML, and ingest speed.

    python benchmarks/archive_storage.py [--pages 10000] [--corpus PATH]

1. The demo site, both editions crawled (``archiver demo --no-serve``): raw bytes of
   every fetched page against the bytes stored, and per version.
2. The shared corpus (130 real pages from different sites): each page stored as a
   first version, then an edited copy (one sentence changed) as its second version.
3. Ingest of ``--pages`` pages (demo-site pages made distinct per URL) into a new
   archive: pages/s for ``Archive.record`` alone (parsed beforehand) and with parsing.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # test helpers: synth, demo_traffic

from archiver import parse_article
from archiver.demo import DemoSite
from archiver.archive.stats import archive_stats
from synth import shuffled_paragraphs
from archiver.archive.store import Archive, Fetch

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "readability-test-pages"


def demo_site_figures(folder: Path) -> None:
    """Crawl both demo editions and print stored against raw bytes."""
    db_path = folder / "demo.db"
    subprocess.run([sys.executable, "-m", "archiver", "demo", "--no-serve", "--db", str(db_path)], check=True, capture_output=True)
    archive = Archive(db_path)
    figures = archive_stats(archive.db, db_path)
    second = [row["stored_size"] for row in archive.db.query("select stored_size from pages where dictionary is not null and hash in (select page_hash from versions where version > 1)")]
    print("demo site, two editions crawled:")
    print(f"  fetched raw HTML {figures['raw_bytes_fetched']:,} bytes in {figures['fetches']} fetches; "
          f"{figures['pages']} distinct pages {figures['raw_bytes_distinct']:,} bytes")
    print(f"  stored {figures['stored_bytes']:,} bytes: 1/{figures['compression_fetched']} of the fetched HTML, "
          f"1/{figures['compression_distinct']} of the distinct pages")
    print(f"  per version: {figures['stored_bytes'] / figures['versions']:,.0f} bytes stored for "
          f"{figures['raw_bytes_fetched'] / figures['versions']:,.0f} fetched ({figures['versions']} versions)")
    if second:
        print(f"  a second version's page: median {statistics.median(second):,.0f} bytes stored")


def edited(html: bytes) -> bytes:
    """The page with one word of its text changed, as a small edit would."""
    return re.sub(rb"(<p[^>]*>[^<]{20,}?) (\w+)", rb"\1 EDITED", html, count=1)


def corpus_figures(folder: Path, corpus: Path) -> None:
    """Store each corpus page and an edited copy; print the sizes."""
    if not corpus.is_dir():
        print(f"corpus: {corpus} not found, skipped")
        return
    archive = Archive(folder / "corpus.db")
    raw = first = 0
    seconds = []
    for index, case in enumerate(sorted(p for p in corpus.iterdir() if (p / "source.html").is_file())):
        url = f"http://site{index}.test/{case.name}/"
        for number, html in enumerate(((case / "source.html").read_bytes(),)):
            article = {"url": url, "title": case.name, "body": f"version 1 of {case.name}", "parser_version": "bench"}
            archive.record(Fetch(url=url, status=200, body=html, article=article))
            second = edited(html)
            article = dict(article, body=f"version 2 of {case.name}")
            archive.record(Fetch(url=url, status=200, body=second, article=article))
            raw += len(html) + len(second)
            del number
        rows = list(archive.db.query("select stored_size, dictionary from pages order by rowid desc limit 2"))
        first += rows[1]["stored_size"]
        seconds.append(rows[0]["stored_size"])
    stored = next(archive.db.query("select sum(stored_size) as s, count(*) as n from pages"))
    print(f"shared corpus ({stored['n'] // 2} real pages, each with an edited second version):")
    print(f"  raw {raw:,} bytes stored as {stored['s']:,} (1/{raw / stored['s']:.1f}); first versions 1/{raw / 2 / first:.1f}, "
          f"second versions median {statistics.median(seconds):,.0f} bytes")


def synthetic_pages(count: int) -> list[tuple[str, bytes]]:
    """``count`` distinct article pages (own URL, own body) in the demo site's templates."""
    site = DemoSite(edition=1, base_url="http://bench.test")
    pages = [(url, site.get(url[len("http://bench.test"):])[2]) for url in site.article_urls()]
    result = []
    for n in range(count):
        url, html = pages[n % len(pages)]
        result.append((f"{url.rstrip('/')}-{n}", shuffled_paragraphs(html, n)))
    return result


def ingest_figures(folder: Path, count: int) -> None:
    """Ingest ``count`` pages; print pages/s with and without parsing."""
    pages = synthetic_pages(count)
    began = time.perf_counter()
    parsed = [parse_article(html, url).to_dict() for url, html in pages]
    parse_seconds = time.perf_counter() - began
    archive = Archive(folder / "ingest.db")
    began = time.perf_counter()
    for (url, html), article in zip(pages, parsed):
        archive.record(Fetch(url=url, status=200, body=html, article=article))
    record_seconds = time.perf_counter() - began
    size = (folder / "ingest.db").stat().st_size
    raw = sum(len(html) for _, html in pages)
    stored = next(archive.db.query("select sum(stored_size) as s from pages"))["s"]
    columns = {
        name: next(archive.db.query(f"select sum(length({column})) as n from {table}"))["n"]
        for name, table, column in (("body", "versions", "body"), ("boilerplate", "fetches", "boilerplate"),
                                    ("related links", "fetches", "related_links"))
    }
    print(f"ingest of {count:,} pages ({raw:,} bytes of HTML):")
    print(f"  Archive.record alone: {count / record_seconds:,.0f} pages/s ({record_seconds:.1f} s)")
    print(f"  parse + record:       {count / (parse_seconds + record_seconds):,.0f} pages/s (parse {parse_seconds:.1f} s)")
    print(f"  raw pages stored in {stored:,} bytes (1/{raw / stored:.1f}; shuffled words compress worse than prose)")
    print("  text columns: " + ", ".join(f"{name} {n:,} bytes" for name, n in columns.items()))
    print(f"  archive file {size:,} bytes (1/{raw / size:.1f} of the HTML, text columns and indexes included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        demo_site_figures(Path(folder))
        corpus_figures(Path(folder), args.corpus)
        ingest_figures(Path(folder), args.pages)


if __name__ == "__main__":
    main()
