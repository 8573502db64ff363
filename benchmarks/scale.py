"""The archive at scale: search, Datasette pages, export, check and size at N versions.

    python benchmarks/scale.py                        # 200,000 versions (100,000 articles x 2)
    python benchmarks/scale.py --versions 1000000     # the issue's size (builds for ~25-40 min on 2 vCPUs)

Builds a synthetic archive once with :func:`synth.build_archive` (rows written
straight into the tables in large transactions, search index and near-duplicate sketches
filled, real zstd pages; cached under the temporary folder's archiver-bench/scale-N/archive.db), then:

0. opens it with the current schema (``Archive``): seconds to apply any new migration;
1. full-text search, straight in SQLite: the ``search`` and ``search_all_versions`` canned
   queries of the Datasette plugin (``archiver.datasette.plugin.search_queries``; bm25, top
   100; a query matching more than the window's 5,000 versions is ranked among its newest 5,000) for the most common, middling and rare words
   and two-word queries; p50/p95;
2. Datasette over HTTP (``archiver serve`` in its own process): the table page of every large
   table and view, row pages, the plugin's article and search pages, table searches and the
   canned query; each page requested ``--requests`` times or for ``--page-seconds``, whichever
   comes first (after one unmeasured request); p50/p95;
3. ``archiver export --all-versions`` (jsonl) to a file: seconds and peak RSS;
4. ``archiver check``: seconds and peak RSS;
5. the file's size per version, and per table with its indexes (SQLite's ``dbstat``).
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # test helpers: synth, demo_traffic

#: Built sites and archives are kept between runs here (ARCHIVER_BENCH_CACHE overrides).
CACHE = Path(os.environ.get("ARCHIVER_BENCH_CACHE") or Path(tempfile.gettempdir()) / "archiver-bench")
ARCHIVER = [sys.executable, "-m", "archiver"]


def build(versions: int) -> Path:
    """The cached archive of ``versions`` versions."""
    from synth import build_archive

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
    """Words by how many versions contain them: the most common, middling, rare; and two-word
    queries (a middling word and a most common one).

    The index holds stemmed terms; a term is taken only when searching for it finds every
    version the index lists for it (stemming it again may not give the same term)."""
    db.execute("create virtual table if not exists temp.fts_vocab using fts5vocab(main, versions_fts, 'row')")
    terms = db.execute("select term, doc from temp.fts_vocab order by doc desc, term").fetchall()

    def found(start: int, step: int = 1) -> list[str]:
        chosen = []
        for term, doc in terms[start::step]:
            count = db.execute("select count(*) from versions_fts where versions_fts match ?", [escape_fts(term)]).fetchone()[0]
            if count == doc:
                chosen.append(term)
            if len(chosen) == 20:
                break
        return chosen

    common, middle, rare = found(0), found(len(terms) // 50), found(len(terms) - 1, -1)
    return {"most common word": common, "middling word": middle, "rare word": rare,
            "two words": [f"{a} {b}" for a, b in zip(middle, common)]}


def search_figures(path: Path, rounds: int) -> None:
    """The canned search queries' latency per kind of query, and how many versions match."""
    from archiver.datasette.plugin import search_queries as canned_searches

    queries = canned_searches()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.create_function("archiver_fts", 1, escape_fts, deterministic=True)
    for kind, words in search_queries(db).items():
        matches = sorted(db.execute("select count(*) from versions_fts where versions_fts match ?", [escape_fts(w)]).fetchone()[0]
                         for w in words)
        print(f"  search, {kind:16} ({matches[0]:,}-{matches[-1]:,} matching versions)")
        for name in ("search", "search_all_versions"):
            samples = []
            for _ in range(rounds):
                for query in words:
                    began = time.perf_counter()
                    db.execute(queries[name]["sql"], {"q": query}).fetchall()
                    samples.append(time.perf_counter() - began)
            print(f"    {name:22} {percentiles(samples)}  ({len(samples)} queries)")
    db.close()


