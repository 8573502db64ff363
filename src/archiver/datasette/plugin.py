"""The archiver Datasette plugin: article pages, version diffs, ranked search, and the metadata and
canned queries of every database that holds an archive, whatever its file name.

Registered by entry point (``[project.entry-points.datasette]`` in pyproject.toml), so
``datasette any-name.db`` and ``archiver serve --db any-name.db`` both load it; its templates
are ``templates/`` next to this module, and ``archive.yml`` holds the tables' descriptions,
facets and the canned queries other than the searches (built from ``search_sql``). A user's own
metadata (``datasette -m metadata.yml``) merges on top.

Routes (``<db>`` is any database with a ``versions`` table; the plugin does not assume a name):

- ``/<db>/-/article/<id>[?version=N]``: one article, its body as sanitised HTML, author bio,
  related links (to their archived article when we have it) and the list of versions;
- ``/<db>/-/article/<id>/diff?from=N&to=M``: a word-level diff between any two versions;
- ``/<db>/-/search?q=...[&all=1]``: FTS5 search ranked by bm25, latest versions or all (a query
  matching more than ``SEARCH_WINDOW`` versions is ranked among its newest ``SEARCH_WINDOW``);
- ``/-/archive/<path>``: ``/<db>/<path>`` of the first archive database (the home page's links);
- the search box of the ``versions`` and ``latest_articles`` table pages (``?_search=``) finds
  rows among the newest ``SEARCH_WINDOW`` matches, like the search page, so that counting and
  faceting the results stays bounded however common the word.

People's formats: cells holding a JSON list of names (``byline``) show as "A, B and C", of bios
as text, timestamps as "2024-05-01 12:34 UTC" (the ISO value in the ``<time>`` element); the
data, JSON and CSV keep what is stored. The views ``latest_articles`` and ``latest_versions``
give bylines and bios as read in every format (``byline_json``, ``bio_json``: the lists).

Read-only: the plugin only runs ``select``. Archived text is escaped, then passed through nh3
with a small allow-list; the pages send a Content-Security-Policy that forbids every script.
"""

from __future__ import annotations

import html
import json
import os
import re
import sqlite3
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import nh3
import yaml
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
HERE = Path(__file__).parent
CSS = (HERE / "static" / "archiver.css").read_text()
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
#: A query with fewer matches is ranked exactly. The search page, the canned queries ``search``
#: and ``search_all_versions`` and the table pages' search box use the same window.
SEARCH_WINDOW = 5000
#: How much a match in each column of ``versions_fts`` counts (bm25): the title most, then the bio.
WEIGHTS = {"title": 10.0, "body": 1.0, "bio": 2.0}
RANK = "bm25(versions_fts, {})".format(", ".join(str(weight) for weight in WEIGHTS.values()))


def newest_matches(every: bool, words: str, window: int = SEARCH_WINDOW, rank: bool = True) -> str:
    """The newest ``window`` versions (ids) matching ``words`` (an SQL expression), with their rank.

    FTS5 walks the matches in rowid order and stops at the limit; latest versions only (not
    ``every``) costs an index look-up per match (``articles.latest_version_id``).
    """
    return (
        f"select versions_fts.rowid as id{f', {RANK} as rank' if rank else ''} from versions_fts"
        + ("" if every else " join articles as latest on latest.latest_version_id = versions_fts.rowid")
        + f" where versions_fts match {words} order by versions_fts.rowid desc limit {int(window)}"
    )


def search_sql(
    every: bool = False,
    *,
    words: str = ":query",
    limit: int = RESULTS,
    window: int = SEARCH_WINDOW,
    marks: tuple[str, str] = ("char(2)", "char(3)"),
    tokens: int = 24,
) -> str:
    """The search: the best ``limit`` of the newest ``window`` versions matching ``words``.

    One query for the search page (``words`` already escaped, snippets marked with ``marks``)
    and the canned queries (``words`` ``archiver_fts(:q)``, marks ``[`` ``]``). Each row: the
    version, its article and site, a snippet, its rank (lower is better) and ``matches``, the
    size of the window (``window`` when it is full).
    """
    start, end = marks
    return f"""with newest as ({newest_matches(every, words, window)}),
ranked as (select id, rank, count(*) over () as matches from newest order by rank limit {int(limit)})
select versions.article_id, versions.version, versions.title, articles.site,
       snippet(versions_fts, -1, {start}, {end}, '…', {int(tokens)}) as snippet,
       round(ranked.rank, 3) as rank, ranked.matches, versions.first_seen, articles.removed_at,
       articles.latest_version
from ranked
  cross join versions_fts on versions_fts.rowid = ranked.id
  join versions on versions.id = ranked.id
  join articles on articles.id = versions.article_id
where versions_fts match {words}
order by ranked.rank"""


