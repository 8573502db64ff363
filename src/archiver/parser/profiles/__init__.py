"""Per-site profiles: CSS selectors, as data, that override the generic parsing rules.

A profile is one TOML file in this folder, keyed by host::

    host = "www.example.com"          # the host it applies to (a leading www. is optional)
    aliases = ["example.com"]         # other hosts of the same site

    [selectors]                       # each value: one CSS selector or a list of them
    title = "h1.headline"             # text of the first match replaces the generic title
    byline = ".byline a"              # one name per match (split on "and", commas...)
    published = "time.pubdate"        # datetime / content attribute, else text, as ISO 8601
    bio = ".author-intro"             # one bio per match, taken out of the page
    body = ".article-body"            # the article: all matches, in page order
    related_links = ".related"        # blocks whose same-site links are related links
    remove = [".overlay"]             # taken out first, recorded as boilerplate

    [boilerplate]                     # kind = selectors: taken out, recorded with that kind
    paywall = ".subscribe-gate"

A field without a selector, or whose selectors match nothing, falls back to the generic
rules. :func:`for_url` picks the profile of a URL's host; :func:`load` reads one file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from archiver.article import BOILERPLATE_KINDS
from archiver.errors import ArchiverError

FOLDER = Path(__file__).resolve().parent
#: The fields a profile may give selectors for.
FIELDS = ("title", "byline", "published", "bio", "body", "related_links", "remove")


class ProfileError(ArchiverError, ValueError):
    """A profile file that cannot be used: bad TOML, an unknown field or kind, a bad selector."""


@dataclass(frozen=True)
class Profile:
    """The selectors of one site: ``selectors`` by field, ``boilerplate`` by kind."""

    host: str
    aliases: tuple[str, ...] = ()
    selectors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    boilerplate: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def hosts(self) -> tuple[str, ...]:
        """Every host this profile applies to, without a leading ``www.``."""
        return tuple(_bare(h) for h in (self.host, *self.aliases))

    @classmethod
    def from_record(cls, record: dict) -> Profile:
        """The profile from its ``dataclasses.asdict`` form after a JSON round trip (lists for tuples)."""
        def tuples(table: dict) -> dict[str, tuple[str, ...]]:
            return {name: tuple(values) for name, values in (table or {}).items()}

        return cls(record["host"], tuple(record.get("aliases") or ()), tuples(record.get("selectors")),
                   tuples(record.get("boilerplate")))


def _bare(host: str) -> str:
    """``host`` lower-cased without a leading ``www.`` or a port."""
    host = host.strip().lower().split(":")[0]
    return host[4:] if host.startswith("www.") else host


def _selector_list(value, where: str) -> tuple[str, ...]:
    """A TOML selector value (a string or a list of strings) as a tuple."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise ProfileError(f"{where}: expected a CSS selector or a list of them")
    return tuple(v.strip() for v in values)


def from_dict(data: dict, source: str = "profile") -> Profile:
    """A :class:`Profile` from parsed TOML; ProfileError if a field or kind is unknown."""
    if not isinstance(data.get("host"), str) or not data["host"].strip():
        raise ProfileError(f"{source}: 'host' is required")
    selectors = data.get("selectors", {})
    unknown = set(selectors) - set(FIELDS)
    if unknown:
        raise ProfileError(f"{source}: unknown fields {sorted(unknown)} (known: {', '.join(FIELDS)})")
    kinds = data.get("boilerplate", {})
    unknown = set(kinds) - set(BOILERPLATE_KINDS)
    if unknown:
        raise ProfileError(f"{source}: unknown boilerplate kinds {sorted(unknown)}")
    profile = Profile(
        host=data["host"].strip(),
        aliases=tuple(data.get("aliases", ())),
        selectors={k: _selector_list(v, f"{source} [selectors] {k}") for k, v in selectors.items()},
        boilerplate={k: _selector_list(v, f"{source} [boilerplate] {k}") for k, v in kinds.items()},
    )
    check_selectors(profile, source)
    return profile


def check_selectors(profile: Profile, source: str) -> None:
    """ProfileError unless every selector of ``profile`` compiles."""
    from archiver.parser.profiles.apply import compiled

    for group in (profile.selectors, profile.boilerplate):
        for name, selectors in group.items():
            try:
                compiled(selectors)
            except Exception as exc:  # cssselect raises several error types
                raise ProfileError(f"{source}: bad selector for {name}: {exc}") from exc


def load(path: str | Path) -> Profile:
    """The profile in the TOML file at ``path``."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc
    return from_dict(data, str(path))


@lru_cache(maxsize=1)
def shipped() -> dict[str, Profile]:
    """The profiles shipped in this folder, by bare host."""
    by_host: dict[str, Profile] = {}
    for path in sorted(FOLDER.glob("*.toml")):
        profile = load(path)
        for host in profile.hosts():
            by_host[host] = profile
    return by_host


def for_url(url: str | None) -> Profile | None:
    """The shipped profile for the host of ``url`` (or of a parent domain), or None."""
    try:
        host = _bare(urlsplit(url or "").hostname or "")
    except ValueError:
        return None
    profiles = shipped()
    while host:
        if host in profiles:
            return profiles[host]
        host = host.partition(".")[2]
    return None


__all__ = ["FIELDS", "Profile", "ProfileError", "for_url", "from_dict", "load", "shipped"]
