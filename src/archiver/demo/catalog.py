"""The catalogue: every article of the demo site with its editions.

This is the single source of truth: the templates render the
:class:`Version` objects built here and the manifest reads the same objects.

Stories are numbered in publication order (``index``); the page template is
chosen by ``(number + section position) % 3`` so each section uses all three
layouts. The last story of each section only exists in edition 2 (``new``);
the rest are split between change kinds by a seeded shuffle (see ``PLAN``).

Editions 3 and 4, the *rotating editions*, hold the articles of edition 2 with
blocks between their paragraphs that rotate from one edition to the next
(:mod:`archiver.demo.inline`); some articles show a lead image of their own,
the same in both. From edition 3 to 4 only the few articles of ``PLAN4`` change
in content (``change4``); every other one only rotates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from functools import cached_property

from archiver.demo import compose
from archiver.demo.compose import Block
from archiver.demo.content import (
    AUTHORS,
    AUTHORS_BY_SLUG,
    SECTION_WRITERS,
    SECTIONS,
    Author,
    Story,
    stories_by_section,
)

TEMPLATES = ("brief", "blog", "news")
EDITIONS = (1, 2, 3, 4)
#: The editions with rotating blocks between the paragraphs of every article.
ROTATING_EDITIONS = (3, 4)
FIRST_PUBLISHED = datetime(2026, 1, 5, 7, 0, tzinfo=timezone.utc)
EDITION2_EDITS = datetime(2026, 4, 20, 9, 0, tzinfo=timezone.utc)
EDITION4_EDITS = datetime(2026, 5, 12, 9, 0, tzinfo=timezone.utc)
#: Share of the articles of editions 3 and 4 that show a lead image of their own.
LEAD_IMAGE_SHARE = 0.4
#: Stories with this number (the last of each section) are new in edition 2.
NEW_STORY_NUMBER = 11

#: Template -> (change, detail) slots handed out to its edition-1 articles;
#: the remaining articles are ``unchanged``.
_ROTATING = [("rotating-only", None)] * 4
_REMOVED = [("removed", "404"), ("removed", "410")]
PLAN = {
    "brief": [("content", "paywall"), ("content", "paywall"), ("content", "body-edit"),
              ("content", "correction")] + _REMOVED + _ROTATING,
    "blog": [("content", "headline"), ("content", "body-edit"), ("content", "correction"),
             ("content", "byline")] + _REMOVED + _ROTATING,
    "news": [("content", "headline"), ("content", "body-edit"), ("content", "correction"),
             ("content", "byline")] + _REMOVED + _ROTATING,
}

#: Template -> content changes from edition 3 to 4, handed out among edition-2 ``content``
#: articles (their titles are never linked from rotating blocks); the rest only rotate.
PLAN4 = {template: [("content", "body-edit"), ("content", "update")] for template in TEMPLATES}


@dataclass(frozen=True)
class Version:
    """What one edition shows of an article: its content fields."""

    title: str
    authors: tuple[Author, ...]
    #: Authors whose bio the page prints (brief/blog: the lead author only).
    bio_authors: tuple[Author, ...]
    blocks: tuple[Block, ...]
    #: True when the body is cut off by the subscription promo (brief only).
    paywalled: bool
    published: datetime
    modified: datetime

    @property
    def byline(self) -> list[str]:
        """Author names in byline order."""
        return [a.name for a in self.authors]

    @property
    def bios(self) -> list[str]:
        """One bio string per author bio shown on the page."""
        return [a.bio for a in self.bio_authors]

    @property
    def body(self) -> str:
        """Body text, units separated by one blank line."""
        return compose.body_text(self.blocks)

    @property
    def description(self) -> str:
        """First sentence of the body, used as meta description."""
        first = self.blocks[0].text
        end = first.find(". ")
        return first if end < 0 else first[: end + 1]


@dataclass
class Entry:
    """One article URL across both editions."""

    index: int
    story: Story
    template: str
    change: str = "unchanged"
    detail: str | None = None
    #: From edition 3 to 4: ``rotating-only``, ``content`` or None (absent from both).
    change4: str | None = None
    detail4: str | None = None
    versions: dict[int, Version | None] = field(default_factory=dict)

    @property
    def seed(self) -> str:
        """Seed prefix for everything random about this article."""
        return f"meridian:{self.story.section}:{self.story.number}"

    @property
    def section(self) -> str:
        return self.story.section

    @property
    def section_label(self) -> str:
        return SECTIONS[self.story.section]

    @property
    def published(self) -> datetime:
        return publication_time(self.index)

    @cached_property
    def path(self) -> str:
        """Root-relative URL path; its shape depends on the template."""
        slug, when = self.story.slug, self.published
        if self.template == "brief":
            return f"/article/{self.section}/{slug}"
        if self.template == "blog":
            return f"/blog/{when:%Y/%m}/{slug}/"
        return f"/news/{when:%Y/%m/%d}/{slug}.html"

    def version(self, edition: int) -> Version | None:
        """The article as edition ``edition`` shows it, or None if absent."""
        return self.versions.get(edition)

    def rotation(self, edition: int) -> int:
        """Which set of rotating parts (related links, ads, ...) a page uses.

        Only ``rotating-only`` and ``new`` articles use set 2 in edition 2, so
        every other page keeps byte-identical boilerplate across editions; the
        rotating editions 3 and 4 keep edition 2's set (their blocks between
        paragraphs rotate instead).
        """
        if edition >= 2 and self.change in ("rotating-only", "new"):
            return 2
        return 1

    def gone_status(self, edition: int) -> int | None:
        """404/410 when the article was removed in this edition, else None."""
        if self.change == "removed" and edition >= 2:
            return int(self.detail)
        return None


def publication_time(index: int) -> datetime:
    """Deterministic publication time of the ``index``-th story (2026)."""
    return FIRST_PUBLISHED + timedelta(hours=34 * index, minutes=(index * 47) % 180)


def _edit_time(index: int) -> datetime:
    return EDITION2_EDITS + timedelta(days=index % 6, minutes=(index * 7) % 60)


def _all_entries() -> list[Entry]:
    """Every story as an Entry with its template, in publication order."""
    entries = []
    sections = list(SECTIONS)
    for section, stories in stories_by_section().items():
        position = sections.index(section)
        for story in stories:
            template = TEMPLATES[(story.number + position) % 3]
            entries.append(Entry(story.number * len(sections) + position, story, template))
    return sorted(entries, key=lambda e: e.index)


def _assign_plan(entries: list[Entry]) -> None:
    """Hand out the change kinds of ``PLAN``; new stories become ``new``."""
    for entry in entries:
        if entry.story.number == NEW_STORY_NUMBER:
            entry.change = "new"
    for template, slots in PLAN.items():
        candidates = [e for e in entries if e.template == template and e.change == "unchanged"]
        random.Random(f"meridian-plan:{template}").shuffle(candidates)
        for change, detail in slots:
            pick = next(e for e in candidates if detail != "headline" or e.story.new_headline)
            candidates.remove(pick)
            pick.change, pick.detail = change, detail


def _pick_authors(entry: Entry) -> tuple[Author, ...]:
    rng = random.Random(entry.seed + ":authors")
    writers = [AUTHORS_BY_SLUG[s] for s in SECTION_WRITERS[entry.section]]
    rng.shuffle(writers)
    count = 1
    if entry.template == "news":
        count = rng.choice([1, 1, 2, 2, 3])
        if entry.detail == "byline":
            count = min(count, 2)
    return tuple(writers[:count])


def _extra_author(entry: Entry, authors: tuple[Author, ...]) -> Author:
    rng = random.Random(entry.seed + ":extra-author")
    others = [a for a in AUTHORS if a not in authors]
    return rng.choice(others)


def _first_version(entry: Entry) -> tuple[Version, list[Block]]:
    """Edition-1 version and the full body (longer than shown when paywalled)."""
    full = compose.compose_body(entry.story, entry.template, entry.seed + ":body")
    authors = _pick_authors(entry)
    paywalled = entry.template == "brief"
    shown = full[: random.Random(entry.seed + ":paywall").choice([2, 3])] if paywalled else full
    published = entry.published
    modified = published + timedelta(hours=3) if entry.index % 4 == 0 else published
    version = Version(
        title=entry.story.headline,
        authors=authors,
        bio_authors=authors if entry.template == "news" else authors[:1],
        blocks=tuple(shown),
        paywalled=paywalled,
        published=published,
        modified=modified,
    )
    return version, full


def _second_version(entry: Entry, first: Version, full: list[Block]) -> Version | None:
    """Edition-2 version: ``first`` with this entry's content change applied."""
    if entry.change == "removed":
        return None
    if entry.change != "content":
        return first
    blocks, story = list(first.blocks), entry.story
    changed = {"modified": _edit_time(entry.index)}
    if entry.detail == "body-edit":
        blocks[1] = compose.rewrite_paragraph(story, blocks[1], entry.seed + ":rewrite")
        changed["blocks"] = tuple(blocks)
    elif entry.detail == "correction":
        blocks.append(compose.correction_paragraph(story, blocks, entry.seed + ":body"))
        changed["blocks"] = tuple(blocks)
    elif entry.detail == "headline":
        changed["title"] = story.new_headline
    elif entry.detail == "byline":
        authors = first.authors + (_extra_author(entry, first.authors),)
        changed["authors"] = authors
        if entry.template == "news":
            changed["bio_authors"] = authors
    elif entry.detail == "paywall":
        changed.update(blocks=tuple(full), paywalled=False)
    return replace(first, **changed)


