"""Stage 4: tree cleaning: prune what a reader never sees.

Runs after metadata (which still needs JSON-LD scripts and ``<meta>``) and before the
block stages. Removes scripts, styles, embedded objects and form controls, and every
element hidden by ``hidden``, ``aria-hidden="true"`` or an inline ``display:none`` /
``visibility:hidden`` style. Tails of removed elements are kept.
"""

from __future__ import annotations

import re

from lxml import etree

from archiver.parser.selectors import DROP_TAGS
from archiver.parser.tree import drop, tag

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_KEEP_ARIA_HIDDEN = re.compile(r"fallback-image|mwe-math|mjx", re.I)
_MAYBE_HIDDEN = etree.XPath("//*[@hidden or @aria-hidden = 'true' or @style]")


def is_hidden(el) -> bool:
    """Whether ``el`` is hidden from readers by an attribute or inline style."""
    get = el.get
    if get("hidden") is not None:
        return True
    if get("aria-hidden") == "true" and not _KEEP_ARIA_HIDDEN.search(get("class") or ""):
        return True
    style = get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def prune(root) -> None:
    """Remove invisible and non-text elements from ``root`` in place (tails kept)."""
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    for el in _MAYBE_HIDDEN(root):
        if tag(el) not in ("html", "body") and is_hidden(el):
            drop(el)
