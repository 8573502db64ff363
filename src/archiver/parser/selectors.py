"""Selectors as data: class/id vocabularies, tag sets and text patterns.

Nothing here runs; the stages import these names. Vocabularies are generic across
the web (English plus the commonest words of a few other languages), never the
markup of one site.
"""

from __future__ import annotations

import re
from functools import lru_cache
try:
    from re import _parser  # the stdlib's own pattern parser: private, checked by tests/test_selectors.py
except ImportError:  # pragma: no cover - then every alternative runs on every token: same result, slower
    _parser = None

_I = re.IGNORECASE

# --- tags -------------------------------------------------------------------------

#: Elements dropped with their content before anything else (MathML's formulas are text and
#: stay; only their ``annotation`` source, which a browser never shows, goes).
DROP_TAGS = frozenset(
    "script style noscript template iframe object embed canvas svg annotation annotation-xml link meta "
    "button input select textarea option label dialog audio video source track map "
    "area head title base".split()
)
#: Elements whose text is always site chrome when they sit outside the article.
CHROME_TAGS = {"nav": "nav", "footer": "footer", "aside": "other", "header": "nav"}
#: Block-level elements: each starts a new paragraph in the body text.
BLOCK_TAGS = frozenset(
    "p div section article main header footer aside nav h1 h2 h3 h4 h5 h6 ul ol li dl dt dd "
    "blockquote pre table thead tbody tfoot tr td th caption figure figcaption address "
    "hr form fieldset details summary center".split()
)
#: Block tags that make a paragraph of their own (a table row is one paragraph: its cells are inline in it).
PARAGRAPH_TAGS = BLOCK_TAGS - {"td", "th"}
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
#: Tags that may hold a paragraph of article text and are scored.
SCORED_TAGS = frozenset("p pre td section h2 h3 h4 h5 h6".split())
#: Inline tags kept in ``body_html`` (everything else is unwrapped).
INLINE_KEEP = {"a": "a", "em": "em", "i": "em", "strong": "strong", "b": "strong"}

# --- class / id vocabularies (matched against "class id" joined) -----------------

#: Readability's "unlikely candidates": removed before scoring unless MAYBE matches.
UNLIKELY = re.compile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|"
    r"footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|"
    r"skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|"
    r"yom-remote|cookie|consent|newsletter|paywall|share|sharing|outbrain|taboola|"
    r"promo|subscri|signup|sign-up|widget|masthead|navbar|nav-|-nav",
    _I,
)
#: A class token exactly "editor" names a site builder's rich-text block (CivicPlus "widget editor").
MAYBE = re.compile(r"and|article|body|column|content|main|shadow|story|entry|post|^editor$", _I)
POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|"
    r"story|prose|inhalt|artikel|contenu|contenido|conteudo|testo|tresc|^editor$",
    _I,
)
NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|"
    r"footer|footnote|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|"
    r"shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|byline|author|"
    r"newsletter|subscri|paywall|cookie|recommend|teaser",
    _I,
)
#: NEGATIVE less the words that name layout rather than purpose ("overflow-hidden",
#: "table-scroll", "media-body"): alone, they do not make a block of the article boilerplate.
NEGATIVE_PURPOSE = re.compile(
    r"-ad-|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|"
    r"footer|footnote|gdpr|masthead|meta|outbrain|promo|related|share|"
    r"shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|byline|author|"
    r"newsletter|subscri|paywall|cookie|recommend|teaser",
    _I,
)

