"""Captions and credits of pictures: in-body blocks that are not the article (issue 12).

A picture's caption ("Photo: …", "Image credit", a gallery's caption repeated on every slide)
is taken out of the body whole by the boilerplate stage and kept in the record's
``boilerplate`` with kind ``caption``. A caption is a short block that the page names "caption"
or "credit" by its class/id: a ``<figcaption>``, or a block inside a figure. It
holds no heading (that is a card's title: a product or teaser tile). An unnamed ``<figcaption>``
stays: Readability.js, and many readers, keep captions as part of the story; a block the site
itself names a caption or credit is the picture's, as a block it names an ad is the ad's.
A figure that holds content of its own — a quote, a table, code or prose besides its captions —
is part of the article, and so is its caption (the attribution of a pull quote, the source of a
table).
Only whole elements are taken: never words of a paragraph (the sections walk skips inline
markup in running text).
"""

from __future__ import annotations

from archiver.parser import selectors as S
from archiver.parser.tree import attached, norm_len, raw_text

#: Longest caption taken out: a longer block is the article's own prose, whatever it is named.
MAX_CAPTION = 600
#: Most text a figure may hold besides its caption and still be only a picture (a credit line, a label).
MAX_FIGURE_TEXT = 80
#: Tags of a figure's own content: a figure holding one of these is part of the article.
CONTENT_TAGS = ("blockquote", "table", "pre", "code")
#: Tags that a block named "caption"/"credit" may have (not headings, tables or sections).
NAMED_TAGS = frozenset("p div span small figcaption cite".split())


def is_caption(probe) -> bool:
    """Whether the probed element is a picture's caption or credit, to be taken out of the body."""
    el, name = probe.el, probe.name
    if name not in NAMED_TAGS or "CAPTION_ATTR" not in probe.features:
        return False
    size = norm_len(probe.raw)
    if not 0 < size <= MAX_CAPTION or next(el.iterdescendants(*S.HEADING_TAGS), None) is not None:
        return False  # too long, or a tile's title and details (a product card), not a caption
    figure = next(el.iterancestors("figure"), None)
    if figure is not None:
        return not holds_content(figure, el)
    return name == "figcaption"


def holds_content(figure, caption) -> bool:
    """Whether ``figure`` holds content of its own besides ``caption`` and its other captions
    (a gallery's figure holds one per picture)."""
    if any(not attached(inner, caption) for inner in figure.iter(*CONTENT_TAGS)):
        return True
    captions = [caption] + [other for other in figure.iter("figcaption")
                            if not attached(other, caption) and not attached(caption, other)]
    besides = norm_len(raw_text(figure)) - sum(norm_len(raw_text(c)) for c in captions)
    return besides > MAX_FIGURE_TEXT

