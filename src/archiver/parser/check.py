"""Stage 8b: the body checked against the page's own JSON-LD ``articleBody``.

Publishers often put the article text in JSON-LD, but just as often only a summary or
the first paragraphs, so it cannot replace the extracted body. It is a witness: when a
long ``articleBody`` shares less than ``MIN_SHARED`` of its word trigrams with what the
generic rules extracted, the rules missed the article (a script-built page, an unusual
layout) and ``articleBody`` becomes the body, one paragraph per line.
"""

from __future__ import annotations

import re
from html import escape, unescape

from archiver.parser.render import Block
from archiver.parser.tree import norm

#: Shortest ``articleBody`` trusted as the whole article.
MIN_ARTICLE_BODY = 500
#: Share of the ``articleBody`` trigrams the extracted body must hold to be kept.
MIN_SHARED = 0.3

_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]{0,200}>")


def trigrams(text: str) -> set[tuple[str, ...]]:
    """The lower-case word trigrams of ``text``."""
    words = _WORD.findall(text.lower())
    return set(zip(words, words[1:], words[2:]))


def paragraphs(article_body: str) -> list[str]:
    """``articleBody`` as paragraphs: markup and entities removed, one per non-empty line."""
    text = unescape(_TAG.sub("\n", article_body))
    return [p for p in (norm(line) for line in text.splitlines()) if p]


def missed(blocks: list[Block], article_body: str | None) -> bool:
    """Whether ``blocks`` miss most of a long ``articleBody``."""
    if not article_body or len(article_body) < MIN_ARTICLE_BODY:
        return False
    wanted = trigrams(article_body)
    if not wanted:
        return False
    have = trigrams(" ".join(b.plain for b in blocks if b.kind != "img"))
    return len(wanted & have) / len(wanted) < MIN_SHARED


def checked(blocks: list[Block], article_body: str | None) -> list[Block]:
    """``blocks``, or ``articleBody``'s paragraphs when the blocks missed the article."""
    if not missed(blocks, article_body):
        return blocks
    return [Block("p", text=[p], html=[escape(p, quote=False)]) for p in paragraphs(article_body)]
