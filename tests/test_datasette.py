"""Datasette on the demo archive, through Datasette's own client: metadata, JSON, canned
queries, search, and the plugin's article, diff and search pages."""

import asyncio
import re

import pytest
import yaml
from datasette.app import Datasette
from sqlite_utils import Database

from archiver.serve import CONFIG_DIR
from conftest import SCRIPT_MARKER, add_hostile_version, copy_archive


@pytest.fixture(scope="module")
def archive(demo_archive, tmp_path_factory):
    """A copy of the demo archive with near-duplicate pairs and a hostile third version."""
    db_path = copy_archive(demo_archive["db_path"], tmp_path_factory.mktemp("datasette"))
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
    return Datasette(
        [str(archive["db_path"])],
        metadata=yaml.safe_load((CONFIG_DIR / "metadata.yml").read_text()),
        plugins_dir=str(CONFIG_DIR / "plugins"),
        template_dir=str(CONFIG_DIR / "templates"),
        settings={"suggest_facets": False},
    )


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
        assert len(rows(ds, f"/demo/{table}.json")) == db[table].count
    latest = rows(ds, "/demo/latest_articles.json")
    assert len(latest) == db["articles"].count
    removed = sum(1 for e in archive["manifest"]["articles"] if e["change"] == "removed")
    assert sum(row["removed"] for row in latest) == removed
    assert len(rows(ds, "/demo/latest_articles.json?removed=1")) == removed


def test_metadata_descriptions_facets_and_sorting(ds):
    page = get(ds, "/demo/latest_articles").text
    assert "The latest version of every article" in page
    assert "Title of the latest version" in page  # a column description
    for facet in ("site", "change", "removed"):
        assert f'data-column="{facet}"' in page
    data = get(ds, "/demo/latest_articles.json?_facet_size=50").json()
    # The author facet is not a default one (over 100 ms past ~100,000 articles) but is offered.
    assert set(data["facet_results"]) == {"site", "change", "removed"}
    assert "_facet_array=byline" in page
    data = get(ds, "/demo/latest_articles.json?_facet_size=50&_facet_array=byline").json()
    authors = {item["value"] for item in data["facet_results"]["byline"]["results"]}
    assert "Sunniva Hale" in authors
    versions = rows(ds, "/demo/versions.json")
    assert [v["first_seen"] for v in versions] == sorted((v["first_seen"] for v in versions), reverse=True)


def test_titles_link_to_the_article_page(ds, archive):
    article_id = archive["ids"][0]
    page = get(ds, f"/demo/articles?id={article_id}").text
    assert f'href="/demo/-/article/{article_id}"' in page
    page = get(ds, "/demo/recent_changes").text
    assert f'/demo/-/article/{article_id}/diff?from=1&amp;to=2' in page


def test_canned_queries(ds, archive):
    manifest = archive["manifest"]["articles"]
    content = [e for e in manifest if e["change"] == "content"]
    changes = rows(ds, "/demo/recent_changes.json")
    assert len(changes) == len(content) + 1  # and the hostile third version
    assert changes[0]["version"] == 3
    corrections = rows(ds, "/demo/corrections.json")
    assert len(corrections) == sum(1 for e in content if e["detail"] == "correction")
    edited = rows(ds, "/demo/most_edited.json")
    assert edited[0]["versions"] == 3 and len(edited) == len(content)
    removed = rows(ds, "/demo/removed_articles.json")
    assert {row["url"] for row in removed} == {e["url"] for e in manifest if e["change"] == "removed"}
    authors = rows(ds, "/demo/articles_by_author.json?author=Sunniva")
    assert authors and all(row["author"] == "Sunniva Hale" for row in authors)
    assert all(row["bio"].startswith("Sunniva Hale is") for row in authors)
    everyone = rows(ds, "/demo/articles_by_author.json?author=")
    assert len({row["article_id"] for row in everyone}) == Database(archive["db_path"])["articles"].count
    groups = rows(ds, "/demo/near_duplicate_groups.json")
    ids = archive["ids"]
    assert sorted((row["group_id"], row["article_id"]) for row in groups) == sorted(
        [(min(ids[:3]), i) for i in ids[:3]] + [(min(ids[3:5]), i) for i in ids[3:5]]
    )
    assert {row["size"] for row in groups} == {3, 2}
    crawls = rows(ds, "/demo/crawl_history.json")
    assert [c["id"] for c in crawls] == [2, 1] and crawls[1]["new"] == 66


