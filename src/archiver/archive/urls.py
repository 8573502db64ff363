"""Canonical URLs: one article, one key, however the page was linked."""

from __future__ import annotations

from functools import lru_cache
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

#: Query parameters that ask for the AMP or print rendering of the same article.
VARIANT_PARAMS = {"amp": None, "outputtype": {"amp"}, "print": None, "view": {"print", "amp"}, "output": {"print", "amp"}}
#: Last path segments that name the AMP or print rendering of the article before them.
VARIANT_SEGMENTS = ("amp", "print")


def _is_tracking(name: str) -> bool:
    """True for utm_* and the other known tracking parameters."""
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


def _is_variant(name: str, value: str) -> bool:
    """True for ``?amp``, ``?outputType=amp``, ``?print=1`` and the like."""
    allowed = VARIANT_PARAMS.get(name.lower(), False)
    if allowed is False:
        return False
    return allowed is None or value.lower() in allowed


def _fold_variant_path(path: str) -> str:
    """``/story/amp/`` and ``/amp/story`` become ``/story``; ``/story/print`` too."""
    segments = path.split("/")
    trailing = path.endswith("/")
    body = [s for s in segments if s]
    if len(body) > 1 and body[-1].lower() in VARIANT_SEGMENTS:
        body = body[:-1]
    elif len(body) > 1 and body[0].lower() == "amp":
        body = body[1:]
    else:
        return path
    return "/" + "/".join(body) + ("/" if trailing else "")


def _netloc(parts, scheme: str) -> str:
    """Lower-case host without ``amp.`` and without the scheme's default port."""
    host = (parts.hostname or "").lower()
    if host.startswith("amp.") and host.count(".") >= 2:
        host = host[4:]
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # a port that is not a number 0-65535: keep it as written
        return parts.netloc.lower()
    return host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"


@lru_cache(maxsize=4096)
def canonical_url(url: str) -> str:
    """The article key for ``url`` (remembered for recent URLs: one page asks several times).

    Lower-case scheme and host, default port and fragment dropped, tracking
    parameters removed, AMP and print variants folded into their article
    (``/amp`` path segments, an ``amp.`` host, ``?amp``, ``?outputType=amp``,
    ``?print=1``), remaining parameters sorted, empty path made ``/``.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unbalanced IPv6 bracket: nothing to normalise
        return url.strip()
    scheme = parts.scheme.lower()
    netloc = _netloc(parts, scheme)
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(k) and not _is_variant(k, v)
    )
    return urlunsplit((scheme, netloc, _fold_variant_path(parts.path) or "/", urlencode(query), ""))


def site_of(url: str) -> str:
    """The host an article belongs to, lower-case, with a non-default port."""
    return urlsplit(canonical_url(url)).netloc


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on the same host (ignoring a leading ``www.``)."""

    def bare(u: str) -> str:
        host = site_of(u)
        return host[4:] if host.startswith("www.") else host

    return bare(url) == bare(other)
