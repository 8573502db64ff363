"""Past one machine: crawlers sharing a frontier in a real Redis, one ingester writing the archive."""

import shutil
import signal
import subprocess
import sys
import time

import pytest
from sqlite_utils import Database

from archiver.demo.run import compare_with_manifest
from archiver.demo import DemoServer, DemoSite, build_manifest
from demo_traffic import Traffic
from archiver.archive.ingest import FETCH_QUEUE, INGESTING, Ingester, connect, encode
from archiver.archive.store import Archive, Fetch
from archiver.archive.urls import canonical_url
from conftest import REPO, archiver, free_port

#: Short waits for tests: a crawler closes after 1 s of quiet; a dead crawler's requests come back after 3 s.
QUICK = ("--set", "AUTOTHROTTLE_ENABLED=0", "--set", "ARCHIVER_REDIS_IDLE=1", "--set", "ARCHIVER_REDIS_LEASE=3")


@pytest.fixture
def redis_url(tmp_path):
    """A private redis-server on a free port, nothing saved to disk; stopped after the test."""
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (Debian: apt-get install redis-server; .ci/run installs it)")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = connect(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except Exception:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


def crawler(db_path, start_url, redis_url, *options):
    """``archiver crawl --redis`` in the background."""
    command = [sys.executable, "-m", "archiver", "crawl", "--db", str(db_path), "--start-url", start_url,
               "--redis", redis_url, *QUICK, *options]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def ingest(db_path, redis_url):
    result = archiver("ingest", "--db", db_path, "--redis", redis_url, "--until-idle", "1")
    assert result.returncode == 0, result.stderr
    return result.stdout


def crawl_together(db_path, start_url, redis_url, *options):
    """Two crawlers (the second once the first has queued pages), then the ingester; the crawlers' outputs."""
    processes = [crawler(db_path, start_url, redis_url, *options)]
    deadline = time.monotonic() + 60
    while not connect(redis_url).llen(FETCH_QUEUE) and processes[0].poll() is None:
        assert time.monotonic() < deadline, "the first crawler did not get going"
        time.sleep(0.05)
    processes.append(crawler(db_path, start_url, redis_url, *options))
    outputs = [process.communicate(timeout=180) for process in processes]
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err
    ingest(db_path, redis_url)
    return [out for out, _ in outputs]


def test_two_crawlers_and_an_ingester_archive_every_article_once(tmp_path, redis_url):
    db_path = tmp_path / "archive.db"
    with DemoServer(edition=1) as server:
        # ~4 pages/s: the second crawler joins mid-way even when starting Python takes seconds (a loaded machine)
        traffic = Traffic(server, delay=0.5)
        sitemap = f"{server.base_url}/sitemap.xml"
        outputs = crawl_together(db_path, sitemap, redis_url, "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        queued = [int(out.split(" pages queued")[0].rsplit(" ", 1)[1]) for out in outputs]
        assert sum(queued) == 66 and all(queued), outputs  # both crawlers took a share; none fetched twice
        server.set_edition(2)
        traffic.delay = 0.0
        crawl_together(db_path, sitemap, redis_url)
        manifest = build_manifest(server.base_url)
    db = Database(db_path)
    assert compare_with_manifest(Archive.open_existing(db_path), manifest) == []
    fetched = [row["url"] for row in db.query("select url from fetches where crawl_id = 1")]
    assert len(fetched) == len(set(fetched)) == 66  # edition 1: every article fetched once
    assert connect(redis_url).llen(FETCH_QUEUE) == 0


def test_killing_a_crawler_mid_run_loses_nothing(tmp_path, redis_url):
    db_path = tmp_path / "archive.db"
    client = connect(redis_url)
    with DemoServer(edition=1) as server:
        Traffic(server, delay=0.05)
        sitemap = f"{server.base_url}/sitemap.xml"
        slow = ("--set", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        victim = crawler(db_path, sitemap, redis_url, *slow)
        deadline = time.monotonic() + 60
        while client.llen(FETCH_QUEUE) < 10:
            assert time.monotonic() < deadline and victim.poll() is None, "the crawl did not get going"
            time.sleep(0.05)
        survivor = crawler(db_path, sitemap, redis_url, *slow)
        time.sleep(0.5)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        assert client.zcard("archiver:generic:requests") + client.zcard("archiver:generic:requests:leases") > 0
        out, err = survivor.communicate(timeout=180)
        assert survivor.returncode == 0, err
        expected = {canonical_url(url) for url in DemoSite(1, server.base_url).article_urls()}
    ingest(db_path, redis_url)
    db = Database(db_path)
    assert {row["url"] for row in db.query("select url from articles")} == expected
    assert db["versions"].count == 66
    assert not client.zcard("archiver:generic:requests:leases")


def test_ingest_is_at_least_once_and_idempotent(tmp_path, redis_url):
    client = connect(redis_url)
    fetches = [
        Fetch(url=f"http://news.test/a/{n}", status=200, body=f"<html>page {n}</html>".encode(),
              article={"title": f"Story {n}", "body": f"Body {n}", "parser_version": "test"})
        for n in range(5)
    ]
    messages = [encode(fetch, f"m{n}") for n, fetch in enumerate(fetches)]
    client.lpush(FETCH_QUEUE, *messages[:3])
    client.lpush(INGESTING, messages[3], messages[0])  # a killed ingester's batch: one of them also queued again
    client.lpush(FETCH_QUEUE, messages[4])
    archive = Archive(tmp_path / "archive.db")
    counts = Ingester(client, archive, batch=2).run(until_idle=0)
    assert counts == {"new": 5, "duplicates": 1}
    assert archive.db["versions"].count == 5 and archive.db["fetches"].count == 5
    first = archive.find_article("http://news.test/a/0")
    assert archive.raw_page(archive.latest_version(first["id"])["page_hash"]) == b"<html>page 0</html>"
    assert client.llen(FETCH_QUEUE) == client.llen(INGESTING) == 0


def test_crawl_without_redis_server_fails_with_one_line(tmp_path):
    result = archiver("crawl", "--db", tmp_path / "a.db", "--start-url", "http://127.0.0.1:9/",
                      "--redis", f"redis://127.0.0.1:{free_port()}/0")
    assert result.returncode == 1
    assert "cannot reach Redis" in result.stderr and "Traceback" not in result.stderr
