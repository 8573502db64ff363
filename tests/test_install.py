"""The package as a user installs it: the wheel, installed (not editable) into a fresh
virtualenv, and plain ``datasette news.db`` run from an empty folder serves the plugin's pages.

The fresh virtualenv gets the wheel alone (``--no-deps``); its dependencies are this
environment's, reached through a ``.pth`` line (no download, and the same versions the other
tests use). That environment's own ``archiver`` is an editable install whose import hook lives in
a ``.pth`` file that a plain path line does not run, so ``import archiver`` finds the wheel's
copy, which the test checks; the wheel's entry point is the only ``datasette`` one there.
"""

import shutil
import subprocess
import sys
import sysconfig
import urllib.request

import pytest
from sqlite_utils import Database

from conftest import REPO, copy_archive, free_port, wait_for_http

pytestmark = pytest.mark.slow


def run(*args, cwd=None, env=None, timeout=300):
    result = subprocess.run([*map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A virtualenv holding the wheel built from this checkout; its python."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"  # what the wheel is built from: the build writes beside it, not in the checkout
    (source / "src").mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(REPO / "src" / "archiver", source / "src" / "archiver", ignore=ignore)
    shutil.copytree(REPO / "scrapers", source / "scrapers", ignore=ignore)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", root / "wheels", source)
    wheel = next((root / "wheels").glob("archiver-*.whl"))
    venv = root / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel)
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    (root / "venv-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    shutil.move(root / "venv-deps.pth", f"{purelib}/zz-dependencies.pth")
    return python


def test_plain_datasette_on_an_installed_wheel(installed, demo_archive, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no PYTHONPATH: nothing from the checkout
    where = run(installed, "-c", "import archiver.datasette as d; print(d.__file__)", cwd=tmp_path, env=env).stdout
    assert where.startswith(str(installed.parent.parent)), where  # the wheel's copy
    folder = tmp_path / "empty"
    folder.mkdir()
    copy_archive(demo_archive["db_path"], folder, "news.db")
    article_id, title = Database(folder / "news.db").execute("select id, title from articles order by id limit 1").fetchone()
    port = free_port()
    server = subprocess.Popen(
        [installed, "-m", "datasette", "serve", "news.db", "--port", str(port)],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/-/versions.json")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/news/-/article/{article_id}", timeout=30) as response:
            assert response.status == 200
            page = response.read().decode()
        assert title in page.replace("&#39;", "'") and "About the author" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/news/recent_changes", timeout=30) as response:
            assert response.status == 200 and "Recent changes" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
