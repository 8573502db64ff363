"""Property-based tests: whatever comes in, only the documented errors come out, in bounded time."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver import Article, ParseError, parse_article
from archiver.archive.urls import canonical_url

TAGS = ["html", "head", "body", "title", "div", "p", "article", "a", "script", "style", "h1", "span", "li", "ul",
        "meta", "aside", "section", "table", "td", "br", "img", "noscript", "template", "svg"]

markup = st.recursive(
    st.text(alphabet=string.printable + "éü—“”\u00a0", max_size=40),
    lambda inner: st.builds(
        lambda tag, attrs, children, close: f"<{tag}{attrs}>{''.join(children)}" + (f"</{tag}>" if close else ""),
        st.sampled_from(TAGS),
        st.sampled_from(["", ' class="content"', ' id="related"', ' class="author-bio"', " hidden", ' href="javascript:x"',
                         ' content="2026-01-01"', ' property="og:type" content="article"', ' charset="shift_jis"']),
        st.lists(inner, max_size=5),
        st.booleans(),
    ),
    max_leaves=40,
)
FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def parses_or_refuses(page) -> None:
    try:
        article = parse_article(page, "http://example.test/a/b")
    except ParseError:
        return
    assert isinstance(article, Article)
    assert isinstance(article.body, str) and isinstance(article.bio, list)


@FUZZ
@given(markup)
def test_parse_any_markup(page):
    parses_or_refuses(page)


@FUZZ
@given(st.binary(max_size=4000))
def test_parse_any_bytes(page):
    parses_or_refuses(page)


@FUZZ
@given(st.text(max_size=2000))
def test_parse_any_text(page):
    parses_or_refuses(page)


urls = st.builds(
    lambda scheme, host, port, path, query, fragment: f"{scheme}://{host}{port}{path}{query}{fragment}",
    st.sampled_from(["http", "https", "HTTP"]),
    st.from_regex(r"[A-Za-z0-9-]{1,12}(\.[A-Za-z0-9-]{1,8}){0,3}", fullmatch=True),
    st.sampled_from(["", ":80", ":443", ":8080", ":99999", ":x"]),
    st.text(alphabet=string.ascii_letters + string.digits + "/-._~%", max_size=30).map(lambda p: "/" + p),
    st.sampled_from(["", "?", "?a=1&b=2", "?utm_source=x&id=3", "?amp", "?print=1&q=%20"]),
    st.sampled_from(["", "#top", "#"]),
)


@settings(max_examples=300)
@given(urls)
def test_canonical_url_is_total_and_idempotent(url):
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert "#" not in once and "utm_" not in once


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_canonical_url_never_raises(text):
    assert isinstance(canonical_url(text), str)
