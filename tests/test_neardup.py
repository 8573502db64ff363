"""Near-duplicates: the same story at another URL is linked, never merged."""

from archiver.archive.neardup import THRESHOLD, similarity, sketch
from archiver.archive.store import Archive, Fetch

STORY = " ".join(
    f"Sentence {i} of the harbour story tells how the port authority and the unions agreed on new shifts."
    for i in range(30)
)
OTHER = " ".join(f"Line {i} of a different report covers rainfall totals in the mountain valleys this spring." for i in range(30))


def test_sketch_similarity_estimates_overlap():
    assert similarity(sketch(STORY), sketch(STORY)) == 1.0
    assert similarity(sketch(STORY), sketch(OTHER)) < 0.1
    lightly_edited = STORY.replace("Sentence 3 ", "Sentence three ") + " An extra closing line from the mirror site."
    assert similarity(sketch(STORY), sketch(lightly_edited)) >= THRESHOLD


def test_short_texts_are_not_sketched():
    assert sketch("Too short to tell.") == []


def record(archive, url, body):
    article = {"url": url, "canonical_url": url, "title": "T", "byline": [], "body": body, "bio": [], "parser_version": "t"}
    archive.record(Fetch(url=url, status=200, body=body.encode(), article=article))


def test_syndicated_copy_is_linked_not_merged(tmp_path):
    archive = Archive(tmp_path / "a.db")
    record(archive, "http://a.test/story", STORY)
    record(archive, "http://b.test/mirror/story", STORY + " Republished with permission.")
    record(archive, "http://a.test/weather", OTHER)
    assert archive.db["articles"].count == 3
    pairs = list(archive.db.query("select article_id, other_id, similarity from near_duplicates"))
    assert [(p["article_id"], p["other_id"]) for p in pairs] == [(2, 1)]
    assert pairs[0]["similarity"] >= THRESHOLD


def test_sketches_of_an_older_archive_are_carried_over(tmp_path):
    """An archive from before m006 (all 64 values as rows) still finds its near-duplicates."""
    from sqlite_utils import Database

    from archiver.archive.schema import migrations

    db = Database(tmp_path / "old.db")
    migrations.apply(db, stop_before="m006_sketch_blobs")
    db["articles"].insert({"id": 1, "url": "http://a.test/story", "site": "a.test", "latest_version": 1})
    db["body_sketches"].insert_all([{"value": v, "article_id": 1} for v in sketch(STORY)])
    db.close()
    archive = Archive(tmp_path / "old.db")
    assert "body_sketches" not in archive.db.table_names()
    assert archive.db["sketch_keys"].count == 8
    record(archive, "http://b.test/mirror/story", STORY + " Republished with permission.")
    pairs = list(archive.db.query("select article_id, other_id from near_duplicates"))
    assert [(p["article_id"], p["other_id"]) for p in pairs] == [(2, 1)]


def test_an_edited_body_is_re_sketched_and_its_old_keys_dropped(tmp_path):
    archive = Archive(tmp_path / "a.db")
    record(archive, "http://a.test/story", STORY)
    record(archive, "http://a.test/story", OTHER)
    keys = {row["value"] for row in archive.db.query("select value from sketch_keys")}
    assert keys == set(sketch(OTHER)[:8])
    record(archive, "http://b.test/weather", OTHER + " From the wires.")
    pairs = list(archive.db.query("select article_id, other_id from near_duplicates"))
    assert [(p["article_id"], p["other_id"]) for p in pairs] == [(2, 1)]
