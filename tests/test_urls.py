import pytest

from archiver.urls import canonical_url, same_site


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