#: The search canned queries: (name, every version, title, what they find).
SEARCH_QUERIES = (
    ("search", False, "Search the latest versions", "of each article's latest version"),
    ("search_all_versions", True, "Search every version", "of every version (older wording included)"),
)


def search_queries() -> dict:
    """The canned queries ``search`` and ``search_all_versions``, from ``search_sql``."""
    return {
        name: {
            "title": title,
            "hide_sql": True,
            "description": (
                f"Ranked full-text search (bm25, title weighted highest) over title, body and bio {what}. "
                f"A query matching more than {SEARCH_WINDOW:,} versions is ranked among the newest "
                f"{SEARCH_WINDOW:,} of them (add words to narrow it); matches says how many were ranked. "
                "The search page (Search, on the database page) shows the same with highlighted snippets."
            ),
            "sql": search_sql(every, words="archiver_fts(:q)", limit=100, marks=("'['", "']'"), tokens=20),
        }
        for name, every, title, what in SEARCH_QUERIES
    }


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
        total = results[0]["matches"] if results else 0
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


#: Columns holding a timestamp (ISO 8601): shown readable on pages, kept ISO in the data.
TIME_COLUMNS = {
    "first_seen", "last_seen", "fetched_at", "started", "finished", "removed_at", "detected_at",
    "published", "modified", "changed_at", "corrected_at", "last_change",
}
ISO_TIME = re.compile(r"^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d)(?::\d\d(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$")


def readable_time(value) -> str:
    """An ISO 8601 timestamp as people read it: "2024-05-01 12:34 UTC" (other text unchanged)."""
    match = ISO_TIME.match(value) if isinstance(value, str) else None
    if not match:
        return "" if value is None else str(value)
    day, minute, zone = match.groups()
    zone = "UTC" if zone in ("Z", "+00:00", "+0000", "-00:00") else (zone or "")
    return f"{day} {minute} {zone}".rstrip()


def names_as_read(names) -> str:
    """A list of names as people write them: "A", "A and B", "A, B and C"."""
    names = [str(name) for name in names or [] if name]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def json_list(value) -> list | None:
    """A JSON list of strings held in a cell, or None."""
    if not isinstance(value, str) or not value.startswith("["):
        return None
    try:
        items = json.loads(value)
    except ValueError:
        return None
    return items if isinstance(items, list) and all(isinstance(item, str) for item in items) else None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Titles link to the article page; a ``diff`` column (a version number) to its diff; bylines,
    bios and timestamps read as people write them."""
    if column in TIME_COLUMNS and isinstance(value, str) and ISO_TIME.match(value):
        return Markup('<time datetime="{}" title="{}">{}</time>').format(value, value, readable_time(value))
    if column in ("byline", "bio") and (items := json_list(value)) is not None:
        if column == "byline":
            return names_as_read(items)
        return text_as_html("\n\n".join(items))
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
def prepare_jinja2_environment(env):
    """Filters for the plugin's templates: ``when`` (readable timestamps), ``names``."""
    env.filters["when"] = readable_time
    env.filters["names"] = names_as_read


# --- Metadata and canned queries of every archive database ----------------------------------

#: Archive databases by path (a database that is one stays one); others by (path, mtime).
_ARCHIVE_PATHS: dict[str, bool] = {}


