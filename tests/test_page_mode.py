"""Page mode (``archiver.parser.region``): a page that is not an article keeps its whole main region.

A forum thread keeps every post, a product page its description and its specifications; the
page's chrome (header, menus, footer, side rail), its controls ("Add to cart", "Log in"), its
poster cards and its "You may also like" box stay out. An article's body is the body stage's,
untouched by the page mode.
"""

from __future__ import annotations

import pytest
from lxml import etree

from archiver import parse_article
from archiver.parser.page import ArticlePage
from archiver.parser import clean, region, sections, tree

POSTS = [
    "I am planning a week of hiking in the Alps in July and wonder which tent would survive the storms up there.",
    "Take a tunnel tent with a low profile; mine held through two nights of hail near the glacier last summer.",
    "A free-standing dome is easier on rocky ground, where pegs will not go in, and it packs smaller too.",
    "Whatever you take, pitch it behind a boulder and check the forecast every morning before you set out.",
]

FORUM = """<html><head><title>Which tent for a week in the Alps? - Hiking Forum</title>
<script type="application/ld+json">{"@type": "DiscussionForumPosting", "headline": "Which tent?"}</script></head>
<body class="forum thread-view">
<header class="site-header"><a href="/">Hiking Forum</a> <a href="/forums/">Forums</a> <a href="/login">Log in</a></header>
<nav><ul><li><a href="/forums/gear/">Gear</a></li><li><a href="/forums/routes/">Routes</a></li></ul></nav>
<div id="thread"><h1>Which tent for a week in the Alps?</h1>
""" + "".join(f"""<div class="message"><div class="user-details"><a href="/members/u{i}">hiker{i}</a>
<span>Joined: March 2019</span></div><div class="message-body"><p>{post}</p></div>
<div class="message-actions"><a href="/r/{i}">Reply</a> <a href="/q/{i}">Quote</a></div></div>
""" for i, post in enumerate(POSTS)) + """</div>
<aside><h3>Latest threads</h3><p>Best boots for scree slopes in the autumn, and how to break them in before a trip.</p></aside>
<footer><p>Hiking Forum. All rights reserved. Privacy and terms of use apply to every post on this site.</p></footer>
</body></html>"""

DESCRIPTION = ("A light trail shoe with a grippy outsole and a breathable upper, made for long days on rough "
               "ground and wet rock, with a cushioned midsole that keeps its spring for hundreds of miles.")
SPECS = ["Weight: 280 g", "Drop: 6 mm", "Upper: recycled mesh", "Outsole: sticky rubber with 5 mm lugs"]

PRODUCT = f"""<html><head><title>Trail Runner 2 shoe - Blue | Shop</title>
<meta property="og:type" content="product"><meta property="product:price:amount" content="89.00">
<script type="application/ld+json">{{"@type": "Product", "name": "Trail Runner 2",
 "offers": {{"@type": "Offer", "price": "89.00", "priceCurrency": "EUR"}}}}</script></head>
<body class="product-template woocommerce">
<header><a href="/">Shop</a> <a href="/men/">Men</a> <a href="/women/">Women</a> <a href="/cart">Cart</a></header>
<main><div class="product"><h1>Trail Runner 2</h1><p class="price">89.00 EUR</p>
<form action="/cart"><span>Size</span><select name="size"><option>42</option></select><a class="btn">Add to cart</a></form>
<div class="tabs"><section><h2>Description</h2><p>{DESCRIPTION}</p></section>
<section><h2>Specifications</h2><ul>{"".join(f"<li>{s}</li>" for s in SPECS)}</ul></section>
<section><h2>Care</h2><p>Rinse off mud with cold water and let the shoes dry slowly, away from a heater or the sun.</p></section>
</div></div>
<div class="recs"><h2>You may also like</h2><ul><li><a href="/p/1">Trail Runner 1 in green and grey</a> 79 EUR</li>
<li><a href="/p/3">Mountain Sock, merino wool blend</a> 15 EUR</li></ul></div></main>
<footer><p>Free returns within 30 days. Questions? Write to our customer service, we answer within a day.</p></footer>
</body></html>"""

URL = "https://forum.example.org/threads/which-tent-for-a-week-in-the-alps.1234/"
PRODUCT_URL = "https://shop.example.com/products/trail-runner-2"


def test_a_forum_thread_keeps_every_post_and_no_chrome():
    page = ArticlePage(URL, FORUM)
    assert not page.is_article
    body = page.to_article().body
    for post in POSTS:
        assert post in body
    for chrome in ("Gear", "Routes", "Latest threads", "All rights reserved", "Joined", "Reply", "Quote", "Log in"):
        assert chrome not in body


