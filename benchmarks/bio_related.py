"""Score our parser's author bios, related links and bylines against hand labels.

    python benchmarks/bio_related.py [--corpus PATH] [--labels PATH] [--worst K]

The labels (``benchmarks/labels/wcxb-bio-related.jsonl``, how they were made: that folder's
README) name pages of wcxb-dev, read from ``../shared/corpus/wcxb-dev`` beside the repository;
without it the scorer says "skipped" and exits 0.

Figures, each over the labelled pages:

- bio: word-level precision / recall / F1 of the page's bio texts joined, per page; precision
  averaged over the pages with a predicted bio, recall over the pages with a labelled bio, F1
  over the pages with either (a page with only one side scores F1 0); "missed" is the share of
  pages with a labelled bio where no labelled bio word is predicted.
- related: precision / recall / F1 of the URL sets (scheme, ``www.``, trailing slash, query-less
  fragment normalised), per page, averaged the same way.
- byline: exact (the set of names, case and whitespace normalised), over all pages.

Every figure is also given on the two halves of the pages split by a hash of the domain.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "wcxb-dev"
LABELS = ROOT / "benchmarks" / "labels" / "wcxb-bio-related.jsonl"
#: Labelled pages: the article pages of wcxb-dev with the smallest md5 of their id.
SAMPLE = 165

_WORD = re.compile(r"\w+")
_WS = re.compile(r"\s+")
_INVISIBLE = ("script", "style", "noscript", "template", "head")


# --- the corpus ------------------------------------------------------------------------------

def truth(corpus: Path, pid: str) -> dict:
    """The ground-truth file of page ``pid``."""
    return json.loads((corpus / "ground-truth" / f"{pid}.json").read_text("utf8"))


def page_html(corpus: Path, pid: str) -> bytes:
    """The page ``pid`` as collected."""
    return gzip.decompress((corpus / "html" / f"{pid}.html.gz").read_bytes())


def sample_ids(corpus: Path, n: int = SAMPLE) -> list[str]:
    """The selection rule: article ids sorted by the md5 of the id, the first ``n``."""
    ids = [p.name[:-5] for p in sorted((corpus / "ground-truth").glob("*.json"))]
    articles = [i for i in ids if truth(corpus, i)["_internal"]["page_type"]["primary"] == "article"]
    return sorted(articles, key=lambda i: hashlib.md5(i.encode()).hexdigest())[:n]


def domain_half(url: str) -> int:
    """0 or 1 by the md5 of the URL's host (the dev tool's split)."""
    host = urlsplit(url or "").hostname or ""
    return int(hashlib.md5(host.encode()).hexdigest(), 16) % 2


def squash(text: str) -> str:
    """``text`` with runs of white space as one space, stripped."""
    return _WS.sub(" ", text or "").strip()


def tree(html: bytes):
    """The page parsed by lxml, without the elements a reader never sees as text."""
    import lxml.html

    root = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(remove_comments=True, remove_pis=True))
    for el in list(root.iter(*_INVISIBLE)):
        if el.getparent() is not None:
            el.drop_tree()
    return root


def visible_text(root) -> str:
    """The page's text, white space normalised (elements as separate words)."""
    return squash(" ".join(t for t in root.itertext() if isinstance(t, str)))


def word_line(text: str) -> str:
    """``text`` as its lower-cased words joined by single spaces (markup spacing and punctuation
    do not matter when a label is looked up in the page's text)."""
    return " " + " ".join(w.lower() for w in _WORD.findall(text)) + " "


def hrefs(root, url: str) -> set[str]:
    """Every link target on the page, absolute and normalised."""
    base = root.xpath("string(//base/@href)") or url
    return {norm_url(urljoin(base, a.get("href").strip())) for a in root.iter("a") if a.get("href")}


