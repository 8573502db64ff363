"""Compare our parser with trafilatura and readability-lxml on both shared corpora, in one run.

    python benchmarks/extraction.py [--corpus PATH] [--repeat N] [--worst K] [--no-wcxb]

Part 2 (skipped with ``--no-wcxb`` or when ``../shared/corpus/wcxb-dev`` is absent) runs the
same tools, each page once, on all 1,497 pages of wcxb-dev and scores them with
``../shared/eval/score_wcxb.py``: word F1 / precision / recall, "with" and "without" snippet
rates, title, byline and date, near-total failures (F1 < 0.1), per page type, and our
``is_article`` precision and recall; ms/page median per tool.

Needs the ``bench`` extra (``pip install -e '.[bench]'``) and the shared corpus beside the
repository (``../shared/corpus/readability-test-pages`` with ``../shared/eval/score_body.py``);
without the corpus it says so and exits 0. A tool that is not installed is left out.

For each tool it prints body F1 / precision / recall / exact (the shared scorer), title and
byline agreement with the expected metadata (exact after whitespace normalisation, and token
F1), and ms/page (median and p95 of each page's fastest of ``--repeat`` runs, the tools taking
turns on every page). Every tool gets the page as bytes and does its whole job: ours and
trafilatura extract body and metadata (``bare_extraction(with_metadata=True)``), readability-lxml
its summary and title (turning its HTML into text is not timed). ``lxml.html.fromstring`` of the
same bytes is the floor.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from corpus_eval import (  # noqa: E402 - the corpora and scorers, shared with the quality gate
    DEFAULT_CORPUS, WCXB, WCXB_SCORER, Case, WcxbCase, agreement, body_scores, load_cases, load_scorer,
    missing_corpus, ours,
)

_BLOCKS = frozenset("address article aside blockquote br dd div dl dt figcaption figure footer form "
                    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table td th tr ul".split())

# --- the tools -----------------------------------------------------------------------------

def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, one line per block element (as the ground truth)."""
    from lxml import etree, html

    if not markup or not markup.strip():
        return ""
    root = html.fromstring(markup)
    parts: list[str] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        name = el.tag if isinstance(el.tag, str) else ""
        if name in _BLOCKS:
            parts.append("\n")
        if event == "start" and el.text and name not in ("script", "style"):
            parts.append(el.text)
        if event == "end" and el.tail and el is not root:
            parts.append(el.tail)
    return "\n".join(line.strip() for line in "".join(parts).splitlines() if line.strip())


def trafilatura_tool(case: Case) -> dict:
    """trafilatura with metadata: body, title and author of one page."""
    import trafilatura

    doc = trafilatura.bare_extraction(case.html, url=case.url, with_metadata=True, include_comments=False)
    if doc is None:
        return {}
    author = getattr(doc, "author", None)
    return {"body": getattr(doc, "text", "") or "", "title": getattr(doc, "title", None),
            "byline": author.replace("; ", ", ") if author else None, "published": getattr(doc, "date", None)}


def readability_tool(case: Case) -> dict:
    """readability-lxml: its summary (HTML, made text later) and title; it gives no byline."""
    from readability import Document

    doc = Document(case.html, url=case.url)
    return {"body_html": doc.summary(html_partial=True), "title": doc.short_title()}


def lxml_floor(case: Case) -> dict:
    """The floor: a bare ``lxml.html.fromstring`` of the page."""
    from lxml import html

    html.fromstring(case.html)
    return {}


def available_tools() -> dict[str, Callable[[Case], dict]]:
    """The tools to run, by name: ours always, the others when installed, lxml last."""
    tools: dict[str, Callable[[Case], dict]] = {"archiver": ours}
    for name, module, func in (("trafilatura", "trafilatura", trafilatura_tool),
                               ("readability-lxml", "readability", readability_tool)):
        if importlib.util.find_spec(module) is not None:
            tools[name] = func
        else:
            print(f"({name} not installed: pip install -e '.[bench]')", file=sys.stderr)
    tools["lxml.html (floor)"] = lxml_floor
    return tools


