"""Quality gate: the parser on the shared corpus must not fall below pinned floors.

As trafilatura's ``eval_gate.py``: a change that lowers body F1, title or byline agreement
fails the build. The floors sit about 0.005 below the figures measured when they were
pinned (``benchmarks/extraction.py`` prints them); raise them when the parser improves.
Skips when the shared corpus (``../shared`` beside the repository) is absent.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "extraction.py"

#: Pinned floors on readability-test-pages (measured: see BENCHMARKS.md).
FLOORS = {
    "body_f1": 0.961,
    "title_exact": 0.830,
    "byline_exact": 0.719,
}


def _bench():
    """``benchmarks/extraction.py`` as a module (it holds the corpus and scoring helpers)."""
    spec = importlib.util.spec_from_file_location("extraction_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def figures() -> dict:
    """Our parser's figures on the corpus, computed once for the module."""
    bench = _bench()
    reason = bench.missing_corpus(bench.DEFAULT_CORPUS)
    if reason:
        pytest.skip(reason)
    cases = bench.load_cases(bench.DEFAULT_CORPUS)
    outputs = {case.name: bench.ours(case) for case in cases}
    body, _ = bench.body_scores(outputs, bench.DEFAULT_CORPUS, bench.load_scorer())
    return {
        "body_f1": body["f1"],
        "title_exact": bench.agreement(outputs, cases, "title")["exact"],
        "byline_exact": bench.agreement(outputs, cases, "byline")["exact"],
    }


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_not_below_floor(figures, name):
    assert figures[name] >= FLOORS[name], f"{name} {figures[name]:.3f} fell below its floor {FLOORS[name]}"
