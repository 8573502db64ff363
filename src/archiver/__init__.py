"""archiver: crawl news sites, split pages into their parts, keep every version."""

from archiver.article import PARSER_VERSION, Article, ParseError


def parse_article(html, url, profile=None):
    """Parse one page (``str`` or ``bytes``) fetched from ``url`` into an :class:`Article`.

    ``profile`` (an :class:`archiver.parser.profiles.Profile`) overrides the generic rules with a
    site's CSS selectors; by default the shipped profile for the URL's host is used, if any.
    """
    from archiver.parser.page import ArticlePage

    return ArticlePage(url, html, profile=profile).to_article()


def __getattr__(name):
    """``archiver.Archive``, imported on first use (the parser alone needs no SQLite)."""
    if name == "Archive":
        from archiver.archive.store import Archive

        return Archive
    raise AttributeError(f"module 'archiver' has no attribute {name!r}")


__all__ = ["Archive", "Article", "ParseError", "PARSER_VERSION", "parse_article"]
