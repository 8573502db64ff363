"""Page mode: the main content of a page that is not an article.

The body stage picks one container, as Readability does: right for an article, wrong for a
forum thread (one post of many), a product page (description, specifications and details in
separate boxes), a listing (its items) or a service page (its sections). For pages that
:mod:`archiver.parser.kind` judges not to be articles, this stage keeps a whole region instead:

1. Chrome out: ``header`` / ``nav`` / ``footer`` / ``aside`` elements and the landmark roles of
   the same kinds, each removed whole (a heading inside one is kept: a page's title often sits
   in a ``<header>``).
2. The region: ``<main>`` (or ``role="main"``) when it holds most of the page's own text, else the
   smallest element, going down from ``<body>``, that holds most of it (text outside links
   counted: a menu weighs little).
3. The region's blocks are kept whole, in page order; only whole elements are removed: boxes
   headed "You may also like" and the like, forms of controls, controls and labels ("Add to
   cart", "Joined", "Log in"), poster cards, and links of a few words that stand alone (buttons,
   menu items, tags) or rows of them.

A ``<noscript>`` that holds a view of the page (a forum's crawler view of the whole thread) is
taken out before the cleaning stage drops it (:func:`take_noscripts`); when it holds more text
than the page, the page mode reads it as the page (:func:`noscript_page`).
"""

from __future__ import annotations

import re

from lxml import etree

from archiver.parser import body as body_stage
from archiver.parser.tree import Probe, attached, attrs, drop, has_descendant, in_running_text, link_text_len, short_text, tag, text_len

#: Landmark tags and roles that are a page's chrome, never its content.
CHROME_TAGS = frozenset({"header", "nav", "footer", "aside"})
CHROME_ROLES = frozenset({"banner", "navigation", "contentinfo", "complementary", "search", "menu", "menubar"})
#: ``<main>`` is the region when it holds at least this share of the page's text outside links.
MAIN_SHARE = 0.5
#: Going down from ``<body>`` (or ``<main>``), the smallest element holding this share of its text
#: outside links is the region.
REGION_SHARE = 0.9
#: A ``<noscript>`` with one of these and this much text is a view of the page (not a tracking pixel).
_VIEW_TAGS = ("p", "main", "article", "h1", "h2", "li")
MIN_VIEW_CHARS = 200
#: A link that stands alone with at most this many words is a control, a menu item or a tag.
MAX_LINK_WORDS = 4
#: Longest text of a control, a label or a poster card.
MAX_LABEL_CHARS = 150
#: A form with less text than this outside links is a form of controls.
MAX_FORM_CHARS = 500
#: The whole text of a shop's or a forum's control or label.
CONTROL_TEXT = re.compile(
    r"^(?:add to (?:cart|bag|basket|wish ?list|favou?rites)|buy (?:it )?now|notify me|(?:in|out of) stock|"
    r"sold out|(?:regular|sale|unit) price|quantity|qty|log ?in|sign ?in|sign ?up|register|reply|"
    r"reply with quote|quote|report|share|joined|join date|messages|posts|threads|reaction score|"
    r"skip to (?:main )?content|jump to|back to top|load more|show more|view (?:all|more)|see (?:all|more)|"
    r"get started|contact (?:us|sales)|book (?:now|a|your)|learn more|get a (?:demo|quote)|request a (?:demo|quote)|"
    r"(?:start|try) (?:\w+ )?(?:for )?free|free trial|schedule a|call (?:us|now|today)|shop now|"
    r"privacy(?: policy)?|terms (?:of|and|&)|added to (?:your )?(?:cart|bag|basket)|pick ?up in store|"
    r"(?:leave|write) a review|coming soon|taxes\b[^.]{0,60}checkout"
    r")\b[^.!?]{0,40}$", re.I)
