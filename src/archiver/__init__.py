"""archiver: crawl news sites, split pages into their parts, keep every version."""

from archiver.article import PARSER_VERSION, Article, ParseError


def parse_article(html, url, profile=None):
    """Parse one page (``str`` or ``bytes``) fetched from ``url`` into an :class:`Article`.

    ``profile`` (an :class:`archiver.profiles.Profile`) overrides the generic rules with a
    site's CSS selectors; by default the shipped profile for the URL's host is used, if any.
    """
    from archiver.page import ArticlePage

    return ArticlePage(url, html, profile=profile).to_article()


__all__ = ["Article", "ParseError", "PARSER_VERSION", "parse_article"]