#: Boilerplate kinds by class/id vocabulary, first match wins (order matters).
KIND_BY_ATTR: tuple[tuple[str, re.Pattern], ...] = (
    ("cookie", re.compile(r"cookie|gdpr|consent|[\w-]cmp-|onetrust|privacy-banner", _I)),
    ("paywall", re.compile(r"paywall|pay-wall|regwall|metered|piano|premium-?(?:wall|gate|block)|"
                           r"subscriber-only|subscription-(?:wall|gate|prompt|cta)|(?<!un)(?<!is-)locked(?!-layout)", _I)),
    ("newsletter", re.compile(r"newsletter|signup|sign-up|subscribe-form|mailing-?list|email-capture", _I)),
    ("testimonial", re.compile(r"testimonial|endorsement|praise", _I)),
    ("share", re.compile(r"share|sharing|social|sharedaddy|addthis|sharethis|follow-us", _I)),
    ("comments", re.compile(r"comment|disqus|replies|respond|discussion", _I)),
    ("ad", re.compile(r"(?:^|[\s_-])(?:ad|ads|adv|advert\w*|adsense|adslot|ad-?unit|"
                      r"ad-?container|dfp|gpt|sponsor\w*|banner-ad|commercial|anzeige|publicite)(?:$|[\s_-])", _I)),
    ("promo", re.compile(r"promo|cta|call-to-action|subscribe|subscription|upsell|donat|membership|"
                         r"app-download|banner", _I)),
    ("nav", re.compile(r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|pagination|pager|"
                       r"masthead|site-header|skip-link|search(?![_-]?(?:results?|page|grid|items?)\b)|toolbar|topbar)(?:$|[\s_-])", _I)),
    ("footer", re.compile(r"footer|colophon|copyright", _I)),
    ("other", re.compile(r"sidebar|widget|tag-?cloud|tags|taglist|print|modal|popup|overlay|"
                         r"outbrain|taboola|trending|most-popular|popular-posts", _I)),
)

#: A collapsed part of a page that a reader opens by a click (a tab, an accordion's fold, a "Read
#: more" expander), by class/id: a product's specifications, a service's FAQ, a doc's code per language.
PANEL_ATTR = re.compile(r"tab-?pane|tab-?panel|tabs?-?content|accordion|collaps|toggle|expand|disclosure|"
                        r"details|panel|content", _I)
#: Overlays (a dialog, a popover), by class/id: their tabs and folds are not the page's.
OVERLAY_ATTR = re.compile(r"modal|popup|pop-up|popover|overlay|dialog|lightbox|tooltip|offcanvas", _I)
#: Hidden blocks that are chrome or overlays, not a closed panel, by class/id.
NOT_PANEL_ATTR = re.compile(OVERLAY_ATTR.pattern + r"|prompt|drawer|fly|dropdown|mega|menu|(?:^|[\s_-])nav|cookie|"
                            r"consent|gdpr|privacy|cart|search|login|sign-?in|sign-?up|account|filter|mobile|"
                            r"header|footer", _I)

#: Related-article blocks by class/id.
RELATED_ATTR = re.compile(
    r"related|read-?next|more-?from|more-?stories|recommend|also-?like|you-?may|"
    r"further-?reading|more-?articles|similar|suggested|up-?next|whats-?next|keep-?reading|"
    r"verwandt|weitere|similaires|relacionad|correlat",
    _I,
)
#: Author-bio blocks by class/id.
BIO_ATTR = re.compile(
    r"author-?bio|author-?box|about-?(?:the-?)?author|author-?info|author-?description|"
    r"author-?details|author-?card|author-?profile|contributor-?bio|bio-?box|"
    r"(?:^|[\s_-])bio(?:$|[\s_-])|biography|writer-?bio|byline-?bio|author-?about|vcard-bio|"
    r"authors?[\w-]{0,24}?(?:desc|bio|intro|about|tagline|summary|footer|section|card)|"
    r"(?-i:[a-z]Bio)(?:[A-Z_-]|$)|saboxplugin|abh_box|m-a-box|ts-fab-wrapper|pp-multiple-authors",
    _I,
)
#: Byline containers by class/id/rel/itemprop.
BYLINE_ATTR = re.compile(r"byline|author|writer|contributor|journalist|creator|dateline", _I)

#: Article meta lines (kicker, dateline, category label) by class/id; dropped when short.
META_LINE_ATTR = re.compile(
    r"(?:^|[\s_-])(?:(?:post|entry|article|story)[_-]*meta|meta|dates?|time|timestamp|posted-on|"
    r"published|updated|dateline|kicker|eyebrow|cat-label|category|categories|section-label|"
    r"overline|rubric|label)(?:$|[\s_-])",
    _I,
)

# --- text patterns -------------------------------------------------------------

