"""Crashes and concurrency: kill -9 at random points, readers during a crawl, disk full, read-only archives."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from archiver.demo import DemoServer
from demo_traffic import Traffic
from archiver.archive.store import Archive
from conftest import REPO, archiver, copy_archive, free_port, wait_for_http

#: A slow, narrow crawl (about 15 pages a second), so kills land mid-way.
SLOW = ("--set", "AUTOTHROTTLE_ENABLED=0", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
KILLS = 5
FIELDS = {"url", "site", "version", "title", "byline", "body", "first_seen", "last_seen"}


def start_crawl(db_path, start_url, *options):
    command = [sys.executable, "-m", "archiver", "crawl", "--db", str(db_path), "--start-url", start_url, *options]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def read_only(db_path):
    """A read-only connection: it cannot change what it checks."""
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)


def committed_versions(db_path) -> set:
    """Every committed version as (url, version, content hash), read without writing."""
    if not Path(db_path).exists():
        return set()
    conn = read_only(db_path)
    try:
        rows = conn.execute(
            "select articles.url, versions.version, versions.content_hash from versions "
            "join articles on articles.id = versions.article_id"
        ).fetchall()
    except sqlite3.OperationalError:  # the schema is not there yet
        rows = []
    finally:
        conn.close()
    return set(rows)


def crawl_count(db_path) -> int:
    """Crawls recorded in the archive (0 before it exists)."""
    if not Path(db_path).exists():
        return 0
    conn = read_only(db_path)
    try:
        return conn.execute("select count(*) from crawls").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0
    finally:
        conn.close()


def kill_at_random_points(db_path, start_url, kills: int, *options, seed: int = 7) -> list[dict]:
    """Start a crawl and kill -9 it after a random time, ``kills`` times; what each kill found."""
    rng = random.Random(seed)
    rounds = []
    for number in range(kills):
        crawls, versions = crawl_count(db_path), len(committed_versions(db_path))
        victim = start_crawl(db_path, start_url, *SLOW, *options)
        # every round waits for its crawl to start (a second, more on a busy machine), every
        # other one also for its first commit; then a random time (batches commit every second)
        started = lambda: crawl_count(db_path) > crawls and (number % 2 == 0 or len(committed_versions(db_path)) > versions)
        deadline = time.monotonic() + 60
        while not started() and victim.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 1.5))
        before = committed_versions(db_path)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        after = committed_versions(db_path)
        conn = read_only(db_path)
        integrity = conn.execute("pragma integrity_check").fetchone()[0]
        conn.close()
        rounds.append({"before": len(before), "lost": len(before - after), "integrity": integrity})
    return rounds


#: Parsing and writing in worker processes (the crawling process is the one killed).
WORKERS = ("--set", "ARCHIVER_PARSE_WORKERS=1", "--set", "ARCHIVER_WRITER_PROCESS=1")


@pytest.mark.parametrize("options", [(), WORKERS], ids=["in-process", "worker-processes"])
def test_kill_9_at_random_points_loses_no_committed_version(tmp_path, options):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        # a slow site: a round (killed at most ~1.5 s after its first commit) archives a part of
        # it, so even the fifth round, resuming, has pages left to fetch when it is killed
        Traffic(server, delay=0.3)
        sitemap = f"{server.base_url}/sitemap.xml"
        rounds = kill_at_random_points(db_path, sitemap, KILLS, *options)
        for found in rounds:
            assert found["integrity"] == "ok" and found["lost"] == 0, rounds
        check = archiver("check", "--db", db_path)
        assert check.returncode == 0, check.stdout + check.stderr
        assert max(found["before"] for found in rounds) > 0  # some kills came after commits
        result = archiver("crawl", "--db", db_path, "--start-url", sitemap, "--set", "AUTOTHROTTLE_ENABLED=0")
    assert result.returncode == 0, result.stderr
    conn = read_only(db_path)
    assert conn.execute("select count(*) from articles").fetchone()[0] == 66
    assert conn.execute("select count(*) from versions").fetchone()[0] == 66  # every article once, none twice
    statuses = [row[0] for row in conn.execute("select status from crawls order by id")]
    conn.close()
    assert statuses[-1] == "finished" and set(statuses[:-1]) <= {"interrupted"}
    assert archiver("check", "--db", db_path).returncode == 0


def test_a_crawl_writes_while_datasette_and_an_export_read(tmp_path):
    db_path = tmp_path / "live.db"
    Archive(db_path).db.close()
    port = free_port()
    serve = subprocess.Popen([sys.executable, "-m", "archiver", "serve", "--db", str(db_path), "--port", str(port)],
                             cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    problems, seen = [], {"queries": 0, "exports": 0, "max_rows": 0}
    try:
        wait_for_http(f"http://127.0.0.1:{port}/")
        with DemoServer(edition=1) as server:
            Traffic(server, delay=0.03)
            crawl = start_crawl(db_path, f"{server.base_url}/sitemap.xml", *SLOW)
            done = threading.Event()

            def query():
                sql = ("select count(*) as versions, sum(title is null or body is null) as partial, "
                       "sum(page_hash not in (select hash from pages)) as missing from versions")
                url = f"http://127.0.0.1:{port}/live.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array"})
                while not done.is_set():
                    with urllib.request.urlopen(url, timeout=10) as response:
                        [row] = json.load(response)
                    if row["partial"] or row["missing"]:
                        problems.append(("datasette", row))
                    seen["queries"] += 1
                    seen["max_rows"] = max(seen["max_rows"], row["versions"])
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/live/latest_articles.json", timeout=10) as page:
                        assert page.status == 200

            reader = threading.Thread(target=query, daemon=True)
            reader.start()
            while crawl.poll() is None:
                export = archiver("export", "--db", db_path, "--all-versions", timeout=60)
                if export.returncode != 0:
                    problems.append(("export", export.stderr))
                for line in export.stdout.splitlines():
                    record = json.loads(line)
                    if not FIELDS <= set(record) or not record["title"] or not record["body"]:
                        problems.append(("export", line[:200]))
                seen["exports"] += 1
            crawl.communicate(timeout=120)
            done.set()
            reader.join(timeout=30)
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    assert crawl.returncode == 0
    assert problems == []
    assert seen["queries"] >= 3 and seen["exports"] >= 2 and seen["max_rows"] > 0, seen


def tmpfs(folder: Path, size: str) -> Path:
    """A tmpfs of ``size`` mounted at ``folder``; skips the test where mounting is not allowed."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    return folder


