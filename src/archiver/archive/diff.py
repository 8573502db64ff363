"""Word-level diffs between two versions of an article, field by field.

>>> word_diff("the old text", "the new text")
[('equal', 'the '), ('delete', 'old'), ('insert', 'new'), ('equal', ' text')]
"""

from __future__ import annotations

import html
import re
from difflib import SequenceMatcher

from archiver.article import CONTENT_FIELDS
from archiver.archive.fingerprint import normalise_value

#: A word with the white space after it: joining the tokens gives the text back.
_TOKENS = re.compile(r"\S+\s*|\s+")

Op = tuple[str, str]


def tokens(text: str) -> list[str]:
    """The text as words, each keeping its trailing white space."""
    return _TOKENS.findall(text or "")


#: Paragraphs less alike than this are shown as deleted and inserted whole.
PARAGRAPH_SIMILARITY = 0.5
#: Paragraphs shorter than this (titles, bylines) are always compared word by word.
SHORT_PARAGRAPH_WORDS = 12


def word_diff(old: str, new: str) -> list[Op]:
    """``(op, text)`` pairs, op one of ``equal``, ``delete``, ``insert``, that turn old into new.

    Paragraphs are aligned first; words are compared only within paragraphs that are
    alike, so a rewritten paragraph reads as a replacement, not as confetti.
    """
    before, after = _paragraphs(old), _paragraphs(new)
    ops: list[Op] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(ops, "equal", "\n\n".join(after[j1:j2]) + "\n\n")
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for old_par, new_par in zip(before[i1:i2], after[j1:j2]):
                _replace(ops, old_par, new_par)
        else:
            _append(ops, "delete", "\n\n".join(before[i1:i2]))
            _append(ops, "insert", "\n\n".join(after[j1:j2]))
            _append(ops, "equal", "\n\n")
    return _trim(ops)


def _paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs of a text."""
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def _replace(ops: list[Op], old: str, new: str) -> None:
    """One changed paragraph: a word diff when alike, else a whole replacement."""
    words = SequenceMatcher(None, old.split(), new.split(), autojunk=False)
    short = min(len(words.a), len(words.b)) < SHORT_PARAGRAPH_WORDS
    if not short and words.ratio() < PARAGRAPH_SIMILARITY:
        _append(ops, "delete", old)
        _append(ops, "insert", new)
    else:
        for op, text in _word_ops(old, new):
            _append(ops, op, text)
    _append(ops, "equal", "\n\n")


def _word_ops(old: str, new: str) -> list[Op]:
    """Word-level ops within one paragraph."""
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
        last = after[j2 - 1] if j2 > j1 else before[i2 - 1]
        _append(ops, "equal", last[len(last.rstrip()):])
    return ops


def _trim(ops: list[Op]) -> list[Op]:
    """Drop the paragraph break after the last paragraph."""
    if ops and ops[-1][0] == "equal":
        text = ops[-1][1].rstrip("\n")
        ops[-1] = ("equal", text)
        if not text:
            ops.pop()
    return ops


def _append(ops: list[Op], op: str, text: str) -> None:
    """Add an op, merging it into the previous one of the same kind; skip empty text."""
    if not text:
        return
    if ops and ops[-1][0] == op:
        ops[-1] = (op, ops[-1][1] + text)
    else:
        ops.append((op, text))


def field_text(value, name: str = "body") -> str:
    """A content field as text: a bio list one item per paragraph, names joined by "; "."""
    value = normalise_value(value)
    if isinstance(value, list):
        return ("\n\n" if name == "bio" else "; ").join(value)
    return value or ""


def diff_versions(old: dict, new: dict, fields=CONTENT_FIELDS) -> dict[str, list[Op]]:
    """The word diff of each field that differs between two version records."""
    result = {}
    for name in fields:
        before, after = field_text(old.get(name), name), field_text(new.get(name), name)
        if before != after:
            result[name] = word_diff(before, after)
    return result


#: How :func:`as_text` marks each kind of op (git's word-diff style).
TEXT_MARKS = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}


def as_text(ops: list[Op]) -> str:
    """The diff as text, git's word-diff style: ``[-deleted-]{+inserted+}``."""
    return "".join(TEXT_MARKS[op].format(text) for op, text in ops)


def as_condensed_text(ops: list[Op]) -> str:
    """Like :func:`as_text`, with runs of unchanged paragraphs shown as ``[...]``."""
    paragraphs: list[list] = [["", False]]
    for op, text in ops:
        for index, piece in enumerate(text.split("\n\n")):
            if index:
                paragraphs.append(["", False])
            paragraphs[-1][0] += TEXT_MARKS[op].format(piece) if piece or op == "equal" else ""
            paragraphs[-1][1] |= op != "equal"
    shown: list[str] = []
    for text, changed in paragraphs:
        if changed:
            shown.append(text)
        elif not shown or shown[-1] != "[...]":
            shown.append("[...]")
    return "\n\n".join(shown)


def as_html(ops: list[Op]) -> str:
    """The diff as escaped HTML with ``<del>`` and ``<ins>``; paragraphs kept as line breaks."""
    tags = {"equal": "{}", "delete": "<del>{}</del>", "insert": "<ins>{}</ins>"}
    parts = [tags[op].format(html.escape(text)) for op, text in ops]
    return "".join(parts).replace("\n", "<br>\n")
