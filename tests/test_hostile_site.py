"""A crawl of a site that misbehaves on purpose (tests/hostile_site.py) goes on and records why.

One crawl of the hostile site (every fault of ``FAULTS`` once, good pages around them) is
shared by the tests of this module. Every request goes through the site as an HTTP proxy,
so nothing can leave 127.0.0.1 even if a guard failed.
"""

import os
import sys

import pytest
from sqlite_utils import Database

from conftest import REPO, archiver
from hostile_site import FAULTS, OFF_SITE, HostileSite, run_measured

#: Short timeouts so hangs and slow-loris answers end quickly; retries as configured (2).
CRAWL_OPTIONS = ("--set", "DOWNLOAD_TIMEOUT=3", "--set", "AUTOTHROTTLE_ENABLED=0")
#: Ceiling for the crawl's peak RSS (MiB): a gzip bomb of 64 MiB and 20 MiB pages must not get near it.
MEMORY_CEILING_MB = 250
#: The whole crawl must end in this time (s): hangs are cut by DOWNLOAD_TIMEOUT.
TIME_CEILING = 90


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile site, crawled once through its proxy: site, archive, result and peak memory."""
    db_path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    with HostileSite() as site:
        env = {**os.environ, "http_proxy": site.base_url, "no_proxy": ""}
        command = [sys.executable, "-m", "archiver", "crawl", "--db", str(db_path), "--start-url", site.sitemap_url,
                   *CRAWL_OPTIONS]
        status, stdout, stderr, peak_mb = run_measured(command, TIME_CEILING, cwd=REPO, env=env)
        again = archiver("crawl", "--db", db_path, "--start-url", site.url("/fault/changing"), *CRAWL_OPTIONS)
        yield {"site": site, "db": Database(db_path), "status": status, "stdout": stdout, "stderr": stderr,
               "peak_mb": peak_mb, "again": again}


def fetches_of(db, url):
    """Fetches of the hostile crawl recorded at ``url`` (the URL first asked for, also when redirected)."""
    return list(db.query("select * from fetches where crawl_id = 1 and (url = ? or redirects like ?)",
                         [url, f'%"{url}"%']))


def test_the_crawl_goes_on_and_finishes(hostile):
    assert hostile["status"] == 0, hostile["stderr"]
    assert "finished" in hostile["stdout"] and "Traceback" not in hostile["stderr"]


def test_every_good_page_is_archived(hostile):
    """Each good page is fetched once and archived once; some faults serve a good page's article too,
    so whichever of the two the crawl reaches first makes the version, the other finds it unchanged."""
    db, site = hostile["db"], hostile["site"]
    for url in site.good_urls:
        rows = list(db.query("select outcome, article_id from fetches where url = ? and crawl_id = 1", [url]))
        assert len(rows) == 1 and rows[0]["outcome"] in ("new", "unchanged"), (url, rows)
        versions = db.execute("select count(*) from versions where article_id = ?", [rows[0]["article_id"]]).fetchone()[0]
        assert versions == 1, url
    articles = {row["article_id"] for url in site.good_urls
                for row in db.query("select article_id from fetches where url = ? and crawl_id = 1", [url])}
    assert len(articles) == len(site.good_urls)


@pytest.mark.parametrize("fault", [f for f in FAULTS if f.expect == "error"], ids=lambda f: f.path)
def test_each_failure_is_recorded_with_a_readable_reason(hostile, fault):
    rows = fetches_of(hostile["db"], hostile["site"].url(fault.path))
    assert len(rows) == 1, rows
    assert rows[0]["outcome"] == "error" and fault.reason in rows[0]["error"], rows[0]["error"]
    assert "Traceback" not in rows[0]["error"] and "<twisted" not in rows[0]["error"] and len(rows[0]["error"]) < 300


@pytest.mark.parametrize("fault", [f for f in FAULTS if f.expect == "archived"], ids=lambda f: f.path)
def test_pages_that_survive_are_archived_in_the_right_characters(hostile, fault):
    db = hostile["db"]
    rows = fetches_of(db, hostile["site"].url(fault.path))
    assert len(rows) == 1 and rows[0]["outcome"] in ("new", "unchanged") and rows[0]["article_id"], rows
    version = db.execute(
        "select title, body from versions where article_id = ? order by version desc limit 1", [rows[0]["article_id"]]
    ).fetchone()
    text = f"{version[0]}\n{version[1]}"
    for words in fault.text:
        assert words in text, (words, text[:300])
    if fault.path != "/fault/malformed":  # whose &#99999999; is rightly U+FFFD
        assert "\ufffd" not in text and "Ã" not in text  # no replacement characters, no UTF-8 read as Latin-1


def test_retries_are_bounded(hostile):
    site = hostile["site"]
    for fault in FAULTS:
        assert site.hits(fault.path) <= 3, fault.path  # one request and at most RETRY_TIMES (2) retries
    assert site.hits("/fault/e503") == 3 and site.hits("/fault/hang") == 3
    assert site.hits("/fault/e503-retry-after-long") == 1  # Retry-After over RETRY_BACKOFF_MAX: not waited for
    assert site.hits("/fault/e429-once") == 2 and site.hits("/fault/loop-b") == 1
    assert site.hits("/fault/long-6") == 1 and site.hits("/fault/long-7") == 0  # at most REDIRECT_MAX_TIMES (5)


def test_nothing_left_the_machine_and_off_site_entries_were_refused(hostile):
    site, db = hostile["site"], hostile["db"]
    assert site.escaped == [] and site.proxied > 0  # every request went through the proxy, none elsewhere
    for url in OFF_SITE:
        [row] = db.query("select outcome, status, error from fetches where url = ?", [url])
        assert row["outcome"] == "error" and row["status"] == 0 and row["error"].startswith("refused: "), row


def test_memory_stays_bounded(hostile):
    assert hostile["peak_mb"] < MEMORY_CEILING_MB, f"peak RSS {hostile['peak_mb']:.0f} MiB"


def test_a_page_that_changes_on_every_request_makes_no_new_version(hostile):
    again, db, site = hostile["again"], hostile["db"], hostile["site"]
    assert again.returncode == 0, again.stderr
    [row] = db.query("select outcome from fetches where crawl_id = 2 and url = ?", [site.url("/fault/changing")])
    assert row["outcome"] == "unchanged"
    [row] = db.query("select count(*) as n from versions join articles on articles.id = versions.article_id "
                     "where articles.url = ?", [site.url("/fault/changing")])
    assert row["n"] == 1
    assert site.hits("/fault/changing") == 2


def test_the_archive_checks_out_afterwards(hostile):
    result = archiver("check", "--db", hostile["db"].conn.execute("pragma database_list").fetchone()[2])
    assert result.returncode == 0, result.stdout + result.stderr