#: Headings that open a related-links block.
RELATED_HEADING = re.compile(
    r"^\s*(?:related(?! (?:to|topics?|tags?|searches|products?|courses?|terms|categories)\b)(?: [\w&+’'.-]+){0,4}|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)(?: to read| reading)?|read next|up next|"
    r"more (?:from|on|about(?! (?:me|us|the author|him|her)\b)|stories|articles|posts|like this|in|news)\b.*|"
    r"(?:other|similar)(?: interesting)? (?:articles|posts|stories|reads)(?: you (?:may|might) (?:like|enjoy))?|"
    r"(?:recent|latest) (?:stories|articles|posts) (?:by|from) .+|recommended(?: for you| reading| articles)?|"
    r"further reading|also read|read also|read more|more reading|keep reading|what to read next|popular (?:now|stories)|"
    r"lesen sie (?:auch|mehr)|mehr zum thema|das könnte sie (?:auch )?interessieren|weitere artikel|"
    r"(?:à|a) lire (?:aussi|également)|lire aussi|sur le même sujet|articles similaires|"
    r"te puede interesar|relacionad[oa]s|noticias relacionadas|leia (?:também|mais)|"
    r"potrebbe interessarti|articoli correlati|leggi anche|lees ook|gerelateerd)\s*:?\s*$",
    _I,
)
#: The label that opens a one-line related paragraph ("Read more: <link>", "Related: <link>").
RELATED_LABEL = re.compile(
    r"^\s*(?:read more|read also|also read|related(?: articles?| stories| coverage| content)?|see also|"
    r"more news|more on this(?: story)?|recommended|further reading|lesen sie (?:auch|mehr)|mehr zum thema|"
    r"(?:à|a) lire (?:aussi|également)|lire aussi|leia (?:também|mais)|leggi anche|lees ook|"
    r"te puede interesar|ver también)\s*[:：]\s*",
    _I,
)
#: What may stand between the links of a one-line related paragraph.
LINK_SEPARATORS = re.compile(r"^[\s|•·,;/&+–—-]*(?:and|or|und|et|y|e)?[\s|•·,;/&+–—-]*$", _I)
#: A call to action: subscribe to a channel, get the app, follow us, join the forums.
CTA_TEXT = re.compile(
    r"^\s*(?:(?:click|tap) here to (?:subscribe|sign up|join|follow|(?:get|download|install) (?:the|our) "
    r"[\w .&'’-]{0,50}\bapp\b)|subscribe to [\w .&'’-]{1,60}\bon (?:youtube|apple podcasts|spotify|"
    r"google news|whatsapp|telegram)|follow (?:us|[\w .&'’-]{1,60}) on (?:twitter|x|facebook|instagram|youtube|"
    r"linkedin|tiktok|threads|bluesky|mastodon|google news|whatsapp|telegram)|like us on facebook|"
    r"(?:download|get) (?:the|our) [\w .&'’-]{0,50}\bapp\b|join (?:our|the) (?:[\w'’-]+ ){0,3}"
    r"(?:forums?|conversation|discussion|community|whatsapp|telegram|discord)\b)",
    _I,
)
#: Longest text of a call-to-action paragraph.
MAX_CTA = 200
#: Text of one gallery control: a word ("Caption", "Close") or a counter or arrow ("3 / 40", "›").
GALLERY_CONTROL_WORD = re.compile(
    r"^\s*(?:(?:show |hide )?captions?|close|next|prev(?:ious)?|expand|enlarge|full ?screen|view gallery)\s*$",
    _I,
)
GALLERY_CONTROL = re.compile(r"^\s*(?:\d+\s*(?:/|of)\s*\d+|[‹›«»←→×✕])\s*$")
#: Image files: a figure whose link is one of these shows the image itself.
IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|tiff?|bmp)(?:$|[?#])|attachment", _I)

#: Whole-block texts that are labels for an ad slot.
AD_LABEL = re.compile(
    r"^\s*(?:advertisement|advertising|ad|ads|sponsored(?: content)?|anzeige|werbung|"
    r"publicit[ée]|publicidad|pubblicit[àa]|reklama|story continues below(?: advertisement)?|"
    r"article continues below(?: advertisement)?|continue reading below)\s*$",
    _I,
)
#: Cheap pre-filter: a lower-cased text without any of these is not judged by text patterns.
BOILERPLATE_WORDS = (
    "advert", "sponsor", "anzeige", "werbung", "publici", "pubblicit", "reklama",
    "continue", "cookie", "subscri", "member", "access", "unlock", "trial", "sign", "abonn",
    "réservé", "exclusiv", "newsletter", "inbox", "mail",
)
#: Texts that show a paywall or subscription promo.
PAYWALL_TEXT = re.compile(
    r"becom(?:e|ing) an? [\w+ -]{0,40}(?:subscriber|member)|subscribe (?:now |today )?to "
    r"(?:continue|keep) reading|already a (?:subscriber|member)|this (?:article|content|story) is "
    r"(?:for|only available to|exclusive to) (?:subscribers|members)|to continue reading|"
    r"subscribers? only|unlock (?:this|full|unlimited)|start your (?:free )?(?:trial|subscription)|"
    r"access all of\b|for unlimited access|sign in to (?:continue|read)|abonnieren sie|"
    r"réservé aux abonnés|exclusivo para suscriptores|subscriber\+?$",
    _I,
)
NEWSLETTER_TEXT = re.compile(
    r"newsletter|sign up (?:for|to) (?:our|the)|subscribe to (?:our|the) (?:\w+ )?(?:newsletter|"
    r"mailing list|daily|weekly)|get (?:the|our) [\w ]{0,30}in your inbox|delivered to your inbox|"
    r"enter your e-?mail",
    _I,
)
COOKIE_TEXT = re.compile(
    r"(?:we|this (?:web)?site) uses? cookies|cookie (?:policy|settings|preferences)|accept (?:all )?cookies",
    _I,
)
SHARE_TEXT = re.compile(
    r"^\s*(?:share(?: this(?: article| story| post)?)?(?: on)?|tweet|email|print|copy link|"
    r"facebook|twitter|linkedin|whatsapp|reddit|pinterest|x|share on \w+|[\s|·•]+)\s*:?\s*$",
    _I,
)
COMMENTS_TEXT = re.compile(
    r"^\s*(?:\d+\s+)?(?:comments?|leave a (?:comment|reply)|join the discussion|"
    r"post a comment|add a comment|kommentare?|commentaires?|comentarios?)\b",
    _I,
)
TESTIMONIAL_TEXT = re.compile(r"^\s*[“\"«].{20,}[”\"»]\s*[—–-]{1,2}\s*\S", re.S)
#: Teaser "More" links that belong to a related-article card.
MORE_LINK_TEXT = re.compile(r"^\s*(?:more|read more|continue reading|weiterlesen|lire la suite|leer más|"
                            r"leia mais|continua|»|→|›)\s*[»→›]?\s*$", _I)
#: Query parameters that only track a visit: a URL with them is the same page.
TRACKING_PARAM = re.compile(r"^(?:utm_\w+|srsltid|fbclid|gclid|mc_[ce]id)=", _I)
#: Link texts that name no article ("Learn more", "View article", "Click here").
GENERIC_LINK_TEXT = re.compile(r"^\s*(?:learn more|find out more|view (?:article|post|story)|read (?:article|post|story|"
                               r"the (?:article|post|story)|full (?:article|story|review))|click here|see more|details)"
                               r"\s*[»→›.]*\s*$", _I)
#: Path segments of pages that list articles or people, not articles: never a related link.
NOT_ARTICLE_PATH = re.compile(
    r"/(?:authors?|autor(?:en)?|auteurs?|tags?|category|categories|categorie|kategorie|themen?|"
    r"sections?|people|profiles?|users?|contributors?|staff|team-members?|search|suche|recherche|galleries|"
    r"gallery|subscribe|newsletters?|login|register|page/\d+|special:[^/]*|@[^/]+)(?:/|$)|"
    r"/topics?(?:/[^/]+)?/?$|/\d{4}(?:/\d{1,2}){0,2}/?$|"
    r"/(?:about(?:-us)?|contact(?:-us)?|privacy(?:-policy)?|careers?|faqs?|reviews|news|guides|articles|blog|"
    r"deals|resources|insights|stories|videos)/?$",
    _I,
)
#: Link texts of a section or archive page, not an article ("More from ...", "View all ...").
SECTION_LINK_TEXT = re.compile(r"^\s*(?:more\b|view all\b|see all\b|show all\b|all \w+$|explore all\b|browse\b)", _I)
#: The fewest words of a related link's text that can be an article's title.
MIN_TITLE_WORDS = 3
#: "By Name" prefixes in bylines, several languages.
BY_PREFIX = re.compile(r"^\s*(?:written by|posted by|words by|reported by|text by|by|par|por|door)\s*[:\-]?\s+", _I)
#: A bio sentence: "<Name> is a/the ...", "<Name> was ...", "<Name> writes about ...".
#: A whole line that is a byline: "By Jane Doe", "By Jane Doe and John Roe".
BYLINE_TEXT = re.compile(
    r"^\s*(?i:by|par|por|von|door)\s+[A-ZÀ-Þ][\w'’.-]+(?:\s+(?:[A-ZÀ-Þ][\w'’.-]+|and|und|et|y|e|&|,|de|van|von|da|di|del|la|le)){0,10}\s*$"
)
BIO_VERB = re.compile(
    r"^\s*(?:is|was|has been|serves as|works as|writes|covers|reports|joined|holds|lives|"
    r"est|ist|es|é)\b(?:\s+(?:a|an|the|un|une|ein|eine|currently|now|also|formerly|former|"
    r"senior|staff|\w+ed))?",
    _I,
)
#: Credit lines of people other than the author ("Reviewed by ...", "Edited by ...").
CREDIT_PREFIX = re.compile(
    r"^\s*(?:(?:medically |expert |fact[- ]?)?(?:reviewed|checked|edited|verified|illustrated|photographed)"
    r"|fact[- ]?checked)\s+by\b",
    _I,
)
#: A paragraph that is a bio whoever it names: "Jane Doe is a freelance travel writer ...".
BIO_SENTENCE = re.compile(
    r"^[A-ZÀ-Þ][\w'’.-]+(?: [A-ZÀ-Þ][\w'’.-]+){1,3},? (?:is|was) (?:a|an|the) (?:[\w’'-]+,? ){0,5}?"
    r"(?:writer|journalist|reporter|editor|author|columnist|correspondent|contributor|freelancer|"
    r"photographer|blogger|critic|novelist|poet)s?\b"
)
#: A date or time as bylines show it: "March 18 at 3:57 PM", "1 de diciembre de 2017", "2 hours ago".
DATELINE_TEXT = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d+\s+(?:minute|hour|day|week|month)s?\s+ago\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4}|\s+at\b)|"
    r"\b\d{1,2}\.?\s+(?:de\s+)?(?:jan|feb|m[aä]r|apr|may|mai|jun|jul|aug|sep|o[ck]t|nov|de[cz]|ene|dic|"
    r"janv|févr|avr|juil|août|déc)[a-z]*\.?\s+(?:de\s+)?\d{4}\b",
    _I,
)
BIO_LEAD = re.compile(r"^\s*(?:about the author|about)\s*:?\s*$", _I)

