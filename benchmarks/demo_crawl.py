"""Time the whole path on the demo site and print what the archive holds.

    python benchmarks/demo_crawl.py [--rounds 3] [--no-throttle]

Serves the demo site on 127.0.0.1, then per round: crawls edition 1 into a new
archive, switches to edition 2 and crawls again, each crawl as the real
``archiver crawl`` command in its own process. Prints the median wall time of
the command, the time spent crawling (from the spider's opening to its close,
as the ``crawls`` table records it), pages per second, and the archive's sizes: raw
bytes fetched against bytes stored (zstd, deduplicated by hash).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlite_utils import Database

from archiver.demo import DemoServer


def crawl(db_path: Path, start_url: str, *options: str) -> float:
    """Run one crawl; return its wall time in seconds."""
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "archiver", "crawl", "--db", str(db_path), "--start-url", start_url, *options],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - began


def one_round(folder: Path, index: int, options: tuple[str, ...]) -> dict:
    """Both editions crawled into a new archive; timings and the archive's figures."""
    db_path = folder / f"round{index}.db"
    with DemoServer(edition=1, host="127.0.0.1", port=0) as server:
        first = crawl(db_path, f"{server.base_url}/sitemap.xml", *options)
        server.set_edition(2)
        second = crawl(db_path, f"{server.base_url}/sitemap.xml", *options)
    db = Database(db_path)
    crawls = list(db.query("select pages, seconds from crawls order by id"))
    sizes = next(db.query("select sum(size) as raw, sum(stored_size) as stored, count(*) as n from pages"))
    fetched = next(db.query("select count(*) as n from fetches where page_hash is not null"))["n"]
    return {
        "first": first,
        "second": second,
        "pages": [row["pages"] for row in crawls],
        "crawl_seconds": [row["seconds"] for row in crawls],
        "versions": db["versions"].count,
        "pages_stored": sizes["n"],
        "fetched_with_body": fetched,
        "raw_bytes_stored": sizes["raw"],
        "stored_bytes": sizes["stored"],
        "db_bytes": db_path.stat().st_size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-throttle", action="store_true", help="Crawl with AutoThrottle off.")
    args = parser.parse_args()
    options = ("--set", "AUTOTHROTTLE_ENABLED=0") if args.no_throttle else ()
    print(f"AutoThrottle {'off' if args.no_throttle else 'on (project settings)'}")
    with tempfile.TemporaryDirectory() as folder:
        rounds = [one_round(Path(folder), i, options) for i in range(args.rounds)]
    last = rounds[-1]
    for index, (label, key) in enumerate((("edition 1", "first"), ("edition 2", "second"))):
        pages = last["pages"][index]
        seconds = statistics.median(r[key] for r in rounds)
        crawling = statistics.median(r["crawl_seconds"][index] for r in rounds)
        print(
            f"crawl {label}: {pages} pages; command {seconds:.2f} s, of which crawling {crawling:.2f} s "
            f"(median of {args.rounds}): {pages / crawling:.0f} pages/s while crawling"
        )
    print(f"versions: {last['versions']}; fetches with a body: {last['fetched_with_body']}; distinct pages stored: {last['pages_stored']}")
    ratio = last["raw_bytes_stored"] / last["stored_bytes"]
    print(
        f"raw pages: {last['raw_bytes_stored']:,} bytes stored as {last['stored_bytes']:,} (zstd-3, {ratio:.1f}x); "
        f"archive file {last['db_bytes']:,} bytes"
    )


if __name__ == "__main__":
    main()
