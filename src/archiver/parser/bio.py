"""Stage 6: author bios: "about the author" text, kept apart from the body.

Two generic rules:

1. Author boxes: a block whose class/id names a bio (``author-bio``, ``about-author``,
   ``author-box``...; ``selectors.BIO_ATTR``) is taken out and its prose kept (the
   paragraphs; else its whole text without the name heading and link rows).
2. Bio paragraphs: a paragraph at the start or end of the body that begins with an
   author's name followed by "is a/the ...", "was ...", "writes ..." (several
   languages; ``selectors.BIO_VERB``), or that follows an "About the author" heading.
"""

from __future__ import annotations

from archiver.parser import selectors as S
from archiver.parser.tree import attached, block_text, drop, norm, tag, text_of

#: Shortest text an author box must have to count as a bio.
MIN_BIO = 30
#: Longest text that can be a byline line with a date rather than a bio.
MAX_BYLINE_LINE = 120
#: Paragraphs checked at each end of the body for rule 2.
EDGE_PARAGRAPHS = 3
_PROSE_TAGS = ("p", "div", "span", "section")


def box_text(box) -> str:
    """The prose of an author box: its paragraphs, else its text minus short lines."""
    paragraphs = [text_of(p) for p in box.iter("p")]
    paragraphs = [p for p in paragraphs if len(p) >= MIN_BIO]
    if paragraphs:
        return "\n\n".join(paragraphs)
    for el in box.iter(_PROSE_TAGS):
        if el is box or el.find(".//div") is not None or el.find(".//p") is not None:
            continue
        text = block_text(el)
        if len(text) >= MIN_BIO * 2:
            return text
    return block_text(box)


def match(probe) -> bool:
    """Whether the probed element is an author box (and not a byline line named like one)."""
    if probe.name in ("article", "main") or "BIO_ATTR" not in probe.features:
        return False
    text = norm(probe.raw)
    return len(text) >= MIN_BIO and not _too_big(probe.el) and not is_byline_line(text)


def is_byline_line(text: str) -> bool:
    """Whether ``text`` reads as a byline ("By Jane Doe, May 3 at 4:00 PM") rather than a bio."""
    if S.BY_PREFIX.match(text):
        return True
    return len(text) < MAX_BYLINE_LINE and bool(S.DATELINE_TEXT.search(text))


def _too_big(el) -> bool:
    """Whether ``el`` holds more paragraphs than an author box would (it is the article)."""
    return sum(1 for _ in el.iter("p")) > 6


def take_boxes(root, boxes: list) -> list[str]:
    """Remove author ``boxes`` (found by :func:`match`) from ``root``; return one bio text per box."""
    bios = []
    for box in boxes:
        if attached(box, root):
            text = box_text(box)
            if text and text not in bios:
                bios.append(text)
            drop(box)
    return bios


def _name_variants(names: list[str]) -> list[str]:
    """Author names as they may open a bio: full name and family name, longest first."""
    variants = set()
    for name in names:
        name = norm(name)
        if len(name) >= 3:
            variants.add(name)
    return sorted(variants, key=len, reverse=True)


def is_bio_paragraph(text: str, names: list[str]) -> bool:
    """Whether ``text`` is "<author name> is a/the ..." prose about an author."""
    if len(text) < MIN_BIO or len(text) > 1200:
        return False
    lowered = text.lower()
    for name in _name_variants(names):
        if lowered.startswith(name.lower()):
            rest = text[len(name):]
            rest = rest.lstrip(" ,")
            if S.BIO_VERB.match(rest):
                return True
    return False


def paragraph_blocks(content) -> list[tuple[object, str]]:
    """The paragraph-like blocks of the body in page order (leaf ``p``/``div``), each with its text."""
    blocks = []
    for el in content.iter("p", "div", "blockquote"):
        if next(el.iterdescendants("p", "div"), None) is not None:
            continue
        text = text_of(el)
        if text:
            blocks.append((el, text))
    return blocks


def take_paragraphs(content, names: list[str]) -> list[str]:
    """Remove bio paragraphs at the ends of the body; return their texts.

    A block's text is read before any removal: only the blocks before it in page order
    (never its descendants) are removed before it is looked at.
    """
    bios: list[str] = []
    blocks = paragraph_blocks(content)
    if not blocks:
        return bios
    edge = [el for el, _ in blocks[:EDGE_PARAGRAPHS] + blocks[-EDGE_PARAGRAPHS:]]
    for el, text in blocks:
        heading = _after_about_heading(el)
        if heading is not None or (any(el is e for e in edge) and is_bio_paragraph(text, names)):
            if text not in bios:
                bios.append(text)
            if heading is not None:
                drop(heading)
            drop(el)
    return bios


def _after_about_heading(el):
    """The "About the author" heading just before ``el``, if there is one."""
    prev = el.getprevious()
    if prev is None or tag(prev) not in ("h2", "h3", "h4", "h5", "h6", "p", "strong"):
        return None
    text = text_of(prev)
    return prev if S.BIO_LEAD.match(text) and "author" in text.lower() else None
