"""The archive survives being killed mid-write, and old archives upgrade in place."""

import json
import signal
import subprocess
import sys
import time

import pytest
from sqlite_utils import Database

from archiver.archive.schema import migrations
from archiver.archive.store import Archive, Fetch

WRITER = r"""
import sys
from archiver.archive.store import Archive, Fetch
archive = Archive(sys.argv[1])
for n in range(100000):
    url = f"http://news.test/story-{n % 50}"
    body = f"Paragraph one of story {n % 50}.\n\nEdit number {n // 50}."
    article = {"url": url, "canonical_url": url, "title": f"Story {n % 50}", "byline": ["A"],
               "body": body, "bio": [], "parser_version": "t"}
    archive.record(Fetch(url=url, status=200, body=(body * 40).encode(), article=article))
"""


def check_consistent(db: Database) -> None:
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert db.execute("pragma foreign_key_check").fetchall() == []
    for article in db.query("select id, latest_version from articles"):
        numbers = [row["version"] for row in db.query("select version from versions where article_id = ? order by version", [article["id"]])]
        assert numbers == list(range(1, len(numbers) + 1))
        assert article["latest_version"] == numbers[-1]
    orphans = "select count(*) from versions where page_hash not in (select hash from pages) or fetch_id not in (select id from fetches)"
    assert db.execute(orphans).fetchone()[0] == 0


@pytest.mark.slow
def test_kill_9_mid_write_leaves_a_consistent_archive(tmp_path):
    db_path = tmp_path / "a.db"
    Archive(db_path)
    for round_ in range(3):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path)])
        time.sleep(1.0 + 0.3 * round_)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        db = Database(db_path)
        check_consistent(db)
        assert db["versions"].count > 0
    archive = Archive(db_path)  # opens, and goes on writing
    url = "http://news.test/story-0"
    article = {"url": url, "canonical_url": url, "title": "Story 0 (final)", "byline": ["A"], "body": "x", "bio": [], "parser_version": "t"}
    assert archive.record(Fetch(url=url, status=200, body=b"final", article=article)) == "changed"
    check_consistent(archive.db)


def test_archive_of_the_first_schema_upgrades_in_place(tmp_path):
    db_path = tmp_path / "old.db"
    db = Database(db_path)
    migrations.apply(db, stop_before="m002_provenance")
    db["articles"].insert({"id": 1, "url": "http://news.test/a", "site": "news.test", "latest_version": 1})
    db["versions"].insert({"article_id": 1, "version": 1, "title": "Old", "byline": "[]", "bio": "[]", "body": "b", "content_hash": "h"})
    db.close()
    archive = Archive(db_path)
    assert {m.name for m in migrations.pending(archive.db)} == set()
    assert archive.latest_version(1)["title"] == "Old"
    assert archive.latest_version(1)["produced_by"] == "crawl"
    assert "near_duplicates" in archive.db.table_names()


def test_wal_lets_readers_in_while_a_writer_holds_a_transaction(tmp_path):
    archive = Archive(tmp_path / "a.db")
    assert archive.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    url = "http://news.test/a"
    article = {"url": url, "title": "T", "byline": [], "body": "b", "bio": [], "parser_version": "t"}
    archive.record(Fetch(url=url, status=200, body=b"x", article=article))
    with archive.db.atomic():
        archive.db["crawls"].insert({"spider": "held"})
        reader = Database(tmp_path / "a.db")
        assert reader["articles"].count == 1
    assert json.loads(archive.db["fetches"].get(1)["related_links"]) == []
