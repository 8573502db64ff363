"""Near-duplicate bodies across URLs: bottom-k MinHash over word shingles.

Each body becomes the set of its 5-word shingles; each shingle is hashed once (63
bits) and the ``K`` smallest hashes are the body's sketch, kept as one blob per
article (``article_sketches``). Two sketches estimate the Jaccard similarity of the
two shingle sets: among the ``K`` smallest hashes of their union, the share found in
both.

Candidates come from ``sketch_keys(value, article_id)``, which holds only the
``KEYS`` smallest values of each sketch: two bodies are compared when those share a
value. For similar bodies the smallest hashes of the union fall in both sets with
probability of about their similarity, so at similarity 0.5 a pair sharing none of
eight keys is rare (measured: ``benchmarks/near_duplicates.py`` prints the share of
pairs above the threshold that are found as candidates). Eight index rows per
article instead of sixty-four keep writes and the file small. ``THRESHOLD`` was
chosen by measurement too (see BENCHMARKS.md).
"""

from __future__ import annotations

import hashlib
import re
from array import array

from sqlite_utils import Database

K = 64
SHINGLE = 5
#: Estimated Jaccard similarity from which two bodies are recorded as near-duplicates.
THRESHOLD = 0.5
#: The smallest sketch values indexed: articles sharing one of them are compared.
KEYS = 8
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
    words = _WORDS.findall(text.lower())
    if len(words) < MIN_WORDS:
        return []
    blake = hashlib.blake2b
    values = {
        int.from_bytes(blake(" ".join(words[i : i + SHINGLE]).encode(), digest_size=8).digest(), "big") & _MASK
        for i in range(len(words) - SHINGLE + 1)
    }
    return sorted(values)[:k]


def similarity(a: list[int], b: list[int], k: int = K) -> float:
    """Estimated Jaccard similarity of two sketches."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[:k]
    both = set(a) & set(b)
    return sum(1 for value in union if value in both) / len(union)


def is_candidate(a: list[int], b: list[int]) -> bool:
    """Whether two sketches would be compared: their ``KEYS`` smallest values meet."""
    return not set(a[:KEYS]).isdisjoint(b[:KEYS])


def pack(values: list[int]) -> bytes:
    """A sketch as a blob (signed 64-bit, native order)."""
    return array("q", values).tobytes()


def unpack(blob: bytes) -> list[int]:
    """The inverse of :func:`pack`."""
    values = array("q")
    values.frombytes(blob)
    return values.tolist()


class NearDuplicates:
    """Keep article sketches current and record near-duplicate pairs."""

    def __init__(self, db: Database):
        self.db = db

    def update(self, article_id: int, body: str, now: str) -> list[tuple[int, float]]:
        """Re-sketch an article's body; record and return ``(other_id, similarity)`` matches."""
        values = sketch(body)
        self.forget(article_id)
        if not values:
            return []
        conn = self.db.conn
        conn.execute("insert into article_sketches (article_id, sketch) values (?, ?)", [article_id, pack(values)])
        keys = values[:KEYS]
        matches = [(other, score) for other, score in self._scores(article_id, values, keys) if score >= THRESHOLD]
        conn.executemany("insert or ignore into sketch_keys (value, article_id) values (?, ?)", [(v, article_id) for v in keys])
        for other, score in matches:
            conn.execute(
                "insert or replace into near_duplicates (article_id, other_id, similarity, method, detected_at) "
                "values (?, ?, ?, ?, ?)",
                [article_id, other, round(score, 3), METHOD, now],
            )
        return matches

    def forget(self, article_id: int) -> None:
        """Remove an article's sketch and index keys."""
        conn = self.db.conn
        row = conn.execute("select sketch from article_sketches where article_id = ?", [article_id]).fetchone()
        if row is None:
            return
        conn.executemany(
            "delete from sketch_keys where value = ? and article_id = ?", [(v, article_id) for v in unpack(row[0])[:KEYS]]
        )
        conn.execute("delete from article_sketches where article_id = ?", [article_id])

    def _scores(self, article_id: int, values: list[int], keys: list[int]) -> list[tuple[int, float]]:
        """Similarity to every article whose keys meet ``keys`` (their sketches read in one query)."""
        marks = ",".join("?" * len(keys))
        rows = self.db.conn.execute(
            f"select article_id, sketch from article_sketches where article_id in ("
            f"select article_id from sketch_keys where value in ({marks}) and article_id != ?)",
            [*keys, article_id],
        )
        return sorted((other, similarity(values, unpack(blob))) for other, blob in rows)
