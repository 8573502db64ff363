"""Bylines: person names from JSON-LD, ``<meta>`` and byline markup, each a clean name.

Sources in order: JSON-LD authors (``@id`` references followed), author ``<meta>`` (and a
``twitter:label`` "Written by"), then the byline a reader sees by the headline ("By Ann Lee",
or a "Written by" label and the line after it), then author classes anywhere in the page (their
author links when too long to be one line), then a "Written by Ann Lee" line or "Author" label
anywhere; last, a name beside the dateline's date with no "By" (in the date's line, or an
author link or avatar next to it).
A byline line carries more than names: "By" / "Von" / "Texto:" prefixes, a date or "5 min
read" glued after the name, a job title ("Senior Autos Reporter") or an affiliation ("... for
NJ.com"). ``split_names`` cuts those away and splits "A, B and C" into names (never "Bruce
Y. Lee" at "Y."); the names end at the first part that is not a person's name ("Ann Lee,
Head of Sales"). An organisation (the site itself, a JSON-LD ``Organization``) is the author
only when the page names no person.
"""

from __future__ import annotations

import re

from lxml import etree

from archiver.parser import selectors as S
from archiver.parser.dates import SHOWN_DATE, Header, header_texts
from archiver.parser.title import key, unescape
from archiver.parser.tree import norm, short_text, tag

#: Separators between names; the conjunctions in lower case only, so "Bruce Y. Lee" stays whole.
_NAME_SPLIT = re.compile(r"\s*(?:[,;&|]|\s(?:and|und|et|y|e|og|och|en)\s)\s*")
_NOT_NAME = re.compile(
    r"^(?:ma|md|phd|ph\.d\.|jr\.?|sr\.?|mph|rn|bsn|staff|editor|author|the author|admin|updated|by|"
    r"written by|posted by|about the author|.*\sby|\d.*|.*\bsays|(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)\.?|sign (?:in|up|out)|log ?(?:in|out)|subscribe|menu|search|share|home|"
    r"(?-i:[a-z]+(?:\.[a-z]+)*\.(?:author|byline|name|creator)))$",
    re.I)
#: A prefix before the names: "By", "Written by:", "Text:", "Texto:", "Текст:", "Von", "Par", "Author".
_PREFIX = re.compile(
    r"^\s*(?:(?:(?:article|story|recipe|words|text|photos?|reporting|written|posted|reported|reviewed|"
    r"this (?:post|article) was written|(?:view )?(?:all )?(?:posts|articles|stories)|more)\s+)?"
    r"(?:by|von|par|por|door|af|di|da|de)|(?:read )?more (?:about|from)|authors?(?:ed by)?|"
    r"text|texto|texte|текст|автор|autor|auteur|written|reporter|posted)\b\s*[:\-–]?\s*", re.I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
#: What follows the names on a byline line: a date, a reading time, "Published", "Updated", " - Team".
_TRAILER = re.compile(
    rf"(?:\s+|(?<=[a-z]))(?:{_MONTH}\s+\d|\d|(?:published|updated|posted|last updated|last|reviewed|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"fact[- ]checked|edited|view|read|min read|follow|share)\b).*$"
    r"|\s+(?:[-–—]\s|on\s+\w+\s+\d).*$", re.I)
#: A word left dangling where a trailer was cut off: "BeauHD on", "Ann Lee at".
_DANGLING = re.compile(r"\s+(?:on|at|in|and|for|\||·|•)\s*$")
#: An upper-case organisation glued after a name: "Brian Truitt USA TODAY".
_CAPS_TAIL = re.compile(r"(?<=[a-z]\w)(?:\s+[A-Z]{2,}){2,3}$")
#: Letters after a name: "MD", "Ph.D.", "CEPF®", "RN".
_CREDENTIAL = re.compile(r"^(?:(?=(?:\w*[A-Z]){2})[A-Z][A-Za-z.]{1,6}[®*]?|Ph\.?\s?D\.?)$")
#: A job title's last word ("Senior Autos Reporter", "Games Editor").
_JOB_WORD = re.compile(
    r"^(?:editor|writer|reporter|correspondent|contributor|columnist|consultant|journalist|photographer|"
    r"producer|expert|director|manager|strategist|specialist|analyst|marketer|designer|founder|co-founder|"
    r"cofounder|ceo|cto|owner|president|reviewer|winemaker|engineer|developer|scientist)s?,?$", re.I)
#: An affiliation after a name: "... for NJ.com".
_AFFILIATION = re.compile(r"\s+for\s+(?=[A-Z0-9])[\w.&' -]+$")
#: A team or desk name ("Great Day Editorial Team", "Our Editors") keeps its job words.
_TEAM = re.compile(r"\b(?:team|staff|editors|desk|board|contributors)$|\(", re.I)
#: Words that do not occur in a person's name (labels and organisation words).
_NOT_PERSON = re.compile(
    r"\b(?:about|author|bio|type|company|name|service|solution|sponsored|team|editors?|staff|news|"
    r"inc|llc|ltd|group|media|blog|magazine|network|foundation|clinic|university|the)\b", re.I)
