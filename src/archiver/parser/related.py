"""Stage 5: take "Related Articles" / "You may also like" / "Read next" blocks out of
the tree and keep their links.

A block is related by its class/id (``selectors.RELATED_ATTR``) or by a heading whose
text is a related-links title (``selectors.RELATED_HEADING``, several languages); then
it must be mostly links. A heading opens its parent, or the headline list after it (in
running text: a block of links, then siblings that are only a link, such as linked
figures); a heading wrapped with a "View all" link opens the block after its wrapper.
A one-line paragraph that is only a label ("Read more:", "Related:", "See also:") and
links to other pages of the same site is one too.

Links are kept when they point to another page of the same site; a teaser's "More" link
is folded into the teaser's title link; a teaser's taxonomy links (breadcrumb, categories,
tags) are not kept. A block named related whose own heading names a site-wide list
("Popular on ...", "Recent stories") is taken out but keeps no links, and so does a
paragraph of prose with inline links in a block (a call to action or a note after a
"Related" heading).
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

from archiver.parser import selectors as S
from archiver.parser.tree import attached, drop, is_blank, link_text_len, norm, raw_text, tag, text_len

_HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6 p div span strong b header".split())
_LABEL_TAGS = frozenset("p div li span h3 h4 h5 h6".split())
#: Largest share of non-link text in a related block found by its heading.
MIN_LINK_SHARE = 0.12
#: Longest text of a related-links heading.
MAX_HEADING = 60
#: Characters a related heading's wrapper may add to it (a kicker, a "View all" button).
HEADING_EXTRA = 60
#: Prose after a related heading: this many characters, at most this share in links, and
#: this many characters before its first link (a teaser opens with its link).
INLINE_PROSE = 80
INLINE_LINK_SHARE = 0.3
MIN_LEAD = 20
#: Characters outside its links that a headline of a headline list may hold.
LINK_ITEM_TEXT = 20
#: Characters of teaser text a link a block named related may hold (title, date, excerpt).
NAMED_TEASER = 200
_BLOCK_TAGS = frozenset("div section aside li".split())
#: Tags of the heading that opens a related card (not ``div``: its text would be read for every wrapper).
_CARD_HEADINGS = frozenset("h2 h3 h4 h5 h6 p span strong b header".split())
_SECTION_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_SLUG_SPLIT = re.compile(r"[-_+]+")
_WORD = re.compile(r"\w+")
#: Class/id words of a teaser's taxonomy labels (its breadcrumb, categories, tags, topics).
_TAXONOMY_NAME = re.compile(r"(?:^|[\s_-])(?:breadcrumbs?|categor(?:y|ies)|tags?|tagslist|tag-?list|topics?|"
                            r"taxonom(?:y|ies))(?:$|[\s_-])", re.I)
#: The label before a teaser's taxonomy links ("Categories", "Tags:", "Filed under").
_TAXONOMY_LABEL = re.compile(r"^\s*(?:categor(?:y|ies)|tags?|topics?|filed under)\s*:?\s*$", re.I)
#: A post's own class naming its taxonomy ("category-finance", "tag-news", "has-tags").
_POST_CLASS = re.compile(r"^(?:categor(?:y|ies)|tags?|topics?)-|(?:^|[-_])has-", re.I)
#: Most words of a taxonomy link's text (a title is longer).
MAX_TAXONOMY_WORDS = 3
#: Ancestors of a link looked at for a taxonomy name or label.
TAXONOMY_DEPTH = 3
#: Headings of a site-wide list, which a block named related may carry ("Popular on ...",
#: "Recent stories", "Trending"): not related to the article, unless by/from its author.
SITE_WIDE_HEADING = re.compile(
    r"^\s*(?:(?:most )?popular\b|trending\b|most (?:read|viewed|shared)\b|top stories\b|"
    r"(?:recent|latest|newest|new) (?:stories|articles|posts|news)\s*:?\s*$)", re.I)


def _host(url: str) -> str:
    """The host of ``url`` without a leading ``www.``."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, page_url: str) -> bool:
    """Whether ``url`` is on the site of ``page_url`` (hosts equal or one a subdomain of the other)."""
    return _same_host(_host(url), _host(page_url))


