"""Safe to schedule: one crawl per archive, resumable after kill -9, limits, back-off, exit status, quiet."""

import json
import os
import pty
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from sqlite_utils import Database

from archiver.demo import DemoServer, DemoSite
from demo_traffic import Answer, Traffic
from archiver.plan.lock import LOCKED_EXIT_STATUS, CrawlLock, LockHeld, lock_path
from conftest import REPO, archiver
from scrapers.middlewares import retry_after

#: A slow, narrow crawl: about 10 pages a second, so it can be caught mid-way.
SLOW = ("--set", "AUTOTHROTTLE_ENABLED=0", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
FAST = ("--set", "AUTOTHROTTLE_ENABLED=0")


def start_crawl(db_path, start_url, *options):
    """``archiver crawl`` in the background."""
    command = [sys.executable, "-m", "archiver", "crawl", "--db", str(db_path), "--start-url", start_url, *options]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def fetch_count(db_path) -> int:
    if not db_path.exists():
        return 0
    try:
        return Database(db_path)["fetches"].count
    except Exception:  # the table may not exist yet
        return 0


def test_lock_is_exclusive_and_says_who_holds_it(tmp_path):
    db_path = tmp_path / "a.db"
    with CrawlLock(db_path):
        holder = json.loads(lock_path(db_path).read_text())
        assert holder["pid"] == os.getpid() and holder["host"] and holder["started"]
        with pytest.raises(LockHeld, match=f"pid {os.getpid()}"):
            CrawlLock(db_path).acquire()
    with CrawlLock(db_path) as again:  # released: free again
        assert again.previous == {}


def test_overlapping_runs_exactly_one_crawls(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        Traffic(server, delay=0.05)
        first = start_crawl(db_path, f"{server.base_url}/sitemap.xml", *SLOW)
        wait_until(lambda: fetch_count(db_path) >= 3)
        second = archiver("crawl", "--db", db_path, "--start-url", f"{server.base_url}/sitemap.xml")
        stdout, stderr = first.communicate(timeout=120)
    assert second.returncode == LOCKED_EXIT_STATUS
    assert f"another crawl is using this archive (pid {first.pid}" in second.stderr and "Traceback" not in second.stderr
    assert first.returncode == 0, stderr
    crawls = list(Database(db_path)["crawls"].rows)
    assert len(crawls) == 1 and crawls[0]["status"] == "finished" and crawls[0]["new"] == 66


def scrapy_crawl(db_path, start_url) -> subprocess.CompletedProcess:
    """A plain ``scrapy crawl generic`` into ``db_path``."""
    command = [sys.executable, "-m", "scrapy", "crawl", "generic", "-a", f"start_url={start_url}",
               "-s", f"ARCHIVE_DB={db_path}", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=ERROR"]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)


def test_plain_scrapy_crawl_respects_and_takes_the_lock(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        sitemap = f"{server.base_url}/sitemap.xml"
        with CrawlLock(db_path):  # as a running ``archiver crawl`` holds it
            refused = scrapy_crawl(db_path, sitemap)
        assert "another crawl is using this archive" in refused.stderr, refused.stderr
        assert not db_path.exists() or Database(db_path)["fetches"].count == 0
        Traffic(server, delay=0.05)
        first = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", "generic", "-a", f"start_url={sitemap}", "-s", f"ARCHIVE_DB={db_path}",
             "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "LOG_LEVEL=ERROR"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        wait_until(lambda: fetch_count(db_path) >= 3)
        second = archiver("crawl", "--db", db_path, "--start-url", sitemap)
        first.communicate(timeout=120)
    assert second.returncode == LOCKED_EXIT_STATUS, second.stderr
    assert f"another crawl is using this archive (pid {first.pid}" in second.stderr
    crawls = list(Database(db_path)["crawls"].rows)
    assert len(crawls) == 1 and crawls[0]["status"] == "finished" and crawls[0]["new"] == 66
    with CrawlLock(db_path):  # let go at the end
        pass


def test_killed_crawl_resumes_without_duplicating_fetches_or_versions(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        Traffic(server, delay=0.05)
        sitemap = f"{server.base_url}/sitemap.xml"
        victim = start_crawl(db_path, sitemap, *SLOW)
        wait_until(lambda: fetch_count(db_path) >= 15)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        done_before = fetch_count(db_path)
        assert 15 <= done_before < 66
        assert json.loads(lock_path(db_path).read_text())["pid"] == victim.pid  # a stale lock file is left
        result = archiver("crawl", "--db", db_path, "--start-url", sitemap, *FAST)
        expected = set(DemoSite(1, server.base_url).article_urls())
    assert result.returncode == 0, result.stderr
    assert f"{66 - done_before} pages, {66 - done_before} new" in result.stdout
    assert f"{done_before} resumed" in result.stdout
    db = Database(db_path)
    assert [row["status"] for row in db.query("select status from crawls order by id")] == ["interrupted", "finished"]
    fetched = [row["url"] for row in db.query("select url from fetches")]
    assert len(fetched) == len(set(fetched)) == 66 and set(fetched) == expected
    assert db["versions"].count == 66
    assert {row["n"] for row in db.query("select count(*) as n from versions group by article_id")} == {1}


def test_page_limit_stops_and_the_next_run_continues(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        sitemap = f"{server.base_url}/sitemap.xml"
        first = archiver("crawl", "--db", db_path, "--start-url", sitemap, "--max-pages", 20, *SLOW)
        second = archiver("crawl", "--db", db_path, "--start-url", sitemap, *FAST)
    assert first.returncode == 0, first.stderr
    assert "stopped: closespider_pagecount" in first.stdout
    assert second.returncode == 0, second.stderr
    db = Database(db_path)
    fetched = [row["url"] for row in db.query("select url from fetches")]
    assert len(fetched) == len(set(fetched)) == 66


def test_time_limit(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        Traffic(server, delay=0.2)
        result = archiver("crawl", "--db", db_path, "--start-url", f"{server.base_url}/sitemap.xml", "--max-time", 2, *SLOW)
    assert result.returncode == 0, result.stderr
    assert "stopped: closespider_timeout" in result.stdout
    assert 0 < Database(db_path)["crawls"].get(1)["pages"] < 66


def test_retry_after_is_honoured(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        article = DemoSite(1, server.base_url).article_urls()[0][len(server.base_url):]
        traffic = Traffic(server, answers={article: [Answer(429, headers={"Retry-After": "1"})]})
        result = archiver("crawl", "--db", db_path, "--start-url", f"{server.base_url}/sitemap.xml", *FAST)
    assert result.returncode == 0, result.stderr
    asked, retried = [seen for seen in traffic.requests if seen.path == article]
    assert (asked.status, retried.status) == (429, 200)
    assert retried.at - asked.at >= 1.0
    assert " 66 new," in result.stdout and " 0 errors" in result.stdout


def test_retry_after_values():
    now = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
    assert retry_after(b"120") == 120
    assert retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30
    assert retry_after("soon") is None and retry_after(None) is None


def test_page_errors_do_not_fail_the_crawl(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        article = DemoSite(1, server.base_url).article_urls()[0][len(server.base_url):]
        Traffic(server, answers={article: Answer(500, repeat=True)})
        result = archiver("crawl", "--db", db_path, "--start-url", f"{server.base_url}/sitemap.xml", *FAST)
    assert result.returncode == 0, result.stderr
    assert " 65 new," in result.stdout and " 1 errors" in result.stdout
    assert f"  error: {server.base_url}{article}: HTTP 500" in result.stderr


def test_unanswered_start_url_fails_the_crawl(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        Traffic(server, answers={"/sitemap.xml": Answer(503, repeat=True)})
        result = archiver("crawl", "--db", db_path, "--start-url", f"{server.base_url}/sitemap.xml",
                          "--set", "RETRY_BACKOFF_BASE=0.1", *FAST)
    assert result.returncode == 1
    assert "fetched nothing" in result.stderr and "HTTP 503" in result.stderr


def test_quiet_without_terminal_progress_on_one_and_a_log_file(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        traffic = Traffic(server, delay=0.1)
        leader, follower = pty.openpty()
        command = [sys.executable, "-m", "archiver", "crawl", "--db", str(db_path), "--start-url",
                   f"{server.base_url}/sitemap.xml", "--set", "ARCHIVER_PROGRESS_INTERVAL=0.1", *FAST]
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=follower)
        os.close(follower)
        terminal = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            terminal += chunk
        process.wait(timeout=60)
        os.close(leader)
        traffic.delay = 0
        piped = archiver("crawl", "--db", tmp_path / "b.db", "--start-url", f"{server.base_url}/sitemap.xml", *FAST)
    assert process.returncode == 0
    assert b"\r\x1b[Kgeneric: " in terminal and b" new" in terminal
    assert re.search(rb"generic: \d+ pages \(\d+ new\), 0 errors, \d+ queued, 0:\d\d", terminal), terminal[-300:]
    assert piped.returncode == 0 and piped.stderr == "" and piped.stdout.count("\n") == 1
    log = (tmp_path / "logs" / "b.log").read_text()
    assert "Spider closed (finished)" in log


def test_schedule_prints_crontab_and_systemd_timer(tmp_path):
    result = archiver("schedule", "cipherbrief", "--every", "6h", "--db", tmp_path / "a.db")
    assert result.returncode == 0, result.stderr
    assert f"7 */6 * * * cd {REPO} && {sys.executable} -m archiver crawl cipherbrief --db {tmp_path / 'a.db'} --quiet" in result.stdout
    assert "OnCalendar=*-*-* 00/6:07:00" in result.stdout and "SuccessExitStatus=75" in result.stdout
    bad = archiver("schedule", "--every", "7m")
    assert bad.returncode == 1 and "--every 7m" in bad.stderr


def interrupt(crawl, traffic, after: int = 5, times: int = 1) -> tuple[str, float]:
    """Ctrl-C ``times`` once the site has answered ``after`` requests; the first stderr line and how long it took."""
    import select

    deadline = time.monotonic() + 30
    while traffic.count() < after:
        assert crawl.poll() is None and time.monotonic() < deadline, "the crawl did not get going"
        time.sleep(0.05)
    sent = time.monotonic()
    crawl.send_signal(signal.SIGINT)
    ready, _, _ = select.select([crawl.stderr], [], [], 10)
    assert ready, "nothing on stderr after Ctrl-C"
    first, seconds = crawl.stderr.readline(), time.monotonic() - sent
    if times == 2:  # once the first has been answered (two signals at once are one)
        crawl.send_signal(signal.SIGINT)
    return first, seconds


def test_ctrl_c_answers_at_once_exits_130_and_says_how_to_resume(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        traffic = Traffic(server, delay=0.3)
        crawl = start_crawl(db_path, f"{server.base_url}/sitemap.xml", *SLOW, "--max-time", "60")
        first, seconds = interrupt(crawl, traffic)
        out, err = crawl.communicate(timeout=60)
        assert first == "stopping after the pages in flight — Ctrl-C again to stop now\n" and seconds < 2
        assert crawl.returncode == 130, err
        pages = Database(db_path)["crawls"].get(1)["pages"]
        assert out == f"crawl 1 (generic) interrupted: {pages} pages, {pages} new, 0 changed, " + out.split(" new, 0 changed, ")[1]
        again = (f"archiver crawl --db {db_path} --start-url {server.base_url}/sitemap.xml "
                 "--set AUTOTHROTTLE_ENABLED=0 --set CONCURRENT_REQUESTS_PER_DOMAIN=1 --max-time 60")
        assert err == f"Error: crawl 1 (generic) interrupted after {pages} pages; run `{again}` again to resume it\n"
        # the command it names resumes the crawl: what was fetched is not fetched again
        traffic.delay = 0
        resumed = archiver(*again.split()[1:])
    assert resumed.returncode == 0, resumed.stderr
    assert f"{66 - pages} pages, {66 - pages} new" in resumed.stdout and f"{pages} resumed" in resumed.stdout


def test_ctrl_c_twice_stops_at_once(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        traffic = Traffic(server, delay=2)
        crawl = start_crawl(db_path, f"{server.base_url}/sitemap.xml", *SLOW, "--max-time", "60")
        first, _ = interrupt(crawl, traffic, after=2, times=2)
        out, err = crawl.communicate(timeout=30)
    assert first.startswith("stopping after the pages in flight")
    assert crawl.returncode == 130
    # no summary, unless the first Ctrl-C's close (nothing in flight) ended before the second came
    assert out == "" or out.startswith("crawl 1 (generic) interrupted: ") and len(out.splitlines()) == 1, out
    assert err.startswith("stopping now\nError: crawl 1 (generic) stopped at once; run `archiver crawl --db "), err
    assert err.endswith("` again to resume it\n") and len(err.splitlines()) == 2
