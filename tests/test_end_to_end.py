"""The whole path on the demo site: crawl two editions over HTTP, archive, export, browse."""

import json
import subprocess
import sys
import urllib.request

import pytest
from sqlite_utils import Database

from archiver import Archive
from archiver.demo.run import compare_with_manifest
from archiver.demo import DemoServer
from conftest import REPO, archiver, free_port, wait_for_http


def count_changes(manifest, kind):
    return sum(1 for entry in manifest["articles"] if entry["change"] == kind)


def test_demo_archive_matches_manifest(demo):
    assert compare_with_manifest(Archive.open_existing(demo["db_path"]), demo["manifest"]) == []
    assert "the archive matches it" in demo["output"]


def test_demo_crawl_counts(demo):
    manifest = demo["manifest"]
    db = Database(demo["db_path"])
    first, second = list(db.query("select * from crawls order by id"))
    edition1 = sum(1 for entry in manifest["articles"] if entry["edition1"])
    assert (first["new"], first["changed"], first["removed"], first["errors"]) == (edition1, 0, 0, 0)
    assert second["new"] == count_changes(manifest, "new")
    assert second["changed"] == count_changes(manifest, "content")
    assert second["removed"] == count_changes(manifest, "removed")
    # conditional requests: a byte-identical page answers 304; new ads or links make a 200, unchanged
    assert second["not_modified"] == count_changes(manifest, "unchanged")
    assert second["unchanged"] == count_changes(manifest, "rotating-only")
    assert db["versions"].count == len(manifest["articles"]) + count_changes(manifest, "content")


def test_recrawl_of_unchanged_site_adds_no_version(demo, demo_copy):
    db_path = demo_copy
    before = Database(db_path)["versions"].count
    with DemoServer(edition=2, host="127.0.0.1", port=demo["port"]) as server:
        result = archiver("crawl", "--db", db_path, "--start-url", f"{server.base_url}/sitemap.xml")
    assert result.returncode == 0, result.stderr
    assert " 0 new, 0 changed" in result.stdout
    assert Database(db_path)["versions"].count == before


def test_content_changes_are_classified(demo):
    db = Database(demo["db_path"])
    details = {entry["url"]: entry["detail"] for entry in demo["manifest"]["articles"] if entry["change"] == "content"}
    rows = db.query("select articles.url, versions.change from versions join articles on articles.id = article_id where version = 2")
    assert {row["url"]: row["change"] for row in rows} == details


def test_export_round_trips(demo, tmp_path):
    out = tmp_path / "latest.jsonl"
    result = archiver("export", "--db", demo["db_path"], "-o", out, "--include-removed")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    manifest = {entry["url"]: entry for entry in demo["manifest"]["articles"]}
    assert {record["url"] for record in records} == set(manifest)
    current = archiver("export", "--db", demo["db_path"])
    removed = {url for url, entry in manifest.items() if entry["change"] == "removed"}
    assert {json.loads(line)["url"] for line in current.stdout.splitlines()} == set(manifest) - removed
    for record in records:
        entry = manifest[record["url"]]
        expected = entry["edition2"] or entry["edition1"]
        assert record["removed"] is (entry["change"] == "removed")
        assert record["version"] == (2 if entry["change"] == "content" else 1)
        assert (record["title"], record["byline"]) == (expected["title"], expected["byline"])
        assert {"url", "version", "title", "byline", "published", "body", "bio", "related_links",
                "first_seen", "last_seen", "change", "removed"} <= set(record)
    everything = archiver("export", "--db", demo["db_path"], "--all-versions", "--include-removed")
    assert len(everything.stdout.splitlines()) == Database(demo["db_path"])["versions"].count


def test_export_to_closed_pipe_ends_quietly(demo):
    command = f"{sys.executable} -m archiver export --db {demo['db_path']} --all-versions | head -n 1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr


@pytest.fixture(scope="module")
def datasette(demo):
    """``archiver serve`` on the demo archive; its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "archiver", "serve", "--db", str(demo["db_path"]), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/-/versions.json")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def test_datasette_serves_the_archive_as_json(demo, datasette):
    db = Database(demo["db_path"])
    for table in ("articles", "versions", "fetches", "crawls"):
        rows = get_json(f"{datasette}/demo/{table}.json?_shape=array&_size=max")
        assert len(rows) == db[table].count
    removed = get_json(f"{datasette}/demo/latest_versions.json?_shape=array&removed_at__notblank=1")
    assert len(removed) == count_changes(demo["manifest"], "removed")


def test_datasette_shows_metadata_descriptions(datasette):
    metadata = get_json(f"{datasette}/-/metadata.json")
    assert "versions" in metadata["databases"]["demo"]["tables"]
    with urllib.request.urlopen(f"{datasette}/demo/versions", timeout=10) as response:
        assert "A new version is written only when" in response.read().decode()


def test_crawl_of_the_demo_home_page_reports_no_errors(tmp_path):
    with DemoServer(edition=1) as server:
        result = archiver("crawl", "--db", tmp_path / "home.db", "--start-url", f"{server.base_url}/",
                          "--set", "AUTOTHROTTLE_ENABLED=0")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout.startswith("crawl 1 (generic) finished: 66 pages, 66 new, 0 changed,")
    assert " 0 errors," in result.stdout


def test_demo_site_manifest_command():
    result = archiver("demo-site", "--manifest", "--port", "8123")
    manifest = json.loads(result.stdout)
    assert len(manifest["articles"]) >= 66
    assert all(entry["url"].startswith("http://127.0.0.1:8123/") for entry in manifest["articles"])