def _add_inline_links(entries: list[Entry]) -> None:
    """Link the subject phrase of some ledes to an earlier, never-removed story."""
    for entry in entries:
        rng = random.Random(entry.seed + ":inline-link")
        earlier = [e for e in entries if e.index < entry.index and e.section == entry.section
                   and e.change in ("unchanged", "rotating-only")]
        if not earlier or rng.random() < 0.4:
            continue
        target = rng.choice(earlier)
        for edition, version in entry.versions.items():
            first = version and version.blocks[0]
            if first and entry.story.subject in first.text:
                link = Block("p", first.text, link=(entry.story.subject, target.path))
                entry.versions[edition] = replace(version, blocks=(link,) + version.blocks[1:])


def _assign_plan4(entries: list[Entry]) -> None:
    """Hand out the content changes of ``PLAN4``; other articles of edition 2 only rotate."""
    for entry in entries:
        if entry.version(2) is not None:
            entry.change4 = "rotating-only"
    for template, slots in PLAN4.items():
        candidates = [e for e in entries if e.template == template and e.change == "content"
                      and e.detail != "correction"]
        random.Random(f"meridian-plan4:{template}").shuffle(candidates)
        for (change, detail), pick in zip(slots, candidates):
            pick.change4, pick.detail4 = change, detail