def escape_fts(text: str | None) -> str:
    """A visitor's words as an FTS5 query, as Datasette (and the plugin's ``archiver_fts``) does."""
    from datasette.utils import escape_fts as datasette_escape

    return datasette_escape(text or "")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def datasette_figures(path: Path, requests: int, seconds: float) -> None:
    """Latency of Datasette pages over HTTP: each page ``requests`` times or for ``seconds``."""
    port = free_port()
    server = subprocess.Popen([*ARCHIVER, "serve", "--db", str(path), "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("archiver serve did not start")
                time.sleep(0.2)
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        top = db.execute("select max(id) from versions").fetchone()[0]
        top_fetch = db.execute("select max(id) from fetches").fetchone()[0]
        words = search_queries(db)
        common, middle, rare = words["most common word"][0], words["middling word"][0], words["rare word"][0]
        db.close()
        pages = (
            ("home", "/"),
            ("database page", "/archive"),
            ("table latest_articles", "/archive/latest_articles"),
            ("table articles", "/archive/articles"),
            ("table versions", "/archive/versions"),
            ("table fetches", "/archive/fetches"),
            ("table latest_versions", "/archive/latest_versions"),
            ("table aliases", "/archive/aliases"),
            ("row versions/N", "/archive/versions/{n}"),
            ("row articles/N", "/archive/articles/{a}"),
            ("row fetches/N", "/archive/fetches/{f}"),
            ("article page", "/archive/-/article/{a}"),
            ("diff page", "/archive/-/article/{a}/diff"),
            ("search page, common", f"/archive/-/search?q={common}"),
            ("search page, middling", f"/archive/-/search?q={middle}"),
            ("search page, rare", f"/archive/-/search?q={rare}"),
            ("search page, all, common", f"/archive/-/search?q={common}&all=1"),
            ("canned search, common", f"/archive/search?q={common}"),
            ("canned search, middling", f"/archive/search?q={middle}"),
            ("table search latest_articles, common", f"/archive/latest_articles?_search={common}"),
            ("table search latest_articles, middling", f"/archive/latest_articles?_search={middle}"),
            ("table search versions, middling", f"/archive/versions?_search={middle}"),
        )
        for name, template in pages:
            samples = []
            began_page = time.monotonic()
            for index in range(requests + 1):
                n = 1 + (index * 7919) % top
                url = base + template.format(n=n, a=(n + 1) // 2, f=1 + (index * 7919) % top_fetch)
                began = time.perf_counter()
                with urllib.request.urlopen(url, timeout=60) as response:
                    response.read()
                if index:  # the first request warms the server's caches and is not counted
                    samples.append(time.perf_counter() - began)
                if index and time.monotonic() - began_page > seconds:
                    break
            print(f"  datasette {name:40} {percentiles(samples)}  ({len(samples)})")
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
    """The file size per version, per table with its indexes, and the largest objects."""
    size = path.stat().st_size
    print(f"  archive file {size / 1e6:,.0f} MB = {size / versions:,.0f} bytes per version")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        objects = db.execute("select name, sum(pgsize) from dbstat group by name order by 2 desc").fetchall()
    except sqlite3.OperationalError:
        print("    (no dbstat in this SQLite)")
        return
    owner = dict(db.execute("select name, tbl_name from sqlite_master"))

    def fts_owner(table: str) -> str:
        """An FTS5 shadow table's FTS table; any other table itself."""
        for shadow in ("_data", "_idx", "_docsize", "_config", "_content"):
            if table.endswith(shadow) and table[: -len(shadow)] in owner:
                return table[: -len(shadow)]
        return table

    owner = {name: fts_owner(table) for name, table in owner.items()}
    tables: dict[str, int] = collections.Counter()
    for name, pages in objects:
        tables[owner.get(name, name)] += pages
    print("    per table, with its indexes:")
    for name, pages in tables.most_common():
        if pages / versions >= 1:
            print(f"      {name:34} {pages / 1e6:9,.0f} MB  {pages / versions:7,.0f} bytes/version")
    print("    largest objects:")
    for name, pages in objects[:12]:
        print(f"      {name:34} {pages / 1e6:9,.0f} MB  {pages / versions:7,.0f} bytes/version")
    db.close()


def migrate(path: Path) -> None:
    """Open the archive with the current code: applies any migration it lacks; seconds."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    before = {row[0] for row in db.execute("select name from _sqlite_migrations")}
    db.close()
    began = time.monotonic()
    subprocess.run([sys.executable, "-c", "import sys; from archiver.archive.store import Archive; Archive(sys.argv[1]).db.close()",
                    str(path)], check=True)
    seconds = time.monotonic() - began
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    added = [row[0] for row in db.execute("select name from _sqlite_migrations order by id") if row[0] not in before]
    db.close()
    print(f"  open with the current schema: {seconds:.1f} s (migrations applied: {', '.join(added) or 'none'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=40, help="Requests per Datasette page (at most).")
    parser.add_argument("--page-seconds", type=float, default=20, help="Time per Datasette page (at most).")
    parser.add_argument("--rounds", type=int, default=5, help="Times each search query runs.")
    parser.add_argument("--only", choices=("search", "datasette", "export", "check", "size"), action="append",
                        help="Measure only this (repeatable); default: everything.")
    args = parser.parse_args()
    path = build(args.versions)
    only = set(args.only or ("search", "datasette", "export", "check", "size"))
    print(f"archive: {args.versions:,} versions ({path}); {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    migrate(path)
    if "search" in only:
        search_figures(path, args.rounds)
    if "datasette" in only:
        datasette_figures(path, args.requests, args.page_seconds)
    if "export" in only:
        out = path.parent / "export.jsonl"
        seconds, rss = timed([*ARCHIVER, "export", "--db", str(path), "--all-versions", "-o", str(out)])
        print(f"  export --all-versions (jsonl): {seconds:.1f} s, {args.versions / seconds:,.0f} records/s, "
              f"peak RSS {rss:.0f} MiB, {out.stat().st_size / 1e6:,.0f} MB")
        out.unlink(missing_ok=True)
    if "check" in only:
        seconds, rss = timed([*ARCHIVER, "check", "--db", str(path)])
        print(f"  archiver check: {seconds:.1f} s, peak RSS {rss:.0f} MiB")
    if "size" in only:
        size_figures(path, args.versions)
    print(f"load at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
