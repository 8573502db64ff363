"""The versioned store: versions only when the article changed, tombstones, pages once."""

import json

import pytest

from archiver.archive.store import Archive, ArchiveError, Fetch

URL = "http://news.test/article/world/harbour-deal"


def article(**changes):
    record = {
        "url": URL,
        "canonical_url": URL,
        "title": "Harbour deal signed",
        "byline": ["Ada Okafor"],
        "published": "2026-03-02",
        "modified": None,
        "body": "First paragraph.\n\nSecond paragraph.",
        "bio": ["Ada Okafor covers ports."],
        "related_links": [{"url": "http://news.test/a", "text": "A"}],
        "boilerplate": [{"kind": "promo", "text": "Subscribe"}],
        "parser_version": "test",
    }
    record.update(changes)
    return record


def fetch(status=200, raw=b"<html>one</html>", url=URL, **changes):
    return Fetch(url=url, status=status, body=raw, article=article(**changes) if status == 200 else None)


@pytest.fixture
def archive(tmp_path):
    return Archive(tmp_path / "archive.db")


def versions(archive):
    return list(archive.db.query("select version, change, changed from versions order by version"))


def test_first_fetch_is_a_new_version(archive):
    assert archive.record(fetch()) == "new"
    assert versions(archive) == [{"version": 1, "change": "new", "changed": json.dumps(["title", "byline", "published", "body", "bio"])}]


def test_same_content_adds_a_fetch_not_a_version(archive):
    archive.record(fetch())
    outcome = archive.record(
        fetch(raw=b"<html>other ads</html>", related_links=[], boilerplate=[{"kind": "ad", "text": "Buy"}])
    )
    assert outcome == "unchanged"
    assert len(versions(archive)) == 1
    assert archive.db["fetches"].count == 2


def test_rerendered_whitespace_and_quotes_are_not_a_change(archive):
    archive.record(fetch(title="Harbour 'deal' signed"))
    assert archive.record(fetch(title="Harbour \u2018deal\u2019  signed ")) == "unchanged"


@pytest.mark.parametrize(
    "changes, kind",
    [
        ({"title": "Harbour deal collapses"}, "headline"),
        ({"byline": ["Ada Okafor", "Tom Reyes"]}, "byline"),
        ({"body": "First paragraph.\n\nSecond paragraph.\n\nCorrection: the deal was signed on Monday."}, "correction"),
        ({"body": "First paragraph.\n\nSecond paragraph.\n\nThird paragraph behind the paywall."}, "paywall"),
        ({"body": "First paragraph, rewritten.\n\nSecond paragraph."}, "body-edit"),
        ({"bio": ["Ada Okafor covers ports and shipping."]}, "bio"),
    ],
)
def test_a_content_change_is_a_classified_version(archive, changes, kind):
    archive.record(fetch())
    assert archive.record(fetch(**changes)) == "changed"
    assert versions(archive)[-1]["change"] == kind
    assert json.loads(versions(archive)[-1]["changed"]) == list(changes)


def test_gone_page_gets_a_tombstone_and_keeps_its_versions(archive):
    archive.record(fetch())
    assert archive.record(Fetch(url=URL, status=410)) == "removed"
    row = archive.db["articles"].get(1)
    assert row["removed_at"] is not None and row["last_status"] == 410
    assert len(versions(archive)) == 1
    assert archive.known_urls() == []


def test_page_that_comes_back_is_a_restored_version(archive):
    archive.record(fetch())
    archive.record(Fetch(url=URL, status=404))
    assert archive.record(fetch()) == "changed"
    assert versions(archive)[-1]["change"] == "restored"
    assert archive.db["articles"].get(1)["removed_at"] is None


def test_404_for_unknown_page_is_an_error_fetch(archive):
    assert archive.record(Fetch(url="http://news.test/nothing", status=404)) == "error"
    assert archive.db["articles"].count == 0


def test_not_modified_writes_only_a_fetch(archive):
    archive.record(fetch())
    assert archive.record(Fetch(url=URL, status=304)) == "not_modified"
    assert len(versions(archive)) == 1


def test_raw_pages_stored_once_and_readable(archive):
    html = b"<html>" + b"x" * 10000 + b"</html>"
    archive.record(fetch(raw=html))
    archive.record(fetch(raw=html))
    assert archive.db["pages"].count == 1
    page = next(archive.db["pages"].rows)
    assert page["stored_size"] < page["size"]
    assert archive.raw_page(page["hash"]) == html


