"""Stage 6: author bios: "about the author" text, kept apart from the body.

Generic rules:

1. Author boxes: a block whose class/id names a bio (``author-bio``, ``about-author``,
   ``author-box``...; ``selectors.BIO_ATTR``) is taken out and its prose kept (the
   paragraphs; else its whole text without the name heading and link rows).
   A box that opens with its byline ("Written by Jane Doe") is still a bio box when it
   is longer than a byline line; only its prose is kept, never a byline or date line.
2. Bio paragraphs: a paragraph at the start or end of the body that begins with an
   author's name followed by "is a/the ...", "was ...", "writes ..." (several
   languages; ``selectors.BIO_VERB``), or that follows an "About the author" heading;
   and a closing paragraph that reads as a bio whoever it names ("Jane Doe is a
   freelance writer ...", ``selectors.BIO_SENTENCE``).
3. Rail cards: inside a side rail or footer (taken out as boilerplate, so nothing here can
   cost the body a word), a person card, a name line ("Jane Doe", "Meet Jane Doe") over prose
   about that person ("Jane is a ...", "I'm Jane Doe, a ..."), and a paragraph that reads as
   a bio whoever it names.
A quoted testimonial ("“...” — Critic") is never bio prose.
"""

from __future__ import annotations

import re
from itertools import islice

from archiver.parser import selectors as S
from archiver.parser.tree import attached, block_text, drop, link_text_len, norm, raw_text, tag, text_of

#: Shortest text an author box must have to count as a bio.
MIN_BIO = 30
#: Longest text that can be a byline line with a date rather than a bio.
MAX_BYLINE_LINE = 120
#: Paragraphs checked at each end of the body for rule 2.
EDGE_PARAGRAPHS = 3
#: Closing paragraphs checked for a bio sentence that names someone other than the byline.
CLOSING_PARAGRAPHS = 2
#: Paragraphs of article length (characters) an author box may hold at most.
MAX_BOX_PARAGRAPHS = 4
LONG_PARAGRAPH = 120
#: Largest share of link text in an author box (a list of links is tags or headlines).
MAX_LINK_SHARE = 0.5
#: Ancestors of a paragraph looked at for an "About the author" heading, and their largest text.
ABOUT_DEPTH = 2
MAX_ABOUT_BOX = 1500
#: Fewest words of a box paragraph that counts as prose.
MIN_PROSE_WORDS = 6
_PROSE_TAGS = ("p", "div", "span", "section")
#: A line that names a person over their card: "Jane Doe", "Meet Jane Doe", "About Jane Doe, MD".
NAME_LINE = re.compile(r"^(?:(?i:meet|about) )?([A-ZÀ-Þ][\w'’.-]+(?: [A-ZÀ-Þ][\w'’.-]+){1,3})(?:,[^,]{1,30}){0,3}$")
#: What opens a card's prose before its name: a greeting and "I'm" ("Hi, I'm Jane Doe, a ...").
_FIRST_PERSON = re.compile(r"^(?:(?:hi|hello)[,!]? )?(?:i'm|i’m|i am) ", re.I)
#: A nickname after the name in a card's prose: "Rebecca (Bec) is ...".
_NICKNAME = re.compile(r"^\s*\([^)]{1,30}\)")
_NAME_LINE_TAGS = ("h2", "h3", "h4", "h5", "h6", "p", "strong", "b", "span", "div")
#: Siblings after a name line looked at for the card's prose.
CARD_SIBLINGS = 2


def box_text(box) -> str:
    """The prose of an author box: its paragraphs, else its text minus short lines."""
    paragraphs = [p for p in (text_of(p) for p in box.iter("p")) if is_prose(p)]
    if paragraphs:
        return "\n\n".join(paragraphs)
    for el in box.iter(_PROSE_TAGS):
        if el is box or el.find(".//div") is not None or el.find(".//p") is not None:
            continue
        text = block_text(el)
        if len(text) >= MIN_BIO * 2 and is_prose(text):
            return text
    text = block_text(box)
    return text if is_prose(text) else ""


def is_prose(text: str) -> bool:
    """Whether a piece of an author box is prose: long enough, not a byline or date line."""
    return (len(text) >= MIN_BIO and len(text.split()) >= MIN_PROSE_WORDS and not is_byline_line(text)
            and not S.BY_PREFIX.match(text) and not S.CREDIT_PREFIX.match(text)
            and not S.TESTIMONIAL_TEXT.match(text))