def test_a_product_page_keeps_its_description_and_specifications_and_no_chrome():
    page = ArticlePage(PRODUCT_URL, PRODUCT)
    assert not page.is_article
    body = page.to_article().body
    assert DESCRIPTION in body
    for spec in SPECS:
        assert spec in body
    assert "Rinse off mud with cold water" in body
    for noise in ("Add to cart", "You may also like", "Mountain Sock", "Free returns", "Women"):
        assert noise not in body


def test_what_the_page_mode_takes_out_is_recorded_as_boilerplate():
    records = [item["text"] for item in parse_article(FORUM, URL).boilerplate]
    assert "Reply Quote" in records
    assert any("Joined" in record for record in records)


def test_a_you_may_also_like_box_inside_the_region_is_taken_out():
    body = etree.HTML(f"<html><body><div id='r'><p>{DESCRIPTION}</p><div><h2>You may also like</h2>"
                      f"<p>Trail Runner 1, 79 EUR</p></div></div></body></html>").find("body")
    removed = region.drop_recommendations(body.find("div"))
    assert [el.tag for el in removed] == ["div"]
    assert "You may also like" not in etree.tostring(body, encoding="unicode")


def test_the_region_is_main_when_it_holds_the_text():
    html = f"<html><body><div><p>{DESCRIPTION}</p></div><main id='m'><p>{DESCRIPTION * 2}</p><p>{DESCRIPTION * 2}</p></main></body></html>"
    body = etree.HTML(html).find("body")
    assert region.region(body).get("id") == "m"


def test_the_region_goes_down_to_the_block_that_holds_the_text():
    html = (f"<html><body><div id='wrap'><div class='menu'>{'<a href=/x>Link</a> ' * 20}</div>"
            f"<div id='content'><p>{DESCRIPTION}</p><p>{DESCRIPTION}</p></div><p>Small print.</p></div></body></html>")
    body = etree.HTML(html).find("body")
    assert region.region(body).get("id") == "content"


def test_a_noscript_view_of_the_thread_is_read():
    posts = "".join(f"<div class='post'><p>{post}</p></div>" for post in POSTS)
    html = (f"<html><head><title>Which tent? - Forum</title></head><body><div id='app'>Loading</div>"
            f"<noscript><div id='main-outlet' role='main'><h1>Which tent?</h1>{posts}</div></noscript></body></html>")
    page = ArticlePage(URL, html)
    assert not page.is_article
    body = page.to_article().body
    for post in POSTS:
        assert post in body


def test_an_article_is_left_to_the_body_stage():
    lead = ("The council voted on Tuesday to extend the programme for another two years, after a report found "
            "that it had cut waiting times at the city's clinics by almost a third since it began. ")
    html = (f"<html><head><meta property='og:type' content='article'></head><body class='single-post'>"
            f"<article><h1>Council extends clinic programme</h1>"
            f"{''.join(f'<p>{lead}Officials said {i} more clinics would join.</p>' for i in range(6))}"
            f"</article><div class='more'><p>Sign up for our evening briefing, every day at six.</p></div></body></html>")
    page = ArticlePage("https://example.com/2025/03/04/council-clinics/", html)
    assert page.is_article
    assert page._parts is page._article_parts


SHOP_HEAD = """<html><head><title>Trail Runner 2 shoe - Blue | Shop</title>
<meta property="og:type" content="product"><meta property="product:price:amount" content="89.00">
<script type="application/ld+json">{"@type": "Product", "name": "Trail Runner 2",
 "offers": {"@type": "Offer", "price": "89.00", "priceCurrency": "EUR"}}</script></head>
<body class="product-template">
<header><a href="/">Shop</a> <a href="/men/">Men</a> <a href="/cart">Cart</a></header>"""
CLOSED = {
    "a tab": '<div class="tab-pane" role="tabpanel" hidden>{}</div>',
    "an accordion's fold": '<div class="accordion__content" style="display:none">{}</div>',
    "an expander": '<div class="product-details collapse" aria-hidden="true">{}</div>',
}
OVERLAY = ("<div class='size-guide-modal' role='dialog' aria-hidden='true'><div class='tab-content'>"
           "<p>Measure your foot from the heel to the longest toe and pick the next size up from the chart.</p>"
           "</div></div>")


