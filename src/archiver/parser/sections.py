"""Stages 5-7 in one walk: related blocks, author boxes, then boilerplate blocks.

The tree is walked once in page order; the first stage that claims an element takes
it whole (its descendants are not looked at), in the order related → bio →
boilerplate. Each stage then removes what it claimed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archiver.parser import bio, boilerplate, related
from archiver.parser.tree import Probe, text_len


@dataclass
class Sections:
    """What was taken out of the page besides the body."""

    related_links: list[dict] = field(default_factory=list)
    bios: list[str] = field(default_factory=list)
    boilerplate: list[dict] = field(default_factory=list)


#: Boilerplate kinds of side rails, which may hold an author card or a related-links widget.
RAIL_KINDS = frozenset({"other"})


def rescue(block, related_blocks: list, boxes: list, page_url: str) -> None:
    """Add the related blocks and author boxes found inside a side-rail ``block``."""
    for el in block.iterdescendants():
        probe = Probe(el, boilerplate.MAX_TEXT_BLOCK)
        found = related.match(probe, page_url)
        if found:
            related_blocks.append(found)
        elif bio.match(probe) and not any(a in boxes for a in el.iterancestors()):
            boxes.append(el)


def merge(first: Sections, then: Sections) -> Sections:
    """Two sets of sections as one: ``first``'s items, then ``then``'s new ones."""
    known = {link["url"] for link in first.related_links}
    links = first.related_links + [x for x in then.related_links if x["url"] not in known]
    bios = first.bios + [b for b in then.bios if b not in first.bios]
    return Sections(links, bios, first.boilerplate + then.boilerplate)


def split(root, base: str, page_url: str) -> Sections:
    """Remove related blocks, author boxes and boilerplate from ``root``; return them."""
    body = root.find("body")
    page_len = text_len(body if body is not None else root)
    related_blocks, boxes, junk = [], [], []
    stack = [root]
    while stack:
        el = stack.pop()
        if el.tag not in ("html", "body"):
            probe = Probe(el, boilerplate.MAX_TEXT_BLOCK)
            block = related.match(probe, page_url)
            if block:
                related_blocks.append(block)
                continue
            if bio.match(probe):
                boxes.append(el)
                continue
            found = boilerplate.match(probe, page_len, page_url)
            if found:
                junk.append(found)
                if found[0] in RAIL_KINDS:
                    rescue(found[1], related_blocks, boxes, page_url)
                continue
        stack.extend(reversed(el))
    return Sections(
        related_links=related.take(root, related_blocks, base, page_url),
        bios=bio.take_boxes(root, boxes),
        boilerplate=boilerplate.take(root, junk),
    )
