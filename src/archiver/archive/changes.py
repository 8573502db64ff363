"""What kind of change made a version."""

from __future__ import annotations

import re

from archiver.archive.fingerprint import normalise_text

#: Words that mark text appended to an article as a correction or update.
CORRECTION_WORDS = re.compile(
    r"\b(correction|corrected|clarification|update|updated|editor's note|erratum)\b", re.IGNORECASE
)


def classify(old: dict | None, new: dict, changed: list[str]) -> str:
    """One word for the change from ``old`` to ``new``.

    ``new`` for a first version; otherwise, by priority: ``headline``,
    ``byline``, ``correction`` (text appended at the end naming a correction
    or update), ``paywall`` (the body grew or shrank at its end),
    ``body-edit``, ``bio``, ``dates``.
    """
    if old is None:
        return "new"
    if "title" in changed:
        return "headline"
    if "byline" in changed:
        return "byline"
    if "body" in changed:
        return _body_change(normalise_text(old.get("body")), normalise_text(new.get("body")))
    if "bio" in changed:
        return "bio"
    return "dates"


def _body_change(before: str, after: str) -> str:
    """``correction``, ``paywall`` or ``body-edit`` for a changed body."""
    if after.startswith(before):
        return "correction" if _is_correction(after[len(before) :]) else "paywall"
    if before.startswith(after):
        return "paywall"
    return "body-edit"


def _is_correction(appended: str) -> bool:
    """True when a paragraph of appended text opens with a correction word."""
    paragraphs = [p.strip() for p in appended.split("\n\n") if p.strip()]
    return any(CORRECTION_WORDS.search(p[:60]) for p in paragraphs[:3])
