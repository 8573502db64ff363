"""The article parser, one module per stage (wired by :class:`archiver.parser.page.ArticlePage`, the page object).

1. ``decode``: bytes to text (HTTP charset, BOM, ``<meta charset>``, UTF-8, then detection).
2. ``tree``: one lxml parse, with the size bound of a parse (``MAX_CHARS``, ``MAX_ELEMENTS``).
3. ``metadata``: title, byline, dates, language, site name, description, canonical URL
   from JSON-LD (``@graph`` too), microdata, OpenGraph and ``<meta>``, then markup.
4. ``clean``: prune scripts, styles, form controls and hidden elements.
   ``profiles.apply``: a per-site profile's CSS selectors (:mod:`archiver.parser.profiles`) override the
   metadata and take out its bio, related and boilerplate blocks before the generic rules.
5. ``related``: take out "Related Articles" / "Read next" blocks and keep their links.
6. ``bio``: take out author boxes and keep their text.
7. ``boilerplate``: take out chrome, ads, promos, paywalls, newsletter boxes, cookie
   banners, share bars and comments, each classified by kind (author cards and related
   widgets inside a side rail are kept as bio and related links first).
8. ``body``: pick the main content by text and link density and class/id vocabulary,
   then clean it conditionally (bio paragraphs, leftover boilerplate); a profile's ``body``
   selector replaces this step. ``region``: for a page the kind model judges not to be an
   article, the page mode keeps the main region's blocks instead (forum posts, product sections,
   listing items). ``check``: a long JSON-LD ``articleBody`` that the body
   misses almost entirely replaces it.
9. ``render``: the content as plain text and as minimal clean HTML.
"""