#: A site's copyright line ("© 2025 Shop | All rights reserved | Terms of use").
COPYRIGHT_TEXT = re.compile(r"^(?:©|\(c\)|copyright\b)|\ball rights reserved\b", re.I)
#: The heading of a box of other products or posts.
RECOMMEND_TEXT = re.compile(
    r"^(?:you (?:may|might) also (?:like|love|need)|(?:customers|people) who (?:viewed|bought)|customers also|"
    r"(?:related|similar|recommended|recently viewed) (?:products|items|posts|topics|threads)|more to explore|"
    r"frequently bought together|complete the (?:set|look)|(?:suggested|similar|related) topics)\b", re.I)
HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")
#: Class/id words of a box about a user.
USER_ATTR = re.compile(r"user|member|author|avatar|signature|profile|poster|postbit|userinfo", re.I)
_MAINS = etree.XPath("//main | //*[@role='main']")
#: The descendants that may be chrome landmarks (by tag or role), in page order.
_LANDMARKS = etree.XPath(f"descendant::*[{' or '.join(f'self::{name}' for name in sorted(CHROME_TAGS))} or @role]")


def own_len(el) -> int:
    """The length of ``el``'s text outside links."""
    return text_len(el) - link_text_len(el)


def is_chrome(el) -> bool:
    """Whether ``el`` is a landmark of the page's chrome (by tag or role)."""
    role = (el.get("role") or "").lower()
    return tag(el) in CHROME_TAGS and role != "main" or role in CHROME_ROLES


def strip_chrome(body) -> list:
    """Remove the chrome landmarks under ``body`` (not those holding an ``h1``); return them."""
    removed = []
    for el in _LANDMARKS(body):
        if not is_chrome(el) or el.getparent() is None:
            continue
        if next(el.iter("h1"), None) is not None:
            continue
        removed.append(el)
        drop(el)
    return removed


def main_element(body, total: int):
    """``<main>`` or ``role="main"`` when one holds at least ``MAIN_SHARE`` of ``total``, else None."""
    best, best_len = None, 0
    for el in _MAINS(body):
        length = own_len(el)
        if length > best_len:
            best, best_len = el, length
    return best if total and best_len >= MAIN_SHARE * total else None


def descend(el):
    """The smallest element under ``el`` that holds ``REGION_SHARE`` of ``el``'s text outside links."""
    total = own_len(el)
    while total:
        children = [(own_len(c), c) for c in el if tag(c)]
        if not children:
            return el
        length, child = max(children, key=lambda pair: pair[0])
        if length < REGION_SHARE * total:
            return el
        el = child
    return el


def region(body):
    """The element of ``body`` that holds the page's main content."""
    total = own_len(body)
    main = main_element(body, total)
    return descend(main if main is not None else body)


def is_short_link(el, text: str | None) -> bool:
    """Whether ``el`` is a link that stands alone (a button, a menu item, a tag) with at most
    ``MAX_LINK_WORDS`` words (``text``: its short text)."""
    return tag(el) == "a" and text is not None and 0 < len(text.split()) <= MAX_LINK_WORDS


def is_link_row(el, text: str | None) -> bool:
    """Whether ``el`` holds nothing but short links (a row of buttons, a breadcrumb, a tag list)."""
    if text is None or tag(el) == "a":
        return False
    links = [short_text(a, MAX_LABEL_CHARS) or "" for a in el.iter("a")]
    if not links or any(len(t.split()) > MAX_LINK_WORDS for t in links):
        return False
    return sum(len(t) for t in links) >= len(text) - 3 * len(links)


def is_control(text: str | None) -> bool:
    """Whether ``text`` is a shop's or a forum's control or label ("Add to cart", "Joined", "Log in"),
    or a copyright line."""
    return text is not None and bool(CONTROL_TEXT.match(text) or COPYRIGHT_TEXT.search(text))


def is_user_box(el, text: str | None) -> bool:
    """Whether ``el`` is a short box about a user (a forum's poster card: name, rank, post count)."""
    names = attrs(el)
    return bool(names) and text is not None and bool(USER_ATTR.search(names)) and not has_descendant(el, "p")


