"""The synthetic data the scale benchmarks run on is sound: a real archive, a real site."""

from archiver.archive.integrity import check_archive
from archiver.parser.page import ArticlePage
from archiver.archive.store import Archive
from synth import build_archive, write_site


def test_synthetic_archive_passes_check_and_finds_its_near_duplicates(tmp_path):
    build_archive(tmp_path / "s.db", 120)
    archive = Archive(tmp_path / "s.db")
    assert check_archive(archive) == []
    assert archive.db["versions"].count == 120
    assert archive.db["article_sketches"].count == 60
    latest = next(archive.db.query("select body from versions order by id desc limit 1"))["body"]
    assert "Correction:" in latest
    matches = archive.near_duplicates.update(10_000, latest, "now")  # the same body under another article
    assert [other for other, _ in matches] == [60]


def test_synthetic_site_pages_are_distinct_articles(tmp_path):
    write_site(tmp_path, 12, "http://127.0.0.1")
    sitemaps = list(tmp_path.glob("sitemap*.xml"))
    urls = [line.split("<loc>")[1].split("</loc>")[0] for path in sitemaps for line in path.read_text().splitlines() if "<loc>" in line]
    pages = [url for url in urls if not url.endswith(".xml")]
    assert len(pages) == 12
    bodies = set()
    for url in pages:
        path = tmp_path / url.split("127.0.0.1/", 1)[1]
        article = ArticlePage(url, path.read_bytes(), "text/html").to_article()
        assert article.title and len(article.body) > 500
        assert article.canonical_url == url
        bodies.add(article.body)
    assert len(bodies) == 12
