"""Datasette plugin: article pages, version diffs and ranked search for an archiver archive.

Routes (``<db>`` is any database with a ``versions`` table; the plugin does not assume a name):

- ``/<db>/-/article/<id>[?version=N]``: one article, its body as sanitised HTML, author bio,
  related links (to their archived article when we have it) and the list of versions;
- ``/<db>/-/article/<id>/diff?from=N&to=M``: a word-level diff between any two versions;
- ``/<db>/-/search?q=...[&all=1]``: FTS5 search ranked by bm25, latest versions or all;
- ``/-/archive/<path>``: ``/<db>/<path>`` of the first archive database (links in metadata.yml).

Read-only: the plugin only runs ``select``. Archived text is escaped, then passed through nh3
with a small allow-list; the pages send a Content-Security-Policy that forbids every script.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import nh3
from datasette import hookimpl
from datasette.utils import escape_fts
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from archiver.article import CONTENT_FIELDS
from archiver.diff import as_html, diff_versions
from archiver.urls import canonical_url

#: Plugin pages: no script at all, styles and images from this server only, no framing.
STRICT_CSP = (
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: Datasette's own pages need their inline scripts; nothing else may load or frame them.
BASELINE_CSP = "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
#: What sanitised archived text may contain.
ALLOWED_TAGS = {"p", "br", "ins", "del", "mark"}
CSS = (Path(__file__).parent / "archiver.css").read_text()
SNIPPET_START, SNIPPET_END = "\x02", "\x03"
RESULTS = 50


def sanitise(markup: str, tags=ALLOWED_TAGS) -> Markup:
    """HTML reduced to the allow-listed tags, no attributes: safe to show."""
    return Markup(nh3.clean(markup, tags=set(tags), attributes={}, url_schemes=set()))


def text_as_html(text: str | None) -> Markup:
    """Plain text (paragraphs separated by a blank line) as sanitised ``<p>`` paragraphs."""
    paragraphs = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    return sanitise("".join(f"<p>{html.escape(p)}</p>" for p in paragraphs))


def snippet_as_html(snippet: str | None) -> Markup:
    """An FTS5 snippet with its match markers as ``<mark>``, everything else escaped."""
    escaped = html.escape(snippet or "").replace(SNIPPET_START, "<mark>").replace(SNIPPET_END, "</mark>")
    return sanitise(escaped, {"mark"})


def decode(row: dict, *names: str) -> dict:
    """A row with its JSON columns as Python values."""
    row = dict(row)
    for name in names:
        row[name] = json.loads(row[name]) if row.get(name) else []
    return row


async def archive_db(datasette, name: str):
    """The named database, if it holds an archive; else 404."""
    try:
        db = datasette.get_database(name)
    except KeyError:
        raise NotFound(f"no database {name}")
    if not await db.table_exists("versions"):
        raise NotFound(f"{name} is not an archive")
    return db


async def one(db, sql: str, params=()) -> dict | None:
    """The first row of a query as a dict, or None."""
    rows = (await db.execute(sql, params)).rows
    return dict(rows[0]) if rows else None


async def page(datasette, request, template: str, context: dict, status: int = 200) -> Response:
    """A plugin page rendered in Datasette's layout, with the strict CSP."""
    body = await datasette.render_template(template, context, request=request)
    return Response.html(body, status=status, headers=security_headers(STRICT_CSP))


def security_headers(csp: str) -> dict:
    """Headers every page gets."""
    return {"content-security-policy": csp, "x-content-type-options": "nosniff", "referrer-policy": "same-origin"}


async def load_article(datasette, request):
    """``(db, article row, version rows)`` of the route's article; 404 when unknown."""
    db = await archive_db(datasette, request.url_vars["database"])
    article = await one(db, "select * from articles where id = ?", [int(request.url_vars["article_id"])])
    if article is None:
        raise NotFound("no such article")
    versions = [
        decode(row, "byline", "bio", "changed")
        for row in (await db.execute("select * from versions where article_id = ? order by version", [article["id"]])).rows
    ]
    return db, article, versions


