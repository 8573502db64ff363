"""Train the "is this page an article?" model (:mod:`archiver.parser.kind`) on wcxb-dev page types.

    python training/train_kind.py [CORPUS_DIR] [--write]

CORPUS_DIR defaults to ``../shared/corpus/wcxb-dev`` beside the repository. Every page is parsed
with :class:`archiver.page.ArticlePage` and its :func:`kind.features` taken; pages of type
``article`` are positives, every other type (forum, product, collection, listing,
documentation, service) negative. A logistic regression (L2, Newton steps, pure Python) is
validated by k-fold over *domains* (every page of a host in one fold), the threshold is the
highest one whose held-out recall is at least ``TARGET_RECALL``, and the held-out precision and
recall at that threshold are printed. ``--write`` refits on all pages and writes the weights to
``src/archiver/parser/kind_weights.py``. Deterministic: same corpus, same weights.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "wcxb-dev"
WEIGHTS_FILE = ROOT / "src" / "archiver" / "parser" / "kind_weights.py"
FOLDS = 5
L2 = 0.3
TARGET_RECALL = 0.955


def page_type(record: dict) -> str:
    """The page's type as the benchmark states it (``article`` when missing)."""
    kind = (record.get("_internal") or {}).get("page_type")
    kind = kind.get("primary") if isinstance(kind, dict) else kind
    return kind or "article"


def one_page(path: Path) -> dict:
    """The features and label of one ground-truth file's page."""
    from archiver.page import ArticlePage

    record = json.loads(path.read_text(encoding="utf-8"))
    html = gzip.decompress((path.parent.parent / "html" / f"{path.stem}.html.gz").read_bytes())
    url = record.get("url") or ""
    try:
        values = ArticlePage(url, html).kind_features
    except Exception:  # noqa: BLE001 - a page that does not parse has no features
        values = {}
    return {"id": path.stem, "url": url, "type": page_type(record), "x": values}


def load(corpus: Path) -> list[dict]:
    """Every page of the corpus with its features (two processes)."""
    files = sorted((corpus / "ground-truth").glob("*.json"))
    with Pool(2) as pool:
        return pool.map(one_page, files, chunksize=16)


def labelled(pages: list[dict]) -> list[dict]:
    """The pages that parsed, each with its label ``y`` (1 for an article) and its domain ``fold``."""
    pages = [p for p in pages if p["x"]]
    for p in pages:
        p["y"], p["fold"] = int(p["type"] == "article"), domain_fold(p["url"])
    return pages


def domain_fold(url: str) -> int:
    """The fold of a page: a hash of its host (``www.`` dropped), so a domain is never split."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return int(hashlib.md5(host.encode()).hexdigest(), 16) % FOLDS


# --- logistic regression -------------------------------------------------------------

def _sigmoid(z: float) -> float:
    """The logistic function, clipped."""
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """``a x = b`` by Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            if f:
                for c in range(col, n + 1):
                    m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def fit(rows: list[list[float]], labels: list[int], steps: int = 12) -> list[float]:
    """Weights (bias last) of an L2 logistic regression, by Newton steps."""
    n = len(rows[0]) + 1
    w = [0.0] * n
    data = [(r + [1.0], y) for r, y in zip(rows, labels)]
    for _ in range(steps):
        grad = [L2 * w[i] if i < n - 1 else 0.0 for i in range(n)]
        hess = [[(L2 if i == j and i < n - 1 else 0.0) + (1e-6 if i == j else 0.0) for j in range(n)]
                for i in range(n)]
        for x, y in data:
            p = _sigmoid(sum(a * b for a, b in zip(w, x)))
            g, h = p - y, p * (1 - p)
            nz = [(i, v) for i, v in enumerate(x) if v]
            for i, v in nz:
                grad[i] += g * v
                row = hess[i]
                for j, u in nz:
                    row[j] += h * v * u
        step = _solve(hess, grad)
        w = [a - b for a, b in zip(w, step)]
    return w


def predict(w: list[float], row: list[float]) -> float:
    """The probability of "article" for one feature row."""
    return _sigmoid(sum(a * b for a, b in zip(w, row + [1.0])))


def rates(scores: list[float], labels: list[int], threshold: float) -> tuple[float, float]:
    """Precision and recall of ``score >= threshold``."""
    tp = sum(1 for s, y in zip(scores, labels) if s >= threshold and y)
    fp = sum(1 for s, y in zip(scores, labels) if s >= threshold and not y)
    fn = sum(1 for s, y in zip(scores, labels) if s < threshold and y)
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def threshold_for(scores: list[float], labels: list[int], recall: float) -> float:
    """The highest threshold whose recall is at least ``recall``."""
    positives = sorted((s for s, y in zip(scores, labels) if y), reverse=True)
    k = math.ceil(recall * len(positives))
    return positives[k - 1] if positives else 0.5


def held_out(pages: list[dict], names: list[str]) -> list[float]:
    """Each page's score from the model fitted on the other folds' domains."""
    scores = [0.0] * len(pages)
    for fold in range(FOLDS):
        train = [p for p in pages if p["fold"] != fold]
        w = fit([[p["x"].get(n, 0.0) for n in names] for p in train], [p["y"] for p in train])
        for i, p in enumerate(pages):
            if p["fold"] == fold:
                scores[i] = predict(w, [p["x"].get(n, 0.0) for n in names])
    return scores


def write_weights(names: list[str], w: list[float], threshold: float, note: str) -> None:
    """The weights as a small Python module."""
    lines = [f'"""Weights of the article model, written by training/train_kind.py (do not edit by hand).\n\n{note}\n"""',
             "", f"BIAS = {w[-1]:.4f}", f"THRESHOLD = {threshold:.4f}", "WEIGHTS: dict[str, float] = {"]
    lines += [f"    {name!r}: {value:.4f}," for name, value in zip(names, w)]
    WEIGHTS_FILE.write_text("\n".join(lines + ["}", ""]), encoding="utf-8")


def main() -> None:
    """Load, validate by domain, report, and (with --write) refit and write the weights."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    pages = labelled(load(Path(args.corpus)))
    names = sorted({n for p in pages for n in p["x"]})
    labels = [p["y"] for p in pages]
    scores = held_out(pages, names)
    threshold = threshold_for(scores, labels, TARGET_RECALL)
    precision, recall = rates(scores, labels, threshold)
    note = (f"Held out by domain ({FOLDS} folds, {len(pages)} pages): precision {precision:.3f} "
            f"recall {recall:.3f} at threshold {threshold:.3f}.")
    print(note)
    print("held out, precision at recall 0.95: %.3f" % rates(scores, labels, threshold_for(scores, labels, 0.95))[0])
    for kind in sorted({p["type"] for p in pages}):
        picked = [s >= threshold for s, p in zip(scores, pages) if p["type"] == kind]
        print(f"  {kind:<14} {len(picked):>4} pages, called article: {sum(picked) / len(picked):.3f}")
    w = fit([[p["x"].get(n, 0.0) for n in names] for p in pages], labels)
    full = [predict(w, [p["x"].get(n, 0.0) for n in names]) for p in pages]
    print("training fit: precision %.3f recall %.3f" % rates(full, labels, threshold))
    for name, value in sorted(zip(names, w), key=lambda t: -abs(t[1])):
        print(f"  {value:+.3f}  {name}")
    if args.write:
        write_weights(names, w, threshold, note)


if __name__ == "__main__":
    main()
