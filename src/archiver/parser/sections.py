"""Stages 5-7 in one walk: related blocks, author boxes, then boilerplate blocks.

The tree is walked once in page order; the first stage that claims an element takes
it whole (its descendants are not looked at), in the order related → bio →
boilerplate. Each stage then removes what it claimed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archiver.parser import bio, boilerplate, related
from archiver.parser.tree import attrs, tag, text_len


@dataclass
class Sections:
    """What was taken out of the page besides the body."""

    related_links: list[dict] = field(default_factory=list)
    bios: list[str] = field(default_factory=list)
    boilerplate: list[dict] = field(default_factory=list)


def split(root, base: str, page_url: str) -> Sections:
    """Remove related blocks, author boxes and boilerplate from ``root``; return them."""
    body = root.find("body")
    page_len = text_len(body if body is not None else root)
    related_blocks, boxes, junk = [], [], []
    stack = [root]
    while stack:
        el = stack.pop()
        name = tag(el)
        if not name:
            continue
        if name not in ("html", "body"):
            names = attrs(el)
            block = related.match(el, name, names)
            if block:
                related_blocks.append(block)
                continue
            if bio.match(el, name, names):
                boxes.append(el)
                continue
            found = boilerplate.match(el, name, page_len)
            if found:
                junk.append(found)
                continue
        stack.extend(reversed([c for c in el if isinstance(c.tag, str)]))
    return Sections(
        related_links=related.take(root, related_blocks, base, page_url),
        bios=bio.take_boxes(root, boxes),
        boilerplate=boilerplate.take(root, junk),
    )