# --- metadata ----------------------------------------------------------------------

TITLE_META = ("og:title", "twitter:title", "dc.title", "dc:title", "dcterm:title",
              "dcterms.title", "parsely-title", "sailthru.title", "title", "headline")
AUTHOR_META = ("author", "article:author", "dc.creator", "dc:creator", "dcterm:creator",
               "dcterms.creator", "parsely-author", "sailthru.author", "byl", "citation_author",
               "twitter:creator")
PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished",
                  "date", "pubdate", "publishdate", "publish-date", "publish_date", "published", "dc.date",
                  "dc.date.issued", "dcterms.created", "dcterms.date", "sailthru.date",
                  "parsely-pub-date", "citation_publication_date", "citation_date")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "last-modified",
                 "lastmod", "dcterms.modified", "dc.date.modified")
DESCRIPTION_META = ("og:description", "description", "twitter:description", "dc.description",
                    "dcterms.abstract", "dcterms.description")
SITE_META = ("og:site_name", "application-name", "publisher", "dc.publisher", "twitter:site")
LANGUAGE_META = ("og:locale", "content-language", "language", "dc.language", "inlanguage")
ARTICLE_TYPES = frozenset(
    "article newsarticle reportagenewsarticle analysisnewsarticle opinionnewsarticle "
    "backgroundnewsarticle reviewnewsarticle blogposting socialmediaposting liveblogposting "
    "scholarlyarticle techarticle report webpage medicalwebpage review creativework".split()
)

