"""Stage 3: metadata: title, byline, dates, language, site name, description, canonical URL.

Sources in order of trust: JSON-LD (``@graph`` and lists included; article types
first), microdata (``itemprop``), OpenGraph / Twitter / Dublin Core ``<meta>``, then
markup (``<title>``, ``<h1>``, ``rel=author`` and byline classes, ``<time>``). Runs on
the uncleaned tree, because it needs ``<script type=application/ld+json>`` and ``<head>``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from archiver.parser import dates, selectors as S
from archiver.parser.byline import byline, split_names  # noqa: F401 - split_names: used by profile.py
from archiver.parser.dates import iso_date
from archiver.parser.title import headline, headline_element, page_h1s
from archiver.parser.tree import norm, text_of


@dataclass
class Metadata:
    """What the page says about itself, before the body is looked at."""

    title: str | None = None
    byline: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    page_type: str | None = None
    base_url: str = ""
    article_body: str | None = None


# --- JSON-LD -----------------------------------------------------------------------

def _json_loads(raw: str):
    """A JSON-LD script's value, tolerating CDATA wrappers and trailing junk; None if invalid."""
    raw = raw.strip()
    raw = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$", "", raw).strip().rstrip(";")
    try:
        return json.loads(raw)
    except ValueError:
        try:
            return json.loads(re.sub(r"[\x00-\x1f]", " ", raw))
        except ValueError:
            return None


def _flatten(value, out: list, depth: int = 0) -> list:
    """All dicts of a JSON-LD value, lists and ``@graph`` unpacked, top level first."""
    if depth > 6:
        return out
    if isinstance(value, list):
        for item in value:
            _flatten(item, out, depth + 1)
    elif isinstance(value, dict):
        out.append(value)
        if "@graph" in value:
            _flatten(value["@graph"], out, depth + 1)
    return out


def _types(obj: dict) -> set[str]:
    """The lower-case ``@type`` names of a JSON-LD object."""
    value = obj.get("@type") or []
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def jsonld_article(root) -> dict:
    """The JSON-LD object that describes the article (an Article type first), or {}."""
    objects: list[dict] = []
    for script in root.iter("script"):
        if "ld+json" in (script.get("type") or "").lower() and script.text:
            _flatten(_json_loads(script.text), objects)
    best, best_rank = {}, 99
    for obj in objects:
        types = _types(obj) & S.ARTICLE_TYPES
        if not types:
            continue
        rank = 2 if types <= {"webpage", "creativework", "medicalwebpage"} else 0
        if "headline" not in obj:
            rank += 1
        if rank < best_rank:
            best, best_rank = obj, rank
    if best:
        best = dict(best)
        best["_objects"] = objects
    return best


