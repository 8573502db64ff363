import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


#: The slow tier (``make test`` runs everything; ``make test-fast`` leaves these out): modules that
#: crawl for real, kill processes, drive a browser or Redis, or read whole corpora. Single slow
#: tests elsewhere carry ``@pytest.mark.slow`` themselves.
SLOW_MODULES = {
    "test_browser",  # headless chromium on the Datasette pages
    "test_redis",  # a Redis server, two crawlers and an ingester
    "test_reliability",  # crawls killed at random points, two cron runs at once
    "test_crawl_incremental", "test_crawl_memory", "test_crawl_safety", "test_crawl_sites",  # real crawls
    "test_end_to_end", "test_demo_rotation", "test_hostile_site",  # real crawls of the demo and a hostile site
    "test_batch", "test_spider",  # real crawls: worker processes, the generic spider
    "test_quality_gate", "test_faithfulness", "test_bio_related_labels",  # whole shared corpora
}


def pytest_collection_modifyitems(items):
    """Mark every test of a slow module ``slow``."""
    for item in items:
        if item.module.__name__ in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def archiver(*args, timeout=300, cwd=REPO):
    """Run the real ``archiver`` command in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "archiver", *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=cwd
    )


def run_cli(*args, cwd=REPO, input=None) -> subprocess.CompletedProcess:
    """Run an ``archiver`` command in this process (click's runner), from ``cwd``.

    For commands that neither crawl (Twisted runs once per process) nor replace the process
    (``serve``); an unexpected exception fails the test with its traceback. The result reads
    like :func:`archiver`'s: ``returncode``, ``stdout``, ``stderr``.
    """
    import os

    from click.testing import CliRunner

    from archiver.cli import cli

    before = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(map(str, args)), input=input, catch_exceptions=False, prog_name="archiver")
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def wait_for_http(url: str, timeout: float = 30.0) -> None:
    """Poll ``url`` until it answers, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def shared_corpus():
    path = SHARED / "corpus" / "readability-test-pages"
    if not path.is_dir():
        pytest.skip("needs ../shared/corpus (absent in a user's own clone)")
    return path


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """``archiver demo --no-serve`` on a known port: the archive, its port, manifest and output.

    Shared by every test module; treat the archive as read-only (copy it to change it).
    """
    from archiver.demo import build_manifest

    folder = tmp_path_factory.mktemp("demo")
    db_path = folder / "demo.db"
    port = free_port()
    result = archiver("demo", "--no-serve", "--db", db_path, "--site-port", port)
    assert result.returncode == 0, result.stderr + result.stdout
    base_url = f"http://127.0.0.1:{port}"
    return {"db_path": db_path, "port": port, "manifest": build_manifest(base_url), "output": result.stdout}


@pytest.fixture
def demo_copy(demo, tmp_path):
    """A private copy of the demo archive, free to change."""
    from sqlite_utils import Database

    path = tmp_path / "demo.db"
    Database(demo["db_path"]).execute("vacuum into ?", [str(path)])
    return path


@pytest.fixture(scope="session")
def demo_archive(demo):
    """The session's one demo archive (see ``demo``); a test that changes it works on a copy (``copy_archive``)."""
    return demo


def copy_archive(source, folder: Path, name: str = "demo.db") -> Path:
    """A consistent copy of an SQLite archive (``vacuum into``), named ``name`` in ``folder``."""
    import sqlite3

    target = Path(folder) / name
    conn = sqlite3.connect(source)
    try:
        conn.execute("vacuum into ?", [str(target)])
    finally:
        conn.close()
    return target


#: Set only if a script from an archived page ran in a browser.
SCRIPT_MARKER = "__archived_script_ran"


def add_hostile_version(db_path, url: str) -> int:
    """A new version of the article at ``url`` whose body and bio carry scripts; its number.

    The raw page has real ``<script>`` elements; the stored text has markup that would run
    if a page showed it unescaped.
    """
    from archiver.archive.store import Archive, Fetch

    archive = Archive(db_path)
    article_row = archive.find_article(url)
    latest = archive.latest_version(article_row["id"])
    attack = f'<script>window.{SCRIPT_MARKER} = 1; document.title = "pwned"</script>'
    image = f'<img src="/nope.png" onerror="window.{SCRIPT_MARKER} = 2">'
    article = {
        **{name: latest[name] for name in ("title", "byline", "published", "modified", "language", "site_name", "description")},
        "url": url,
        "canonical_url": url,
        "body": latest["body"] + f"\n\nReaders wrote in to say {attack} and {image} in the comments.",
        "bio": [bio + f" {attack}" for bio in latest["bio"]] or [attack],
        "related_links": [],
        "parser_version": latest["parser_version"],
    }
    page = f"<html><body><article><p>{attack}</p>{image}</article></body></html>".encode()
    assert archive.record(Fetch(url=url, status=200, body=page, article=article)) == "changed"
    return latest["version"] + 1
