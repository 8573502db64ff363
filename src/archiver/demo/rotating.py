"""The rotating parts of a page: related links, promos, ads, comments, stamps.

They depend on the article and a *rotation* number (see
:meth:`archiver.demo.catalog.Entry.rotation`), never on the article's
content, so swapping rotation 1 for 2 changes only boilerplate.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from archiver.demo import phrases
from archiver.demo.catalog import Catalog, Entry

#: When the pages of each rotation claim to have been generated.
GENERATED = {
    1: datetime(2026, 4, 10, 4, 0, tzinfo=timezone.utc),
    2: datetime(2026, 4, 27, 4, 0, tzinfo=timezone.utc),
}
RELATED_COUNT = {"brief": 3, "blog": 4, "news": 4}


@dataclass(frozen=True)
class Comment:
    """One reader comment under a blog post."""

    cid: int
    author: str
    when: datetime
    text: str


@dataclass(frozen=True)
class Rotating:
    """Everything on an article page that may change without the article changing."""

    related: tuple[Entry, ...]
    recent: tuple[Entry, ...]
    testimonial: tuple[str, str]
    pitch: str
    newsletter: tuple[str, str]
    ads: tuple[str, ...]
    comments: tuple[Comment, ...]
    generated: datetime


def pick_related(catalog: Catalog, entry: Entry, rotation: int) -> tuple[Entry, ...]:
    """Related articles: same section first; rotation 2 always differs from 1."""
    count = RELATED_COUNT[entry.template]
    base = _related_candidates(catalog, entry, 1, count)
    if rotation == 1:
        return base
    for attempt in range(20):
        picked = _related_candidates(catalog, entry, 2, count, attempt)
        if picked != base:
            return picked
    return base[1:] + base[:1]


def _related_candidates(catalog, entry, rotation, count, attempt=0):
    rng = random.Random(f"{entry.seed}:related:{rotation}:{attempt}")
    pool = [e for e in catalog.related_pool(rotation) if e is not entry]
    same = [e for e in pool if e.section == entry.section]
    other = [e for e in pool if e.section != entry.section]
    rng.shuffle(same)
    rng.shuffle(other)
    return tuple(same[:2] + other[: count - min(2, len(same))])[:count]


def recent_posts(catalog: Catalog, rotation: int, count: int = 5) -> tuple[Entry, ...]:
    """Latest blog posts for the sidebar widget of rotation ``rotation``."""
    posts = [e for e in catalog.related_pool(rotation) if e.template == "blog"]
    return tuple(sorted(posts, key=lambda e: e.index, reverse=True)[:count])


def pick_comments(entry: Entry, rotation: int) -> tuple[Comment, ...]:
    """2-3 comments; rotation 2 adds one more (the comment count changes)."""
    rng = random.Random(entry.seed + ":comments")
    count = 2 + entry.index % 2 + (1 if rotation == 2 else 0)
    names = rng.sample(phrases.COMMENTERS, count)
    texts = rng.sample(phrases.COMMENTS, count)
    when = entry.published
    comments = []
    for i in range(count):
        when = when + timedelta(hours=rng.randint(2, 30), minutes=rng.randint(0, 59))
        comments.append(Comment(1000 + entry.index * 10 + i, names[i], when, texts[i]))
    return tuple(comments)


def rotating_parts(catalog: Catalog, entry: Entry, rotation: int) -> Rotating:
    """All rotating parts of ``entry``'s page for rotation ``rotation``."""
    rng = random.Random(f"{entry.seed}:boilerplate:{rotation}")
    return Rotating(
        related=pick_related(catalog, entry, rotation),
        recent=recent_posts(catalog, rotation),
        testimonial=phrases.TESTIMONIALS[(entry.index + rotation) % len(phrases.TESTIMONIALS)],
        pitch=phrases.PAYWALL_PITCHES[(entry.index + rotation) % len(phrases.PAYWALL_PITCHES)],
        newsletter=phrases.NEWSLETTERS[(entry.index + rotation) % len(phrases.NEWSLETTERS)],
        ads=tuple(rng.sample(phrases.ADS, 2)),
        comments=pick_comments(entry, rotation),
        generated=GENERATED[rotation] + timedelta(minutes=entry.index % 50),
    )