def _ld_text(value) -> str | None:
    """A plain string from a JSON-LD value that may be a string, dict or list."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return norm(str(value)) if isinstance(value, (str, int, float)) and str(value).strip() else None


# --- <meta> -----------------------------------------------------------------------

def meta_values(root) -> dict[str, str]:
    """``<meta>`` contents by lower-case name/property/itemprop (each key's first value).

    Repeated keys (several ``article:author``) are also kept, joined by " | ", under
    ``"all:" + key``.
    """
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for key in (meta.get("property"), meta.get("name"), meta.get("itemprop"),
                    meta.get("http-equiv")):
            if key:
                for part in key.lower().split():
                    if part in values:
                        values["all:" + part] = values.get("all:" + part, values[part]) + " | " + norm(content)
                    values.setdefault(part, norm(content))
    return values


def first_meta(values: dict[str, str], keys: tuple[str, ...]) -> str | None:
    """The first non-empty value among ``keys``."""
    for key in keys:
        if values.get(key):
            return values[key]
    return None


# --- dates -------------------------------------------------------------------------

#: The elements of the two microdata dates, read in one scan of the tree (by their attributes: a predicate on
#: each element's ``@itemprop`` costs twice as much).
_DATE_PROPS = etree.XPath("descendant-or-self::*/@itemprop[. = 'datePublished' or . = 'dateModified']/..")


def markup_dates(root) -> dict[str, str]:
    """The first date of ``itemprop=datePublished`` and of ``itemprop=dateModified``, by prop (one scan)."""
    found: dict[str, str] = {}
    for el in _DATE_PROPS(root):
        prop = el.get("itemprop")
        if prop not in found:
            value = iso_date(el.get("content") or el.get("datetime") or text_of(el))
            if value:
                found[prop] = value
    return found


def markup_date(root, prop: str, props: dict[str, str] | None = None) -> str | None:
    """A date from ``itemprop=prop`` or the first ``<time datetime>`` (published only); ``props``: the
    page's ``markup_dates`` when read already."""
    found = (markup_dates(root) if props is None else props).get(prop)
    if found or prop != "datePublished":
        return found
    for el in root.iter("time"):
        value = el.get("datetime") and iso_date(el.get("datetime"))
        if value:
            return value
    return None


# --- title ---------------------------------------------------------------------------

def page_title(root) -> str | None:
    """The ``<title>`` text."""
    for el in root.iter("title"):
        text = text_of(el)
        if text:
            return text
    return None


# --- everything --------------------------------------------------------------------

def base_url(root, url: str) -> str:
    """The base for relative links: ``<base href>`` resolved against ``url``."""
    for el in root.iter("base"):
        href = el.get("href")
        if href:
            return urljoin(url, href.strip())
    return url


def canonical(root, values: dict[str, str], base: str) -> str | None:
    """``<link rel=canonical>`` or ``og:url`` made absolute."""
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return urljoin(base, link.get("href").strip())
    if values.get("og:url"):
        return urljoin(base, values["og:url"])
    return None


def language(root, values: dict[str, str], ld: dict) -> str | None:
    """BCP 47 language from ``<html lang>``, ``<meta>`` or JSON-LD."""
    lang = root.get("lang") or root.get("xml:lang") or ""
    if not lang:
        lang = first_meta(values, S.LANGUAGE_META) or _ld_text(ld.get("inLanguage")) or ""
    lang = lang.strip().replace("_", "-").split(",")[0].strip()
    return lang if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", lang) else None


def site_name(values: dict[str, str], ld: dict) -> str | None:
    """The site name from OpenGraph, JSON-LD publisher or ``<meta>``."""
    return (values.get("og:site_name") or _ld_text(ld.get("publisher"))
            or first_meta(values, S.SITE_META[1:]))


def title(root, values: dict[str, str], ld: dict, site: str | None) -> str | None:
    """The headline: the ``<h1>`` that the JSON-LD / ``<meta>`` / ``<title>`` titles agree with, else the first of those."""
    titles = [_ld_text(ld.get("headline"))] + [values.get(k) for k in S.TITLE_META]
    return headline(page_h1s(root), [t for t in titles if t], site, page_title(root))


def page_type(values: dict[str, str], ld: dict) -> str | None:
    """``article`` or ``listing`` when the page declares which (JSON-LD type, ``og:type``), else None."""
    ld_types = _types(ld) if ld else set()
    if ld_types - {"webpage", "creativework", "medicalwebpage"}:
        return "article"
    declared = (values.get("og:type") or "").lower()
    if declared in S.OG_ARTICLE_TYPES:
        return "article"
    objects = ld.get("_objects", []) if ld else []
    if declared in S.LISTING_TYPES or any(_types(obj) & S.LISTING_TYPES for obj in objects):
        return "listing"
    return None


def extract(root, url: str) -> Metadata:
    """All metadata of the page rooted at ``root`` fetched from ``url``."""
    ld = jsonld_article(root)
    values = meta_values(root)
    base = base_url(root, url)
    site = site_name(values, ld)
    headline_text = title(root, values, ld, site)
    h1 = headline_element(root, headline_text)
    near = dates.header(h1) if h1 is not None else None
    in_ld, in_meta = iso_date(_ld_text(ld.get("datePublished"))), iso_date(first_meta(values, S.PUBLISHED_META))
    in_modified = iso_date(_ld_text(ld.get("dateModified")) or first_meta(values, S.MODIFIED_META))
    props = markup_dates(root) if not (in_ld or in_meta) or not in_modified else {}
    stated = in_ld or in_meta or markup_date(root, "datePublished", props)
    return Metadata(
        title=headline_text,
        byline=byline(root, values, ld, site, near),
        published=dates.published(root, near, stated, url, ld_only=bool(in_ld) and not in_meta),
        modified=in_modified or props.get("dateModified"),
        language=language(root, values, ld),
        site_name=site,
        description=first_meta(values, S.DESCRIPTION_META) or _ld_text(ld.get("description")),
        canonical_url=canonical(root, values, base) or url,
        page_type=page_type(values, ld),
        base_url=base,
        article_body=ld.get("articleBody") if isinstance(ld.get("articleBody"), str) else None,
    )
