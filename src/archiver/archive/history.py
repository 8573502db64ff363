"""An article's history: its versions and removals, and diffs between versions."""

from __future__ import annotations

from archiver.archive.diff import as_condensed_text, as_text, diff_versions
from archiver.archive.store import Archive, decode_version
from archiver.errors import ArchiverError


#: Fields whose unchanged paragraphs a diff leaves out.
LONG_FIELDS = ("body", "bio")


class HistoryError(ArchiverError, LookupError):
    """No such article or version; the message says which."""


def find(archive: Archive, url: str) -> dict:
    """The article for ``url`` (any URL seen for it), or HistoryError."""
    row = archive.find_article(url)
    if row is None:
        raise HistoryError(f"no article archived for {url}")
    return row


def versions(archive: Archive, article_id: int) -> list[dict]:
    """All versions of an article, oldest first, JSON columns decoded."""
    rows = archive.db.query("select * from versions where article_id = ? order by version", [article_id])
    return [decode_version(row) for row in rows]


def events(archive: Archive, article: dict) -> list[dict]:
    """Versions and removals in time order: ``{"when", "version", "change", "title", ...}``."""
    items = [
        {"when": v["first_seen"], "version": v["version"], "change": v["change"], "title": v["title"],
         "changed": v["changed"], "produced_by": v["produced_by"]}
        for v in versions(archive, article["id"])
    ]
    items += removals(archive, article["id"])
    return sorted(items, key=lambda item: (item["when"], item["version"] or 0))


def removals(archive: Archive, article_id: int) -> list[dict]:
    """The first 404/410 fetch of each time the article went away."""
    found, gone = [], False
    fetches = archive.db.query(
        "select fetched_at, status, outcome from fetches where article_id = ? and outcome != 'error' order by id",
        [article_id],
    )
    for fetch in fetches:
        if fetch["outcome"] == "removed" and not gone:
            found.append({"when": fetch["fetched_at"], "version": None, "change": "removed",
                          "title": f"HTTP {fetch['status']}", "changed": [], "produced_by": "crawl"})
        if fetch["outcome"] != "not_modified":
            gone = fetch["outcome"] == "removed"
    return found


def history_lines(archive: Archive, url: str) -> list[str]:
    """One line per version or removal of the article at ``url``."""
    article = find(archive, url)
    lines = [f"{article['url']}" + (f"  (removed {article['removed_at']})" if article["removed_at"] else "")]
    for item in events(archive, article):
        number = f"v{item['version']}" if item["version"] else "--"
        fields = f" [{', '.join(item['changed'])}]" if item["changed"] and item["change"] != "new" else ""
        by = " (re-parse)" if item["produced_by"] == "reparse" else ""
        lines.append(f"{number:>4}  {item['when']}  {item['change']:<10}{by}  {item['title'] or ''}{fields}")
    return lines


def pick(items: list[dict], number: int | None, default: int) -> dict:
    """Version ``number`` (1-based; negative counts from the end), or HistoryError."""
    index = default if number is None else (number - 1 if number > 0 else number)
    try:
        if index < -len(items) or index >= len(items):
            raise IndexError
        return items[index]
    except IndexError:
        raise HistoryError(f"no version {number}: the article has {len(items)}") from None


def diff_text(archive: Archive, url: str, start: int | None = None, end: int | None = None) -> str:
    """A readable word-level diff between two versions (default: the last two), field by field."""
    article = find(archive, url)
    items = versions(archive, article["id"])
    old, new = pick(items, start, -2 if len(items) > 1 else 0), pick(items, end, -1)
    header = f"{article['url']}: version {old['version']} ({old['first_seen']}) -> {new['version']} ({new['first_seen']})"
    fields = diff_versions(old, new)
    if not fields:
        return header + "\nno difference in the article's content"
    sections = [f"--- {name}\n{(as_condensed_text if name in LONG_FIELDS else as_text)(ops)}" for name, ops in fields.items()]
    return "\n\n".join([header, *sections])
