"""The body stage's class/id removals that took article text (issue 12, recall).

Pages written for the test, after patterns of wcxb-dev articles:

- a list article whose every item sits in a block its template names a "header"
  ("listicle-header"): Readability's unlikely-candidate rule took each item, text and all;
  a block named unlikely that reads as prose is judged as any other block;
- a form left inside the article's block: its controls are gone before the body stage, and
  with them the signal Readability's cleaning reads; a form is a form's remains all the same.
"""

from __future__ import annotations

from archiver import parse_article

URL = "https://example.com/guides/five-walks"
INTRO = ("These five walks start at a railway station and end at another, so nobody needs a car, "
         "and each of them passes at least one good place to eat on the way. ")
ITEMS = [(f"{n}. The {name} walk",
          f"The {name} walk follows the old drovers' road for about twelve kilometres, over two low hills "
          f"and through a beech wood, and it is at its best in autumn, when the leaves turn and the paths "
          f"are dry; allow four hours, more with children, and take water, as the only tap is at the end. "
          f"The {name} walk ends at a station with a train every hour, and the last one back leaves at ten, "
          f"which gives time for a meal in the village by the station, where the inn serves food all day. "
          f"Maps of the {name} walk are sold at the station, and the route is marked with yellow arrows.")
         for n, name in enumerate(("river", "ridge", "forest", "coast", "moor"), 1)]


def page(items: str, extra: str = "") -> str:
    """A list article whose items are ``items`` (HTML), with ``extra`` at the end of its block."""
    return ("<html><head><title>Five walks</title></head><body>"
            "<div class='site-header'><a href='/'>Home</a> <a href='/guides'>Guides</a> <a href='/about'>About</a></div>"
            f"<div class='story'><h1>Five walks</h1><p>{INTRO * 3}</p><p>{INTRO * 3}</p>{items}{extra}</div>"
            "<footer>(c) 2025 Example</footer></body></html>")


def header_items() -> str:
    """Each item in a block named a "header"."""
    return "".join(f"<div class='listicle-header'><h2>{title}</h2><p>{text}</p></div>" for title, text in ITEMS)


def test_blocks_named_header_that_read_as_prose_stay():
    body = parse_article(page(header_items()), URL).body
    for title, text in ITEMS:
        assert title in body and text in body


def test_a_site_header_of_links_still_goes():
    assert "About" not in parse_article(page(header_items()), URL).body


def test_a_form_left_in_the_article_goes():
    form = ("<form action='/ebook'><p>Request our free ebook</p>"
            "<div>This field is for validation purposes and should be left unchanged.</div></form>")
    items = "".join(f"<h2>{title}</h2><p>{text}</p>" for title, text in ITEMS)
    body = parse_article(page(items, form), URL).body
    assert ITEMS[-1][1] in body
    assert "free ebook" not in body and "validation purposes" not in body


def test_a_form_that_holds_the_article_stays():
    items = "".join(f"<h2>{title}</h2><p>{text}</p>" for title, text in ITEMS)
    body = parse_article(page(f"<form action='/post'>{items}</form>"), URL).body
    for title, text in ITEMS:
        assert text in body