#: ``og:type`` values that mark one article; JSON-LD types and ``og:type`` values that mark a listing.
OG_ARTICLE_TYPES = frozenset({"article", "news", "blog", "blogposting", "newsarticle"})
LISTING_TYPES = frozenset({"website", "collectionpage", "itemlist", "searchresultspage", "profilepage"})


#: Blocks of share buttons by class/id (Readability's rule).
SHARE_ATTR = re.compile(r"share|sharedaddy", _I)
#: Captions and credits of pictures by class/id ("wp-caption-text", "photo-credit", "image__caption").
CAPTION_ATTR = re.compile(r"caption|credit", _I)

#: Every class/id vocabulary by name, with one ``kind:<kind>`` entry per boilerplate kind.
VOCABULARIES: tuple[tuple[str, re.Pattern], ...] = (
    ("UNLIKELY", UNLIKELY), ("MAYBE", MAYBE), ("POSITIVE", POSITIVE), ("NEGATIVE", NEGATIVE),
    ("NEGATIVE_PURPOSE", NEGATIVE_PURPOSE),
    ("RELATED_ATTR", RELATED_ATTR), ("BIO_ATTR", BIO_ATTR), ("BYLINE_ATTR", BYLINE_ATTR),
    ("META_LINE_ATTR", META_LINE_ATTR), ("SHARE_ATTR", SHARE_ATTR), ("CAPTION_ATTR", CAPTION_ATTR),
) + tuple((f"kind:{kind}", pattern) for kind, pattern in KIND_BY_ATTR)