def _third_version(entry: Entry) -> Version | None:
    """Edition-3 version: edition 2's, with the article's own lead image for some."""
    second = entry.version(2)
    if second is None or random.Random(entry.seed + ":lead").random() >= LEAD_IMAGE_SHARE:
        return second
    figure = compose.lead_figure(entry.story, entry.story.slug, entry.seed + ":lead-figure")
    return replace(second, blocks=second.blocks[:1] + (figure,) + second.blocks[1:])


def _fourth_version(entry: Entry, third: Version | None) -> Version | None:
    """Edition-4 version: ``third`` with this entry's ``PLAN4`` content change applied."""
    if third is None or entry.change4 != "content":
        return third
    blocks, story = list(third.blocks), entry.story
    if entry.detail4 == "body-edit":
        last = max(i for i, b in enumerate(blocks) if b.kind == "p" and i > 0)
        blocks[last] = compose.rewrite_paragraph(story, blocks[last], entry.seed + ":rewrite4")
    else:
        blocks.append(compose.update_paragraph(story, entry.seed + ":update4"))
    modified = EDITION4_EDITS + timedelta(days=entry.index % 5, minutes=(entry.index * 11) % 60)
    return replace(third, blocks=tuple(blocks), modified=modified)


def build_entries() -> list[Entry]:
    """All articles of every edition, in publication order."""
    entries = _all_entries()
    _assign_plan(entries)
    for entry in entries:
        first, full = _first_version(entry)
        if entry.change == "new":
            entry.versions = {1: None, 2: first}
        else:
            entry.versions = {1: first, 2: _second_version(entry, first, full)}
    _add_inline_links(entries)
    _assign_plan4(entries)
    for entry in entries:
        entry.versions[3] = _third_version(entry)
        entry.versions[4] = _fourth_version(entry, entry.versions[3])
    return entries


class Catalog:
    """All entries plus lookups used by pages, listings and the manifest."""

    def __init__(self):
        self.entries = build_entries()
        self.by_path = {e.path: e for e in self.entries}

    def in_edition(self, edition: int) -> list[Entry]:
        """Articles present in ``edition``, newest first."""
        present = [e for e in self.entries if e.version(edition) is not None]
        return sorted(present, key=lambda e: e.index, reverse=True)

    def related_pool(self, rotation: int) -> list[Entry]:
        """Articles safe to link from rotating parts of rotation ``rotation``.

        Their titles and bodies never change and they never disappear, so a
        page that links them stays byte-identical across editions.
        """
        kinds = ("unchanged", "rotating-only") + (("new",) if rotation == 2 else ())
        return [e for e in self.entries if e.change in kinds]


_CATALOG: Catalog | None = None


def get_catalog() -> Catalog:
    """The catalogue, built once per process (it is deterministic)."""
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = Catalog()
    return _CATALOG
