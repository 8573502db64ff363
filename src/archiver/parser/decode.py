"""Stage 1: bytes to text, decoded once.

Order: the charset of an HTTP ``Content-Type`` if given, a byte-order mark, a
``<meta charset>`` / ``http-equiv`` declaration in the first 4 KB, then strict UTF-8,
and only when all of these fail, detection with bs4's ``UnicodeDammit`` (which uses
chardet, a dependency: charset-normalizer, which it would fall back to, reads short
Latin-1 pages as ISO-8859-13). Bytes that
are valid UTF-8 beyond ASCII are read as UTF-8 whatever is declared (a page saved as
UTF-8 under an old ``ISO-8859-1`` header), and a declaration the bytes contradict is
not used to decode them.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.\-]+)", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Labels browsers treat as another encoding (WHATWG encoding standard).
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252",
            "us-ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030", "x-sjis": "shift_jis"}


def _codec(label: str | None) -> str | None:
    """The Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def http_charset(content_type: str | None) -> str | None:
    """The codec named by an HTTP ``Content-Type`` header, if any."""
    if not content_type:
        return None
    match = _HTTP_CHARSET.search(content_type)
    return _codec(match.group(1)) if match else None


def bom_charset(data: bytes) -> tuple[str | None, int]:
    """The codec announced by a byte-order mark and the mark's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None, 0


def meta_charset(data: bytes) -> str | None:
    """The codec declared by ``<meta charset>`` in the first 4 KB."""
    match = _META_CHARSET.search(data[:4096])
    codec = _codec(match.group(1).decode("ascii", "ignore")) if match else None
    # A page that says UTF-16 in ASCII-compatible bytes is not UTF-16.
    return None if codec and codec.startswith("utf-16") else codec


def _try(data: bytes, codec: str | None) -> str | None:
    """``data`` decoded strictly with ``codec``, or None."""
    if not codec:
        return None
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def detect(data: bytes, declared: str | None = None) -> str:
    """``data`` decoded by bs4's ``UnicodeDammit`` (slow path), else as ``declared`` or UTF-8, with replacements.

    Used when the declared charset is wrong (the bytes do not decode with it) or missing.
    """
    try:
        from bs4 import UnicodeDammit

        # is_html=False: the page's own declaration was tried already and failed
        dammit = UnicodeDammit(data[:2_000_000], is_html=False, exclude_encodings=[declared] if declared else [])
        codec = _codec(dammit.original_encoding)
        if codec and dammit.unicode_markup is not None:
            return data.decode(codec, "replace")
    except Exception:  # detection is best effort; fall through to replacement decoding
        pass
    return data.decode(declared or "utf-8", "replace")


def to_text(data: str | bytes, content_type: str | None = None) -> str:
    """The page as text: ``str`` is returned as is, ``bytes`` decoded once."""
    if isinstance(data, str):
        return data
    codec, skip = bom_charset(data)
    if codec:
        return data[skip:].decode(codec, "replace")
    declared = http_charset(content_type) or meta_charset(data)
    if not data.isascii() and not (declared or "").startswith(("utf-16", "utf-32")):
        text = _try(data, "utf-8")  # valid UTF-8 beyond ASCII is UTF-8, whatever the page says
        if text is not None:
            return text
    for codec in (http_charset(content_type), meta_charset(data), "utf-8"):
        text = _try(data, codec)
        if text is not None:
            return text
    return detect(data, declared)