def version_number(request, name: str, default: int, versions: list[dict]) -> int:
    """A version number from the query string, kept to the versions that exist."""
    try:
        number = int(request.args.get(name) or default)
    except ValueError:
        number = default
    numbers = [v["version"] for v in versions]
    return number if number in numbers else default


async def article_page(datasette, request):
    """One article: the chosen version's text, bio, related links, and every version."""
    db, article, versions = await load_article(datasette, request)
    if not versions:
        raise NotFound("this article has no version")
    chosen = versions[version_number(request, "version", versions[-1]["version"], versions) - 1]
    fetch = await one(
        db,
        """select related_links, fetched_at from fetches where article_id = ? and version = ?
           and page_hash is not null order by id desc limit 1""",
        [article["id"], chosen["version"]],
    )
    related = await related_links(db, json.loads(fetch["related_links"]) if fetch and fetch["related_links"] else [])
    duplicates = (
        await db.execute(
            """select articles.id, articles.title, near.similarity from (
                 select other_id as id, similarity from near_duplicates where article_id = ?
                 union select article_id, similarity from near_duplicates where other_id = ?) as near
               join articles on articles.id = near.id order by near.similarity desc""",
            [article["id"], article["id"]],
        )
    ).rows if await db.table_exists("near_duplicates") else []
    context = {
        "database": db.name,
        "article": article,
        "version": chosen,
        "versions": versions,
        "body_html": text_as_html(chosen["body"]),
        "bios": [text_as_html(bio) for bio in chosen["bio"]],
        "related": related,
        "duplicates": [dict(row) for row in duplicates],
        "base": datasette.urls.database(db.name),
    }
    return await page(datasette, request, "archiver_article.html", context)


async def related_links(db, links: list[dict]) -> list[dict]:
    """Related links, each with the id of its archived article when the archive has it."""
    keys = {}
    for link in links:
        try:
            keys[link.get("url")] = canonical_url(link.get("url") or "")
        except ValueError:
            keys[link.get("url")] = None
    wanted = [key for key in keys.values() if key]
    found = {}
    if wanted:
        sql = f"select url, article_id from aliases where url in ({', '.join('?' * len(wanted))})"
        found = {row["url"]: row["article_id"] for row in (await db.execute(sql, wanted)).rows}
    return [
        {"url": link.get("url"), "text": link.get("text") or link.get("url"), "article_id": found.get(keys[link.get("url")])}
        for link in links
    ]


async def diff_page(datasette, request):
    """The word-level differences between two versions of an article."""
    db, article, versions = await load_article(datasette, request)
    latest = versions[-1]["version"] if versions else 1
    new = version_number(request, "to", latest, versions)
    old = version_number(request, "from", max(new - 1, 1), versions)
    before, after = versions[old - 1], versions[new - 1]
    diffs = diff_versions(before, after)
    fields = [
        {"name": name, "html": sanitise(as_html(diffs[name]), {"ins", "del", "br"})}
        for name in CONTENT_FIELDS
        if name in diffs
    ]
    context = {
        "database": db.name,
        "article": article,
        "versions": versions,
        "old": before,
        "new": after,
        "fields": fields,
        "unchanged": [name for name in CONTENT_FIELDS if name not in diffs],
        "base": datasette.urls.database(db.name),
    }
    return await page(datasette, request, "archiver_diff.html", context)


MATCHES_SQL = """
select versions_fts.rowid as id, bm25(versions_fts, 10.0, 1.0, 2.0) as rank
from versions_fts
  join versions on versions.id = versions_fts.rowid
  join articles on articles.id = versions.article_id
where versions_fts match :query {latest}
"""
#: The best matches first; snippets are made for the page's rows only, not for every match.
SEARCH_SQL = """
with ranked as (select * from ({matches}) order by rank limit {limit})
select versions.article_id, versions.version, versions.title, versions.first_seen, articles.site,
       articles.removed_at, articles.latest_version,
       snippet(versions_fts, -1, char(2), char(3), '…', 24) as snippet
from ranked
  join versions_fts on versions_fts.rowid = ranked.id
  join versions on versions.id = ranked.id
  join articles on articles.id = versions.article_id
where versions_fts match :query
order by ranked.rank
"""
LATEST_ONLY = "and versions.version = articles.latest_version"


