"""Datasette plugin: article pages, version diffs and ranked search for an archiver archive.

Routes (``<db>`` is any database with a ``versions`` table; the plugin does not assume a name):

- ``/<db>/-/article/<id>[?version=N]``: one article, its body as sanitised HTML, author bio,
  related links (to their archived article when we have it) and the list of versions;
- ``/<db>/-/article/<id>/diff?from=N&to=M``: a word-level diff between any two versions;
- ``/<db>/-/search?q=...[&all=1]``: FTS5 search ranked by bm25, latest versions or all (a query
  matching more than ``SEARCH_WINDOW`` versions is ranked among its newest ``SEARCH_WINDOW``);
- ``/-/archive/<path>``: ``/<db>/<path>`` of the first archive database (links in metadata.yml);
- the search box of the ``versions`` and ``latest_articles`` table pages (``?_search=``) finds
  rows among the newest ``SEARCH_WINDOW`` matches, like the search page, so that counting and
  faceting the results stays bounded however common the word.

Read-only: the plugin only runs ``select``. Archived text is escaped, then passed through nh3
with a small allow-list; the pages send a Content-Security-Policy that forbids every script.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import nh3
from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import escape_fts
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from archiver.article import CONTENT_FIELDS
from archiver.archive.diff import as_html, diff_versions
from archiver.archive.store import decode_version
from archiver.archive.urls import canonical_url

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
        decode_version(row)
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


#: A query matching more versions than this is ranked (bm25) among its newest ``SEARCH_WINDOW``
#: matches only (by version id, which grows with time): ranking every match of a word found in
#: most documents costs time in proportion to the matches (1.3 s for a million).
#: A query with fewer matches is ranked exactly. The canned queries ``search`` and
#: ``search_all_versions`` of metadata.yml use the same window.
SEARCH_WINDOW = 5000
#: The newest matches (FTS5 walks them in rowid order and stops at the limit), with their rank.
MATCHES_SQL = """
select versions_fts.rowid as id, bm25(versions_fts, 10.0, 1.0, 2.0) as rank
from versions_fts {latest}
where versions_fts match :query
order by versions_fts.rowid desc
limit {window}
"""
#: Latest versions only: an index look-up per match (``articles.latest_version_id``).
LATEST_ONLY = "join articles on articles.latest_version_id = versions_fts.rowid"
#: The best of the window first, with the window's size; snippets for the page's rows only.
SEARCH_SQL = """
with newest as ({matches}),
ranked as (select id, rank, count(*) over () as total from newest order by rank limit {limit})
select ranked.total, versions.article_id, versions.version, versions.title, versions.first_seen, articles.site,
       articles.removed_at, articles.latest_version,
       snippet(versions_fts, -1, char(2), char(3), '…', 24) as snippet
from ranked
  cross join versions_fts on versions_fts.rowid = ranked.id
  join versions on versions.id = ranked.id
  join articles on articles.id = versions.article_id
where versions_fts match :query
order by ranked.rank
"""


def search_sql(every: bool, limit: int = RESULTS, window: int = SEARCH_WINDOW) -> str:
    """The search page's query: the best ``limit`` of the newest ``window`` matches."""
    matches = MATCHES_SQL.format(latest="" if every else LATEST_ONLY, window=int(window))
    return SEARCH_SQL.format(matches=matches, limit=int(limit))


async def search_page(datasette, request):
    """Ranked full-text search over the latest versions (or all with ``all=1``)."""
    db = await archive_db(datasette, request.url_vars["database"])
    query = (request.args.get("q") or "").strip()
    every = request.args.get("all") == "1"
    results, total = [], 0
    indexed = await db.table_exists("versions_fts")
    if escape_fts(query) and indexed:
        rows = (await db.execute(search_sql(every), {"query": escape_fts(query)})).rows
        results = [dict(row, snippet_html=snippet_as_html(row["snippet"])) for row in rows]
        total = results[0]["total"] if results else 0
    context = {
        "database": db.name,
        "query": query,
        "all": every,
        "results": results,
        "total": total,
        "window": SEARCH_WINDOW,
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


#: Table pages whose ``?_search=`` is windowed: the column that is a ``versions_fts`` rowid, and
#: the newest matches it may take (``:archiver_search`` is the visitor's words).
WINDOWED_SEARCH = {
    "versions": (
        "id",
        "select rowid from versions_fts where versions_fts match escape_fts(:archiver_search)"
        " order by rowid desc limit {window}",
    ),
    "latest_articles": (
        "version_id",
        "select versions_fts.rowid from versions_fts"
        " join articles as latest on latest.latest_version_id = versions_fts.rowid"
        " where versions_fts match escape_fts(:archiver_search) order by versions_fts.rowid desc limit {window}",
    ),
}
#: Datasette's own ``_search`` is renamed to this before Datasette sees it (see ``asgi_wrapper``).
SEARCH_ARG = "_archiver_search"
TABLE_PATH = re.compile(r"^/[^/]+/(?P<table>[^/.]+)(\.[a-z]+)?$")


def windowed_search_query(path: str, query_string: bytes) -> bytes:
    """The query string with ``_search`` renamed to ``SEARCH_ARG`` on a windowed table's page.

    Datasette's search would count and facet every match of the words (time in proportion to
    the matches); renamed, it is ignored by Datasette and handled by ``filters_from_request``.
    """
    match = TABLE_PATH.match(path)
    if not match or match["table"] not in WINDOWED_SEARCH or b"_search=" not in query_string:
        return query_string
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    if not any(key == "_search" for key, _ in pairs):
        return query_string
    # The table page's search form carries the last search as a hidden field: the new one wins.
    pairs = [(SEARCH_ARG if key == "_search" else key, value) for key, value in pairs if key != SEARCH_ARG]
    return urlencode(pairs).encode("latin-1")


@hookimpl
def filters_from_request(request, database, table, datasette):
    """``_search`` (renamed) on a windowed table: rows among the newest ``SEARCH_WINDOW`` matches."""
    words = (request.args.get(SEARCH_ARG) or "").strip()
    if table not in WINDOWED_SEARCH or not words:
        return None

    async def inner():
        if not await datasette.get_database(database).table_exists("versions_fts"):
            return None
        column, matches = WINDOWED_SEARCH[table]
        return FilterArguments(
            ["[{}] in ({})".format(column, matches.format(window=SEARCH_WINDOW))],
            {"archiver_search": words},
            [f'search matches "{words}" (among the newest {SEARCH_WINDOW:,} matches)'],
            {"search": words},
        )

    return inner


@hookimpl
def asgi_wrapper():
    """Every response gets the baseline headers unless it set its own CSP; a windowed table's
    ``_search`` is renamed (``windowed_search_query``)."""

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

            if scope.get("type") == "http" and scope.get("query_string"):
                query_string = windowed_search_query(scope.get("path", ""), scope["query_string"])
                if query_string is not scope["query_string"]:
                    scope = {**scope, "query_string": query_string}
            await app(scope, receive, send_with_headers)

        return with_headers

    return wrap