def norm_url(url: str) -> str:
    """``url`` compared loosely: no scheme, no ``www.``, no fragment, no trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}"


def load_labels(path: Path = LABELS) -> list[dict]:
    """The label file, one dict per page."""
    return [json.loads(line) for line in path.read_text("utf8").splitlines() if line.strip()]


# --- scoring ---------------------------------------------------------------------------------

def prf(predicted: Counter, expected: Counter) -> tuple[float, float, float]:
    """Precision, recall and F1 of two bags (an empty side scores 0 unless both are)."""
    if not predicted and not expected:
        return 1.0, 1.0, 1.0
    common = sum((predicted & expected).values())
    p = common / sum(predicted.values()) if predicted else 0.0
    r = common / sum(expected.values()) if expected else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def words(texts: list[str]) -> Counter:
    """The lower-cased words of ``texts``."""
    return Counter(w.lower() for t in texts for w in _WORD.findall(t))


def names(byline: list[str]) -> set[str]:
    """A byline as a set of normalised names."""
    return {squash(n).lower() for n in byline if squash(n)}


def score_page(label: dict, article) -> dict:
    """The per-page figures of one prediction against its label: (P, R, F1) per part, where P is
    None without a prediction, R None without a label and the whole triple None without both."""
    bio = _part(words(article.bio), words(label["bio"]))
    related = _part(Counter({norm_url(x["url"]) for x in article.related_links}),
                    Counter({norm_url(u) for u in label["related"]}))
    return {
        "id": label["id"], "half": domain_half(label["url"]), "bio": bio, "related": related,
        "bio_missed": bool(label["bio"]) and bio[1] == 0.0,
        "byline": names(article.byline) == names(label["byline"]),
    }


def _part(predicted: Counter, expected: Counter):
    """(P, R, F1) of one part of one page, with None where a side is empty (see score_page)."""
    if not predicted and not expected:
        return None
    p, r, f1 = prf(predicted, expected)
    return (p if predicted else None), (r if expected else None), f1


def _mean(values: list) -> float:
    """The mean of the values that are not None (0.0 when there are none)."""
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else 0.0


def summary(rows: list[dict]) -> dict:
    """Averages over ``rows``: precision over the pages with a prediction, recall over the pages
    with a label, F1 over the pages with either; bio missed over the pages with a labelled bio."""
    out = {"pages": len(rows)}
    for key in ("bio", "related"):
        scored = [r[key] for r in rows if r[key] is not None]
        out[key] = tuple(_mean([s[i] for s in scored]) for i in range(3))
        out[f"{key}_pages"] = len(scored)
    with_bio = [r for r in rows if r["bio"] is not None and r["bio"][1] is not None]
    out["bio_missed"] = _mean([float(r["bio_missed"]) for r in with_bio])
    out["byline"] = _mean([float(r["byline"]) for r in rows])
    return out


def run(corpus: Path, labels: list[dict]) -> list[dict]:
    """Parse every labelled page with our parser and score it."""
    from archiver import parse_article

    return [score_page(label, parse_article(page_html(corpus, label["id"]), label["url"]))
            for label in labels]


def report(rows: list[dict]) -> None:
    """Print the summary lines: all pages and both domain halves."""
    print(f"{'set':<8}{'pages':>6}  {'bio P':>6}{'R':>6}{'F1':>6}{'n':>4}{'missed':>7}  "
          f"{'rel P':>6}{'R':>6}{'F1':>6}{'n':>4}  {'byline':>6}")
    for name, part in (("all", rows), ("half0", [r for r in rows if r["half"] == 0]),
                       ("half1", [r for r in rows if r["half"] == 1])):
        s = summary(part)
        b, rl = s["bio"], s["related"]
        print(f"{name:<8}{s['pages']:>6}  {b[0]:6.3f}{b[1]:6.3f}{b[2]:6.3f}{s['bio_pages']:>4}"
              f"{s['bio_missed']:7.3f}  {rl[0]:6.3f}{rl[1]:6.3f}{rl[2]:6.3f}{s['related_pages']:>4}"
              f"  {s['byline']:6.3f}")


def worst(rows: list[dict], k: int) -> None:
    """Print the ``k`` pages with the lowest bio and related F1."""
    for key in ("bio", "related"):
        scored = sorted((r for r in rows if r[key] is not None), key=lambda r: r[key][2])[:k]
        print(f"worst {key}: " + " ".join(f"{r['id']}({_fmt(r[key][0])}/{_fmt(r[key][1])})" for r in scored))


def _fmt(value) -> str:
    """A figure with two decimals, or "-" for None."""
    return "-" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    """Command line: score the labels, or say skipped without the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--worst", type=int, default=0)
    args = parser.parse_args(argv)
    if not (args.corpus / "html").is_dir():
        print(f"skipped: no corpus at {args.corpus}")
        return 0
    rows = run(args.corpus, load_labels(args.labels))
    report(rows)
    if args.worst:
        worst(rows, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
