"""Dates: parsing date strings, and the date a page shows its readers next to the headline.

``iso_date`` turns a date string of metadata ("2015-03-25T10:00:00Z", an RFC 2822 date,
"March 25, 2015") into ISO 8601. ``header_dates`` reads the text around the headline (the
``<h1>``): the dateline a reader sees ("Updated August 19, 2025", "12.12.2025",
``<time datetime>``), each with the label in front of it (published or updated). ``published``
weighs them against the metadata's date (``chosen``) and falls back on a lone dateline elsewhere on
the page (``page_dateline``), then htmldate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from lxml import etree

from archiver.parser.tree import norm

_MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
_TEXT_DATE = re.compile(r"\b([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b|\b(\d{1,2})\.?\s+([a-z]{3})[a-z]*\.?\s+(\d{4})\b", re.I)
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")

#: Years a publication date may have; a later one (beyond tomorrow) is a typo or a countdown.
MIN_YEAR = 1990


def iso_date(value: str | None) -> str | None:
    """``value`` as ISO 8601 (date, or date-time with offset when given), or None."""
    if not value:
        return None
    value = norm(value)
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", value) else value)
        return parsed.isoformat() if len(value) > 10 else parsed.date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    return _loose_date(value)


def _loose_date(value: str) -> str | None:
    """A date found anywhere in ``value`` ("2015-03-25", "March 25, 2015", "25 Mar 2015")."""
    try:
        match = _ISO_DATE.search(value)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        match = _TEXT_DATE.search(value)
        if match:
            if match[1]:
                month, day, year = _MONTHS.get(match[1].lower()), int(match[2]), int(match[3])
            else:
                day, month, year = int(match[4]), _MONTHS.get(match[5].lower()), int(match[6])
            if month:
                return date(year, month, day).isoformat()
    except ValueError:
        return None
    return None


def plausible(value: str | None) -> str | None:
    """``value`` (ISO 8601) if its year is at least ``MIN_YEAR`` and it is not after tomorrow."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return value if day.year >= MIN_YEAR and day <= date.today() + timedelta(days=1) else None


# --- the dateline near the headline ---------------------------------------------------------

_MONTH = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
#: A date as a page shows it: "Aug. 19, 2025", "19 August 2025", "2025-08-19", "19.08.2025", "8/19/2025".
SHOWN_DATE = re.compile(
    rf"\b{_MONTH}\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})\b"
    rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{_MONTH.replace('mon', 'mon2')}\.?,?\s+(?P<y2>\d{{4}})\b"
    r"|\b(?P<y3>\d{4})[-/.](?P<m3>\d{1,2})[-/.](?P<d3>\d{1,2})\b"
    r"|\b(?P<d4>\d{1,2})\.(?P<m4>\d{1,2})\.(?P<y4>\d{4})\b"
    r"|\b(?P<m5>\d{1,2})/(?P<d5>\d{1,2})/(?P<y5>\d{4})\b",
    re.I)
#: The label in front of a date, last one wins: "Published", "Updated", "Last modified".
_LABEL = re.compile(
    r"(?P<pub>publi[cs]\w*|posted|released|created|written|originally|erschienen|veröffentlicht|publié|publicado)"
    r"|(?P<upd>updated?|modified|last\s+edited|edited|reviewed|revised|fact[- ]checked|aktualisiert|mis à jour|actualizado)",
    re.I)
#: Characters read before the headline (a kicker or "Last updated" above it) and after it.
BEFORE_CHARS = 300
AFTER_CHARS = 1200
#: A text node longer than this is prose, not a dateline.
MAX_DATELINE = 160
_SKIP = frozenset(("script", "style", "noscript", "template", "svg", "button", "select", "option", "title"))
_FOLLOWING = etree.XPath("following::text()[position() <= 200]")
_PRECEDING = etree.XPath("preceding::text()[position() <= 40]")


@dataclass
class ShownDate:
    """A date seen near the headline: ISO day, its label ("published", "updated" or ""), its order, and the
    other reading of an all-numeric day whose day and month could swap ("09.10.2024"), else ""."""

    day: str
    label: str
    order: int
    swapped: str = ""


def _shown_date(match: re.Match) -> str | None:
    """The ISO day of a ``SHOWN_DATE`` match, or None if it is not a real day."""
    g = match.groupdict()
    try:
        if g["mon"]:
            return date(int(g["y1"]), _MONTHS[g["mon"][:3].lower()], int(g["d1"])).isoformat()
        if g["mon2"]:
            return date(int(g["y2"]), _MONTHS[g["mon2"][:3].lower()], int(g["d2"])).isoformat()
        if g["y3"]:
            return date(int(g["y3"]), int(g["m3"]), int(g["d3"])).isoformat()
        if g["y4"]:
            return date(int(g["y4"]), int(g["m4"]), int(g["d4"])).isoformat()
        month, day = int(g["m5"]), int(g["d5"])
        if month > 12:
            month, day = day, month
        return date(int(g["y5"]), month, day).isoformat()
    except ValueError:
        return None