def match(probe) -> bool:
    """Whether the probed element is an author box (and not a byline line named like one)."""
    if probe.name in ("article", "main") or "BIO_ATTR" not in probe.features:
        return False
    text = norm(probe.raw)
    return (len(text) >= MIN_BIO and not _too_big(probe.el) and not is_byline_line(text)
            and link_text_len(probe.el) <= MAX_LINK_SHARE * len(text))


def is_byline_line(text: str) -> bool:
    """Whether ``text`` reads as a byline ("By Jane Doe, May 3 at 4:00 PM") rather than a bio."""
    if len(text) >= MAX_BYLINE_LINE:
        return False
    return bool(S.BY_PREFIX.match(text) or S.DATELINE_TEXT.search(text))


def _too_big(el) -> bool:
    """Whether ``el`` holds more long paragraphs than an author box would (it is the article)."""
    long_paragraphs = (p for p in el.iter("p") if len(norm(raw_text(p))) >= LONG_PARAGRAPH)
    return next(islice(long_paragraphs, MAX_BOX_PARAGRAPHS, None), None) is not None


def take_boxes(root, boxes: list) -> list[str]:
    """Remove author ``boxes`` (found by :func:`match`) from ``root``; return one bio text per box."""
    bios: list[str] = []
    for box in boxes:
        if attached(box, root):
            text = box_text(box)
            if text and not S.BY_PREFIX.match(text):
                add_bio(bios, text)
            drop(box)
    return bios


def add_bio(bios: list[str], text: str) -> None:
    """Add ``text`` to ``bios`` unless one holds it; it replaces the bios it holds."""
    if any(text in b for b in bios):
        return
    bios[:] = [b for b in bios if b not in text] + [text]


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


def is_bio_sentence(text: str) -> bool:
    """Whether ``text`` opens with "<Full Name> is a <...> writer/editor/..." (any name)."""
    return MIN_BIO <= len(text) <= 1200 and bool(S.BIO_SENTENCE.match(text))


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
    closing = [el for el, _ in blocks[-CLOSING_PARAGRAPHS:]]
    for el, text in blocks:
        heading = _after_about_heading(el)
        if heading is not None or (any(el is e for e in edge) and is_bio_paragraph(text, names)) or (
                any(el is e for e in closing) and is_bio_sentence(text)):
            add_bio(bios, text)
            if heading is not None:
                drop(heading)
            drop(el)
    return bios


def _after_about_heading(el):
    """The "About the author" heading just before ``el`` or before one of its two nearest
    ancestors (a heading over a small box holding the bio), if there is one."""
    for node in (el, *islice(el.iterancestors(), ABOUT_DEPTH)):
        prev = node.getprevious()
        if prev is not None and tag(prev) in ("h2", "h3", "h4", "h5", "h6", "p", "strong"):
            text = text_of(prev)
            if S.BIO_LEAD.match(text) and "author" in text.lower():
                return prev if node is el or len(norm(raw_text(node))) <= MAX_ABOUT_BOX else None
    return None


def card_prose(line):
    """The prose element of a person card that name line ``line`` opens ("Jane Doe" over "Jane is a
    reporter ...", "Meet Jane Doe" over "I'm Jane Doe, a ..."), or None."""
    if tag(line) not in _NAME_LINE_TAGS or len(line) > 2:
        return None
    text = text_of(line)
    name = NAME_LINE.match(text) if text and len(text) <= MAX_BYLINE_LINE // 2 else None
    if not name:
        return None
    for sib in islice(line.itersiblings(), CARD_SIBLINGS):
        prose = text_of(sib)
        if prose and is_prose(prose) and opens_with(prose, name.group(1)) and (
                link_text_len(sib) <= MAX_LINK_SHARE * len(prose)):
            return sib
    return None


def opens_with(prose: str, name: str) -> bool:
    """Whether ``prose`` opens about the person ``name``: "I'm <name>", or <name> or its first word
    followed by "is a", "was", "writes" ... ("Jane (JD) Doe is", "Jane is")."""
    first_person = _FIRST_PERSON.match(prose)
    if first_person:
        return prose[first_person.end():].startswith(name.split()[0])
    for variant in (name, name.split()[0]):
        if prose.startswith(variant + " ") or prose.startswith(variant + ","):
            rest = _NICKNAME.sub("", prose[len(variant):]).lstrip(" ,")
            return bool(S.BIO_VERB.match(rest))
    return False


def rail_box(el):
    """The bio element that ``el`` opens inside a side rail or footer (already out of the body): the
    prose of a person card, or a paragraph that reads as a bio whoever it names; else None."""
    prose = card_prose(el)
    if prose is not None:
        return prose
    if tag(el) == "p" and is_bio_sentence(text_of(el)):
        return el
    return None
