"""Discovery: sitemaps, feeds and listing pages lead to every article."""

import gzip

from sqlite_utils import Database

from archiver import parse_article
from archiver.demo import DemoServer, DemoSite
from conftest import archiver
from scrapers.discovery import feed_links, kind_of, page_links, robots_sitemaps, sitemap_entries, unzipped

BASE = "http://127.0.0.1:8123"


def demo_page(path, edition=1):
    status, content_type, body = DemoSite(edition=edition, base_url=BASE).get(path)
    assert status == 200
    return content_type, body


def test_kind_of_tells_sitemaps_feeds_and_pages_apart():
    assert kind_of(*reversed(demo_page("/sitemap.xml"))) == "sitemap"
    assert kind_of(*reversed(demo_page("/feed"))) == "feed"
    assert kind_of(*reversed(demo_page("/"))) == "html"


def test_robots_txt_names_the_sitemaps():
    assert kind_of(b"User-agent: *", "text/plain", BASE + "/robots.txt") == "robots"
    assert robots_sitemaps(demo_page("/robots.txt")[1], BASE + "/robots.txt") == [BASE + "/sitemap.xml"]


def test_gzipped_sitemap_is_read():
    body = demo_page("/sitemap.xml")[1]
    assert unzipped(gzip.compress(body)) == body and unzipped(body) == body
    assert kind_of(unzipped(gzip.compress(body)), "application/x-gzip") == "sitemap"


def test_sitemap_lists_every_article_with_lastmod():
    kind, entries = sitemap_entries(demo_page("/sitemap.xml")[1])
    assert kind == "urlset"
    assert {entry["loc"] for entry in entries} == set(DemoSite(edition=1, base_url=BASE).article_urls())
    assert all(entry.get("lastmod") for entry in entries)


def test_feed_links_are_item_links_only():
    links = feed_links(demo_page("/feed")[1], BASE + "/feed")
    articles = set(DemoSite(edition=1, base_url=BASE).article_urls())
    assert links and set(links) <= articles


def test_page_links_stay_on_the_host_and_drop_fragments():
    html = b"""<a href="/a#x">a</a><a href="http://other.test/b">b</a><a href="mailto:x@y">m</a>
               <a href="/img.png">i</a><a href="c">c</a><a href="/a">again</a>"""
    assert page_links(html, BASE + "/section/") == [BASE + "/a", BASE + "/section/c"]


def test_listing_pages_declare_themselves_and_articles_too():
    assert parse_article(demo_page("/")[1], BASE + "/").page_type == "listing"
    url = DemoSite(edition=1, base_url=BASE).article_urls()[0]
    assert parse_article(demo_page(url[len(BASE):])[1], url).page_type == "article"


def test_crawl_from_home_page_finds_every_article(tmp_path):
    db_path = tmp_path / "home.db"
    with DemoServer(edition=1, host="127.0.0.1", port=0) as server:
        result = archiver("crawl", "--db", db_path, "--start-url", server.base_url + "/")
        expected = set(DemoSite(edition=1, base_url=server.base_url).article_urls())
    assert result.returncode == 0, result.stderr
    assert {row["url"] for row in Database(db_path)["articles"].rows} == expected


class _Redirecting:
    """A server on 127.0.0.1 that moves every article from /old/<n> to its demo URL."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.startswith("/old/"):
                    self.send_response(301)
                    self.send_header("Location", outer.paths[int(self.path.split("/")[2])])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status, content_type, body = outer.site.get(self.path)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.site = DemoSite(edition=1, base_url=self.base_url)
        self.paths = [url[len(self.base_url):] for url in self.site.article_urls()[:3]]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_redirects_are_followed_recorded_and_kept_as_aliases(tmp_path):
    db_path = tmp_path / "moved.db"
    with _Redirecting() as server:
        old = [f"{server.base_url}/old/{n}" for n in range(3)]
        starts = [arg for url in old for arg in ("--start-url", url)]
        result = archiver("crawl", "--db", db_path, "--max-depth", "0", *starts)
        new = [server.base_url + path for path in server.paths]
    assert result.returncode == 0, result.stderr
    db = Database(db_path)
    assert sorted(row["url"] for row in db["articles"].rows) == sorted(new)
    fetches = {row["final_url"]: row["redirects"] for row in db.query("select final_url, redirects from fetches")}
    for old_url, new_url in zip(old, new):
        assert old_url in fetches[new_url]
        assert next(db.query("select articles.url from articles join aliases on aliases.article_id = articles.id where aliases.url = ?", [old_url]))["url"] == new_url