def _swapped(match: re.Match) -> str:
    """The ISO day of an all-numeric ``SHOWN_DATE`` match read with day and month swapped, or "" if only one
    reading is a day ("25/12/2024") or both are the same."""
    g = match.groupdict()
    month, day, year = (g["d4"], g["m4"], g["y4"]) if g["y4"] else (g["d5"], g["m5"], g["y5"])
    if not year or int(month) == int(day) or int(month) > 12 or int(day) > 12:
        return ""
    return date(int(year), int(month), int(day)).isoformat()


def _label(before: str) -> str:
    """"published" or "updated" from the last label word in ``before``, else ""."""
    found = ""
    for match in _LABEL.finditer(before[-40:]):
        found = "published" if match["pub"] else "updated"
    return found


def _texts(nodes, limit: int, reverse: bool = False) -> list[tuple[str, object]]:
    """Visible text nodes (with their element) up to ``limit`` characters, in document order."""
    out, total = [], 0
    for node in nodes:
        parent = node.getparent()
        el = parent.getparent() if node.is_tail else parent
        if parent is None or parent.tag in _SKIP or (el is not None and el.tag in _SKIP):
            continue
        text = " ".join(node.split())
        if not text:
            continue
        out.append((text, parent))
        total += len(text)
        if total >= limit:
            break
    return out[::-1] if reverse else out


def _time_value(el) -> str | None:
    """The ISO day of a ``<time datetime>`` element (or its parent), else None."""
    for node in (el, el.getparent()):
        if node is not None and node.tag == "time" and node.get("datetime"):
            value = plausible(iso_date(node.get("datetime")))
            if value:
                return value[:10]
    return None


def header_texts(h1, before: int = BEFORE_CHARS, after: int = AFTER_CHARS) -> list[tuple[str, object]]:
    """The visible text nodes around the headline ``h1`` (with their element), in document order."""
    return (_texts(reversed(_PRECEDING(h1)), before, reverse=True) if before else []) + _texts(_FOLLOWING(h1), after)


@dataclass
class Header:
    """The visible text nodes (with their element) around the headline, read once for the dateline and the
    byline: ``before`` it and ``after`` it, each in document order."""

    before: list[tuple[str, object]]
    after: list[tuple[str, object]]

    def texts(self, before: int = BEFORE_CHARS, after: int = AFTER_CHARS) -> list[tuple[str, object]]:
        """The text nodes within ``before`` characters before the headline and ``after`` after it (at most the
        ``BEFORE_CHARS`` and ``AFTER_CHARS`` read), in document order."""
        return _within(self.before[::-1], before)[::-1] + _within(self.after, after)


def header(h1) -> Header:
    """The text around the headline ``h1``, ``BEFORE_CHARS`` before it and ``AFTER_CHARS`` after it."""
    return Header(_texts(reversed(_PRECEDING(h1)), BEFORE_CHARS, reverse=True), _texts(_FOLLOWING(h1), AFTER_CHARS))


def _within(texts: list[tuple[str, object]], limit: int) -> list[tuple[str, object]]:
    """The first of ``texts`` up to ``limit`` characters, as ``_texts`` would have stopped reading them."""
    total = 0
    for count, (text, _el) in enumerate(texts, 1):
        total += len(text)
        if total >= limit:
            return texts[:count]
    return texts


def header_dates(near: Header) -> list[ShownDate]:
    """The dates shown near the headline (the text ``near`` it), with their labels, in document order."""
    found: list[ShownDate] = []
    previous = ""
    for order, (text, el) in enumerate(near.texts()):
        if len(text) <= MAX_DATELINE:
            _collect(text, el, previous, order, found)
        previous = (previous + " " + text)[-60:]
    return found


def _collect(text: str, el, previous: str, order: int, found: list[ShownDate]) -> None:
    """Add the dates of one short text node (or its ``<time datetime>``) to ``found``."""
    timed = _time_value(el)
    matches = list(SHOWN_DATE.finditer(text))
    if timed:
        label = _label(previous + " " + (text[:matches[0].start()] if matches else text))
        found.append(ShownDate(_read(matches[0], timed) if matches else timed, label, order))
        return
    for match in matches:
        day, label = plausible(_shown_date(match)), _label(previous + " " + text[:match.start()])
        if day and (label or len(text) <= PAGE_DATELINE or _alone(text, match)):
            found.append(ShownDate(day, label, order, _swapped(match)))


def _read(match: re.Match, timed: str) -> str:
    """The day a reader sees in a ``<time>`` element (``match``) when it is the day of its ``datetime``
    (``timed``) in another time zone, else that ``datetime``'s day."""
    day = plausible(_shown_date(match))
    if day and abs((date.fromisoformat(day) - date.fromisoformat(timed)).days) == 1:
        return day
    return timed


# --- the publication date -------------------------------------------------------------------

