"""The demo news site: real HTTP on 127.0.0.1, both editions, and the manifest."""

from __future__ import annotations

import html
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from archiver.demo import DemoServer, DemoSite, build_manifest

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CONTENT_FIELDS = ("title", "byline", "bio", "body")


def fetch(url: str, headers: dict | None = None):
    """(status, headers, body) for a GET of ``url``; HTTP errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def server():
    with DemoServer(edition=1, host="127.0.0.1", port=0) as srv:
        yield srv


@pytest.fixture
def edition1(server):
    server.set_edition(1)
    return server


@pytest.fixture
def edition2(server):
    server.set_edition(2)
    yield server
    server.set_edition(1)


@pytest.fixture(scope="module")
def manifest(server):
    return build_manifest(server.base_url)


def entries(manifest, change=None, template=None, detail=None):
    """Manifest articles filtered by change kind, template and detail."""
    return [
        a for a in manifest["articles"]
        if (change is None or a["change"] == change)
        and (template is None or a["template"] == template)
        and (detail is None or a["detail"] == detail)
    ]


# --- pages over HTTP ----------------------------------------------------


def test_home_page_lists_latest_articles(edition1, manifest):
    status, headers, body = fetch(edition1.base_url + "/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert int(headers["Content-Length"]) == len(body)
    latest = max(entries(manifest, "unchanged"), key=lambda a: a["edition1"]["published"])
    assert latest["edition1"]["title"].encode() in body


def test_section_pages_paginate(edition1):
    status, _, first = fetch(edition1.base_url + "/section/world/")
    assert status == 200 and b"Older posts" in first
    assert b'href="/section/world/page/2/"' in first
    status, _, second = fetch(edition1.base_url + "/section/world/page/2/")
    assert status == 200 and b"Newer posts" in second
    assert first.count(b'class="listing__item ') == 10
    assert fetch(edition1.base_url + "/section/world/page/9/")[0] == 404


def test_sitemap_lists_every_article(edition1):
    status, _, body = fetch(edition1.base_url + "/sitemap.xml")
    assert status == 200
    root = ET.fromstring(body)
    locs = [u.findtext(SITEMAP_NS + "loc") for u in root.iter(SITEMAP_NS + "url")]
    site = DemoSite(1, edition1.base_url)
    assert sorted(locs) == sorted(site.article_urls())
    assert all(u.findtext(SITEMAP_NS + "lastmod").startswith("2026-") for u in root)


def test_feed_is_rss_with_latest_items(edition1):
    status, headers, body = fetch(edition1.base_url + "/feed")
    assert status == 200 and "rss" in headers["Content-Type"]
    items = ET.fromstring(body).findall("./channel/item")
    assert len(items) == 20
    for item in items:
        assert item.findtext("link").startswith(edition1.base_url + "/")
        assert item.findtext("title") and item.findtext("pubDate") and item.findtext("description")


def test_robots_txt(edition1):
    status, _, body = fetch(edition1.base_url + "/robots.txt")
    text = body.decode()
    assert status == 200
    assert "User-agent: *" in text and "Disallow: /search" in text
    assert f"Sitemap: {edition1.base_url}/sitemap.xml" in text


@pytest.mark.parametrize("template", ["brief", "blog", "news"])
def test_article_of_each_template(edition1, manifest, template):
    article = entries(manifest, "unchanged", template)[0]
    status, headers, body = fetch(article["url"])
    page = html.unescape(body.decode())
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    record = article["edition1"]
    assert f"<title>{record['title']} | The Meridian Ledger</title>" in page
    assert "<h1" in page and record["title"] in page
    assert all(name in page for name in record["byline"])
    assert f'<link rel="canonical" href="{article["url"]}">' in page
    assert '<html lang="en"' in page


def test_url_shapes(manifest):
    prefixes = {"brief": "/article/", "blog": "/blog/2026/", "news": "/news/2026/"}
    for article in manifest["articles"]:
        path = article["url"][len(manifest["base_url"]):]
        assert path.startswith(prefixes[article["template"]])
        assert path.endswith({"brief": "", "blog": "/", "news": ".html"}[article["template"]])


def test_unknown_path_is_404(edition1):
    status, headers, body = fetch(edition1.base_url + "/no/such/page?x=1")
    assert status == 404 and b"Page not found" in body


def test_conditional_get_answers_304(edition1, manifest):
    url = entries(manifest, "unchanged")[0]["url"]
    _, headers, _ = fetch(url)
    assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200


def test_head_has_headers_but_no_body(edition1):
    request = urllib.request.Request(edition1.base_url + "/", method="HEAD")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
        assert int(response.headers["Content-Length"]) > 0
        assert response.read() == b""


# --- edition 2 ----------------------------------------------------------


def test_edition2_removed_and_new(edition2, manifest):
    for article in entries(manifest, "removed"):
        assert fetch(article["url"])[0] == int(article["detail"])
    for article in entries(manifest, "new"):
        status, _, body = fetch(article["url"])
        assert status == 200 and article["edition2"]["title"].encode() in body
    _, _, sitemap = fetch(edition2.base_url + "/sitemap.xml")
    assert all(a["url"].encode() not in sitemap for a in entries(manifest, "removed"))
    assert all(a["url"].encode() in sitemap for a in entries(manifest, "new"))


def test_new_article_absent_in_edition1(edition1, manifest):
    assert fetch(entries(manifest, "new")[0]["url"])[0] == 404


def test_unchanged_pages_are_byte_identical(server, manifest):
    urls = [a["url"] for a in entries(manifest, "unchanged")]
    server.set_edition(1)
    first = {u: fetch(u) for u in urls}
    server.set_edition(2)
    try:
        for url in urls:
            status, headers, body = fetch(url)
            assert status == 200 and body == first[url][2]
            assert headers["ETag"] == first[url][1]["ETag"]
    finally:
        server.set_edition(1)


def test_rotating_only_pages_differ_but_content_does_not(server, manifest):
    article = entries(manifest, "rotating-only")[0]
    server.set_edition(1)
    before = fetch(article["url"])[2]
    server.set_edition(2)
    try:
        after = fetch(article["url"])[2]
    finally:
        server.set_edition(1)
    assert before != after
    for field in CONTENT_FIELDS + ("published",):
        assert article["edition1"][field] == article["edition2"][field]


@pytest.mark.parametrize("edition", [1, 2])
def test_listing_pages_have_no_broken_links(edition):
    """Every same-site link of the home and section pages answers 200: a crawl from the home page meets no error."""
    from urllib.parse import urlsplit

    from scrapers.discovery import page_links

    base_url = "http://127.0.0.1:8123"
    site = DemoSite(edition=edition, base_url=base_url)
    listings = ["/", "/section/world/", "/section/world/page/2/"]
    links = {link for path in listings for link in page_links(site.get(path)[2], base_url + path)}
    paths = {urlsplit(link).path for link in links if link.startswith(base_url)}
    assert {"/about/", "/contact/", "/subscribe", "/privacy/", "/terms/"} <= paths
    assert {path: site.get(path)[0] for path in paths if site.get(path)[0] != 200} == {}


def test_service_pages_have_content():
    site = DemoSite(edition=1, base_url="http://127.0.0.1:8123")
    status, content_type, body = site.get("/terms/")
    assert status == 200 and content_type == "text/html; charset=utf-8"
    assert b"<h1>Terms of use</h1>" in body and b"invented" in body


def test_site_get_interface():
    site = DemoSite(edition=2, base_url="http://127.0.0.1:8123")
    status, content_type, body = site.get("/")
    assert status == 200 and content_type == "text/html; charset=utf-8"
    assert site.get("/missing")[0] == 404
    assert all(u.startswith("http://127.0.0.1:8123/") for u in site.article_urls())


# --- manifest -------------------------------------------------------------


def test_manifest_counts(manifest):
    first = [a for a in manifest["articles"] if a["edition1"]]
    assert len(first) >= 60
    assert all(n >= 20 for n in Counter(a["template"] for a in first).values())
    assert set(Counter(a["template"] for a in first)) == {"brief", "blog", "news"}
    assert {a["change"] for a in manifest["articles"]} == {
        "content", "rotating-only", "removed", "new", "unchanged"}
    details = Counter(a["detail"] for a in entries(manifest, "content"))
    for detail in ("body-edit", "correction", "headline", "byline", "paywall"):
        assert details[detail] >= 2, detail
    assert {a["detail"] for a in entries(manifest, "removed")} == {"404", "410"}
    assert all(a["template"] == "brief" for a in entries(manifest, detail="paywall"))


def test_manifest_editions_present_as_expected(manifest):
    for article in manifest["articles"]:
        assert (article["edition1"] is None) == (article["change"] == "new")
        assert (article["edition2"] is None) == (article["change"] == "removed")


def test_manifest_content_changes(manifest):
    for article in entries(manifest, "content"):
        one, two = article["edition1"], article["edition2"]
        assert any(one[f] != two[f] for f in CONTENT_FIELDS), article["url"]
        assert two["modified"] > one["modified"]
    for article in entries(manifest, detail="correction"):
        assert article["edition2"]["body"].split("\n\n")[-1].startswith("Correction: ")
    for article in entries(manifest, detail="paywall"):
        assert len(article["edition2"]["body"]) > len(article["edition1"]["body"])


def test_manifest_rotating_only(manifest, server):
    sites = {n: DemoSite(n, server.base_url) for n in (1, 2)}
    for article in entries(manifest, "rotating-only"):
        one, two = article["edition1"], article["edition2"]
        assert all(one[f] == two[f] for f in CONTENT_FIELDS)
        path = article["url"][len(server.base_url):]
        pages_differ = sites[1].get(path) != sites[2].get(path)
        assert one["related_links"] != two["related_links"] or pages_differ


def test_manifest_matches_pages(manifest, server):
    site = DemoSite(1, server.base_url)
    known_urls = {a["url"] for a in manifest["articles"]}
    for article in entries(manifest, "unchanged"):
        page = html.unescape(site.get(article["url"][len(server.base_url):])[2].decode())
        record = article["edition1"]
        assert len(record["body"].split("\n\n")) >= 2
        assert all(bio in page for bio in record["bio"])
        for link in record["related_links"]:
            assert link["url"] in known_urls
            assert link["text"] in page


BODY_XPATH = {
    "brief": '//div[@class="entry-content"]/*[not(@class="paywall")]',
    "blog": '//div[@class="entry-content"]/*',
    "news": '//div[@class="story__body"]/p',
}
RELATED_XPATH = {
    "brief": '//section[@class="related-posts"]//h3/a',
    "blog": '//div[@id="also-like"]//h4/a',
    "news": '//aside[contains(@class, "read-next")]//a',
}


def _units(elements) -> list[str]:
    units = []
    for el in elements:
        parts = list(el) if el.tag == "ul" else [el]
        units += [" ".join(p.text_content().split()) for p in parts]
    return units


def test_manifest_is_what_the_pages_show(manifest, server):
    """Body, title and related links of every page equal the manifest record."""
    lxml_html = pytest.importorskip("lxml.html")
    base = server.base_url
    sites = {n: DemoSite(n, base) for n in (1, 2)}
    for article in manifest["articles"]:
        for n, site in sites.items():
            record = article[f"edition{n}"]
            if record is None:
                continue
            doc = lxml_html.fromstring(site.get(article["url"][len(base):])[2])
            template = article["template"]
            assert "\n\n".join(_units(doc.xpath(BODY_XPATH[template]))) == record["body"]
            assert doc.xpath("//h1")[0].text_content() == record["title"]
            links = [{"url": urllib.parse.urljoin(base, a.get("href")), "text": a.text_content()}
                     for a in doc.xpath(RELATED_XPATH[template])]
            assert links == record["related_links"]
