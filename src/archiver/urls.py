"""Canonical URLs: one article, one key, however the page was linked."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters that say how a reader arrived, never which page it is.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "cmpid",
        "ncid",
        "ocid",
        "smid",
    }
)

DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    """True for utm_* and the other known tracking parameters."""
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


def canonical_url(url: str) -> str:
    """The article key for ``url``.

    Lower-case scheme and host, default port and fragment dropped, tracking
    parameters removed, remaining parameters sorted, empty path made ``/``.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def site_of(url: str) -> str:
    """The host an article belongs to, lower-case, with a non-default port."""
    return urlsplit(canonical_url(url)).netloc


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on the same host (ignoring a leading ``www.``)."""

    def bare(u: str) -> str:
        host = site_of(u)
        return host[4:] if host.startswith("www.") else host

    return bare(url) == bare(other)