def test_search_ranked_latest_and_all_versions(ds, archive):
    db = Database(archive["db_path"])
    # A word only an older version has: found in every version, not in the latest.
    old_title = db.execute("select title from versions where version = 1 and article_id = ?", [archive["ids"][0]]).fetchone()[0]
    title_words = [w for w in re.findall(r"[A-Za-z]{5,}", old_title)]
    hits = rows(ds, f"/demo/search.json?q={title_words[0]}")
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
    in_all = {h["article_id"] for h in rows(ds, f"/demo/search_all_versions.json?q={word}")}
    in_latest = {h["article_id"] for h in rows(ds, f"/demo/search.json?q={word}")}
    assert article_id in in_all - in_latest
    # FTS syntax in a visitor's words is escaped, not an error.
    assert rows(ds, '/demo/search.json?q=%22unbalanced+AND+(') == []
    # Datasette's own search box: the view searches latest versions, versions every version.
    found = rows(ds, f"/demo/latest_articles.json?_search={title_words[0]}")
    assert archive["ids"][0] in {row["article_id"] for row in found}
    assert rows(ds, f"/demo/versions.json?_search={title_words[0]}")


def test_search_page_highlights_ranked_results(ds, archive):
    page = get(ds, "/demo/-/search?q=sick+pay").text
    assert re.search(r"\d+ match(es)? for <strong>sick pay</strong>", page)
    assert "<mark>sick</mark>" in page.lower() or "<mark>Sick</mark>" in page
    assert 'action="/-/archive/-/search"' in get(ds, "/").text  # the home page's search box
    assert get(ds, "/-/archive/-/search?q=sick", status=302).headers["location"] == "/demo/-/search?q=sick"
    assert "0 matches" in get(ds, "/demo/-/search?q=%22&all=1").text


def test_article_page(ds, archive):
    db = Database(archive["db_path"])
    article_id = archive["ids"][0]
    version = db.execute("select * from versions where article_id = ? and version = 2", [article_id]).fetchone()
    response = get(ds, f"/demo/-/article/{article_id}")
    page = response.text
    assert "script-src 'none'" in response.headers["content-security-policy"]
    assert "<h1>" in page and db["articles"].get(article_id)["title"] in page.replace("&#39;", "'")
    first_paragraph = db["versions"].get(version[0])["body"].split("\n\n")[0]
    assert f"<p>{first_paragraph[:60]}" in page.replace("&#34;", '"').replace("&#39;", "'") or first_paragraph[:30] in page
    assert "About the author" in page
    assert f"/demo/-/article/{article_id}/diff?from=1&amp;to=2" in page
    assert "Related links" in page and re.search(r'href="/demo/-/article/\d+">', page)  # archived related article
    assert "Near-duplicates" in page
    older = get(ds, f"/demo/-/article/{article_id}?version=1").text
    assert "Version 1 of 2" in older and "see the latest" in older
    get(ds, "/demo/-/article/999999", status=404)
    get(ds, "/nosuchdb/-/article/1", status=404)


def test_diff_page_marks_changed_words(ds, archive):
    article_id = archive["ids"][0]
    response = get(ds, f"/demo/-/article/{article_id}/diff?from=1&to=2")
    page = response.text
    assert "script-src 'none'" in response.headers["content-security-policy"]
    assert "<ins>" in page or "<del>" in page
    assert re.search(r'<option value="1" selected>', page) and re.search(r'<option value="2" selected>', page)
    same = get(ds, f"/demo/-/article/{article_id}/diff?from=2&to=2").text
    assert "Pick two different versions" in same
    assert get(ds, f"/demo/-/article/{article_id}/diff?from=x&to=99").status_code == 200


def test_archived_scripts_are_escaped_everywhere(ds, archive):
    article_id, version = archive["hostile"]
    pages = [
        get(ds, f"/demo/-/article/{article_id}").text,
        get(ds, f"/demo/-/article/{article_id}/diff?from={version - 1}&to={version}").text,
        get(ds, "/demo/-/search?q=readers+wrote&all=1").text,
        get(ds, f"/demo/versions?article_id={article_id}").text,
        get(ds, "/demo/search_all_versions?q=readers+wrote").text,
    ]
    for page in pages:
        assert SCRIPT_MARKER in page  # the text is shown...
        assert not re.search(r"<script>\s*window\." + SCRIPT_MARKER, page)  # ...never as a script
        assert not re.search(r"<img[^>]*onerror", page)
    assert "&lt;script&gt;" in pages[0]


def test_read_only(ds, archive):
    async def post():
        await ds.invoke_startup()
        return await ds.client.post("/demo/recent_changes", data={"x": "1"})

    assert asyncio.run(post()).status_code >= 400  # Datasette 0.65 answers 500 to a read-only query
    assert get(ds, "/-/databases.json").json()[0]["is_mutable"] is True
    assert not any(q.get("write") for q in get(ds, "/demo.json").json()["queries"])
