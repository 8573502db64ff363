import pytest

from archiver.archive.urls import canonical_url, same_site


@pytest.mark.parametrize(
    "url, expected",
    [
        ("HTTP://News.Example.COM:80/a/b?utm_source=x&id=3#top", "http://news.example.com/a/b?id=3"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com/x?b=2&a=1&fbclid=abc&gclid=d", "https://example.com/x?a=1&b=2"),
        ("http://127.0.0.1:8123/news/2026/01/02/x.html", "http://127.0.0.1:8123/news/2026/01/02/x.html"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_same_site_ignores_www():
    assert same_site("https://www.example.com/a", "https://example.com/b")
    assert not same_site("https://example.com/a", "https://other.com/a")


@pytest.mark.parametrize(
    "variant",
    [
        "https://example.com/news/story/amp/",
        "https://example.com/amp/news/story/",
        "https://amp.example.com/news/story/",
        "https://example.com/news/story/?amp",
        "https://example.com/news/story/?outputType=amp",
        "https://example.com/news/story/?print=1",
        "https://example.com/news/story/print/",
    ],
)
def test_amp_and_print_variants_fold_into_the_article(variant):
    assert canonical_url(variant) == "https://example.com/news/story/"


def test_words_amp_and_print_elsewhere_are_kept():
    assert canonical_url("https://example.com/amp") == "https://example.com/amp"
    assert canonical_url("https://example.com/news/amplifier-review") == "https://example.com/news/amplifier-review"
    assert canonical_url("https://example.com/x?view=grid") == "https://example.com/x?view=grid"


def test_ipv6_and_bad_ports_survive():
    assert canonical_url("http://[::1]:8080/a#x") == "http://[::1]:8080/a"
    assert canonical_url("http://[::1]:80/a") == "http://[::1]/a"
    assert canonical_url("http://host:99999/a") == "http://host:99999/a"
