"""Sites as configuration: TOML files that say where and how to crawl each site.

A site file holds one or more ``[[site]]`` tables (``archiver.toml``, ``sites/*.toml``)::

    [[site]]
    name = "cipherbrief"
    base_url = "https://www.thecipherbrief.com"
    sitemaps = ["/sitemap_index.xml"]
    feeds = ["/feed"]
    article_pattern = '^/article/[^/]+/[^/]+/?$'
    revisit = "1h until 1d, 1d until 7d, 7d"

Start URLs may be relative to ``base_url``; ``article_pattern`` and ``follow_pattern``
are searched in a URL's path (and query), so one entry works on a mirror or a local
copy of the site by changing ``base_url`` alone. Every error names the file and field.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from archiver.plan.revisit import ALWAYS, DEFAULT_REVISIT, RevisitPolicy
from archiver.errors import ArchiverError

#: Where ``archiver crawl`` looks for site files, relative to the working directory.
DEFAULT_SITE_FILES = ("archiver.toml", "sites")
#: The site files shipped in the package: their sites are found by name from any folder.
SHIPPED_SITES = Path(__file__).with_name("shipped_sites")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class SiteConfigError(ArchiverError):
    """A site file is wrong or incomplete; the message names the file and the field."""


@dataclass(frozen=True)
class Site:
    """One site to crawl: where to start, what an article is, how often to come back."""

    name: str
    start_urls: tuple[str, ...]
    base_url: str = ""
    allowed_domains: tuple[str, ...] = ()
    article_pattern: str | None = None
    follow_pattern: str | None = None
    revisit: RevisitPolicy = field(default_factory=lambda: RevisitPolicy.parse(DEFAULT_REVISIT))
    max_depth: int = 2
    parser_profile: str | None = None
    #: The :class:`archiver.parser.profiles.Profile` that ``parser_profile`` names (None: picked by host).
    profile: object = None
    contact: str | None = None
    user_agent: str | None = None
    source: str = ""

    def agent(self, default: str) -> str:
        """The user agent: the site's own, or ``default`` with the contact URL in it."""
        if self.user_agent or not self.contact:
            return self.user_agent or default
        if "(+" in default:  # the contact URL in "name/version (+URL; comment)"
            return re.sub(r"\(\+[^;)]*", lambda _: f"(+{self.contact}", default, count=1)
        return f"{default} (+{self.contact})"


# --- reading site files ------------------------------------------------------------------

#: Field name -> (type, required); start URL lists are checked together.
FIELDS = {
    "name": (str, True),
    "base_url": (str, False),
    "home": (str, False),
    "sitemaps": (list, False),
    "feeds": (list, False),
    "listings": (list, False),
    "robots_sitemaps": (bool, False),
    "allowed_domains": (list, False),
    "article_pattern": (str, False),
    "follow_pattern": (str, False),
    "revisit": (str, False),
    "max_depth": (int, False),
    "parser_profile": (str, False),
    "contact": (str, False),
    "user_agent": (str, False),
}
START_FIELDS = ("home", "sitemaps", "feeds", "listings")


def site_files(paths: list[str | Path] | None = None, root: str | Path = ".") -> list[Path]:
    """The site files: each of ``paths`` (a folder means its ``*.toml``), or the defaults under ``root``."""
    if paths:
        found = []
        for path in map(Path, paths):
            if path.is_dir():
                found += sorted(path.glob("*.toml"))
            elif path.is_file():
                found.append(path)
            else:
                raise SiteConfigError(f"{path}: no such site file or folder")
        return found
    root = Path(root)
    found = [root / DEFAULT_SITE_FILES[0]] if (root / DEFAULT_SITE_FILES[0]).is_file() else []
    return found + sorted((root / DEFAULT_SITE_FILES[1]).glob("*.toml"))


def load_sites(paths: list[str | Path] | None = None, root: str | Path = ".") -> dict[str, Site]:
    """Every site of the site files, by name; :class:`SiteConfigError` on the first problem."""
    sites: dict[str, Site] = {}
    for path in site_files(paths, root):
        for site in load_site_file(path):
            if site.name in sites:
                raise SiteConfigError(f"{path}: site {site.name!r}: name already used in {sites[site.name].source}")
            sites[site.name] = site
    return sites


