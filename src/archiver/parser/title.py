"""The headline: the first metadata title (JSON-LD ``headline``, OpenGraph / ``<meta>``, ``<title>``).

A " | Site name" suffix is removed when the site name or the ``<h1>`` shows where the headline
ends, and a last " | Tail" of one or two words (a site or section name) too. Entities left
escaped in metadata (``&#8211;``, ``&amp;#8230;``) are decoded.
"""

from __future__ import annotations

import html
import re

from archiver.parser.tree import norm, text_of

_TITLE_SEP = re.compile(r"\s+(?:\||-|–|—|·|•|::|»|/|_|:)\s+")
#: A last " | Tail" of at most a few words (a site or section name), after a longer head.
_SHORT_TAIL = re.compile(r"\s+(?:\||•|·|–|—|-|»)\s+(?P<tail>[^|•·–—»]{1,40})$")
_WORD = re.compile(r"\w+")
#: ``<h1>`` elements looked at (pages with dozens use them for every card title).
MAX_H1 = 20


def unescape(text: str | None) -> str | None:
    """``text`` with HTML entities decoded, twice-escaped ones too ("&amp;#8230;")."""
    if not text or "&" not in text:
        return text
    once = html.unescape(text)
    return norm(html.unescape(once) if re.search(r"&#?\w+;", once) else once)


def _words(text: str) -> list[str]:
    """The lower-case words of ``text``."""
    return _WORD.findall(text.lower())


def key(text: str) -> str:
    """``text`` reduced to lower-case letters and digits, for fuzzy comparison."""
    return "".join(_words(text))


def strip_site_suffix(title: str, site_name: str | None, h1: str | None) -> str:
    """``title`` without a " | Site name" suffix (or prefix) when one is recognisable."""
    parts = _TITLE_SEP.split(title)
    if len(parts) < 2:
        return title
    if h1:
        for i in range(len(parts), 0, -1):
            head = _TITLE_SEP.split(title, maxsplit=i - 1)
            if key(head[0]) == key(h1):
                return head[0].strip()
    site = key(site_name or "")
    if site:
        seps = list(_TITLE_SEP.finditer(title))
        last, first = seps[-1], seps[0]
        tail, head = key(title[last.end():]), key(title[:first.start()])
        if tail and (tail in site or site in tail):
            return title[:last.start()].strip()
        if head and (head in site or site in head):
            return title[first.end():].strip()
    return title


def strip_short_tail(title: str, max_words: int = 2) -> str:
    """``title`` without a last " | Tail" of at most ``max_words`` words after a head of three or more."""
    match = _SHORT_TAIL.search(title)
    if match and len(_words(match["tail"])) <= max_words and len(_words(title[:match.start()])) >= 3:
        return title[:match.start()].strip()
    return title


def headline(h1s: list[str], titles: list[str], site: str | None) -> str | None:
    """The headline: the first metadata title (site suffix removed), else the first ``<h1>``."""
    titles = [t for t in (unescape(t) for t in titles) if t]
    if not titles:
        return h1s[0] if h1s else None
    title = titles[0]
    stripped = strip_site_suffix(title, site, h1s[0] if h1s else None)
    return strip_short_tail(stripped) or title


def page_h1s(root) -> list[str]:
    """The texts of the page's non-empty ``<h1>`` elements, in document order."""
    texts = []
    for el in root.iter("h1"):
        text = unescape(text_of(el))
        if text:
            texts.append(text)
            if len(texts) >= MAX_H1:
                break
    return texts


def headline_element(root, title: str | None):
    """The ``<h1>`` sharing the largest share of its words with ``title`` (the first one on a tie), or None."""
    title_words = set(_words(title or ""))
    best, best_share = None, -1.0
    for count, el in enumerate(root.iter("h1")):
        if count >= MAX_H1:
            break
        words = _words(text_of(el))
        share = sum(w in title_words for w in words) / len(words) if words else -1.0
        if share > best_share:
            best, best_share = el, share
    return best
