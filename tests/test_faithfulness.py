"""Faithfulness, zero tolerance: no word of a kept paragraph is dropped or moved (issue 12).

Every page of both shared corpora (``../shared/corpus``; skipped where it is absent, as in a
user's own clone) is parsed with its tree numbered, and each body paragraph is compared with
the element it came from (``tests/faithfulness.py`` says how). The small pages below show the
markup that used to lose words: inline links and spans whose class names read as labels,
meta lines, authors or share buttons.
"""

from __future__ import annotations

import gzip
import json
import os
from multiprocessing import Pool
from pathlib import Path

import pytest

from archiver import parse_article
from archiver.parser import body as body_stage
from faithfulness import check_page

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
WCXB = SHARED / "wcxb-dev"
READABILITY = SHARED / "readability-test-pages"
URL = "https://example.com/2025/06/01/river-floods/"
LEAD = ("For almost a decade the valley has flooded every other winter, and the levees built in the "
        "seventies no longer hold the water back when the snow melts early in the year. ")


def page(paragraph: str) -> str:
    """An article page whose second paragraph is ``paragraph``."""
    return (f"<html><body><h1>River floods</h1><div class='post'><p>{LEAD * 2}</p><p>{paragraph}</p>"
            f"<p>{LEAD}</p></div></body></html>")


@pytest.mark.parametrize("inline", [
    "<a href='/topics/yahoo'><span class='Link_module_Label'>Yahoo</span></a>",
    "<span class='byline author'>Yahoo</span>",
    "<span class='post-meta'>Yahoo</span>",
    "<a class='share-link' href='/s'>Yahoo</a>",
    "<a class='related-topic' href='/related/yahoo'>Yahoo</a>",
    "<span class='sidebar-widget'>Yahoo</span>",
    "<strong>Ads</strong>",
])
def test_inline_markup_keeps_its_words(inline):
    paragraph = f"The {inline} sale to Verizon is a complicated beast, say the lawyers who read the filing twice."
    word = "Ads" if "Ads" in inline else "Yahoo"
    assert f"The {word} sale to Verizon is a complicated beast" in parse_article(page(paragraph), URL).body


def test_a_table_row_keeps_its_header_cell():
    rows = "".join(f"<tr><th class='label'>Rating {i}</th><td>{i}.5</td><td>good</td></tr>" for i in range(12))
    html = page(LEAD).replace("</div>", f"<table>{rows}</table></div>")
    assert "Rating 7 7.5 good" in parse_article(html, URL).body


def test_the_check_finds_a_dropped_word(monkeypatch):
    """The check itself can fail: with the running-text guard off, a label span is dropped and reported."""
    monkeypatch.setattr(body_stage, "in_running_text", lambda el: False)
    paragraph = ("The <a href='/t'><span class='Link_module_Label'>Yahoo</span></a> sale to Verizon is a "
                 "complicated beast, say the lawyers who read the filing twice.")
    violations = check_page(page(paragraph), URL)
    assert [v.missing for v in violations] == ["yahoo"]


def _wcxb_page(path: Path) -> tuple[str, bytes, str]:
    """One wcxb-dev page: its name, bytes and URL."""
    truth = json.loads((WCXB / "ground-truth" / f"{path.name[:-8]}.json").read_text("utf8"))
    return path.name, gzip.decompress(path.read_bytes()), truth.get("url") or "https://example.com/"


def _readability_page(folder: Path) -> tuple[str, bytes, str]:
    """One readability-test-pages page: its name, bytes and URL."""
    meta = folder / "expected-metadata.json"
    url = (json.loads(meta.read_text("utf8")) if meta.exists() else {}).get("url")
    return folder.name, (folder / "source.html").read_bytes(), url or f"http://example.com/{folder.name}/"


def _violations(item: tuple[str, bytes, str]) -> list[str]:
    """The violations on one page, as lines naming the page."""
    name, html, url = item
    return [f"{name}: {v}" for v in check_page(html, url)]


def _pages():
    """Every page of both corpora, as (name, bytes, URL), read lazily."""
    for path in sorted((WCXB / "html").glob("*.html.gz")):
        yield _wcxb_page(path)
    for folder in sorted(p for p in READABILITY.iterdir() if (p / "source.html").exists()):
        yield _readability_page(folder)


@pytest.mark.skipif(not (WCXB / "html").is_dir() or not READABILITY.is_dir(),
                    reason="the shared corpora (../shared/corpus) are not beside the repository")
def test_every_page_of_both_corpora_keeps_every_word_of_its_paragraphs():
    with Pool(max(1, min(4, os.cpu_count() or 1))) as pool:
        found = [line for lines in pool.imap_unordered(_violations, _pages(), chunksize=8) for line in lines]
    assert not found, f"{len(found)} violations:\n" + "\n".join(found[:20])
