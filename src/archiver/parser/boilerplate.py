"""Stage 7: take boilerplate blocks out of the tree and say what kind each one is.

A block is boilerplate by its tag (``nav``, ``footer``, ``aside``, page ``header``), its
ARIA role, its class/id vocabulary (``selectors.KIND_BY_ATTR``) or, for small blocks,
its text (an "Advertisement" label, a paywall or newsletter prompt, a cookie notice, a
linked call to action such as "Subscribe to ... on YouTube" or "Join our forums"), a
photo gallery by its controls ("Caption", "Close", "3 / 40") or a figure whose image
links to another page (a teaser, not the article's own picture).
A block that holds the article (``<article>``, ``<main>``, ``itemprop=articleBody`` or
most of the page's text) is never taken out whole.

A rule that would remove much of a page's prose must prove itself harder than one that removes
a line: blocks named only by a class/id word (``widget``, ``sidebar`` ... page builders put such
words on every block) that read as prose are taken only while, together, they hold less than
``MAX_NAMED_PROSE`` of the page's text; past that, the words are the template's, not the
blocks', and the blocks stay for the body stage to judge. Comment blocks are the exception
on a page that holds a story beside them: a long thread still is the story's comments.
"""

from __future__ import annotations

from lxml import etree

from archiver.parser import related
from archiver.parser import selectors as S
from archiver.parser.tree import (attached, attrs, drop, is_blank, link_text_len, norm, raw_text, short_text, tag,
                                  text_len,
                                  text_of)

#: Longest text a block may have to be judged by its text alone.
MAX_TEXT_BLOCK = 320
#: Longest text kept for one boilerplate record.
MAX_RECORD = 2000
#: The most of a page's text that blocks named by class/id words alone may take while reading as prose.
MAX_NAMED_PROSE = 0.4
#: Kinds named by class/id words alone that the page mode keeps: a product's reviews and a service's
#: customer quotes are the page's content there (an article's are promotion).
PAGE_KEPT = frozenset({"testimonial"})
#: Prose: at least this many characters, with at most ``PROSE_LINK_SHARE`` of them in links.
PROSE_CHARS = 80
PROSE_LINK_SHARE = 0.3
#: The shortest story that a comment thread may outweigh.
MIN_STORY = 1000

_ROLE_KIND = {"navigation": "nav", "banner": "nav", "search": "nav", "menu": "nav",
              "menubar": "nav", "contentinfo": "footer", "complementary": "other",
              "dialog": "other", "alertdialog": "other", "alert": "other"}
_UNPROTECTED = frozenset(f"kind:{kind}" for kind, _ in S.KIND_BY_ATTR[:3])
_TEXT_BLOCKS = frozenset("p div section span li blockquote a aside figure small strong em".split())
_GALLERY_TAGS = frozenset("div section figure aside ul".split())
#: Fewest control elements ("Caption", "Close", "3 / 40") that make a block with images a gallery.
MIN_CONTROLS = 2


def record(kind: str, text: str) -> dict:
    """One boilerplate record."""
    return {"kind": kind, "text": text[:MAX_RECORD]}


def kind_by_attr(el, names: str | None = None, found: frozenset[str] | None = None) -> str | None:
    """The boilerplate kind named by ``el``'s class/id (or their vocabularies ``found``), else its
    ARIA role or tag, or None."""
    if found is None:
        names = attrs(el) if names is None else names
        found = S.features(names) if names else frozenset()
    kind = S.kind_by_features(found)
    if kind:
        return kind
    role = el.get("role")
    if role and role.lower() in _ROLE_KIND:
        return _ROLE_KIND[role.lower()]
    name = tag(el)
    if name in S.CHROME_TAGS and not (name == "header" and _inside_article(el)):
        return S.CHROME_TAGS[name]
    return None


def refine(kind: str, el) -> str:
    """A vaguer kind (nav, other, footer) made precise by the block's text, when it tells."""
    if kind not in ("other", "nav", "footer"):
        return kind
    text = short_text(el, 2000) or ""
    return kind_by_text(text[:MAX_TEXT_BLOCK]) or kind


