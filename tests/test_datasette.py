"""Datasette on a copy of the demo archive named news.db, with the archiver plugin loaded by its
entry point (no metadata, template or plugin folder), through Datasette's own client: metadata,
JSON, canned queries, search, people's formats, and the plugin's article, diff and search pages;
then plain ``datasette`` and ``archiver serve`` over HTTP from a folder that is not the checkout."""

import asyncio
import csv
import importlib.metadata
import io
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from datasette.app import Datasette
from sqlite_utils import Database

from archiver.datasette import plugin
from conftest import SCRIPT_MARKER, add_hostile_version, copy_archive, free_port, wait_for_http


@pytest.fixture(scope="module")
def archive(demo_archive, tmp_path_factory):
    """A copy of the demo archive with near-duplicate pairs and a hostile third version."""
    db_path = copy_archive(demo_archive["db_path"], tmp_path_factory.mktemp("datasette"), "news.db")
    db = Database(db_path)
    changed = [e["url"] for e in demo_archive["manifest"]["articles"] if e["change"] == "content"]
    ids = [db.execute("select article_id from aliases where url = ?", [url]).fetchone()[0] for url in changed]
    db["near_duplicates"].insert_all(
        [
            {"article_id": ids[0], "other_id": ids[1], "similarity": 0.9, "method": "minhash", "detected_at": "2024-01-01"},
            {"article_id": ids[1], "other_id": ids[2], "similarity": 0.8, "method": "minhash", "detected_at": "2024-01-01"},
            {"article_id": ids[3], "other_id": ids[4], "similarity": 0.7, "method": "minhash", "detected_at": "2024-01-01"},
        ]
    )
    hostile = add_hostile_version(db_path, changed[5])
    return {**demo_archive, "db_path": db_path, "changed": changed, "ids": ids, "hostile": (ids[5], hostile)}


@pytest.fixture(scope="module")
def ds(archive):
    return Datasette([str(archive["db_path"])], settings={"suggest_facets": False})


def get(ds, path, status=200):
    async def fetch():
        await ds.invoke_startup()
        return await ds.client.get(path)

    response = asyncio.run(fetch())
    assert response.status_code == status, (path, response.text[:2000])
    return response


def rows(ds, path):
    separator = "&" if "?" in path else "?"
    return get(ds, f"{path}{separator}_shape=array&_size=max").json()


def test_tables_and_views_as_json(ds, archive):
    db = Database(archive["db_path"])
    for table in ("articles", "versions", "fetches", "crawls", "near_duplicates"):
        assert len(rows(ds, f"/news/{table}.json")) == db[table].count
    latest = rows(ds, "/news/latest_articles.json")
    assert len(latest) == db["articles"].count
    removed = sum(1 for e in archive["manifest"]["articles"] if e["change"] == "removed")
    assert sum(row["removed"] for row in latest) == removed
    assert len(rows(ds, "/news/latest_articles.json?removed=1")) == removed


def test_metadata_descriptions_facets_and_sorting(ds):
    page = get(ds, "/news/latest_articles").text
    assert "The latest version of every article" in page
    assert "Title of the latest version" in page  # a column description
    for facet in ("site", "change", "removed"):
        assert f'data-column="{facet}"' in page
    data = get(ds, "/news/latest_articles.json?_facet_size=50").json()
    # The author facet is not a default one (over 100 ms past ~100,000 articles) but is offered.
    assert set(data["facet_results"]) == {"site", "change", "removed"}
    assert "_facet_array=byline_json" in page
    data = get(ds, "/news/latest_articles.json?_facet_size=50&_facet_array=byline_json").json()
    authors = {item["value"] for item in data["facet_results"]["byline_json"]["results"]}
    assert "Sunniva Hale" in authors
    versions = rows(ds, "/news/versions.json")
    assert [v["first_seen"] for v in versions] == sorted((v["first_seen"] for v in versions), reverse=True)


def test_titles_link_to_the_article_page(ds, archive):
    article_id = archive["ids"][0]
    page = get(ds, f"/news/articles?id={article_id}").text
    assert f'href="/news/-/article/{article_id}"' in page
    page = get(ds, "/news/recent_changes").text
    assert f'/news/-/article/{article_id}/diff?from=1&amp;to=2' in page


