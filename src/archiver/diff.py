"""Word-level diffs between two versions of an article, field by field.

>>> word_diff("the old text", "the new text")
[('equal', 'the '), ('delete', 'old'), ('insert', 'new'), ('equal', ' text')]
"""

from __future__ import annotations

import html
import re
from difflib import SequenceMatcher

from archiver.article import CONTENT_FIELDS
from archiver.fingerprint import normalise_value

#: A word with the white space after it: joining the tokens gives the text back.
_TOKENS = re.compile(r"\S+\s*|\s+")

Op = tuple[str, str]


def tokens(text: str) -> list[str]:
    """The text as words, each keeping its trailing white space."""
    return _TOKENS.findall(text or "")


def word_diff(old: str, new: str) -> list[Op]:
    """``(op, text)`` pairs, op one of ``equal``, ``delete``, ``insert``, that turn old into new."""
    before, after = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, [t.strip() for t in before], [t.strip() for t in after], autojunk=False)
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(ops, "equal", "".join(after[j1:j2]))
            continue
        if tag in ("delete", "replace"):
            _append(ops, "delete", "".join(before[i1:i2]).rstrip())
        if tag in ("insert", "replace"):
            _append(ops, "insert", "".join(after[j1:j2]).rstrip())
        trailing = after[j2 - 1][len(after[j2 - 1].rstrip()):] if j2 > j1 else before[i2 - 1][len(before[i2 - 1].rstrip()):]
        _append(ops, "equal", trailing)
    return ops


def _append(ops: list[Op], op: str, text: str) -> None:
    """Add an op, merging it into the previous one of the same kind; skip empty text."""
    if not text:
        return
    if ops and ops[-1][0] == op:
        ops[-1] = (op, ops[-1][1] + text)
    else:
        ops.append((op, text))


def field_text(value) -> str:
    """A content field as text: lists one item per paragraph."""
    value = normalise_value(value)
    if isinstance(value, list):
        return "\n\n".join(value)
    return value or ""


def diff_versions(old: dict, new: dict, fields=CONTENT_FIELDS) -> dict[str, list[Op]]:
    """The word diff of each field that differs between two version records."""
    result = {}
    for name in fields:
        before, after = field_text(old.get(name)), field_text(new.get(name))
        if before != after:
            result[name] = word_diff(before, after)
    return result


def as_text(ops: list[Op]) -> str:
    """The diff as text, git's word-diff style: ``[-deleted-]{+inserted+}``."""
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in ops)


def as_html(ops: list[Op]) -> str:
    """The diff as escaped HTML with ``<del>`` and ``<ins>``; paragraphs kept as line breaks."""
    tags = {"equal": "{}", "delete": "<del>{}</del>", "insert": "<ins>{}</ins>"}
    parts = [tags[op].format(html.escape(text)) for op, text in ops]
    return "".join(parts).replace("\n", "<br>\n")
