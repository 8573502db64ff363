"""An article as JSON, plain text or Markdown, for people and pipes."""

from __future__ import annotations

import json

from archiver.article import Article


def render(article: Article, fmt: str = "json") -> str:
    """The article in ``fmt``: ``json``, ``text`` or ``markdown``."""
    return {"json": as_json, "text": as_text, "markdown": as_markdown}[fmt](article)


def as_json(article: Article) -> str:
    """The whole record, indented JSON."""
    return json.dumps(article.to_dict(), indent=2, ensure_ascii=False)


def as_text(article: Article) -> str:
    """Title, byline, dates, body, bio and related links as plain text."""
    lines = [article.title or "(no title)"]
    if article.byline:
        lines.append("By " + ", ".join(article.byline))
    if article.published:
        lines.append(f"Published {article.published}" + (f", modified {article.modified}" if article.modified else ""))
    lines += ["", article.body]
    if article.bio:
        lines += ["", "About the author" + ("s" if len(article.bio) > 1 else ""), *article.bio]
    if article.related_links:
        lines += ["", "Related", *(f"- {link['text']} <{link['url']}>" for link in article.related_links)]
    return "\n".join(lines).rstrip() + "\n"


def as_markdown(article: Article) -> str:
    """The article as Markdown with a small front matter."""
    front = {"url": article.canonical_url or article.url, "byline": article.byline, "published": article.published}
    lines = ["---", *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()), "---", ""]
    lines += [f"# {article.title or ''}", "", article.body]
    if article.bio:
        lines += ["", "## About the author" + ("s" if len(article.bio) > 1 else ""), "", "\n\n".join(article.bio)]
    if article.related_links:
        lines += ["", "## Related", "", *(f"- [{link['text']}]({link['url']})" for link in article.related_links)]
    return "\n".join(lines).rstrip() + "\n"