_PERSON_WORD = re.compile(r"^(?:[A-ZÀ-ÞА-Я][\w'’.-]*|van|von|der|den|de|da|di|del|la|le|du|bin|al)$")
#: A label naming the author: "Written by", "Author", "Authors".
_WRITTEN_BY = re.compile(r"^\s*(?:written\s+by|(?:article|post|story|words)\s+by|by|authors?|author\(s\)|"
                         r"contributors?|writer|autor|auteur|von|par|por)\s*:?\s*$", re.I)
#: A personal site's name after its owner's: "Colin Watson's blog".
_OWNED = re.compile(r"['’]s\s+(?:blog|site|weblog|homepage|notes|journal)$", re.I)
#: A name is at most this long.
MAX_NAME = 80


def _clean(part: str, jobs: bool = True) -> str | None:
    """One name: prefix, trailer (and with ``jobs`` a job title) removed; None if what is left is not a name."""
    part = _PREFIX.sub("", part, count=1)
    part = _DANGLING.sub("", _TRAILER.sub("", part)).strip(" .:-–—|•·/")
    part = _CAPS_TAIL.sub("", part)
    if part and jobs and not _TEAM.search(part):
        part = _without_job(_without_affiliation(part))
    if not part or _NOT_NAME.match(part) or len(part) > MAX_NAME or looks_like_url(part):
        return None
    return part if any(ch.isalpha() for ch in part) else None


def _without_affiliation(part: str) -> str:
    """``part`` without a "for NJ.com" affiliation after a person's name."""
    head = _AFFILIATION.sub("", part)
    return head if head != part and person_like(head) else part


def _without_job(part: str) -> str | None:
    """``part`` without a job title after the name (the name keeps two words); None if it is only a job title."""
    words = part.split()
    job = next((i for i, w in enumerate(words) if _JOB_WORD.match(w)), None)
    if job is None:
        return part
    if job < 2:
        return None if job == len(words) - 1 else part
    start = job
    while start > 2 and words[start - 1][:1].isupper():
        start -= 1
    return " ".join(words[:start])


def person_like(name: str) -> bool:
    """Whether ``name`` reads as a person's name: two to four capitalised words, no label or company word."""
    words = name.split()
    return (2 <= len(words) <= 4 and all(_PERSON_WORD.match(w) for w in words)
            and not _NOT_PERSON.search(name) and not any(ch.isdigit() for ch in name))


def looks_like_url(text: str) -> bool:
    """Whether ``text`` is a URL or handle rather than a name."""
    text = text.strip()
    return text.startswith(("http:", "https:", "www.", "/", "@"))


def split_names(text: str) -> list[str]:
    """Person names from a byline text: "By A, B and C" -> ["A", "B", "C"]."""
    text = _PREFIX.sub("", norm(unescape(text) or ""), count=1)
    parts = _NAME_SPLIT.split(text)
    names = _until_not_a_person([name for name in (_clean(part) for part in parts) if name])
    if not names:  # "SFist Contributor" alone: the job words are the name
        names = [name for name in (_clean(part, jobs=False) for part in parts) if name]
    seen: set[str] = set()
    return [n for n in names if not (n.lower() in seen or seen.add(n.lower()))]


def _until_not_a_person(names: list[str]) -> list[str]:
    """``names`` up to the first part that is not a person's name after one that is ("Ann Lee, Head of Sales")."""
    for i, name in enumerate(names):
        if i and not person_like(name) and not _CREDENTIAL.match(name) and any(person_like(n) for n in names[:i]):
            return names[:i]
    return names


def spaced_text(el) -> str:
    """The text of ``el`` with a space between its text nodes ("Jane Doe" + "Monday" stays two words)."""
    parts = []
    for piece in el.itertext():
        piece = piece.strip()
        if piece:
            glue = "" if parts and piece[0] in ",.;:)" else " "
            parts.append(glue + piece)
    return norm("".join(parts))


# --- JSON-LD ---------------------------------------------------------------------------------

def _ld_name(item) -> str | None:
    """The name of one JSON-LD author (a string or a Person / Organization object)."""
    name = item.get("name") if isinstance(item, dict) else item
    if isinstance(name, list):
        name = " ".join(str(n) for n in name)
    return name if isinstance(name, str) and name.strip() and not looks_like_url(name) else None


def _is_org(item) -> bool:
    """Whether a JSON-LD author is an organisation rather than a person."""
    kind = item.get("@type") if isinstance(item, dict) else None
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.lower() in {"organization", "newsmediaorganization", "corporation"}
               for k in kinds)