def _same_host(a: str, b: str) -> bool:
    """Whether host ``a`` is host ``b`` or one is a subdomain of the other (``a`` empty: no)."""
    return bool(a) and (a == b or a.endswith("." + b) or b.endswith("." + a))


def block_links(block, base: str, page_url: str) -> list[dict]:
    """The same-site article links in ``block``, one per URL, in page order."""
    links: list[dict] = []
    seen: dict[str, dict] = {}
    page, page_host = _untracked(urldefrag(page_url)[0]), _host(page_url)
    for a in block.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urldefrag(urljoin(base, href))[0]
        if _untracked(url) == page or not url.startswith("http") or not _same_host(_host(url), page_host):
            continue
        if _in_taxonomy(a, block):
            continue
        text = norm(raw_text(a)) or norm(a.get("title")) or _img_alt(a)
        if url in seen:
            old = seen[url]["text"]
            if text and (not old or S.MORE_LINK_TEXT.match(old)) and not S.MORE_LINK_TEXT.match(text):
                seen[url]["text"] = text
            continue
        seen[url] = {"url": url, "text": text}
        links.append(seen[url])
    return links


def _untracked(url: str) -> str:
    """``url`` without tracking parameters (``utm_*``, ``srsltid``, ``fbclid``, ``gclid``)."""
    if "?" not in url:
        return url
    head, _, query = url.partition("?")
    kept = "&".join(p for p in query.split("&") if p and not S.TRACKING_PARAM.match(p))
    return f"{head}?{kept}" if kept else head


def _in_taxonomy(a, block) -> bool:
    """Whether link ``a`` is a teaser's taxonomy link inside ``block``: in a breadcrumb, category,
    tag or topic list (by its class/id, or a "Categories"/"Tags" label before the list)."""
    text = norm(raw_text(a))
    if not text or len(_WORD.findall(text)) > MAX_TAXONOMY_WORDS:
        return False
    for depth, el in enumerate((a, *a.iterancestors())):
        if el is block or depth > TAXONOMY_DEPTH:
            return False
        if _taxonomy_named(el) and _is_label_list(el):
            return True
        label = el.getprevious()
        if label is not None and len(label) <= 2 and _TAXONOMY_LABEL.match(norm(raw_text(label))):
            return True
    return False


def _taxonomy_named(el) -> bool:
    """Whether a class/id token of ``el`` names a taxonomy list ("post-categories", "tags"), not
    a post's own classes ("category-finance", "summary-item-has-tags")."""
    names = f"{el.get('class') or ''} {el.get('id') or ''}".split()
    return any(_TAXONOMY_NAME.search(name) and not _POST_CLASS.search(name) for name in names)


def _is_label_list(el) -> bool:
    """Whether ``el`` is short and holds no heading (a list of labels, not a teaser card)."""
    return text_len(el) <= MAX_HEADING and next(el.iter("h1", "h2", "h3", "h4", "h5", "h6"), None) is None


def site_wide(block) -> bool:
    """Whether ``block`` opens with the heading of a site-wide list ("Popular on ...", "Recent
    stories"), not a related one ("Recent stories by <author>")."""
    for el in block.iter():
        if el.tag == "a":
            return False
        if tag(el) in _CARD_HEADINGS and len(el) <= 3:
            text = norm(raw_text(el))
            if text and len(text) <= MAX_HEADING:
                return bool(SITE_WIDE_HEADING.match(text)) and not S.RELATED_HEADING.match(text)
    return False


def is_article_link(link: dict) -> bool:
    """Whether a related link can be an article: a title-like text (or, for an image or a
    "Read more" link, a title-like last path segment), not a tag, author or section page."""
    path = urlsplit(link["url"]).path
    if S.NOT_ARTICLE_PATH.search(path) or path.strip("/") == "":
        return False
    text = link["text"] or ""
    if text and not any(ch.isalpha() for ch in text):
        return False  # an arrow or a number: previous/next navigation, a pager
    if S.SECTION_LINK_TEXT.match(text) and not S.MORE_LINK_TEXT.match(text):
        return False
    if not text or S.MORE_LINK_TEXT.match(text) or S.GENERIC_LINK_TEXT.match(text):
        return _slug_words(path) >= S.MIN_TITLE_WORDS
    return len(text.split()) >= S.MIN_TITLE_WORDS or len(text) >= 20


