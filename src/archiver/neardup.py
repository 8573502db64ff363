"""Near-duplicate bodies across URLs: bottom-k MinHash over word shingles.

Each body becomes the set of its 5-word shingles; each shingle is hashed once (63
bits, so SQLite stores it as an integer) and the ``K`` smallest hashes are the
body's sketch. Two sketches estimate the Jaccard similarity of the two shingle sets:
among the ``K`` smallest hashes of their union, the share found in both.

Candidates come from the index ``body_sketches(value, article_id)``: articles that
share at least ``MIN_SHARED`` sketch values. The threshold ``THRESHOLD`` was chosen
by measurement (``benchmarks/near_duplicates.py``; see BENCHMARKS.md).
"""

from __future__ import annotations

import hashlib
import re

from sqlite_utils import Database

K = 64
SHINGLE = 5
#: Estimated Jaccard similarity from which two bodies are recorded as near-duplicates.
THRESHOLD = 0.5
#: Sketch values two articles must share to be compared at all.
MIN_SHARED = 4
#: Bodies with fewer words than this are not sketched (too short to tell).
MIN_WORDS = 50
METHOD = f"minhash-bottom{K}-{SHINGLE}shingle"
_WORDS = re.compile(r"\w+")
_MASK = (1 << 63) - 1


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The set of ``size``-word windows of a text, lower-cased."""
    words = _WORDS.findall(text.lower())
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def sketch(text: str, k: int = K) -> list[int]:
    """The ``k`` smallest 63-bit shingle hashes of a text, sorted; [] for short texts."""
    if len(_WORDS.findall(text)) < MIN_WORDS:
        return []
    values = {int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") & _MASK for s in shingles(text)}
    return sorted(values)[:k]


def similarity(a: list[int], b: list[int], k: int = K) -> float:
    """Estimated Jaccard similarity of two sketches."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[:k]
    both = set(a) & set(b)
    return sum(1 for value in union if value in both) / len(union)


class NearDuplicates:
    """Keep article sketches current and record near-duplicate pairs."""

    def __init__(self, db: Database):
        self.db = db

    def update(self, article_id: int, body: str, now: str) -> list[tuple[int, float]]:
        """Re-sketch an article's body; record and return ``(other_id, similarity)`` matches."""
        values = sketch(body)
        self.db.execute("delete from body_sketches where article_id = ?", [article_id])
        if not values:
            return []
        self.db.conn.executemany(
            "insert or ignore into body_sketches (value, article_id) values (?, ?)", [(v, article_id) for v in values]
        )
        matches = [(other, score) for other, score in self._scores(article_id, values) if score >= THRESHOLD]
        for other, score in matches:
            self.db.conn.execute(
                "insert or replace into near_duplicates (article_id, other_id, similarity, method, detected_at) "
                "values (?, ?, ?, ?, ?)",
                [article_id, other, round(score, 3), METHOD, now],
            )
        return matches

    def _scores(self, article_id: int, values: list[int]) -> list[tuple[int, float]]:
        """Similarity to every candidate that shares enough sketch values (their sketches read in one query)."""
        marks = ",".join("?" * len(values))
        rows = self.db.execute(
            f"select article_id, value from body_sketches where article_id in ("
            f"select article_id from body_sketches where value in ({marks}) and article_id != ? "
            f"group by article_id having count(*) >= ?)",
            [*values, article_id, MIN_SHARED],
        )
        sketches: dict[int, list[int]] = {}
        for other, value in rows:
            sketches.setdefault(other, []).append(value)
        return [(other, similarity(values, sketches[other])) for other in sorted(sketches)]