def _resolved(item, objects: list) -> object:
    """A JSON-LD ``{"@id": ...}`` reference replaced by the object of the page that has that ``@id``."""
    if not isinstance(item, dict) or "name" in item or not item.get("@id"):
        return item
    return next((o for o in objects if o.get("@id") == item["@id"] and o is not item), item)


def jsonld_authors(obj: dict) -> tuple[list[str], bool]:
    """Author names of a JSON-LD article (``@id`` references followed), and whether they are all organisations."""
    value = obj.get("author") or obj.get("creator")
    items = value if isinstance(value, list) else [value]
    names, orgs = [], 0
    for item in items:
        item = _resolved(item, obj.get("_objects", []))
        name = _ld_name(item)
        if name:
            found = split_names(name)
            names += found
            orgs += len(found) if _is_org(item) else 0
    return names, bool(names) and orgs == len(names)


# --- markup ------------------------------------------------------------------------------------

#: Elements that may be byline markup: the others have no ``rel``, ``itemprop``, class or id to go by.
_MAYBE_BYLINE = etree.XPath("descendant-or-self::*[@rel or @itemprop or @class or @id]")
_SKIP = frozenset(("html", "body", "meta", "link", "script", "head", "title"))
#: A link to an author's page.
_AUTHOR_HREF = re.compile(r"/(?:authors?|people|person|profiles?|team|staff|writers?|contributors?|users?|u)/", re.I)
#: A byline element linking to more authors' pages than this is a list of authors, not a byline.
MAX_LINKED_AUTHORS = 4


def markup_byline(root) -> list[str]:
    """Names from ``rel=author`` / ``itemprop=author`` / byline-class elements, else a "By ..." line."""
    for el in _MAYBE_BYLINE(root):
        if tag(el) in _SKIP:
            continue
        prop = (el.get("itemprop") or "").lower()
        if not (el.get("rel") == "author" or "author" in prop or S.matches("BYLINE_ATTR", attrs_of(el))):
            continue
        if "author" in prop:
            inner = el.find('.//*[@itemprop="name"]')
            if inner is not None:
                el = inner
            elif el.get("content"):
                return split_names(el.get("content"))
        names = split_names(spaced_text(el)) if short_text(el, 100) else linked_authors(el)
        if names:
            return names
    return []


def linked_authors(el) -> list[str]:
    """The persons whose author pages a long byline element ``el`` links to ("Written by <a>Ann Lee</a>, 4+
    years covering ..."), at most ``MAX_LINKED_AUTHORS``."""
    names: list[str] = []
    for link in el.iter("a"):
        if _AUTHOR_HREF.search(link.get("href") or ""):
            names += [n for n in split_names(spaced_text(link)) if person_like(n) and n not in names]
    return names if len(names) <= MAX_LINKED_AUTHORS else []


def attrs_of(el) -> str:
    """The class and id of ``el`` joined, for vocabulary matching."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def text_byline(root) -> list[str]:
    """Names from the first short line that reads "By Name" or "Written by Name", or follows an "Author" label
    (no markup to go by)."""
    body = root.find("body")
    for el in (body if body is not None else root).iter("p", "div", "span", "address", "h2", "h3", "h4", "h5", "h6"):
        if len(el) > 4:
            continue
        text = short_text(el, 100)
        if not text:
            continue
        if S.BYLINE_TEXT.match(text):
            return split_names(text)
        names = labelled_names(el, text)
        if names:
            return names
    return []


def labelled_names(el, text: str) -> list[str]:
    """The persons of a line "Written by Ann Lee" (``text`` of ``el``) or of the line after an "Author" label, else []."""
    if _BY_LINE.match(text):
        names = split_names(text)
    elif _WRITTEN_BY.match(text):
        after = header_texts(el, 0, 100)
        names = split_names(after[0][0]) if after else []
    else:
        return []
    return names if names and all(person_like(n) for n in names) else []


# --- the byline shown by the headline ------------------------------------------------------------

#: A line that starts with the byline: "By Ann Lee", "Written by Ann Lee", "Posted by Ann Lee".
_BY_LINE = re.compile(r"^\s*(?:(?:written|posted|article|story|words|reported)\s+)?by\s*:?\s+\S", re.I)
#: Characters read after the headline for its byline (and before it, for a byline above it); within what
#: ``dates.header`` reads (``AFTER_CHARS``, ``BEFORE_CHARS``).
BYLINE_AFTER = 800
BYLINE_BEFORE = 150


def shown_byline(near: Header) -> list[str]:
    """Names from the byline a reader sees by the headline (the text ``near`` it): "By Ann Lee", or a "Written by"
    label and the line after it."""
    texts = near.texts(BYLINE_BEFORE, BYLINE_AFTER)
    for i, (text, _el) in enumerate(texts):
        if len(text) > 100:
            continue
        if _WRITTEN_BY.match(text) and i + 1 < len(texts):
            names = split_names(texts[i + 1][0])
        elif _BY_LINE.match(text):
            names = split_names(text)
        else:
            continue
        if names and all(len(n.split()) <= 5 for n in names):
            return names
    return []


#: Separators within a dateline: "July 2, 2025 · Ann Lee", "Ann Lee | Senior Writer | July 2, 2025".
_DATELINE_SEP = re.compile(r"\s*[|·•]\s*|\s+[-–—]\s+")
#: Text nodes before and after the dateline's date that may hold the names.
DATELINE_REACH = 2


def dateline_byline(near: Header) -> list[str]:
    """The persons named beside the first date shown by the headline (the text ``near`` it), with no "By": in the
    date's own line ("July 2, 2025 · Ann Lee"), or just before or after it as an author link or by an avatar."""
    texts = near.texts(BYLINE_BEFORE, BYLINE_AFTER)
    dated = next((i for i, (text, _el) in enumerate(texts) if len(text) <= 100 and SHOWN_DATE.search(text)), None)
    if dated is None:
        return []
    beside = range(max(0, dated - DATELINE_REACH), min(len(texts), dated + DATELINE_REACH + 1))
    for i in sorted(beside, key=lambda i: abs(i - dated)):
        text, el = texts[i]
        for part in _DATELINE_SEP.split(text) if len(text) <= 100 else []:
            names = [] if SHOWN_DATE.search(part) else split_names(part)
            if names and all(person_like(n) for n in names) and (i == dated or _marked_person(el, part)):
                return names
    return []


