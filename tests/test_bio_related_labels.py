"""The hand labels of author bios, related links and bylines (``benchmarks/labels``) and the
parser's figures on them.

The label file must be well formed; with the shared corpus beside the repository every label
is checked against its page (each bio text is in the page's visible text, each related URL is
a link on the page, each byline name is in the page) and the parser's figures must not fall
below pinned floors. Without ``../shared`` those tests skip.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bio_related  # noqa: E402 - the benchmark folder is not a package
import labels.candidates as candidates  # noqa: E402

#: Pinned floors, about 0.01 below the figures measured when they were pinned (bio P 0.984,
#: F1 0.823; related P 0.978, F1 0.885; byline 0.679, now 0.727, floor left to the byline work;
#: goals: bio F1 0.80 and related F1 0.85, each at precision 0.95).
FLOORS = {
    "bio_p": 0.975, "bio_f1": 0.81, "related_p": 0.965, "related_f1": 0.875, "byline": 0.67,
}
#: The highest share of labelled bios the parser may miss entirely (measured: 0.167).
MAX_BIO_MISSED = 0.18


@pytest.fixture(scope="module")
def bench():
    """The scorer module (``benchmarks/bio_related.py``)."""
    return bio_related


@pytest.fixture(scope="module")
def corpus(bench):
    """The wcxb-dev corpus, or skip."""
    if not (bench.CORPUS / "html").is_dir():
        pytest.skip("needs ../shared/corpus/wcxb-dev (absent in a user's own clone)")
    return bench.CORPUS


def test_label_file_is_well_formed(bench):
    labels = bench.load_labels()
    assert len(labels) >= 150
    ids = [label["id"] for label in labels]
    assert len(set(ids)) == len(ids) and ids == sorted(ids)
    for label in labels:
        assert set(label) == {"id", "url", "bio", "related", "byline", "note"}, label["id"]
        assert label["url"].startswith("http")
        assert isinstance(label["note"], str)
        for key in ("bio", "related", "byline"):
            values = label[key]
            assert isinstance(values, list) and all(isinstance(v, str) and v.strip() for v in values)
            assert len(set(values)) == len(values), (label["id"], key)
        assert all(url.startswith("http") for url in label["related"]), label["id"]
    # empty labels are labels too: pages without a bio or related links are part of the set
    assert any(not label["bio"] for label in labels) and any(not label["related"] for label in labels)


def test_labels_are_the_selection_rule(bench, corpus):
    assert [label["id"] for label in bench.load_labels()] == sorted(bench.sample_ids(corpus))


def test_every_label_is_on_its_page(bench, corpus):
    problems = []
    for label in bench.load_labels():
        html = bench.page_html(corpus, label["id"])
        root = bench.tree(html)
        visible = bench.word_line(bench.visible_text(root))
        targets = bench.hrefs(root, label["url"])
        raw = bench.squash(html.decode("utf8", "replace")).lower()
        problems += [(label["id"], b[:40]) for b in label["bio"] if bench.word_line(b) not in visible]
        problems += [(label["id"], u) for u in label["related"] if bench.norm_url(u) not in targets]
        problems += [(label["id"], n) for n in label["byline"] if n.lower() not in raw]
        assert bench.truth(corpus, label["id"])["url"] == label["url"]
    assert problems == []


def test_decisions_rebuild_the_label_file(bench, corpus):
    # the labels are the person's decisions resolved against the pages, never our parser's output
    assert candidates.resolve_all(candidates.Path(bench.LABELS).with_name("decisions.txt")) == bench.load_labels()


def test_norm_url_ignores_scheme_www_slash_and_fragment(bench):
    assert bench.norm_url("http://www.a.com/x/#top") == bench.norm_url("https://a.com/x")
    assert bench.norm_url("https://a.com/x?p=1") != bench.norm_url("https://a.com/x?p=2")


def test_page_scores_separate_precision_and_recall(bench):
    class Article:
        bio = ["Jane Doe is a reporter."]
        related_links = [{"url": "https://a.com/one/", "text": "One"}]
        byline = ["Jane Doe"]

    label = {"id": "x", "url": "https://a.com/", "bio": [], "byline": ["jane  doe"],
             "related": ["https://a.com/one", "https://a.com/two"]}
    row = bench.score_page(label, Article)
    assert row["bio"] == (0.0, None, 0.0) and not row["bio_missed"]
    assert row["related"][:2] == (1.0, 0.5) and row["byline"]


def test_parser_figures_hold_their_floors(bench, corpus):
    s = bench.summary(bench.run(corpus, bench.load_labels()))
    figures = {"bio_p": s["bio"][0], "bio_f1": s["bio"][2], "related_p": s["related"][0],
               "related_f1": s["related"][2], "byline": s["byline"]}
    low = {k: round(v, 3) for k, v in figures.items() if v < FLOORS[k]}
    assert low == {}, f"below the floors {FLOORS}: {low}"
    assert s["bio_missed"] <= MAX_BIO_MISSED
