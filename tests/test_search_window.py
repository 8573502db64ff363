"""Search and browsing at scale: a word found in more versions than the search window is ranked
among its newest matches (canned queries, the search page, the table pages' search box); a
rarer word is ranked over every match; migration m007's indexes and view, and Datasette's
facet queries using them."""

import asyncio
import sqlite3

import pytest
from datasette.app import Datasette
from datasette.tracer import capture_traces

from archiver.archive.store import Archive
from archiver.datasette import plugin
from conftest import copy_archive

WINDOW = plugin.SEARCH_WINDOW
#: One version each; every fourth says "common" (a quarter of the documents, so that bm25 gives
#: the word weight): WINDOW + 1,000 matches, the oldest 1,000 of them outside the window.
ARTICLES = 4 * (WINDOW + 1000)
COMMON = range(1, ARTICLES + 1, 4)
OLD_BEST = COMMON[:20]  # the best "common" matches of all ("common" thrice in the title), too old
NEW_BEST = COMMON[-1000]  # the best "common" match inside the window
OLDEST_IN_WINDOW = COMMON[1000]
SCARCE = [*range(1, 6), *range(3000, 3020), *range(9990, 9995)]  # 30 matches: ranked exactly


def text(article_id: int) -> tuple[str, str]:
    """Title and body: "common" in every fourth, some titles too; "scarce" in a few."""
    title = f"Story {article_id}"
    if article_id in OLD_BEST:
        title += " common common common"
    if article_id == NEW_BEST:
        title += " common common"
    if article_id in SCARCE and article_id < 10:
        title += " scarce"
    body = " ".join(f"filler{(article_id * 7 + n) % 97}" for n in range(article_id % 23 + 5))
    if article_id % 4 == 1:
        body += " common" * (1 + article_id % 5)
    if article_id in SCARCE:
        body += " scarce"
    return title, body


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """An archive of ARTICLES articles of one version each, written straight into the tables."""
    path = tmp_path_factory.mktemp("window") / "demo.db"
    archive = Archive(path)
    conn = archive.db.conn
    when = "2024-01-01T00:00:00+00:00"
    with conn:
        for article_id in range(1, ARTICLES + 1):
            title, body = text(article_id)
            conn.execute(
                "insert into articles (id, url, site, title, latest_version, latest_version_id, first_seen, last_seen,"
                " last_status, change) values (?, ?, 'news.example', ?, 1, ?, ?, ?, 200, 'new')",
                [article_id, f"https://news.example/{article_id}", title, article_id, when, when],
            )
            conn.execute(
                "insert into versions (id, article_id, version, title, body, bio, change, first_seen, last_seen,"
                " parser_version) values (?, ?, 1, ?, ?, '[]', 'new', ?, ?, 'test')",
                [article_id, article_id, title, body, when, when],
            )
    archive.db.close()
    return path


@pytest.fixture(scope="module")
def ds(big):
    return Datasette(
        [str(big)],
        settings={"suggest_facets": False},
    )


def get(ds, path, traces=None):
    async def fetch():
        await ds.invoke_startup()
        if traces is None:
            return await ds.client.get(path)
        with capture_traces(traces):
            return await ds.client.get(path)

    response = asyncio.run(fetch())
    assert response.status_code == 200, (path, response.text[:2000])
    return response


def ranked(db_path, word: str, window: int | None) -> list[tuple[int, float]]:
    """(version id, bm25) of every match, or of the newest ``window`` matches, best first."""
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        f"select rowid, round({plugin.RANK}, 3) from versions_fts where versions_fts match ?"
        " order by rowid desc",
        [f'"{word}"'],
    ).fetchall()
    conn.close()
    rows = rows[:window] if window else rows
    return sorted(rows, key=lambda row: row[1])


def test_the_canned_queries_and_the_plugin_share_the_window():
    queries = plugin.search_queries()
    for name in ("search", "search_all_versions"):
        assert f"limit {WINDOW}" in queries[name]["sql"]
        assert f"{WINDOW:,}" in queries[name]["description"]


@pytest.mark.parametrize("query", ["search", "search_all_versions"])
def test_a_very_common_word_is_ranked_among_its_newest_matches(ds, big, query):
    hits = get(ds, f"/demo/{query}.json?q=common&_shape=array").json()
    expected = ranked(big, "common", WINDOW)[:100]
    assert len(hits) == 100
    assert [hit["rank"] for hit in hits] == [rank for _, rank in expected]  # the window's best, best first
    assert hits[0]["article_id"] == NEW_BEST == expected[0][0]
    assert not {hit["article_id"] for hit in hits} & set(OLD_BEST)  # better, but older than the window
    assert all("[common]" in hit["snippet"].lower() for hit in hits)


@pytest.mark.parametrize("query", ["search", "search_all_versions"])
def test_a_word_with_fewer_matches_than_the_window_is_ranked_exactly(ds, big, query):
    hits = get(ds, f"/demo/{query}.json?q=scarce&_shape=array").json()
    expected = ranked(big, "scarce", None)
    assert len(hits) == len(SCARCE) == len(expected)
    assert [hit["rank"] for hit in hits] == [rank for _, rank in expected]
    assert {hit["article_id"] for hit in hits[:5]} == set(range(1, 6))  # old, and best: "scarce" in the title


