"""Compose readable article bodies from the sentence banks, deterministically.

Every function takes an explicit seed or ``random.Random``; nothing depends on
global random state or the clock, so each build of the site is identical.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from archiver.demo import phrases
from archiver.demo.content import Story


@dataclass(frozen=True)
class Block:
    """One element of an article body: a paragraph, a subheading, a list or a figure."""

    kind: str  # "p", "h2", "ul" or "figure"
    text: str = ""
    #: List items; for a figure, its caption and its credit.
    items: tuple[str, ...] = ()
    #: Optional inline link: (fragment of ``text`` to link, href); a figure's image source.
    link: tuple[str, str] | None = None

    def texts(self) -> list[str]:
        """The reader-visible texts of this block, one per paragraph-like unit."""
        if self.kind == "figure":
            return [" ".join(self.items)]
        return list(self.items) if self.kind == "ul" else [self.text]


def body_text(blocks) -> str:
    """Body text as the manifest records it: units joined by one blank line."""
    return "\n\n".join(" ".join(t.split()) for b in blocks for t in b.texts())


def story_slots(story: Story, rng: random.Random) -> dict[str, str]:
    """Values for the sentence-template slots of one article."""
    org = story.org
    prev_year = rng.randint(2018, 2023)
    return {
        "subject": story.subject,
        "place": story.place,
        "org": org,
        "Org": org[0].upper() + org[1:],
        "person": story.person,
        "surname": story.person.split()[-1],
        "pct": str(rng.randint(4, 48)),
        "pct2": str(rng.randint(6, 35)),
        "pct3": str(rng.randint(51, 78)),
        "count": f"{rng.randint(3, 95) * 1000:,}",
        "money": f"€{rng.randint(12, 940)} million",
        "month": rng.choice(phrases.MONTHS[:3]),
        "month_next": rng.choice(phrases.MONTHS[5:10]),
        "prev_year": str(prev_year),
        "next_prev_year": str(prev_year + 1),
        "weekday": rng.choice(phrases.WEEKDAYS),
        "small": rng.choice(["three", "four", "five"]),
        "medium": rng.choice(["eleven", "fourteen", "twenty"]),
    }


class SentencePicker:
    """Draws sentence templates by role without repeating one in an article."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pools = {}
        for role, bank in phrases.SENTENCES.items():
            pool = list(bank)
            rng.shuffle(pool)
            self.pools[role] = pool

    def take(self, role: str) -> str:
        """Next unused template of ``role``, falling back to context/data."""
        for candidate in (role, "context", "data", "reaction", "outlook"):
            if self.pools[candidate]:
                return self.pools[candidate].pop()
        raise RuntimeError("sentence banks exhausted")


def compose_paragraph(role: str, picker: SentencePicker, slots: dict, rng: random.Random) -> str:
    """One paragraph of 2-4 sentences led by a sentence of ``role``."""
    count = rng.randint(2, 4)
    sentences = [picker.take(role)]
    fillers = phrases.FILLERS[role]
    while len(sentences) < count:
        sentences.append(picker.take(rng.choice(fillers)))
    return " ".join(s.format(**slots) for s in sentences)


def paragraph_roles(template: str, rng: random.Random) -> list[str]:
    """The sequence of paragraph roles for an article of ``template``."""
    if template == "brief":
        middle = ["analysis", "context", "quote", "analysis"]
        return ["lede"] + middle[: rng.randint(3, 4)] + ["outlook"]
    low, high = (4, 8) if template == "blog" else (5, 7)
    pool = ["context", "quote", "data", "reaction", "context", "data"]
    rng.shuffle(pool)
    return ["lede"] + pool[: rng.randint(low, high) - 2] + ["outlook"]


def compose_body(story: Story, template: str, seed: str) -> list[Block]:
    """The full edition-1 body of one article, seeded by ``seed``."""
    rng = random.Random(seed)
    slots = story_slots(story, rng)
    picker = SentencePicker(rng)
    blocks = [
        Block("p", compose_paragraph(role, picker, slots, rng))
        for role in paragraph_roles(template, rng)
    ]
    if template == "blog" and rng.random() < 0.6:
        blocks[2:2] = _subheading_and_list(slots, rng)
    return blocks


def _subheading_and_list(slots: dict, rng: random.Random) -> list[Block]:
    items = rng.sample(phrases.LIST_ITEMS, 3)
    return [
        Block("h2", rng.choice(phrases.SUBHEADINGS)),
        Block("p", rng.choice(phrases.LIST_INTROS)),
        Block("ul", items=tuple(i.format(**slots) for i in items)),
    ]


def rewrite_paragraph(story: Story, old: Block, seed: str) -> Block:
    """A rewritten version of paragraph ``old``: new sentences, same story."""
    rng = random.Random(seed)
    slots = story_slots(story, rng)
    while True:
        text = compose_paragraph("reaction", SentencePicker(rng), slots, rng)
        if text != old.text:
            return Block("p", text)


def correction_paragraph(story: Story, body: list[Block], body_seed: str) -> Block:
    """The correction line appended to an article in edition 2.

    Uses the slot values of the body (same seed) and only corrections that
    refer to something the body actually says.
    """
    slots = story_slots(story, random.Random(body_seed))
    text = body_text(body)
    applicable = [phrases.CORRECTIONS[2]]
    if "cross-party group" in text:
        applicable.append(phrases.CORRECTIONS[0])
    if story.person in text:
        applicable.append(phrases.CORRECTIONS[1])
    choice = random.Random(body_seed + ":correction").choice(applicable)
    return Block("p", choice.format(**slots))


def lead_figure(story: Story, slug: str, seed: str) -> Block:
    """The article's own lead image with its caption and credit (it never rotates)."""
    rng = random.Random(seed)
    slots = story_slots(story, rng)
    caption = rng.choice(phrases.LEAD_CAPTIONS).format(**slots)
    credit = "Photo: " + rng.choice(phrases.PHOTO_CREDITS)
    return Block("figure", items=(caption, credit), link=("", f"/static/photos/{slug}.jpg"))


def update_paragraph(story: Story, seed: str) -> Block:
    """An "Update:" paragraph appended to an article in edition 4."""
    rng = random.Random(seed)
    text = compose_paragraph("outlook", SentencePicker(rng), story_slots(story, rng), rng)
    return Block("p", "Update: " + text)
