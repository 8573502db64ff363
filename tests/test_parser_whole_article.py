"""The article is never thrown away whole: rules that would remove most of a page must prove more.

Each page here is written for the test, after the markup patterns that made the parser lose
whole articles on real pages (issue 12, failure class 2): content after ``</html>``, a
``<button>`` left open by a stray ``<div>``, React's streamed ``<div hidden id="S:0">``, and
page builders that put ``widget`` on every block.
"""

from __future__ import annotations

from archiver import parse_article

URL = "https://example.com/2025/06/01/river-floods/"
PARAGRAPHS = [
    "For almost a decade the valley has flooded every other winter, and the levees built in the "
    "seventies no longer hold the water back when the snow melts early in the year.",
    "Engineers from the regional agency, who surveyed the banks last spring, say that the cheapest "
    "fix is to give the river its old meadows back, so that the water has somewhere to go.",
    "Farmers who own the meadows are not convinced, and they asked the council for a fair price, "
    "a written promise about the drains, and a say in when the gates are opened each season.",
    "The council will vote on the plan in September, after a public meeting in the village hall, "
    "where the engineers will show the maps of the last three floods and answer every question.",
]


def article_html(wrap: str = "<div class='post'>{}</div>") -> str:
    """The four paragraphs, each in its own ``<p>``, wrapped as ``wrap`` says."""
    return wrap.format("".join(f"<p>{p}</p>" for p in PARAGRAPHS))


def assert_whole(body: str) -> None:
    """Every paragraph of the article is in ``body``, in order."""
    assert [p for p in body.split("\n\n") if p in PARAGRAPHS] == PARAGRAPHS


def test_content_after_the_end_of_the_document_is_kept():
    html = ("<html><head><title>River floods</title></head><body><nav><a href='/'>Home</a></nav>"
            "</body></html>\n" + "<h1>River floods</h1>" + article_html() + "<footer>(c) 2025</footer>")
    assert_whole(parse_article(html, URL).body)


def test_a_button_left_open_does_not_take_the_article_with_it():
    html = ("<html><body><header><button class='menu-button' aria-label='Menu'><div><span>Menu</span>"
            "</button></div></header><h1>River floods</h1>" + article_html() + "</body></html>")
    body = parse_article(html, URL).body
    assert_whole(body)


def test_a_small_button_is_still_dropped():
    html = "<html><body><h1>River floods</h1>" + article_html(
        "<div class='post'>{}<button>Load more comments</button></div>") + "</body></html>"
    body = parse_article(html, URL).body
    assert_whole(body)
    assert "Load more" not in body


def test_streamed_hidden_content_is_kept_and_small_hidden_blocks_are_not():
    html = ("<html><body><div id='root'><p>Loading…</p></div>"
            "<div hidden id='S:0'><h1>River floods</h1>" + article_html() + "</div>"
            "<div hidden><p>Sign in to save this story to your reading list.</p></div></body></html>")
    body = parse_article(html, URL).body
    assert_whole(body)
    assert "reading list" not in body


def test_streamed_segments_are_put_in_their_placeholders():
    # React streams each paragraph as a small hidden segment at the end of the page; its script
    # moves segment S:n into placeholder B:n (in place of a loading fallback) or P:n.
    segments = "".join(f"<div hidden id='S:{i}'><p>{p}</p></div>" for i, p in enumerate(PARAGRAPHS[1:]))
    html = ("<html><body><h1>River floods</h1><div class='post'>"
            f"<p>{PARAGRAPHS[0]}</p>"
            "<template id='B:0'></template><div>Loading paragraph...</div>"
            "<template id='B:1'></template><div>Loading paragraph...</div>"
            "<template id='P:2'></template>"
            "</div><footer>(c) 2025</footer>" + segments + "</body></html>")
    body = parse_article(html, URL).body
    assert_whole(body)
    assert "Loading" not in body


def test_hidden_by_style_stays_hidden_even_when_large():
    html = ("<html><body><h1>River floods</h1>" + article_html() + "<div style='display:none'>"
            + "<p>A hidden draft paragraph that nobody reads on the page at all.</p>" * 30 + "</div></body></html>")
    assert "hidden draft" not in parse_article(html, URL).body


def test_page_builder_widget_classes_do_not_remove_the_post():
    blocks = "".join(f"<div class='elementor-widget elementor-widget-text-editor'><div class='elementor-widget-container'>"
                     f"<p>{p}</p></div></div>" for p in PARAGRAPHS)
    sidebar = ("<div class='sidebar-widget'><h3>Categories</h3><ul>" +
               "".join(f"<li><a href='/c/{i}'>Category {i}</a></li>" for i in range(8)) + "</ul></div>")
    html = f"<html><body><h1>River floods</h1><div class='elementor'>{blocks}</div>{sidebar}</body></html>"
    article = parse_article(html, URL)
    assert_whole(article.body)
    assert "Category 3" not in article.body
    assert any("Category 3" in item["text"] for item in article.boilerplate)


def test_a_post_in_one_page_builder_widget_is_kept_on_a_page_of_menus():
    # One "elementor-widget-container" holds the whole post, under 40% of a page whose menus and
    # footer carry the rest of its text: the builder's word "widget" does not make it boilerplate.
    menu = "".join(f"<li><a href='/topics/{i}/'>Practice area number {i}</a></li>" for i in range(60))
    inner = article_html("<div class='elementor-widget-container'>{}</div>")
    post = f"<div class='elementor-widget elementor-widget-theme-post-content'>{inner}</div>"
    html = ("<html><head><meta property='og:type' content='article'></head><body>"
            f"<header><ul class='menu'>{menu}</ul></header><h1>River floods</h1>{post}"
            f"<footer><ul>{menu}</ul></footer></body></html>")
    assert_whole(parse_article(html, URL).body)


def test_one_named_prose_block_beside_the_article_is_still_removed():
    aside = ("<div class='widget about-widget'><p>" + "This blog is written by a retired engineer who "
             "likes rivers, boats and long walks along the water in every season of the year. " + "</p></div>")
    html = "<html><body><h1>River floods</h1>" + article_html() + aside + "</body></html>"
    article = parse_article(html, URL)
    assert_whole(article.body)
    assert "retired engineer" not in article.body


def test_a_rich_text_editor_widget_is_kept_on_a_page_of_menus():
    # Site builders call the page's rich-text block a "widget editor": "editor" names the
    # article's text, so the widget word does not make it boilerplate (a plain widget still is).
    menu = "".join(f"<li><a href='/departments/{i}/'>Department number {i}</a></li>" for i in range(60))
    post = article_html("<div class='widget editor pageStyles'><div class='fr-view'>{}</div></div>")
    aside = ("<div class='widget about-widget'><p>" + "This office is open from nine to five on weekdays, "
             "and closed on public holidays and the first Monday of every month for staff training. " + "</p></div>")
    html = (f"<html><body><header><ul class='menu'>{menu}</ul></header><h1>River floods</h1>"
            f"<div class='row'>{post}{aside}</div><footer><ul>{menu}</ul></footer></body></html>")
    body = parse_article(html, URL).body
    assert_whole(body)
    assert "office is open" not in body