#: Page builders call every block of a page a widget ("elementor-widget-text-editor",
#: "hs_cos_wrapper_widget"): that word of theirs says nothing of the block; what follows it may
#: ("elementor-widget-sidebar").
_BUILDER_WIDGET = re.compile(r"^(elementor-|hs_cos_wrapper_)widgets?", _I)
#: A comment's own parts ("comment-body", "commentContent", "comments-text"): the content word in
#: such a token is the comment's, so it makes the block neither content nor a likely candidate.
_COMMENT_PART = re.compile(r"comment", _I)
_CONTENT_WORDS = frozenset({"MAYBE", "POSITIVE"})


def folded(pattern: re.Pattern) -> tuple[re.Pattern, bool]:
    """A case-insensitive ``pattern`` for lower-cased ASCII text, and whether it is exact there.

    Matching case-sensitively on lower-cased text is several times faster than IGNORECASE.
    It is the same match when the pattern's source has no capitals and no ``(?-i:``;
    otherwise the folded pattern only finds candidates (it matches at least where ``pattern``
    does) and ``pattern`` decides; a source with escapes in capitals (``\\S``) is not folded.
    """
    source = pattern.pattern
    if not pattern.flags & re.IGNORECASE or re.search(r"\\[A-Z]", source):
        return re.compile(""), False
    return re.compile(factored(source.lower())), source == source.lower() and "(?-i" not in source


#: Fewest plain-word alternatives that :func:`factored` merges into a prefix tree.
MIN_WORDS_FACTORED = 20
_REGEX_SYNTAX = frozenset(".^$*+?{}[]\\|()")


def factored(source: str) -> str:
    """A pattern that finds a match wherever ``source`` does, its plain-word alternatives merged
    into a prefix tree (``s(?:idebar|ocial|...)``): the regex engine tries far fewer alternatives at
    each position of a long vocabulary. Other alternatives are kept as they are."""
    branches = _alternatives(source)
    words = [b.replace("\\-", "-") for b in branches if not _REGEX_SYNTAX & set(b.replace("\\-", ""))]
    if len(words) < MIN_WORDS_FACTORED:
        return source
    rest = [b for b in branches if _REGEX_SYNTAX & set(b.replace("\\-", ""))]
    # a word that starts with another word is found wherever that one is: drop it
    words = [w for w in set(words) if not any(o != w and w.startswith(o) for o in words)]
    return "|".join([_prefix_tree(words)] + rest)


def _alternatives(source: str) -> list[str]:
    """The top-level alternatives of a pattern (split at ``|`` outside groups, classes and escapes)."""
    out, current, depth, escaped, in_class = [], "", 0, False, False
    for ch in source:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and not depth:
            out.append(current)
            current = ""
            continue
        current += ch
    return out + [current]


