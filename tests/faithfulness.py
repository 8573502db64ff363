"""The faithfulness check: every body paragraph holds every word of the element it came from.

The page's tree is numbered before the stages run (a ``data-faithful`` attribute on every
element); each body block knows its source element (``Block.source``), so the blocks that came
from one element are compared with that element's own words in the page as a reader sees it
(scripts, styles and hidden elements pruned, as the parser prunes them; the page mode reads the page
anew, numbered the same, and keeps its closed panels). An element's own words
are its text outside nested block elements (those are checked as elements of their own), in
runs between them.

Words may be missing only as whole runs that the parser recorded in ``boilerplate`` (an
"Advertisement" label inside a paragraph, say); anything else missing, or out of order, is a
violation. Whole paragraphs may be left out of the body (that is choosing the content, judged
by the quality benchmarks); words inside a kept paragraph may not.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass

from archiver.parser.page import ArticlePage
from archiver.parser import clean
from archiver.parser.selectors import BLOCK_TAGS, PARAGRAPH_TAGS

SOURCE = "data-faithful"
_WORD = re.compile(r"\w+")


@dataclass
class Violation:
    """Words of a kept element that the body lost."""

    element: str
    missing: str
    kept: str

    def __str__(self) -> str:
        return f"<{self.element}> lost {self.missing!r} (body has {self.kept[:160]!r})"


def words(text: str) -> list[str]:
    """The lower-case words of ``text``."""
    return _WORD.findall(text.lower())


def own_runs(el) -> list[str]:
    """The runs of text of ``el`` outside nested numbered block elements, in document order.

    A run is the inline text between two nested blocks: a paragraph of its own in the body.
    Inline text is joined as it stands ("<b>I</b>f" is one word, as a reader sees it); a line
    break, an image or a nested unnumbered block separates words, as they do on the page.
    """
    runs, parts = [], [el.text or ""]
    for child in el:
        name = child.tag if isinstance(child.tag, str) else ""
        if name in PARAGRAPH_TAGS and child.get(SOURCE):
            runs.append("".join(parts))
            parts = []
        elif name:
            separate = name in BLOCK_TAGS or name in ("br", "img")
            parts.append(" " + " ".join(own_runs(child)) + " " if separate else "".join(own_runs(child)))
        parts.append(child.tail or "")
    runs.append("".join(parts))
    return runs


def numbered(el):
    """``el`` or its nearest ancestor that carries a source number, or None."""
    while el is not None and not el.get(SOURCE):
        el = el.getparent()
    return el


def unmatched_runs(runs: list[list[str]], got: list[str]) -> list[list[str]]:
    """Words of ``runs`` missing from ``got``, in runs, for the runs the body kept some of.

    The runs are aligned with ``got`` as ``difflib`` aligns them; a run of which no word is in
    the body was left out whole (a paragraph not chosen), which is not a loss of words.
    """
    expected = [word for run in runs for word in run]
    owner = [i for i, run in enumerate(runs) for _ in run]
    kept = [0] * len(runs)
    missing: list[tuple[int, int]] = []
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for i in range(i1, i2):
                kept[owner[i]] += 1
        elif op in ("delete", "replace") and not glued(expected[i1:i2], got[j1:j2]):
            missing.append((i1, i2))
    lost = []
    for i1, i2 in missing:
        words_lost = [expected[i] for i in range(i1, i2) if kept[owner[i]]]
        if words_lost:
            lost.append(words_lost)
    return lost


def glued(missing: list[str], instead: list[str]) -> bool:
    """Whether ``instead`` is ``missing`` with word boundaries moved (the same letters: "DET" "Detroit"
    shown as "DETDetroit" where the page puts an image between them)."""
    return "".join(missing) == "".join(instead)


def recorded(run: list[str], records: list[str]) -> bool:
    """Whether the words ``run`` are a whole record of ``boilerplate`` or a run within one."""
    needle = f" {' '.join(run)} "
    return any(needle in record for record in records)


def check_page(html: bytes | str, url: str) -> list[Violation]:
    """The faithfulness violations of our parser on one page."""
    page = ArticlePage(url, html)
    page.meta  # metadata reads the tree before anything is pruned, as in a real parse
    for i, el in enumerate(page.root.iter()):
        if isinstance(el.tag, str):
            el.set(SOURCE, str(i))
    original = copy.deepcopy(page.root)
    page.__dict__["fresh_root"] = copy.deepcopy(page.root)  # the page mode's tree, numbered the same
    clean.prune(original, keep_panels=not page.is_article)
    by_number = {el.get(SOURCE): el for el in original.iter() if isinstance(el.tag, str) and el.get(SOURCE)}
    kept: dict[str, list[str]] = {}
    for block in page.blocks:
        source = numbered(block.source) if block.source is not None else None
        if source is not None and block.kind != "img":
            kept.setdefault(source.get(SOURCE), []).extend(words(block.plain))
    records = [f" {' '.join(words(item['text']))} " for item in page.boilerplate]
    violations = []
    for number, got in kept.items():
        element = by_number.get(number)
        if element is None:
            continue
        for run in unmatched_runs([words(text) for text in own_runs(element)], got):
            if not recorded(run, records):
                violations.append(Violation(element.tag, " ".join(run), " ".join(got)))
    return violations
