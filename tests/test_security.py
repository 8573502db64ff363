"""Security: the crawler stays on its sites, refuses what is not a page, exports stay in their folder, SQL takes parameters.

Names are resolved only by injected resolvers (a table, or a function that fails the test):
no test sends anything to a non-loopback address, and crawls go through the hostile site
as an HTTP proxy so that a guard that failed would be caught there.
"""

import ast
import json
import os
from pathlib import Path

import pytest
from sqlite_utils import Database

from archiver.plan.netguard import NetGuard, resolver_from_setting, special_kind, table_resolver
from archiver.parser.page import ArticlePage
from archiver.archive.store import Archive, Fetch
from conftest import REPO, archiver
from hostile_site import HostileSite, article_html
from scrapers.middlewares import content_refusal


def no_dns(host):
    raise AssertionError(f"the guard asked DNS about {host}")


# --- the address guard ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://10.0.0.1/x", "off-site private address 10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "off-site link-local address 169.254.169.254"),
        ("http://127.0.0.2/", "off-site loopback address 127.0.0.2"),
        ("http://[::1]:8000/", "off-site loopback address ::1"),
        ("http://[::ffff:10.0.0.1]/", "off-site private address ::ffff:10.0.0.1"),
        ("http://[fe80::1]/", "link-local"),
        ("http://0.0.0.0/", "address 0.0.0.0"),
        ("http://224.0.0.1/", "multicast"),
        ("http://localhost.evil/", "off-site host localhost.evil"),
        ("http://localhost/", "off-site host localhost"),
        ("http://2130706433/", "off-site host 2130706433"),
        ("https://news.example.com.evil.test/a", "off-site host news.example.com.evil.test"),
        ("http://8.8.8.8/", "off-site address 8.8.8.8"),
        ("file:///etc/passwd", "file scheme"),
        ("ftp://news.example.com/a", "ftp scheme"),
        ("data:text/html,hello", "data scheme"),
        ("gopher://news.example.com/", "gopher scheme"),
        ("http:///nohost", "no host"),
    ],
)
def test_off_site_and_internal_urls_are_refused_without_a_lookup(url, reason):
    guard = NetGuard(["https://news.example.com/sitemap.xml"], resolver=no_dns)
    refusal = guard.refusal(url)
    assert refusal is not None and refusal.startswith("refused: ") and reason in refusal, refusal


def test_the_start_url_host_is_allowed_even_on_loopback():
    guard = NetGuard(["http://127.0.0.1:8000/sitemap.xml"], resolver=no_dns)
    assert guard.allows("http://127.0.0.1:8000/article/a") and guard.allows("http://127.0.0.1:9999/other-port")
    assert not guard.allows("http://127.0.0.2:8000/") and not guard.allows("http://localhost:8000/")


def test_sub_domains_are_resolved_and_refused_when_internal():
    asked = []

    def resolver(host):
        asked.append(host)
        return {"cdn.example.com": ["93.184.216.34"], "intranet.example.com": ["10.1.2.3"],
                "mixed.example.com": ["93.184.216.34", "127.0.0.1"]}[host]

    guard = NetGuard(["https://www.example.com/"], resolver=resolver)
    assert guard.allows("https://www.example.com/a")  # named: never looked up
    assert guard.allows("https://cdn.example.com/a") and guard.allows("https://cdn.example.com/b")
    assert "resolves to private address 10.1.2.3" in guard.refusal("https://intranet.example.com/")
    assert "resolves to loopback address 127.0.0.1" in guard.refusal("https://mixed.example.com/")
    assert asked == ["cdn.example.com", "intranet.example.com", "mixed.example.com"]  # once per host
    assert "does not resolve" in NetGuard(["https://www.example.com/"], resolver=table_resolver({})).refusal(
        "https://new.example.com/"
    )


def test_a_site_may_allow_internal_hosts_and_networks():
    guard = NetGuard(
        ["https://news.example.com/"], ["news.example.com", "intranet.corp", "10.0.0.0/8"],
        resolver=table_resolver({"wiki.intranet.corp": "10.9.9.9", "db.intranet.corp": "192.168.0.5"}),
    )
    assert guard.allows("http://intranet.corp/")  # named by the site
    assert guard.allows("http://10.1.2.3/") and guard.allows("http://wiki.intranet.corp/")  # inside 10.0.0.0/8
    assert "private address 192.168.0.5" in guard.refusal("http://db.intranet.corp/")
    assert "off-site" in guard.refusal("http://192.168.0.5/")


def test_address_kinds():
    from ipaddress import ip_address

    assert special_kind(ip_address("93.184.216.34")) is None
    assert special_kind(ip_address("100.64.0.1")) == "non-global"  # carrier-grade NAT
    assert special_kind(ip_address("::ffff:169.254.169.254")) == "link-local"


def test_the_hosts_setting_replaces_dns():
    resolve = resolver_from_setting(json.dumps({"a.test": "10.0.0.1"}))
    assert resolve("a.test") == ["10.0.0.1"]
    with pytest.raises(OSError):
        resolve("b.test")  # not in the table: not asked of DNS either


