"""Stages 5-7 in one walk: related blocks, author boxes, then boilerplate blocks.

The tree is walked once in page order; the first stage that claims an element takes
it whole (its descendants are not looked at), in the order related → bio →
boilerplate. Each stage then removes what it claimed.

Blocks that are boilerplate by their class/id words alone and read as prose are claimed
only if, together, they are not most of the page (``boilerplate.overreach``): otherwise
they stay, and the walk goes on inside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archiver.parser import bio, boilerplate, related
from archiver.parser.tree import Probe, in_running_text, text_len


@dataclass
class Sections:
    """What was taken out of the page besides the body."""

    related_links: list[dict] = field(default_factory=list)
    bios: list[str] = field(default_factory=list)
    boilerplate: list[dict] = field(default_factory=list)
    #: Whether the page mode's rules would have claimed other blocks (see :func:`split`'s ``page``).
    page_differs: bool = False


#: Boilerplate kinds of side rails, which may hold an author card or a related-links widget.
RAIL_KINDS = frozenset({"other", "footer"})


def rescue(block, related_blocks: list, boxes: list | None, page_url: str) -> None:
    """Add the related blocks and author boxes found inside a side-rail ``block`` (only the related
    blocks when ``boxes`` is None: ``block`` is an author box, whose "Recent posts by" list is related).
    What is found, and menus, are not walked into."""
    taken: set = set()
    stack = list(reversed(block))
    while stack:
        el = stack.pop()
        if el in taken:
            continue
        probe = Probe(el, boilerplate.MAX_TEXT_BLOCK)
        if el.tag == "nav" or "kind:nav" in probe.features:
            continue  # a menu: site navigation, neither related nor a bio
        found = related.match(probe, page_url)
        if found:
            related_blocks.append(found)
            continue
        box = None if boxes is None else (el if bio.match(probe) else bio.rail_box(el))
        if box is not None:
            boxes.append(box)
            taken.add(box)
            if box is el:
                continue
        stack.extend(reversed(el))


def walk(starts: list, page_len: int, page_url: str, claims: tuple[list, list, list, list], named_prose: bool,
         page: bool = False) -> list:
    """Claim related blocks, author boxes and boilerplate under ``starts`` (appended to ``claims``; its
    fourth list gets the blocks the page mode would not claim as they are: a testimonial).

    Returns the boilerplate blocks named by class/id words alone that read as prose, held back
    for :func:`boilerplate.overreach` (with ``named_prose`` off, such blocks are walked into instead).
    """
    related_blocks, boxes, junk, page_kept = claims
    held = []
    stack = list(reversed(starts))
    while stack:
        el = stack.pop()
        if el.tag not in ("html", "body"):
            probe = Probe(el, boilerplate.MAX_TEXT_BLOCK)
            block = related.match(probe, page_url)
            if block and not in_running_text(el):
                related_blocks.append(block)
                continue
            if bio.match(probe) and not in_running_text(el):
                boxes.append(el)
                rescue(el, related_blocks, None, page_url)
                continue
            found = boilerplate.match(probe, page_len, page_url, page)
            if found and found[0] in boilerplate.PAGE_KEPT:
                page_kept.append(el)
            if found and in_running_text(el):
                found = None
            if found and boilerplate.named_only(probe) and boilerplate.prose_len(found[1]):
                if named_prose:
                    held.append(found)
                    continue
                found = None
            if found:
                junk.append(found)
                if found[0] in RAIL_KINDS:
                    rescue(found[1], related_blocks, boxes, page_url)
                continue
        stack.extend(reversed(el))
    return held


def in_page_order(root, found: list) -> list:
    """The ``(kind, block)`` pairs ``found`` sorted by their blocks' place in the page."""
    return sorted(found, key=lambda pair: place(pair[1], root))


def place(el, root) -> tuple:
    """Where ``el`` sits under ``root``: the child indexes of its path (in document order), () outside it."""
    path = []
    node, parent = el, el.getparent()
    while parent is not None:
        path.append(parent.index(node))
        node, parent = parent, parent.getparent()
    return tuple(reversed(path)) if node is root else ()


def merge(first: Sections, then: Sections) -> Sections:
    """Two sets of sections as one: ``first``'s items, then ``then``'s new ones."""
    known = {link["url"] for link in first.related_links}
    links = first.related_links + [x for x in then.related_links if x["url"] not in known]
    bios = first.bios + [b for b in then.bios if b not in first.bios]
    return Sections(links, bios, first.boilerplate + then.boilerplate, first.page_differs or then.page_differs)


def split(root, base: str, page_url: str, page: bool = False) -> Sections:
    """Remove related blocks, author boxes and boilerplate from ``root``; return them (``page``: for the
    page mode, see :data:`boilerplate.PAGE_KEPT`)."""
    body = root.find("body")
    page_len = text_len(body if body is not None else root)
    related_blocks, boxes, junk, page_kept = claims = [], [], [], []
    named = walk([root], page_len, page_url, claims, named_prose=True, page=page)
    if named and boilerplate.overreach(named, page_len, root):
        walk([child for _, el in named for child in el], page_len, page_url, claims, named_prose=False, page=page)
    elif named:
        for kind, el in named:
            if kind in RAIL_KINDS:
                rescue(el, related_blocks, boxes, page_url)
        junk = in_page_order(root, junk + named)
    return Sections(
        related_links=related.take(root, related_blocks, base, page_url),
        bios=bio.take_boxes(root, boxes),
        boilerplate=boilerplate.take(root, junk),
        page_differs=bool(page_kept) and not page,
    )
