"""The request log of re-crawls: how many full GETs, how many conditional, what they cost.

    python benchmarks/recrawl.py

Serves the demo site on 127.0.0.1 and crawls it as a configured site (its sitemap),
each crawl the real ``archiver crawl`` command in its own process, with the project's
settings (AutoThrottle on):

1. edition 1 into a new archive;
2. edition 1 again, default revisit policy: sitemap ``lastmod`` says nothing changed;
3. edition 1 again, ``--revisit always``: every known article re-visited;
4. edition 2 (edited, new, removed articles), default policy.

For each, the server's own log: requests for articles, how many were full GETs and how
many conditional (``If-None-Match`` / ``If-Modified-Since``), answers 200 and 304, bytes
of article pages sent, URLs skipped, versions written, and the command's wall time.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # test helpers: synth, demo_traffic

from sqlite_utils import Database

from archiver.demo import DemoServer
from demo_traffic import Traffic

CRAWLS = (
    ("1. first crawl, edition 1", 1, ()),
    ("2. re-crawl, unchanged", 1, ()),
    ("3. re-crawl, --revisit always", 1, ("--revisit", "always")),
    ("4. re-crawl, edition 2", 2, ()),
)
NOT_ARTICLES = ("/sitemap.xml", "/robots.txt")


def run(db_path: Path, site_file: Path, *options: str) -> tuple[float, str]:
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "archiver", "crawl", "--db", str(db_path), "--site-file", str(site_file), *options],
        check=True, capture_output=True, text=True,
    )
    return time.perf_counter() - began, result.stdout


def main() -> None:
    header = f"{'crawl':32} {'requests':>8} {'full':>5} {'cond.':>5} {'200':>4} {'304':>4} {'KB sent':>8} {'skipped':>7} {'versions':>8} {'seconds':>7}"
    print(header)
    with tempfile.TemporaryDirectory() as folder, DemoServer(edition=1) as server:
        db_path, site_file = Path(folder) / "recrawl.db", Path(folder) / "demo.toml"
        site_file.write_text(f'[[site]]\nname = "demo"\nbase_url = "{server.base_url}"\nsitemaps = ["/sitemap.xml"]\n')
        for label, edition, options in CRAWLS:
            server.set_edition(edition)
            traffic = Traffic(server)
            seconds, stdout = run(db_path, site_file, *options)
            articles = [seen for seen in traffic.requests if seen.path not in NOT_ARTICLES]
            sent = sum(len(server.site.page(seen.path).body) for seen in articles if seen.status == 200)
            skipped = re.search(r"(\d+) skipped", stdout).group(1)
            versions = Database(db_path)["versions"].count
            print(
                f"{label:32} {len(articles):>8} {sum(not s.conditional for s in articles):>5} "
                f"{sum(s.conditional for s in articles):>5} {sum(s.status == 200 for s in articles):>4} "
                f"{sum(s.status == 304 for s in articles):>4} {sent / 1024:>8.0f} {skipped:>7} {versions:>8} {seconds:>7.2f}"
            )


if __name__ == "__main__":
    main()
