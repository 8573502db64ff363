"""Batched writes: many fetches in one transaction, all or nothing; the crawl pipeline flushes them."""

import pytest

from archiver.archive.store import Archive, Fetch
from scrapers.pipelines import ArchivePipeline


def fetch(n: int, body: str = "Body") -> Fetch:
    return Fetch(url=f"http://news.test/a/{n}", status=200, body=f"<html>{n} {body}</html>".encode(),
                 article={"title": f"Story {n}", "body": f"{body} {n}", "parser_version": "test"})


def test_record_batch_gives_the_outcomes_record_would(tmp_path):
    archive = Archive(tmp_path / "a.db")
    assert archive.record_batch([fetch(1), fetch(2), fetch(1), fetch(1, "Edited")]) == ["new", "new", "unchanged", "changed"]
    assert archive.db["versions"].count == 3 and archive.db["fetches"].count == 4


def test_a_failing_batch_leaves_nothing_behind(tmp_path, monkeypatch):
    archive = Archive(tmp_path / "a.db")
    archive.record(fetch(0))
    record = archive.record

    def fail_on_third(item, crawl_id=None):
        if item.url.endswith("/3"):
            raise RuntimeError("disk full")
        return record(item, crawl_id)

    monkeypatch.setattr(archive, "record", fail_on_third)
    with pytest.raises(RuntimeError):
        archive.record_batch([fetch(1), fetch(2), fetch(3)])
    assert [row["url"] for row in archive.db.query("select url from articles")] == ["http://news.test/a/0"]


class Stats(dict):
    def inc_value(self, key, count=1):
        self[key] = self.get(key, 0) + count


def test_pipeline_writes_when_a_batch_is_full(tmp_path):
    pipeline = ArchivePipeline(str(tmp_path / "a.db"), batch_size=3)
    pipeline.archive, pipeline.crawler = Archive(tmp_path / "a.db"), type("Crawler", (), {"stats": Stats()})()
    for n in range(4):
        pipeline.process_item(fetch(n))
    assert pipeline.archive.db["fetches"].count == 3 and len(pipeline.pending) == 1
    pipeline.flush()
    assert pipeline.archive.db["fetches"].count == 4 and pipeline.crawler.stats == {"archiver/new": 4}


@pytest.mark.parametrize("workers", [
    ["--set", "ARCHIVER_PARSE_WORKERS=1"],
    ["--set", "ARCHIVER_PARSE_WORKERS=2", "--set", "ARCHIVER_WRITER_PROCESS=1", "--set", "ARCHIVER_BATCH_SIZE=5"],
    ["--workers", "1"],
], ids=["parse-worker", "parse-workers-and-writer", "workers-option"])
def test_crawl_with_worker_processes_archives_the_same(tmp_path, workers):
    from archiver.demo import DemoServer

    from conftest import archiver

    db_path = tmp_path / "a.db"
    with DemoServer(edition=1) as server:
        result = archiver("crawl", "--db", db_path, "--start-url", f"{server.base_url}/sitemap.xml",
                          "--set", "AUTOTHROTTLE_ENABLED=0", *workers)
    assert result.returncode == 0, result.stderr
    assert "66 pages, 66 new" in result.stdout
    archive = Archive(db_path)
    assert archive.db["versions"].count == 66
    assert archive.db.execute("select count(distinct parser_version) from versions").fetchone()[0] == 1
