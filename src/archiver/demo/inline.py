"""The blocks between paragraphs that rotate in editions 3 and 4.

Real article pages interleave their paragraphs with headline lists ("More news
from ...", "Read more: ..."), photo galleries with captions and credits, calls to
action and newsletter boxes; they change from one visit to the next while the
article does not. Some carry a telling class, some are plain markup. Each
rotating edition draws them anew per article (kinds, contents and positions),
never from the article's content, so they must never make a new version.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from archiver.demo import phrases
from archiver.demo.catalog import ROTATING_EDITIONS, Catalog, Entry
from archiver.demo.content import SITE_NAME

KINDS = ("headlines", "read-more", "gallery", "cta", "newsletter")
#: Kinds whose links are related links of the page.
LINK_KINDS = frozenset({"headlines", "read-more"})
#: How many blocks an article shows in one rotating edition.
PER_ARTICLE = (2, 4)


@dataclass(frozen=True)
class Insert:
    """One rotating block, shown after body block number ``after``."""

    kind: str
    #: True when the markup has no telling class (plain paragraphs, lists, figures).
    plain: bool
    after: int
    heading: str = ""
    links: tuple[Entry, ...] = ()
    #: Kind-specific texts: gallery (title, caption, credit, frame), CTA (linked, after),
    #: newsletter (name, pitch).
    texts: tuple[str, ...] = ()
    href: str = ""


def inserts(catalog: Catalog, entry: Entry, edition: int) -> tuple[Insert, ...]:
    """The rotating blocks of ``entry``'s page in ``edition``, in page order (none outside 3-4)."""
    version = entry.version(edition)
    if edition not in ROTATING_EDITIONS or version is None:
        return ()
    slots = [i for i, block in enumerate(version.blocks) if block.kind in ("p", "ul")]
    rng = random.Random(f"{entry.seed}:inline:{edition}")
    pool = [e for e in catalog.related_pool(2) if e is not entry]
    kinds = rng.sample(KINDS, rng.randint(*PER_ARTICLE))
    if "headlines" not in kinds and "read-more" not in kinds:
        kinds[0] = rng.choice(sorted(LINK_KINDS))
    picked = [_insert(kind, rng.choice(slots), rng, pool) for kind in kinds]
    return tuple(sorted(picked, key=lambda insert: insert.after))


def _insert(kind: str, after: int, rng: random.Random, pool: list[Entry]) -> Insert:
    """One block of ``kind`` drawn with ``rng``."""
    plain = rng.random() < 0.5
    if kind == "headlines":
        heading = rng.choice(phrases.HEADLINE_HEADINGS).format(site=SITE_NAME)
        return Insert(kind, plain, after, heading, links=tuple(rng.sample(pool, 3)))
    if kind == "read-more":
        links = tuple(rng.sample(pool, rng.choice([1, 1, 2])))
        return Insert(kind, plain, after, rng.choice(phrases.READ_MORE_LABELS), links=links)
    if kind == "gallery":
        texts = (rng.choice(phrases.GALLERY_TITLES), rng.choice(phrases.GALLERY_CAPTIONS),
                 "Photo: " + rng.choice(phrases.PHOTO_CREDITS), str(rng.randint(1, 40)))
        return Insert(kind, plain, after, texts=texts)
    if kind == "cta":
        linked, href, rest = rng.choice(phrases.CTAS)
        return Insert(kind, plain, after, texts=(linked.format(site=SITE_NAME), rest), href=href)
    return Insert(kind, plain, after, texts=rng.choice(phrases.NEWSLETTERS))


def related_entries(found: tuple[Insert, ...]) -> list[Entry]:
    """The articles the headline lists and "Read more" lines link, in page order."""
    return [e for insert in found if insert.kind in LINK_KINDS for e in insert.links]
