"""Rotating blocks between paragraphs must never make a false version (demo editions 3 and 4).

Edition 3 holds the articles of edition 2 with headline lists, "Read more" lines, photo
galleries, calls to action and newsletter boxes between their paragraphs, some with a
telling class and some plain; edition 4 draws them anew. Only the articles the manifest
marks ``change4 == "content"`` change in content from 3 to 4.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlite_utils import Database

from archiver import parse_article
from archiver import Archive
from archiver.demo.run import compare_with_manifest
from archiver.demo import DemoServer, DemoSite, build_manifest
from archiver.demo import inline
from archiver.demo.catalog import get_catalog
from archiver.archive.fingerprint import normalise_value
from conftest import archiver

BASE = "http://127.0.0.1:8123"
CONTENT_FIELDS = ("title", "byline", "bio", "body", "published", "modified")


@pytest.fixture(scope="module")
def manifest():
    return build_manifest(BASE)


@pytest.fixture(scope="module")
def parsed(manifest):
    """Every article page of editions 3 and 4, parsed: {(url, edition): Article}."""
    sites = {n: DemoSite(n, BASE) for n in (3, 4)}
    found = {}
    for entry in manifest["articles"]:
        for n, site in sites.items():
            if entry[f"edition{n}"] is not None:
                found[entry["url"], n] = parse_article(site.get(entry["url"][len(BASE):])[2], entry["url"])
    return found


def rotating(manifest, change):
    return [entry for entry in manifest["articles"] if entry["change4"] == change]


# --- the site and its manifest ---------------------------------------------------------


def test_rotating_editions_hold_the_articles_of_edition2(manifest):
    for entry in manifest["articles"]:
        present = entry["edition2"] is not None
        assert (entry["edition3"] is not None) == present == (entry["edition4"] is not None)
        assert (entry["change4"] is not None) == present


def test_manifest_says_which_articles_changed_and_which_only_rotated(manifest):
    edited = rotating(manifest, "content")
    assert Counter(entry["detail4"] for entry in edited) == {"body-edit": 3, "update": 3}
    assert {entry["template"] for entry in edited} == {"brief", "blog", "news"}
    for entry in edited:
        three, four = entry["edition3"], entry["edition4"]
        assert three["body"] != four["body"] and four["modified"] > three["modified"]
    only_rotated = rotating(manifest, "rotating-only")
    assert len(only_rotated) >= 50
    for entry in only_rotated:
        assert all(entry["edition3"][f] == entry["edition4"][f] for f in CONTENT_FIELDS), entry["url"]


def test_every_article_rotates_its_blocks_between_paragraphs():
    catalog = get_catalog()
    styles = Counter()
    for entry in catalog.entries:
        if entry.version(3) is None:
            continue
        three, four = inline.inserts(catalog, entry, 3), inline.inserts(catalog, entry, 4)
        assert three and four and three != four, entry.path
        assert DemoSite(3, BASE).get(entry.path)[2] != DemoSite(4, BASE).get(entry.path)[2]
        styles.update((insert.kind, insert.plain) for insert in three + four)
    assert set(styles) == {(kind, plain) for kind in inline.KINDS for plain in (True, False)}


def test_lead_images_are_the_articles_own_and_do_not_rotate(manifest):
    sites = {n: DemoSite(n, BASE) for n in (3, 4)}
    with_image = 0
    for entry in rotating(manifest, "rotating-only"):
        pages = [sites[n].get(entry["url"][len(BASE):])[2].decode() for n in (3, 4)]
        figures = [page[page.find('<figure class="lead-image">'):].split("</figure>")[0] for page in pages]
        assert ('<figure class="lead-image">' in pages[0]) == ('<figure class="lead-image">' in pages[1])
        if '<figure class="lead-image">' in pages[0]:
            with_image += 1
            assert figures[0] == figures[1]
    assert with_image >= 10


# --- the parser on every page of editions 3 and 4 --------------------------------------


def test_parsed_content_is_the_article_without_its_rotating_blocks(manifest, parsed):
    for (url, edition), article in parsed.items():
        record = next(e for e in manifest["articles"] if e["url"] == url)[f"edition{edition}"]
        assert normalise_value(article.body) == normalise_value(record["body"]), (url, edition)
        assert article.title == record["title"] and article.byline == record["byline"]


def test_headline_lists_and_read_more_lines_are_related_links(manifest, parsed):
    catalog = get_catalog()
    for (url, edition), article in parsed.items():
        record = next(e for e in manifest["articles"] if e["url"] == url)[f"edition{edition}"]
        assert article.related_links == record["related_links"], (url, edition)
        entry = catalog.by_path[url[len(BASE):]]
        in_body = {BASE + e.path for e in inline.related_entries(inline.inserts(catalog, entry, edition))}
        assert in_body and in_body <= {link["url"] for link in article.related_links}


def test_calls_to_action_galleries_and_newsletters_are_not_in_the_body(parsed):
    catalog = get_catalog()
    promos = 0
    for (url, edition), article in parsed.items():
        entry = catalog.by_path[url[len(BASE):]]
        for insert in inline.inserts(catalog, entry, edition):
            if insert.kind in ("gallery", "cta", "newsletter"):
                assert all(text.split(":")[0] not in article.body for text in insert.texts[:2]), insert
            if insert.kind == "cta":
                promos += 1
                assert any(b["kind"] == "promo" and insert.texts[0] in b["text"] for b in article.boilerplate)
    assert promos >= 20


def test_a_lead_image_caption_stays_in_the_body(parsed):
    captions = 0
    for entry in get_catalog().entries:
        version = entry.version(3)
        for figure in [b for b in version.blocks if b.kind == "figure"] if version else []:
            caption = " ".join(figure.items)
            assert caption in parsed[BASE + entry.path, 3].body and caption in parsed[BASE + entry.path, 4].body
            captions += 1
    assert captions >= 10


# --- crawled into a real archive -----------------------------------------------------


def test_crawling_edition3_then_edition4_adds_a_version_only_for_real_edits(tmp_path):
    db_path = tmp_path / "rotation.db"
    with DemoServer(edition=3, host="127.0.0.1", port=0) as server:
        first = archiver("crawl", "--db", db_path, "--start-url", f"{server.base_url}/sitemap.xml")
        assert first.returncode == 0, first.stderr
        server.set_edition(4)
        second = archiver("crawl", "--db", db_path, "--start-url", f"{server.base_url}/sitemap.xml")
        assert second.returncode == 0, second.stderr
        manifest = build_manifest(server.base_url)
    present = [entry for entry in manifest["articles"] if entry["change4"] is not None]
    edits = [entry for entry in present if entry["change4"] == "content"]
    db = Database(db_path)
    crawl = db["crawls"].get(2)
    assert (crawl["new"], crawl["changed"], crawl["removed"], crawl["errors"]) == (0, len(edits), 0, 0)
    assert crawl["unchanged"] == len(present) - len(edits)  # every page was fetched again, none kept
    assert db["versions"].count == len(present) + len(edits)
    # the archive's versions and their fields, checked as `archiver demo` checks editions 1 and 2
    as_pair = [{"url": entry["url"], "change": "content" if entry in edits else "unchanged",
                "edition1": entry["edition3"], "edition2": entry["edition4"]} for entry in present]
    assert compare_with_manifest(Archive.open_existing(db_path), {"articles": as_pair}) == []


# --- the general rules on small pages ------------------------------------------------

PAGE = """<html><head><title>A story</title></head><body><article><h1>A story</h1>
<div class="content">
<p>The first paragraph of the story is long enough to be the article: it tells what happened in the
town on Tuesday, who said what at the meeting and why the vote matters for the people who live there.</p>
{block}
<p>The second paragraph carries on with the story, with the numbers from the council's report and the
reactions of the residents who came to the meeting, some of them for the first time in many years.</p>
<p>The third paragraph ends the story with what comes next: a second vote in the spring, a public
consultation over the summer and a final decision that the council expects to take before the autumn.</p>
</div></article></body></html>"""
URL = "https://news.example/2026/story"


def parse_with(block: str):
    return parse_article(PAGE.format(block=block).encode(), URL)


@pytest.mark.parametrize("line", [
    '<p><strong>Read more:</strong> <a href="/2026/other-story">Council Approves the New Bridge</a></p>',
    '<p>Related: <a href="https://www.news.example/a">Council Approves the New Bridge</a> | '
    '<a href="/b">Residents Rally Against the Closure</a></p>',
    '<p>SEE ALSO: <a href="/c">How the Town Voted on the Budget</a></p>',
])
def test_a_label_line_of_same_site_links_is_related(line):
    article = parse_with(line)
    assert "Read more" not in article.body and "Related" not in article.body and "SEE ALSO" not in article.body
    assert article.related_links and "first paragraph" in article.body and "third paragraph" in article.body


@pytest.mark.parametrize("line", [
    '<p>Read more: <a href="https://other.example/report">the full report on the council site</a></p>',
    '<p>Read more: the council published <a href="/report">its report</a> on Monday.</p>',
])
def test_a_label_line_with_other_text_or_other_sites_stays(line):
    article = parse_with(line)
    assert "Read more:" in article.body and article.related_links == []


@pytest.mark.parametrize("line", [
    '<p><a href="https://www.youtube.com/@news">Subscribe to The Town Crier on YouTube</a> for more videos.</p>',
    '<p><em><a href="/app">Click here to get the Town Crier app</a></em></p>',
    '<p>Join our forums: <a href="/forums/">talk about this story</a></p>',
    '<p><strong><a href="#comments">Join the conversation</a></strong> and tell us what you think.</p>',
    '<p>Follow us on <a href="https://x.com/towncrier">X</a> for the latest news.</p>',
])
def test_a_call_to_action_is_promo(line):
    article = parse_with(line)
    assert "first paragraph" in article.body and "third paragraph" in article.body
    assert [b["kind"] for b in article.boilerplate if b["kind"] == "promo"] == ["promo"]
    assert all(word not in article.body for word in ("YouTube", "Click here", "forums", "conversation", "Follow"))


def test_a_call_to_action_without_a_link_or_in_a_long_paragraph_stays():
    plain = parse_with("<p>Follow us on Facebook, said the mayor, who has never used it.</p>")
    assert "Follow us on Facebook" in plain.body
    long = ("<p>Join the conversation about the bridge, the mayor urged, in a speech that went on to "
            "describe the <a href='/history'>history of the crossing</a> and its cost to the town over "
            "the last forty years, from the first survey to the flood that closed it in the spring.</p>")
    assert "Join the conversation" in parse_with(long).body


def test_a_gallery_with_controls_and_a_teaser_figure_are_not_in_the_body():
    gallery = ('<div><figure><img src="/g/1.jpg" alt=""><figcaption>Boats in the harbour at dawn. Photo: A. Smith'
               '</figcaption></figure><span>Caption</span> <span>Close</span> <span>1 / 12</span></div>')
    teaser = ('<figure><a href="/2026/bridge-pictures"><img src="/g/2.jpg" alt=""></a>'
              '<figcaption>The week in pictures: snow on the bridge</figcaption></figure>')
    article = parse_with(gallery + teaser)
    assert "harbour" not in article.body and "snow on the bridge" not in article.body
    assert "first paragraph" in article.body and "third paragraph" in article.body


def test_the_articles_own_figure_keeps_its_caption():
    own = ('<figure><a href="/media/bridge.jpg"><img src="/media/bridge-small.jpg" alt=""></a>'
           '<figcaption>The old bridge before it closed. Photo: A. Smith</figcaption></figure>')
    assert "The old bridge before it closed. Photo: A. Smith" in parse_with(own).body


def test_a_related_heading_after_the_text_takes_only_its_list():
    block = ('<h3>More news from The Town Crier</h3><ul><li><a href="/a">Council Approves the New Bridge</a></li>'
             '<li><a href="/b">Residents Rally Against the Closure</a></li></ul>')
    article = parse_with(block)
    assert all(f"{n} paragraph" in article.body for n in ("first", "second", "third"))
    assert "More news" not in article.body and len(article.related_links) == 2
