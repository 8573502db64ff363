"""The demo news site "The Meridian Ledger", served on localhost.

Two editions of the same site let the crawler, parser and archive be tested
end to end without internet: see :func:`build_manifest` for what changes.

- :class:`DemoSite`: renders one edition; ``get(path)`` -> (status, type, body).
- :class:`DemoServer`: serves it over HTTP; ``set_edition(2)`` switches in place.
- :func:`build_manifest`: the expected archive contents for both editions.
"""

from archiver.demo.manifest import build_manifest
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

__all__ = ["DemoServer", "DemoSite", "build_manifest"]
