"""The headline: the first metadata title (JSON-LD ``headline``, OpenGraph / ``<meta>``, ``<title>``).

A metadata title that is not a headline is passed over: the site's name, a description that
shares few words with the other titles and the ``<h1>``, a copy cut short by a length limit.
A " | Site name" suffix is removed when the site name or the ``<h1>`` shows where the headline
ends, and a last " | Tail" of one or two words (a site or section name) too; so is a part that is a
domain name ("Example.com") with the parts on its side, and what follows a title's first " | " when it
is two words or more (search keywords: "Best movers 2025 | Top 19 Companies"). A title that
carried such a suffix is the site's search-engine title: the page's one ``<h1>`` (or, of
several, the one that alone shares words with the titles) is the headline readers see, when it is about the same thing (shares words with it). So it is when
the page has social or article metadata (OpenGraph, JSON-LD) and none of its titles repeats
the ``<h1>``: those are all written for search and sharing, and the ``<h1>``, sharing half
their words, for readers. Entities left escaped in metadata (``&#8211;``, ``&amp;#8230;``)
are decoded, and UTF-8 text read as Latin-1 ("Investorâ\x80\x99s") is decoded again.
"""

from __future__ import annotations

import html
import re

from archiver.parser.dates import SHOWN_DATE
from archiver.parser.tree import norm, text_of

_TITLE_SEP = re.compile(r"\s+(?:\||-|–|—|·|•|::|»|/|_|:)\s+")
#: A last " | Tail" of at most a few words (a site or section name), after a longer head.
_SHORT_TAIL = re.compile(r"\s+(?:\||•|·|–|—|-|»)\s+(?P<tail>[^|•·–—»]{1,40})$")
_WORD = re.compile(r"\w+")
#: A UTF-8 lead byte read as Latin-1 or Windows-1252 ("â", "Ã", "Â") followed by a continuation byte so read.
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u2013-\u203a\u0152-\u0178\u02c6\u02dc\u20ac\u2122]")
#: A domain name with a common top-level domain ("Example.com", "news.example.co.uk"): a site's name.
_DOMAIN = re.compile(r"(?:[\w-]+\.)+(?:com|org|net|gov|edu|co\.uk|com\.au)", re.I)
#: What a headline element may carry before the headline: a label ("Blog:", "Title:").
_BEFORE_FURNITURE = re.compile(r"\s*\w+(?:\s\w+)?\s*:\s*")
#: What it may carry after: a dateline ("Posted on …", "by …") or a source and count ("(example.com) 87").
_AFTER_FURNITURE = re.compile(r"\s*(?:(?:posted|published|updated|by)\b|\([\w.-]+\.[a-z]{2,}\)[\s\d]*$)", re.I)
#: A metadata title sharing less than this share of its words with every other title is a description.
MIN_SHARED = 0.34
#: The ``<h1>`` replaces a search-engine title when each shares at least this share of its words with the other.
MIN_H1_OVERLAP = 0.3
#: The ``<h1>`` that no metadata title repeats replaces them when each shares at least this share of its words with the other.
MIN_UNREPEATED_OVERLAP = 0.5
#: ``<h1>`` elements looked at (pages with dozens use them for every card title).
MAX_H1 = 20


def unescape(text: str | None) -> str | None:
    """``text`` with HTML entities decoded, twice-escaped ones too ("&amp;#8230;"), and UTF-8 read as Latin-1 repaired."""
    if not text:
        return text
    text = _repaired(text)
    if "&" not in text:
        return text
    once = html.unescape(text)
    return norm(html.unescape(once) if re.search(r"&#?\w+;", once) else once)


def _repaired(text: str) -> str:
    """``text`` decoded again when it is UTF-8 bytes read as Latin-1 or Windows-1252 ("Investorâ\x80\x99s")."""
    if not _MOJIBAKE.search(text):
        return text
    for codec in ("latin-1", "cp1252"):
        try:
            return text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return text


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
    if h1 and key(parts[0]) == key(h1):
        return parts[0].strip()
    site = key(site_name or "")
    if site:
        seps = list(_TITLE_SEP.finditer(title))
        last, first = seps[-1], seps[0]
        tail, head = key(title[last.end():]), key(title[:first.start()])
        if tail and (tail in site or site in tail):
            return title[:last.start()].strip()
        if head and (head in site or site in head):
            return title[first.end():].strip()
    return _without_domain(title)


def _without_domain(title: str) -> str:
    """``title`` without a part that is a domain name ("Example.com") and the parts on its side of the title."""
    seps = list(_TITLE_SEP.finditer(title))
    bounds = [0] + [x for sep in seps for x in sep.span()] + [len(title)]
    parts = [title[bounds[i]:bounds[i + 1]] for i in range(0, len(bounds), 2)]
    for i, part in enumerate(parts):
        if _DOMAIN.fullmatch(part.strip()):
            return (title[seps[i].end():] if i < len(parts) / 2 else title[:seps[i - 1].start()]).strip()
    return title


def strip_short_tail(title: str, max_words: int = 2) -> str:
    """``title`` without a last " | Tail" of at most ``max_words`` words after a head of three or more."""
    match = _SHORT_TAIL.search(title)
    if match and len(_words(match["tail"])) <= max_words and len(_words(title[:match.start()])) >= 3:
        return title[:match.start()].strip()
    return title