def test_canned_queries(ds, archive):
    manifest = archive["manifest"]["articles"]
    content = [e for e in manifest if e["change"] == "content"]
    changes = rows(ds, "/news/recent_changes.json")
    assert len(changes) == len(content) + 1  # and the hostile third version
    assert changes[0]["version"] == 3
    corrections = rows(ds, "/news/corrections.json")
    assert len(corrections) == sum(1 for e in content if e["detail"] == "correction")
    edited = rows(ds, "/news/most_edited.json")
    assert edited[0]["versions"] == 3 and len(edited) == len(content)
    removed = rows(ds, "/news/removed_articles.json")
    assert {row["url"] for row in removed} == {e["url"] for e in manifest if e["change"] == "removed"}
    authors = rows(ds, "/news/articles_by_author.json?author=Sunniva")
    assert authors and all(row["author"] == "Sunniva Hale" for row in authors)
    assert all(row["bio"].startswith("Sunniva Hale is") for row in authors)
    everyone = rows(ds, "/news/articles_by_author.json?author=")
    assert len({row["article_id"] for row in everyone}) == Database(archive["db_path"])["articles"].count
    groups = rows(ds, "/news/near_duplicate_groups.json")
    ids = archive["ids"]
    assert sorted((row["group_id"], row["article_id"]) for row in groups) == sorted(
        [(min(ids[:3]), i) for i in ids[:3]] + [(min(ids[3:5]), i) for i in ids[3:5]]
    )
    assert {row["size"] for row in groups} == {3, 2}
    crawls = rows(ds, "/news/crawl_history.json")
    assert [c["id"] for c in crawls] == [2, 1] and crawls[1]["new"] == 66


def test_search_ranked_latest_and_all_versions(ds, archive):
    db = Database(archive["db_path"])
    # A word only an older version has: found in every version, not in the latest.
    old_title = db.execute("select title from versions where version = 1 and article_id = ?", [archive["ids"][0]]).fetchone()[0]
    title_words = [w for w in re.findall(r"[A-Za-z]{5,}", old_title)]
    hits = rows(ds, f"/news/search.json?q={title_words[0]}")
    assert hits and hits[0]["title"] == db["articles"].get(archive["ids"][0])["title"]
    assert [h["rank"] for h in hits] == sorted(h["rank"] for h in hits)
    assert all("[" in h["snippet"] for h in hits)
    words = lambda text: set(re.findall(r"\b[a-z]{6,}\b", (text or "").lower()))  # noqa: E731
    lost = []
    for article_id in archive["ids"]:
        old, new = (db.execute("select title || ' ' || body from versions where article_id = ? and version = ?",
                               [article_id, number]).fetchone()[0] for number in (1, 2))
        lost += [(article_id, word) for word in sorted(words(old) - words(new))]
    assert lost, "no demo article lost a word between its versions"
    article_id, word = lost[0]
    in_all = {h["article_id"] for h in rows(ds, f"/news/search_all_versions.json?q={word}")}
    in_latest = {h["article_id"] for h in rows(ds, f"/news/search.json?q={word}")}
    assert article_id in in_all - in_latest
    # FTS syntax in a visitor's words is escaped, not an error.
    assert rows(ds, '/news/search.json?q=%22unbalanced+AND+(') == []
    # Datasette's own search box: the view searches latest versions, versions every version.
    found = rows(ds, f"/news/latest_articles.json?_search={title_words[0]}")
    assert archive["ids"][0] in {row["article_id"] for row in found}
    assert rows(ds, f"/news/versions.json?_search={title_words[0]}")


def test_search_page_highlights_ranked_results(ds, archive):
    page = get(ds, "/news/-/search?q=sick+pay").text
    assert re.search(r"\d+ match(es)? for <strong>sick pay</strong>", page)
    assert "<mark>sick</mark>" in page.lower() or "<mark>Sick</mark>" in page
    assert 'action="/-/archive/-/search"' in get(ds, "/").text  # the home page's search box
    assert get(ds, "/-/archive/-/search?q=sick", status=302).headers["location"] == "/news/-/search?q=sick"
    assert "0 matches" in get(ds, "/news/-/search?q=%22&all=1").text


