"""The headline on small hand-written pages: keyword tails, domain names, mis-decoded text."""

from __future__ import annotations

import pytest

from archiver.parser import metadata, tree
from archiver.parser.title import strip_keywords, unescape


def headline(head: str = "", body: str = "") -> str | None:
    """The headline of a page made of ``head`` and ``body``."""
    page = f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    return metadata.extract(tree.parse(page), "http://example.com/a").title


# --- " | Keywords" -------------------------------------------------------------------------

def test_keywords_after_a_pipe_are_not_the_headline():
    head = ("<meta property='og:site_name' content='Movely'>"
            "<title>Best Movers in Town 2025 | Top 19 Companies | Movely</title>")
    assert headline(head) == "Best Movers in Town 2025"


def test_h1_with_keywords_after_a_pipe_gives_way_to_the_title_without_them():
    head = ("<meta property='og:site_name' content='Datahub'>"
            "<meta property='og:title' content='Data Tools for 2026 | Python, SQL &amp; AI | Datahub'>")
    assert headline(head, "<h1>Data Tools for 2026 | Python, SQL &amp; AI</h1>") == "Data Tools for 2026"


def test_section_of_one_word_after_a_pipe_is_kept_before_the_site_name():
    head = "<title>Get your JavaScript code covered | Code | Jane Doe</title>"
    assert headline(head) == "Get your JavaScript code covered | Code"


@pytest.mark.parametrize("title, head", [
    ("Dental Care | ONE Health Clinic", "Dental Care"),
    ("Charges | Payments API Reference", "Charges"),
    ("Ten tips for gardens", "Ten tips for gardens"),
    ("Ten tips for gardens - Growing food at home", "Ten tips for gardens - Growing food at home"),
])
def test_strip_keywords(title, head):
    assert strip_keywords(title) == head


# --- domain names --------------------------------------------------------------------------

def test_domain_name_before_the_headline_is_the_site_with_what_precedes_it():
    head = "<title>Sound Mag | SoundMag.com - The Five Best Noise-Canceling Headphones</title>"
    assert headline(head, "<h1>Pulse!</h1>") == "The Five Best Noise-Canceling Headphones"


def test_domain_name_after_a_short_headline_is_the_site():
    assert headline("<title>Game Changer - Shop.example.com</title>") == "Game Changer"


@pytest.mark.parametrize("title", ["Node.js - Run JavaScript Everywhere", "Welcome to Example.net"])
def test_names_with_a_dot_that_are_not_a_separate_domain_part_are_kept(title):
    assert headline(f"<title>{title}</title>") == title


# --- UTF-8 read as Latin-1 -----------------------------------------------------------------

@pytest.mark.parametrize("text, repaired", [
    ("A DIY Investor\u00e2\u0080\u0099s Guide", "A DIY Investor\u2019s Guide"),
    ("itertools \u00e2\u0080\u0094 Functions", "itertools \u2014 Functions"),
    ("Investor\u00e2\u20ac\u2122s Guide", "Investor\u2019s Guide"),
])
def test_utf8_read_as_latin1_is_repaired(text, repaired):
    assert unescape(text) == repaired


@pytest.mark.parametrize("text", ["Caf\u00e9 cr\u00e8me \u00e0 S\u00e3o Paulo", "\u00c2ge d'or", "na\u00efve r\u00e9sum\u00e9"])
def test_latin_text_is_left_alone(text):
    assert unescape(text) == text


def test_mis_decoded_h1_and_title_give_the_repaired_headline():
    broken = "A DIY Investor\u00e2\u0080\u0099s Guide to Retirement Calculators"
    page = headline(f"<title>{broken} | White Coat</title>", f"<h1>{broken}</h1>")
    assert page == "A DIY Investor\u2019s Guide to Retirement Calculators"
