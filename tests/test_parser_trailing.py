"""Blocks left at the end of an article body after the list they titled was taken out.

Pages written for the test, after a pattern of wcxb-dev articles (issue 12, precision): a teaser list
("Keep exploring", "What others are reading") inside the article's block is taken out as related links,
and its heading stays behind as the last line of the body; or the body ends with a line that is only a
link elsewhere ("Back to top", "Learn more"). A heading with no text after it titles nothing in the
article, and such a link is not its text: both are kept in the boilerplate, not the body.
"""

from __future__ import annotations

from archiver import parse_article

URL = "https://example.com/news/river-clean-up"
PARAGRAPHS = [
    "Volunteers pulled more than two tonnes of rubbish out of the river on Saturday, the largest haul "
    "since the yearly clean-up began, and most of it was plastic that had washed down from the town.",
    "The organisers, a group of anglers and rowers, said that the warm autumn had kept the water low, "
    "which left bottles, tyres and even a shopping trolley stranded on the gravel banks.",
    "The council has promised to put up more bins along the towpath next spring, and the group plans "
    "a second day in March, before the birds start nesting in the reeds along the banks.",
]


def page(end: str) -> str:
    """An article page whose story block ends with ``end``."""
    links = "".join(f"<li><a href='/news/story-{i}'>Another story about the town number {i}</a></li>"
                    for i in range(6))
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f"<html><head><title>River clean-up</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<div class='story'><h1>River clean-up</h1>{text}{end.format(links=links)}</div>"
            "<footer>(c) 2025 Example</footer></body></html>")


def test_a_heading_left_last_after_its_list_is_taken_out_goes_to_the_boilerplate():
    article = parse_article(page("<h3>Keep exploring</h3><div class='related-posts'><ul>{links}</ul></div>"), URL)
    assert all(p in article.body for p in PARAGRAPHS)
    assert "Keep exploring" not in article.body
    assert any("Keep exploring" in block["text"] for block in article.boilerplate)


def test_a_heading_followed_by_text_stays():
    end = "<h3>What happens next</h3><p>The next clean-up day is on the first Saturday of March, at nine.</p>"
    body = parse_article(page(end), URL).body
    assert "What happens next" in body
    assert body.index("What happens next") < body.index("The next clean-up day")


def test_headings_that_are_the_items_of_a_list_at_the_end_stay():
    end = "<ul><li><h3>Bottles and cans</h3></li><li><h3>Tyres</h3></li><li><h3>A shopping trolley</h3></li></ul>"
    body = parse_article(page(end), URL).body
    assert all(item in body for item in ("Bottles and cans", "Tyres", "A shopping trolley"))


def test_a_heading_over_a_picture_at_the_end_stays():
    end = "<h3>The haul on the bank</h3><p><img src='/img/haul.jpg' alt=''></p>"
    assert "The haul on the bank" in parse_article(page(end), URL).body


def test_a_last_line_that_is_only_a_link_goes_to_the_boilerplate():
    article = parse_article(page("<p><a href='#top'>Back to top</a></p>"), URL)
    assert all(p in article.body for p in PARAGRAPHS)
    assert "Back to top" not in article.body
    assert any(block["text"] == "Back to top" for block in article.boilerplate)


def test_a_heading_over_a_last_link_goes_with_it():
    end = "<h3>Want to help?</h3><p><a href='/volunteer'>Volunteer with us</a></p>"
    body = parse_article(page(end), URL).body
    assert "Want to help?" not in body and "Volunteer with us" not in body
    assert body.rstrip().endswith("nesting in the reeds along the banks.")


def test_a_run_of_links_at_the_end_keeps_all_but_its_last_line():
    end = ("<h3>Rivers and litter</h3><p><a href='/guides/rivers'>How rivers carry plastic to the sea</a></p>"
           "<p><a href='/guides/anglers'>What anglers can do about litter</a></p>")
    body = parse_article(page(end), URL).body
    assert "Rivers and litter" in body and "How rivers carry plastic to the sea" in body
    assert "What anglers can do about litter" not in body


def test_a_last_sentence_with_a_link_stays():
    end = "<p>Read the <a href='/report'>council's report on the river</a> for the figures.</p>"
    assert "for the figures." in parse_article(page(end), URL).body
