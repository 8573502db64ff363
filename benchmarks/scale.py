"""The archive at scale: search, Datasette pages, export, check and size at N versions.

    python benchmarks/scale.py                        # 200,000 versions (100,000 articles x 2)
    python benchmarks/scale.py --versions 1000000     # the issue's size (builds for ~25 min on 2 vCPUs)

Builds a synthetic archive once with :func:`archiver.synth.build_archive` (rows written
straight into the tables in large transactions, search index and near-duplicate sketches
filled, real zstd pages; cached under the temporary folder's archiver-bench/scale-N/archive.db), then:

1. full-text search: the ``search`` canned query of ``archive/metadata.yml`` (bm25, top 100,
   latest versions) for common, middling and rare words and a two-word query; p50/p95;
2. Datasette over HTTP (``archiver serve`` in its own process): table, row, search and
   article pages, each requested ``--requests`` times; p50/p95;
3. ``archiver export --all-versions`` (jsonl) to a file: seconds and peak RSS;
4. ``archiver check``: seconds;
5. the file's size per version, and per table (SQLite's ``dbstat``).
"""

from __future__ import annotations

import argparse
import collections
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

#: Built sites and archives are kept between runs here (ARCHIVER_BENCH_CACHE overrides).
CACHE = Path(os.environ.get("ARCHIVER_BENCH_CACHE") or Path(tempfile.gettempdir()) / "archiver-bench")
ARCHIVER = [sys.executable, "-m", "archiver"]


def build(versions: int) -> Path:
    """The cached archive of ``versions`` versions."""
    from archiver.synth import build_archive

    path = CACHE / f"scale-{versions}" / "archive.db"
    if path.is_file():
        return path
    tmp = CACHE / f"scale-{versions}.tmp" / "archive.db"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    for leftover in tmp.parent.glob("*"):
        leftover.unlink()
    began = time.monotonic()

    def progress(articles: int) -> None:
        rate = articles * 2 / (time.monotonic() - began)
        print(f"\r  built {articles * 2:,} versions, {rate:,.0f}/s", end="", file=sys.stderr)

    build_archive(tmp, versions, progress=progress)
    print(f"\nbuilt {versions:,} versions in {time.monotonic() - began:.0f} s", file=sys.stderr)
    tmp.parent.rename(path.parent)
    return path


def percentiles(samples: list[float]) -> str:
    """``p50 / p95 / max`` in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  max {ordered[-1] * 1000:7.1f} ms"


def search_queries(db: sqlite3.Connection) -> dict[str, list[str]]:
    """Words by how many versions contain them: common, middling, rare; and two-word queries."""
    db.execute("create virtual table if not exists temp.fts_vocab using fts5vocab(main, versions_fts, 'row')")
    words = [row[0] for row in db.execute("select term from temp.fts_vocab order by doc desc")]
    common, middle, rare = words[:20], words[len(words) // 50 : len(words) // 50 + 20], words[-20:]
    return {"common word": common, "middling word": middle, "rare word": rare,
            "two words": [f"{a} {b}" for a, b in zip(middle, common)]}


def search_figures(path: Path, rounds: int) -> None:
    """The canned ``search`` query's latency per kind of query."""
    import yaml

    from archiver.serve import config_dir

    metadata = yaml.safe_load((config_dir() / "metadata.yml").read_text())
    sql = metadata["databases"]["archive"]["queries"]["search"]["sql"].replace("archiver_fts(:q)", ":q")
    db = sqlite3.connect(path)
    for kind, queries in search_queries(db).items():
        samples = []
        for _ in range(rounds):
            for query in queries:
                began = time.perf_counter()
                db.execute(sql, {"q": query}).fetchall()
                samples.append(time.perf_counter() - began)
        print(f"  search, {kind:14} {percentiles(samples)}  ({len(samples)} queries)")
    db.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def datasette_figures(path: Path, requests: int) -> None:
    """Latency of Datasette pages over HTTP, ``requests`` of each."""
    port = free_port()
    server = subprocess.Popen([*ARCHIVER, "serve", "--db", str(path), "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("archiver serve did not start")
                time.sleep(0.2)
        db = sqlite3.connect(path)
        top = db.execute("select max(id) from versions").fetchone()[0]
        word = search_queries(db)["middling word"][0]
        db.close()
        pages = collections.OrderedDict(
            (name, template) for name, template in (
                ("home", "/"),
                ("table latest_articles", "/archive/latest_articles"),
                ("table versions", "/archive/versions?_col=title&_col=change&_col=first_seen"),
                ("table fetches", "/archive/fetches"),
                ("row versions/N", "/archive/versions/{n}"),
                ("row articles/N", "/archive/articles/{a}"),
                ("article page", "/archive/-/article/{a}"),
                ("search page", f"/archive/-/search?q={word}"),
                ("table search", f"/archive/latest_articles?_search={word}"),
            )
        )
        for name, template in pages.items():
            samples = []
            for index in range(requests):
                n = 1 + (index * 7919) % top
                url = base + template.format(n=n, a=(n + 1) // 2)
                began = time.perf_counter()
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
                samples.append(time.perf_counter() - began)
            print(f"  datasette {name:22} {percentiles(samples)}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def timed(command: list[str]) -> tuple[float, float]:
    """Run a command; its seconds and peak RSS in MiB (from GNU time: a forked child's own
    ``ru_maxrss`` would start at this process's size)."""
    with tempfile.NamedTemporaryFile("r") as report:
        began = time.monotonic()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, *command], stdout=subprocess.DEVNULL, check=True)
        seconds = time.monotonic() - began
        return seconds, int(report.read().split()[-1]) / 1024


def size_figures(path: Path, versions: int) -> None:
    """The file size per version, and the largest tables and indexes."""
    size = path.stat().st_size
    print(f"  archive file {size / 1e6:,.0f} MB = {size / versions:,.0f} bytes per version")
    db = sqlite3.connect(path)
    try:
        rows = db.execute("select name, sum(pgsize) from dbstat group by name order by 2 desc limit 8").fetchall()
    except sqlite3.OperationalError:
        rows = []
    for name, pages in rows:
        print(f"    {name:36} {pages / 1e6:9,.0f} MB  {pages / versions:7,.0f} bytes/version")
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=30, help="Requests per Datasette page.")
    parser.add_argument("--rounds", type=int, default=5, help="Times each search query runs.")
    args = parser.parse_args()
    path = build(args.versions)
    print(f"archive: {args.versions:,} versions ({path}); {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    search_figures(path, args.rounds)
    datasette_figures(path, args.requests)
    out = path.parent / "export.jsonl"
    seconds, rss = timed([*ARCHIVER, "export", "--db", str(path), "--all-versions", "-o", str(out)])
    print(f"  export --all-versions (jsonl): {seconds:.1f} s, {args.versions / seconds:,.0f} records/s, peak RSS {rss:.0f} MiB")
    out.unlink(missing_ok=True)
    seconds, rss = timed([*ARCHIVER, "check", "--db", str(path)])
    print(f"  archiver check: {seconds:.1f} s, peak RSS {rss:.0f} MiB")
    size_figures(path, args.versions)


if __name__ == "__main__":
    main()