def _prefix_tree(words: list[str]) -> str:
    """A regex matching ``words`` as a prefix tree: the longest of them that starts where it is tried
    (a word that is a prefix of another makes the rest of the branch optional)."""
    heads: dict[str, list[str]] = {}
    for word in words:
        heads.setdefault(word[:1], []).append(word[1:])
    branches = []
    for head, tails in sorted(heads.items()):
        rest = [tail for tail in tails if tail]
        tree = _prefix_tree(rest) if rest else ""
        if tree and len(rest) < len(tails):
            tree = f"(?:{tree})?"
        branches.append(re.escape(head) + tree)
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


#: Whether a lower-cased text holds one of ``BOILERPLATE_WORDS`` (one search, not one per word; a prefix tree).
BOILERPLATE_WORD = re.compile(factored("|".join(map(re.escape, BOILERPLATE_WORDS))))
#: Each vocabulary by name: ``(pattern, folded pattern, whether the folded one is exact)``.
_FOLDED = {name: (pattern,) + folded(pattern) for name, pattern in VOCABULARIES}


def required_literals(source: str) -> frozenset[str] | None:
    """Strings one of which every match of the pattern ``source`` holds (the most selective such set),
    or None when none is known (an optional part, a case-insensitive literal). Read from the pattern
    as Python's own ``re`` parses it."""
    if _parser is None:
        return None
    parsed = _parser.parse(source)
    return None if parsed.state.flags & re.IGNORECASE else _required(list(parsed))


def _required(items: list) -> frozenset[str] | None:
    """:func:`required_literals` of a parsed sequence: its runs of literals and its required parts."""
    options, run = [], ""
    for op, arg in items + [(None, None)]:
        if op is _parser.LITERAL:
            run += chr(arg)
            continue
        if run:
            options.append(frozenset([run]))
            run = ""
        found = _required_part(op, arg)
        if found:
            options.append(found)
    return max(options, key=lambda found: min(map(len, found)), default=None)


def _required_part(op, arg) -> frozenset[str] | None:
    """:func:`required_literals` of one parsed group, branch or repeat (None for anything else)."""
    if op is _parser.SUBPATTERN:
        return None if arg[1] & re.IGNORECASE else _required(list(arg[-1]))
    if op is _parser.ATOMIC_GROUP:
        return _required(list(arg))
    if op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT):
        return _required(list(arg[2])) if arg[0] >= 1 else None
    if op is _parser.BRANCH:
        branches = [_required(list(branch)) for branch in arg[1]]
        return frozenset().union(*branches) if all(branches) else None
    return None


def _scanner() -> tuple[re.Pattern, dict, list]:
    """What :func:`folded_features` finds vocabularies with, in lower-cased ASCII tokens.

    A folded vocabulary matches a token where one of its alternatives does. Its plain words, and a
    literal that each match of one of its other alternatives holds, go into one prefix tree searched
    at every position (the longest word at each, with the words it starts with); an alternative then
    runs only when its literal is in the token. Returns the tree's pattern, what each word found tells
    (``(vocabulary names, indexes of alternatives to run)``) and the alternatives as ``(name, pattern)``.
    """
    words: dict[str, set] = {}
    others: list[tuple[str, re.Pattern]] = []
    for name, (pattern, fold, _exact) in _FOLDED.items():
        for branch in _alternatives(pattern.pattern.lower()) if fold.pattern else ():
            if not _REGEX_SYNTAX & set(branch.replace("\\-", "")):
                words.setdefault(branch.replace("\\-", "-"), set()).add(name)
                continue
            others.append((name, re.compile(branch)))
            for literal in required_literals(branch) or [""]:  # "": no literal known, the tree's root
                words.setdefault(literal, set()).add(len(others) - 1)
    tells = {}
    for word in words:
        found = frozenset().union(*(items for head, items in words.items() if word.startswith(head)))
        tells[word] = (frozenset(item for item in found if isinstance(item, str)),
                       tuple(sorted(item for item in found if not isinstance(item, str))))
    return re.compile(f"(?=({_prefix_tree([word for word in words if word])}))"), tells, others


