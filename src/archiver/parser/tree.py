"""Stage 2: text to one lxml tree, with the time bound of a parse, plus tree helpers.

Time bound: a parse reads at most ``MAX_CHARS`` characters of the page (the rest is
cut off before parsing), and the tree stages walk at most ``MAX_ELEMENTS`` elements
(a deeper or larger tree is truncated to its first elements in document order). With
lxml's own depth limit (256 levels, deeper nodes are flattened) this keeps one parse
of any input well under a second; typical pages take a few milliseconds.
"""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urljoin

from lxml import etree

from archiver.article import ParseError
from archiver.parser import selectors as S

#: Characters of a page that are parsed; the rest is ignored.
MAX_CHARS = 3_000_000
#: Elements kept in the tree; later elements are dropped before the stages run.
MAX_ELEMENTS = 40_000

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
#: The end tags of ``<html>`` and ``<body>``: HTML5 ignores them (what follows still goes into the body).
_END_OF_DOCUMENT = re.compile(r"</(?:html|body)\s*>", re.I)
#: Content after ``</html>`` longer than this (in characters) is parsed into the body.
_TRAILING_CONTENT = 200
#: C0 control bytes other than tab, line feed and carriage return (deleted before parsing).
_CONTROL_BYTES = bytes(range(0x20)).translate(None, b"\t\n\r")
_NONCHARS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")  # U+FFFE and U+FFFF in UTF-8
_WS = re.compile(r"\s+")
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                           default_doctype=False, collect_ids=False, encoding="utf-8")
_COUNT = etree.XPath("count(//*)")


def parse(text: str):
    """The ``<html>`` root of ``text``; ParseError if there is no document."""
    data = to_utf8(reopen_body(_XML_DECL.sub("", text[:MAX_CHARS], count=1)))
    if not data.strip():
        raise ParseError("empty document")
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(f"not an HTML document: {exc}") from exc
    if root is None:
        raise ParseError("not an HTML document")
    cap_elements(root)
    return root


def reopen_body(text: str) -> str:
    """``text`` without its ``</body>``/``</html>`` end tags when markup follows them.

    A browser (HTML5) puts content that follows ``</html>`` into the body; libxml2 drops it, and
    with it, on some templates, the whole article. Removing the end tags gives libxml2 the
    browser's tree.
    """
    end = _END_OF_DOCUMENT.search(text)
    if end is None or len(text) - end.end() < _TRAILING_CONTENT or not text[end.end():].strip():
        return text
    return _END_OF_DOCUMENT.sub("", text)


def to_utf8(text: str) -> bytes:
    """``text`` as UTF-8 for libxml2, without control characters, noncharacters or lone surrogates.

    Bytes and ``translate`` are used because a regular expression over the text costs half a parse;
    the noncharacters are looked for in the text, where that is cheaper (no search at all in a
    Latin-1 text) than in the bytes.
    """
    data = text.encode("utf-8", "ignore").translate(None, _CONTROL_BYTES)
    if "\ufffe" in text or "\uffff" in text:
        for bad in _NONCHARS:
            data = data.replace(bad, b"")
    return data


