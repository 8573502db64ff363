"""Near-duplicates: the same story at another URL is linked, never merged."""

from archiver.neardup import THRESHOLD, similarity, sketch
from archiver.store import Archive, Fetch

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
