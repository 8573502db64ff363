"""Reliability report: a crawl of the hostile site, and a crawl killed with kill -9 again and again.

    python benchmarks/reliability.py [--kills 10]

Part 1 crawls tests/hostile_site.py (every fault once, good pages around them, off-site
sitemap entries) through the site as an HTTP proxy, with DOWNLOAD_TIMEOUT=3, and prints per
fault: requests made (retries included), outcome and reason; then pages archived, requests
refused, requests that escaped (must be 0), peak memory and time.

Part 2 kills a crawl of the demo site with SIGKILL at random points ``--kills`` times, counting
committed versions from a read-only connection before each kill and after it: versions lost
(must be 0), integrity, ``archiver check``, and whether a last run completes the crawl.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "src"), str(REPO)]

from conftest import archiver  # noqa: E402
from hostile_site import FAULTS, OFF_SITE, HostileSite, run_measured  # noqa: E402
from test_reliability import kill_at_random_points, read_only  # noqa: E402

from archiver.demo import DemoServer  # noqa: E402
from demo_traffic import Traffic  # noqa: E402


def hostile_crawl(folder: Path) -> None:
    db_path = folder / "hostile.db"
    with HostileSite() as site:
        env = {**os.environ, "http_proxy": site.base_url, "no_proxy": ""}
        command = [sys.executable, "-m", "archiver", "crawl", "--db", str(db_path), "--start-url", site.sitemap_url,
                   "--set", "DOWNLOAD_TIMEOUT=3", "--set", "AUTOTHROTTLE_ENABLED=0"]
        started = time.monotonic()
        status, stdout, _, peak_mb = run_measured(command, 180, cwd=REPO, env=env)
        seconds = time.monotonic() - started
        hits = {fault.path: site.hits(fault.path) for fault in FAULTS}
        good = site.good_urls
        escaped, proxied = list(site.escaped), site.proxied
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    print(f"1. Hostile site: {len(FAULTS)} faults, {len(good)} good pages, {len(OFF_SITE)} off-site sitemap entries")
    print(f"   {'fault':<48}{'requests':>9}  outcome")
    kept = 0
    for fault in FAULTS:
        url = site.base_url + fault.path
        row = conn.execute("select outcome, error from fetches where url = ? or redirects like ?",
                           [url, f'%"{url}"%']).fetchone()
        outcome = "not recorded (not an article)" if row is None else (
            "archived" if row["outcome"] != "error" else row["error"])
        kept += outcome == "archived"
        expected = {"archived": outcome == "archived", "error": row is not None and row["outcome"] == "error"}
        mark = "" if expected.get(fault.expect, True) else "  << UNEXPECTED"
        print(f"   {fault.kind:<48}{hits[fault.path]:>9}  {outcome[:110]}{mark}")
    refused = [row[0] for row in conn.execute("select error from fetches where error like '%refused: %'")]
    archived_good = sum(
        1 for url in good if conn.execute("select 1 from fetches where url = ? and outcome = 'new'", [url]).fetchone()
    )
    versions = conn.execute("select count(*) from versions").fetchone()[0]
    retries = sum(count - 1 for count in hits.values() if count > 1)
    print(f"   exit status {status}; {stdout.strip()}")
    print(f"   good pages archived {archived_good}/{len(good)}; faulty pages archived {kept}; versions {versions}")
    print(f"   requests refused before connecting {len(refused)}; escaped to other hosts {len(escaped)} "
          f"(of {proxied} through the proxy); retries {retries}")
    print(f"   peak RSS {peak_mb:.0f} MiB; {seconds:.1f} s")


def kill_loop(folder: Path, kills: int) -> None:
    db_path = folder / "killed.db"
    with DemoServer(edition=1) as server:
        server._httpd.handle_error = lambda *args: None  # a killed crawl leaves broken pipes: not news
        Traffic(server, delay=0.05)
        sitemap = f"{server.base_url}/sitemap.xml"
        started = time.monotonic()
        rounds = kill_at_random_points(db_path, sitemap, kills)
        check = archiver("check", "--db", db_path)
        final = archiver("crawl", "--db", db_path, "--start-url", sitemap, "--set", "AUTOTHROTTLE_ENABLED=0")
        seconds = time.monotonic() - started
    conn = read_only(db_path)
    articles, versions = (conn.execute(f"select count(*) from {table}").fetchone()[0] for table in ("articles", "versions"))
    integrity = conn.execute("pragma integrity_check").fetchone()[0]
    print(f"\n2. kill -9 of a crawl of the demo site (66 articles) at random points, {kills} times")
    print(f"   committed versions before each kill: {', '.join(str(found['before']) for found in rounds)}")
    print(f"   versions lost: {sum(found['lost'] for found in rounds)}; integrity after each kill: "
          f"{', '.join(sorted({found['integrity'] for found in rounds}))}; archiver check: exit {check.returncode}")
    print(f"   re-run: exit {final.returncode}; {articles} articles, {versions} versions (66 expected, none twice); "
          f"integrity {integrity}; {seconds:.1f} s in all")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=10, help="kill -9 rounds (default 10)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        hostile_crawl(Path(folder))
        kill_loop(Path(folder), args.kills)


if __name__ == "__main__":
    main()