# --- content types ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type, body, reason",
    [
        ("image/png", b"\x89PNG....", "not a page (Content-Type image/png)"),
        ("application/pdf", b"%PDF-1.4", "not a page"),
        ("application/octet-stream", b"MZ\x90\x00", "not a page"),
        ("text/html", b"\x89PNG\r\n\x1a\n", "a PNG image, sent as text/html"),
        ("text/html; charset=utf-8", b"\x1f\x8b\x08\x00", "gzip data, sent as text/html"),
        ("", b"ab\x00\x01\x02cd", "binary data, sent as no Content-Type"),
        ("text/html", b"", "empty body"),
        ("text/html", b"  \n ", "empty body"),
    ],
)
def test_what_is_not_a_page_is_skipped(content_type, body, reason):
    assert reason in content_refusal(content_type, body)


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("text/html; charset=utf-8", b"<html><body>hi</body></html>"),
        ("application/xhtml+xml", b"<html/>"),
        ("application/rss+xml", b"<rss/>"),
        ("application/xml", b"\x1f\x8b\x08\x00gzipped sitemap"),
        ("application/x-gzip", b"\x1f\x8b\x08\x00"),
        ("text/plain", b"User-agent: *"),
        ("text/html; charset=utf-16", "<html>hi</html>".encode("utf-16")),
        ("", b"<html>no type</html>"),
    ],
)
def test_pages_sitemaps_and_feeds_are_read(content_type, body):
    assert content_refusal(content_type, body) is None


# --- a configured site's crawl ---------------------------------------------------------


@pytest.mark.slow
def test_a_sites_crawl_refuses_internal_sub_domains_before_connecting(tmp_path, monkeypatch):
    hosts = {"intranet.example.test": "10.0.0.7", "cdn.example.test": ["93.184.216.34", "127.0.0.1"]}
    off_site = ["http://intranet.example.test/a", "http://cdn.example.test/b", "http://unknown.example.test/c",
                "http://elsewhere.test/d", "http://172.16.0.1/e"]
    with HostileSite(good_pages=3, faults=[], off_site=off_site) as site:
        (tmp_path / "sites.toml").write_text(
            f'[[site]]\nname = "hostile"\nbase_url = "{site.base_url}"\nsitemaps = ["/sitemap.xml"]\n'
            'allowed_domains = ["127.0.0.1", "example.test"]\n'
        )
        monkeypatch.setenv("http_proxy", site.base_url)  # a request that got past the guard would land here
        monkeypatch.setenv("no_proxy", "")
        result = archiver("crawl", "hostile", "--site-file", tmp_path / "sites.toml", "--db", tmp_path / "a.db",
                          "--set", f"ARCHIVER_HOSTS={json.dumps(hosts)}")
        assert site.escaped == [] and site.proxied > 0
    assert result.returncode == 0, result.stderr
    errors = {row["url"]: row["error"] for row in Database(tmp_path / "a.db").query(
        "select url, error from fetches where outcome = 'error'")}
    assert "resolves to private address 10.0.0.7" in errors["http://intranet.example.test/a"]
    assert "resolves to loopback address 127.0.0.1" in errors["http://cdn.example.test/b"]
    assert "does not resolve" in errors["http://unknown.example.test/c"]
    assert "off-site host elsewhere.test" in errors["http://elsewhere.test/d"]
    assert "off-site private address 172.16.0.1" in errors["http://172.16.0.1/e"]
    assert len(errors) == 5 and " 3 new," in result.stdout


# --- export paths ------------------------------------------------------------------------

HOSTILE_TITLES = ["../../../etc/passwd", "a/b/../../c", "/absolute/path", "..\\..\\windows", "CON", "\x00nul"]


def test_markdown_export_stays_in_its_folder(tmp_path):
    db_path = tmp_path / "a.db"
    archive = Archive(db_path)
    urls = ["http://127.0.0.1/../../etc/passwd", "http://127.0.0.1/%2e%2e/%2e%2e/x", "http://127.0.0.1/a/..%2f..%2fb"]
    for index, title in enumerate(HOSTILE_TITLES):
        url = urls[index % len(urls)] + f"?n={index}"
        html = article_html(title.replace("\x00", ""), "A body long enough to be an article. " * 12)
        article = ArticlePage(url, html).to_article().to_dict()
        article["title"] = title
        assert archive.record(Fetch(url=url, status=200, body=html.encode(), article=article)) == "new"
    archive.db.execute("update articles set site = '../..'")  # a site name cannot escape either
    archive.db.conn.commit()
    archive.db.close()
    out = tmp_path / "export" / "md"
    out.parent.mkdir()
    result = archiver("export", "--db", db_path, "-f", "markdown", "-o", out)
    assert result.returncode == 0, result.stderr
    files = [path for path in (tmp_path / "export").rglob("*.md")]
    assert len(files) == len(HOSTILE_TITLES)
    for path in files:
        assert path.resolve().is_relative_to(out.resolve()) and ".." not in path.relative_to(out).parts
    assert set(os.listdir(tmp_path)) <= {"a.db", "a.db-shm", "a.db-wal", "export"}
    assert os.listdir(tmp_path / "export") == ["md"] and not Path("/absolute/path").exists()


# --- SQL ------------------------------------------------------------------------------

#: Names that may be interpolated into SQL: table and column names and placeholders made by code,
#: and fragments built from them (``where`` clauses whose values are all parameters).
SQL_NAMES = {"table", "columns", "marks", "verb", "assignments", "pk", "sql", "matches", "where"}
SQL_CALLS = {"execute", "executemany", "executescript", "query"}


def test_no_sql_is_built_from_values():
    """Every f-string given to execute/query interpolates only names from code; values are parameters."""
    found = []
    for path in [*(REPO / "src").rglob("*.py"), *(REPO / "scrapers").rglob("*.py"), *(REPO / "archive").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS):
                continue
            if node.args and isinstance(node.args[0], ast.JoinedStr):
                for part in node.args[0].values:
                    if isinstance(part, ast.FormattedValue):
                        name = ast.unparse(part.value)
                        found.append(name)
                        assert name in SQL_NAMES or name.startswith("' and '.join("), f"{path}:{node.lineno}: {name}"
    assert found  # the scan saw the write path's statements
