"""Train the "is this page an article?" model (:mod:`archiver.parser.kind`) on wcxb-dev page types.

    python training/train_kind.py [CORPUS_DIR] [--write]

CORPUS_DIR defaults to ``../shared/corpus/wcxb-dev`` beside the repository. Every page is parsed
with :class:`archiver.parser.page.ArticlePage` and its :func:`kind.features` taken; pages of type
``article`` are positives, every other type (forum, product, collection, listing,
documentation, service) negative. One logistic regression per page type, that type against the
rest (L2, Newton steps, pure Python), gives each type's log-odds; a page's score is the article
model's against the others' (a softmax of article and "any other type"). The models are
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
from operator import itemgetter, mul
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "wcxb-dev"
WEIGHTS_FILE = ROOT / "src" / "archiver" / "parser" / "kind_weights.py"
FOLDS = 5
#: The L2 penalty (3.0 held out best by domain among 0.3, 1, 2, 3, 4.5, 6 and 12).
L2 = 3.0
TARGET_RECALL = 0.95


def page_type(record: dict) -> str:
    """The page's type as the benchmark states it (``article`` when missing)."""
    kind = (record.get("_internal") or {}).get("page_type")
    kind = kind.get("primary") if isinstance(kind, dict) else kind
    return kind or "article"


def one_page(path: Path) -> dict:
    """The features and label of one ground-truth file's page."""
    from archiver.parser.page import ArticlePage

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
                m[r][col:] = [a - f * b for a, b in zip(m[r][col:], m[col][col:])]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def _hessian(cols: list[list[float]], h: list[float]) -> list[list[float]]:
    """``X^T diag(h) X`` over the columns, each pair summed over the sparser column's non-zero rows."""
    n = len(cols)
    hess = [[0.0] * n for _ in range(n)]
    nonzero = [[r for r, v in enumerate(c) if v] for c in cols]
    for i in sorted(range(n), key=lambda i: len(nonzero[i])):
        rows = nonzero[i]
        if not rows:
            continue
        pick = (lambda c, r=rows[0]: (c[r],)) if len(rows) == 1 else itemgetter(*rows)
        hc = list(map(mul, pick(cols[i]), pick(h)))
        for j in range(n):
            if not hess[i][j] and (len(nonzero[j]) > len(rows) or j >= i):
                hess[i][j] = hess[j][i] = sum(map(mul, hc, pick(cols[j])))
    return hess


def fit(rows: list[list[float]], labels: list[int], steps: int = 12) -> list[float]:
    """Weights (bias last) of an L2 logistic regression, by Newton steps (column sums run in C)."""
    cols = [list(c) for c in zip(*rows)] + [[1.0] * len(rows)]
    n = len(cols)
    w = [0.0] * n
    for _ in range(steps):
        p = [_sigmoid(sum(map(mul, w, x))) for x in zip(*cols)]
        r = [a - y for a, y in zip(p, labels)]
        grad = [sum(map(mul, c, r)) + (L2 * w[i] if i < n - 1 else 0.0) for i, c in enumerate(cols)]
        hess = _hessian(cols, [a * (1 - a) for a in p])
        for i in range(n):
            hess[i][i] += (L2 if i < n - 1 else 0.0) + 1e-6
        step = _solve(hess, grad)
        w = [a - b for a, b in zip(w, step)]
        if max(map(abs, step)) < 1e-7:
            break
    return w


def fit_types(rows: list[list[float]], types: list[str]) -> dict[str, list[float]]:
    """One model per page type, that type against all others (one-vs-rest)."""
    return {kind: fit(rows, [int(t == kind) for t in types]) for kind in sorted(set(types))}


def logit(w: list[float], row: list[float]) -> float:
    """One model's log-odds for one feature row."""
    return sum(map(mul, w, row + [1.0]))


def predict(models: dict[str, list[float]], row: list[float]) -> float:
    """The probability of "article": the article model's log-odds against the others' (a softmax of the two)."""
    z = {kind: logit(w, row) for kind, w in models.items()}
    others = [v for kind, v in z.items() if kind != "article"]
    top = max(others)
    return _sigmoid(z["article"] - top - math.log(sum(math.exp(v - top) for v in others)))


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
    """Each page's score from the models fitted on the other folds' domains."""
    scores = [0.0] * len(pages)
    for fold in range(FOLDS):
        train = [p for p in pages if p["fold"] != fold]
        models = fit_types([[p["x"].get(n, 0.0) for n in names] for p in train], [p["type"] for p in train])
        for i, p in enumerate(pages):
            if p["fold"] == fold:
                scores[i] = predict(models, [p["x"].get(n, 0.0) for n in names])
    return scores


def write_weights(names: list[str], models: dict[str, list[float]], threshold: float, note: str) -> None:
    """The weights as a small Python module: a bias and weights by feature for each page type."""
    lines = [f'"""Weights of the article model, written by training/train_kind.py (do not edit by hand).\n\n{note}\n"""',
             "", f"THRESHOLD = {threshold:.4f}", "BIAS: dict[str, float] = {"]
    lines += [f"    {kind!r}: {w[-1]:.4f}," for kind, w in models.items()]
    lines += ["}", "WEIGHTS: dict[str, dict[str, float]] = {"]
    for kind, w in models.items():
        lines += [f"    {kind!r}: {{"] + [f"        {name!r}: {value:.4f}," for name, value in zip(names, w) if value]
        lines += ["    },"]
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
    rows = [[p["x"].get(n, 0.0) for n in names] for p in pages]
    models = fit_types(rows, [p["type"] for p in pages])
    full = [predict(models, row) for row in rows]
    print("training fit: precision %.3f recall %.3f" % rates(full, labels, threshold))
    for name, value in sorted(zip(names, models["article"]), key=lambda t: -abs(t[1]))[:30]:
        print(f"  {value:+.3f}  {name}")
    if args.write:
        write_weights(names, models, threshold, note)


if __name__ == "__main__":
    main()
