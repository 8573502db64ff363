"""Stage 2: text to one lxml tree, with the time bound of a parse, plus tree helpers.

Time bound: a parse reads at most ``MAX_CHARS`` characters of the page (the rest is
cut off before parsing), and the tree stages walk at most ``MAX_ELEMENTS`` elements
(a deeper or larger tree is truncated to its first elements in document order). With
lxml's own depth limit (256 levels, deeper nodes are flattened) this keeps one parse
of any input well under a second; typical pages take a few milliseconds.
"""

from __future__ import annotations

import re

from lxml import etree

from archiver.article import ParseError

#: Characters of a page that are parsed; the rest is ignored.
MAX_CHARS = 3_000_000
#: Elements kept in the tree; later elements are dropped before the stages run.
MAX_ELEMENTS = 40_000

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WS = re.compile(r"\s+")
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                           default_doctype=False, collect_ids=False)
_STRING = etree.XPath("string()")


def parse(text: str):
    """The ``<html>`` root of ``text``; ParseError if there is no document."""
    text = _CONTROL.sub("", _XML_DECL.sub("", text[:MAX_CHARS], count=1))
    if not text.strip():
        raise ParseError("empty document")
    try:
        root = etree.fromstring(text, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(f"not an HTML document: {exc}") from exc
    if root is None:
        raise ParseError("not an HTML document")
    cap_elements(root)
    return root


def cap_elements(root, limit: int = MAX_ELEMENTS) -> None:
    """Drop every element after the first ``limit`` in document order."""
    excess = []
    for count, el in enumerate(root.iter()):
        if count >= limit:
            excess.append(el)
    for el in excess:
        parent = el.getparent()
        if parent is not None and el.getparent() is not None:
            parent.remove(el)


def norm(text: str | None) -> str:
    """``text`` with runs of whitespace made one space, trimmed."""
    return " ".join(text.split()) if text else ""


def tag(el) -> str:
    """The tag name of ``el`` (lxml's HTML parser gives lower case), or '' for comments."""
    t = el.tag
    return t if isinstance(t, str) else ""


def raw_text(el) -> str:
    """The text content of ``el``, as is (C speed)."""
    return _STRING(el)


def attrs(el) -> str:
    """The class and id of ``el`` joined, for vocabulary matching."""
    get = el.get
    return f"{get('class') or ''} {get('id') or ''}".strip()


def text_of(el) -> str:
    """The whitespace-normalised text content of ``el``."""
    return norm(raw_text(el)) if tag(el) else ""


def short_text(el, limit: int) -> str | None:
    """The normalised text of ``el`` if it is at most ``limit`` characters, else None (cheap)."""
    raw = _STRING(el)
    if len(raw) > 4 * limit + 200:
        return None
    text = norm(raw)
    return text if len(text) <= limit else None


def text_len(el) -> int:
    """Length of the normalised text of ``el``."""
    return len(text_of(el))


def link_text_len(el) -> int:
    """Length of the text inside links under ``el`` (``el`` included)."""
    total = 0
    for a in el.iter("a"):
        total += len(norm(raw_text(a)))
    return total


def link_density(el) -> float:
    """Share of ``el``'s text that sits inside links."""
    length = text_len(el)
    return link_text_len(el) / length if length else 0.0


def drop(el) -> None:
    """Remove ``el`` and its content, keeping its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def ancestors(el, limit: int = 1000):
    """Yield the ancestors of ``el`` from the parent up."""
    parent = el.getparent()
    while parent is not None and limit > 0:
        yield parent
        parent = parent.getparent()
        limit -= 1


def has_ancestor(el, tags: frozenset | set) -> bool:
    """Whether an ancestor of ``el`` has one of ``tags``."""
    return any(tag(a) in tags for a in ancestors(el))


def attached(el, root) -> bool:
    """Whether ``el`` is still inside ``root`` (no ancestor was removed)."""
    node = el
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False
