"""Stage 8: the main content: the block of the page that holds the article text.

Readability's method, on lxml:

1. Remove unlikely candidates (class/id ``selectors.UNLIKELY`` without ``MAYBE``, unless the words
   name no purpose and the block reads as prose; chrome roles), byline lines and the heading that
   repeats the title; turn ``<div>`` s that hold only inline content (and inline runs inside
   mixed ``<div>`` s) into paragraphs.
2. Score every paragraph (1 + commas + one point per 100 characters, at most 3) into
   its parent (full), grandparent (half) and up to five ancestors (score / 3·level);
   each ancestor starts from a tag bonus and its class/id weight (±25).
3. Scale scores by (1 − link density); take the best, move up to a common ancestor
   of near-equal candidates, then to an ancestor that holds several times its prose at a
   low link density (an article spread over sibling sections), and add siblings that score
   close or read as prose.
4. Clean the result conditionally (forms, counted as holding a control, which the clean stage took
   out before; tables, lists and divs that are link lists, image galleries, form remains or
   negative by a class word that names a purpose — "comment", "promo" — not only a layout —
   "overflow-hidden", "table-scroll").
5. If fewer than ``MIN_CHARS`` characters come out, or under ``MIN_SHARE`` of the page's
   text outside links, retry with rule 1's removal off, then class weights off, then
   conditional cleaning off, and keep the longest.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from archiver.parser import selectors as S
from archiver.parser.boilerplate import prose_len
from archiver.parser.tree import (Probe, ancestors, attrs, drop, has_ancestor, has_descendant, in_running_text, is_blank,
                                  link_text_len, link_text_lens, norm, norm_len, raw_text, tag, text_len)

#: A result shorter than this triggers a retry with fewer rules.
MIN_CHARS = 500
#: ... or shorter than this share of the page's text outside links.
MIN_SHARE = 0.15
#: An element named unlikely that holds this much prose (``boilerplate.prose_len``: at most 0.3 of it in
#: links), one paragraph this long among it, is judged as any other.
UNLIKELY_PROSE = 500
PARAGRAPH_CHARS = 150
#: Candidates kept for the common-ancestor rule.
TOP_CANDIDATES = 5
#: An article spread over sibling blocks: an ancestor (at most ``SPREAD_LEVELS`` up) holding
#: ``SPREAD_RATIO`` times the chosen block's paragraph points, at a link density below
#: ``SPREAD_LINKS``, is taken instead; or ``PEERS_RATIO`` times when it holds two other candidates
#: scoring over ``PEER_SCORE`` of the best (an article in three near-equal sections).
SPREAD_RATIO = 3
PEERS_RATIO = 2.5
PEER_SCORE = 0.75
SPREAD_LINKS = 0.2
SPREAD_LEVELS = 6

_COMMAS = re.compile("[,\u060c\ufe50\ufe10\ufe11\u2e41\u2e34\u2e32\uff0c\u3001]")
_SENTENCE_END = re.compile(r"\.( |$)")
_AD_WORDS = re.compile(r"^(?:ad(?:vertising|vertisement)?|pub(?:licité)?|werb(?:ung)?|广告|Реклама|Anuncio)$", re.I)
_LOADING_WORDS = re.compile(r"^(?:loading|正在加载|Загрузка|chargement|cargando)(?:…|\.\.\.)?$", re.I)
_UNLIKELY_ROLES = frozenset("menu menubar complementary navigation alert alertdialog dialog".split())
_TAG_BONUS = {"div": 5, "pre": 3, "td": 3, "blockquote": 3, "address": -3, "ol": -3, "ul": -3,
              "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3, "h1": -5, "h2": -5, "h3": -5,
              "h4": -5, "h5": -5, "h6": -5, "th": -5}
_DIV_BLOCKS = frozenset("a blockquote dl div img ol p pre table ul select figure section article "
                        "aside header footer nav main h1 h2 h3 h4 h5 h6 form hr".split())
#: Descendants that have a class or id (the only ones a class/id vocabulary can match).
_NAMED_DESCENDANTS = etree.XPath("descendant::*[@class or @id]")
_PHRASING_BREAKERS = frozenset("p div section article blockquote ul ol dl table pre figure h1 h2 h3 "
                               "h4 h5 h6 header footer nav aside main form hr address".split())


class Flags:
    """Which rules a grab attempt uses."""

    def __init__(self, strip_unlikely: bool = True, weight_classes: bool = True,
                 clean_conditionally: bool = True) -> None:
        self.strip_unlikely = strip_unlikely
        self.weight_classes = weight_classes
        self.clean_conditionally = clean_conditionally


# --- step 1 ------------------------------------------------------------------------

def is_unlikely(probe) -> bool:
    """Whether the probed element is unlikely to hold content, by role, or by class/id unless the words
    name no purpose ("listicle-header" does not, "newsletter" does) and it reads as prose."""
    el, found = probe.el, probe.features
    if probe.name in ("html", "body", "a", "article", "main"):
        return False
    role = el.get("role")
    if role and role.lower() in _UNLIKELY_ROLES:
        return True
    if "UNLIKELY" not in found or "MAYBE" in found or has_ancestor(el, {"table", "code"}):
        return False
    return "NEGATIVE_PURPOSE" in found or not reads_as_prose(el)


def reads_as_prose(el) -> bool:
    """Whether ``el`` holds at least ``UNLIKELY_PROSE`` characters of prose, in paragraphs (one at least
    ``PARAGRAPH_CHARS`` long): not a menu's or a player's many short lines."""
    return prose_len(el) >= UNLIKELY_PROSE and any(text_len(p) >= PARAGRAPH_CHARS for p in el.iter("p"))


def is_byline(probe) -> bool:
    """Whether the probed element is a short byline line (its names are metadata, not body)."""
    el, found = probe.el, probe.features
    rel, prop = el.get("rel") or "", (el.get("itemprop") or "").lower()
    if not (rel == "author" or "author" in prop or ("BYLINE_ATTR" in found and "BIO_ATTR" not in found)):
        return False
    length = norm_len(probe.raw)
    return 0 < length < 100 and not has_descendant(el, "p")


def is_byline_text(probe) -> bool:
    """Whether the probed element (probed up to 100 characters) is a short line reading "By Name"."""
    if len(probe.el) > 4 or probe.name not in ("p", "div", "span", "address", "h4", "h5", "h6"):
        return False
    text = probe.text
    return bool(text and S.BYLINE_TEXT.match(text))


def is_meta_line(probe) -> bool:
    """Whether the probed element is a short kicker / dateline / category line, not prose."""
    if "META_LINE_ATTR" not in probe.features or has_descendant(probe.el, "p"):
        return False
    text = norm_len(probe.raw)
    return 0 < text < 80


def is_title_header(probe) -> bool:
    """Whether the probed element is an article ``<header>`` holding the headline and its meta lines only."""
    el = probe.el
    if probe.name != "header" or not has_descendant(el, "h1"):
        return False
    return norm_len(probe.raw) < 400 and not any(text_len(p) > 150 for p in el.iter("p"))


def similar(a: str, b: str) -> bool:
    """Whether two titles are near-identical (Readability's 0.75 token overlap)."""
    ta, tb = set(re.findall(r"\w+", a.lower())), re.findall(r"\w+", b.lower())
    if not ta or not tb:
        return False
    missing = [t for t in tb if t not in ta]
    return len(" ".join(missing)) / max(len(" ".join(tb)), 1) < 0.25


def has_block_child(el) -> bool:
    """Whether ``el`` has a block-level descendant (its children first: the common case, 3x cheaper)."""
    return any(child.tag in _DIV_BLOCKS for child in el) or next(el.iterdescendants(*_DIV_BLOCKS), None) is not None


def wrap_inline_runs(div) -> None:
    """Wrap runs of text and inline children of a mixed ``div`` into ``<p>`` elements."""
    children = list(div)
    if div.text and div.text.strip():
        first = etree.Element("p")
        first.text, div.text = div.text, None
        div.insert(0, first)
        children = list(div)
        run_start = first
    else:
        run_start = None
    for child in children:
        if run_start is not None and child is run_start:
            continue
        if tag(child) in _PHRASING_BREAKERS or (tag(child) == "br" and _double_br(child)):
            run_start = None
            if child.tail and child.tail.strip():
                p = etree.Element("p")
                p.text, child.tail = child.tail, None
                child.addnext(p)
                run_start = p
            continue
        if run_start is None:
            run_start = etree.Element("p")
            child.addprevious(run_start)
        run_start.append(child)
    for p in div.findall("p"):
        if is_blank(p) and not has_descendant(p, "img"):
            drop(p)


def _double_br(br) -> bool:
    """Whether ``br`` is followed directly by another ``br``."""
    nxt = br.getnext()
    return (not br.tail or not br.tail.strip()) and nxt is not None and tag(nxt) == "br"


def prepare(body, title: str | None, flags: Flags) -> list:
    """Apply step 1 to ``body`` in place; return the elements to score."""
    to_score = []
    title_done = False
    stack = [body]
    while stack:
        el = stack.pop()
        probe = Probe(el, 100)  # the checks below share its text: nothing changes until one drops el
        name = probe.name
        if flags.strip_unlikely and is_unlikely(probe) and not in_running_text(el):
            drop(el)
            continue
        if name not in ("html", "body") and (is_byline(probe) or is_byline_text(probe)
                                             or is_meta_line(probe) or is_title_header(probe)) \
                and not in_running_text(el):
            drop(el)
            continue
        if not title_done and title and name in ("h1", "h2") and similar(title, norm(probe.raw)):
            title_done = True
            drop(el)
            continue
        if name in ("div", "section", "header", "h1", "h2", "h3", "h4", "h5", "h6") \
                and probe.blank and not has_descendant(el, "img"):
            drop(el)
            continue
        if name in S.SCORED_TAGS:
            to_score.append(el)
        elif name == "div":
            if not has_block_child(el):
                el.tag = "p"
                to_score.append(el)
            elif (el.text and el.text.strip()) or any(
                    c.tail and c.tail.strip() for c in el) or any(tag(c) in ("br",) for c in el):
                wrap_inline_runs(el)
        stack.extend(reversed(el))
    return to_score


# --- step 2-3 -----------------------------------------------------------------------

def class_weight(el, flags: Flags) -> int:
    """±25 for positive/negative class and id words."""
    if not flags.weight_classes:
        return 0
    weight = 0
    for value in (el.get("class"), el.get("id")):
        if value:
            found = S.features(value)
            weight += 25 * (("POSITIVE" in found) - ("NEGATIVE" in found))
    return weight


def paragraph_points(el) -> int:
    """A paragraph's points: 1 + commas + one per 100 characters (at most 3); 0 under 25 characters."""
    text = raw_text(el)
    length = norm_len(text)
    if length < 25:
        return 0
    return 1 + len(_COMMAS.findall(text)) + 1 + min(length // 100, 3)


def negative_by_purpose(el) -> bool:
    """Whether ``el``'s class/id names a non-content purpose (not only a layout word)."""
    return any(S.matches("NEGATIVE_PURPOSE", el.get(name)) for name in ("class", "id"))


def points_of(to_score: list) -> dict:
    """The paragraphs that score, with their points (:func:`paragraph_points`), in page order."""
    points = {el: paragraph_points(el) for el in to_score}
    return {el: n for el, n in points.items() if n}


def score_paragraphs(points: dict, flags: Flags) -> dict:
    """Content scores of the ancestors of the scored paragraphs (``points``: :func:`points_of`)."""
    scores: dict = {}
    for el, n in points.items():
        parent = el.getparent()
        if parent is None or not tag(parent):
            continue
        for level, anc in enumerate(ancestors(el, 5)):
            if not tag(anc) or anc.getparent() is None and tag(anc) != "html":
                break
            if anc not in scores:
                scores[anc] = _TAG_BONUS.get(tag(anc), 0) + class_weight(anc, flags)
            divider = 1 if level == 0 else 2 if level == 1 else level * 3
            scores[anc] += n / divider
    root = next(iter(points)).getroottree().getroot() if points else None
    links = link_text_lens(scores, root) if root is not None else {}
    for el in scores:
        if links[el]:  # without link text the factor is 1: no text length needed
            length = text_len(el)
            scores[el] *= 1 - (links[el] / length if length else 0.0)
    return scores


def pick_top(scores: dict, body) -> object:
    """The best candidate, moved up to a shared or better-scoring ancestor."""
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:TOP_CANDIDATES]
    if not ranked or tag(ranked[0][0]) in ("body", "html"):
        return body
    top, top_score = ranked[0]
    alternatives = [set(ancestors(el)) for el, s in ranked[1:] if top_score and s / top_score >= 0.75]
    if len(alternatives) >= 3:
        parent = top.getparent()
        while parent is not None and tag(parent) not in ("body", "html"):
            if sum(1 for anc in alternatives if parent in anc) >= 3:
                top = parent
                break
            parent = parent.getparent()
    last = scores.get(top, 0.0)
    threshold = last / 3
    parent = top.getparent()
    while parent is not None and tag(parent) not in ("body", "html"):
        if parent not in scores:
            parent = parent.getparent()
            continue
        if scores[parent] < threshold:
            break
        if scores[parent] > last:
            top = parent
            break
        last = scores[parent]
        parent = parent.getparent()
    parent = top.getparent()
    while parent is not None and tag(parent) not in ("body", "html") and len(parent) == 1:
        top, parent = parent, parent.getparent()
    return top


def paragraph_mass(points: dict) -> dict:
    """Paragraph points summed into every ancestor, undivided (how much prose each element holds)."""
    mass: dict = {}
    for el, n in points.items():
        for anc in el.iterancestors():
            mass[anc] = mass.get(anc, 0) + n
    return mass


def peers(scores: dict) -> list:
    """The candidates after the best that score over ``PEER_SCORE`` of it."""
    best = max(scores.values(), default=0.0)
    return [el for el, s in scores.items() if PEER_SCORE * best <= s < best]


def widen(top, mass: dict, near: list = ()):
    """An ancestor of ``top`` that holds several times its prose at a low link density, if any (fewer
    times when it holds two of the candidates ``near`` outside ``top``)."""
    chosen, level = top, 0
    above = set(top.iterancestors())
    outside = [el for el in near if el is not top and el not in above and top not in el.iterancestors()]
    for anc in top.iterancestors():
        level += 1
        if level > SPREAD_LEVELS or tag(anc) in ("body", "html"):
            break
        length = text_len(anc)
        ratio = PEERS_RATIO if sum(1 for el in outside if anc in el.iterancestors()) >= 2 else SPREAD_RATIO
        if (mass.get(anc, 0) >= ratio * max(mass.get(chosen, 0), 1)
                and length and link_text_len(anc) / length < SPREAD_LINKS):
            chosen = anc
    return chosen


def with_siblings(top, scores: dict):
    """A ``<div>`` holding ``top`` and its siblings that belong to the article."""
    content = etree.Element("div")
    parent = top.getparent()
    if parent is None or tag(top) in ("body", "html"):
        for child in list(top):
            content.append(child)
        return content
    top_score = scores.get(top, 0.0)
    threshold = max(10.0, top_score * 0.2)
    top_class = top.get("class") or ""
    for sib in list(parent):
        if not tag(sib):
            continue
        keep = sib is top
        if not keep:
            bonus = top_score * 0.2 if top_class and sib.get("class") == top_class else 0
            if sib in scores and scores[sib] + bonus >= threshold:
                keep = True
            elif tag(sib) == "p":
                text = norm(raw_text(sib))
                density = link_text_len(sib) / len(text) if text else 0.0  # link_density(sib)
                if len(text) > 80 and density < 0.25:
                    keep = True
                elif 0 < len(text) <= 80 and density == 0 and _SENTENCE_END.search(text):
                    keep = True
        if keep:
            tail, sib.tail = sib.tail, None
            content.append(sib)
            if tail and tail.strip():
                sib.tail = tail
    return content


# --- step 4 ------------------------------------------------------------------------

def is_data_table(table) -> bool:
    """Whether ``table`` holds data rather than layout."""
    if (table.get("role") or "") == "presentation":
        return False
    if table.get("datatable") == "0":
        return False
    if table.get("summary") or table.find(".//caption") is not None:
        return True
    for name in ("col", "colgroup", "tfoot", "thead", "th"):
        if table.find(f".//{name}") is not None:
            return True
    if table.find(".//table") is not None:
        return False
    rows = table.findall(".//tr")
    cols = max((len(r.findall("td")) for r in rows), default=0)
    return len(rows) >= 10 or cols > 4 or len(rows) * cols > 10


def _text_density(el, tags: tuple, length: int) -> float:
    """Share of ``el``'s text (``length`` characters) inside elements with ``tags``."""
    if not length:
        return 0.0
    inner = sum(text_len(c) for c in el.iter(*tags) if c is not el)
    return inner / length


def should_remove(el, flags: Flags) -> bool:
    """Readability's conditional-cleaning test for one table/list/div/form."""
    name = tag(el)
    if name == "table" and is_data_table(el):
        return False
    if has_ancestor(el, {"code", "pre"}):
        return False
    for anc in el.iterancestors("table"):
        if is_data_table(anc):
            return False
    text = norm(raw_text(el))
    length = len(text)
    is_list = name in ("ul", "ol")
    if not is_list and length:
        list_len = sum(text_len(lst) for lst in el.iter("ul", "ol") if lst is not el)
        is_list = list_len / length > 0.9
    weight = class_weight(el, flags)
    if weight < 0 and negative_by_purpose(el):
        return True
    if len(_COMMAS.findall(text)) >= 10:
        return False
    p = sum(1 for _ in el.iter("p"))
    img = sum(1 for _ in el.iter("img"))
    li = sum(1 for _ in el.iter("li")) - 100
    inputs = sum(1 for _ in el.iter("input")) + (name == "form")  # a form's controls are gone by now (clean)
    if _AD_WORDS.match(text) or _LOADING_WORDS.match(text):
        return True
    density = link_text_len(el) / length if length else 0.0  # link_density(el)
    figure_child = has_ancestor(el, {"figure"})
    heading_density = _text_density(el, ("h1", "h2", "h3", "h4", "h5", "h6"), length)
    remove = (
        (not figure_child and img > 1 and p / img < 0.5)
        or (not is_list and li > p)
        or inputs > p // 3
        or (not is_list and not figure_child and heading_density < 0.9 and length < 25
            and (img == 0 or img > 2) and density > 0)
        or (not is_list and weight < 25 and density > 0.2)
        or (weight >= 25 and density > 0.5)
    )
    if is_list and remove:
        for child in el:
            if len(child) > 1:
                return remove
        if img == sum(1 for _ in el.iter("li")):
            return False
    return remove


def clean_conditionally(content, flags: Flags) -> list:
    """Remove link lists, galleries and form remains from ``content``; return what was removed."""
    removed = []
    for name in ("form", "fieldset", "table", "ul", "div"):
        for el in reversed(list(content.iter(name))):
            if el is content or el.getparent() is None:
                continue
            if flags.clean_conditionally and should_remove(el, flags):
                removed.append(el)
                drop(el)
    return removed


def clean_headers(content, flags: Flags) -> None:
    """Remove headings that are negative by class/id."""
    for el in list(content.iter("h1", "h2", "h3")):
        if class_weight(el, flags) < 0:
            drop(el)


def drop_share_blocks(content) -> list:
    """Remove small blocks named "share" (Readability's share-element rule)."""
    removed = []
    for el in _NAMED_DESCENDANTS(content):
        names = attrs(el)
        if S.matches("SHARE_ATTR", names) and text_len(el) < 500 and not in_running_text(el):
            removed.append(el)
            drop(el)
    return removed


#: Items of a list or a table, whose headings and links are the items' own text.
_ITEM_TAGS = frozenset("li dd dt td th".split())
#: Longest block left last in the content that is taken for what a list taken out left behind.
MAX_TRAILING = 60
#: Least share in links of a paragraph left last that is only a link ("Back to top", "Learn more").
LINK_LINE_SHARE = 0.9
#: The last text of an element (an ``lxml`` "smart" string, which knows its element).
_LAST_TEXT = etree.XPath("(descendant::text()[normalize-space()])[last()]")
_IMAGE_AFTER = etree.XPath("boolean(following::img)")


def trailing_block(content, links: bool = True):
    """The block that holds the last text of ``content`` when it is a heading or (with ``links``) a paragraph
    that is only a link, short, not a list item's or a table cell's, with no image after it; else None."""
    found = _LAST_TEXT(content)
    if not found:
        return None
    owner = found[0].getparent()
    if found[0].is_tail:
        owner = owner.getparent()
    block = next((el for el in (owner, *owner.iterancestors()) if el.tag in S.BLOCK_TAGS), owner)
    heading = next(owner.iterancestors(*S.HEADING_TAGS), None) if owner.tag not in S.HEADING_TAGS else owner
    if heading is None and not (links and tag(block) == "p" and _only_a_link(block)):
        return None
    block = heading if heading is not None else block
    if _IMAGE_AFTER(block) or has_ancestor(block, _ITEM_TAGS) or norm_len(raw_text(block)) > MAX_TRAILING:
        return None
    return block


def _only_a_link(el) -> bool:
    """Whether ``el``'s text is (nearly) all link text."""
    length = text_len(el)
    return bool(length) and link_text_len(el) >= LINK_LINE_SHARE * length


def drop_trailing_blocks(content) -> list:
    """Remove headings and one-link lines left last in ``content`` with no text after them: the title of a
    list taken out as related links ("More from ...", "What others are reading") or a link to elsewhere
    ("Back to top", "Learn more"), no article text. Only the last line may be a link: a run of them is a
    list of links, which may be the article's own further reading."""
    removed = []
    block = trailing_block(content)
    while block is not None and text_len(block) < text_len(content):
        removed.append(block)
        drop(block)
        block = trailing_block(content, links=False)
    return removed


# --- the whole stage ---------------------------------------------------------------

def grab(body, title: str | None, flags: Flags) -> tuple[object, list]:
    """One attempt on a copy of ``body``: the content element and the removed blocks."""
    points = points_of(prepare(body, title, flags))
    scores = score_paragraphs(points, flags)
    top = widen(pick_top(scores, body), paragraph_mass(points), peers(scores))
    content = with_siblings(top, scores)
    removed = drop_share_blocks(content)
    clean_headers(content, flags)
    removed += clean_conditionally(content, flags)
    removed += drop_trailing_blocks(content)
    for p in list(content.iter("p")):
        if is_blank(p) and not has_descendant(p, "img"):
            drop(p)
    return content, removed


ATTEMPTS = (Flags(), Flags(strip_unlikely=False), Flags(False, False),
            Flags(False, False, False))


def _in_copy(root, body):
    """``body`` in a copy of the whole tree (as it scores in place; the page mode still reads the tree)."""
    return copy.deepcopy(root).find("body") if body is not root else copy.deepcopy(root)


def extract(root, title: str | None) -> tuple[object, list]:
    """The main content of ``root`` as a ``<div>`` and the blocks removed from it."""
    body = root.find("body")
    if body is None:
        body = root
    best, best_len = None, -1
    enough = max(MIN_CHARS, MIN_SHARE * (text_len(body) - link_text_len(body)))
    for i, flags in enumerate(ATTEMPTS):
        attempt = copy.deepcopy(body) if i < len(ATTEMPTS) - 1 else _in_copy(root, body)
        content, removed = grab(attempt, title, flags)
        length = text_len(content)
        if length > best_len:
            best, best_len = (content, removed), length
        if length >= enough:
            break
    return best