def quiet_logging() -> None:
    """Silence the tools' own warnings (trafilatura and readability log per page)."""
    import logging

    for name in ("trafilatura", "readability", "readability.readability", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


# --- running -------------------------------------------------------------------------------

def safe(func: Callable[[Case], dict], case: Case) -> dict:
    """``func(case)``, or {} when the tool fails on the page (a failure is an empty result)."""
    try:
        return func(case) or {}
    except Exception:  # noqa: BLE001 - another tool's crash is that tool's empty answer
        return {}


def run(tools: dict, cases: list[Case], repeat: int) -> tuple[dict, dict]:
    """Outputs by tool and page, and each page's fastest time (ms) by tool; tools take turns."""
    outputs = {name: {} for name in tools}
    times = {name: {} for name in tools}
    for case in cases:
        for _ in range(repeat):
            for name, func in tools.items():
                start = time.perf_counter()
                result = safe(func, case)
                ms = (time.perf_counter() - start) * 1000
                times[name][case.name] = min(ms, times[name].get(case.name, ms))
                outputs[name][case.name] = result
    for result in outputs.get("readability-lxml", {}).values():
        result["body"] = html_to_text(result.pop("body_html", ""))
    return outputs, times


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(name: str, outputs: dict, times: dict, cases: list[Case], corpus: Path, scorer) -> dict:
    """All figures of one tool."""
    row = {"tool": name, "ms_median": statistics.median(times.values()),
           "ms_p95": percentile(list(times.values()), 0.95)}
    if name.startswith("lxml"):
        return row
    body, per_page = body_scores(outputs, corpus, scorer)
    row.update(body=body, per_page=per_page, title=agreement(outputs, cases, "title"))
    if name != "readability-lxml":
        row["byline"] = agreement(outputs, cases, "byline")
    return row


def _cell(row: dict, field: str, key: str) -> str:
    """One figure formatted, or "-" when the tool does not give it."""
    return f"{row[field][key]:.3f}" if field in row else "  -  "


def print_table(rows: list[dict], cases: list[Case], corpus: Path) -> None:
    """The comparison table, then the speed ratios."""
    with_byline = next((r["byline"]["pages"] for r in rows if "byline" in r), 0)
    print(f"corpus: {corpus} ({len(cases)} pages; {with_byline} with an expected byline)")
    head = ("tool", "body F1", "prec", "recall", "exact", "title=", "titleF1", "byline=", "bylineF1",
            "ms med", "ms p95")
    print(f"{head[0]:<18}" + "".join(f"{h:>9}" for h in head[1:]))
    for r in rows:
        cells = [_cell(r, "body", "f1"), _cell(r, "body", "precision"), _cell(r, "body", "recall"),
                 _cell(r, "body", "accuracy"), _cell(r, "title", "exact"), _cell(r, "title", "f1"),
                 _cell(r, "byline", "exact"), _cell(r, "byline", "f1"),
                 f"{r['ms_median']:.2f}", f"{r['ms_p95']:.2f}"]
        print(f"{r['tool']:<18}" + "".join(f"{c:>9}" for c in cells))
    by_name = {r["tool"]: r for r in rows}
    mine = by_name["archiver"]["ms_median"]
    for other in ("trafilatura", "lxml.html (floor)"):
        if other in by_name:
            print(f"archiver median / {other} median: {mine / by_name[other]['ms_median']:.2f}x")


def print_worst(row: dict, k: int) -> None:
    """The ``k`` pages where ``row``'s tool has the lowest body F1."""
    for key, f1 in sorted(row["per_page"].items(), key=lambda kv: kv[1])[:k]:
        print(f"    {f1:.3f}  {key}")


# --- part 2: wcxb-dev ------------------------------------------------------------------

def wcxb_rows(scorer, outputs: dict) -> dict:
    """The scorer's per-page rows of one tool's outputs, by page type ("ALL" too)."""
    truth = scorer.load_truth(WCXB)
    rows = scorer.score(truth, outputs)  # a field given as None counts as wrong; one not given is not scored
    by_type = {"ALL": rows}
    for row in rows:
        by_type.setdefault(row["type"], []).append(row)
    return by_type


def print_wcxb(tools: dict, outputs: dict, times: dict, scorer) -> None:
    """One table per tool: every page type's figures, near-total failures, is_article, ms/page."""
    fmt = scorer.fmt
    print(f"\ncorpus: {WCXB} (scored by {WCXB_SCORER.name})")
    for name in tools:
        if name.startswith("lxml"):
            continue
        by_type = wcxb_rows(scorer, outputs[name])
        print(f"\n{name}: median {statistics.median(times[name].values()):.2f} ms/page")
        print(f"{'type':<14}{'pages':>6}{'F1':>7}{'P':>7}{'R':>7}{'with':>7}{'w/out':>7}{'title':>7}"
              f"{'byline':>7}{'date':>7}{'F1<0.1':>7}")
        for kind in ["ALL"] + [t for t in scorer.TYPES if t in by_type]:
            rows = by_type[kind]
            s = scorer.summary(rows)
            bad = sum(1 for r in rows if r["f1"] < 0.1)
            print(f"{kind:<14}{s['pages']:>6}{fmt(s['f1'])} {fmt(s['p'])} {fmt(s['r'])} {fmt(s['with'])} "
                  f"{fmt(s['without'])} {fmt(s['title'])} {fmt(s['byline'])} {fmt(s['date'])}{bad:>7}")
        overall = scorer.summary(by_type["ALL"])
        if overall.get("article_precision") is not None:
            print(f"is_article: precision {fmt(overall['article_precision'])}, recall {fmt(overall['article_recall'])}")


def run_wcxb(tools: dict) -> None:
    """Part 2: every tool once on every wcxb-dev page, then the tables."""
    scorer = load_scorer(WCXB_SCORER)
    if scorer is None or not (WCXB / "html").is_dir():
        print(f"\nwcxb-dev skipped: no corpus at {WCXB} or no scorer at {WCXB_SCORER}")
        return
    cases = [WcxbCase(p) for p in sorted((WCXB / "html").glob("*.html.gz"))]
    outputs, times = run(tools, cases, 1)
    print_wcxb(tools, outputs, times, scorer)


def main(argv: list[str] | None = None) -> int:
    """Run every tool on the corpus and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per page and tool (fastest kept)")
    ap.add_argument("--worst", type=int, default=0, help="list our K pages with the lowest body F1")
    ap.add_argument("--only-ours", action="store_true", help="run our parser and the lxml floor only")
    ap.add_argument("--no-wcxb", action="store_true", help="leave out part 2 (wcxb-dev)")
    args = ap.parse_args(argv)
    reason = missing_corpus(args.corpus)
    if reason:
        print(f"skipped: {reason}")
        return 0
    quiet_logging()
    cases, scorer = load_cases(args.corpus), load_scorer()
    tools = available_tools()
    if args.only_ours:
        tools = {k: v for k, v in tools.items() if k in ("archiver", "lxml.html (floor)")}
    for func in tools.values():
        safe(func, cases[0])  # warm-up: imports and first-call caches are not timed
    outputs, times = run(tools, cases, args.repeat)
    rows = [summary(name, outputs[name], times[name], cases, args.corpus, scorer) for name in tools]
    print_table(rows, cases, args.corpus)
    if args.worst:
        print_worst(rows[0], args.worst)
    if not args.no_wcxb:
        run_wcxb(tools)
    return 0


if __name__ == "__main__":
    sys.exit(main())
