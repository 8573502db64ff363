"""Export speed and memory at scale: ``archiver export`` over a synthetic archive.

    python benchmarks/export_speed.py                  # 100,000 versions (50,000 articles x 2)
    python benchmarks/export_speed.py --versions 10000 --formats jsonl,warc

Builds the archive once through the real write path (``Archive.record``; cached under
the temporary folder's archiver-bench/), then runs each export as its own ``archiver export`` process and
prints records, seconds, records/s and the process's peak RSS. Peak RSS that does not grow
with the number of versions is what "constant memory" means here.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "council budget river harbour transport housing energy school hospital court minister union "
    "survey report project plan station market price water climate museum library festival bridge "
    "railway election committee policy funding contract research study data network service"
).split()
#: Built sites and archives are kept between runs here (ARCHIVER_BENCH_CACHE overrides).
CACHE = Path(os.environ.get("ARCHIVER_BENCH_CACHE") or Path(tempfile.gettempdir()) / "archiver-bench")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
    return " ".join(words).capitalize() + "."


def article(rng: random.Random, number: int, version: int) -> dict:
    """A synthetic article; version 2 changes one sentence of the body."""
    paragraphs = [" ".join(sentence(rng) for _ in range(5)) for _ in range(4)]
    if version == 2:
        paragraphs[-1] += " Correction: an earlier version misstated a figure."
    return {
        "title": f"Story {number}: " + sentence(rng)[:60],
        "byline": [f"Reporter {number % 97}"],
        "published": "2024-01-01T08:00:00+00:00",
        "modified": f"2024-01-0{version}T09:00:00+00:00",
        "body": "\n\n".join(paragraphs),
        "bio": [f"Reporter {number % 97} covers the city."],
        "language": "en",
        "site_name": "Bench News",
        "description": paragraphs[0][:150],
        "related_links": [{"url": f"https://bench.example/a/{(number + k) % 1000}", "text": f"Story {k}"} for k in (1, 2, 3)],
        "boilerplate": [],
        "parser_version": "bench",
    }


def page(record: dict) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in record["body"].split("\n\n"))
    nav = "".join(f"<li><a href='/s/{w}'>{w}</a></li>" for w in WORDS)
    return (
        f"<!DOCTYPE html><html><head><title>{record['title']}</title></head><body><nav><ul>{nav}</ul></nav>"
        f"<article><h1>{record['title']}</h1><p class=byline>By {record['byline'][0]}</p>{paragraphs}</article>"
        "<footer>Bench News</footer></body></html>"
    ).encode()


def build(versions: int) -> Path:
    """The cached archive with ``versions`` versions (half the articles, each with two)."""
    from archiver.archive.store import Archive, Fetch

    path = CACHE / f"export-{versions}.db"
    if path.is_file():
        return path
    CACHE.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp.db")
    for leftover in CACHE.glob(tmp.name + "*"):
        leftover.unlink()
    archive = Archive(tmp)
    started = time.monotonic()
    articles = versions // 2
    for round_number in (1, 2):
        crawl = archive.start_crawl("bench", ["https://bench.example/"])
        for number in range(articles):
            rng = random.Random(number)
            record = article(rng, number, round_number)
            url = f"https://bench.example/a/{number}"
            fetch = Fetch(url=url, status=200, body=page(record), article=record,
                          headers={"Content-Type": "text/html; charset=utf-8", "ETag": f'"{number}-{round_number}"'},
                          fetched_at=f"2024-01-0{round_number}T10:00:00+00:00")
            archive.record(fetch, crawl)
        archive.finish_crawl(crawl)
    archive.db.execute("pragma wal_checkpoint(truncate)")
    archive.db.close()
    os.replace(tmp, path)
    print(f"built {path} ({versions:,} versions) in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return path


def run(db: Path, fmt: str, out: Path) -> tuple[int, float, int]:
    """Run one export in its own process: (records, seconds, peak RSS in KiB)."""
    if out.exists():
        shutil.rmtree(out) if out.is_dir() else out.unlink()
    command = [sys.executable, "-m", "archiver", "export", "--db", str(db), "-f", fmt, "--all-versions", "-o", str(out)]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if status:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    records = int(subprocess.run(["sqlite3", str(db), COUNTS[fmt]], capture_output=True, text=True).stdout)
    return records, seconds, usage.ru_maxrss


COUNTS = {fmt: "select count(*) from versions" for fmt in ("jsonl", "json", "csv", "markdown")}
COUNTS["warc"] = "select count(*) from fetches where page_hash is not null"
SUFFIX = {"jsonl": ".jsonl", "json": ".json", "csv": ".csv", "markdown": "", "warc": ".warc.gz"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--versions", type=int, default=100_000)
    parser.add_argument("--formats", default="jsonl,json,csv,markdown,warc")
    args = parser.parse_args()
    db = build(args.versions)
    print(f"archive: {args.versions:,} versions, {db.stat().st_size / 1e6:,.0f} MB")
    print("| format | records | seconds | records/s | peak RSS |")
    print("|---|---|---|---|---|")
    for fmt in args.formats.split(","):
        out = CACHE / f"out-{args.versions}{SUFFIX[fmt]}"
        records, seconds, rss = run(db, fmt, out)
        print(f"| {fmt} | {records:,} | {seconds:.1f} | {records / seconds:,.0f} | {rss / 1024:.0f} MiB |")


if __name__ == "__main__":
    main()