def cap_elements(root, limit: int = MAX_ELEMENTS) -> None:
    """Drop every element after the first ``limit`` in document order."""
    if _COUNT(root) <= limit:
        return
    for el in list(islice(root.iter(), limit, None)):
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
    """The text content of ``el``, as is (C speed: lxml's text serialisation, 3x faster than XPath ``string()``)."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def attrs(el) -> str:
    """The class and id of ``el`` joined, for vocabulary matching."""
    get = el.get
    return f"{get('class') or ''} {get('id') or ''}".strip()


def text_of(el) -> str:
    """The whitespace-normalised text content of ``el``."""
    return norm(raw_text(el)) if tag(el) else ""


def is_blank(el) -> bool:
    """Whether ``el`` holds no text but white space (in C: no splitting of a long text)."""
    raw = raw_text(el)
    return not raw or raw.isspace()


def in_running_text(el) -> bool:
    """Whether ``el`` is inline markup inside a paragraph that has other text (a link, a span, an
    abbreviation in a sentence; a cell in a table row): its words are the paragraph's, and no
    rule may take them out."""
    if not isinstance(el.tag, str) or _is_block(el):
        return False
    top, parent = el, el.getparent()
    while parent is not None and not _is_block(parent):
        top, parent = parent, parent.getparent()
    if parent is None or parent.tag in ("body", "html"):
        return False
    if top is not el and norm_len(raw_text(top)) > norm_len(raw_text(el)):
        return True
    return _has_text(top.tail) or _text_before(top, parent) or _text_after(top)


def _is_block(el) -> bool:
    """Whether ``el`` starts a paragraph of its own (table cells do not: a row is one paragraph)."""
    return el.tag in S.PARAGRAPH_TAGS


def _has_text(text: str | None) -> bool:
    """Whether ``text`` has more than white space."""
    return bool(text) and not text.isspace()


def _text_before(top, parent) -> bool:
    """Whether inline text precedes ``top`` in its paragraph (up to the previous block)."""
    sib = top.getprevious()
    while sib is not None:
        if _has_text(sib.tail):
            return True
        if not isinstance(sib.tag, str) or _is_block(sib):
            return False
        if not is_blank(sib):
            return True
        sib = sib.getprevious()
    return _has_text(parent.text)


def _text_after(top) -> bool:
    """Whether inline text follows ``top`` in its paragraph (up to the next block)."""
    sib = top.getnext()
    while sib is not None and isinstance(sib.tag, str) and not _is_block(sib):
        if not is_blank(sib) or _has_text(sib.tail):
            return True
        sib = sib.getnext()
    return False


def short_text(el, limit: int) -> str | None:
    """The normalised text of ``el`` if it is at most ``limit`` characters, else None (cheap)."""
    return short_of(raw_text(el), limit)


def short_of(raw: str, limit: int) -> str | None:
    """``raw`` normalised if that is at most ``limit`` characters, else None (no work on a long text)."""
    if len(raw) > short_limit(limit):
        return None
    text = norm(raw)
    return text if len(text) <= limit else None


#: Elements whose text reads as a separate line: block text puts a space at their edges.
_SPACED = frozenset("p div section article main header footer aside nav h1 h2 h3 h4 h5 h6 ul ol li "
                    "dl dt dd blockquote pre table tr td th caption figure figcaption address br "
                    "form fieldset details summary".split())


def block_text(el) -> str:
    """The normalised text of ``el`` with a space between blocks ("Home News", not "HomeNews")."""
    parts = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        spaced = node.tag in _SPACED
        if event == "start":
            if spaced:
                parts.append(" ")
            if node.text:
                parts.append(node.text)
        else:
            if spaced:
                parts.append(" ")
            if node.tail and node is not el:
                parts.append(node.tail)
    return norm("".join(parts))


def short_limit(limit: int) -> int:
    """The raw length above which a text cannot normalise to ``limit`` characters or fewer (generous)."""
    return 4 * limit + 200


class Probe:
    """One element met by a read-only walk: its tag, its class/id and their vocabularies and,
    computed once on demand, its text content and short text (valid while the tree is unchanged)."""

    __slots__ = ("el", "name", "names", "limit", "features", "_raw", "_text")

    def __init__(self, el, limit: int) -> None:
        get = el.get
        self.el, self.name, self.limit = el, el.tag, limit
        self.names = names = f"{get('class') or ''} {get('id') or ''}".strip()  # attrs(el), inline
        #: The vocabularies (``selectors.features``) matching the element's class/id (every walk reads them).
        self.features = S.features(names) if names else _NO_FEATURES
        self._raw = None
        self._text = False

    @property
    def raw(self) -> str:
        """The text content of the element, as is."""
        if self._raw is None:
            self._raw = raw_text(self.el)
        return self._raw

    @property
    def blank(self) -> bool:
        """Whether the element holds no text but white space (as :func:`is_blank`)."""
        raw = self.raw
        return not raw or raw.isspace()

    @property
    def text(self) -> str | None:
        """The normalised text of the element if at most ``limit`` characters, else None (:func:`short_of`,
        inline: every walk reads it)."""
        if self._text is False:
            raw, limit = self.raw, self.limit
            if len(raw) > 4 * limit + 200:  # short_limit(limit)
                self._text = None
            else:
                text = " ".join(raw.split())
                self._text = text if len(text) <= limit else None
        return self._text


_NO_FEATURES: frozenset[str] = frozenset()


def norm_len(text: str) -> int:
    """``len(norm(text))`` without building the normalised string."""
    words = text.split()
    return sum(map(len, words)) + len(words) - 1 if words else 0


def text_len(el) -> int:
    """Length of the normalised text of ``el``."""
    return norm_len(raw_text(el))


def link_text_len(el) -> int:
    """Length of the text inside links under ``el`` (``el`` included)."""
    return sum(norm_len(raw_text(a)) for a in el.iter("a"))


def link_text_lens(elements, root) -> dict:
    """:func:`link_text_len` of each of ``elements`` (all under ``root``), in one pass over the links."""
    totals = dict.fromkeys(elements, 0)
    for a in root.iter("a"):
        length = norm_len(raw_text(a))
        node = a if length else None
        while node is not None:
            if node in totals:
                totals[node] += length
            node = node.getparent()
    return totals


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


def absolute(base: str, href: str) -> str:
    """``href`` made absolute against ``base`` (no work when it already is)."""
    if href.startswith(("https://", "http://")) and " " not in href:
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def ancestors(el, limit: int = 1000):
    """Yield the ancestors of ``el`` from the parent up."""
    parent = el.getparent()
    while parent is not None and limit > 0:
        yield parent
        parent = parent.getparent()
        limit -= 1


def has_descendant(el, *tags: str) -> bool:
    """Whether ``el`` has a descendant with one of ``tags`` (``el.find(".//tag")`` without the path machinery)."""
    return next(el.iterdescendants(*tags), None) is not None


def has_ancestor(el, tags: frozenset | set) -> bool:
    """Whether an ancestor of ``el`` has one of ``tags`` (lxml's tag filter: no Python loop)."""
    return next(el.iterancestors(*tags), None) is not None


def attached(el, root) -> bool:
    """Whether ``el`` is still inside ``root`` (no ancestor was removed)."""
    node = el
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False
