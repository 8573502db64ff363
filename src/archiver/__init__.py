"""archiver: crawl news sites, split pages into their parts, keep every version."""

from archiver.article import PARSER_VERSION, Article, ParseError


def parse_article(html, url):
    """Parse one page (``str`` or ``bytes``) fetched from ``url`` into an :class:`Article`."""
    from archiver.page import ArticlePage

    return ArticlePage(url, html).to_article()


__all__ = ["Article", "ParseError", "PARSER_VERSION", "parse_article"]