def kind_by_text(text: str) -> str | None:
    """The boilerplate kind of a short block judged by its text alone, or None."""
    if not text or len(text) > MAX_TEXT_BLOCK:
        return None
    if len(text) < 50 and S.AD_LABEL.match(text):
        return "ad"
    if not S.BOILERPLATE_WORD.search(text.lower()):
        return None
    if S.COOKIE_TEXT.search(text):
        return "cookie"
    if S.PAYWALL_TEXT.search(text):
        return "paywall"
    if S.NEWSLETTER_TEXT.search(text) and len(text) < 250:
        return "newsletter"
    return None


def is_cta(el, text: str) -> bool:
    """Whether ``el`` (text ``text``) is a short call to action with a link: "Subscribe to ... on
    YouTube", "Click here to get the ... app", "Follow us on ...", "Join our forums"."""
    if len(text) > S.MAX_CTA or not S.CTA_TEXT.match(text):
        return False
    return el.tag == "a" or el.find(".//a") is not None


def is_gallery(el) -> bool:
    """Whether ``el`` holds images and gallery controls: a word ("Caption", "Close") and at
    least one more control (a word, a counter "3 / 40" or an arrow)."""
    if el.find(".//img") is None:
        return False
    words = others = 0
    for child in el.iterdescendants():
        if len(child) == 0:
            text = raw_text(child)
            if S.GALLERY_CONTROL_WORD.match(text):
                words += 1
            elif S.GALLERY_CONTROL.match(text):
                others += 1
            if words and words + others >= MIN_CONTROLS:
                return True
    return False


def is_teaser_figure(el, page_url: str) -> bool:
    """Whether figure ``el`` is a teaser in running text: each image links to another page of
    the same site (not to the image file), beside paragraphs and no other such figure."""
    if not _page_links(el, page_url):
        return False
    siblings = list(el.itersiblings()) + list(el.itersiblings(preceding=True))
    if any(tag(s) == "figure" and _page_links(s, page_url) for s in siblings):
        return False
    return any(tag(s) == "p" and not is_blank(s) for s in siblings)


def _page_links(figure, page_url: str) -> bool:
    """Whether every image of ``figure`` links to a page of the site of ``page_url`` (there is one)."""
    images = figure.findall(".//img")
    for img in images:
        link = next(img.iterancestors("a"), None)
        href = (link.get("href") or "") if link is not None else ""
        if S.IMAGE_FILE.search(href) or not related.site_href(href, page_url):
            return False
    return bool(images)


def _inside_article(el) -> bool:
    """Whether ``el`` sits inside an ``<article>`` or ``<main>``."""
    parent = el.getparent()
    while parent is not None:
        if tag(parent) in ("article", "main"):
            return True
        parent = parent.getparent()
    return False


def holds_article(el, page_text_len: int) -> bool:
    """Whether ``el`` contains the article, so must not be removed whole."""
    if tag(el) in ("html", "body", "article", "main"):
        return True
    if el.get("itemprop") == "articleBody":
        return True
    for child in el.iter("main"):
        if child is not el:
            return True
    for child in el.iter("article"):
        if child is not el and text_len(child) > 0.3 * page_text_len:
            return True
    if el.find('.//*[@itemprop="articleBody"]') is not None:
        return True
    return text_len(el) > 0.5 * page_text_len and page_text_len > 0


def _is_protected_name(found: frozenset[str]) -> bool:
    """Whether class/id vocabularies ``found`` name the content and no cookie/paywall/newsletter box."""
    return "MAYBE" in found and "POSITIVE" in found and not (found & _UNPROTECTED)


def widen(el, text: str):
    """``el`` or its ancestors while they add little text (a button, a label) to it."""
    size = len(text)
    parent = el.getparent()
    while parent is not None and tag(parent) not in ("body", "html", "article", "main"):
        parent_size = text_len(parent)
        if parent_size > size + 40 or parent_size > MAX_TEXT_BLOCK:
            break
        if any(tag(c) in ("p", "h2", "h3", "h4") and c is not el and text_len(c) > 60
               for c in parent):
            break
        el, size, parent = parent, parent_size, parent.getparent()
    return el


def _testimonial(sib) -> bool:
    """Whether ``sib`` is a quote with an attribution ("“...” —Source")."""
    return sib is not None and bool(tag(sib)) and bool(S.TESTIMONIAL_TEXT.match(text_of(sib)))


def named_only(probe) -> bool:
    """Whether the probed element is boilerplate by its class/id words alone (not its tag or role)."""
    return probe.name not in S.CHROME_TAGS and (probe.el.get("role") or "").lower() not in _ROLE_KIND


