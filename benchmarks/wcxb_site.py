"""The pages of ``../shared/corpus/wcxb-dev`` as a static site for nginx, and its archive scored.

Each of the corpus's 1,497 pages is served at its own URL's path and query, each original
host on a port of its own on 127.0.0.1 (``https://example.com/a/b?id=1`` is served as
``http://127.0.0.1:<example.com's port>/a/b?id=1``), so that what the parser reads from a
URL (depth, slug, date, query) is what the page had; a page without a URL is served at
``/wcxb-<id>`` on the sitemap's port. nginx finds a page's file by an exact map of
"port request-URI" to the page; ``/sitemap.xml`` lists them all.

:func:`write_site` writes the pages (read from the shared corpus when the site is built,
into a folder outside the repository: nothing of the corpus is kept here);
:func:`serve` writes the sitemap and nginx's map for the ports of this run;
:func:`archive_figures` reads what a crawl archived and scores it against the corpus's
ground truth with ``../shared/eval/score_wcxb.py``'s functions.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from extraction import WCXB, WCXB_SCORER, load_scorer

#: The page ids and their original URLs (None where the corpus gives none), in the site folder.
PAGES_FILE = "wcxb-pages.json"
LOCATIONS = """
        location = /robots.txt { }
        location = /sitemap.xml { }
        location / { try_files /pages/$wcxb_page.html =404; }"""


def missing() -> str | None:
    """Why the site cannot be built (the shared corpus or its scorer absent), or None."""
    for path in (WCXB / "html", WCXB / "ground-truth", WCXB_SCORER):
        if not path.exists():
            return f"{path} is absent: the wcxb site needs the shared corpus beside the repository (../shared)"
    return None


def original_urls() -> dict[str, str | None]:
    """Every corpus page's URL, by page id."""
    return {
        truth.stem: json.loads(truth.read_text("utf8")).get("url")
        for truth in sorted((WCXB / "ground-truth").glob("*.json"))
    }


def write_site(folder: Path) -> int:
    """Write every page as ``pages/<id>.html``, ``robots.txt`` and the page list under ``folder``; the bytes written."""
    urls = original_urls()
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    written = 0
    for page_id in urls:
        html = gzip.decompress((WCXB / "html" / f"{page_id}.html.gz").read_bytes())
        (folder / "pages" / f"{page_id}.html").write_bytes(html)
        written += len(html)
    (folder / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (folder / PAGES_FILE).write_text(json.dumps(urls, indent=0))
    return written


def hosts(folder: Path) -> list[str]:
    """The original hosts of the site's pages, each to be served on a port of its own."""
    return sorted({urlsplit(url).netloc for url in json.loads((folder / PAGES_FILE).read_text()).values() if url})


def request_uri(url: str) -> str:
    """The path and query a crawler sends for ``url`` (as Scrapy makes it safe)."""
    from w3lib.url import safe_url_string

    parts = urlsplit(safe_url_string(url))
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def served_urls(folder: Path, ports: list[int]) -> dict[str, str]:
    """Each page's URL on 127.0.0.1, by page id: ``ports[0]`` is the sitemap's, the others the hosts' in order."""
    port_of = dict(zip(hosts(folder), ports[1:]))
    served = {}
    for page_id, url in json.loads((folder / PAGES_FILE).read_text()).items():
        if url:
            served[page_id] = f"http://127.0.0.1:{port_of[urlsplit(url).netloc]}{request_uri(url)}"
        else:
            served[page_id] = f"http://127.0.0.1:{ports[0]}/wcxb-{page_id}"
    return served


def serve(nginx, folder: Path) -> dict[str, str]:
    """Configure ``nginx`` (ports: one for the sitemap, one per host) and write the sitemap; the served URLs by id."""
    served = served_urls(folder, nginx.ports)
    entries = "".join(f"<url><loc>{escape(url)}</loc></url>\n" for url in served.values())
    (folder / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )
    keys = "".join(f'        "{urlsplit(url).port} {request_uri(url)}" {page_id};\n' for page_id, url in served.items())
    nginx.http_conf = (
        "map_hash_max_size 8192;\n    map_hash_bucket_size 1024;\n"
        f'    map "$server_port $request_uri" $wcxb_page {{\n        default missing;\n{keys}    }}'
    )
    nginx.locations = LOCATIONS
    return served


def stored_articles(db: Path, served: dict[str, str]) -> dict[str, dict]:
    """The latest version of each archived article (body, title, byline, published), by corpus page id."""
    ids = {url: page_id for page_id, url in served.items()}
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute(
            "select fetches.url, versions.body, versions.title, versions.byline, versions.published "
            "from articles join versions on versions.id = articles.latest_version_id "
            "join fetches on fetches.id = versions.fetch_id"
        ).fetchall()
    finally:
        connection.close()
    return {
        ids[url]: {"body": body, "title": title, "byline": json.loads(byline or "[]"), "published": published}
        for url, body, title, byline, published in rows
    }


def archive_figures(db: Path, served: dict[str, str]) -> dict:
    """Articles and other pages archived, and the word F1 of the stored bodies against the ground truth."""
    scorer = load_scorer(WCXB_SCORER)
    stored = stored_articles(db, served)
    rows = scorer.score(scorer.load_truth(WCXB), stored)  # a page not archived scores as an empty body
    articles = [row for row in rows if row["type"] == "article"]
    others = [row for row in rows if row["type"] != "article"]
    kept_articles = [row for row in articles if row["id"] in stored]
    kept_others = [row for row in others if row["id"] in stored]
    return {
        "articles": len(articles), "others": len(others),
        "articles_archived": len(kept_articles), "others_archived": len(kept_others),
        "f1_archived_articles": scorer.mean(row["f1"] for row in kept_articles),
        "f1_archived_others": scorer.mean(row["f1"] for row in kept_others),
        "f1_all_articles": scorer.mean(row["f1"] for row in articles),
        "without_archived_articles": scorer.mean(row["without"] for row in kept_articles),
    }
