"""Where a crawl may go: its own sites, never an internal network (no Scrapy needed).

A sitemap, a feed, a link or a redirect can name any URL; :class:`NetGuard` says
whether the crawler may request it, before any connection is made:

- only ``http`` and ``https`` (never ``file:``, ``ftp:``, ``data:`` ...);
- only hosts of the site: a host the user named in a start URL, or a host in (or under)
  the site's ``allowed_domains``; everything else is off-site;
- never a private, loopback, link-local, multicast or reserved address (10.0.0.0/8,
  127.0.0.1, 169.254.169.254, ::1 ...), unless the site names that host or address
  itself: a start URL's host, an ``allowed_domains`` entry, or a network there
  (``"10.0.0.0/8"``). A sub-domain the site did not name is resolved, with the
  injectable ``resolver``, and refused if any of its addresses is private.

:meth:`NetGuard.refusal` returns the reason as one readable line, or None.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

#: ``resolver(host) -> addresses``; raises ``OSError`` when the name does not resolve.
Resolver = Callable[[str], list[str]]

SCHEMES = ("http", "https")


def system_resolver(host: str) -> list[str]:
    """The addresses of ``host`` from the operating system's resolver."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})


def table_resolver(table: dict[str, str | list[str]], fallback: Resolver | None = None) -> Resolver:
    """A resolver that answers from ``table`` (host -> addresses), else asks ``fallback``.

    Without a fallback, a name not in the table does not resolve: nothing is asked of DNS.
    """

    def resolve(host: str) -> list[str]:
        if host in table:
            value = table[host]
            return [value] if isinstance(value, str) else list(value)
        if fallback is None:
            raise OSError(f"{host} is not in the hosts table")
        return fallback(host)

    return resolve


def resolver_from_setting(value: str | dict | None) -> Resolver:
    """The resolver a setting asks for: a hosts table (a dict or its JSON) answering alone, or the system's."""
    if not value:
        return system_resolver
    table = json.loads(value) if isinstance(value, str) else dict(value)
    return table_resolver(table)


def ip_of(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address when ``host`` is a literal IP (``[::1]`` brackets allowed), else None."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def special_kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is not on the public internet (``loopback``, ``private`` ...), or None."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    for kind in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    if not address.is_global:
        return "non-global"
    return None


class NetGuard:
    """Which URLs a site's crawl may request (see the module docstring)."""

    def __init__(self, start_urls: Iterable[str] = (), allowed_domains: Iterable[str] = (),
                 resolver: Resolver = system_resolver):
        self.named: set[str] = {host for host in map(_host, start_urls) if host}
        self.domains: list[str] = []
        self.networks: list = []
        for entry in allowed_domains:
            entry = entry.strip().lower().rstrip(".")
            if "/" in entry:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            elif entry:
                self.named.add(entry)
                self.domains.append(entry)
        if not self.domains:  # default: the start URLs' hosts, and their sub-domains
            self.domains = [host.removeprefix("www.") for host in self.named if ip_of(host) is None]
        self.resolver = resolver
        self._resolved: dict[str, str | None] = {}

    def refusal(self, url: str) -> str | None:
        """Why ``url`` may not be requested, as one line; None when it may."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").rstrip(".")
        except ValueError as error:
            return f"refused: not a valid URL ({error})"
        if parts.scheme not in SCHEMES:
            return f"refused: {parts.scheme or 'no'} scheme (only http and https are crawled)"
        if not host:
            return "refused: no host in the URL"
        if host in self.named:
            return None
        address = ip_of(host)
        if address is not None:
            return self._address_refusal(host, address)
        if not self._under_domains(host):
            return f"refused: off-site host {host} (allowed: {', '.join(sorted(self.named)) or 'none'})"
        return self._resolved_refusal(host)

    def allows(self, url: str) -> bool:
        return self.refusal(url) is None

    def _address_refusal(self, host: str, address) -> str | None:
        """A literal address: allowed only inside a network the site names."""
        if any(address in network for network in self.networks):
            return None
        kind = special_kind(address)
        what = f"{kind} address {host}" if kind else f"address {host}"
        return f"refused: off-site {what} (allowed: {', '.join(sorted(self.named)) or 'none'})"

    def _resolved_refusal(self, host: str) -> str | None:
        """A sub-domain of an allowed domain: refused when any of its addresses is private."""
        if host not in self._resolved:
            self._resolved[host] = self._check_addresses(host)
        return self._resolved[host]

    def _check_addresses(self, host: str) -> str | None:
        try:
            addresses = self.resolver(host)
        except OSError as error:
            return f"refused: {host} does not resolve ({error})"
        for text in addresses:
            address = ip_of(text)
            if address is None:
                return f"refused: {host} resolves to {text!r}, not an address"
            kind = special_kind(address)
            if kind and not any(address in network for network in self.networks):
                return f"refused: {host} resolves to {kind} address {text}"
        return None

    def needs_lookup(self, url: str) -> bool:
        """Whether :meth:`refusal` would call the resolver for ``url`` (a name not checked yet)."""
        try:
            host = (urlsplit(url).hostname or "").rstrip(".")
        except ValueError:
            return False
        return (bool(host) and host not in self.named and host not in self._resolved and ip_of(host) is None
                and self._under_domains(host))

    def _under_domains(self, host: str) -> bool:
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""