def prose_len(el) -> int:
    """The length of ``el``'s text if it reads as prose (long, few links), else 0."""
    length = text_len(el)
    if length < PROSE_CHARS or link_text_len(el) > PROSE_LINK_SHARE * length:
        return 0
    return length


def overreach(named: list, page_text_len: int, root=None) -> bool:
    """Whether the prose blocks ``named`` by class/id words alone hold too much of the page to all be boilerplate.

    A comment thread may outweigh the story it follows: comment blocks do not count when the
    page (``root``) holds a story beside them (:func:`story_beside`); a forum thread, whose
    first post is one of its comments, has none."""
    comments = [el for kind, el in named if kind == "comments"]
    if comments and root is not None and story_beside(root, comments):
        named = [(kind, el) for kind, el in named if kind != "comments"]
    return sum(prose_len(el) for _, el in named) > MAX_NAMED_PROSE * page_text_len


def story_beside(root, comments: list) -> bool:
    """Whether ``root`` holds a story beside the comment blocks ``comments``: an article block
    (:func:`_names_story`) of at least ``MIN_STORY`` characters of prose that neither holds nor sits
    in them and shares no class with what they hold (a thread's first post is shaped as its replies)."""
    blocks = set(comments)
    holders = {anc for el in comments for anc in el.iterancestors()}
    shapes = None
    for el in root.iter(etree.Element):
        if el in holders or el in blocks or text_len(el) < MIN_STORY or not _names_story(el):
            continue
        if any(anc in blocks for anc in el.iterancestors()) or prose_len(el) < MIN_STORY:
            continue
        if shapes is None:
            shapes = {token for block in comments for inner in block.iter(etree.Element)
                      for token in (inner.get("class") or "").split()}
        if shapes.isdisjoint((el.get("class") or "").split()):
            return True
    return False


def _names_story(el) -> bool:
    """Whether ``el`` is an ``<article>``, ``itemprop=articleBody`` or has a content name."""
    if el.tag == "article" or el.get("itemprop") == "articleBody":
        return True
    names = attrs(el)
    return bool(names) and _is_protected_name(S.features(names))


def match(probe, page_text_len: int, page_url: str = "", page: bool = False) -> tuple[str, object] | None:
    """``(kind, block)`` when the probed element opens a boilerplate block, else None (``page``: for
    the page mode, which keeps the kinds of ``PAGE_KEPT``)."""
    el, name = probe.el, probe.name
    kind = kind_by_attr(el, found=probe.features)
    if kind:
        by_tag = not named_only(probe)
        if (not by_tag and _is_protected_name(probe.features)) or holds_article(el, page_text_len):
            kind = None
        elif page and not by_tag and kind in PAGE_KEPT:
            kind = None
    if kind:
        return refine(kind, el), el
    if name in _TEXT_BLOCKS and len(el) <= 4:
        text = probe.text
        kind = kind_by_text(text) if text else None
        if not kind and text and is_cta(el, text):
            kind = "promo"
        if kind:
            return kind, widen(el, text)
    if name in _GALLERY_TAGS and probe.text:
        if (name == "figure" and is_teaser_figure(el, page_url)) or is_gallery(el):
            return "other", el
    return None


def take(root, found: list[tuple[str, object]]) -> list[dict]:
    """Remove the ``(kind, block)`` pairs found by :func:`match` from ``root``; return records.

    A quote with attribution right before or after a paywall/promo block is a publisher
    testimonial and goes with it. Records are in page order.
    """
    records: list[dict] = []
    for kind, el in found:
        if not attached(el, root):
            continue
        group = [(kind, el)]
        if kind in ("paywall", "promo"):
            before, after = el.getprevious(), el.getnext()
            if _testimonial(before):
                group.insert(0, ("testimonial", before))
            if _testimonial(after):
                group.append(("testimonial", after))
        for group_kind, block in group:
            text = text_of(block)
            if text:
                records.append(record(group_kind, text))
            drop(block)
    return records


def classify(el) -> str:
    """The kind of a block removed by the body stage (``other`` when nothing fits)."""
    return kind_by_attr(el) or kind_by_text(text_of(el)) or "other"


def record_text(el) -> str:
    """The normalised text of ``el``, for records."""
    return norm(raw_text(el))[:MAX_RECORD]
