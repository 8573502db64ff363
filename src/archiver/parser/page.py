"""The page object: one fetched page in, one :class:`Article` out.

``ArticlePage(url, html)`` decodes the page once and parses it once with lxml; each
field has its own property, and :meth:`ArticlePage.to_article` assembles them. The
stages live in :mod:`archiver.parser` (one module per stage; see its docstring). A per-site
profile (:mod:`archiver.parser.profiles`) is picked by the URL's host unless one is given.

Errors: a page that is not a document raises :class:`ParseError`; nothing else
escapes, whatever the input. Time bound: see :mod:`archiver.parser.tree`.
"""

from __future__ import annotations

from copy import deepcopy
from functools import cached_property

from archiver.article import Article, ParseError
from archiver.parser import profiles
from archiver.parser import bio, body, boilerplate, check, clean, decode, kind, metadata, region, render, sections, tree
from archiver.parser.profiles import apply as site_profile


class ArticlePage:
    """One article page, split into its parts on demand."""

    def __init__(self, url: str, html: str | bytes, content_type: str | None = None,
                 profile: profiles.Profile | None = None) -> None:
        self.url = url or ""
        self.html = html if html is not None else ""
        self.content_type = content_type
        self._profile = profile

    @cached_property
    def profile(self) -> profiles.Profile | None:
        """The per-site profile: the one given, else the shipped one for the URL's host."""
        return self._profile or profiles.for_url(self.url)

    # --- parse once ------------------------------------------------------------------

    @cached_property
    def text(self) -> str:
        """The page decoded to text."""
        if not isinstance(self.html, (str, bytes, bytearray, memoryview)):
            raise ParseError(f"expected str or bytes, got {type(self.html).__name__}")
        data = self.html if isinstance(self.html, str) else bytes(self.html)
        return decode.to_text(data, self.content_type)

    @cached_property
    def root(self):
        """The lxml tree of the page (parsed once)."""
        return tree.parse(self.text)

    @cached_property
    def meta(self) -> metadata.Metadata:
        """Metadata, read before any cleaning (a profile's selectors first)."""
        meta = metadata.extract(self.root, self.url)
        return site_profile.override_metadata(meta, self.root, self.profile) if self.profile else meta

    @cached_property
    def signals(self) -> kind.Signals:
        """What the uncleaned page says about its kind (read before the stages mutate the tree)."""
        return kind.signals(self.root)

    @cached_property
    def _sections(self) -> tuple:
        """The block stages before the body, run once, in order, on the (mutated) tree."""
        meta = self.meta
        root = self.root
        self.signals  # read now: pruning below removes the scripts and meta tags it reads
        self._noscripts = region.take_noscripts(root)
        clean.strip(root)
        hidden = clean.hidden(root)
        panels = any(panel for _, panel in hidden)
        # The page mode's tree is this one while its rules make no difference: copied before they would.
        self._unpruned = deepcopy(root) if panels and not self.profile else None
        clean.drop_hidden(root, hidden)
        own = site_profile.take(root, self.profile, meta.base_url, self.url) if self.profile else None
        parts = sections.split(root, meta.base_url, self.url)
        if own:
            parts = sections.merge(own, parts)
        chosen = site_profile.content(root, self.profile) if self.profile else None
        same = not (panels or parts.page_differs or self.profile)
        # not copied: nothing changes the tree after this stage until the page mode (the body stage
        # works on copies of it), and nothing reads it after
        self._page_copy = (root, parts) if same else None
        return parts, chosen

    def _finish(self, content, dropped: list, parts: sections.Sections | None = None) -> dict:
        """The parts of the page with ``content`` as its body (``dropped``: blocks removed from it;
        ``parts``: what the section stages took out, the page's own by default)."""
        parts = parts or self._sections[0]
        links, bios, removed = parts.related_links, list(parts.bios), list(parts.boilerplate)
        removed += [boilerplate.record(boilerplate.classify(el), text)
                    for el, text in ((el, boilerplate.record_text(el)) for el in dropped) if text]
        bios += [b for b in bio.take_paragraphs(content, self.meta.byline) if b not in bios]
        blocks = check.checked(render.blocks_of(content, self.meta.base_url), self.meta.article_body)
        return {"blocks": blocks, "bio": bios, "related": links, "boilerplate": removed}

    @cached_property
    def _article_parts(self) -> dict:
        """The parts with the body stage's one container as the body (what ``is_article`` is judged on)."""
        chosen = self._sections[1]
        content, dropped = (chosen, []) if chosen is not None else body.extract(self.root, self.meta.title)
        return self._finish(content, dropped)

    @cached_property
    def fresh_root(self):
        """The page parsed anew, for the page mode (the stages before it have changed :attr:`root`)."""
        return tree.parse(self.text)

    @cached_property
    def _page_tree(self) -> tuple:
        """The page mode's tree: the page's closed panels kept (a product's specifications in a tab, a
        service's FAQ in an accordion), the section stages run with the page mode's rules (the article's
        tree and sections when these rules make no difference)."""
        if self._sections and self._page_copy is not None:
            return self._page_copy
        if self._unpruned is not None:
            root = self._unpruned
            clean.drop_hidden(root, clean.hidden(root), keep_panels=True)
        else:
            root = self.fresh_root
            region.take_noscripts(root)
            clean.prune(root, keep_panels=True)
        return root, sections.split(root, self.meta.base_url, self.url, page=True)

    @cached_property
    def _parts(self) -> dict:
        """The page's parts: an article's as the body stage has them, another page's main region."""
        parts = self._article_parts
        if self._sections[1] is not None or self.is_article:
            return parts
        view = region.noscript_page(self._noscripts, self.root)
        if view is None:
            root, parts = self._page_tree
            return self._finish(*region.extract(root, self.meta.title), parts)
        clean.prune(view)
        parts = sections.merge(self._sections[0], sections.split(view, self.meta.base_url, self.url))
        return self._finish(*region.extract(view, self.meta.title), parts)

    @property
    def blocks(self) -> list:
        """The body's paragraphs (:class:`archiver.parser.render.Block`), each with its source element."""
        return list(self._parts["blocks"])

    # --- fields ------------------------------------------------------------------------

    @property
    def title(self) -> str | None:
        """The headline."""
        return self.meta.title

    @property
    def byline(self) -> list[str]:
        """Author names."""
        return list(self.meta.byline)

    @property
    def published(self) -> str | None:
        """Publication date, ISO 8601."""
        return self.meta.published

    @property
    def modified(self) -> str | None:
        """Last modification date, ISO 8601."""
        return self.meta.modified

    @property
    def language(self) -> str | None:
        """BCP 47 language code."""
        return self.meta.language

    @property
    def site_name(self) -> str | None:
        """The site's name."""
        return self.meta.site_name

    @property
    def description(self) -> str | None:
        """The page's summary."""
        return self.meta.description

    @property
    def canonical_url(self) -> str | None:
        """The canonical URL, absolute."""
        return self.meta.canonical_url

    @property
    def page_type(self) -> str | None:
        """``article`` or ``listing`` as the page declares itself, else None."""
        return self.meta.page_type

    @property
    def body(self) -> str:
        """The article text, paragraphs separated by a blank line."""
        return render.to_text(self._parts["blocks"])

    @property
    def body_html(self) -> str:
        """The article as minimal clean HTML."""
        return render.to_html(self._parts["blocks"])

    @property
    def bio(self) -> list[str]:
        """Author bios."""
        return list(self._parts["bio"])

    @property
    def related_links(self) -> list[dict]:
        """Links to related articles of the same site."""
        return list(self._parts["related"])

    @property
    def boilerplate(self) -> list[dict]:
        """What was removed, by kind."""
        return list(self._parts["boilerplate"])

    @cached_property
    def kind_features(self) -> dict[str, float]:
        """The features :mod:`archiver.parser.kind` decides from."""
        return kind.features(self.url, self.meta, self.signals, self._article_parts)

    @property
    def is_article(self) -> bool:
        """Whether the page is an article (not a listing, product, forum, docs or service page)."""
        return kind.is_article(self.kind_features)

    # --- the record ----------------------------------------------------------------------

    def to_article(self) -> Article:
        """The page as an :class:`Article`; ParseError if it is not a document."""
        try:
            return self._assemble()
        except ParseError:
            raise
        except RecursionError as exc:
            raise ParseError(f"document too deeply nested: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - the one-exception contract of parse_article
            raise ParseError(f"could not parse page: {type(exc).__name__}: {exc}") from exc

    def _assemble(self) -> Article:
        """Every field, in order."""
        return Article(
            url=self.url,
            canonical_url=self.canonical_url,
            title=self.title,
            byline=self.byline,
            published=self.published,
            modified=self.modified,
            language=self.language,
            site_name=self.site_name,
            description=self.description,
            body=self.body,
            body_html=self.body_html,
            bio=self.bio,
            related_links=self.related_links,
            boilerplate=self.boilerplate,
            page_type=self.page_type,
            is_article=self.is_article,
        )