def test_the_search_page_says_when_the_window_is_full(ds, big):
    page = get(ds, "/demo/-/search?q=common").text
    assert f"{WINDOW:,} or more matches for <strong>common</strong>" in page
    assert f'href="/demo/-/article/{NEW_BEST}?version=1"' in page.split('<ol class="results">')[1].split("</li>")[0]
    page = get(ds, "/demo/-/search?q=scarce&all=1").text
    assert f"{len(SCARCE)} matches for <strong>scarce</strong>" in page
    first = page.split('<ol class="results">')[1].split("</li>")[0]
    assert any(f'href="/demo/-/article/{n}?version=1"' in first for n in range(1, 6))


def test_the_table_search_box_is_windowed(ds):
    data = get(ds, "/demo/latest_articles.json?_search=common&_size=5").json()
    assert data["filtered_table_rows_count"] == WINDOW
    assert 'search matches "common" (among the newest' in data["human_description_en"]
    older = f"/demo/latest_articles.json?_search=common&article_id__lt={OLDEST_IN_WINDOW}"
    assert get(ds, older).json()["filtered_table_rows_count"] == 0
    assert get(ds, "/demo/versions.json?_search=common&_size=5").json()["filtered_table_rows_count"] == WINDOW
    assert get(ds, "/demo/versions.json?_search=scarce").json()["filtered_table_rows_count"] == len(SCARCE)
    # The search form sends the last search back as a hidden field: the new words win.
    data = get(ds, "/demo/latest_articles.json?_search=scarce&_archiver_search=common").json()
    assert data["filtered_table_rows_count"] == len(SCARCE)
    page = get(ds, "/demo/latest_articles?_search=scarce").text
    assert 'value="scarce"' in page  # the search box shows the words
    assert get(ds, "/demo/latest_articles.json?_search=").json()["filtered_table_rows_count"] == ARTICLES


# --- m007: indexes and the latest_versions view ---------------------------------------------

M007_INDEXES = {
    "idx_fetches_outcome", "idx_fetches_status", "idx_articles_last_status", "idx_aliases_article_id",
    "idx_near_duplicates_other_id", "idx_articles_removed", "idx_article_sketches_article_id", "idx_pages_size",
    "idx_versions_fts_data_id",
}
OLD_LATEST_VERSIONS = """
select articles.url, articles.site, versions.version, versions.title, versions.byline,
       versions.published, versions.modified, versions.change, articles.first_seen,
       articles.last_seen, articles.removed_at, versions.body, versions.bio
from articles join versions
  on versions.article_id = articles.id and versions.version = articles.latest_version
"""


def test_m007_upgrades_an_older_archive(demo_archive, tmp_path):
    path = copy_archive(demo_archive["db_path"], tmp_path)
    conn = sqlite3.connect(path)
    for name in M007_INDEXES:
        conn.execute(f"drop index {name}")
    conn.execute("drop view latest_versions")
    conn.execute(f"create view latest_versions as {OLD_LATEST_VERSIONS}")
    conn.execute("delete from _sqlite_migrations where name = 'm007_browse_at_scale'")
    conn.commit()
    conn.close()
    Archive(path).db.close()  # opening applies the missing migration
    conn = sqlite3.connect(path)
    indexes = {row[0] for row in conn.execute("select name from sqlite_master where type = 'index'")}
    assert M007_INDEXES <= indexes
    columns = [row[1] for row in conn.execute("pragma table_info(latest_versions)")]
    assert columns == ["url", "site", "version", "title", "byline", "published", "modified", "change",
                       "first_seen", "last_seen", "removed_at", "body", "bio"]
    new = conn.execute("select * from latest_versions order by url").fetchall()
    assert new == conn.execute(f"select * from ({OLD_LATEST_VERSIONS}) order by url").fetchall()
    plan = " ".join(row[3] for row in conn.execute("explain query plan select count(*) from latest_versions"))
    assert "versions" not in plan.replace("latest_versions", "")  # counting reads articles alone
    for table in ("versions_fts_data", "article_sketches", "pages"):  # Datasette's database page counts them
        plan = " ".join(row[3] for row in conn.execute(f"explain query plan select count(*) from [{table}]"))
        assert "COVERING INDEX idx_" in plan, (table, plan)
    conn.close()


def facet_sql(ds, path) -> list[str]:
    traces = []
    get(ds, path, traces)
    return [t["sql"] for t in traces if t.get("type") == "sql" and "as value, count(*) as count" in t.get("sql", "")]


@pytest.mark.parametrize(
    "table, uses",
    [
        ("fetches", {"outcome": "idx_fetches_outcome", "status": "idx_fetches_status"}),
        ("articles", {"last_status": "idx_articles_last_status", "site": "idx_articles_site"}),
        ("latest_articles", {"removed": "idx_articles_removed", "change": "idx_articles_change", "site": "idx_articles_site"}),
        ("latest_versions", {"change": "idx_articles_change", "site": "idx_articles_site"}),
        ("versions", {"change": "idx_versions_change"}),
    ],
)
def test_datasette_facets_read_indexes_not_tables(demo_archive, table, uses):
    ds = Datasette(
        [str(demo_archive["db_path"])],
        settings={"suggest_facets": False, "trace_debug": True},
    )
    queries = facet_sql(ds, f"/demo/{table}")
    assert len(queries) == len(uses)
    conn = sqlite3.connect(f"file:{demo_archive['db_path']}?mode=ro", uri=True)
    for sql in queries:
        column = next(c for c in uses if sql.lstrip().startswith(f"select {c} as value"))
        plan = [row[3] for row in conn.execute(f"explain query plan {sql}")]
        assert any(uses[column] in step for step in plan), (column, plan)
        assert not any(step.startswith("SCAN") and "INDEX" not in step for step in plan), (column, plan)
        assert not any("versions" in step.replace("latest_versions", "") for step in plan) or table == "versions"
    conn.close()
