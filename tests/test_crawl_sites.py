"""Sites as configuration: site files, their errors, and the Cipher Brief entry on the demo site."""

import re
import tomllib

import pytest
from sqlite_utils import Database

from archiver.demo import DemoServer, DemoSite
from demo_traffic import Traffic, sitemap_index
from archiver.plan.sites import SHIPPED_SITES, SiteConfigError, load_site_file, load_sites, shipped_sites
from conftest import REPO, archiver, run_cli

SHIPPED = SHIPPED_SITES / "cipherbrief.toml"
FAST = ("--set", "AUTOTHROTTLE_ENABLED=0")


def local_copy(tmp_path, base_url, name="cipherbrief.toml", **changes):
    """The shipped Cipher Brief entry with its base URL changed, same patterns; other fields
    replaced (TOML values), added, or removed (None)."""
    text = SHIPPED.read_text()
    text = text.replace('"https://www.thecipherbrief.com"', f'"{base_url}"')
    text = text.replace('allowed_domains = ["thecipherbrief.com"]', 'allowed_domains = ["127.0.0.1"]')
    for field, value in changes.items():
        line = "" if value is None else f"{field} = {value}\n"
        text, found = re.subn(rf"(?m)^{field} = .*\n", line, text)
        text += line if not found else ""
    path = tmp_path / name
    path.write_text(text)
    return path


def brief_urls(server, edition=1):
    """The demo articles with the Cipher Brief's URL shape: /article/<section>/<slug>."""
    return {url for url in DemoSite(edition, server.base_url).article_urls() if "/article/" in url}


def archived(db_path):
    return {row["url"] for row in Database(db_path)["articles"].rows}


def test_shipped_cipherbrief_entry():
    site = shipped_sites()["cipherbrief"]
    assert site.start_urls == (
        "https://www.thecipherbrief.com/",
        "https://www.thecipherbrief.com/sitemap_index.xml",
        "https://www.thecipherbrief.com/feed",
        "https://www.thecipherbrief.com/robots.txt",
    )
    assert site.allowed_domains == ("thecipherbrief.com",)
    pattern = re.compile(site.article_pattern)
    assert pattern.search("/article/middle-east/a-slug") and pattern.search("/article/asia/b/")
    assert not pattern.search("/article/") and not pattern.search("/about/") and not pattern.search("/article/a/b/c")
    assert "(+https://github.com/archiver/archiver" in site.agent("archiver/0.1 (+https://example.org; research)")
    assert site.profile.host == "www.thecipherbrief.com"  # the parser's profile, whatever base_url says


def test_shipped_site_found_by_name_from_any_folder(tmp_path, monkeypatch):
    from archiver.plan.crawls import plan_crawls

    monkeypatch.chdir(tmp_path)  # no site files here
    (job,) = plan_crawls("cipherbrief", [])
    assert job.site.start_urls[0] == "https://www.thecipherbrief.com/" and job.site.source == str(SHIPPED)


def test_own_site_file_of_a_shipped_name_wins(tmp_path, monkeypatch):
    from archiver.plan.crawls import plan_crawls

    (tmp_path / "sites").mkdir()
    local_copy(tmp_path / "sites", "http://127.0.0.1:8000")
    monkeypatch.chdir(tmp_path)
    (job,) = plan_crawls("cipherbrief", [])
    assert job.site.start_urls[0] == "http://127.0.0.1:8000/"


def test_shipped_site_files_are_package_data():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "plan/shipped_sites/*.toml" in pyproject["tool"]["setuptools"]["package-data"]["archiver"]
    assert SHIPPED.is_file() and not (REPO / "sites" / "cipherbrief.toml").exists()