def test_article_page(ds, archive):
    db = Database(archive["db_path"])
    article_id = archive["ids"][0]
    version = db.execute("select * from versions where article_id = ? and version = 2", [article_id]).fetchone()
    response = get(ds, f"/news/-/article/{article_id}")
    page = response.text
    assert "script-src 'none'" in response.headers["content-security-policy"]
    assert "<h1>" in page and db["articles"].get(article_id)["title"] in page.replace("&#39;", "'")
    first_paragraph = db["versions"].get(version[0])["body"].split("\n\n")[0]
    assert f"<p>{first_paragraph[:60]}" in page.replace("&#34;", '"').replace("&#39;", "'") or first_paragraph[:30] in page
    assert "About the author" in page
    assert f"/news/-/article/{article_id}/diff?from=1&amp;to=2" in page
    assert "Related links" in page and re.search(r'href="/news/-/article/\d+">', page)  # archived related article
    assert "Near-duplicates" in page
    older = get(ds, f"/news/-/article/{article_id}?version=1").text
    assert "Version 1 of 2" in older and "see the latest" in older
    get(ds, "/news/-/article/999999", status=404)
    get(ds, "/nosuchdb/-/article/1", status=404)


def test_diff_page_marks_changed_words(ds, archive):
    article_id = archive["ids"][0]
    response = get(ds, f"/news/-/article/{article_id}/diff?from=1&to=2")
    page = response.text
    assert "script-src 'none'" in response.headers["content-security-policy"]
    assert "<ins>" in page or "<del>" in page
    assert re.search(r'<option value="1" selected>', page) and re.search(r'<option value="2" selected>', page)
    same = get(ds, f"/news/-/article/{article_id}/diff?from=2&to=2").text
    assert "Pick two different versions" in same
    assert get(ds, f"/news/-/article/{article_id}/diff?from=x&to=99").status_code == 200


def test_archived_scripts_are_escaped_everywhere(ds, archive):
    article_id, version = archive["hostile"]
    pages = [
        get(ds, f"/news/-/article/{article_id}").text,
        get(ds, f"/news/-/article/{article_id}/diff?from={version - 1}&to={version}").text,
        get(ds, "/news/-/search?q=readers+wrote&all=1").text,
        get(ds, f"/news/versions?article_id={article_id}").text,
        get(ds, "/news/search_all_versions?q=readers+wrote").text,
    ]
    for page in pages:
        assert SCRIPT_MARKER in page  # the text is shown...
        assert not re.search(r"<script>\s*window\." + SCRIPT_MARKER, page)  # ...never as a script
        assert not re.search(r"<img[^>]*onerror", page)
    assert "&lt;script&gt;" in pages[0]


def test_read_only(ds, archive):
    async def post():
        await ds.invoke_startup()
        return await ds.client.post("/news/recent_changes", data={"x": "1"})

    assert asyncio.run(post()).status_code >= 400  # Datasette 0.65 answers 500 to a read-only query
    assert get(ds, "/-/databases.json").json()[0]["is_mutable"] is True
    assert not any(q.get("write") for q in get(ds, "/news.json").json()["queries"])


# --- The plugin as installed: entry point, any archive name, people's formats ---------------


def test_the_plugin_is_registered_by_entry_point():
    points = [p for p in importlib.metadata.entry_points(group="datasette") if p.value == "archiver.datasette"]
    assert points, "no datasette entry point for archiver.datasette: reinstall the package (pip install -e .)"
    assert points[0].load() is sys.modules["archiver.datasette"]


def test_search_sql_is_the_one_search(ds):
    queries = get(ds, "/news.json").json()["queries"]
    by_name = {q["name"]: q for q in queries}
    assert by_name["search"]["sql"] == plugin.search_sql(
        False, words="archiver_fts(:q)", limit=100, marks=("'['", "']'"), tokens=20)
    assert by_name["search_all_versions"]["sql"] == plugin.search_sql(
        True, words="archiver_fts(:q)", limit=100, marks=("'['", "']'"), tokens=20)
    for name in ("search", "search_all_versions"):
        assert plugin.RANK in by_name[name]["sql"] and "bm25" not in by_name[name]["sql"].replace(plugin.RANK, "")


