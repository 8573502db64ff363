"""Stage 4b: a per-site profile (:mod:`archiver.parser.profiles`) applied before the generic rules.

Metadata fields with a selector replace the generic value when the selector matches;
``remove``, ``[boilerplate]``, ``bio`` and ``related_links`` blocks are taken out of the
tree before the generic block stages run; a ``body`` selector gives the content element
instead of the generic scoring. Selectors that match nothing leave the generic rules in charge.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from lxml import etree
from lxml.cssselect import CSSSelector

from archiver.parser import boilerplate, related
from archiver.parser.metadata import Metadata, iso_date, split_names
from archiver.parser.sections import Sections
from archiver.parser.tree import attached, block_text, drop, text_of


@lru_cache(maxsize=512)
def compiled(selectors: tuple[str, ...]) -> CSSSelector:
    """One compiled selector group for ``selectors`` (HTML rules: tag names case-insensitive)."""
    return CSSSelector(", ".join(selectors), translator="html")


def _outermost(elements: list) -> list:
    """``elements`` without those inside another of them, in page order."""
    chosen = set(elements)
    return [el for el in elements if not any(a in chosen for a in el.iterancestors())]


def select(root, selectors: tuple[str, ...] | None) -> list:
    """The outermost elements of ``root`` matching ``selectors``, in page order."""
    return _outermost(compiled(selectors)(root)) if selectors else []


def _date_of(el) -> str | None:
    """An ISO 8601 date from an element's ``datetime`` / ``content`` attribute, else its text."""
    return iso_date(el.get("datetime") or el.get("content") or text_of(el))


def _names(elements: list) -> list[str]:
    """Author names from byline elements, once each."""
    names: list[str] = []
    for el in elements:
        names += [n for n in split_names(text_of(el)) if n not in names]
    return names


def override_metadata(meta: Metadata, root, profile) -> Metadata:
    """``meta`` with the title, byline and publication date the profile's selectors find."""
    found: dict = {}
    titles = [t for t in map(text_of, select(root, profile.selectors.get("title"))) if t]
    if titles:
        found["title"] = titles[0]
    names = _names(select(root, profile.selectors.get("byline")))
    if names:
        found["byline"] = names
    dates = [d for d in map(_date_of, select(root, profile.selectors.get("published"))) if d]
    if dates:
        found["published"] = dates[0]
    return replace(meta, **found) if found else meta


def _take_boilerplate(root, profile) -> list[dict]:
    """Remove ``remove`` and ``[boilerplate]`` blocks; return their records."""
    groups = [(None, profile.selectors.get("remove"))] + list(profile.boilerplate.items())
    records = []
    for kind, selectors in groups:
        for el in select(root, selectors):
            if attached(el, root):
                text = boilerplate.record_text(el)
                if text:
                    records.append(boilerplate.record(kind or boilerplate.classify(el), text))
                drop(el)
    return records


def _take_bios(root, profile) -> list[str]:
    """Remove ``bio`` blocks; return one text per block."""
    bios = []
    for el in select(root, profile.selectors.get("bio")):
        text = block_text(el)
        if text and text not in bios:
            bios.append(text)
        drop(el)
    return bios


def take(root, profile, base: str, page_url: str) -> Sections:
    """Take the profile's boilerplate, bio and related blocks out of ``root``."""
    records = _take_boilerplate(root, profile)
    bios = _take_bios(root, profile)
    blocks = [[el] for el in select(root, profile.selectors.get("related_links"))]
    links = related.take(root, blocks, base, page_url, trusted=True)
    return Sections(related_links=links, bios=bios, boilerplate=records)


def content(root, profile):
    """The profile's body as one ``<div>`` (its matches moved into it), or None."""
    matches = select(root, profile.selectors.get("body"))
    if not matches:
        return None
    div = etree.Element("div")
    for el in matches:
        el.tail = None
        div.append(el)
    return div