def test_sites_lists_configured_and_shipped_sites(tmp_path):
    assert run_cli("sites", cwd=tmp_path).stdout == (
        "name         from                   base URL                        revisit\n"
        "cipherbrief  shipped with archiver  https://www.thecipherbrief.com  1h until 1d, 1d until 7d, 7d\n"
    )
    (tmp_path / "sites").mkdir()
    local_copy(tmp_path / "sites", "http://127.0.0.1:8000", revisit='"always"')
    (tmp_path / "archiver.toml").write_text('[[site]]\nname = "example"\nfeeds = ["https://example.com/feed"]\n')
    result = run_cli("sites", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.splitlines() == [
        "name         from                                                 base URL               revisit",
        "example      archiver.toml                                        https://example.com    1h until 1d, 1d until 7d, 7d",
        "cipherbrief  sites/cipherbrief.toml (instead of the shipped one)  http://127.0.0.1:8000  always",
    ]


def test_sites_with_a_wrong_site_file_says_which(tmp_path):
    (tmp_path / "bad.toml").write_text("[[site]]\nname = 'a'\n")
    result = run_cli("sites", "--site-file", tmp_path / "bad.toml", cwd=tmp_path)
    assert result.returncode == 1 and "bad.toml: site 'a': missing start URLs" in result.stderr


def test_default_site_files_are_archiver_toml_and_sites_folder(tmp_path):
    (tmp_path / "sites").mkdir()
    (tmp_path / "archiver.toml").write_text('[[site]]\nname = "a"\nhome = "https://a.test/"\n')
    (tmp_path / "sites" / "b.toml").write_text('[[site]]\nname = "b"\nfeeds = ["https://b.test/feed"]\n')
    sites = load_sites(root=tmp_path)
    assert list(sites) == ["a", "b"]
    assert sites["b"].allowed_domains == ("b.test",)
    assert sites["a"].revisit.text == "1h until 1d, 1d until 7d, 7d"


BAD_FILES = [
    ("[[site]]\nhome = 'https://a.test/'\n", "site #1: missing field 'name'"),
    ("[[site]]\nname = 'a'\n", "site 'a': missing start URLs"),
    ("[[site]]\nname = 'a'\nhome = 'https://a.test/'\nsitemap = ['/s.xml']\n", "unknown field 'sitemap' (did you mean 'sitemaps'?)"),
    ("[[site]]\nname = 'a'\nsitemaps = '/s.xml'\n", "field 'sitemaps' must be a list of strings"),
    ("[[site]]\nname = 'a'\nsitemaps = ['/s.xml']\n", "field 'sitemaps': '/s.xml' is not an http(s) URL (or set 'base_url'"),
    ("[[site]]\nname = 'a'\nhome = 'https://a.test/'\narticle_pattern = '(['\n", "field 'article_pattern': not a valid regular expression"),
    ("[[site]]\nname = 'a'\nhome = 'https://a.test/'\nrevisit = 'hourly'\n", "field 'revisit': 'hourly' is not a duration"),
    ("[[site]]\nname = 'a'\nhome = 'https://a.test/'\nmax_depth = 'two'\n", "field 'max_depth' must be a whole number"),
    ("[[site]]\nname = 'A b'\nhome = 'https://a.test/'\n", "field 'name' must be lower-case"),
    ("[[site]]\nname = 'a'\nhome = 'https://a.test/'\nparser_profile = 'nosuch.test'\n", "field 'parser_profile': no profile for 'nosuch.test'"),
    ("[site]\nname = 'a'\n", "no [[site]] table"),
    ("[[site]\nname = 'a'\n", "not valid TOML"),
    ("name = 'a'\n", "unknown top-level field 'name'"),
]


@pytest.mark.parametrize("text, message", BAD_FILES)
def test_wrong_site_file_names_file_and_field(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(SiteConfigError) as error:
        load_site_file(path)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)


def test_wrong_site_file_is_one_clear_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[[site]]\nname = 'a'\nhome = 'https://a.test/'\nmax_dept = 2\n")
    result = archiver("crawl", "--db", tmp_path / "a.db", "--site-file", path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"Error: {path}: site 'a': unknown field 'max_dept' (did you mean 'max_depth'?)"
    assert not (tmp_path / "a.db").exists()


def test_unknown_site_name(tmp_path):
    result = archiver("crawl", "nosuch", "--db", tmp_path / "a.db", "--site-file", SHIPPED)
    assert result.returncode == 1
    assert "no site 'nosuch' configured" in result.stderr and "cipherbrief" in result.stderr


def test_cipherbrief_entry_crawls_the_brief_template(tmp_path):
    """Sitemap index -> sitemap, feed, home page and robots.txt; only /article/<section>/<slug> archived."""
    db_path = tmp_path / "brief.db"
    with DemoServer(edition=1) as server:
        traffic = Traffic(server, answers={"/sitemap_index.xml": sitemap_index(f"{server.base_url}/sitemap.xml")})
        site_file = local_copy(tmp_path, server.base_url)
        result = archiver("crawl", "cipherbrief", "--db", db_path, "--site-file", site_file, *FAST)
        expected = brief_urls(server)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # quiet without a terminal
    assert result.stdout.startswith(f"crawl 1 (cipherbrief) finished: {len(expected)} pages, {len(expected)} new")
    assert archived(db_path) == expected
    paths = {seen.path for seen in traffic.requests}
    assert {"/sitemap_index.xml", "/sitemap.xml", "/feed", "/", "/robots.txt"} <= paths
    assert not any(path.startswith(("/news/", "/blog/")) for path in paths)  # not articles: never requested
    assert all("(+https://github.com/archiver/archiver" in seen.user_agent for seen in traffic.requests)
    crawl = Database(db_path)["crawls"].get(1)
    assert (crawl["spider"], crawl["status"], crawl["errors"]) == ("cipherbrief", "finished", 0)


@pytest.mark.parametrize(
    "fields",
    [
        {"home": None, "feeds": None, "robots_sitemaps": None, "sitemaps": '["/sitemap.xml"]'},
        {"home": '"/"', "feeds": None, "robots_sitemaps": None, "sitemaps": None,
         "follow_pattern": "'^/section/'", "max_depth": "5"},
        {"home": None, "feeds": None, "robots_sitemaps": "true", "sitemaps": None},
    ],
    ids=["sitemap", "listing-pages", "robots-txt"],
)
def test_each_discovery_finds_every_article(tmp_path, fields):
    db_path = tmp_path / "d.db"
    with DemoServer(edition=1) as server:
        site_file = local_copy(tmp_path, server.base_url, **fields)
        result = archiver("crawl", "--db", db_path, "--site-file", site_file, *FAST)
        expected = brief_urls(server)
    assert result.returncode == 0, result.stderr
    assert archived(db_path) == expected
    assert f" {len(expected)} new," in result.stdout


def test_feed_finds_every_article_it_lists(tmp_path):
    db_path = tmp_path / "feed.db"
    with DemoServer(edition=1) as server:
        site_file = local_copy(tmp_path, server.base_url, home=None, sitemaps=None, robots_sitemaps=None)
        result = archiver("crawl", "--db", db_path, "--site-file", site_file, *FAST)
        _, _, feed = DemoSite(1, server.base_url).get("/feed")
        listed = set(re.findall(r"<link>([^<]+/article/[^<]+)</link>", feed.decode()))
    assert result.returncode == 0, result.stderr
    assert listed and archived(db_path) == listed


def test_crawl_without_name_crawls_every_configured_site(tmp_path):
    db_path = tmp_path / "all.db"
    with DemoServer(edition=1) as server:
        Traffic(server, answers={"/sitemap_index.xml": sitemap_index(f"{server.base_url}/sitemap.xml")})
        folder = tmp_path / "sites"
        folder.mkdir()
        local_copy(folder, server.base_url, robots_sitemaps=None)
        blog = tomllib.loads(SHIPPED.read_text())["site"][0]
        (folder / "blog.toml").write_text(
            f'[[site]]\nname = "meridian-blog"\nbase_url = "{server.base_url}"\nsitemaps = ["/sitemap.xml"]\n'
            f"article_pattern = '^/blog/'\ncontact = \"{blog['contact']}\"\n"
        )
        result = archiver("crawl", "--db", db_path, *FAST, cwd=tmp_path)
        expected = {url for url in DemoSite(1, server.base_url).article_urls() if "/news/" not in url}
    assert result.returncode == 0, result.stderr
    names = sorted(re.findall(r"^crawl \d \(([a-z-]+)\) finished: ", result.stdout, re.M))
    assert names == ["cipherbrief", "meridian-blog"]
    assert archived(db_path) == expected
