"""Quality gate: the parser on the shared corpus must not fall below pinned floors.

As trafilatura's ``eval_gate.py``: a change that lowers body F1, title or byline agreement
fails the build. The floors sit about 0.005 below the figures measured when they were
pinned (``benchmarks/extraction.py`` prints them); raise them when the parser improves.
Both read the corpora and scorers through ``corpus_eval.py``.
Skips when the shared corpus (``../shared`` beside the repository) is absent.
"""

from __future__ import annotations

import pytest

import corpus_eval

#: Pinned floors on readability-test-pages (measured: see BENCHMARKS.md). Its expected titles are
#: Readability.js's own, the document title; ours is the headline a reader sees (the <h1> when a
#: metadata title repeats it or the <title> is the only one), as wcxb-dev's labels are.
FLOORS = {
    "body_f1": 0.960,
    "title_exact": 0.767,
    "byline_exact": 0.731,
}
#: Pinned floors on the 793 article pages of wcxb-dev: word F1 and, as a ceiling, the pages whose
#: body is lost almost entirely (F1 < 0.1; trafilatura 2.3.1 loses 6).
WCXB_ARTICLE_F1 = 0.948
WCXB_NEAR_TOTAL_FAILURES = 3
#: Pinned floor of exact titles on those pages.
WCXB_ARTICLE_TITLES = 0.895


@pytest.fixture(scope="module")
def figures() -> dict:
    """Our parser's figures on the corpus, computed once for the module."""
    reason = corpus_eval.missing_corpus(corpus_eval.DEFAULT_CORPUS)
    if reason:
        pytest.skip(reason)
    cases = corpus_eval.load_cases(corpus_eval.DEFAULT_CORPUS)
    outputs = {case.name: corpus_eval.ours(case) for case in cases}
    body, _ = corpus_eval.body_scores(outputs, corpus_eval.DEFAULT_CORPUS, corpus_eval.load_scorer())
    return {
        "body_f1": body["f1"],
        "title_exact": corpus_eval.agreement(outputs, cases, "title")["exact"],
        "byline_exact": corpus_eval.agreement(outputs, cases, "byline")["exact"],
    }


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_not_below_floor(figures, name):
    assert figures[name] >= FLOORS[name], f"{name} {figures[name]:.3f} fell below its floor {FLOORS[name]}"


@pytest.fixture(scope="module")
def wcxb_articles() -> list[dict]:
    """The scorer's rows for our parser on wcxb-dev's article pages."""
    scorer = corpus_eval.load_scorer(corpus_eval.WCXB_SCORER)
    if scorer is None or not (corpus_eval.WCXB / "html").is_dir():
        pytest.skip(f"no wcxb-dev corpus at {corpus_eval.WCXB}")
    outputs = {case.name: corpus_eval.ours(case) for case in corpus_eval.wcxb_cases("article", scorer)}
    truth = scorer.load_truth(corpus_eval.WCXB)
    return [row for row in scorer.score(truth, outputs) if row["type"] == "article"]


def test_wcxb_articles_word_f1_not_below_floor(wcxb_articles):
    f1 = sum(row["f1"] for row in wcxb_articles) / len(wcxb_articles)
    assert len(wcxb_articles) > 700
    assert f1 >= WCXB_ARTICLE_F1, f"wcxb-dev articles word F1 {f1:.3f} fell below {WCXB_ARTICLE_F1}"


def test_wcxb_articles_lost_almost_entirely_stay_few(wcxb_articles):
    lost = sorted(row["id"] for row in wcxb_articles if row["f1"] < 0.1)
    assert len(lost) <= WCXB_NEAR_TOTAL_FAILURES, f"{len(lost)} articles lost almost entirely: {lost}"


def test_wcxb_article_titles_not_below_floor(wcxb_articles):
    rows = [row["title"] for row in wcxb_articles if "title" in row]
    share = sum(rows) / len(rows)
    assert len(rows) > 700
    assert share >= WCXB_ARTICLE_TITLES, f"wcxb-dev article titles right {share:.3f} fell below {WCXB_ARTICLE_TITLES}"