def test_tracking_parameters_and_aliases_map_to_one_article(archive):
    archive.record(fetch())
    tracked = URL + "?utm_source=feed&fbclid=x"
    assert archive.record(fetch(url=tracked, canonical_url=None)) == "unchanged"
    assert archive.db["articles"].count == 1


def test_crawl_record_counts_outcomes(archive):
    crawl = archive.start_crawl("generic", ["http://news.test/"])
    archive.record(fetch(), crawl)
    archive.record(fetch(title="New headline"), crawl)
    archive.record(Fetch(url="http://news.test/x", status=0, error="refused"), crawl)
    record = archive.finish_crawl(crawl)
    assert (record["pages"], record["new"], record["changed"], record["errors"]) == (3, 1, 1, 1)
    assert record["status"] == "finished"


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ArchiveError, match="does not exist"):
        Archive(tmp_path / "nowhere" / "archive.db")


PAGE = (
    "<html lang='en'><head><title>Tide tables</title>"
    "<meta property='article:published_time' content='2026-02-01'></head><body><article>"
    "<h1>Tide tables</h1><p class='byline'>By Mira Holt</p>"
    + "".join(f"<p>Paragraph {i} about the tides of the northern coast and its harbour.</p>" for i in range(6))
    + "</article></body></html>"
).encode()


def test_parser_upgrade_is_a_reparse_version_not_an_edit(archive):
    from archiver import parse_article

    current = parse_article(PAGE, URL).to_dict()
    older = dict(current, body=current["body"].rsplit("\n\n", 1)[0], parser_version="0.0.1-old")
    archive.record(Fetch(url=URL, status=200, body=PAGE, article=older))
    assert archive.record(Fetch(url=URL, status=200, body=PAGE, article=current)) == "unchanged"
    rows = list(archive.db.query("select version, change, produced_by from versions order by version"))
    assert rows == [
        {"version": 1, "change": "new", "produced_by": "crawl"},
        {"version": 2, "change": "reparse", "produced_by": "reparse"},
    ]


def test_parser_upgrade_and_real_edit_are_told_apart(archive):
    from archiver import parse_article

    current = parse_article(PAGE, URL).to_dict()
    older = dict(current, body=current["body"].rsplit("\n\n", 1)[0], parser_version="0.0.1-old")
    archive.record(Fetch(url=URL, status=200, body=PAGE, article=older))
    edited_page = PAGE.replace(b"Paragraph 2 about", b"Paragraph 2, rewritten, about")
    edited = parse_article(edited_page, URL).to_dict()
    assert archive.record(Fetch(url=URL, status=200, body=edited_page, article=edited)) == "changed"
    changes = [row["change"] for row in archive.db.query("select change from versions order by version")]
    assert changes == ["new", "reparse", "body-edit"]


def test_second_version_page_is_stored_as_a_small_delta(archive):
    archive.record(fetch(raw=PAGE))
    archive.record(fetch(raw=PAGE.replace(b"Paragraph 3", b"Paragraph three"), title="Tides"))
    first, second = archive.db.query("select size, stored_size, dictionary from pages order by rowid")
    assert first["dictionary"] is None and second["dictionary"] is not None
    assert second["stored_size"] < first["stored_size"] / 4
    for row in archive.db.query("select hash from pages"):
        assert archive.raw_page(row["hash"]) in (PAGE, PAGE.replace(b"Paragraph 3", b"Paragraph three"))


def test_redirects_are_recorded_and_become_aliases(archive):
    old_url = "http://news.test/?p=123"
    archive.record(Fetch(url=URL, status=200, body=PAGE, article=article(), redirects=[old_url]))
    row = next(archive.db.query("select final_url, redirects from fetches"))
    assert row == {"final_url": URL, "redirects": json.dumps([old_url])}
    assert archive.find_article(old_url)["url"] == URL


def test_reingesting_the_same_pages_is_idempotent(archive):
    archive.record(fetch())
    archive.record(fetch(raw=b"<html>two</html>", title="Later headline"))
    for _ in range(3):
        assert archive.record(fetch(raw=b"<html>two</html>", title="Later headline")) == "unchanged"
    assert [row["change"] for row in archive.db.query("select change from versions order by id")] == ["new", "headline"]
    assert archive.db["pages"].count == 2