def shop_page(panel: str, extra: str = "") -> str:
    """A product page whose specifications sit in ``panel`` (a closed tab, fold or expander)."""
    specs = "<ul>" + "".join(f"<li>{s}</li>" for s in SPECS) + "</ul>"
    return (f"{SHOP_HEAD}<main><div class='product'><h1>Trail Runner 2</h1><p>{DESCRIPTION}</p>"
            f"<h2>Specifications</h2>{panel.format(specs)}</div>{extra}</main></body></html>")


@pytest.mark.parametrize("closed", sorted(CLOSED))
def test_a_closed_panel_of_a_product_page_is_kept(closed):
    page = ArticlePage(PRODUCT_URL, shop_page(CLOSED[closed], OVERLAY))
    assert not page.is_article
    body = page.to_article().body
    for spec in SPECS:
        assert spec in body
    assert "Measure your foot" not in body  # a tab inside a hidden dialog is the dialog's


def test_an_articles_hidden_panel_stays_out():
    lead = ("The council voted on Tuesday to extend the programme for another two years, after a report found "
            "that it had cut waiting times at the city's clinics by almost a third since it began. ")
    html = (f"<html><head><meta property='og:type' content='article'></head><body class='single-post'>"
            f"<article><h1>Council extends clinic programme</h1>"
            f"{''.join(f'<p>{lead}Officials said {i} more clinics would join.</p>' for i in range(6))}"
            f"<div class='tab-pane' hidden><p>Most read: the mayor's new cycle lanes open next week.</p></div>"
            f"</article></body></html>")
    page = ArticlePage("https://example.com/2025/03/04/council-clinics/", html)
    assert page.is_article
    assert "Most read" not in page.to_article().body


REVIEWS = ["Comfortable from the first run and the grip on wet rock is superb, I have done three trail races in them.",
           "True to size, light and quick to dry after a river crossing; the lugs still look new after 300 km."]


def test_a_product_pages_reviews_are_kept_though_named_testimonials():
    reviews = "".join(f"<blockquote><p>{r}</p><cite>Runner {i}</cite></blockquote>" for i, r in enumerate(REVIEWS))
    care = "".join(f"<p>{DESCRIPTION} Care note {i}: rinse with cold water.</p>" for i in range(3))
    panel = "<div>{}</div>" + care  # the reviews are a small part of the page: no overreach guard
    page = ArticlePage(PRODUCT_URL, shop_page(panel, f"<div class='testimonials'><h2>Reviews</h2>{reviews}</div>"))
    assert not page.is_article
    body = page.to_article().body
    for review in REVIEWS:
        assert review in body


def test_a_copyright_line_inside_the_region_is_taken_out():
    line = "<p class='small'>© 2025 Trail Shop | All rights reserved | Terms of use</p>"
    page = ArticlePage(PRODUCT_URL, shop_page("<div>{}</div>", line))
    assert not page.is_article
    body = page.to_article().body
    assert DESCRIPTION in body and "All rights reserved" not in body


def page_mode_reference(page: ArticlePage) -> tuple:
    """The page mode's tree and sections by their definition: the page parsed anew, closed panels kept,
    the section stages run with the page mode's rules."""
    root = tree.parse(page.text)
    region.take_noscripts(root)
    clean.prune(root, keep_panels=True)
    return root, sections.split(root, page.meta.base_url, page.url, page=True)


REVIEWS_PAGE = shop_page("<div>{}</div>" + "".join(f"<p>{DESCRIPTION} Care note {i}.</p>" for i in range(3)),
                         "<div class='testimonials'><h2>Reviews</h2>"
                         + "".join(f"<blockquote><p>{r}</p><cite>Runner {i}</cite></blockquote>"
                                   for i, r in enumerate(REVIEWS)) + "</div>")
SHARED_CASES = {"a forum thread": (URL, FORUM), "a product page": (PRODUCT_URL, PRODUCT),
                "reviews": (PRODUCT_URL, REVIEWS_PAGE),
                **{closed: (PRODUCT_URL, shop_page(CLOSED[closed], OVERLAY)) for closed in CLOSED}}


@pytest.mark.parametrize("case", sorted(SHARED_CASES))
def test_the_page_modes_tree_is_the_one_a_second_reading_gives(case):
    url, html = SHARED_CASES[case]
    page = ArticlePage(url, html)
    assert not page.is_article
    root, parts = page._page_tree
    expected_root, expected_parts = page_mode_reference(page)
    assert etree.tostring(root) == etree.tostring(expected_root)
    assert (parts.related_links, parts.bios, parts.boilerplate) == (
        expected_parts.related_links, expected_parts.bios, expected_parts.boilerplate)
