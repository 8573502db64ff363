"""Publication dates on small hand-written pages: which of the dates a page states and shows wins."""

from __future__ import annotations

import json

import pytest

from archiver.parser import dates, metadata, tree


def published(head: str = "", body: str = "", url: str = "http://example.com/a") -> str | None:
    """The publication date of a page made of ``head`` and ``body``."""
    page = tree.parse(f"<html><head>{head}</head><body>{body}</body></html>")
    return metadata.extract(page, url).published


def meta_published(value: str) -> str:
    """A ``<meta>`` stating the publication date ``value``."""
    return f"<meta property='article:published_time' content='{value}'>"


def ld_published(value: str) -> str:
    """A JSON-LD article stating the publication date ``value``."""
    data = {"@context": "https://schema.org", "@type": "Article", "headline": "Garden tips", "datePublished": value}
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


# --- the metadata's date-time and the day a page shows -----------------------------------------

def test_shown_day_that_is_the_metadata_time_in_another_zone_keeps_the_metadata():
    body = "<h1>Garden tips</h1><p>By Ann Lee · July 4, 2025</p><p>Text.</p>"
    assert published(meta_published("2025-07-05T00:04:00+00:00"), body) == "2025-07-05T00:04:00+00:00"


def test_shown_day_no_time_zone_reaches_is_another_date():
    body = "<h1>Garden tips</h1><p>By Ann Lee · December 18, 2025</p><p>Text.</p>"
    assert published(meta_published("2025-12-19T22:02:58+00:00"), body) == "2025-12-18"


@pytest.mark.parametrize("stated, day, agree", [
    ("2025-07-05T00:04:00+00:00", "2025-07-04", True), ("2025-12-02T23:00:55+00:00", "2025-12-03", True),
    ("2025-12-19T22:02:58+00:00", "2025-12-18", False), ("2024-01-11T19:11:34-05:00", "2024-01-10", False),
    ("2025-07-05", "2025-07-04", False), ("2025-07-05T00:04:00", "2025-07-04", False),
])
def test_agrees_only_within_the_time_zones_of_the_world(stated, day, agree):
    assert dates.agrees(day, stated) is agree


def test_numeric_dateline_read_with_day_and_month_swapped_keeps_the_metadata():
    body = "<h1>Garden tips</h1><p>By Ann Lee</p><p>09.10.2024</p><p>Text.</p>"
    assert published(meta_published("2024-09-10T16:07:00+00:00"), body) == "2024-09-10T16:07:00+00:00"


def test_numeric_dateline_read_one_way_only_is_not_swapped():
    body = "<h1>Garden tips</h1><p>By Ann Lee</p><p>25.10.2024</p><p>Text.</p>"
    assert published(meta_published("2024-09-10T16:07:00+00:00"), body) == "2024-10-25"


# --- "Updated" datelines ----------------------------------------------------------------------

UPDATED = "<h1>Garden tips</h1><p>By Ann Lee</p><p>Last Updated: Feb 22, 2025</p><p>Text.</p>"


def test_updated_dateline_wins_over_a_date_only_the_json_ld_states():
    assert published(ld_published("2021-08-12T19:35:44+00:00"), UPDATED) == "2025-02-22"


def test_updated_dateline_gives_way_when_a_meta_states_the_publication_too():
    head = ld_published("2021-08-12T19:35:44+00:00") + meta_published("2021-08-12T19:35:44+00:00")
    assert published(head, UPDATED) == "2021-08-12T19:35:44+00:00"


# --- several dates by the headline ------------------------------------------------------------

def test_unlabelled_first_date_gives_way_to_a_later_one_the_metadata_states():
    body = ("<p><a href='/other'><span>[ November 26, 2025 ]</span> Another story</a></p>"
            "<h1>Garden tips</h1><p>June 3, 2024</p><p>Text.</p>")
    assert published(meta_published("2024-06-03T15:14:59+00:00"), body) == "2024-06-03T15:14:59+00:00"


def test_first_date_labelled_published_keeps_its_place():
    body = "<h1>Garden tips</h1><p>Published April 26, 2023</p><p>Updated August 21, 2025</p><p>Text.</p>"
    assert published(meta_published("2025-08-21T10:00:00+00:00"), body) == "2023-04-26"


# --- <time datetime> --------------------------------------------------------------------------

def test_time_element_shows_its_text_when_a_time_zone_apart_from_its_datetime():
    body = "<h1>Garden tips</h1><time datetime='2026-02-24T04:13:00Z'>February 23, 2026</time><p>Text.</p>"
    assert published("<meta name='date' content='2026-02-23'>", body) == "2026-02-23"


def test_time_element_datetime_settles_an_ambiguous_text():
    body = "<h1>Garden tips</h1><time datetime='2024-09-10'>09.10.2024</time><p>Text.</p>"
    assert published("", body) == "2024-09-10"


def test_time_element_with_a_relative_text_gives_its_datetime():
    body = "<h1>Garden tips</h1><p>By Ann Lee · <time datetime='2025-03-01T08:00:00Z'>3 days ago</time></p>"
    assert published(meta_published("2024-01-05T10:00:00+00:00"), body) == "2025-03-01"


def test_time_element_whose_own_text_is_the_label():
    body = ("<h1>Garden tips</h1><p>By Ann Lee</p><time datetime='2024-12-06'>Last Updated:</time>"
            "<span>December 6, 2024</span><p>Text.</p>")
    assert published(meta_published("2023-10-02T08:00:00+00:00"), body) == "2023-10-02T08:00:00+00:00"


# --- a dateline the headline does not lead to -------------------------------------------------

@pytest.mark.parametrize("line, day", [
    ("Dec 17, 2025", "2025-12-17"), ("Last updated: November 13, 2025", "2025-11-13"),
    ("Posted on the 15/12/2025 at 19:00 by", "2025-12-15"),
])
def test_lone_dateline_anywhere_on_a_page_without_headline(line, day):
    body = f"<div><p>Why we chose Rust for the rover</p><p>{line}</p></div><p>{'Rust is fast. ' * 20}</p>"
    assert published("", body) == day


@pytest.mark.parametrize("line", ["1/27/2026 - 3/24/2026", "Classes start January 27, 2026"])
def test_date_range_or_event_is_no_dateline(line):
    assert dates.page_dateline(tree.parse(f"<html><body><p>Course</p><p>{line}</p></body></html>")) is None


def test_dateline_is_read_in_the_body_only_first_one_wins():
    page = ("<html><head><title>May 2, 2019</title></head><body><div><p>Why we chose Rust</p>"
            "<div><span>Posted: June 5, 2021</span></div></div><p>Updated: July 1, 2022</p></body></html>")
    assert dates.page_dateline(tree.parse(page)) == "2021-06-05"


def test_lone_dateline_after_an_icon():
    body = "<div><p>Why we chose Rust</p><div><svg><use href='#calendar'></use></svg> Dec 12, 2025 </div></div>"
    assert published("", body) == "2025-12-12"


# --- dates in running text --------------------------------------------------------------------

def test_date_in_a_sentence_by_the_headline_is_no_dateline():
    body = ("<h1>Filing your taxes</h1><p>The end of the tax season for most Americans is April 15, 2025. "
            "File on time.</p><p>Text.</p>")
    assert published("<meta name='date' content='2025-01-17'>", body) == "2025-01-17"


def test_labelled_date_in_a_longer_line_is_a_dateline():
    body = ("<h1>Filing your taxes</h1><p>This guide to filing your taxes was first published on April 15, 2025 "
            "by our team.</p><p>Text.</p>")
    assert published("<meta name='date' content='2025-01-17'>", body) == "2025-04-15"
