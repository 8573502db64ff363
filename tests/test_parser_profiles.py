"""Tests for per-site profiles: loading, picking by host, overriding the generic rules."""

from __future__ import annotations

import pytest

from archiver import parse_article
from archiver.parser import profiles

PAGE = """<html><head><title>Generic title | Site</title></head><body>
<div class="hdr"><a href="/">Site</a></div>
<div class="x-title">Profile Title</div><div class="x-who">Ana Lima and Bo Strand</div>
<div class="x-when" data-x="1">2024-06-01</div>
<div class="x-about">Ana Lima reports on rivers for the site and has done so for ten years.</div>
<div class="x-text"><p>First paragraph of the article, long enough to be read as the body of the page.</p>
<p>Second paragraph of the article, also long enough to count as prose for the parser.</p></div>
<div class="x-promo">Support our reporting today.</div>
<div class="x-more"><a href="/a/one">One</a> <a href="/a/two">Two</a></div>
</body></html>"""

SELECTORS = {"title": ".x-title", "byline": ".x-who", "published": ".x-when", "bio": ".x-about",
             "body": ".x-text", "related_links": ".x-more", "remove": ".hdr"}


def make(**extra) -> profiles.Profile:
    """A profile for example.org with the test page's selectors."""
    data = {"host": "www.example.org", "selectors": SELECTORS, **extra}
    return profiles.from_dict(data)


def test_explicit_profile_overrides_every_field():
    article = parse_article(PAGE, "https://example.org/a/page", profile=make(boilerplate={"promo": ".x-promo"}))
    assert article.title == "Profile Title"
    assert article.byline == ["Ana Lima", "Bo Strand"]
    assert article.published == "2024-06-01"
    assert article.bio == ["Ana Lima reports on rivers for the site and has done so for ten years."]
    assert article.body.startswith("First paragraph") and article.body.endswith("for the parser.")
    assert [link["url"] for link in article.related_links] == ["https://example.org/a/one",
                                                               "https://example.org/a/two"]
    assert {"kind": "promo", "text": "Support our reporting today."} in article.boilerplate


def test_selectors_that_match_nothing_leave_generic_rules():
    profile = profiles.from_dict({"host": "example.org", "selectors": {"title": ".nope", "body": ".nope"}})
    article = parse_article(PAGE, "https://example.org/a/page", profile=profile)
    assert article.title == parse_article(PAGE, "https://example.org/a/page").title
    assert "First paragraph" in article.body


def test_shipped_profile_is_picked_by_host():
    assert profiles.for_url("https://www.thecipherbrief.com/article/x").host == "www.thecipherbrief.com"
    assert profiles.for_url("https://thecipherbrief.com/article/x").host == "www.thecipherbrief.com"
    assert profiles.for_url("https://example.com/") is None
    assert profiles.for_url("not a url") is None


@pytest.mark.parametrize("data, message", [
    ({}, "host"),
    ({"host": "a.b", "selectors": {"headline": "h1"}}, "unknown fields"),
    ({"host": "a.b", "boilerplate": {"junk": ".x"}}, "unknown boilerplate kinds"),
    ({"host": "a.b", "selectors": {"title": "h1[["}}, "bad selector"),
    ({"host": "a.b", "selectors": {"title": 3}}, "CSS selector"),
])
def test_bad_profiles_are_refused(data, message):
    with pytest.raises(profiles.ProfileError, match=message):
        profiles.from_dict(data)


def test_every_shipped_profile_loads():
    assert profiles.shipped()
    for path in profiles.FOLDER.glob("*.toml"):
        assert profiles.load(path).host