def shipped_sites() -> dict[str, Site]:
    """The sites shipped with archiver (``archiver/plan/shipped_sites/*.toml``), by name."""
    return load_sites([SHIPPED_SITES])


def with_shipped(configured: dict[str, Site]) -> dict[str, Site]:
    """Every site a name can pick: the ``configured`` ones, then the shipped ones of other names."""
    return {**configured, **{name: site for name, site in shipped_sites().items() if name not in configured}}


def available_sites(paths: list[str | Path] | None = None, root: str | Path = ".") -> dict[str, Site]:
    """:func:`with_shipped` of the sites the site files configure."""
    return with_shipped(load_sites(paths, root))


def is_shipped(site: Site) -> bool:
    """Whether ``site`` comes from a site file shipped with archiver."""
    return Path(site.source).parent == SHIPPED_SITES


def site_table(paths: list[str | Path] | None = None, root: str | Path = ".") -> list[dict]:
    """The configured and the shipped sites, one row each: name, where it comes from, base URL, revisit policy.

    A configured site that has a shipped one's name replaces it, and says so.
    """
    shipped = shipped_sites()
    rows = []
    for site in with_shipped(load_sites(paths, root)).values():
        source = "shipped with archiver" if is_shipped(site) else site.source
        if site.name in shipped and not is_shipped(site):
            source += " (instead of the shipped one)"
        base = site.base_url or "{0.scheme}://{0.netloc}".format(urlsplit(site.start_urls[0]))
        rows.append({"name": site.name, "from": source, "base URL": base, "revisit": site.revisit.text})
    return rows


def profile_for(url: str, sites) -> object:
    """The parser profile that the first of ``sites`` crawling ``url``'s host names (None: none names one)."""
    host = (urlsplit(url).hostname or "").lower()
    for site in sites:
        if site.profile is not None and any(host == d or host.endswith(f".{d}") for d in site.allowed_domains):
            return site.profile
    return None