def test_bylines_bios_and_timestamps_read_as_people_write(ds, archive):
    db = Database(archive["db_path"])
    article_id, byline = db.execute(
        "select id, byline from articles where json_array_length(byline) = 3 order by id limit 1").fetchone()
    names = __import__("json").loads(byline)
    as_read = f"{names[0]}, {names[1]} and {names[2]}"
    # The view, in JSON and CSV: the names as read, and the list in byline_json.
    row = rows(ds, f"/news/latest_articles.json?article_id={article_id}")[0]
    assert row["byline"] == as_read and __import__("json").loads(row["byline_json"]) == names
    table = list(csv.DictReader(io.StringIO(get(ds, f"/news/latest_articles.csv?article_id={article_id}").text)))
    assert table[0]["byline"] == as_read
    two = db.execute("select byline from articles where json_array_length(byline) = 2 limit 1").fetchone()[0]
    two = __import__("json").loads(two)
    exported = get(ds, "/news/latest_articles.csv?_size=max").text
    assert f"{two[0]} and {two[1]}" in exported
    latest = rows(ds, f"/news/latest_versions.json?url={db['articles'].get(article_id)['url']}")[0]
    assert latest["byline"] == as_read and not latest["bio"].startswith("[")
    # The tables keep the JSON lists (the data); their pages show them as read.
    page = get(ds, f"/news/versions?article_id={article_id}").text
    assert f'<td class="col-byline type-str">{as_read}</td>' in page
    assert '<td class="col-bio type-str"><p>' in page and '["' not in page.split('col-bio type-str">')[1][:20]
    assert rows(ds, f"/news/versions.json?article_id={article_id}")[0]["byline"] == byline
    # Timestamps: readable on pages, ISO in the data.
    first_seen = db["articles"].get(article_id)["first_seen"]
    readable = first_seen[:10] + " " + first_seen[11:16] + " UTC"
    assert f'<time datetime="{first_seen}" title="{first_seen}">{readable}</time>' in get(
        ds, f"/news/articles?id={article_id}").text
    assert rows(ds, f"/news/articles.json?id={article_id}")[0]["first_seen"] == first_seen
    assert f"seen {readable}" in get(ds, f"/news/-/article/{article_id}").text
    assert f"By {as_read}" in get(ds, f"/news/-/article/{article_id}").text


def test_internal_tables_are_hidden(ds):
    listed = {t["name"] for t in get(ds, "/news.json").json()["tables"] if not t["hidden"]}
    assert {"articles", "versions", "fetches", "crawls", "near_duplicates", "aliases"} <= listed
    internal = {"sketch_keys", "_sqlite_migrations", "ingested", "pages", "page_bases", "article_sketches"}
    assert not listed & internal
    assert not any(name.startswith("versions_fts") for name in listed)
    page = get(ds, "/news").text
    assert "sketch_keys" not in page.split("hidden tables")[0]


def test_a_database_that_is_no_archive_gets_nothing(tmp_path):
    other = Database(tmp_path / "other.db")
    other["things"].insert({"id": 1, "byline": '["Not", "Ours"]'})
    other.close()
    ds = Datasette([str(tmp_path / "other.db")])
    data = get(ds, "/other.json").json()
    assert data["queries"] == [] and "description_html" not in (data.get("metadata") or {})
    assert get(ds, "/").text.count('action="/-/archive/-/search"') == 0


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def elsewhere(archive, tmp_path_factory):
    """A folder outside the checkout holding news.db and a user's metadata.yml."""
    folder = tmp_path_factory.mktemp("elsewhere")
    copy_archive(archive["db_path"], folder, "news.db")
    (folder / "metadata.yml").write_text(
        "title: Newsroom watch\n"
        "databases:\n"
        "  news:\n"
        "    tables:\n"
        "      articles:\n"
        "        description: Our own words for the articles table.\n"
        "    queries:\n"
        "      crawl_history:\n"
        "        sql: select 'ours' as whose\n"
        "      sites:\n"
        "        title: Sites\n"
        "        sql: select site, count(*) as articles from articles group by site\n"
    )
    return folder