def strip_keywords(title: str) -> str:
    """``title`` up to its first " | ": what follows a pipe is keywords, a section or the site's name."""
    head = title.split(" | ", 1)[0].strip()
    return head if head != title and _words(head) and len(_words(title)) - len(_words(head)) >= 2 else title


def _shared(text: str, others: list[str]) -> float:
    """The largest share of ``text``'s words found in one of ``others``."""
    words = set(_words(text))
    return max((len(words & set(_words(o))) / len(words) for o in others), default=0.0) if words else 0.0


def _overlap(a: str, b: str) -> float:
    """The smaller of the shares of ``a``'s words in ``b`` and of ``b``'s words in ``a``."""
    x, y = set(_words(a)), set(_words(b))
    return min(len(x & y) / len(x), len(x & y) / len(y)) if x and y else 0.0


def _cut_short(title: str, longer: str) -> bool:
    """Whether ``title`` is ``longer`` cut short by a length limit (an open bracket or "…" at the cut)."""
    short, full = key(title), key(longer)
    return (len(short) >= 20 and len(full) > len(short) and full.startswith(short)
            and (title.count("(") > title.count(")") or title.rstrip().endswith(("…", "..."))))


def trusted_title(titles: list[str], h1s: list[str], site: str | None) -> str:
    """The first metadata title that is a headline: not the site's name, a copy cut short or a description."""
    site_key = key(site or "")
    kept = [t for i, t in enumerate(titles)
            if not (site_key and key(t) == site_key) and not any(_cut_short(t, u) for u in titles[i + 1:] + h1s[:1])]
    for title in kept:
        others = [t for t in kept if key(t) != key(title)] + h1s[:1]
        if not others or _shared(title, others) >= MIN_SHARED:
            return title
    return kept[0] if kept else titles[0]


def _decorated(h1: str, title: str) -> bool:
    """Whether ``h1`` is ``title`` with a " | Section" or "Blog - " part added, or with page furniture
    (a dateline, a "Blog:" label, a source and comment count) glued to it."""
    return (any(key(title) in (key(h1[:sep.start()]), key(h1[sep.end():])) for sep in _TITLE_SEP.finditer(h1))
            or _furnished(h1, title))


def _furnished(h1: str, title: str) -> bool:
    """Whether ``h1`` is ``title`` with a dateline or label before it, or a dateline or bare count after it."""
    spans = [m.span() for m in _WORD.finditer(h1)]
    n = len(_words(title))
    if not n or len(spans) <= n:
        return False
    if _words(h1[spans[0][0]:spans[n - 1][1]]) == _words(title):
        return bool(_AFTER_FURNITURE.match(h1[spans[n - 1][1]:]) or SHOWN_DATE.search(h1[spans[n - 1][1]:]))
    if _words(h1[spans[-n][0]:]) == _words(title):
        before = h1[:spans[-n][0]]
        return bool(_BEFORE_FURNITURE.fullmatch(before) or SHOWN_DATE.search(before))
    return False


def _repeated(h1: str, titles: list[str], site: str | None) -> bool:
    """Whether one of the metadata ``titles`` (a site suffix aside) repeats ``h1``."""
    return any(key(strip_site_suffix(t, site, h1)) == key(h1) for t in titles)


def headline_h1(h1s: list[str], titles: list[str]) -> str | None:
    """The ``<h1>`` that is the headline: the page's one ``<h1>``, or the one of several that alone
    shares words with a metadata title (the others being the site's name, a menu, sections)."""
    distinct = list(dict.fromkeys(h1s))
    if len(set(map(key, distinct))) == 1:
        return distinct[0]
    related = [h for h in distinct if any(_overlap(h, t) >= MIN_H1_OVERLAP for t in titles)]
    return related[0] if len(set(map(key, related))) == 1 else None


def seen_headline(h1: str | None, title: str, stripped: str, titles: list[str], site: str | None) -> str:
    """The headline ``<h1>`` instead of the metadata title it agrees with: when a metadata title repeats the
    ``<h1>``, or that title is for search engines and browser tabs (it carried a site suffix, or it is the
    page's only title, the ``<title>``), or the page's social/article titles all differ from the ``<h1>``."""
    if h1 is None or key(h1) == key(stripped) or _decorated(h1, stripped):
        return stripped
    if _repeated(h1, titles, site):
        return h1
    if stripped != title or not titles:
        return h1 if _overlap(h1, stripped) >= MIN_H1_OVERLAP else stripped
    return h1 if _overlap(h1, stripped) >= MIN_UNREPEATED_OVERLAP else stripped


def headline(h1s: list[str], titles: list[str], site: str | None,
             document_title: str | None = None) -> str | None:
    """The headline: the first trusted metadata title (site suffix removed) or the ``<h1>`` it stands for, else the first ``<h1>``.

    ``titles`` are the JSON-LD and ``<meta>`` titles, ``document_title`` the ``<title>``."""
    titles = [t for t in (unescape(t) for t in titles) if t]
    every = titles + [t for t in [unescape(document_title)] if t]
    if not every:
        return h1s[0] if h1s else None
    h1 = headline_h1(h1s, every)
    title = trusted_title(every, [h1] if h1 else h1s, site)
    stripped = strip_keywords(strip_short_tail(strip_site_suffix(title, site, h1))) or title
    return seen_headline(h1, title, stripped, every if titles else [], site)


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