_WORDS, _TELLS, _OTHERS = _scanner()
#: What every token holds (alternatives with no literal known), and the vocabularies a token is matched
#: against by their own pattern: those without a folded pattern, and those whose folded one is not exact.
_ALWAYS = _TELLS.get("", (frozenset(), ()))
_UNFOLDED = frozenset(name for name, (_pattern, fold, _exact) in _FOLDED.items() if not fold.pattern)
_INEXACT = frozenset(name for name, (_pattern, fold, exact) in _FOLDED.items() if fold.pattern and not exact)
_NONE: frozenset[str] = frozenset()


def folded_features(low: str, token: str) -> frozenset[str]:
    """The vocabularies matching the ASCII ``token`` (lower-cased: ``low``), by the scanner of :func:`_scanner`."""
    words = _WORDS.findall(low)
    if not words and not _ALWAYS[1] and not _UNFOLDED:
        return _NONE
    names, run = set(), set(_ALWAYS[1])
    for word in words:
        found, others = _TELLS[word]
        names |= found
        run.update(others)
    for index in sorted(run):
        name, pattern = _OTHERS[index]
        if name not in names and pattern.search(low):
            names.add(name)
    names.update(name for name in _UNFOLDED if _FOLDED[name][0].search(token))
    return frozenset(name for name in names if name not in _INEXACT or _FOLDED[name][0].search(token))


def unwrapped(token: str) -> str:
    """``token`` without a page builder's widget word (a match first: most tokens have none, and a
    substitution costs more than a failed match)."""
    return _BUILDER_WIDGET.sub(r"\1", token) if _BUILDER_WIDGET.match(token) else token


def token_matches(pattern_name: str, token: str) -> bool:
    """Whether the vocabulary called ``pattern_name`` matches one class or id token.

    An ASCII token (nearly all) is matched folded: lower-cased, case-sensitively (see :func:`folded`).
    """
    pattern, fold, exact = _FOLDED[pattern_name]
    token = unwrapped(token)
    if not token.isascii():
        return bool(pattern.search(token))
    return bool(fold.search(token.lower())) and (exact or bool(pattern.search(token)))


@lru_cache(maxsize=16384)
def token_features(token: str) -> frozenset[str]:
    """The names of the vocabularies that match one class or id token (cached; :func:`token_matches`
    for each vocabulary, with the token lower-cased once)."""
    token = unwrapped(token)
    if not token.isascii():
        found = frozenset(name for name in _FOLDED if token_matches(name, token))
    else:
        found = folded_features(token.lower(), token)
    if "kind:comments" in found and _COMMENT_PART.search(token):
        return found - _CONTENT_WORDS
    return found


@lru_cache(maxsize=8192)
def features(names: str) -> frozenset[str]:
    """The vocabularies matching a class/id string, token by token.

    No pattern spans white space, so matching each token is matching the string, and
    tokens repeat across elements and pages far more than whole class strings do.
    """
    return frozenset().union(*map(token_features, names.split()))


def matches(pattern_name: str, names: str | None) -> bool:
    """Whether the vocabulary called ``pattern_name`` here matches the class/id ``names``.

    Only that vocabulary is matched: a scan of every element for one vocabulary (the byline
    markup) does not pay for all of them on elements that no later stage looks at.
    """
    return bool(names) and _matches(pattern_name, names)


@lru_cache(maxsize=16384)
def _matches(pattern_name: str, names: str) -> bool:
    """:func:`matches` of a non-empty class/id string (cached)."""
    return any(token_matches(pattern_name, token) for token in names.split())


def kind_by_names(names: str) -> str | None:
    """The boilerplate kind named by a class/id string, first in priority order, or None."""
    return kind_by_features(features(names) if names else frozenset())


def kind_by_features(found: frozenset[str]) -> str | None:
    """The boilerplate kind among the vocabularies ``found`` (see :func:`features`), or None."""
    if found and not found.isdisjoint(_KIND_KEY_SET):
        for key, kind in _KIND_KEYS.items():
            if key in found:
                return kind
    return None


_KIND_KEYS = {f"kind:{kind}": kind for kind, _ in KIND_BY_ATTR}
_KIND_KEY_SET = frozenset(_KIND_KEYS)
