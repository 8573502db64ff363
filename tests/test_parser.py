"""Tests for the article parser: page fixtures, the demo site, robustness, stages."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from archiver import Article, ParseError, parse_article
from archiver.parser.page import ArticlePage
from archiver.parser import decode, metadata, tree

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "page.html").exists())


def norm(text: str | None) -> str:
    """Whitespace collapsed and trimmed."""
    return re.sub(r"\s+", " ", text or "").strip()


def check(article: dict, expected: dict) -> None:
    """Assert every field of ``expected`` (fixture format) matches ``article``."""
    for key, want in expected.items():
        if key == "related_urls":
            assert sorted(link["url"] for link in article["related_links"]) == sorted(want), key
        elif key == "boilerplate_kinds":
            assert [b["kind"] for b in article["boilerplate"]] == want, key
        else:
            assert article[key] == want, key


# --- fixtures -------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_fixture_page(case):
    expected = json.loads((FIXTURES / case / "expected.json").read_text("utf8"))
    html = (FIXTURES / case / "page.html").read_bytes()
    check(parse_article(html, expected["url"]).to_dict(), expected)


def test_fixture_bodies_are_free_of_boilerplate():
    for case in CASES:
        expected = json.loads((FIXTURES / case / "expected.json").read_text("utf8"))
        article = parse_article((FIXTURES / case / "page.html").read_bytes(), expected["url"])
        for item in article.boilerplate:
            assert item["text"][:40] not in article.body
        for bio in article.bio:
            assert bio not in article.body


def test_seed_like_bio_after_byline_goes_to_bio():
    html = """<html><body><h1>Reducing River Floods</h1><p>By Ada Marsh</p>
    <p>Ada Marsh is the former director of a flood agency. She now teaches hydrology.</p>
    <div><p>For almost a decade the valley has flooded every other winter, and the levees built in
    the seventies no longer hold the water back when the snow melts early in the year.</p>
    <p>The latest plan relies on wetlands upstream that slow the water down before it reaches
    the town, at a fraction of the cost of raising every levee by another metre.</p></div>
    </body></html>"""
    article = parse_article(html, "http://example.com/floods")
    assert article.byline == ["Ada Marsh"]
    assert article.bio == ["Ada Marsh is the former director of a flood agency. She now teaches hydrology."]
    assert article.body.startswith("For almost a decade")
    assert "Ada Marsh" not in article.body


def test_body_html_is_minimal():
    case = FIXTURES / "blog_german"
    expected = json.loads((case / "expected.json").read_text("utf8"))
    body_html = parse_article((case / "page.html").read_bytes(), expected["url"]).body_html
    tags = set(re.findall(r"</?([a-z0-9]+)", body_html))
    assert tags <= {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "a", "em", "strong",
                    "figure", "img", "figcaption"}
    assert "<h2>Was sich ändern soll</h2>" in body_html
    assert "<li>Ein barrierefreier Weg am Weiher</li>" in body_html


# --- the demo site ----------------------------------------------------------------------

def demo_cases():
    """(edition, url, template, expected) for every article of both demo editions."""
    demo = pytest.importorskip("archiver.demo")
    manifest = demo.build_manifest("http://127.0.0.1:8123")
    for edition in (1, 2):
        for art in manifest["articles"]:
            expected = art.get(f"edition{edition}")
            if expected is not None:
                yield edition, art["url"], art["template"], expected


def test_demo_site_every_article_both_editions():
    from archiver.demo import DemoSite

    sites = {e: DemoSite(edition=e, base_url="http://127.0.0.1:8123") for e in (1, 2)}
    failures, count = [], 0
    for edition, url, template, expected in demo_cases():
        count += 1
        status, _ctype, body = sites[edition].get(urlsplit(url).path)
        assert status == 200, url
        got = parse_article(body, url)
        checks = {
            "title": (norm(got.title), norm(expected["title"])),
            "byline": (got.byline, list(expected["byline"])),
            "bio": ([norm(b) for b in got.bio], [norm(b) for b in expected["bio"]]),
            "body": (norm(got.body), norm(expected["body"])),
            "related": ({link["url"] for link in got.related_links},
                        {link["url"] for link in expected["related_links"]}),
        }
        for name, (have, want) in checks.items():
            if have != want:
                failures.append(f"edition {edition} {template} {url} {name}: {have!r} != {want!r}")
    assert count > 0
    assert not failures, "\n".join(failures[:5]) + f"\n({len(failures)} failures)"


# --- robustness: ParseError or an Article, nothing else ------------------------------------

@pytest.mark.parametrize("html", [
    "", "   ", b"", b"\x00\x01\x02\xff\xfe" * 100, "<html>", "<html></html>", "<<<>>>",
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "plain text, no markup at all",
    "<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>",
    b"<html><body><p>caf\xe9 broken \xff\xfe utf-8</p></body></html>",
    "<p>" + "\ud800" + "</p>", "<html><body>" + "<table>" * 3000 + "</body></html>",
    "<script>var a = '<p>not text</p>';</script>", "<div>" * 100000,
])
def test_any_input_gives_article_or_parse_error(html):
    try:
        article = parse_article(html, "http://example.com/x")
    except ParseError:
        return
    assert isinstance(article, Article)
    assert isinstance(article.body, str)
    json.dumps(article.to_dict())


def test_wrong_input_type_is_parse_error():
    with pytest.raises(ParseError):
        parse_article(12345, "http://example.com/")


def test_empty_page_is_parse_error():
    with pytest.raises(ParseError):
        parse_article("", "http://example.com/")


def test_ten_megabytes_of_nested_divs_is_bounded():
    html = "<html><body>" + "<div><p>word, " * 800_000 + "</body></html>"
    assert len(html) > 10_000_000
    start = time.perf_counter()
    try:
        parse_article(html, "http://example.com/")
    except ParseError:
        pass
    assert time.perf_counter() - start < 5


def test_many_flat_elements_are_capped():
    html = "<html><body>" + "<p>Some text, with a comma.</p>" * 200_000 + "</body></html>"
    start = time.perf_counter()
    article = parse_article(html, "http://example.com/")
    assert time.perf_counter() - start < 10
    assert article.body


# --- stages ----------------------------------------------------------------------------

def test_decode_meta_charset_and_bom():
    assert decode.to_text('<meta charset="windows-1252"><p>caf\xe9</p>'.encode("cp1252")).endswith("café</p>")
    assert decode.to_text(b"\xef\xbb\xbf<p>\xc3\xa9</p>") == "<p>é</p>"
    assert decode.to_text("<p>é</p>".encode("utf-8"), "text/html; charset=utf-8") == "<p>é</p>"


def test_decode_without_declaration_falls_back():
    text = decode.to_text("<p>Größe</p>".encode("latin-1"))
    assert text.startswith("<p>Gr") and text.endswith("</p>")


def test_jsonld_graph_authors_and_dates():
    html = """<html><head><script type="application/ld+json">{"@graph": [
      {"@type": "WebPage", "name": "Page"},
      {"@type": ["NewsArticle"], "headline": "Head", "datePublished": "2024-05-01T10:00:00Z",
       "author": [{"@type": "Person", "name": "A. Writer"}, "B. Writer"]}]}</script></head>
      <body><p>x</p></body></html>"""
    meta = metadata.extract(tree.parse(html), "http://example.com/")
    assert meta.title == "Head"
    assert meta.byline == ["A. Writer", "B. Writer"]
    assert meta.published == "2024-05-01T10:00:00+00:00"


@pytest.mark.parametrize("raw, iso", [
    ("2024-05-01", "2024-05-01"), ("2024-05-01T10:00:00Z", "2024-05-01T10:00:00+00:00"),
    ("Wed, 01 May 2024 10:00:00 GMT", "2024-05-01T10:00:00+00:00"),
    ("March 25, 2015", "2015-03-25"), ("25 Mar 2015", "2015-03-25"), ("not a date", None),
])
def test_iso_dates(raw, iso):
    assert metadata.iso_date(raw) == iso


def test_title_site_suffix_removed():
    html = "<html><head><title>Big News | Daily Site</title><meta property='og:site_name' content='Daily Site'></head><body></body></html>"
    assert metadata.extract(tree.parse(html), "http://x/").title == "Big News"


def test_page_object_fields_match_article():
    page = ArticlePage("http://example.com/a", "<html lang='fr'><head><title>T</title></head><body><p>x</p></body></html>")
    article = page.to_article()
    assert article.language == page.language == "fr"
    assert article.title == page.title == "T"


def test_jsonld_article_body_replaces_a_body_that_missed_the_article():
    text = " ".join(f"Sentence number {i} of the article tells the reader something new." for i in range(20))
    html = f"""<html><head><script type="application/ld+json">{{"@type": "NewsArticle",
      "headline": "H", "articleBody": "{text}\\nA second paragraph closes it."}}</script></head>
      <body><div id="app"><a href="/">Home</a> <a href="/news">News</a></div></body></html>"""
    article = parse_article(html, "http://example.com/a")
    assert article.body == text + "\n\nA second paragraph closes it."


def test_jsonld_summary_does_not_replace_the_body():
    case = FIXTURES / "news_jsonld"
    expected = json.loads((case / "expected.json").read_text("utf8"))
    article = parse_article((case / "page.html").read_bytes(), expected["url"])
    assert article.body == expected["body"]


def test_related_links_keep_article_titles_not_tags_authors_or_sections():
    from archiver.parser.related import is_article_link

    site = "https://news.example"
    assert is_article_link({"url": f"{site}/2026/03/harbour-deal-signed", "text": "Harbour deal signed at last"})
    assert not is_article_link({"url": f"{site}/tag/privacy", "text": "Internet Privacy and You"})
    assert not is_article_link({"url": f"{site}/author/jane-doe", "text": "Jane Doe"})
    assert not is_article_link({"url": f"{site}/world/", "text": "More"})
    assert not is_article_link({"url": f"{site}/@someone", "text": "Someone Writes A Lot Of Posts"})
    assert not is_article_link({"url": f"{site}/wiki/Special:BookSources/0140298", "text": "978-0-14-029875-8"})


def test_a_javascript_link_holding_paragraphs_is_text():
    """A link that leads nowhere (``javascript:``) wrapped around the paragraphs: they are the body, not a link."""
    html = ('<html><head><title>Notes</title></head><body><a href="javascript:">'
            '<p>Ebb</p> <p>Flood</p> slack</a></body></html>')
    article = parse_article(html, "https://notes.test/a")
    assert article.body == "Ebb\n\nFlood\n\nslack"
    assert article.boilerplate == []
