"""Is this page an article? The page's kind, from what the page object already holds.

:func:`signals` reads the uncleaned tree once, before the stages change it: JSON-LD
``@type`` names and keys, ``og:type`` and the other ``<meta>`` names, the ``<html>`` /
``<body>`` class vocabulary (WordPress ``single-post``, ``woocommerce``, ...), element counts
(one pass over the elements of the counted tags: headings, paragraphs, list items, forms,
buttons, ``<time>`` ...; one C-level XPath each for long paragraphs, list items with links,
linked headings ...), words in the class / ``itemprop`` / ``rel`` values
(price, author, card, comment, user ...), the length of the page's text and link text, and a
listing's teasers: the largest group of headline links of one shape (tag and class of the link and
its ancestors) and the share of the page's text their teasers hold. :func:`features` adds the URL's shape (dated
path, slug, ``/category/``, ``/forum/``, ``/docs/``, ``/services/`` ...), the metadata (date,
byline, declared type), the title, what the stages took out (author bio, related links,
share bars) and the extracted body (length, prose paragraphs, link density, who it
speaks for: "we" and "you" copy is a service page's, "I" a forum post's).
:func:`is_article` weighs the features with one logistic model per page type (article, forum,
product, ... each against the rest) and compares the article model's log-odds with the others';
the weights (:mod:`archiver.parser.kind_weights`) ``training/train_kind.py`` fits on page types
and validates on held-out domains.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from archiver.parser.kind_weights import BIAS, THRESHOLD, WEIGHTS

# --- signals of the uncleaned tree -----------------------------------------------------

_LD_TYPE = re.compile(r'"@type"\s*:\s*("[^"]*"|\[[^\]]*\])')
_LD_KEY = re.compile(r'"(author|datePublished|headline|articleBody|offers|itemListElement)"\s*:')
_NAME = re.compile(r'"([^"]*)"')
_NO_DIGITS = str.maketrans("", "", "0123456789")
#: Link text at least this long reads as a headline; the ancestors that make a teaser's shape; links read at most.
HEADLINE_CHARS = 25
SHAPE_LEVELS = 4
MAX_HEADLINES = 300
#: Element counts by tag, from one pass over the elements of these tags.
_TAG_COUNTS = {"links": ("a",), "times": ("time",), "code": ("pre", "code"), "navs": ("nav", "aside"), "h1": ("h1",),
               "h2": ("h2",), "h3": ("h3",), "p": ("p",), "article_el": ("article",), "li": ("li",),
               "forms": ("form",), "inputs": ("input",), "selects": ("select",), "buttons": ("button",),
               "imgs": ("img",), "tables": ("table",), "quotes": ("blockquote",)}
_COUNTED_TAGS = tuple(tag for tags in _TAG_COUNTS.values() for tag in tags)
#: The other element counts, each one XPath run in C.
_COUNTS = {name: etree.XPath(expr) for name, expr in {
    "elements": "count(//*)",
    "p_long": "count(//p[string-length(normalize-space()) > 150])",
    "li_links": "count(//li[.//a])",
    "time_dt": "count(//time[@datetime])",
    "linked_heads": "count((//h2|//h3|//h4)[.//a])",
}.items()}
_CLASSES = etree.XPath("//@class|//@itemprop|//@rel", smart_strings=False)
#: Words counted in the page's class, ``itemprop`` and ``rel`` values (prices, author cards, product cards ...).
_CLASS_WORDS = {"price": ("price",), "authors": ("author", "byline"), "cards": ("card",), "comment_el": ("comment",),
                "posts_el": ("post",), "users_el": ("user", "member"), "breadcrumbs": ("breadcrumb",)}
_BODY_TEXT = etree.XPath("string-length(normalize-space(//body))")
_SCRIPT_TEXT = etree.XPath("//body//script/text()|//body//style/text()", smart_strings=False)
_LINK_TEXT = etree.XPath("//a//text()", smart_strings=False)
#: Links with a headline's length of text (a teaser's title, not a menu entry).
_HEADLINE_LINKS = etree.XPath(f"//body//a[string-length(normalize-space()) >= {HEADLINE_CHARS}]")
_TEXT_LENGTH = etree.XPath("string-length(normalize-space())")
#: The counts read as features ``c_<name>`` (besides the older ones above).
_LAYOUT = ("h1", "h2", "h3", "p", "p_long", "article_el", "li", "li_links", "forms", "inputs", "selects", "buttons",
           "time_dt", "imgs", "tables", "linked_heads", "quotes", *_CLASS_WORDS)


@dataclass
class Signals:
    """What the uncleaned page says about its kind."""

    ld_types: set[str] = field(default_factory=set)
    ld_keys: set[str] = field(default_factory=set)
    og_type: str = ""
    meta_names: set[str] = field(default_factory=set)
    label: str = ""
    page_class: str = ""
    counts: dict[str, float] = field(default_factory=dict)


def jsonld(root) -> tuple[set[str], set[str]]:
    """The lower-case JSON-LD ``@type`` names anywhere in the page, and the telling keys it uses."""
    types: set[str] = set()
    keys: set[str] = set()
    for script in root.iter("script"):
        if script.text and "ld+json" in (script.get("type") or "").lower():
            for match in _LD_TYPE.finditer(script.text):
                types.update(name.rsplit("/", 1)[-1].lower() for name in _NAME.findall(match.group(1)))
            keys.update(_LD_KEY.findall(script.text))
    return types, keys


def meta_tags(root) -> tuple[str, set[str], str]:
    """The ``og:type`` (lower case), the names of the ``<meta>`` tags, and ``twitter:label1`` (Yoast's "Written by")."""
    og, names, label = "", set(), ""
    for meta in root.iter("meta"):
        name = (meta.get("property") or meta.get("name") or "").lower()
        names.add(name)
        if name == "og:type" and not og:
            og = (meta.get("content") or "").strip().lower()
        elif name == "twitter:label1":
            label = (meta.get("content") or "").lower()
    return og, names, label


def page_class(root) -> str:
    """The class and id of ``<html>`` and ``<body>``, lower case."""
    body = root.find("body")
    values = [root.get("class"), root.get("id")]
    if body is not None:
        values += [body.get("class"), body.get("id")]
    return " ".join(v for v in values if v).lower()


def element_counts(root) -> dict[str, float]:
    """How many elements the page has, of each kind in ``_TAG_COUNTS`` and ``_COUNTS``."""
    tags = Counter(el.tag for el in root.iter(*_COUNTED_TAGS))
    counts = {name: float(sum(tags[tag] for tag in names)) for name, names in _TAG_COUNTS.items()}
    counts.update((name, float(count(root))) for name, count in _COUNTS.items())
    return counts


def class_counts(root) -> dict[str, float]:
    """How often each of ``_CLASS_WORDS`` occurs in the class, ``itemprop`` and ``rel`` values."""
    values = " ".join(_CLASSES(root)).lower()
    return {name: float(sum(values.count(w) for w in words)) for name, words in _CLASS_WORDS.items()}


def text_counts(root) -> dict[str, float]:
    """The length of the page's text, of the script text in it and of its link text."""
    return {"text_chars": float(_BODY_TEXT(root)),
            "script_chars": float(sum(map(len, _SCRIPT_TEXT(root)))),
            "link_chars": float(sum(len(t.strip()) for t in _LINK_TEXT(root)))}


def shape(link) -> tuple:
    """The tag and first class word (digits dropped) of ``link`` and its ``SHAPE_LEVELS`` nearest ancestors."""
    out, el = [], link
    for _ in range(SHAPE_LEVELS + 1):
        if el is None:
            break
        words = (el.get("class") or "").split()
        out.append((el.tag, words[0].translate(_NO_DIGITS) if words else ""))
        el = el.getparent()
    return tuple(out)


def teaser_items(links: list) -> list:
    """The elements, one per link, that hold ``links`` under their deepest common ancestor (the teasers)."""
    chains = [[*link.iterancestors()][::-1] + [link] for link in links]
    depth = len(chains[0])
    for chain in chains[1:]:
        same = next((n for n, (a, b) in enumerate(zip(chains[0], chain)) if a is not b), len(chain))
        depth = min(depth, same)
    items: list = []
    for chain in chains:
        item = chain[min(depth, len(chain) - 1)]
        if not items or items[-1] is not item:
            items.append(item)
    return items


def teaser_counts(root) -> dict[str, float]:
    """The largest group of headline links of one shape (a listing's teasers), and the text of their teasers."""
    groups: dict[tuple, list] = {}
    for link in _HEADLINE_LINKS(root)[:MAX_HEADLINES]:
        groups.setdefault(shape(link), []).append(link)
    links = max(groups.values(), key=len, default=[])
    if len(links) < 2:
        return {"teasers": float(len(links)), "teaser_chars": 0.0}
    items = teaser_items(links)
    return {"teasers": float(len(items)), "teaser_chars": float(sum(_TEXT_LENGTH(item) for item in items))}


def signals(root) -> Signals:
    """The signals of the uncleaned tree ``root``."""
    types, keys = jsonld(root)
    og, names, label = meta_tags(root)
    counts = element_counts(root)
    counts.update(text_counts(root))
    counts.update(teaser_counts(root))
    counts.update(class_counts(root))
    return Signals(types, keys, og, names, label, page_class(root), counts)


# --- features ----------------------------------------------------------------------------

_HTML = re.compile(r"\.s?html?$")
_YEAR = re.compile(r"(?:^|\D)(?:19[89]\d|20[0-3]\d)(?:\D|$)")
_DATED_PATH = re.compile(r"/(?:19|20)\d\d/[01]?\d/|/(?:19|20)\d\d-[01]\d-[0-3]\d|[/_-](?:19|20)\d\d[01]\d[0-3]\d")
_URL_WORDS = {
    "u_listing": re.compile(r"/(?:category|categories|tag|tags|topics?|section|archives?|page/\d+|authors?|search|"
                            r"list|index|latest|all)(?:/|$|\.)|[?&]page=", re.I),
    "u_product": re.compile(r"/(?:products?|shop|store|p|item|dp|collections?|buy|catalog)(?:/|$)", re.I),
    "u_forum": re.compile(r"/(?:forums?|threads?|t|topic|questions?|community|discussions?|boards?)(?:/|$)|"
                          r"viewtopic|showthread|reddit\.com/r/", re.I),
    "u_docs": re.compile(r"/(?:docs?|documentation|api|reference|manual|guides?|wiki|help|support|kb|learn|"
                         r"tutorials?)(?:/|$)", re.I),
    "u_article": re.compile(r"/(?:news|blogs?|articles?|story|stories|posts?|press|insights?|magazine|"
                            r"opinion|features?)(?:/|$)", re.I),
    "u_service": re.compile(r"/(?:services?|solutions?|pricing|about|contact|features|industries|plans|"
                            r"locations?|areas?)(?:/|$|-)", re.I),
}
_HOST_WORDS = {
    "h_article": re.compile(r"(?:www\.)?(?:blogs?|news|press|magazine)\."),
    "h_forum": re.compile(r"(?:www\.)?(?:forums?|community|discuss|answers|boards?)\."),
    "h_docs": re.compile(r"(?:www\.)?(?:docs?|developers?|learn|support|help|wiki|kb)\."),
    "h_shop": re.compile(r"(?:www\.)?(?:shop|store|buy)\."),
}
_LD_GROUPS = {
    "ld_article": frozenset("article newsarticle reportagenewsarticle analysisnewsarticle opinionnewsarticle "
                            "backgroundnewsarticle reviewnewsarticle blogposting liveblogposting "
                            "scholarlyarticle socialmediaposting report".split()),
    "ld_tech": frozenset({"techarticle", "apireference", "howto"}),
    "ld_product": frozenset({"product", "offer", "aggregateoffer", "productgroup", "individualproduct"}),
    "ld_faq": frozenset({"faqpage", "question", "qapage"}),
    "ld_forum": frozenset({"discussionforumposting", "comment"}),
    "ld_listing": frozenset({"collectionpage", "itemlist", "searchresultspage", "profilepage"}),
    "ld_service": frozenset({"service", "localbusiness", "professionalservice", "contactpage", "aboutpage",
                             "offercatalog"}),
    "ld_webpage": frozenset({"webpage"}),
    "ld_software": frozenset({"softwareapplication", "softwaresourcecode", "course", "event", "recipe"}),
}
_META_NAMES = ("article:published_time", "article:author", "article:section", "article:tag", "author",
               "product:price:amount", "og:price:amount")
_PAGE_CLASS = {
    "b_single": re.compile(r"\bsingle-post\b|\bpost-template|\bsingle-format|\barticle-template|"
                           r"\bnode-type-article|\bpage-node-type-article|\bpost-type-post\b|\bis-article\b|"
                           r"\bblog-post\b"),
    "b_archive": re.compile(r"\barchive\b|\bcategory\b|\btag\b|\btag-template|\bpaged\b|\bsearch-results\b|"
                            r"\bpost-type-archive\b"),
    "b_product": re.compile(r"product|woocommerce|shop|catalog"),
    "b_page": re.compile(r"\bpage-template|\bpage-id-|\bpage\b(?!-)"),
    "b_docs": re.compile(r"docs|documentation|wiki|sphinx|docusaurus|mkdocs|gitbook|theme-doc"),
    "b_forum": re.compile(r"forum|thread|topic|discourse|xenforo|phpbb|vbulletin|community"),
}
_TITLE_LISTING = re.compile(r"\b(?:news|blog|archives?|category|categories|tags?|topics?|latest|all|articles|"
                            r"posts|stories|collections?|shop|products|catalog|forums?|search|results|page \d+)\b", re.I)
_TITLE_SERVICE = re.compile(r"\b(?:services?|solutions?|company|agency|consult\w*|pricing|plans?|contact|about us|"
                            r"experts?|professional|near me|hire|software|platform|tools?|programs?|degree)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’)\]]*$")
_PUNCTUATION = str.maketrans({c: " " for c in ".,;:!?()[]{}\"'“”‘’«»…/|*"})
#: The start of the body that is read for its voice (enough to tell, and a bounded cost).
VOICE_CHARS = 4000
VOICE_BLOCKS = 60
_VOICES = {
    "w_we": ("we", "our", "us", "ours"),
    "w_you": ("you", "your", "yours"),
    "w_i": ("i", "my", "me", "mine"),
}
_CALLS_TO_ACTION = ("contact us", "get started", "request a quote", "request a demo", "free consultation",
                    "free quote", "free trial", "call us", "call now", "call today", "book a", "book now",
                    "schedule a", "sign up", "add to cart", "add to basket", "add to bag", "buy now", "learn more",
                    "shop now", "get a quote", "talk to")


def _log(value: float) -> float:
    """``log(1 + value)``."""
    return math.log1p(max(value, 0.0))


def url_features(url: str) -> dict[str, float]:
    """The URL's shape: a date in the path, slug words, depth, host and section words."""
    parts = urlsplit(url)
    host, path = (parts.hostname or "").lower(), parts.path or "/"
    segments = [s for s in path.split("/") if s]
    last = re.sub(r"\.[a-z]{2,5}$", "", segments[-1].lower()) if segments else ""
    words = [w for w in re.split(r"[-_+]", last) if w.isalpha()]
    out = {
        "u_dated": float(bool(_DATED_PATH.search(path))),
        "u_root": float(not segments),
        "u_depth": min(len(segments), 5) / 5,
        "u_slug": min(len(words), 10) / 10,
        "u_long_slug": float(len(words) >= 5),
        "u_query": float(bool(parts.query)),
        "u_slug_chars": min(len(last), 80) / 80,
        "u_html": float(bool(_HTML.search(path))),
        "u_year": float(bool(_YEAR.search(path))),
        "u_slash": float(path.endswith("/")),
        "u_two": float(len(segments) == 2),
    }
    target = host + path + ("?" + parts.query if parts.query else "")
    out.update((name, float(bool(pattern.search(target)))) for name, pattern in _URL_WORDS.items())
    out.update((name, float(bool(pattern.match(host)))) for name, pattern in _HOST_WORDS.items())
    return out


def signal_features(sig: Signals) -> dict[str, float]:
    """Declared types (JSON-LD, ``og:type``, ``<meta>`` names), page classes and element counts."""
    out = {name: float(bool(sig.ld_types & group)) for name, group in _LD_GROUPS.items()}
    out["ld_none"] = float(not sig.ld_types)
    out.update(("k_" + key, float(key in sig.ld_keys)) for key in
               ("author", "datePublished", "headline", "articleBody", "offers", "itemListElement"))
    out["og_article"] = float(sig.og_type in ("article", "blog", "news", "blogposting", "newsarticle"))
    out["og_product"] = float("product" in sig.og_type)
    out["og_website"] = float(sig.og_type == "website")
    out.update(("mk_" + name, float(name in sig.meta_names)) for name in _META_NAMES)
    out["mk_written_by"] = float("written by" in sig.label)
    out["mk_reading_time"] = float("reading time" in sig.label)
    out.update((name, float(bool(pattern.search(sig.page_class)))) for name, pattern in _PAGE_CLASS.items())
    c = sig.counts
    out["m_links_per_el"] = c.get("links", 0) / max(c.get("elements", 0), 1)
    out["m_times"] = _log(c.get("times", 0))
    out["m_code"] = _log(c.get("code", 0))
    out["m_navs"] = _log(c.get("navs", 0))
    out["m_h1"] = float(c.get("h1", 0) == 1)
    out.update(count_features(c))
    return out


def count_features(c: dict) -> dict[str, float]:
    """The page's elements by kind (headings, paragraphs, list items, forms, prices, cards ...) and its text's shape."""
    out = {"c_" + name: _log(c.get(name, 0)) / 5 for name in _LAYOUT}
    text = max(c.get("text_chars", 0) - c.get("script_chars", 0), 1)
    long_paragraphs = max(c.get("p_long", 0), 1)
    out["g_text"] = _log(text) / 12
    out["g_link_density"] = min(c.get("link_chars", 0) / text, 1.0)
    out["g_p_share"] = min(c.get("p_long", 0) / max(c.get("p", 0), 1), 1.0)
    out["g_li_links_per_p"] = _log(c.get("li_links", 0) / long_paragraphs) / 3
    out["g_linked_heads_per_p"] = _log(c.get("linked_heads", 0) / long_paragraphs) / 3
    out["r_teasers"] = _log(c.get("teasers", 0)) / 4
    out["r_teaser_share"] = min(c.get("teaser_chars", 0) / text, 1.0)
    return out


def meta_features(meta) -> dict[str, float]:
    """What the metadata states: dates, a byline, a declared type, and the title's shape."""
    title = meta.title or ""
    words = len(title.split())
    return {
        "d_published": float(bool(meta.published)),
        "d_modified": float(bool(meta.modified)),
        "d_byline": float(bool(meta.byline)),
        "d_declared_article": float(meta.page_type == "article"),
        "d_declared_listing": float(meta.page_type == "listing"),
        "w_title": min(words, 20) / 20,
        "w_short_title": float(words <= 3),
        "w_title_listing": float(bool(_TITLE_LISTING.search(title))),
        "w_title_service": float(bool(_TITLE_SERVICE.search(title))),
        "w_title_question": float("?" in title),
        "w_title_number": float(title[:1].isdigit()),
    }


def parts_features(parts: dict) -> dict[str, float]:
    """What the stages took out besides the body: author bios, related links, boilerplate by kind."""
    kinds = {b["kind"] for b in parts["boilerplate"]}
    out = {"p_bio": float(bool(parts["bio"])), "t_related": float(bool(parts["related"]))}
    out.update(("p_" + kind, float(kind in kinds)) for kind in ("share", "comments", "nav", "newsletter",
                                                                  "footer", "other"))
    return out


def body_features(blocks: list) -> dict[str, float]:
    """The extracted body: length, paragraphs, prose paragraphs, headings and links per block."""
    texts = [b.plain for b in blocks]
    chars = sum(map(len, texts))
    prose = sum(1 for b, t in zip(blocks, texts) if b.kind == "p" and len(t) >= 80 and _SENTENCE_END.search(t))
    n = max(len(blocks), 1)
    heads = [b for b in blocks if b.kind.startswith("h")]
    teasers = sum(1 for b in heads if any("<a " in h for h in b.html))
    return {
        "t_chars": _log(chars) / 10,
        "t_short": float(chars < 500),
        "t_long": float(chars >= 2000),
        "t_blocks": _log(len(blocks)) / 5,
        "t_prose": _log(prose) / 4,
        "t_heads": len(heads) / n,
        "t_teasers": _log(teasers),
        "t_linked_heads": teasers / max(len(heads), 1),
        "t_links": min(sum(h.count("<a ") for b in blocks for h in b.html) / n, 3) / 3,
        "t_mean": min(chars / n, 600) / 600,
    }


def voice_features(text: str) -> dict[str, float]:
    """Who the body's first ``VOICE_CHARS`` speak for ("we", "you", "I"), their calls to action and years."""
    lower = text[:VOICE_CHARS].lower()
    words = Counter(lower.translate(_PUNCTUATION).split())
    total = max(sum(words.values()), 1)
    out = {name: min(sum(words[w] for w in voice) / total * 20, 1.0) for name, voice in _VOICES.items()}
    out["w_cta"] = _log(sum(lower.count(phrase) for phrase in _CALLS_TO_ACTION))
    out["w_years"] = _log(sum(n for w, n in words.items() if len(w) == 4 and w[:2] in ("19", "20") and w.isdigit()))
    return out


def features(url: str, meta, sig: Signals, parts: dict) -> dict[str, float]:
    """Every feature of the page, by name (``parts``: the page object's blocks, bio, related, boilerplate)."""
    blocks = parts["blocks"]
    out = url_features(url)
    out.update(signal_features(sig))
    out.update(meta_features(meta))
    out.update(parts_features(parts))
    out.update(body_features(blocks))
    out.update(voice_features(" ".join(b.plain for b in blocks[:VOICE_BLOCKS])))
    chars = sum(len(b.plain) for b in blocks)
    text = max(sig.counts.get("text_chars", 0) - sig.counts.get("script_chars", 0), 1)
    out["g_body_share"] = min(chars / text, 1.0)
    return out


def score(values: dict[str, float]) -> float:
    """The model's probability that the page is an article: the article model's log-odds against the other types'."""
    z = {kind: BIAS[kind] + sum(w.get(name, 0.0) * value for name, value in values.items())
         for kind, w in WEIGHTS.items()}
    others = [v for kind, v in z.items() if kind != "article"]
    top = max(others)
    margin = z["article"] - top - math.log(sum(math.exp(v - top) for v in others))
    return 1.0 / (1.0 + math.exp(-max(min(margin, 30.0), -30.0)))


def is_article(values: dict[str, float]) -> bool:
    """Whether the features say "article"."""
    return score(values) >= THRESHOLD
