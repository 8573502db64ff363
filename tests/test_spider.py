"""Discovery: sitemaps, feeds and listing pages lead to every article."""

import gzip

from sqlite_utils import Database

from archiver import parse_article
from archiver.demo_site import DemoServer, DemoSite
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
