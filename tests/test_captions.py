"""Captions and credits of pictures leave the body whole and are kept as boilerplate (issue 12)."""

from __future__ import annotations

from archiver import parse_article
from test_faithfulness import LEAD, URL


def page(inner: str) -> str:
    """An article page with ``inner`` between its paragraphs."""
    return (f"<html><body><h1>River floods</h1><div class='post'><p>{LEAD * 2}</p>{inner}"
            f"<p>{LEAD}</p><p>{LEAD}</p></div></body></html>")


def captions(article) -> list[str]:
    """The texts recorded as captions."""
    return [item["text"] for item in article.boilerplate if item["kind"] == "caption"]


def test_a_named_figcaption_leaves_the_body_and_is_recorded():
    html = page("<figure><img src='/levee.jpg'><figcaption class='wp-caption-text'>The old levee at dawn. "
                "Photo: Jane Roe</figcaption></figure>")
    article = parse_article(html, URL)
    assert "Jane Roe" not in article.body
    assert "levee.jpg" in article.body_html
    assert captions(article) == ["The old levee at dawn. Photo: Jane Roe"]


def test_a_credit_in_a_figure_leaves_the_body():
    html = page("<figure><a href='/levee.jpg'><img src='/levee.jpg'></a><p class='photo-credit'>Getty Images</p>"
                "</figure>")
    article = parse_article(html, URL)
    assert "Getty" not in article.body
    assert captions(article) == ["Getty Images"]


def test_a_figure_of_content_keeps_its_caption():
    quote = ("<figure><blockquote><p>We built the levees for a river that no longer exists, and now we "
             "pay for it every spring.</p></blockquote><figcaption class='quote-caption'>Mayor Ann Lee"
             "</figcaption></figure>")
    table = ("<figure><table><tr><td>2019</td><td>3 floods</td></tr></table>"
             "<figcaption class='caption'>Source: county records</figcaption></figure>")
    article = parse_article(page(quote + table), URL)
    assert "Mayor Ann Lee" in article.body and "Source: county records" in article.body
    assert captions(article) == []


def test_an_unnamed_figcaption_stays_in_the_body():
    html = page("<figure><img src='/levee.jpg'><figcaption>The old levee at dawn.</figcaption></figure>")
    assert "The old levee at dawn." in parse_article(html, URL).body


def test_a_caption_named_word_inside_a_sentence_is_kept():
    paragraph = ("<figure><img src='/print.jpg'><p>The levee, <span class='caption'>shown here</span> in an old "
                 "print.</p></figure>")
    assert "The levee, shown here in an old print." in parse_article(page(paragraph), URL).body


def test_a_product_card_named_caption_is_not_a_caption():
    cards = "".join(f"<div class='card'><img src='/p{i}.jpg'><div class='product-caption'><h3>Sandbag kit "
                    f"{i}</h3><span>$2{i}.00</span></div></div>" for i in range(3))
    article = parse_article(page(cards), URL)
    assert "Sandbag kit 1" in article.body
    assert captions(article) == []
