"""Render catalogue entries and listings to HTML with the jinja2 templates."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from archiver.demo import inline, phrases
from archiver.demo.catalog import Catalog, Entry, Version
from archiver.demo.compose import Block
from archiver.demo.content import BRIEF_NAME, SECTION_TAGS, SECTIONS, SERVICE_PAGES, SITE_NAME, SITE_TAGLINE
from archiver.demo.rotating import GENERATED, rotating_parts

TEMPLATE_DIR = Path(__file__).parent / "templates"
ARCHIVE_MONTHS = [(2026, 4), (2026, 3), (2026, 2), (2026, 1)]


@dataclass(frozen=True)
class Teaser:
    """How an article appears when another page links to it."""

    url: str
    path: str
    slug: str
    title: str
    snippet: str
    summary: str
    section: str
    section_label: str
    template: str
    byline: list[str]
    published: datetime


def teaser(entry: Entry, version: Version, base_url: str) -> Teaser:
    """Teaser of ``entry`` as ``version`` shows it."""
    words = version.blocks[0].text.split()
    return Teaser(
        url=base_url + entry.path,
        path=entry.path,
        slug=entry.story.slug,
        title=version.title,
        snippet=" ".join(words[:24]),
        summary=version.description,
        section=entry.section,
        section_label=entry.section_label,
        template=entry.template,
        byline=version.byline,
        published=version.published,
    )


def stable_version(entry: Entry) -> Version:
    """The version a rotating link shows (pool entries never change content)."""
    return entry.version(2 if entry.change == "new" else 1)


def block_html(block: Block, para_class: str = "") -> Markup:
    """One body block as HTML; a paragraph may carry one inline link."""
    if block.kind == "figure":
        caption, credit = block.items
        return Markup('<figure class="lead-image"><img src="{}" alt=""><figcaption>{} '
                      '<span class="lead-image__credit">{}</span></figcaption></figure>'
                      ).format(block.link[1], caption, credit)
    if block.kind == "h2":
        return Markup("<h2>{}</h2>").format(block.text)
    if block.kind == "ul":
        items = Markup("").join(Markup("<li>{}</li>").format(i) for i in block.items)
        return Markup("<ul>{}</ul>").format(items)
    text = escape(block.text)
    if block.link:
        fragment, href = block.link
        anchor = Markup('<a href="{}">{}</a>').format(href, fragment)
        text = Markup(text.replace(escape(fragment), anchor, 1))
    attr = Markup(' class="{}"').format(para_class) if para_class else ""
    return Markup("<p{}>{}</p>").format(attr, text)


def _comment_date(when: datetime) -> str:
    """WordPress-style comment date: "March 4, 2026 at 9:07 pm"."""
    hour = when.hour % 12 or 12
    meridian = "am" if when.hour < 12 else "pm"
    return f"{when:%B} {when.day}, {when.year} at {hour}:{when:%M} {meridian}"


def _make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters.update(
        iso=lambda d: d.isoformat(),
        longdate=lambda d: f"{d:%B} {d.day}, {d.year}",
        stamp=lambda d: f"{d:%Y-%m-%d %H:%M} UTC",
        commentdate=_comment_date,
        block_html=block_html,
        monthname=lambda ym: f"{phrases.MONTHS[ym[1] - 1]} {ym[0]}",
        ym_path=lambda ym: f"{ym[0]}/{ym[1]:02d}",
    )
    return env


_ENV = _make_env()


class Renderer:
    """Turns entries and listings of one site (one base URL) into HTML."""

    def __init__(self, catalog: Catalog, base_url: str):
        self.catalog = catalog
        self.base_url = base_url
        self.tag_cloud = self._tag_cloud()

    def _common(self, page_title: str, canonical: str, description: str) -> dict:
        return {
            "site_name": SITE_NAME,
            "tagline": SITE_TAGLINE,
            "brief_name": BRIEF_NAME,
            "sections": SECTIONS,
            "base_url": self.base_url,
            "page_title": page_title,
            "canonical": canonical,
            "description": description,
        }

    def related_teasers(self, entry: Entry, rotation: int) -> list[Teaser]:
        """The related links of ``entry``'s page in rotation ``rotation``."""
        parts = rotating_parts(self.catalog, entry, rotation)
        return [teaser(e, stable_version(e), self.base_url) for e in parts.related]

    def inline_blocks(self, entry: Entry, edition: int) -> dict[int, list]:
        """Body block index -> the rotating blocks after it, each with its links' teasers."""
        found: dict[int, list] = {}
        for insert in inline.inserts(self.catalog, entry, edition):
            links = [teaser(e, stable_version(e), self.base_url) for e in insert.links]
            found.setdefault(insert.after, []).append((insert, links))
        return found

    def page_related(self, entry: Entry, edition: int) -> list[Teaser]:
        """Every related link of the page: in-body headline lists first, then the related block."""
        in_body = inline.related_entries(inline.inserts(self.catalog, entry, edition))
        teasers = [teaser(e, stable_version(e), self.base_url) for e in in_body]
        teasers += self.related_teasers(entry, entry.rotation(edition))
        seen: set[str] = set()
        return [t for t in teasers if not (t.url in seen or seen.add(t.url))]

    def article(self, entry: Entry, edition: int) -> str:
        """The article page of ``entry`` in ``edition`` (which must exist)."""
        version = entry.version(edition)
        rotation = entry.rotation(edition)
        parts = rotating_parts(self.catalog, entry, rotation)
        canonical = self.base_url + entry.path
        rot = {
            "related": self.related_teasers(entry, rotation),
            "recent": [teaser(e, stable_version(e), self.base_url) for e in parts.recent],
            "testimonial": parts.testimonial,
            "pitch": parts.pitch,
            "newsletter": parts.newsletter,
            "ads": parts.ads,
            "comments": parts.comments,
        }
        context = self._common(version.title, canonical, version.description)
        context.update(
            entry=entry,
            v=version,
            rot=rot,
            generated=parts.generated,
            og_type="article",
            tags=self.tags(entry),
            tag_cloud=self.tag_cloud,
            archive_months=ARCHIVE_MONTHS,
            cookie_text=phrases.COOKIE_TEXT,
            json_ld=self.json_ld(entry, version) if entry.template == "news" else "",
            inline=self.inline_blocks(entry, edition),
        )
        return _ENV.get_template(f"article_{entry.template}.html").render(context)

    def listing(self, heading: str, path: str, entries: list[Entry], edition: int,
                older: str | None, newer: str | None, css_class: str) -> str:
        """A home or section page listing ``entries`` as they are in ``edition``."""
        items = [teaser(e, e.version(edition), self.base_url) for e in entries]
        description = f"{heading} from {SITE_NAME}: {SITE_TAGLINE.lower()}."
        context = self._common(heading, self.base_url + path, description)
        context.update(items=items, heading=heading, older_url=older, newer_url=newer,
                       listing_class=css_class, generated=GENERATED[edition])
        return _ENV.get_template("listing.html").render(context)

    def service(self, path: str) -> str:
        """A page of :data:`SERVICE_PAGES` (about, contact, terms ...): a heading and a few lines."""
        heading, paragraphs = SERVICE_PAGES[path]
        context = self._common(heading, self.base_url + path, paragraphs[0])
        context.update(heading=heading, paragraphs=paragraphs)
        return _ENV.get_template("service.html").render(context)

    def error(self, status: int, path: str) -> str:
        """The small 404 / 410 page."""
        if status == 410:
            heading, message = "Gone", "This article has been removed and is no longer available."
        else:
            heading, message = "Page not found", "Sorry, we could not find the page you asked for."
        context = self._common(heading, self.base_url + path, message)
        context.update(status=status, heading=heading, message=message)
        return _ENV.get_template("error.html").render(context)

    def json_ld(self, entry: Entry, version: Version) -> str:
        """The NewsArticle JSON-LD; ``articleBody`` only on even-numbered stories."""
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": self.base_url + entry.path},
            "headline": version.title,
            "description": version.description,
            "articleSection": entry.section_label,
            "inLanguage": "en",
            "datePublished": version.published.isoformat(),
            "dateModified": version.modified.isoformat(),
            "author": [
                {"@type": "Person", "name": a.name, "url": f"{self.base_url}/author/{a.slug}/"}
                for a in version.authors
            ],
            "publisher": {
                "@type": "Organization",
                "name": SITE_NAME,
                "logo": {"@type": "ImageObject", "url": f"{self.base_url}/static/logo.png"},
            },
        }
        if entry.index % 2 == 0:
            data["articleBody"] = version.body
        return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")

    @staticmethod
    def tags(entry: Entry) -> list[str]:
        """Two tags from the entry's section."""
        return random.Random(entry.seed + ":tags").sample(SECTION_TAGS[entry.section], 2)

    def _tag_cloud(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for entry in self.catalog.related_pool(1):
            for tag in self.tags(entry):
                counts[tag] = counts.get(tag, 0) + 1
        return [(tag, 8 + min(counts[tag], 14)) for tag in sorted(counts)]