def is_archive(datasette, name: str | None) -> bool:
    """Whether the named database holds an archive (``articles`` and ``versions`` tables).

    Synchronous (Datasette asks for metadata outside coroutines): the file is read once with
    the standard library, then remembered.
    """
    db = datasette.databases.get(name) if name else None
    if db is None or name == "_internal" or db.is_memory or not db.path:
        return False
    try:
        key = f"{db.path}\0{os.stat(db.path).st_mtime_ns}"
    except OSError:
        return False
    if _ARCHIVE_PATHS.get(db.path) or key in _ARCHIVE_PATHS:
        return _ARCHIVE_PATHS.get(db.path) or _ARCHIVE_PATHS[key]
    try:
        conn = sqlite3.connect(f"{Path(db.path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = {row[0] for row in conn.execute("select name from sqlite_master where name in ('articles', 'versions')")}
        finally:
            conn.close()
    except sqlite3.Error:
        found = set()
    is_one = found == {"articles", "versions"}
    _ARCHIVE_PATHS[db.path if is_one else key] = is_one
    return is_one


@lru_cache(maxsize=1)
def shipped_metadata() -> str:
    """``archive.yml`` (description, tables, canned queries), as JSON text to copy from."""
    return json.dumps(yaml.safe_load((HERE / "archive.yml").read_text()))


def archive_queries() -> dict:
    """Every canned query of an archive: ``archive.yml``'s and the searches (``search_sql``)."""
    return {**json.loads(shipped_metadata())["queries"], **search_queries()}


#: Where the home page and each database page link to (path under the database, label).
LINKS = (
    ("latest_articles", "Latest articles"), ("recent_changes", "Recent changes"), ("most_edited", "Most edited"),
    ("corrections", "Corrections"), ("removed_articles", "Removed"), ("articles_by_author", "Authors"),
    ("crawl_history", "Crawls"),
)


def search_and_links(base: str) -> str:
    """A search box and the main links, for an archive served at ``base`` (``/-/archive``: the first)."""
    links = " ·\n".join(f'<a href="{html.escape(base)}/{path}">{label}</a>' for path, label in LINKS)
    return (
        f'<form action="{html.escape(base)}/-/search" method="get" style="margin: 0.8em 0">\n'
        '  <input type="search" name="q" placeholder="Search titles, bodies and bios" aria-label="Search articles">\n'
        '  <button type="submit">Search</button>\n</form>\n' + links
    )


def database_metadata(datasette, name: str, own: dict) -> dict:
    """An archive database's metadata: description, tables (the canned queries come from
    ``canned_queries``). The description with its search box unless the user wrote their own."""
    metadata = json.loads(shipped_metadata())
    del metadata["queries"]
    if not {"description", "description_html"} & set(own):
        description = html.escape(metadata.pop("description"))
        metadata["description_html"] = f"{description}\n{search_and_links(datasette.urls.database(name))}"
    return metadata


@hookimpl
def get_metadata(datasette, key, database, table):
    """Metadata for every database that holds an archive, whatever its name; the user's own
    (``-m metadata.yml``) merges on top. Asked for one database: that database only."""
    own = getattr(datasette, "_metadata_local", None) or {}
    own_databases = own.get("databases") or {}
    if database is not None:
        if not is_archive(datasette, database):
            return {}
        return {"databases": {database: database_metadata(datasette, database, own_databases.get(database) or {})}}
    names = [name for name in datasette.databases if is_archive(datasette, name)]
    if not names:
        return {}
    metadata = {
        "title": "archiver",
        "databases": {name: database_metadata(datasette, name, own_databases.get(name) or {}) for name in names},
    }
    if not {"description", "description_html"} & set(own):
        metadata["description_html"] = (
            "Every version of every article the crawls have seen: what each page said, when, and what changed.\n"
            + search_and_links(datasette.urls.path("/-/archive"))
        )
    return metadata


@hookimpl
def canned_queries(datasette, database, actor):
    """The canned queries of an archive database; a query of the same name in the user's own
    metadata wins."""
    if not is_archive(datasette, database):
        return None
    own = datasette.metadata("queries", database=database, fallback=False) or {}
    return {name: query for name, query in archive_queries().items() if name not in own}


#: Table pages whose ``?_search=`` is windowed: the column that is a ``versions_fts`` rowid, and
#: the newest matches it may take (``:archiver_search`` is the visitor's words).
WINDOWED_SEARCH = {
    "versions": ("id", newest_matches(True, "escape_fts(:archiver_search)", rank=False)),
    "latest_articles": ("version_id", newest_matches(False, "escape_fts(:archiver_search)", rank=False)),
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
            [f"[{column}] in ({matches})"],
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
