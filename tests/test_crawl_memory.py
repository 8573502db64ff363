"""Memory bounded by the site's size: Scrapy's scheduler holds few requests, the rest wait on disk."""

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scrapy import Request
from sqlite_utils import Database

from conftest import REPO
from scrapers import settings
from scrapers.discovery import Frontier, KeySet
from scrapers.extensions import CompactDupeFilter

SITEMAPS, PER_SITEMAP = 3, 400
BOUND = 50
#: Requests Scrapy may have read ahead from callbacks and not queued yet when the spider
#: checks the bound: at most 2 * CONCURRENT_ITEMS + 1 per response being handled.
READ_AHEAD = (2 * settings.CONCURRENT_ITEMS + 1) * settings.CONCURRENT_REQUESTS

#: One crawl in a child process (the reactor runs once per process): the generic spider with
#: the project's settings and pipeline, and the most requests Scrapy's scheduler held at once.
CRAWL = """
import json, sys
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapers.run import project_settings
from scrapers.spiders.generic import GenericSpider

url, db, bound, revisit = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
settings = {"AUTOTHROTTLE_ENABLED": False, "ARCHIVER_SCHEDULER_MAX": bound}
process = CrawlerProcess(project_settings(db, "ERROR", settings))
crawler = process.create_crawler(GenericSpider)
most = [0]

def scheduled(request, spider):  # sent before the request is queued: this one makes it one more
    most[0] = max(most[0], len(crawler.engine.scheduler) + 1)

crawler.signals.connect(scheduled, signal=signals.request_scheduled)
process.crawl(crawler, start_url=url, revisit=revisit, article_pattern="^/news/")
process.start()
stats = crawler.stats.get_stats()
print(json.dumps({"most_pending": most[0], "finish_reason": stats.get("finish_reason"),
                  "conditional": stats.get("archiver/conditional", 0), "skipped": stats.get("archiver/skipped", 0)}))
"""


class NewsSite:
    """A site on 127.0.0.1 with a sitemap index of ``SITEMAPS`` sitemaps of ``PER_SITEMAP`` articles each.

    Articles answer 304 to a request with their ETag; every request's path is counted.
    """

    def __init__(self):
        outer = self
        self.requests: list[tuple[str, int]] = []
        self.lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, content_type, body = outer.answer(self.path, self.headers.get("If-None-Match"))
                with outer.lock:
                    outer.requests.append((self.path, status))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                if self.path.startswith("/news/"):
                    self.send_header("ETag", f'"{self.path}"')
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def articles(self) -> list[str]:
        return [f"{self.base_url}/news/{s}/{n}" for s in range(SITEMAPS) for n in range(PER_SITEMAP)]

    def answer(self, path: str, etag: str | None) -> tuple[int, str, bytes]:
        xml = '<?xml version="1.0" encoding="UTF-8"?>\n'
        namespace = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nAllow: /\n"
        if path == "/sitemap.xml":
            entries = "".join(f"<sitemap><loc>{self.base_url}/sitemap-{s}.xml</loc></sitemap>" for s in range(SITEMAPS))
            return 200, "text/xml", f"{xml}<sitemapindex {namespace}>{entries}</sitemapindex>".encode()
        if path.startswith("/sitemap-"):
            s = int(path[len("/sitemap-"):-len(".xml")])
            entries = "".join(f"<url><loc>{self.base_url}/news/{s}/{n}</loc></url>" for n in range(PER_SITEMAP))
            return 200, "text/xml", f"{xml}<urlset {namespace}>{entries}</urlset>".encode()
        if path.startswith("/news/"):
            if etag == f'"{path}"':
                return 304, "text/html", b""
            words = " ".join(f"word{(len(path) * i) % 97}" for i in range(80))
            html = (f"<html><head><title>Story {path}</title></head><body><article><h1>Story {path}</h1>"
                    f"<p>{words}.</p><p>{words}.</p></article></body></html>")
            return 200, "text/html; charset=utf-8", html.encode()
        return 404, "text/html", b"not found"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def crawl(site: NewsSite, db_path, revisit: str = "always") -> dict:
    command = [sys.executable, "-c", CRAWL, site.base_url + "/sitemap.xml", str(db_path), str(BOUND), revisit]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def article_requests(site: NewsSite) -> list[str]:
    return [site.base_url + path for path, _ in site.requests if path.startswith("/news/")]


def test_a_large_sitemap_waits_on_disk_and_every_article_is_crawled_once(tmp_path):
    db_path = tmp_path / "big.db"
    with NewsSite() as site:
        first = crawl(site, db_path)
        requested = article_requests(site)
        site.requests.clear()
        # Again, every article due: the due articles wait in the frontier too, and are conditional.
        second = crawl(site, db_path)
        again = article_requests(site)
        answers = {status for path, status in site.requests if path.startswith("/news/")}
    articles = site.articles()
    assert len(articles) > 10 * BOUND
    assert first["finish_reason"] == "finished" and first["most_pending"] <= BOUND + READ_AHEAD
    assert sorted(requested) == sorted(articles)  # each exactly once
    db = Database(db_path)
    assert {row["url"] for row in db["articles"].rows} == set(articles)
    assert second["finish_reason"] == "finished" and second["most_pending"] <= BOUND + READ_AHEAD
    assert sorted(again) == sorted(articles) and answers == {304}
    assert second["conditional"] == len(articles)
    counts = {row["crawl_id"]: row["n"] for row in db.query("select crawl_id, count(distinct url) as n from fetches group by crawl_id")}
    fetches = {row["crawl_id"]: row["n"] for row in db.query("select crawl_id, count(*) as n from fetches group by crawl_id")}
    assert counts == fetches  # no URL fetched twice in a crawl


def test_frontier_takes_each_url_once_and_hands_them_out_in_order():
    frontier = Frontier()
    try:
        assert frontier.taken.add("http://a.test/1") and not frontier.taken.add("http://a.test/1")
        assert "http://a.test/1" in frontier.taken and "http://a.test/2" not in frontier.taken
        assert frontier.skipped.add("http://a.test/2") and "http://a.test/2" not in frontier.taken
        for n in range(5):
            frontier.push(f"http://a.test/{n}", "parse_page", 3, {"sitemap": True} if n % 2 else None)
        assert len(frontier) == 5
        assert frontier.pop(2) == [("http://a.test/0", "parse_page", 3, {}), ("http://a.test/1", "parse_page", 3, {"sitemap": True})]
        assert [url for url, *_ in frontier.pop(10)] == [f"http://a.test/{n}" for n in (2, 3, 4)]
        assert len(frontier) == 0 and frontier.pop(10) == []
    finally:
        frontier.close()


def test_duplicate_filter_on_disk_filters_as_scrapys_does():
    keys = KeySet()
    assert keys.add(b"\x00" * 20) and not keys.add(b"\x00" * 20) and len(keys) == 1
    keys.close()
    dupefilter = CompactDupeFilter()
    try:
        assert not dupefilter.request_seen(Request("http://a.test/page?b=2&a=1"))
        assert dupefilter.request_seen(Request("http://a.test/page?a=1&b=2"))  # same fingerprint
        assert not dupefilter.request_seen(Request("http://a.test/page", method="POST"))
    finally:
        dupefilter.close("finished")
