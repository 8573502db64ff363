"""Stage 9: the content element as plain text and as minimal clean HTML.

Text: one paragraph per block (``p``, headings, list items, table rows, line breaks),
paragraphs separated by one blank line, whitespace collapsed (kept inside ``pre``).
HTML: only ``p``, ``h2``–``h4``, ``ul``/``ol``/``li``, ``blockquote``, ``a``,
``em``/``strong`` and ``figure``/``img``/``figcaption``; links and images absolute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from html import escape

from lxml import etree

from archiver.parser.selectors import INLINE_KEEP, PARAGRAPH_TAGS
from archiver.parser.tree import absolute, tag

_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_HEADING_KIND = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
_LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-url", "src")
_RECOVER = etree.XMLParser(recover=True)
#: Characters XML 1.0 does not allow (character references can put them in a page's text).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class Block:
    """One paragraph of the body: its kind, its text and its inline HTML."""

    kind: str
    list_tag: str = ""
    quoted: bool = False
    text: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    pre: bool = False
    #: The innermost block element of the page the text came from (None for text made elsewhere).
    source: object = None

    @cached_property
    def plain(self) -> str:
        """The block's text, whitespace collapsed unless preformatted (read once the block is complete)."""
        raw = "".join(self.text)
        if self.pre:
            return "\n".join(line.rstrip() for line in raw.strip("\n").split("\n") if line.strip())
        return _WS.sub(" ", raw).strip()


class _Walker:
    """Collects blocks from a start/end event walk."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.blocks: list[Block] = []
        self.kinds: list[tuple[str, str]] = [("p", "")]
        self.sources: list = [None]
        self.quote_depth = 0
        self.pre_depth = 0
        self.figure_depth = 0
        self.current = self._new()

    def _new(self) -> Block:
        kind, list_tag = self.kinds[-1]
        return Block(kind, list_tag, self.quote_depth > 0, pre=self.pre_depth > 0, source=self.sources[-1])

    def flush(self) -> None:
        """Close the current block and start a new one of the enclosing kind."""
        self._close()
        self.current = self._new()

    def _close(self) -> None:
        """Keep the current block if it has text (a block with no text pieces has none)."""
        if self.current.text and self.current.plain:
            self.blocks.append(self.current)

    def text(self, value: str | None) -> None:
        """Add text to the current block."""
        if value:
            self.current.text.append(value)
            self.current.html.append(escape(value, quote=False))

    def image(self, el) -> None:
        """Add an image as a block of its own."""
        src = next((el.get(a) for a in _LAZY_SRC if el.get(a) and not el.get(a).startswith("data:")), None)
        if not src:
            return
        self.flush()
        alt = escape(el.get("alt") or "")
        self.blocks.append(Block("img", html=[f'<img src="{escape(absolute(self.base, src.strip()))}" alt="{alt}">']))

    def start(self, el) -> None:
        """Handle an opening tag."""
        name = el.tag
        if name in PARAGRAPH_TAGS:
            self._close()
            if name in _HEADING_KIND:
                self.kinds.append((_HEADING_KIND[name], ""))
            elif name == "li":
                parent = el.getparent()
                self.kinds.append(("li", "ol" if parent is not None and tag(parent) == "ol" else "ul"))
            elif name == "figcaption":
                self.kinds.append(("figcaption", ""))
            else:
                self.kinds.append(self.kinds[-1] if self.kinds[-1][0] == "li" and name not in ("ul", "ol") else ("p", ""))
            self.sources.append(el)
            self.quote_depth += name == "blockquote"
            self.pre_depth += name == "pre"
            self.figure_depth += name == "figure"
            self.current = self._new()
        elif name in ("td", "th"):
            self.text(" ")
        elif name == "br":
            self.flush()
        elif name == "img":
            self.image(el)
        elif name in INLINE_KEEP:
            self.current.html.append(self._open_inline(el, INLINE_KEEP[name]))
        self.text(el.text)

    def end(self, el) -> None:
        """Handle a closing tag (and the tail text after it)."""
        name = el.tag
        if name in PARAGRAPH_TAGS:
            self._close()
            self.kinds.pop()
            self.sources.pop()
            self.quote_depth -= name == "blockquote"
            self.pre_depth -= name == "pre"
            self.figure_depth -= name == "figure"
            self.current = self._new()
        elif name in INLINE_KEEP:
            self.current.html.append(f"</{INLINE_KEEP[name]}>")

    def _open_inline(self, el, out_tag: str) -> str:
        """The opening tag of a kept inline element (links get an absolute ``href``)."""
        if out_tag != "a":
            return f"<{out_tag}>"
        href = (el.get("href") or "").strip()
        if not href or href.startswith("javascript:"):
            return "<a>"
        return f'<a href="{escape(absolute(self.base, href))}">'


def blocks_of(content, base: str) -> list[Block]:
    """The paragraphs of ``content`` in page order (elements only: ``start`` and ``end`` read ``el.tag``)."""
    walker = _Walker(base)
    for event, el in etree.iterwalk(content, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        if event == "start":
            walker.start(el)
        else:
            walker.end(el)
            if el is not content:
                walker.text(el.tail)
    walker.flush()
    return walker.blocks


def to_text(blocks: list[Block]) -> str:
    """The body as plain text, paragraphs separated by a blank line."""
    return "\n\n".join(b.plain for b in blocks if b.kind != "img" and b.plain)


def _inline_html(block: Block) -> str:
    """The block's inline HTML with whitespace trimmed and empty inline tags balanced."""
    markup = "".join(block.html)
    markup = (markup if block.pre else _WS.sub(" ", markup)).strip()
    if not block.pre and "<" not in markup and not _NOT_XML.search(markup):
        return markup  # escaped text and no tags: the XML round trip below would give it back unchanged
    try:
        fragment = etree.fromstring(f"<x>{markup}</x>", _RECOVER)
        inner = (escape(fragment.text, quote=False) if fragment.text else "") + "".join(
            etree.tostring(c, encoding="unicode", method="html") for c in fragment)
        return inner.strip()
    except etree.XMLSyntaxError:
        return escape(block.plain, quote=False)


def to_html(blocks: list[Block]) -> str:
    """The body as minimal clean HTML."""
    out: list[str] = []
    open_list = ""
    open_quote = False
    for block in blocks:
        if block.kind != "li" and open_list:
            out.append(f"</{open_list}>")
            open_list = ""
        if block.quoted != open_quote:
            out.append("<blockquote>" if block.quoted else "</blockquote>")
            open_quote = block.quoted
        if block.kind == "li":
            if open_list != block.list_tag:
                if open_list:
                    out.append(f"</{open_list}>")
                out.append(f"<{block.list_tag}>")
                open_list = block.list_tag
            out.append(f"<li>{_inline_html(block)}</li>")
        elif block.kind == "img":
            out.append(f"<figure>{block.html[0]}</figure>")
        elif block.kind == "figcaption":
            if out and out[-1].startswith("<figure>") and out[-1].endswith("</figure>"):
                out[-1] = out[-1][:-9] + f"<figcaption>{_inline_html(block)}</figcaption></figure>"
            else:
                out.append(f"<p>{_inline_html(block)}</p>")
        else:
            out.append(f"<{block.kind}>{_inline_html(block)}</{block.kind}>")
    if open_list:
        out.append(f"</{open_list}>")
    if open_quote:
        out.append("</blockquote>")
    return "\n".join(out)