def serving(command: list[str], folder):
    """A server started by ``command`` in ``folder`` on a free port; its base URL and process."""
    port = free_port()
    server = subprocess.Popen(
        [*command, "--port", str(port)], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/-/versions.json")
    except OSError:
        server.terminate()
        raise AssertionError(server.communicate(timeout=10)[1])
    return f"http://127.0.0.1:{port}", server


CANNED = {
    "recent_changes": "Recent changes", "most_edited": "Most-edited articles", "corrections": "Corrections",
    "removed_articles": "Removed articles", "articles_by_author": "Articles by author",
    "near_duplicate_groups": "Near-duplicate groups", "crawl_history": "Crawl history",
    "search": "Search the latest versions", "search_all_versions": "Search every version",
}


@pytest.mark.parametrize("how", ["datasette", "archiver serve"])
def test_served_over_http_from_any_folder(archive, elsewhere, how):
    command = {
        "datasette": [sys.executable, "-m", "datasette", "serve", "news.db", "-m", "metadata.yml"],
        "archiver serve": [sys.executable, "-m", "archiver", "serve", "--db", "news.db"],  # reads ./metadata.yml
    }[how]
    base, server = serving(command, elsewhere)
    try:
        status, home = fetch(base + "/")
        assert status == 200 and "Newsroom watch" in home  # the user's title
        assert 'action="/-/archive/-/search"' in home and 'href="/-/archive/latest_articles"' in home
        status, database = fetch(base + "/news")
        assert status == 200 and 'action="/news/-/search"' in database and 'href="/news/recent_changes"' in database
        for name, title in CANNED.items():
            status, page = fetch(f"{base}/news/{name}?q=sick&author=")
            assert status == 200, (name, page[:500])
            if name == "crawl_history":  # the user's query of the same name wins
                assert "ours" in page
            else:
                assert title in page
        assert fetch(base + "/news/sites")[0] == 200  # the user's own query
        status, page = fetch(base + "/news/articles")
        assert "Our own words for the articles table." in page  # the user's description on top...
        assert "Canonical URL (lower-case host" in page  # ...of the plugin's column descriptions
        status, page = fetch(base + "/news/latest_articles")
        assert status == 200 and 'data-column="site"' in page and "Title of the latest version" in page
        article_id = archive["ids"][0]
        title = Database(archive["db_path"])["articles"].get(article_id)["title"]
        status, page = fetch(f"{base}/news/-/article/{article_id}")
        assert status == 200 and title in page.replace("&#39;", "'") and "About the author" in page
        status, page = fetch(f"{base}/news/-/article/{article_id}/diff?from=1&to=2")
        assert status == 200 and ("<ins>" in page or "<del>" in page)
        status, page = fetch(base + "/news/-/search?q=sick+pay")
        assert status == 200 and "<mark>" in page.lower()
        status, exported = fetch(base + "/news/latest_articles.csv?_size=max")
        assert status == 200 and re.search(r'"[^",\[]+, [^",]+ and [^",]+"', exported)  # "A, B and C"
        listed = {t["name"] for t in __import__("json").loads(fetch(base + "/news.json")[1])["tables"] if not t["hidden"]}
        assert "sketch_keys" not in listed and "_sqlite_migrations" not in listed
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_takes_the_users_metadata_file_and_the_folders_beside_it(tmp_path, monkeypatch):
    from archiver.serve import datasette_args

    mine = tmp_path / "conf" / "mine.yml"
    (tmp_path / "conf" / "templates").mkdir(parents=True)
    (tmp_path / "conf" / "templates" / "index.html").write_text("{{ 1 }}")
    mine.write_text("title: My watch\n")
    (tmp_path / "metadata.yml").write_text("title: Beside the archive\n")
    monkeypatch.chdir(tmp_path)
    given = datasette_args(tmp_path / "news.db", metadata=mine)
    assert given[given.index("--metadata") + 1] == str(mine)
    assert given[given.index("--template-dir") + 1] == str(tmp_path / "conf" / "templates")
    found = datasette_args(tmp_path / "news.db")
    assert found[found.index("--metadata") + 1] == str(tmp_path / "metadata.yml")
    assert "--template-dir" not in found
    (tmp_path / "metadata.yml").unlink()
    assert "--metadata" not in datasette_args(tmp_path / "news.db")