def _marked_person(el, name: str) -> bool:
    """Whether the markup of ``el`` marks ``name`` as a person: a link to an author's page, or an avatar
    image or link title giving the name (not a figure's caption)."""
    if tag(el) == "figcaption" or next(el.iterancestors("figure", "figcaption"), None) is not None:
        return False
    link = el if tag(el) == "a" else next(el.iterancestors("a"), None)
    if link is not None and _AUTHOR_HREF.search(link.get("href") or ""):
        return True
    scope = link if link is not None else el.getparent()
    wanted = key(name)
    return scope is not None and any(
        key(other.get("alt") or other.get("title") or "") == wanted for other in scope.iter("img", "a"))


# --- everything ----------------------------------------------------------------------------------

def _is_site(names: list[str], site: str | None) -> bool:
    """Whether ``names`` is just the site's own name (an organisation, not a person)."""
    site_key = key(site or "")
    return bool(site_key) and all(key(n) and (key(n) in site_key or site_key in key(n)) for n in names)


def labelled_meta(values: dict[str, str]) -> str | None:
    """The author a ``twitter:labelN`` "Written by" / ``twitter:dataN`` pair names, or None."""
    for n in range(1, 5):
        label = values.get(f"twitter:label{n}")
        if label is None:
            return None
        if _WRITTEN_BY.match(label):
            return values.get(f"twitter:data{n}")
    return None


#: Author ``<meta>`` keys: the usual ones and the plural of Highwire's ``citation_authors``.
_AUTHOR_KEYS = S.AUTHOR_META + ("citation_authors",)


def meta_authors(values: dict[str, str]) -> list[str]:
    """Author names from ``<meta>``: the first author key, or a later one that lists the same first author and
    more after it; else a "Written by" label and its value."""
    found: list[str] = []
    for meta_key in _AUTHOR_KEYS:
        value = values.get("all:" + meta_key) or values.get(meta_key)
        if value and not looks_like_url(value):
            names = split_names(value)
            if names and (not found or (len(names) > len(found) and key(names[0]) == key(found[0]))):
                found = names
    if found:
        return found
    value = labelled_meta(values)
    return split_names(value) if value and not looks_like_url(value) else []


def byline(root, values: dict[str, str], ld: dict, site: str | None, near: Header | None = None) -> list[str]:
    """Author names: JSON-LD, then ``<meta>``, then the line by the headline (the text ``near`` it), byline markup;
    an organisation only when no person is named."""
    names, orgs = jsonld_authors(ld) if ld else ([], False)
    if not names:
        names = meta_authors(values)
    if names and not orgs and not _is_site(names, site):
        return names
    shown = (shown_byline(near) if near is not None else []) or markup_byline(root) or text_byline(root)
    if names and not all(person_like(n) for n in shown):
        return names
    return shown or names or (dateline_byline(near) if near is not None else []) or personal_site(site)


def personal_site(site: str | None) -> list[str]:
    """The owner of a personal site named as one ("Colin Watson's blog"), else []."""
    match = _OWNED.search(site or "")
    name = site[:match.start()].strip() if match else ""
    return [name] if person_like(name) else []