def _slug_words(path: str) -> int:
    """The number of words in the last segment of a URL path ("how-to-go-vegan.html": 4)."""
    slug = path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return sum(1 for word in _SLUG_SPLIT.split(slug) if word.isalpha())


def _img_alt(a) -> str:
    """The ``alt`` of the first image inside link ``a``."""
    img = a.find(".//img")
    return norm(img.get("alt")) if img is not None else ""


def _mostly_links(block, per_link: int = 80) -> bool:
    """Whether ``block`` has links and little text outside them: teasers of up to ``per_link``
    characters a link allowed (more in a block named related, whose teasers carry excerpts)."""
    length = text_len(block)
    if length == 0:
        return False
    n_links = sum(1 for _ in block.iter("a"))
    return n_links > 0 and (link_text_len(block) / length >= MIN_LINK_SHARE or length < per_link * n_links + 200)


def heading_block(heading):
    """The related block a related heading opens (see :func:`block_after`); when that is only the
    wrapper of a heading element with a "View all" link, the block after the wrapper."""
    block = block_after(heading)
    if tag(heading) in _SECTION_HEADINGS and block and all(_only_section_links(el) for el in block):
        top = heading_group(heading)
        if top is not heading:
            return block_after(top) or block
    return block


def block_after(heading):
    """The block ``heading`` opens: its parent, or the heading and the headline list after it."""
    parent = heading.getparent()
    if parent is not None and tag(parent) not in ("body", "html", "article", "main"):
        if _opens(parent, heading) and _mostly_links(parent) and not _holds_text(parent, heading):
            return [] if _is_menu(parent) else [parent]
    run = link_run(heading)
    return [heading, *run] if run else []


def heading_group(heading):
    """``heading`` or the highest ancestor that adds at most ``HEADING_EXTRA`` characters to it."""
    top, limit = heading, text_len(heading) + HEADING_EXTRA
    parent = heading.getparent()
    while parent is not None and tag(parent) not in ("body", "html", "article", "main") and (
            text_len(parent) <= limit):
        top, parent = parent, parent.getparent()
    return top


def link_run(heading) -> list:
    """The block after ``heading``: its next sibling if mostly links, then the siblings that are
    only a link (a headline, a linked figure) up to the first that is not: a headline list in
    running text."""
    first = heading.getnext()
    if first is None or not _mostly_links(first):
        return []
    return [first, *_link_items(first)]


def _link_items(el) -> list:
    """The siblings after ``el`` that are only a link, up to the first that is not or a heading."""
    items = []
    for sib in el.itersiblings():
        if tag(sib) in _SECTION_HEADINGS or not _only_a_link(sib) or _named_kind(sib) or _sponsored(sib):
            break
        items.append(sib)
    return items


def _sponsored(el) -> bool:
    """Whether a link in ``el`` is marked sponsored (an ad)."""
    return any("sponsored" in (a.get("rel") or "").lower() for a in el.iter("a"))


def inline_prose(el) -> bool:
    """Whether ``el`` is a paragraph with links inside its sentences (text before its first link,
    few links), not a teaser or a headline: after a related heading, a call to action or a
    note whose links are not related articles."""
    if tag(el) != "p":
        return False
    length = text_len(el)
    if length < INLINE_PROSE or link_text_len(el) > INLINE_LINK_SHARE * length:
        return False
    return len(_lead(el)) >= MIN_LEAD


def _lead(el) -> str:
    """The text of ``el`` before its first link."""
    first = el.find(".//a")
    if first is None:
        return ""
    above = set(first.iterancestors())
    parts = [el.text or ""]
    for node in el.iterdescendants():
        if node is first:
            break
        parts.append(node.text or "")
        if node not in above:
            parts.append(node.tail or "")
    return norm("".join(parts))


def _only_a_link(el) -> bool:
    """Whether ``el`` holds links and at most ``LINK_ITEM_TEXT`` characters outside them."""
    return el.find(".//a") is not None and text_len(el) - link_text_len(el) <= LINK_ITEM_TEXT


def _is_menu(el) -> bool:
    """Whether ``el`` is named a navigation menu by its class/id (a "Related" menu of site pages)."""
    return _named_kind(el) == "nav"


def _named_kind(el) -> str | None:
    """The boilerplate kind that ``el``'s class/id names (an ad slot, a menu), or None."""
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    return S.kind_by_names(names) if names.strip() else None


