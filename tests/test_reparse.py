"""Re-parsing stored pages: a version only where the parser's result changed, read as the crawl read it."""

from dataclasses import replace

import pytest

from archiver.parser.page import ArticlePage
from archiver.archive.reparse import reparse
from archiver.archive.store import Archive, Fetch

URL = "http://news.test/kraj/swieto-w-lodzi"
#: A Polish article in windows-1250 that only its HTTP header declares (no <meta charset>):
#: read without the header, its bytes decode as windows-1252 ("Œwiêto w £odzi").
PARAGRAPH = ("Mieszkańcy Łodzi świętowali w sobotę na ulicy Piotrkowskiej, gdzie zebrało się kilka tysięcy "
             "osób. Źródła podają, że była to największa impreza w mieście od wielu lat.")
PAGE = (
    "<html><head><title>Święto w Łodzi</title><meta property='og:type' content='article'></head><body>"
    "<article><h1>Święto w Łodzi</h1><p class=byline>By Jan Nowak</p>"
    + "".join(f"<p>{PARAGRAPH} ({n})</p>" for n in range(4))
    + "</article></body></html>"
).encode("windows-1250")
CONTENT_TYPE = "text/html; charset=windows-1250"


def parsed(content_type=CONTENT_TYPE, **changes) -> dict:
    """The page parsed as the crawler parses it (with the response's Content-Type)."""
    return dict(ArticlePage(URL, PAGE, content_type).to_article().to_dict(), **changes)


@pytest.fixture
def archive(tmp_path):
    return Archive(tmp_path / "archive.db")


def crawl(archive, article):
    """Record the page as a crawl does."""
    return archive.record(Fetch(url=URL, status=200, body=PAGE, headers={"Content-Type": CONTENT_TYPE}, article=article))


def test_the_page_reads_differently_without_its_header():
    assert parsed()["title"] == "Święto w Łodzi"
    assert parsed(content_type="text/html")["title"] != "Święto w Łodzi"


def test_reparse_reads_the_page_in_the_charset_its_response_declared(archive):
    crawl(archive, parsed())
    counts = reparse(archive)
    assert (counts.articles, counts.changed, counts.unchanged) == (1, 0, 1)
    assert archive.db["versions"].count == 1


def test_reparse_version_of_a_header_declared_page_keeps_its_letters(archive):
    crawl(archive, parsed(body="Old parser's body.", parser_version="0.0.1-old"))
    assert reparse(archive).changed == 1
    latest = next(archive.db.query("select title, body, change, produced_by from versions order by version desc limit 1"))
    assert (latest["title"], latest["change"], latest["produced_by"]) == ("Święto w Łodzi", "reparse", "reparse")
    assert PARAGRAPH in latest["body"]
    assert reparse(archive).changed == 0  # a second run adds nothing


def test_crawl_after_a_parser_upgrade_reads_the_old_page_with_its_header(archive):
    crawl(archive, parsed(body="Old parser's body.", parser_version="0.0.1-old"))
    assert crawl(archive, parsed()) == "unchanged"
    rows = list(archive.db.query("select version, change, title from versions order by version"))
    assert [row["change"] for row in rows] == ["new", "reparse"]
    assert rows[-1]["title"] == "Święto w Łodzi"


# --- a site's parser profile -----------------------------------------------------------

PROFILE_URL = "http://site.test/news/bridge"
PROFILE_PAGE = (
    "<html><head><title>Generic title</title></head><body><div class=x-title>The bridge reopens</div>"
    "<div class=x-text><p>The old bridge over the river reopened on Monday after two years of repairs.</p>"
    "<p>Engineers replaced the deck and the cables, and the town paid for half of the work itself.</p></div>"
    "</body></html>"
).encode()


def site_profile():
    from archiver.parser import profiles

    return profiles.from_dict({"host": "site.test", "selectors": {"title": ".x-title", "body": ".x-text"}})


def crawl_with_profile(archive, profile, **changes):
    """Record the page as a crawl of a site whose entry names ``profile`` does."""
    article = dict(ArticlePage(PROFILE_URL, PROFILE_PAGE, "text/html", profile=profile).to_article().to_dict(), **changes)
    return archive.record(Fetch(url=PROFILE_URL, status=200, body=PROFILE_PAGE, headers={"Content-Type": "text/html"},
                                article=article, profile=profile))


def test_the_profile_changes_the_parse():
    assert ArticlePage(PROFILE_URL, PROFILE_PAGE).to_article().title == "Generic title"
    assert ArticlePage(PROFILE_URL, PROFILE_PAGE, profile=site_profile()).to_article().title == "The bridge reopens"


def test_crawl_after_a_parser_upgrade_reparses_with_the_sites_profile(archive):
    crawl_with_profile(archive, site_profile(), body="Old parser's body.", parser_version="0.0.1-old")
    assert crawl_with_profile(archive, site_profile()) == "unchanged"
    titles = [row["title"] for row in archive.db.query("select title from versions order by version")]
    assert titles == ["The bridge reopens", "The bridge reopens"]


def test_reparse_uses_the_profile_a_configured_site_names(archive):
    from archiver.plan.sites import profile_for, site_from_table

    site = replace(site_from_table({"name": "bridge", "home": "http://site.test/"}), profile=site_profile())
    crawl_with_profile(archive, site_profile())
    counts = reparse(archive, profile_for=lambda url: profile_for(url, [site]))
    assert (counts.changed, counts.unchanged) == (0, 1)
    assert reparse(archive).changed == 1  # without the profile the page reads differently


def test_profile_for_matches_the_sites_hosts_and_their_subdomains():
    from archiver.plan.sites import profile_for, site_from_table

    site = replace(site_from_table({"name": "bridge", "home": "http://site.test/"}), profile=site_profile())
    assert profile_for("https://www.site.test/a", [site]) is site.profile
    assert profile_for("http://site.test:8080/a", [site]) is site.profile
    assert profile_for("http://othersite.test/a", [site]) is None


def test_a_queued_fetch_keeps_its_profile():
    from archiver.archive.ingest import decode, encode

    fetch = Fetch(url=PROFILE_URL, status=200, body=PROFILE_PAGE, profile=site_profile())
    assert decode(encode(fetch, "m1"))[1] == fetch
