"""Normalised content and its hash: what decides whether an article changed."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import lru_cache

from archiver.article import CONTENT_FIELDS

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u200b": "",
    }
)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\s*\n\s*\n\s*")


@lru_cache(maxsize=1024)
def normalise_text(text: str | None) -> str:
    """Text as compared: NFC, plain quotes and dashes, one space, one blank line between paragraphs."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    text = _BLANK_LINES.sub("\n\n", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines).strip()


def normalise_value(value):
    """A content field normalised: strings and lists of strings alike."""
    if isinstance(value, list):
        return [text for text in map(normalise_text, value) if text]
    if isinstance(value, str):
        return normalise_text(value)
    return value


def content_of(article: dict) -> dict:
    """The normalised content fields of an article record."""
    return {name: normalise_value(article.get(name)) for name in CONTENT_FIELDS}


def content_hash(article: dict) -> str:
    """SHA-256 of the normalised content fields: equal hash, same version."""
    payload = json.dumps(content_of(article), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def changed_fields(old: dict, new: dict) -> list[str]:
    """The content fields whose normalised values differ, in field order."""
    before, after = content_of(old), content_of(new)
    return [name for name in CONTENT_FIELDS if before[name] != after[name]]


def bytes_hash(data: bytes) -> str:
    """SHA-256 of raw bytes: the key of a stored page."""
    return hashlib.sha256(data).hexdigest()
