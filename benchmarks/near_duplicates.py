"""Choose the near-duplicate threshold by measurement.

    python benchmarks/near_duplicates.py [--corpus PATH]

Different articles (negatives): every pair of the corpus's expected bodies (real
pages, different sites; two of them, lifehacker-working and lifehacker-post-comment-load,
are the same article, so one "false" pair is a true one) and every pair of demo-site articles (written from one bank
of sentences, so they share phrases: hard negatives).
The same story at another URL (positives): each corpus body republished with the
changes syndication makes (the last fifth cut, an intro and a credit line added, one
paragraph dropped, quotes retyped), and each demo article edited between editions.
Prints the similarity spread of both and precision / recall per threshold, and how
many pairs the index finds as candidates (their ``KEYS`` smallest sketch values meet).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from pathlib import Path

from archiver.demo import build_manifest
from archiver.archive.neardup import KEYS, THRESHOLD, is_candidate, similarity, sketch

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "readability-test-pages"


def syndicated(body: str, rng: random.Random) -> str:
    """The body as a syndication partner might republish it."""
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    if len(paragraphs) > 4:
        paragraphs.pop(rng.randrange(1, len(paragraphs) - 1))
    words = " ".join(paragraphs).split()
    kept = words[: max(1, int(len(words) * 0.8))]
    text = " ".join(kept).replace('"', "\u201c")
    return f"This article was first published by our partners. {text} Republished with permission."


def corpus_bodies(corpus: Path) -> list[str]:
    """The expected article bodies of the corpus, without its lorem-ipsum test pages.

    26 of its pages are one "Lorem ipsum" text under different markup (they are
    duplicates of each other, not different articles).
    """
    truth = json.loads((corpus / "ground-truth.json").read_text())
    bodies = [entry["articleBody"] for entry in truth.values()]
    return [body for body in bodies if len(body.split()) >= 50 and "lorem ipsum" not in body.lower()]


def spread(scores: list[float]) -> str:
    """min / median / max of a list of scores."""
    ordered = sorted(scores)
    return f"min {ordered[0]:.2f}, median {ordered[len(ordered) // 2]:.2f}, max {ordered[-1]:.2f} ({len(ordered)} pairs)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    rng = random.Random(7)
    manifest = build_manifest("http://demo.test")["articles"]
    demo = [sketch((e["edition1"] or e["edition2"])["body"]) for e in manifest]
    edited = [(sketch(e["edition1"]["body"]), sketch(e["edition2"]["body"])) for e in manifest if e["change"] == "content"]
    pairs = {"demo articles": list(itertools.combinations(demo, 2)), "demo edits": edited}
    negative_labels = ["demo articles"]
    if args.corpus.is_dir():
        bodies = corpus_bodies(args.corpus)
        sketches = [sketch(body) for body in bodies]
        pairs["corpus articles"] = list(itertools.combinations(sketches, 2))
        pairs["corpus syndicated"] = [(s, sketch(syndicated(b, rng))) for s, b in zip(sketches, bodies)]
        negative_labels.append("corpus articles")
    scores = {label: [similarity(a, b) for a, b in both] for label, both in pairs.items()}
    negatives = {label: scores[label] for label in negative_labels}
    positives = {label: found for label, found in scores.items() if label not in negative_labels}
    for label, scores in {**negatives, **positives}.items():
        print(f"{label:<18} {spread(scores)}")
    all_negative = [s for scores in negatives.values() for s in scores]
    all_positive = [s for scores in positives.values() for s in scores]
    print("\nthreshold  false pairs  missed copies  precision  recall")
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        false = sum(s >= threshold for s in all_negative)
        found = sum(s >= threshold for s in all_positive)
        precision = found / (found + false) if found + false else 1.0
        mark = "  <- in use" if threshold == THRESHOLD else ""
        print(f"{threshold:>9.1f}  {false:>11}  {len(all_positive) - found:>13}  {precision:>9.3f}  {found / len(all_positive):>6.3f}{mark}")
    similar = [(a, b) for both in pairs.values() for a, b in both if similarity(a, b) >= THRESHOLD]
    compared = sum(is_candidate(a, b) for both in pairs.values() for a, b in both)
    total = sum(len(both) for both in pairs.values())
    print(f"\ncandidates (the {KEYS} smallest sketch values meet): {sum(is_candidate(a, b) for a, b in similar)} of "
          f"{len(similar)} pairs at or above the threshold; {compared:,} of {total:,} pairs compared in all")


if __name__ == "__main__":
    main()
