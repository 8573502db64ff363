"""Kept for code written against ``archiver.store``: the store is :mod:`archiver.archive.store`."""

from archiver.archive.store import Archive, ArchiveError, Fetch

__all__ = ["Archive", "ArchiveError", "Fetch"]
