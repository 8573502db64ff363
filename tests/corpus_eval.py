"""The shared corpora as test and benchmark data: pages, expected output, scorers, our parser's output.

Reads ``../shared`` beside the repository (``corpus/readability-test-pages``, ``corpus/wcxb-dev``
and the scorers in ``eval/``); :func:`missing_corpus` says why a corpus cannot be used, so a
test can skip where it is absent, as in a user's own clone. The quality gate
(``test_quality_gate.py``) and ``benchmarks/extraction.py`` both read the corpora through it.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import statistics
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_CORPUS = SHARED / "corpus" / "readability-test-pages"
SCORER = SHARED / "eval" / "score_body.py"
WCXB = SHARED / "corpus" / "wcxb-dev"
WCXB_SCORER = SHARED / "eval" / "score_wcxb.py"

_WORD = re.compile(r"\w+")
_BY = re.compile(r"^(?:by|par|por|von)\s+", re.I)


# --- the corpus ----------------------------------------------------------------------------

class Case:
    """One corpus page: its name, bytes, URL and expected metadata."""

    def __init__(self, folder: Path) -> None:
        self.name = folder.name
        self.html = (folder / "source.html").read_bytes()
        meta = folder / "expected-metadata.json"
        self.expected = json.loads(meta.read_text("utf8")) if meta.exists() else {}
        self.url = self.expected.get("url") or f"http://example.com/{folder.name}/"


def load_cases(corpus: Path) -> list[Case]:
    """Every ``<case>/source.html`` page of ``corpus``, by name."""
    return [Case(p.parent) for p in sorted(corpus.glob("*/source.html"))]


def load_scorer(path: Path = SCORER):
    """A shared scorer (the body scorer by default) as a module (stdlib only), or None when it is absent."""
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def missing_corpus(corpus: Path) -> str | None:
    """Why the benchmark cannot run on ``corpus``, or None when it can."""
    if not (corpus / "ground-truth.json").exists():
        return f"no corpus at {corpus} (ground-truth.json missing)"
    if not SCORER.exists():
        return f"no scorer at {SCORER}"
    return None


# --- agreement -----------------------------------------------------------------------------

def norm(text: str | None) -> str:
    """Whitespace collapsed and trimmed."""
    return " ".join((text or "").split())


def norm_byline(text: str | None) -> str:
    """A byline compared loosely: lower case, no leading "By", whitespace collapsed."""
    return _BY.sub("", norm(text).lower())


def token_f1(got: str | None, want: str | None) -> float:
    """F1 of the lower-case word multisets of two strings (1.0 when both are empty)."""
    a, b = Counter(_WORD.findall((got or "").lower())), Counter(_WORD.findall((want or "").lower()))
    if not a and not b:
        return 1.0
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * p * r / (p + r)


def agreement(outputs: dict[str, dict], cases: list[Case], field: str) -> dict:
    """Exact and token-F1 agreement of one metadata field over the pages that expect one."""
    norm_of = norm_byline if field == "byline" else norm
    pairs = [(outputs[c.name].get(field), c.expected.get(field)) for c in cases if c.expected.get(field)]
    if not pairs:
        return {"exact": 0.0, "f1": 0.0, "pages": 0}
    exact = sum(norm_of(got) == norm_of(want) for got, want in pairs) / len(pairs)
    f1 = statistics.fmean(token_f1(got, want) for got, want in pairs)
    return {"exact": exact, "f1": f1, "pages": len(pairs)}


def body_scores(outputs: dict[str, dict], corpus: Path, scorer) -> tuple[dict, dict]:
    """The shared scorer's figures and per-page F1 for the bodies in ``outputs``."""
    truth, _ = scorer.load(str(corpus / "ground-truth.json"))
    pred = {key: {"articleBody": outputs.get(key, {}).get("body") or ""} for key in truth}
    return scorer.score(truth, pred)


# --- our parser -------------------------------------------------------------------------

def ours(case: Case) -> dict:
    """Our parser: body, title and byline of one page."""
    from archiver import ParseError, parse_article

    try:
        article = parse_article(case.html, case.url)
    except ParseError:
        return {}
    return {"body": article.body, "title": article.title, "byline": ", ".join(article.byline),
            "published": article.published, "is_article": article.is_article}


# --- wcxb-dev ------------------------------------------------------------------------------

class WcxbCase:
    """One wcxb-dev page: its id, bytes and URL."""

    def __init__(self, html_path: Path) -> None:
        self.name = html_path.name.split(".")[0]
        truth = json.loads((WCXB / "ground-truth" / f"{self.name}.json").read_text("utf8"))
        self.html = gzip.decompress(html_path.read_bytes())
        self.url = truth.get("url") or f"http://example.com/{self.name}/"


def wcxb_cases(page_type: str | None = None, scorer=None) -> list[WcxbCase]:
    """wcxb-dev's pages (of one ``page_type``, e.g. ``"article"``, given the wcxb scorer), by id."""
    paths = sorted((WCXB / "html").glob("*.html.gz"))
    if page_type is not None:
        truth = scorer.load_truth(WCXB)
        paths = [p for p in paths if truth.get(p.name.split(".")[0], {}).get("type") == page_type]
    return [WcxbCase(path) for path in paths]