def is_recommendations(el, text: str | None) -> bool:
    """Whether ``el`` is a heading over other products or posts ("You may also like", "Customers also viewed")."""
    return tag(el) in HEADING_TAGS and text is not None and bool(RECOMMEND_TEXT.match(text))


def drop_recommendations(top) -> list:
    """Remove the blocks headed "You may also like" and the like under ``top`` (heading and box); return them."""
    removed = []
    limit = own_len(top) / 2
    for head in [h for h in top.iter(*HEADING_TAGS) if is_recommendations(h, short_text(h, MAX_LABEL_CHARS))]:
        box = head.getparent()
        if box is None or not attached(head, top):
            continue
        block = box if box is not top and own_len(box) < limit else head
        removed.append(block)
        drop(block)
    return removed


def is_form(el) -> bool:
    """Whether ``el`` is a form of controls (a cart's options), not a page wrapped in a form."""
    return tag(el) == "form" and own_len(el) < MAX_FORM_CHARS


def is_noise(el) -> bool:
    """Whether ``el`` inside a region is a control, a label, a poster card, a form or a lone short link."""
    if is_form(el):
        return True
    text = short_text(el, MAX_LABEL_CHARS)
    if not text:
        return False
    noise = is_short_link(el, text) or is_control(text) or is_link_row(el, text) or is_user_box(el, text)
    return noise and not in_running_text(el)


def drop_heading_lines(top, title: str | None) -> None:
    """Remove the heading that repeats the title and the byline lines under ``top`` (metadata, as
    the body stage removes them)."""
    title_done = not title
    for el in list(top.iter("h1", "h2", "p", "div", "span", "address", "h4", "h5", "h6")):
        if not attached(el, top) or in_running_text(el):
            continue
        probe = Probe(el, 100)
        if not title_done and probe.name in ("h1", "h2") and probe.text and body_stage.similar(title, probe.text):
            title_done = True
            drop(el)
        elif body_stage.is_byline(probe) or body_stage.is_byline_text(probe):
            drop(el)


def drop_noise(top) -> list:
    """Remove the controls, labels, poster cards, forms and lone short links under ``top``; return them."""
    removed = []
    stack = [c for c in top if tag(c)]
    while stack:
        el = stack.pop()
        if is_noise(el):
            removed.append(el)
            drop(el)
            continue
        stack.extend(c for c in el if tag(c))
    return removed


def take_noscripts(root) -> list:
    """Take out the ``<noscript>`` elements that hold a page's view for readers without scripts
    (a forum's crawler view: the whole thread): the cleaning stage would drop them."""
    views = []
    for el in list(root.iter("noscript")):
        if next(el.iterdescendants(*_VIEW_TAGS), None) is not None and text_len(el) >= MIN_VIEW_CHARS:
            views.append(el)
            drop(el)
    return views


def noscript_page(views: list, root):
    """The noscript views as a page of their own when they hold more text than ``root``'s body, else None."""
    length = sum(text_len(el) for el in views)
    body = root.find("body")
    if not views or length <= text_len(body if body is not None else root):
        return None
    page = etree.Element("html")
    body = etree.SubElement(page, "body")
    for el in views:
        el.tag, el.tail = "div", None
        body.append(el)
    return page


def extract(root, title: str | None) -> tuple[object, list]:
    """The main region of ``root`` as a ``<div>`` and the blocks removed from it."""
    body = root.find("body")
    if body is None:
        body = root
    removed = strip_chrome(body)
    top = region(body)
    drop_heading_lines(top, title)
    removed += drop_recommendations(top)
    removed += drop_noise(top)
    content = etree.Element("div")
    if top is body:
        for child in list(body):
            content.append(child)
        content.text = body.text
    else:
        top.tail = None
        content.append(top)
    return content, removed
