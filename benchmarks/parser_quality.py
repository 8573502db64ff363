"""Print the article parser's body quality and speed on a corpus of test pages.

    python benchmarks/parser_quality.py [--corpus PATH]

The corpus is a folder of ``<case>/source.html`` pages with ``expected-metadata.json``
and a ``ground-truth.json`` beside them (default: ``readability-test-pages`` of the
shared corpus). Body precision / recall / F1 come from the shared scorer
(``eval/score_body.py``); title and byline accuracy are exact matches after whitespace
normalisation (bylines also without a leading "By", names joined by ", "); time is
``parse_article`` per page, median and p95 of the per-page minimum of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archiver import ParseError, parse_article

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT_CORPUS = SHARED / "corpus" / "readability-test-pages"
SCORER = SHARED / "eval" / "score_body.py"


def norm(text: str | None) -> str:
    """Whitespace collapsed and trimmed."""
    return re.sub(r"\s+", " ", text or "").strip()


def norm_byline(text: str | None) -> str:
    """A byline compared loosely: no "By" prefix, lower case, whitespace collapsed."""
    return re.sub(r"^(?:by|par|por)\s+", "", norm(text).lower())


def page_url(case_dir: Path, expected: dict) -> str:
    """The page's URL: from its metadata if given, else a made-up one."""
    return expected.get("url") or f"http://example.com/{case_dir.name}/"


def parse_case(case_dir: Path, repeat: int) -> tuple[dict, float]:
    """One page parsed: (article dict or {}, best time in ms)."""
    meta_path = case_dir / "expected-metadata.json"
    expected = json.loads(meta_path.read_text("utf8")) if meta_path.exists() else {}
    html = (case_dir / "source.html").read_bytes()
    url = page_url(case_dir, expected)
    best, article = float("inf"), {}
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            article = parse_article(html, url).to_dict()
        except ParseError:
            article = {}
        best = min(best, (time.perf_counter() - start) * 1000)
    return article, best


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per page (min is kept)")
    ap.add_argument("--worst", type=int, default=0, help="list the K pages with the lowest F1")
    args = ap.parse_args(argv)

    cases = sorted(p.parent for p in args.corpus.glob("*/source.html"))
    if not cases:
        print(f"no pages under {args.corpus}", file=sys.stderr)
        return 2
    predictions, times = {}, {}
    title_ok = byline_ok = byline_n = 0
    for case in cases:
        article, ms = parse_case(case, args.repeat)
        times[case.name] = ms
        predictions[case.name] = {"articleBody": article.get("body", "")}
        meta_path = case / "expected-metadata.json"
        expected = json.loads(meta_path.read_text("utf8")) if meta_path.exists() else {}
        title_ok += norm(article.get("title")) == norm(expected.get("title"))
        if expected.get("byline"):
            byline_n += 1
            byline_ok += norm_byline(", ".join(article.get("byline") or [])) == norm_byline(expected["byline"])

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf8") as f:
        json.dump(predictions, f, ensure_ascii=False)
        pred_path = f.name
    cmd = [sys.executable, str(SCORER), str(args.corpus / "ground-truth.json"), pred_path, "--json"]
    report = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)[pred_path]
    if args.worst:
        worst = subprocess.run(cmd[:-1] + ["--worst", str(args.worst)], capture_output=True, text=True).stdout
        print(worst)

    values = sorted(times.values())
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    print(f"corpus          {args.corpus}  ({len(cases)} pages)")
    print(f"body            F1 {report['f1']:.3f}  precision {report['precision']:.3f}  "
          f"recall {report['recall']:.3f}  exact {report['accuracy']:.3f}")
    print(f"title accuracy  {title_ok / len(cases):.3f}  ({title_ok}/{len(cases)})")
    print(f"byline accuracy {byline_ok / max(byline_n, 1):.3f}  ({byline_ok}/{byline_n} pages with a byline)")
    print(f"ms/page         median {statistics.median(values):.2f}  p95 {p95:.2f}  max {values[-1]:.2f}")
    print("slowest pages   " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in
                                         sorted(times.items(), key=lambda kv: -kv[1])[:3]))
    Path(pred_path).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