def _opened_by_heading(el) -> bool:
    """Whether ``el`` is a block that a related heading opens ("Related article" over a card),
    mostly links and no article text."""
    first = el[0]
    if tag(first) not in _CARD_HEADINGS or len(first) > 3 or not _opens(el, first):
        return False
    text = norm(raw_text(first))
    return (0 < len(text) <= MAX_HEADING and bool(S.RELATED_HEADING.match(text))
            and _mostly_links(el) and not _holds_text(el, first) and not _only_section_links(el))


def _only_section_links(el) -> bool:
    """Whether every link in ``el`` is a "View all ..." link (a heading's wrapper, not a card)."""
    return all(S.SECTION_LINK_TEXT.match(norm(raw_text(a))) and a.find(".//img") is None for a in el.iter("a"))


def _opens(parent, heading) -> bool:
    """Whether ``heading`` opens ``parent``: no text in ``parent`` comes before it."""
    if not _blank_text(parent.text):
        return False
    return all(is_blank(sib) and _blank_text(sib.tail) for sib in heading.itersiblings(preceding=True))


def _blank_text(text: str | None) -> bool:
    """Whether ``text`` is None or white space."""
    return not text or text.isspace()


def _holds_text(parent, heading) -> bool:
    """Whether ``parent`` holds article paragraphs besides ``heading`` (so it is not the block)."""
    long_paragraphs = 0
    for p in parent.iter("p"):
        length = len(norm(raw_text(p)))
        if length > 200 and link_text_len(p) < 0.5 * length:
            long_paragraphs += 1
            if long_paragraphs >= 2:
                return True
    return False


def site_href(href: str, page_url: str) -> bool:
    """Whether ``href`` leads to another page of the site of ``page_url`` (relative or same host)."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return False
    if not href.startswith(("http:", "https:", "//")):
        return True
    return bool(page_url) and same_site(urljoin(page_url, href), page_url)


def label_line(el, text: str, page_url: str) -> bool:
    """Whether ``el`` (text ``text``) is a label such as "Read more:" followed only by links to
    other pages of the same site (with separators between them)."""
    label = S.RELATED_LABEL.match(text)
    if not label:
        return False
    links = list(el.iter("a"))
    if not links or not all(site_href(a.get("href") or "", page_url) for a in links):
        return False
    outside = text[label.end():]
    for a in links:
        outside = outside.replace(norm(raw_text(a)), " ", 1)
    outside = outside.replace(label.group(0).strip(), " ")  # the label repeated before each link
    return bool(S.LINK_SEPARATORS.match(outside))


def match(probe, page_url: str = "") -> list:
    """The related block that starts at the probed element (elements to remove together), or []."""
    el, name = probe.el, probe.name
    if name in ("article", "main"):
        return []
    if "RELATED_ATTR" in probe.features and "kind:nav" not in probe.features and _mostly_links(
            el, NAMED_TEASER) and not _holds_text(el, None):
        return [el]
    if len(el) > 1 and name in _BLOCK_TAGS and _opened_by_heading(el) and not _is_menu(el):
        return [el]
    if name in _HEADING_TAGS and len(el) <= 3:
        text = probe.text
        if text and len(text) <= MAX_HEADING and S.RELATED_HEADING.match(text):
            return heading_block(el)
    if name in _LABEL_TAGS:
        text = probe.text
        if text and label_line(el, text, page_url):
            return [el]
    return []


def take(root, blocks: list[list], base: str, page_url: str, trusted: bool = False) -> list[dict]:
    """Remove related ``blocks`` from ``root``; return their links.

    Links of blocks found by :func:`match` must look like articles, and site-wide lists and
    prose paragraphs keep none (see the module's docstring); ``trusted`` blocks (a site
    profile's selectors) keep every same-site link.
    """
    links: list[dict] = []
    seen: set[str] = set()
    for block in blocks:
        for el in block:
            if not attached(el, root):
                continue
            if not trusted and (site_wide(el) or inline_prose(el)):
                drop(el)
                continue
            for link in block_links(el, base, page_url):
                if link["url"] not in seen and (trusted or is_article_link(link)):
                    seen.add(link["url"])
                    links.append(link)
            drop(el)
    return links