def chosen(shown: list[ShownDate], stated: str | None, ld_only: bool = False) -> str | None:
    """The publication date from the dateline and the page's metadata (``stated``; ``ld_only`` when only the
    JSON-LD states it, no ``<meta>``).

    The metadata's date wins when the first date shown by the headline is its day (in some time zone, or
    read with day and month swapped), or when that first date has no label and a later one is its day (the
    first is another item's, or the last update). Otherwise the shown date wins unless it is labelled
    "updated": then the date the metadata states (the original publication) comes first, and the updated
    one only stands in for it, except against a date the JSON-LD alone states.
    """
    first = shown[0] if shown else None
    if first and stated and (agrees(first.day, stated) or stated[:10] == first.swapped
                             or not first.label and any(agrees(later.day, stated) for later in shown[1:])):
        return stated
    if first and (first.label != "updated" or ld_only):
        return first.day
    return stated or (first.day if first else None)


def agrees(day: str, stated: str) -> bool:
    """Whether the date-time ``stated`` (ISO 8601) falls on ``day`` in some time zone (UTC-12 to UTC+14)."""
    if stated[:10] == day:
        return True
    try:
        moment = datetime.fromisoformat(stated)
    except ValueError:
        return False
    if moment.tzinfo is None:
        return False
    utc = moment.astimezone(timezone.utc)
    return (utc - timedelta(hours=12)).date().isoformat() <= day <= (utc + timedelta(hours=14)).date().isoformat()


#: Short text nodes of the page, where a dateline the headline did not lead to may stand (``//body//text()``
#: spelt with the descendant axis: libxml2 builds no node set of every node for the ``//`` steps).
_SHORT_TEXTS = etree.XPath("/descendant::body/descendant::text()[string-length(normalize-space()) > 5 and "
                           "string-length(normalize-space()) <= $limit]")
#: A text node longer than this is no dateline when read anywhere on the page.
PAGE_DATELINE = 60


def page_dateline(root) -> str | None:
    """The first day shown anywhere on the page in a short text that is a dateline: one date, alone or with a
    label ("Last updated: November 13, 2025"), for a page whose headline leads to none."""
    for node in _SHORT_TEXTS(root, limit=PAGE_DATELINE):
        holder = node.getparent().getparent() if node.is_tail else node.getparent()
        if holder is None or holder.tag in _SKIP:
            continue
        matches = list(SHOWN_DATE.finditer(node))
        if len(matches) == 1 and _alone(str(node), matches[0]):
            day = plausible(_shown_date(matches[0]))
            if day:
                return day
    return None


#: What a dateline may hold beside its date and label: punctuation, digits (a time of day), a weekday, "on", "at".
_FILLER = re.compile(r"[\W\d_]+|\b(?:on|at|the|by|last|[ap]m|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)\b", re.I)


def _alone(text: str, match: re.Match) -> bool:
    """Whether the date ``match`` stands alone in ``text``, but for a label, a time of day and punctuation."""
    rest = _LABEL.sub(" ", text[:match.start()] + " " + text[match.end():])
    return not _FILLER.sub("", rest)


def guessed(root, url: str) -> str | None:
    """The publication date htmldate finds in the page (URL, markup, then text), or None."""
    from htmldate import find_date  # imported late: only pages with no date pay for it

    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    try:
        found = find_date(etree.tostring(root, encoding="unicode"), url=url or None,
                          original_date=True, extensive_search=False, max_date=tomorrow)
    except Exception:  # noqa: BLE001 - a helper library's failure means "no date", never a failed parse
        return None
    return plausible(found)


#: A full date in a URL's path: "/2025/09/04/", "/2023/october/03/", "/2025-09-04-".
_URL_DATE = re.compile(
    rf"/(?P<y>(?:19|20)\d\d)/(?:(?P<m>[01]?\d)|{_MONTH})/(?P<d>[0-3]?\d)(?:/|$)"
    r"|/(?P<y2>(?:19|20)\d\d)-(?P<m2>[01]\d)-(?P<d2>[0-3]\d)(?:[/_-]|$)", re.I)


def url_day(url: str) -> str | None:
    """The ISO day a URL's path states ("/2025/09/04/slug"), or None."""
    match = _URL_DATE.search(urlsplit(url or "").path)
    if not match:
        return None
    try:
        if match["y2"]:
            return plausible(date(int(match["y2"]), int(match["m2"]), int(match["d2"])).isoformat())
        month = int(match["m"]) if match["m"] else _MONTHS[match["mon"][:3].lower()]
        return plausible(date(int(match["y"]), month, int(match["d"])).isoformat())
    except ValueError:
        return None


def published(root, near: Header | None, stated: str | None, url: str, ld_only: bool = False) -> str | None:
    """The publication date: the day the URL states, else the dateline by the headline (the text ``near`` it),
    the metadata's (``ld_only``: stated by the JSON-LD alone), a dateline elsewhere on the page, else
    htmldate's. The metadata's date-time stands for a day it agrees with."""
    stated = plausible(stated)
    in_url = url_day(url)
    if in_url:
        return stated if stated and stated[:10] == in_url else in_url
    shown = header_dates(near) if near is not None else []
    return chosen(shown, stated, ld_only) or page_dateline(root) or guessed(root, url)
