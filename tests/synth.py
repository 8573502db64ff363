"""Synthetic data at scale, for benchmarks: a static news site, and a large archive.

- :func:`article_pages` / :func:`write_site`: ``count`` distinct article pages in the demo
  site's templates (every paragraph's words shuffled per page, the page's own URL in its
  canonical link), written as static files with sitemaps, for nginx to serve.
- :func:`build_archive`: an archive of ``versions`` versions written straight into the
  tables (``executemany`` in large transactions, search index filled), with the sizes and
  text of real crawls: one stored raw page, one fetch and one alias per version.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

from archiver.demo import DemoSite
from archiver.archive.schema import REFRESH_LATEST_SQL

#: URLs per sitemap file (the sitemap protocol allows 50,000).
SITEMAP_URLS = 10_000
_BLOCK = re.compile(rb"(<(p|li|h2|h3)\b[^>]*>)(.*?)(</\2>)", re.DOTALL)
_TEXT = re.compile(rb"[^<>]+(?=<|$)")
_JSON_BODY = re.compile(rb'("articleBody": ")((?:[^"\\]|\\.)*)(")')


def shuffled_paragraphs(html: bytes, seed: int) -> bytes:
    """The page with the words of every paragraph, list item and heading shuffled.

    A distinct body per page, the same size and the same template around it.
    """
    rng = random.Random(seed)

    def shuffle_json(match: re.Match) -> bytes:
        return match.group(1) + shuffle_text(match.group(2)) + match.group(3)

    def shuffle_text(text: bytes) -> bytes:
        words = text.split()
        rng.shuffle(words)
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        return lead + b" ".join(words) + trail

    def shuffle_block(match: re.Match) -> bytes:
        return match.group(1) + _TEXT.sub(lambda m: shuffle_text(m.group(0)), match.group(3)) + match.group(4)

    return _JSON_BODY.sub(shuffle_json, _BLOCK.sub(shuffle_block, html))


def article_pages(count: int, base_url: str = "http://bench.test") -> Iterator[tuple[str, bytes]]:
    """``count`` distinct article pages ``(url, html)``: the demo articles, numbered and shuffled."""
    base_url = base_url.rstrip("/")
    site = DemoSite(edition=1, base_url=base_url)
    templates = [(url, site.get(url[len(base_url) :])[2]) for url in site.article_urls()]
    for number in range(count):
        url, html = templates[number % len(templates)]
        stem, dot, extension = url.rstrip("/").rpartition(".")
        own = f"{stem}-{number}.{extension}" if dot and "/" not in extension else f"{url.rstrip('/')}-{number}"
        yield own, shuffled_paragraphs(html, number).replace(f'"{url}"'.encode(), f'"{own}"'.encode())


def write_site(folder: str | Path, count: int, base_url: str) -> int:
    """Write ``count`` article pages, ``robots.txt`` and a sitemap index under ``folder``; the bytes written.

    A page's file is its URL path (no extension: serve it as ``text/html``); the sitemap
    index is ``/sitemap.xml``, its sitemaps ``/sitemap-<n>.xml``.
    """
    folder, base_url = Path(folder), base_url.rstrip("/")
    written, sitemap, sitemaps = 0, [], []
    for url, html in article_pages(count, base_url):
        path = folder / url[len(base_url) :].lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(html)
        written += len(html)
        sitemap.append(url)
        if len(sitemap) == SITEMAP_URLS:
            sitemaps.append(_write_sitemap(folder, len(sitemaps), sitemap, base_url))
            sitemap = []
    if sitemap:
        sitemaps.append(_write_sitemap(folder, len(sitemaps), sitemap, base_url))
    index = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in sitemaps)
    (folder / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{index}</sitemapindex>\n"
    )
    (folder / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    return written


def _write_sitemap(folder: Path, number: int, urls: list[str], base_url: str) -> str:
    """One sitemap file of ``urls``; its URL."""
    entries = "".join(f"<url><loc>{url}</loc></url>\n" for url in urls)
    (folder / f"sitemap-{number}.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )
    return f"{base_url}/sitemap-{number}.xml"


# --- a large archive, written straight into the tables -----------------------------------

#: Versions written per transaction while building.
ROWS_PER_TRANSACTION = 20_000
SECTIONS = ("world", "politics", "business", "technology", "science", "culture", "sport", "opinion")
_SYLLABLES = "ba be bi bo bu da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so ta te ti to va ve vi".split()


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    """``size`` distinct made-up words, two to four syllables."""
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))] = None
    return list(words)


def sentence_bank(rng: random.Random, words: list[str], size: int = 50_000) -> list[str]:
    """Sentences of 8-28 words drawn with a Zipf-like skew (a few words common, most rare)."""
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    bank = []
    for _ in range(size):
        chosen = rng.choices(words, cum_weights=cumulative, k=rng.randint(8, 28))
        bank.append(" ".join(chosen).capitalize() + ".")
    return bank


class ArchiveBuilder:
    """Write a synthetic archive of ``articles`` articles quickly (see :func:`build_archive`)."""

    def __init__(self, path: str | Path, seed: int = 8):
        from archiver.archive.store import Archive

        self.archive = Archive(path)
        self.db = self.archive.db
        self.rng = random.Random(seed)
        words = vocabulary(self.rng)
        self.bank = sentence_bank(self.rng, words)
        self.authors = [f"{w1.capitalize()} {w2.capitalize()}" for w1, w2 in zip(words[500:1500], words[1500:2500])]
        site = DemoSite(edition=1, base_url="https://news.example")
        url = site.article_urls()[0]
        html = site.get(url[len("https://news.example") :])[2].decode()
        self.head, self.tail = html[: html.index("<article")], html[html.index("</article>") + len("</article>") :]
        self.bases: dict[str, tuple[str, object]] = {}

    def body(self) -> str:
        """A body of 4-8 paragraphs of 3-6 sentences (~2-5 KB)."""
        pick = self.rng.choice
        return "\n\n".join(
            " ".join(pick(self.bank) for _ in range(self.rng.randint(3, 6))) for _ in range(self.rng.randint(4, 8))
        )

    def page(self, title: str, byline: str, body: str) -> bytes:
        paragraphs = "".join(f"<p>{p}</p>\n" for p in body.split("\n\n"))
        return (
            f"{self.head}<article><h1>{title}</h1><div class=byline>By {byline}</div>\n{paragraphs}</article>{self.tail}"
        ).encode()

    def build(self, articles: int, edited_share: float = 1.0, progress=None) -> None:
        """Add ``articles`` articles: a first version each, and a second for ``edited_share`` of them."""
        import zstandard

        from archiver.archive.fingerprint import bytes_hash, content_hash
        from archiver.archive.neardup import KEYS, pack, sketch
        from archiver.archive.raw import ZSTD_LEVEL
        from archiver.archive.store import utcnow

        db, conn, rng = self.db, self.db.conn, self.rng
        crawl = db["crawls"].insert({"spider": "synth", "start_urls": "[]", "started": utcnow(), "status": "finished"}).last_pk
        first_article = (conn.execute("select coalesce(max(id), 0) from articles").fetchone()[0]) + 1
        fetch_id = conn.execute("select coalesce(max(id), 0) from fetches").fetchone()[0]
        version_id = conn.execute("select coalesce(max(id), 0) from versions").fetchone()[0]
        conn.execute("pragma synchronous = off")
        rows: dict[str, list] = {
            name: [] for name in ("articles", "aliases", "versions", "fetches", "pages", "sketches", "sketch_keys")
        }
        plain = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
        for number in range(articles):
            article_id = first_article + number
            section = SECTIONS[number % len(SECTIONS)]
            url = f"https://news.example/{section}/2024/story-{article_id}"
            base_hash, base_dict = self._base(section, plain, rows["pages"])
            authors = rng.sample(self.authors, rng.choice((1, 1, 1, 2)))
            title = " ".join(rng.choice(self.bank).split()[:9]).rstrip(".")
            body = self.body()
            edits = 2 if rng.random() < edited_share else 1
            first_page_dict = None
            when = f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}T{number % 24:02d}:00:00.000+00:00"
            for version in range(1, edits + 1):
                if version == 2:
                    body += "\n\nCorrection: " + rng.choice(self.bank)
                html = self.page(title, " and ".join(authors), body)
                digest = bytes_hash(html)
                compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL, dict_data=first_page_dict or base_dict)
                packed = compressor.compress(html)
                rows["pages"].append((digest, "text/html", len(html), len(packed), packed, base_hash if version == 1 else first_hash))
                if version == 1:
                    first_hash = digest
                    first_page_dict = zstandard.ZstdCompressionDict(html, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
                record = {"title": title, "byline": authors, "published": when, "modified": when, "body": body,
                          "bio": [f"{a} reports for News Example." for a in authors]}
                fetch_id += 1
                version_id += 1
                rows["fetches"].append((fetch_id, crawl, article_id, url, 200, when, "new" if version == 1 else "changed",
                                        version, f'"{digest[:16]}"', None, "text/html", digest,
                                        '[{"url": "https://news.example/world/2024/story-1", "text": "Related"}]',
                                        '["Subscribe to our newsletter", "Advertisement"]'))
                rows["versions"].append((version_id, article_id, version, title, json.dumps(authors), when, when, body,
                                         json.dumps(record["bio"]), "en", "News Example", body[:150],
                                         "new" if version == 1 else "correction", '[]' if version == 1 else '["body"]',
                                         content_hash(record), when, when, fetch_id, digest, "synth", "crawl"))
            rows["articles"].append((article_id, url, "news.example", title, edits, when, when, 200))
            rows["aliases"].append((url, article_id))
            values = sketch(body)
            rows["sketches"].append((article_id, pack(values)))
            rows["sketch_keys"].extend((value, article_id) for value in values[:KEYS])
            if len(rows["versions"]) >= ROWS_PER_TRANSACTION:
                self._write(rows)
                if progress:
                    progress(number + 1)
        self._write(rows)
        self.archive.finish_crawl(crawl)

    def _base(self, section: str, plain, pages: list) -> tuple[str, object]:
        """The section's base page (stored plainly) and its zstd dictionary."""
        import zstandard

        from archiver.archive.fingerprint import bytes_hash

        if section not in self.bases:
            html = self.page(f"{section.capitalize()} news", "Staff", "\n\n".join(self.bank[:5]))
            digest, packed = bytes_hash(html), plain.compress(html)
            pages.append((digest, "text/html", len(html), len(packed), packed, None))
            self.db.conn.execute("insert or ignore into page_bases (section, hash) values (?, ?)", [f"news.example/{section}", digest])
            self.bases[section] = (digest, zstandard.ZstdCompressionDict(html, dict_type=zstandard.DICT_TYPE_RAWCONTENT))
        return self.bases[section]

    def _write(self, rows: dict[str, list]) -> None:
        """One transaction for everything gathered."""
        statements = {
            "pages": "insert or ignore into pages (hash, content_type, size, stored_size, zstd, dictionary) values (?,?,?,?,?,?)",
            "articles": "insert into articles (id, url, site, title, latest_version, first_seen, last_seen, last_status) "
                        "values (?,?,?,?,?,?,?,?)",
            "aliases": "insert into aliases (url, article_id) values (?, ?)",
            "fetches": "insert into fetches (id, crawl_id, article_id, url, status, fetched_at, outcome, version, etag, "
                       "last_modified, content_type, page_hash, related_links, boilerplate) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            "versions": "insert into versions (id, article_id, version, title, byline, published, modified, body, bio, "
                        "language, site_name, description, change, changed, content_hash, first_seen, last_seen, "
                        "fetch_id, page_hash, parser_version, produced_by) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            "sketches": "insert into article_sketches (article_id, sketch) values (?, ?)",
            "sketch_keys": "insert or ignore into sketch_keys (value, article_id) values (?, ?)",
        }
        first_article = rows["articles"][0][0] if rows["articles"] else None
        with self.db.conn:
            for name, statement in statements.items():
                self.db.conn.executemany(statement, rows[name])
                rows[name].clear()
            if first_article is not None:
                self.db.conn.execute(REFRESH_LATEST_SQL.format(where="and articles.id >= ?"), [first_article])


def build_archive(path: str | Path, versions: int, progress=None) -> None:
    """Add about ``versions`` versions to the archive at ``path``: half as many articles, each edited once."""
    builder = ArchiveBuilder(path)
    builder.build(max(1, versions // 2), progress=progress)
    builder.db.conn.execute("pragma synchronous = normal")
    builder.db.close()
