"""Stage 4: tree cleaning: prune what a reader never sees.

Runs after metadata (which still needs JSON-LD scripts and ``<meta>``) and before the
block stages. Removes scripts, styles, embedded objects and form controls, and every
element hidden by ``hidden``, ``aria-hidden="true"`` or an inline ``display:none`` /
``visibility:hidden`` style. Tails of removed elements are kept.

Two removals would take a whole article on some pages, and are checked first:

- a control (``<button>``, ``<label>``, ``<dialog>``) that holds paragraphs or headings is a
  parse accident (an end tag libxml2 did not honour): its content is kept, the control unwrapped;
- React's streamed segments (``<div hidden id="S:3">``, which a script moves into the
  placeholder ``<template id="B:3">`` or ``"P:3"`` at once) are put where the script puts them,
  in place of the placeholder's short loading fallback ("Loading paragraph...");
- any other element with the ``hidden`` attribute that holds most of the page's text is not
  hidden from readers.

For a page that is not an article (the page mode), a closed panel (a tab, an accordion's fold,
an expander: :func:`is_panel`) is content a reader opens with a click, and is kept.
"""

from __future__ import annotations

import re

from lxml import etree

from archiver.parser.selectors import DROP_TAGS, NOT_PANEL_ATTR, OVERLAY_ATTR, PANEL_ATTR
from archiver.parser.tree import attrs, drop, tag, text_len

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_KEEP_ARIA_HIDDEN = re.compile(r"fallback-image|mwe-math|mjx", re.I)
_SEGMENTS = etree.XPath("//div[@hidden][starts-with(@id, 'S:')]")
_PLACEHOLDERS = etree.XPath("//template[starts-with(@id, 'B:') or starts-with(@id, 'P:')]")
#: A loading fallback: an element with at most this many words right after a placeholder.
_FALLBACK_WORDS = 4
#: Controls whose content libxml2 may swallow the page into, and what shows it did.
_CONTROLS = ("button", "label", "dialog")
_CONTENT_TAGS = ("p", "h1", "h2", "h3", "article", "main", "section")
#: A hidden element with more than this share of the body's text is kept.
_MOST_OF_PAGE = 0.5
#: ARIA roles of a closed panel, and of hidden blocks that are never one.
_PANEL_ROLES = frozenset({"tabpanel"})
_NOT_PANEL_ROLES = frozenset({"dialog", "alertdialog", "navigation", "menu", "menubar", "presentation", "banner",
                              "contentinfo", "search"})
_OVERLAY_ROLES = frozenset({"dialog", "alertdialog"})


def is_hidden(el) -> bool:
    """Whether ``el`` is hidden from readers by an attribute or inline style."""
    get = el.get
    if get("hidden") is not None:
        return True
    if get("aria-hidden") == "true" and not _KEEP_ARIA_HIDDEN.search(get("class") or ""):
        return True
    style = get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def is_panel(el) -> bool:
    """Whether hidden ``el`` is a closed panel (a tab, an accordion's fold), not a menu or an
    overlay, nor inside one (a popover's tabs)."""
    role = (el.get("role") or "").lower()
    if role in _NOT_PANEL_ROLES or role not in _PANEL_ROLES and not PANEL_ATTR.search(attrs(el)):
        return False
    return not NOT_PANEL_ATTR.search(attrs(el)) and not any(is_overlay(x) for x in el.iterancestors()
                                                             if tag(x) not in ("body", "html"))


def is_overlay(el) -> bool:
    """Whether ``el`` is a dialog, a popover or another overlay, by its role or class/id."""
    return (el.get("role") or "").lower() in _OVERLAY_ROLES or bool(OVERLAY_ATTR.search(attrs(el)))


def maybe_hidden(root) -> list:
    """The elements with a ``hidden``, ``aria-hidden="true"`` or ``style`` attribute, in page order
    (one walk in Python reads the attributes faster than the XPath ``//*[@hidden or ...]``)."""
    return [el for el in root.iter(etree.Element)
            if el.get("style") is not None or el.get("hidden") is not None or el.get("aria-hidden") == "true"]


def unwrap_swallowing_controls(root) -> None:
    """Turn controls, and ``javascript:`` links, that hold paragraphs or headings into plain
    ``<div>`` s (content kept: such a link leads nowhere, its text is the page's)."""
    for el in list(root.iter(*_CONTROLS, "a")):
        if el.tag == "a" and not (el.get("href") or "").strip().lower().startswith("javascript:"):
            continue
        if next(el.iterdescendants(*_CONTENT_TAGS), None) is not None:
            el.attrib.clear()
            el.tag = "div"


def move_keeping_tail(el, target) -> None:
    """Move ``el`` just before ``target``; its tail text stays where it was."""
    tail, el.tail = el.tail, None
    if tail:
        previous, parent = el.getprevious(), el.getparent()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    target.addprevious(el)


def place_streamed_segments(root) -> None:
    """Move React's streamed segments into their placeholders, as its inline script does."""
    segments = _SEGMENTS(root)
    if not segments:
        return
    placeholders = {el.get("id"): el for el in _PLACEHOLDERS(root)}
    for segment in segments:
        suffix = segment.get("id")[2:]
        boundary = placeholders.get("B:" + suffix)
        target = boundary if boundary is not None else placeholders.get("P:" + suffix)
        if target is None or any(anc is segment for anc in target.iterancestors()):
            continue
        fallback = target.getnext() if boundary is not None else None
        if (fallback is not None and tag(fallback) and tag(fallback) != "template"
                and len(" ".join(fallback.itertext()).split()) <= _FALLBACK_WORDS):
            drop(fallback)
        move_keeping_tail(segment, target)
        del segment.attrib["hidden"]


def prune(root, keep_panels: bool = False) -> None:
    """Remove invisible and non-text elements from ``root`` in place (tails kept); with
    ``keep_panels``, closed panels stay."""
    strip(root)
    drop_hidden(root, hidden(root), keep_panels)


def strip(root) -> None:
    """The first steps of :func:`prune`: swallowing controls unwrapped, streamed segments placed,
    non-text elements removed."""
    unwrap_swallowing_controls(root)
    place_streamed_segments(root)
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)


def hidden(root) -> list:
    """The hidden elements under ``root``'s body, in page order, each with whether it is a closed panel."""
    return [(el, is_panel(el)) for el in maybe_hidden(root) if tag(el) not in ("html", "body") and is_hidden(el)]


def drop_hidden(root, found: list, keep_panels: bool = False) -> None:
    """Remove the hidden elements ``found`` (:func:`hidden`), closed panels kept with ``keep_panels``;
    one with the ``hidden`` attribute that holds most of the page's text stays."""
    drops = [el for el, panel in found if not (keep_panels and panel)]
    if not drops:
        return
    body = root.find("body")
    limit = _MOST_OF_PAGE * text_len(body if body is not None else root)
    for el in drops:
        if el.get("hidden") is None or text_len(el) <= limit:
            drop(el)