async def search_page(datasette, request):
    """Ranked full-text search over the latest versions (or all with ``all=1``)."""
    db = await archive_db(datasette, request.url_vars["database"])
    query = (request.args.get("q") or "").strip()
    every = request.args.get("all") == "1"
    results, total = [], 0
    indexed = await db.table_exists("versions_fts")
    if escape_fts(query) and indexed:
        params = {"query": escape_fts(query)}
        matches = MATCHES_SQL.format(latest="" if every else LATEST_ONLY)
        sql = SEARCH_SQL.format(matches=matches, limit=RESULTS)
        results = [dict(row, snippet_html=snippet_as_html(row["snippet"])) for row in (await db.execute(sql, params)).rows]
        total = (await db.execute(f"select count(*) from ({matches})", params)).rows[0][0]
    context = {
        "database": db.name,
        "query": query,
        "all": every,
        "results": results,
        "total": total,
        "indexed": indexed,
        "base": datasette.urls.database(db.name),
    }
    return await page(datasette, request, "archiver_search.html", context)


async def first_archive(datasette, request):
    """Redirect ``/-/archive/<path>`` to ``/<db>/<path>`` of the first archive database."""
    for name, db in datasette.databases.items():
        if name != "_internal" and await db.table_exists("versions"):
            target = datasette.urls.database(name) + "/" + request.url_vars["path"]
            query = request.query_string
            return Response.redirect(target + (f"?{query}" if query else ""))
    raise NotFound("no archive database is served")


async def stylesheet(request):
    """The plugin pages' CSS (a file, so the CSP can forbid inline styles)."""
    return Response(CSS, content_type="text/css; charset=utf-8", headers={"cache-control": "max-age=600"})


@hookimpl
def register_routes():
    return [
        (r"^/-/archiver\.css$", stylesheet),
        (r"^/-/archive/(?P<path>.*)$", first_archive),
        (r"^/(?P<database>[^/]+)/-/article/(?P<article_id>\d+)$", article_page),
        (r"^/(?P<database>[^/]+)/-/article/(?P<article_id>\d+)/diff$", diff_page),
        (r"^/(?P<database>[^/]+)/-/search$", search_page),
    ]


@hookimpl
def prepare_connection(conn):
    """``archiver_fts(text)``: a visitor's words as a safe FTS5 query (for canned queries)."""
    conn.create_function("archiver_fts", 1, lambda text: escape_fts(text or ""), deterministic=True)


def _value(row, key):
    """A column of a result row (a foreign key's value, not its label), or None."""
    try:
        value = row[key] if key in row.keys() else None
    except (AttributeError, TypeError):
        return None
    return value.get("value") if isinstance(value, dict) else value


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Titles link to the article page; a ``diff`` column (a version number) to its diff."""
    article_id = _value(row, "article_id") or (_value(row, "id") if table == "articles" else None)
    if article_id is None or value is None:
        return None
    base = f"{datasette.urls.database(database)}/-/article/{int(article_id)}"
    if column == "title":
        version = _value(row, "version") if table in (None, "versions") else None
        href = base + (f"?version={int(version)}" if version else "")
        return Markup('<a href="{}">{}</a>').format(href, value)
    if column == "diff" and isinstance(value, int) and value > 1:
        return Markup('<a href="{}/diff?from={}&amp;to={}">v{} → v{}</a>').format(base, value - 1, value, value - 1, value)
    return None


@hookimpl
def asgi_wrapper():
    """Every response gets the baseline headers unless it set its own CSP."""

    def wrap(app):
        async def with_headers(scope, receive, send):
            async def send_with_headers(event):
                if event["type"] == "http.response.start":
                    names = {name.lower() for name, _ in event.get("headers", [])}
                    extra = [
                        (name.encode(), value.encode())
                        for name, value in security_headers(BASELINE_CSP).items()
                        if name.encode() not in names
                    ]
                    event = {**event, "headers": [*event.get("headers", []), *extra]}
                await send(event)

            await app(scope, receive, send_with_headers)

        return with_headers

    return wrap
