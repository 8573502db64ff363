"""Metadata on small hand-written pages: headline, byline and publication date."""

from __future__ import annotations

import pytest

from archiver.parser import metadata, tree


def meta(head: str = "", body: str = "", url: str = "http://example.com/a"):
    """The metadata of a page made of ``head`` and ``body``."""
    return metadata.extract(tree.parse(f"<html><head>{head}</head><body>{body}</body></html>"), url)


# --- title ---------------------------------------------------------------------------------

def test_title_entities_left_escaped_in_metadata_are_decoded():
    head = "<meta property='og:title' content='Tools &amp;#8211; Tips &amp;amp; Tricks'>"
    assert meta(head).title == "Tools – Tips & Tricks"


def test_title_short_section_tail_is_dropped():
    assert meta("<title>How meditation rewires brains | Opinion</title>").title == "How meditation rewires brains"


def test_title_tail_of_many_words_is_kept():
    title = "Best movers in town - Top local and long distance picks"
    assert meta(f"<title>{title}</title>").title == title


def test_title_suffix_removed_where_the_h1_ends():
    page = meta("<title>Ten tips for gardens - Green Thumb Weekly</title>", "<h1>Ten tips for gardens</h1>")
    assert page.title == "Ten tips for gardens"
