"""Incremental re-visits: conditional requests, sitemap lastmod, the revisit policy by age."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlite_utils import Database

from archiver.demo import DemoServer, build_manifest
from demo_traffic import Traffic
from archiver.plan.revisit import RevisitPolicy, Revisits, parse_duration
from conftest import archiver

FAST = ("--set", "AUTOTHROTTLE_ENABLED=0")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)


def ago(**delta) -> str:
    return (NOW - timedelta(**delta)).isoformat()


def state(published, last_seen, etag='"abc"', last_modified="Mon, 01 Jun 2026 08:00:00 GMT", removed_at=None):
    return {
        "url": "https://news.test/a", "article": "https://news.test/a", "removed_at": removed_at,
        "first_seen": published, "last_seen": last_seen, "published": published, "etag": etag,
        "last_modified": last_modified, "fetched_at": last_seen,
    }


def test_durations_and_policies():
    assert [parse_duration(t) for t in ("0", "90s", "30m", "1h", "1.5d", "2w")] == [0, 90, 1800, 3600, 129600, 1209600]
    with pytest.raises(ValueError):
        parse_duration("5")
    policy = RevisitPolicy.parse("1h until 1d, 1d until 7d, 7d")
    assert policy.interval(timedelta(hours=3)) == timedelta(hours=1)
    assert policy.interval(timedelta(days=3)) == timedelta(days=1)
    assert policy.interval(timedelta(days=300)) == timedelta(days=7)
    assert RevisitPolicy.parse("30m until 2d, then never").interval(timedelta(days=3)) is None
    assert RevisitPolicy.parse("always").is_due(timedelta(days=999), timedelta(0))
    with pytest.raises(ValueError, match="until"):
        RevisitPolicy.parse("1h, 1d")


@pytest.mark.parametrize(
    "published, last_seen, due",
    [
        (ago(hours=5), ago(minutes=30), False),  # young: hourly
        (ago(hours=5), ago(minutes=61), True),
        (ago(days=3), ago(hours=20), False),  # this week: daily
        (ago(days=3), ago(hours=25), True),
        (ago(days=60), ago(days=6), False),  # older: weekly
        (ago(days=60), ago(days=8), True),
    ],
)
def test_revisit_policy_by_age(published, last_seen, due):
    revisits = Revisits([state(published, last_seen)], RevisitPolicy.parse("1h until 1d, 1d until 7d, 7d"), now=NOW)
    assert revisits.due_articles() == (["https://news.test/a"] if due else [])
    assert revisits.skip("https://news.test/a?utm_source=x") is not due  # same canonical URL
    assert not revisits.skip("https://news.test/unknown")


def test_sitemap_lastmod_decides_over_the_policy():
    revisits = Revisits([state(ago(days=60), ago(hours=1))], RevisitPolicy.parse("7d"), now=NOW)
    assert revisits.skip("https://news.test/a", "2026-06-01T07:59:00+00:00")  # older than Last-Modified seen
    assert not revisits.skip("https://news.test/a", "2026-06-01T09:00:00Z")  # newer: changed since
    assert not revisits.skip("https://news.test/a", "2026-06-01")  # a bare date: that whole day


def test_validators_only_for_live_articles_and_never_with_full():
    policy = RevisitPolicy.parse("always")
    live = Revisits([state(ago(days=1), ago(days=1))], policy, now=NOW)
    assert live.validators("https://news.test/a") == {"If-None-Match": '"abc"', "If-Modified-Since": "Mon, 01 Jun 2026 08:00:00 GMT"}
    gone = Revisits([state(ago(days=1), ago(days=1), removed_at=ago(days=1))], policy, now=NOW)
    assert gone.validators("https://news.test/a") == {} and not gone.skip("https://news.test/a", "2020-01-01")
    full = Revisits([state(ago(days=1), ago(minutes=1))], RevisitPolicy.parse("7d"), now=NOW, incremental=False)
    assert full.validators("https://news.test/a") == {} and not full.skip("https://news.test/a")
    assert full.due_articles() == ["https://news.test/a"]


@pytest.fixture
def crawled_once(tmp_path):
    """The demo site (edition 1) served, and crawled once from its sitemap into a new archive."""
    db_path = tmp_path / "inc.db"
    with DemoServer(edition=1) as server:
        site_file = tmp_path / "demo.toml"
        site_file.write_text(f'[[site]]\nname = "demo"\nbase_url = "{server.base_url}"\nsitemaps = ["/sitemap.xml"]\n')
        first = archiver("crawl", "--db", db_path, "--site-file", site_file, *FAST)
        assert first.returncode == 0, first.stderr
        yield server, db_path, site_file


def test_second_crawl_of_unchanged_site_skips_by_lastmod_and_adds_no_version(crawled_once):
    server, db_path, site_file = crawled_once
    versions = Database(db_path)["versions"].count
    traffic = Traffic(server)
    result = archiver("crawl", "--db", db_path, "--site-file", site_file, *FAST)
    assert result.returncode == 0, result.stderr
    assert f"0 pages, 0 new, 0 changed, 0 unchanged, 0 not modified, 0 removed, 0 errors, {versions} skipped" in result.stdout
    assert [seen.path for seen in traffic.requests if seen.path != "/robots.txt"] == ["/sitemap.xml"]
    assert Database(db_path)["versions"].count == versions


def test_second_crawl_revisiting_everything_sends_only_conditional_requests(crawled_once):
    server, db_path, site_file = crawled_once
    versions = Database(db_path)["versions"].count
    traffic = Traffic(server)
    result = archiver("crawl", "--db", db_path, "--site-file", site_file, "--revisit", "always", *FAST)
    assert result.returncode == 0, result.stderr
    articles = [seen for seen in traffic.requests if seen.path not in ("/robots.txt", "/sitemap.xml")]
    assert len(articles) == versions
    assert all(seen.if_none_match and seen.if_modified_since and seen.status == 304 for seen in articles)
    crawl = Database(db_path)["crawls"].get(2)
    assert (crawl["pages"], crawl["not_modified"], crawl["new"] + crawl["changed"] + crawl["unchanged"]) == (versions, versions, 0)
    assert Database(db_path)["versions"].count == versions


def test_full_crawl_sends_no_validators(crawled_once):
    server, db_path, site_file = crawled_once
    traffic = Traffic(server)
    result = archiver("crawl", "--db", db_path, "--site-file", site_file, "--full", *FAST)
    assert result.returncode == 0, result.stderr
    assert traffic.count(conditional=True) == 0 and traffic.count(status=200) == len(traffic.requests)
    assert " 66 unchanged," in result.stdout


def test_new_edition_fetches_only_what_the_sitemap_says_changed(crawled_once):
    server, db_path, site_file = crawled_once
    server.set_edition(2)
    traffic = Traffic(server)
    result = archiver("crawl", "--db", db_path, "--site-file", site_file, *FAST)
    assert result.returncode == 0, result.stderr
    manifest = build_manifest(server.base_url)["articles"]
    changed = {e["url"][len(server.base_url):] for e in manifest if e["change"] in ("content", "new")}
    fetched = {seen.path for seen in traffic.requests} - {"/robots.txt", "/sitemap.xml"}
    assert fetched == changed
    db = Database(db_path)
    assert db["versions"].count == sum(1 for e in manifest if e["edition1"]) + len(changed)
