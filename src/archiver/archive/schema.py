"""The archive's tables, as versioned migrations.

- ``crawls``: one row per crawl run, with its counts.
- ``pages``: raw responses, zstd-compressed, stored once per SHA-256 of their bytes.
- ``articles``: one row per canonical URL, with the latest state.
- ``versions``: one row per distinct version of an article's content.
- ``fetches``: one row per response (or failure), with what changed only per fetch:
  related links and boilerplate.
- ``aliases``: every URL seen for an article.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("archiver")


@migrations()
def m001_initial(db: Database) -> None:
    """The first schema."""
    db["crawls"].create(
        {
            "id": int,
            "spider": str,
            "start_urls": str,
            "started": str,
            "finished": str,
            "seconds": float,
            "status": str,
            "pages": int,
            "new": int,
            "changed": int,
            "unchanged": int,
            "not_modified": int,
            "removed": int,
            "errors": int,
        },
        pk="id",
    )
    db["pages"].create(
        {"hash": str, "content_type": str, "size": int, "stored_size": int, "zstd": bytes},
        pk="hash",
    )
    db["articles"].create(
        {
            "id": int,
            "url": str,
            "site": str,
            "title": str,
            "latest_version": int,
            "first_seen": str,
            "last_seen": str,
            "last_status": int,
            "removed_at": str,
        },
        pk="id",
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["site"])
    db["versions"].create(
        {
            "id": int,
            "article_id": int,
            "version": int,
            "title": str,
            "byline": str,
            "published": str,
            "modified": str,
            "body": str,
            "bio": str,
            "language": str,
            "site_name": str,
            "description": str,
            "change": str,
            "changed": str,
            "content_hash": str,
            "first_seen": str,
            "last_seen": str,
            "fetch_id": int,
            "page_hash": str,
            "parser_version": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["versions"].create_index(["article_id", "version"], unique=True)
    db["fetches"].create(
        {
            "id": int,
            "crawl_id": int,
            "article_id": int,
            "url": str,
            "status": int,
            "fetched_at": str,
            "outcome": str,
            "version": int,
            "etag": str,
            "last_modified": str,
            "content_type": str,
            "page_hash": str,
            "related_links": str,
            "boilerplate": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("crawl_id", "crawls", "id"), ("article_id", "articles", "id")],
    )
    db["fetches"].create_index(["article_id"])
    db["fetches"].create_index(["crawl_id"])
    db["aliases"].create({"url": str, "article_id": int}, pk="url", foreign_keys=[("article_id", "articles", "id")])
    db.create_view(
        "latest_versions",
        """
        select articles.url, articles.site, versions.version, versions.title, versions.byline,
               versions.published, versions.modified, versions.change, articles.first_seen,
               articles.last_seen, articles.removed_at, versions.body, versions.bio
        from articles join versions
          on versions.article_id = articles.id and versions.version = articles.latest_version
        """,
    )


@migrations()
def m002_provenance(db: Database) -> None:
    """Redirects, delta-compressed pages, re-parsed versions and near-duplicate links."""
    db["fetches"].add_column("final_url", str)
    db["fetches"].add_column("redirects", str)
    db["pages"].add_column("dictionary", str)
    db["versions"].add_column("produced_by", str, not_null_default="crawl")
    db["near_duplicates"].create(
        {"article_id": int, "other_id": int, "similarity": float, "method": str, "detected_at": str},
        pk=("article_id", "other_id"),
        foreign_keys=[("article_id", "articles", "id"), ("other_id", "articles", "id")],
    )
    db["versions"].create_index(["first_seen"])
    db["fetches"].create_index(["fetched_at"])


@migrations()
def m003_dedupe_indexes(db: Database) -> None:
    """Dictionary bases for page compression and body sketches for near-duplicates.

    - ``page_bases``: per site and first path segment, the plainly compressed page
      that other pages of that section use as a zstd dictionary.
    - ``body_sketches``: the bottom-k MinHash values of each article's latest body.
    """
    db["page_bases"].create({"section": str, "hash": str}, pk="section")
    db["body_sketches"].create({"value": int, "article_id": int}, pk=("value", "article_id"))
    db["body_sketches"].create_index(["article_id"])


@migrations()
def m300_search(db: Database) -> None:
    """Full-text search (FTS5) over versions' title, body and bio, and a view of latest versions.

    - ``versions_fts``: kept current by sqlite-utils' triggers; the update trigger fires only
      when title, body or bio change, not on every ``last_seen`` bump of an unchanged fetch.
    - ``latest_articles``: one row per article with its latest version's ``version_id``, so a
      search joined on it (Datasette: ``fts_table``/``fts_pk``) finds latest versions only, and
      stays right as new versions arrive. Body and bio stay out of it (it is for browsing).
    """
    db["versions"].enable_fts(["title", "body", "bio"], fts_version="FTS5", create_triggers=True, tokenize="porter")
    db.executescript(
        """
        DROP TRIGGER versions_au;
        CREATE TRIGGER versions_au AFTER UPDATE OF title, body, bio ON versions BEGIN
          INSERT INTO versions_fts (versions_fts, rowid, title, body, bio)
            VALUES ('delete', old.rowid, old.title, old.body, old.bio);
          INSERT INTO versions_fts (rowid, title, body, bio) VALUES (new.rowid, new.title, new.body, new.bio);
        END;
        """
    )
    db.create_view(
        "latest_articles",
        """
        select versions.id as version_id, articles.id as article_id, articles.url, articles.site,
               versions.title, versions.byline, versions.published, versions.modified, versions.version,
               versions.change, cast(articles.removed_at is not null as integer) as removed, articles.removed_at,
               articles.first_seen, articles.last_seen, articles.last_status
        from articles join versions
          on versions.article_id = articles.id and versions.version = articles.latest_version
        """,
    )


@migrations()
def m004_facet_indexes(db: Database) -> None:
    """Indexes on the columns Datasette facets ``versions`` by: a facet is then an index scan."""
    for column in ("change", "produced_by", "parser_version"):
        db["versions"].create_index([column], if_not_exists=True)


#: Fields of the latest version kept on its article row (written with each version).
LATEST_ON_ARTICLES = ("title", "byline", "published", "modified", "change")
#: Copies the latest version's fields onto each article (all, or those in ``where``).
REFRESH_LATEST_SQL = (
    "update articles set latest_version_id = versions.id, "
    + ", ".join(f"{name} = versions.{name}" for name in LATEST_ON_ARTICLES)
    + " from versions where versions.article_id = articles.id"
    " and versions.version = articles.latest_version {where}"
)


@migrations()
def m005_latest_on_articles(db: Database) -> None:
    """The latest version's byline, dates and change kind on ``articles``, so that browsing the
    latest articles (``latest_articles``) and faceting them reads one small table, not a join.
    """
    for column in ("latest_version_id", "byline", "published", "modified", "change"):
        db["articles"].add_column(column, int if column == "latest_version_id" else str)
    db.execute(REFRESH_LATEST_SQL.format(where=""))
    for columns in (["last_seen"], ["change"], ["latest_version_id"], ["published"]):
        db["articles"].create_index(columns, if_not_exists=True)
    db.execute("drop view latest_articles")
    db.create_view(
        "latest_articles",
        """
        select latest_version_id as version_id, id as article_id, url, site, title, byline, published,
               modified, latest_version as version, change, cast(removed_at is not null as integer) as removed,
               removed_at, first_seen, last_seen, last_status
        from articles
        """,
    )


@migrations()
def m006_sketch_blobs(db: Database) -> None:
    """Near-duplicate sketches as one blob per article, and an index of their smallest values.

    ``body_sketches`` held all 64 values of each sketch as indexed rows (64 index rows per
    article); ``article_sketches`` keeps the sketch as a blob and ``sketch_keys`` indexes
    only its ``neardup.KEYS`` smallest values, which is what finding candidates needs.
    """
    from itertools import groupby

    from archiver.archive.neardup import KEYS, pack

    db.execute("create table article_sketches (article_id integer primary key references articles(id), sketch blob)")
    db.execute("create table sketch_keys (value integer, article_id integer, primary key (value, article_id)) without rowid")
    if "body_sketches" not in db.table_names():
        return
    rows = db.execute("select article_id, value from body_sketches order by article_id")
    conn = db.conn
    for article_id, group in groupby(rows, key=lambda row: row[0]):
        values = sorted(value for _, value in group)
        conn.execute("insert into article_sketches (article_id, sketch) values (?, ?)", [article_id, pack(values)])
        conn.executemany("insert into sketch_keys (value, article_id) values (?, ?)", [(v, article_id) for v in values[:KEYS]])
    db["body_sketches"].drop()


@migrations()
def m007_browse_at_scale(db: Database) -> None:
    """Indexes and a view that keep Datasette's table and row pages fast at a million versions.

    - ``fetches(outcome)``, ``fetches(status)``, ``articles(last_status)`` and the expression
      ``articles(cast(removed_at is not null as integer))`` (the ``removed`` column of
      ``latest_articles``): the default facets become index scans, not table scans.
    - ``aliases(article_id)`` and ``near_duplicates(other_id)``: an article's row page counts
      the rows that point to it, and its plugin page lists its near-duplicates both ways.
    - ``versions_fts_data(id)``, ``article_sketches(article_id)`` and ``pages(size)``: small
      indexes that ``count(*)`` reads instead of the tables' large rows (Datasette's database
      page counts every table, and a count cannot be interrupted: 0.4 s for the search index's
      2 GB of blocks at a million versions, 1.5 s from a cold cache).
    - ``latest_versions`` reads ``articles`` (which keeps the latest version's fields) and takes
      body and bio from the latest version by its id, so counting or faceting it no longer
      joins every article with its version. Same columns; one row per article, as in
      ``latest_articles`` (an article row is written with its first version, so the rows are
      those of the former join).
    """
    db["fetches"].create_index(["outcome"], if_not_exists=True)
    db["fetches"].create_index(["status"], if_not_exists=True)
    db["articles"].create_index(["last_status"], if_not_exists=True)
    db["aliases"].create_index(["article_id"], if_not_exists=True)
    db["near_duplicates"].create_index(["other_id"], if_not_exists=True)
    db.execute(
        "create index if not exists idx_articles_removed on articles(cast(removed_at is not null as integer))"
    )
    db["article_sketches"].create_index(["article_id"], if_not_exists=True)
    db["pages"].create_index(["size"], if_not_exists=True)
    if "versions_fts_data" in db.table_names():
        db.execute("create index if not exists idx_versions_fts_data_id on versions_fts_data(id)")
    db.execute("drop view if exists latest_versions")
    db.create_view(
        "latest_versions",
        """
        select url, site, latest_version as version, title, byline, published, modified, change,
               first_seen, last_seen, removed_at,
               (select body from versions where versions.id = articles.latest_version_id) as body,
               (select bio from versions where versions.id = articles.latest_version_id) as bio
        from articles
        """,
    )


@migrations()
def m008_fetch_headers(db: Database) -> None:
    """``fetches.headers``: every response header of a fetch, for the WARC export.

    JSON text, a list of ``[name, value]`` pairs in the order received, without ``Set-Cookie``
    and at most 16 KB (see ``archiver.archive.store.stored_headers``). NULL for a fetch without headers,
    and for every fetch recorded before this migration: nothing is back-filled.
    """
    db["fetches"].add_column("headers", str)


@migrations()
def m009_ingested(db: Database) -> None:
    """``ingested``: the id of every Redis message ``archiver ingest`` has written, so a message
    delivered twice is recorded once. Archives whose ingester made it already keep theirs."""
    db.execute("create table if not exists ingested (id text primary key) without rowid")


def names_as_read(column: str) -> str:
    """SQL reading a JSON list of names as people write them: "A", "A and B", "A, B and C".

    Plain SQLite (JSON functions, no function of ours), so the views read the same in any
    SQLite client. An empty list reads as NULL; a value that is not a JSON list, as it is.
    """
    return f"""case when json_valid({column}) and json_type({column}) = 'array' then
          case json_array_length({column}) when 0 then null when 1 then json_extract({column}, '$[0]')
          else (select group_concat(value, ', ') from
                  (select value from json_each({column}) where key < json_array_length({column}) - 1 order by key))
               || ' and ' || json_extract({column}, '$[#-1]') end
        else {column} end"""


def texts_as_read(column: str) -> str:
    """SQL reading a JSON list of texts (bios) as one text, a blank line between them."""
    return f"""case when json_valid({column}) and json_type({column}) = 'array' then
          (select group_concat(value, char(10) || char(10)) from (select value from json_each({column}) order by key))
        else {column} end"""


@migrations()
def m010_people_formats(db: Database) -> None:
    """The browsing views read as people write: ``byline`` "A, B and C" and ``bio`` as text.

    - ``latest_articles``: ``byline`` is the names as read, ``byline_json`` the JSON list (for
      ``?_facet_array=byline_json`` and programs); otherwise the columns of m005.
    - ``latest_versions``: ``byline`` and ``bio`` as read, ``byline_json`` and ``bio_json`` the
      JSON lists; otherwise the columns of m007.

    The tables keep the JSON lists (the data); Datasette's pages show those as read too (the
    plugin's ``render_cell``), and the views give the same in CSV.
    """
    db.execute("drop view if exists latest_articles")
    db.create_view(
        "latest_articles",
        f"""
        select latest_version_id as version_id, id as article_id, url, site, title,
               {names_as_read("byline")} as byline, byline as byline_json, published, modified,
               latest_version as version, change, cast(removed_at is not null as integer) as removed,
               removed_at, first_seen, last_seen, last_status
        from articles
        """,
    )
    db.execute("drop view if exists latest_versions")
    db.create_view(
        "latest_versions",
        f"""
        select url, site, latest_version as version, title, {names_as_read("byline")} as byline,
               byline as byline_json, published, modified, change, first_seen, last_seen, removed_at,
               (select body from versions where versions.id = articles.latest_version_id) as body,
               (select {texts_as_read("bio")} from versions where versions.id = articles.latest_version_id) as bio,
               (select bio from versions where versions.id = articles.latest_version_id) as bio_json
        from articles
        """,
    )