@pytest.fixture
def small_disk(tmp_path):
    """A 700 KB file system (an empty archive and its first migrations take ~400 KB), unmounted afterwards."""
    yield tmpfs(tmp_path / "disk", "700k")
    subprocess.run(["umount", "-l", str(tmp_path / "disk")], check=False)


@pytest.fixture
def read_only_disk(tmp_path, demo_archive):
    """A file system holding a copy of the demo archive (``ro.db``), then remounted read-only."""
    folder = tmpfs(tmp_path / "disk", "64m")
    copy_archive(demo_archive["db_path"], folder, "ro.db")
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    yield folder / "ro.db"
    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.parametrize("options", [(), WORKERS], ids=["in-process", "worker-processes"])
def test_disk_full_gives_one_clear_line_and_no_corruption(small_disk, options):
    db_path = small_disk / "a.db"
    with DemoServer(edition=1) as server:
        result = archiver("crawl", "--db", db_path, "--start-url", f"{server.base_url}/sitemap.xml",
                          "--set", "AUTOTHROTTLE_ENABLED=0", *options, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Unhandled error" not in result.stderr, result.stderr
    assert "database or disk is full" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    conn = read_only(db_path)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert conn.execute("select count(*) from versions").fetchone()[0] > 0  # the disk filled mid-crawl
    conn.close()


def test_a_disk_too_small_for_the_schema_gives_one_clear_line(tmp_path):
    folder = tmpfs(tmp_path / "disk", "100k")
    try:
        with DemoServer(edition=1) as server:
            result = archiver("crawl", "--db", folder / "a.db", "--start-url", f"{server.base_url}/sitemap.xml", timeout=60)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "database or disk is full" in result.stderr, result.stderr


def test_a_killed_writer_process_stops_the_crawl_with_one_clear_line(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        Traffic(server, delay=0.1)
        crawl = start_crawl(db_path, f"{server.base_url}/sitemap.xml", *SLOW, *WORKERS, "--set", "ARCHIVER_BATCH_SIZE=5")
        writer = worker_after_first_batch(crawl, db_path, "ArchiveWriter")
        kept = committed_versions(db_path)
        subprocess.run(["kill", "-9", str(writer["pid"])], check=True)
        out, err = crawl.communicate(timeout=60)
    assert crawl.returncode == 1, (out, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "ArchiveWriter stopped (signal 9)" in err, err
    assert kept <= committed_versions(db_path)
    assert archiver("check", "--db", db_path).returncode == 0


def test_a_stalled_writer_process_holds_the_crawl_back_and_loses_nothing(tmp_path):
    """A writer that stops answering (a disk stall) makes the crawl wait; when it resumes, all is written."""
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        crawl = start_crawl(db_path, f"{server.base_url}/sitemap.xml", *SLOW, *WORKERS, "--set", "ARCHIVER_BATCH_SIZE=5")
        writer = worker_after_first_batch(crawl, db_path, "ArchiveWriter")
        os.kill(writer["pid"], signal.SIGSTOP)
        try:
            stalled = len(committed_versions(db_path))
            time.sleep(3)  # long enough for the rest of the site to be fetched, were nothing waiting
            assert crawl.poll() is None  # the crawl waits for its writer
            assert len(committed_versions(db_path)) == stalled
        finally:
            os.kill(writer["pid"], signal.SIGCONT)
        out, err = crawl.communicate(timeout=120)
    assert crawl.returncode == 0, err
    assert "66 pages, 66 new" in out
    assert len(committed_versions(db_path)) == 66


def test_a_killed_parse_worker_is_replaced_and_its_pages_parsed_again(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        Traffic(server, delay=0.05)
        crawl = start_crawl(db_path, f"{server.base_url}/sitemap.xml", *SLOW, *WORKERS, "--set", "ARCHIVER_BATCH_SIZE=5")
        parser = worker_after_first_batch(crawl, db_path, "parsepool:Parser")
        os.kill(parser["pid"], signal.SIGKILL)
        out, err = crawl.communicate(timeout=120)
    assert crawl.returncode == 0, err
    assert "66 pages, 66 new" in out and "0 errors" in out, out
    assert len(committed_versions(db_path)) == 66


def test_ctrl_c_with_worker_processes_closes_the_crawl_cleanly(tmp_path):
    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        Traffic(server, delay=0.3)
        command = [sys.executable, "-m", "archiver", "crawl", "--db", str(db_path), "--start-url",
                   f"{server.base_url}/sitemap.xml", *SLOW, *WORKERS]
        crawl = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True)
        deadline = time.monotonic() + 30
        while len(committed_versions(db_path)) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [child["pid"] for child in children(crawl.pid) if "scrapers.workers" in child["command"]]
        assert len(workers) == 2
        os.killpg(crawl.pid, signal.SIGINT)  # what Ctrl-C sends: the whole process group
        out, err = crawl.communicate(timeout=60)
    assert "Traceback" not in err and crawl.returncode == 130, err
    said, failure = err.strip().splitlines()
    assert said.startswith("stopping after the pages in flight") and "interrupted after" in failure, err
    conn = read_only(db_path)
    status, new = conn.execute("select status, new from crawls").fetchone()
    versions = conn.execute("select count(*) from versions").fetchone()[0]
    conn.close()
    assert status == "stopped: shutdown" and new == versions > 0
    time.sleep(0.5)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]  # the workers ended with it


def worker_after_first_batch(crawl, db_path, name: str, batch: int = 5) -> dict:
    """Once ``crawl`` has committed a batch of ``batch`` versions: its worker process whose command names ``name``."""
    deadline = time.monotonic() + 30
    while len(committed_versions(db_path)) < batch:
        assert time.monotonic() < deadline and crawl.poll() is None, "no batch was written"
        time.sleep(0.1)
    return next(child for child in children(crawl.pid) if name in child["command"])


def children(pid: int) -> list[dict]:
    """The processes started by ``pid``: pid and command line."""
    found = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
            command = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append({"pid": int(status.parent.name), "command": command})
    return found


def test_read_only_archive_gives_one_clear_line_and_is_not_changed(read_only_disk):
    db_path = read_only_disk
    before = db_path.read_bytes()
    with DemoServer(edition=1) as server:
        results = {
            "crawl": archiver("crawl", "--db", db_path, "--start-url", f"{server.base_url}/sitemap.xml", timeout=60),
            "reparse": archiver("reparse", "--db", db_path, timeout=60),
            "export": archiver("export", "--db", db_path, timeout=60),  # opening upgrades the schema: it writes
        }
    for name, result in results.items():
        assert result.returncode != 0, name
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, (name, result.stderr)
        assert "read-only" in result.stderr.lower() or "readonly" in result.stderr.lower(), (name, result.stderr)
        assert result.stderr.count("cannot open the archive") <= 1, result.stderr
    assert db_path.read_bytes() == before
