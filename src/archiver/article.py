"""The article record: what the parser makes of one page.

Every field documents its format. ``Article.to_dict()`` is JSON-ready and is
what the spiders hand to the archive.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from archiver.errors import ArchiverError

PARSER_VERSION = "0.6.0"

#: Fields that make up the article itself. A change in any of them is a new
#: version; everything else (related links, boilerplate) is kept per fetch.
CONTENT_FIELDS = ("title", "byline", "published", "modified", "body", "bio")

#: Kinds of boilerplate the parser recognises.
BOILERPLATE_KINDS = (
    "promo",
    "paywall",
    "newsletter",
    "testimonial",
    "cookie",
    "share",
    "nav",
    "footer",
    "ad",
    "comments",
    "caption",
    "other",
)


class ParseError(ArchiverError, ValueError):
    """The one exception ``parse_article`` raises: the input is not a page."""


@dataclass
class Article:
    """One article page, split into its parts.

    - ``url``: the URL the page was fetched from.
    - ``canonical_url``: ``<link rel=canonical>`` or ``og:url`` made absolute, else ``url``.
    - ``title``: the headline, trimmed, without the " | Site name" suffix.
    - ``byline``: author names, one string per person, without "By".
    - ``published`` / ``modified``: ISO 8601 (``2024-05-01`` or
      ``2024-05-01T10:00:00+00:00``) or ``None``.
    - ``language``: BCP 47 code from ``<html lang>`` or metadata, or ``None``.
    - ``site_name``, ``description``: from OpenGraph / ``<meta>``, or ``None``.
    - ``body``: plain text, paragraphs separated by one blank line.
    - ``body_html``: minimal clean HTML of the body.
    - ``bio``: one string per author bio.
    - ``related_links``: ``{"url": absolute URL, "text": anchor text}`` dicts.
    - ``boilerplate``: ``{"kind": one of BOILERPLATE_KINDS, "text": ...}`` dicts.
    - ``page_type``: ``"article"`` or ``"listing"`` when the page declares it
      (JSON-LD ``@type``, ``og:type``), else ``None``.
    - ``is_article``: ``True`` when the page is one article (a story, post or report),
      ``False`` for listings, product, forum, documentation and service pages; decided
      from the page itself (:mod:`archiver.parser.kind`).
    - ``parser_version``: the version of the parser that made this record.
    """

    url: str
    canonical_url: str | None = None
    title: str | None = None
    byline: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    body: str = ""
    body_html: str = ""
    bio: list[str] = field(default_factory=list)
    related_links: list[dict] = field(default_factory=list)
    boilerplate: list[dict] = field(default_factory=list)
    page_type: str | None = None
    is_article: bool = False
    parser_version: str = PARSER_VERSION

    def to_dict(self) -> dict:
        """The record as plain JSON-ready values (what ``dataclasses.asdict`` gives, made directly)."""
        try:
            return {name: _copied(getattr(self, name)) for name in _FIELD_NAMES}
        except _NotPlain:
            return asdict(self)


_FIELD_NAMES = tuple(f.name for f in fields(Article))
_ATOMS = frozenset({str, int, float, bool, type(None)})


class _NotPlain(Exception):
    """A value other than strings, numbers, lists and dicts: ``asdict`` handles it."""


def _copied(value):
    """A copy of a plain JSON value: new lists and dicts, the same strings and numbers."""
    if type(value) is list:
        return [_copied(item) for item in value]
    if type(value) is dict:
        return {_copied(key): _copied(item) for key, item in value.items()}
    if type(value) in _ATOMS:
        return value
    raise _NotPlain