def load_site_file(path: str | Path) -> list[Site]:
    """The sites of one TOML file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise SiteConfigError(f"{path}: cannot read it: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise SiteConfigError(f"{path}: not valid TOML: {error}") from error
    extra = sorted(set(data) - {"site"})
    if extra:
        raise SiteConfigError(f"{path}: unknown top-level field {extra[0]!r} (sites go in [[site]] tables)")
    tables = data.get("site")
    if not isinstance(tables, list) or not tables:
        raise SiteConfigError(f"{path}: no [[site]] table")
    return [site_from_table(table, path, index) for index, table in enumerate(tables, 1)]


def site_from_table(table: dict, path: str | Path = "", index: int = 1) -> Site:
    """A :class:`Site` from the ``index``-th ``[[site]]`` table of the file at ``path``."""
    label = repr(table["name"]) if isinstance(table.get("name"), str) else f"#{index}"
    where = f"{path}: site {label}"
    for key, value in table.items():
        if key not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; the fields are: {', '.join(FIELDS)}"
            raise SiteConfigError(f"{where}: unknown field {key!r}{hint}")
        kind = FIELDS[key][0]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise SiteConfigError(f"{where}: field {key!r} must be a {_TYPE_NAMES[kind]}, not {value!r}")
        if kind is list and not all(isinstance(item, str) for item in value):
            raise SiteConfigError(f"{where}: field {key!r} must be a list of strings")
    for key, (_, required) in FIELDS.items():
        if required and key not in table:
            raise SiteConfigError(f"{where}: missing field {key!r}")
    name = table["name"]
    if not NAME_RE.match(name):
        raise SiteConfigError(f"{where}: field 'name' must be lower-case letters, digits, '-' or '_', not {name!r}")
    start_urls = _start_urls(table, where)
    return Site(
        name=name,
        start_urls=start_urls,
        base_url=table.get("base_url", ""),
        allowed_domains=tuple(table.get("allowed_domains") or _hosts(start_urls)),
        article_pattern=_pattern(table, "article_pattern", where),
        follow_pattern=_pattern(table, "follow_pattern", where),
        revisit=_policy(table.get("revisit", DEFAULT_REVISIT), where),
        max_depth=_max_depth(table, where),
        parser_profile=table.get("parser_profile"),
        profile=_profile(table, path, where),
        contact=_contact(table, where),
        user_agent=table.get("user_agent"),
        source=str(path),
    )


_TYPE_NAMES = {str: "string", list: "list of strings", bool: "boolean (true or false)", int: "whole number"}


def _start_urls(table: dict, where: str) -> tuple[str, ...]:
    """The start URLs, absolute: home, listings, sitemaps, feeds, and robots.txt when asked."""
    base = table.get("base_url", "")
    if base and not _is_http(base):
        raise SiteConfigError(f"{where}: field 'base_url' must be an http(s) URL, not {base!r}")
    urls = []
    for key in ("home", "listings", "sitemaps", "feeds"):
        values = table.get(key, [])
        for value in [values] if isinstance(values, str) else values:
            url = urljoin(base.rstrip("/") + "/", value) if base else value
            if not _is_http(url):
                needs = "" if base else " (or set 'base_url' for relative paths)"
                raise SiteConfigError(f"{where}: field {key!r}: {value!r} is not an http(s) URL{needs}")
            urls.append(url)
    if table.get("robots_sitemaps"):
        if not base:
            raise SiteConfigError(f"{where}: field 'robots_sitemaps' needs 'base_url'")
        urls.append(urljoin(base, "/robots.txt"))
    if not urls:
        raise SiteConfigError(f"{where}: missing start URLs: give at least one of {', '.join(map(repr, START_FIELDS))}")
    return tuple(dict.fromkeys(urls))


def _is_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _hosts(urls) -> list[str]:
    """Host names (no port) of ``urls``, in order."""
    return list(dict.fromkeys(urlsplit(url).hostname for url in urls))


def _pattern(table: dict, key: str, where: str) -> str | None:
    """A regular expression field, compiled once to check it."""
    value = table.get(key)
    if value is None:
        return None
    try:
        re.compile(value)
    except re.error as error:
        raise SiteConfigError(f"{where}: field {key!r}: not a valid regular expression: {error}") from error
    return value


def _policy(text: str, where: str) -> RevisitPolicy:
    try:
        return RevisitPolicy.parse(text)
    except ValueError as error:
        raise SiteConfigError(
            f"{where}: field 'revisit': {error} (write e.g. {DEFAULT_REVISIT!r}, {ALWAYS!r} or 'never')"
        ) from error


def _max_depth(table: dict, where: str) -> int:
    depth = table.get("max_depth", 2)
    if not 0 <= depth <= 10:
        raise SiteConfigError(f"{where}: field 'max_depth' must be between 0 and 10, not {depth}")
    return depth


def _profile(table: dict, path, where: str):
    """The parser profile named by ``parser_profile``: a shipped profile's host, or a TOML file."""
    from archiver.parser import profiles

    name = table.get("parser_profile")
    if name is None:
        return None
    if name.endswith(".toml"):
        try:
            return profiles.load(Path(path).parent / name)
        except profiles.ProfileError as error:
            raise SiteConfigError(f"{where}: field 'parser_profile': {error}") from error
    profile = profiles.for_url(f"https://{name}/")
    if profile is None:
        known = ", ".join(sorted({p.host for p in profiles.shipped().values()}))
        raise SiteConfigError(f"{where}: field 'parser_profile': no profile for {name!r} (shipped: {known}; or a .toml file)")
    return profile


def _contact(table: dict, where: str) -> str | None:
    contact = table.get("contact")
    if contact is not None and not (_is_http(contact) or contact.startswith("mailto:")):
        raise SiteConfigError(f"{where}: field 'contact' must be an http(s) or mailto: URL, not {contact!r}")
    return contact
