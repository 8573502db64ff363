"""The command line: clear errors for bad input, never a traceback."""

import json
import subprocess
import sys

import pytest
from sqlite_utils import Database

from archiver.demo import DemoServer
from archiver.archive.store import Archive
from conftest import REPO, archiver, free_port, run_cli


def assert_clear_error(result, *words):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_help_lists_commands():
    result = run_cli("-h")
    assert result.returncode == 0
    for command in ("crawl", "export", "serve", "demo", "demo-site", "parse"):
        assert command in result.stdout


def test_crawl_into_missing_folder(tmp_path):
    result = archiver("crawl", "--db", tmp_path / "missing" / "a.db", "--start-url", "http://127.0.0.1:9/")
    assert_clear_error(result, "does not exist")


def test_crawl_unknown_spider(tmp_path):
    result = archiver("crawl", "nosuchspider", "--db", tmp_path / "a.db")
    assert_clear_error(result, "unknown spider 'nosuchspider'", "generic")


def test_crawl_without_start_url(tmp_path):
    # in an empty folder: no archiver.toml, no sites/*.toml
    assert_clear_error(archiver("crawl", "--db", tmp_path / "a.db", cwd=tmp_path), "no sites configured", "--start-url")


@pytest.mark.parametrize("url, message", [
    ("example.com", "not a URL: example.com — did you mean https://example.com/?"),
    ("example.com/feed", "not a URL: example.com/feed — did you mean https://example.com/feed?"),
    ("127.0.0.1:8000", "not a URL: 127.0.0.1:8000 — did you mean http://127.0.0.1:8000/?"),
    ("ftp://example.com/", "not an http(s) URL: ftp://example.com/"),
    ("http://", "not a URL: http:// (no host name)"),
    ("http://example.com:port/", "not a URL: http://example.com:port/ (its port is not a number"),
])
def test_start_url_checked_when_planning(url, message):
    from archiver.plan.crawls import CrawlError, plan_crawls

    with pytest.raises(CrawlError) as raised:
        plan_crawls(None, ["https://example.com/", url])
    assert str(raised.value).startswith(message)


def test_start_url_without_scheme_one_line_and_nothing_on_disk(tmp_path):
    result = archiver("crawl", "--db", tmp_path / "a.db", "--start-url", "example.com", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "Error: not a URL: example.com — did you mean https://example.com/?\n"
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


def test_crawl_that_cannot_start_says_why_and_leaves_nothing(tmp_path):
    # a setting the spider reads as it starts, wrong: Scrapy closes the crawl with "start_error"
    result = archiver("crawl", "--db", tmp_path / "a.db", "--start-url", "http://127.0.0.1:9/",
                      "--set", "ARCHIVER_RESUME_WINDOW=soon", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == "Error: the crawl of generic could not start: could not convert string to float: 'soon'\n"
    assert list(tmp_path.iterdir()) == []  # no archive, no lock file, no logs/


@pytest.mark.slow
def test_crawl_of_dead_host(tmp_path):
    port = free_port()  # nothing listens there
    result = archiver("crawl", "--db", tmp_path / "a.db", "--start-url", f"http://127.0.0.1:{port}/sitemap.xml")
    assert_clear_error(result, "fetched nothing", f"127.0.0.1:{port}")
    errors = list(Database(tmp_path / "a.db").query("select url, error from fetches where outcome = 'error'"))
    assert errors and "refused" in errors[0]["error"].lower()


def test_export_of_missing_archive(tmp_path):
    assert_clear_error(run_cli("export", "--db", tmp_path / "none.db"), "no archive at")


def test_export_to_unwritable_path(tmp_path):
    Archive(tmp_path / "a.db")
    result = run_cli("export", "--db", tmp_path / "a.db", "-o", tmp_path / "missing" / "out.jsonl")
    assert_clear_error(result, "missing")


def test_parse_prints_json(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html lang='en'><head><title>Tide tables | Coast News</title></head><body><article>"
        "<h1>Tide tables</h1><p class='byline'>By Mira Holt</p>"
        + "".join(f"<p>Paragraph {i} about the tides of the northern coast and the harbour.</p>" for i in range(6))
        + "</article></body></html>"
    )
    result = run_cli("parse", page, "--url", "https://coast.test/tides")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"] == "Tide tables"
    assert "Paragraph 3 about the tides" in record["body"]


def test_parse_without_url_says_which_it_assumed(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Tides</title></head><body><p><a href='/more'>More</a></p></body></html>")
    result = run_cli("parse", page)
    assert result.returncode == 0
    assert result.stderr == "no --url: assuming the page came from http://localhost/ (its links are resolved against it)\n"
    assert json.loads(result.stdout)["url"] == "http://localhost/"
    assert run_cli("parse", page, "--url", "https://coast.test/a").stderr == ""


@pytest.mark.slow
def test_scrapy_crawl_from_repo_root(tmp_path):
    db_path = tmp_path / "scrapy.db"
    with DemoServer(edition=1, host="127.0.0.1", port=0) as server:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "generic", "-a", f"start_url={server.base_url}/feed",
             "-s", f"ARCHIVE_DB={db_path}", "-s", "LOG_LEVEL=WARNING"],
            capture_output=True, text=True, cwd=REPO, timeout=300,
        )
    assert result.returncode == 0, result.stderr
    db = Database(db_path)
    assert db["articles"].count >= 10
    assert db["crawls"].get(1)["status"] == "finished"


def test_a_setting_that_is_not_name_value_is_a_usage_error(tmp_path):
    result = run_cli("crawl", "--db", tmp_path / "a.db", "--start-url", "http://127.0.0.1:9/", "-s", "DOWNLOAD_DELAY")
    assert result.returncode == 2
    assert "'DOWNLOAD_DELAY' is not NAME=VALUE" in result.stderr
    assert not (tmp_path / "a.db").exists()


def test_an_unknown_site_through_redis_is_one_line(tmp_path):
    result = run_cli("crawl", "nosuch", "--db", tmp_path / "a.db", "--redis", "redis://127.0.0.1:9/0", cwd=tmp_path)
    assert_clear_error(result, "no site 'nosuch' configured")
    assert not (tmp_path / "a.db").exists()
