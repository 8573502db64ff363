"""What a person sees, in a real headless Chromium, on pages served by ``archiver serve``.

Drives Debian's ``chromium`` over the Chrome DevTools Protocol (a websocket) and saves
screenshots to ``test-artifacts/``. Skips only when chromium is not installed.
"""

import base64
import json
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
import websocket
from sqlite_utils import Database

from archiver.archive.diff import diff_versions
from archiver.archive.store import Archive
from conftest import REPO, SCRIPT_MARKER, add_hostile_version, copy_archive, free_port, wait_for_http

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Debian's chromium package (apt-get install chromium; .ci/run installs it)"
)
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--remote-debugging-port=0", "--window-size=1280,1000",
]
ARTIFACTS = REPO / "test-artifacts"


class Browser:
    """One headless Chromium page, driven over the DevTools Protocol."""

    def __init__(self, profile):
        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port = self._devtools_port(profile / "DevToolsActivePort")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            page = next(target for target in json.load(response) if target["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id, self.events = 0, []
        self.send("Page.enable")
        self.send("Runtime.enable")

    def _devtools_port(self, path, timeout=30.0) -> int:
        deadline = time.monotonic() + timeout
        while not (path.is_file() and path.read_text().strip()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("chromium did not start its DevTools server")
            time.sleep(0.1)
        return int(path.read_text().split()[0])

    def send(self, method, **params):
        """Call a DevTools method and return its result (events seen meanwhile are kept)."""
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def open(self, url):
        """Navigate and wait for the load event."""
        self.events.clear()
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + 30
        while not any(event.get("method") == "Page.loadEventFired" for event in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not load")
            self.events.append(json.loads(self.socket.recv()))

    def js(self, expression):
        """The value of a JavaScript expression in the page."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def screenshot(self, path):
        """Save the whole page as PNG."""
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def served(demo_archive, tmp_path_factory):
    """``archiver serve``, run from a folder that is not the checkout, on a copy of the demo archive
    named news.db with a hostile version; base URL and article."""
    folder = tmp_path_factory.mktemp("browser")
    db_path = copy_archive(demo_archive["db_path"], folder, "news.db")
    content = [e for e in demo_archive["manifest"]["articles"] if e["change"] == "content"]
    entry = next((e for e in content if e["detail"] in ("correction", "body-edit")), content[0])
    article_id = Archive(db_path).find_article(entry["url"])["id"]
    hostile = add_hostile_version(db_path, entry["url"])
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "archiver", "serve", "--db", db_path.name, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/-/versions.json")
        yield {"base": f"http://127.0.0.1:{port}/news", "db_path": db_path, "article_id": article_id, "hostile": hostile}
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


NOT_RUN = f"""({{
  ran: window.{SCRIPT_MARKER} !== undefined,
  title: document.title,
  scripts: [...document.scripts].filter(s => s.textContent.includes("{SCRIPT_MARKER}")).length,
  handlers: document.querySelectorAll("[onerror], [onload]").length,
  images: document.images.length,
}})"""


def assert_no_archived_script(browser):
    state = browser.js(NOT_RUN)
    assert state["ran"] is False, "a script from the archived page ran"
    assert state["title"] != "pwned"
    assert (state["scripts"], state["handlers"], state["images"]) == (0, 0, 0), state


def test_article_page_in_chromium(browser, served):
    browser.open(f"{served['base']}/-/article/{served['article_id']}")
    db = Database(served["db_path"])
    latest = db.execute("select title, body, bio from versions where article_id = ? and version = ?",
                        [served["article_id"], served["hostile"]]).fetchone()
    seen = browser.js("""({
      h1: document.querySelector("h1").innerText,
      body: document.querySelector(".body").innerText,
      paragraphs: document.querySelectorAll(".body p").length,
      bio: document.querySelector(".bio") && document.querySelector(".bio").innerText,
      versions: [...document.querySelectorAll(".versions tbody tr")].map(tr => tr.innerText),
      font: getComputedStyle(document.querySelector(".body p")).fontFamily,
    })""")
    assert seen["h1"] == latest[0]
    assert seen["paragraphs"] == latest[1].count("\n\n") + 1
    assert f"<script>window.{SCRIPT_MARKER} = 1" in seen["body"]  # shown as text, as archived
    assert "About the author" in seen["bio"]
    assert len(seen["versions"]) == served["hostile"]
    assert "Georgia" in seen["font"]  # our stylesheet loaded under the page's CSP
    assert_no_archived_script(browser)
    browser.screenshot(ARTIFACTS / "article.png")


def test_diff_page_in_chromium(browser, served):
    article_id = served["article_id"]
    db = Database(served["db_path"])
    old, new = (
        dict(next(db.query("select * from versions where article_id = ? and version = ?", [article_id, n])))
        for n in (1, 2)
    )
    for record in (old, new):
        for name in ("byline", "bio"):
            record[name] = json.loads(record[name])
    expected = diff_versions(old, new)
    inserted = [text.strip() for ops in expected.values() for op, text in ops if op == "insert" and text.strip()]
    deleted = [text.strip() for ops in expected.values() for op, text in ops if op == "delete" and text.strip()]
    browser.open(f"{served['base']}/-/article/{article_id}/diff?from=1&to=2")
    seen = browser.js("""({
      ins: [...document.querySelectorAll(".diff ins")].map(e => e.innerText.trim()),
      del: [...document.querySelectorAll(".diff del")].map(e => e.innerText.trim()),
      fields: [...document.querySelectorAll(".field-diff h2")].map(e => e.innerText.toLowerCase()),
      insColour: document.querySelector(".diff ins") && getComputedStyle(document.querySelector(".diff ins")).backgroundColor,
      delLine: document.querySelector(".diff del") && getComputedStyle(document.querySelector(".diff del")).textDecorationLine,
    })""")
    assert seen["fields"] == list(expected)
    assert [" ".join(t.split()) for t in seen["ins"]] == [" ".join(t.split()) for t in inserted]
    assert [" ".join(t.split()) for t in seen["del"]] == [" ".join(t.split()) for t in deleted]
    assert seen["ins"] or seen["del"]
    if seen["ins"]:
        assert seen["insColour"] == "rgb(212, 247, 212)"  # inserted words highlighted green
    if seen["del"]:
        assert seen["delLine"] == "line-through"
    assert_no_archived_script(browser)
    browser.screenshot(ARTIFACTS / "diff.png")
    # The hostile version's diff: its markup shown as inserted text, nothing run.
    browser.open(f"{served['base']}/-/article/{article_id}/diff?from={served['hostile'] - 1}&to={served['hostile']}")
    assert any(f"<script>window.{SCRIPT_MARKER}" in text for text in browser.js(
        "[...document.querySelectorAll('.diff ins')].map(e => e.innerText)"))
    assert_no_archived_script(browser)


def test_table_pages_read_as_people_write_in_chromium(browser, served):
    browser.open(f"{served['base']}/latest_articles?_size=max")
    seen = browser.js("""({
      bylines: [...document.querySelectorAll("td.col-byline")].map(td => td.innerText.trim()),
      times: [...document.querySelectorAll("td.col-first_seen time")].map(t => [t.innerText, t.getAttribute("datetime")]),
      tables: [...document.querySelectorAll(".crumbs a")].map(a => a.innerText),
    })""")
    assert seen["bylines"] and not any(b.startswith("[") for b in seen["bylines"])
    assert any(", " in b and " and " in b for b in seen["bylines"])  # "A, B and C"
    assert seen["times"] and all(text.endswith(" UTC") and iso.startswith(text[:10]) for text, iso in seen["times"])
    browser.screenshot(ARTIFACTS / "latest_articles.png")
    browser.open(served["base"])
    listed = browser.js("[...document.querySelectorAll('h3 a, .db-table h3 a')].map(a => a.innerText)")
    assert "articles" in listed and "sketch_keys" not in listed and "_sqlite_migrations" not in listed
