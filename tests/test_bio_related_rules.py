"""The generic bio and related-link rules, each on a small page (no corpus needed)."""

from __future__ import annotations

from archiver import parse_article

URL = "https://news.example.com/2025/06/the-story/"
PROSE = " ".join(["The council met on Tuesday and voted on the new budget for the coming year."] * 12)


def page(extra: str, after: str = "") -> str:
    """An article page with ``extra`` inside the article after its text, and ``after`` after it."""
    return (f"<html><head><title>The story</title><meta name='author' content='Jane Doe'></head><body>"
            f"<article><h1>The story</h1><p>{PROSE}</p><p>{PROSE}</p>{extra}</article>{after}</body></html>")


def parse(extra: str, after: str = ""):
    """The article parsed from :func:`page`."""
    return parse_article(page(extra, after), URL)


BIO = "She has covered city hall and the state legislature for the paper since 2019."


def test_author_box_opening_with_its_byline_keeps_only_the_prose():
    bio = BIO + " Before that she reported on schools."
    article = parse(f"<div class='article-author-bio'><h3>Written by Jane Doe</h3><p>{bio}</p>"
                    "<a href='/author/jane'>View full profile</a></div>")
    assert article.bio == [bio]
    assert "covered city hall" not in article.body


def test_camel_case_bio_class_is_an_author_box():
    article = parse(f"<div class='ArticleBio_root__x1'><p>{BIO}</p></div>")
    assert article.bio == [BIO]


def test_byline_line_named_like_a_box_is_not_a_bio():
    article = parse("<div class='author-section'>By Jane Doe | June 3, 2025</div>")
    assert article.bio == []


def test_closing_bio_sentence_of_a_name_not_in_the_byline():
    bio = "John Roe is a freelance travel writer and editor based in Lisbon."
    article = parse(f"<p>{bio}</p>")
    assert article.bio == [bio]
    assert "freelance travel writer" not in article.body


def test_opening_paragraph_about_someone_else_stays_in_the_body():
    text = "Apple is a company that makes phones, and it reported results on Tuesday."
    article = parse(f"<p>{text}</p>")
    assert article.bio == [] and "reported results" in article.body


def test_about_the_author_heading_over_a_small_box():
    article = parse(f"<section><h2>About the Author</h2><div><div>{BIO}</div></div></section>")
    assert article.bio == [BIO]


def test_related_heading_with_any_title_and_slug_judged_image_links():
    block = ("<div><h3>Related articles on Example News</h3><ul>"
             "<li><a href='/2025/05/council-approves-new-park-plan/'><img src='a.jpg'></a></li>"
             "<li><a href='/2025/05/river-cleanup-begins-this-week/'>Learn more</a></li>"
             "<li><a href='/2025/05/'>May 2025</a></li>"
             "<li><a href='/local/'>More from Local News</a></li></ul></div>")
    urls = [x["url"] for x in parse(block).related_links]
    assert urls == ["https://news.example.com/2025/05/council-approves-new-park-plan/",
                    "https://news.example.com/2025/05/river-cleanup-begins-this-week/"]


def test_more_about_me_is_not_a_related_heading():
    block = "<div><h3>More about me</h3><a href='/about/'>About Jane Doe and this site</a></div>"
    assert parse("", block).related_links == []


def test_related_menu_is_navigation_and_topic_headings_are_not_related():
    menu = ("<div class='widget_nav_menu'><h3>Related</h3><ul><li><a href='/insurance-for-builders-and-crews'>"
            "Insurance for builders and crews</a></li><li><a href='/estimating-software-for-builders'>"
            "Estimating software for builders</a></li></ul></div>")
    topics = "<div><h3>Related Topics</h3><a href='/budget-news-from-city-hall'>Budget news from city hall</a></div>"
    assert parse("", menu + topics).related_links == []


def test_the_page_itself_with_tracking_parameters_is_not_related():
    block = ("<div class='related-posts'><a href='/2025/06/the-story/?utm_source=x&srsltid=y'>The story "
             "itself, shared again</a><a href='/2025/06/another-story-here/'>Another story from the desk</a></div>")
    urls = [x["url"] for x in parse(block).related_links]
    assert urls == ["https://news.example.com/2025/06/another-story-here/"]


def test_card_opened_by_a_related_heading():
    card = ("<div class='cta-box'><h4>Related article</h4><p>The smart thermostat buying guide</p>"
            "<a href='/2025/04/smart-thermostat-buying-guide/'>Read more</a></div>")
    urls = [x["url"] for x in parse(card).related_links]
    assert urls == ["https://news.example.com/2025/04/smart-thermostat-buying-guide/"]


def test_arrows_collection_and_about_pages_are_not_related_articles():
    block = ("<div class='related-posts'><a href='/2025/06/previous-story-about-parks/'>←</a>"
             "<a href='/local/news/'>Local news from the desk</a><a href='/about-us/'>About Example News today</a>"
             "<a href='/2025/06/next-story-about-schools/'>Schools open a week early this year</a></div>")
    urls = [x["url"] for x in parse(block).related_links]
    assert urls == ["https://news.example.com/2025/06/next-story-about-schools/"]


def _urls(article) -> list[str]:
    """The related links' URLs of ``article``."""
    return [x["url"] for x in article.related_links]


TWO_TEASERS = ("<ul><li><a href='/2025/05/council-approves-new-park-plan/'>Council approves the new park plan</a></li>"
               "<li><a href='/2025/05/river-cleanup-begins-this-week/'>River cleanup begins this week</a></li></ul>")
TWO_URLS = ["https://news.example.com/2025/05/council-approves-new-park-plan/",
            "https://news.example.com/2025/05/river-cleanup-begins-this-week/"]


def test_related_block_and_author_card_in_an_article_footer():
    footer = (f"<footer class='entry-footer'><div class='author-description'><p>{BIO}</p></div>"
              f"<div><h3>Related reads</h3>{TWO_TEASERS}</div></footer>")
    article = parse(footer)
    assert _urls(article) == TWO_URLS and article.bio == [BIO]
    assert "Council approves" not in article.body and "covered city hall" not in article.body


def test_recent_stories_by_the_author_inside_an_author_box():
    box = f"<div class='article-author-box'><p>{BIO}</p><h4>Recent stories by Jane Doe:</h4>{TWO_TEASERS}</div>"
    article = parse(box)
    assert _urls(article) == TWO_URLS and article.bio == [BIO]


def test_category_and_tag_links_of_teaser_cards_are_not_related():
    cards = ("<div class='related-posts'>"
             "<article><div class='post-categories'><a href='/identity-verification/'>Identity Verification</a></div>"
             "<h3><a href='/2025/05/council-approves-new-park-plan/'>Council approves the new park plan</a></h3></article>"
             "<article><span>Categories</span><ul><li><a href='/social-media-content/'>Social Media Content</a></li></ul>"
             "<h3><a href='/2025/05/river-cleanup-begins-this-week/'>River cleanup begins this week</a></h3></article>"
             "</div>")
    assert _urls(parse(cards)) == TWO_URLS


def test_teaser_wrapper_named_for_its_category_position_keeps_its_link():
    cards = ("<div class='related-posts'><div class='td-category-pos-above'>"
             "<h3><a href='/2025/05/council-approves-new-park-plan/'>Council approves the new park plan</a></h3>"
             "<p>A teaser.</p></div></div>")
    assert _urls(parse(cards)) == TWO_URLS[:1]


def test_teaser_card_with_post_taxonomy_classes_keeps_its_title_link():
    cards = ("<div class='related-posts'><article class='post category-city-news summary-item-has-tags'>"
             "<p class='title'><a href='/2025/05/council-approves-new-park-plan/'>Council approves the new park "
             "plan</a></p></article><article class='post tag-rivers'><div class='summary-title'>"
             "<a href='/2025/05/river-cleanup-begins-this-week/'>River cleanup begins this week</a></div></article></div>")
    assert _urls(parse(cards)) == TWO_URLS


def test_site_wide_list_named_related_keeps_no_links_and_leaves_the_body():
    block = f"<div class='related-posts popular'><h3>Popular on Example News</h3>{TWO_TEASERS}</div>"
    article = parse(block)
    assert article.related_links == [] and "Council approves" not in article.body
    by_author = f"<div class='related-posts'><h3>Recent stories by Jane Doe</h3>{TWO_TEASERS}</div>"
    assert _urls(parse(by_author)) == TWO_URLS


CARD_BIO = "Rebecca (Bec) is a seasoned copywriter who has written for brands and agencies for ten years."


def test_person_card_in_the_site_footer_is_a_bio():
    footer = (f"<footer><div><p>Rebecca Doe</p><p>{CARD_BIO}</p><p><a href='/author/rebecca'>Read all articles</a>"
              "</p></div><ul class='menu'><li><a href='/about/'>About</a></li></ul></footer>")
    article = parse("", footer)
    assert article.bio == [CARD_BIO]


def test_meet_the_author_widget_in_a_side_rail_is_a_bio():
    about = "I'm Trevor Doe, an astrophotographer with 15 years of experience who writes this site."
    rail = f"<aside class='sidebar'><section class='widget'><h2>Meet Trevor Doe</h2><div>{about}</div></section></aside>"
    assert parse("", rail).bio == [about]


def test_bio_sentence_in_the_site_footer_is_a_bio():
    about = "Scott Roe is a landscape photographer and photo educator based in San Diego, California."
    assert parse("", f"<footer><div><p>{about}</p></div></footer>").bio == [about]


def test_name_line_over_unrelated_prose_or_a_menu_is_not_a_bio():
    footer = ("<footer><div><p>About Example News</p><p>About Us Careers Press Releases Our Purpose Investor Relations"
              "</p><h3>Jane Doe</h3><p>The council met on Tuesday and voted on the new budget for the year.</p>"
              "</div></footer>")
    assert parse("", footer).bio == []


def test_a_testimonial_in_an_author_box_is_not_a_bio():
    quote = "“A designer without this book is like a carpenter without a level, and that is the truth.” — A Critic"
    box = f"<div class='author-bio'><p>{BIO}</p><p>{quote}</p></div>"
    assert parse(box).bio == [BIO]


def test_heading_wrapper_with_a_view_all_link_over_a_card_grid():
    grid = ("<section><div><div class='kicker'>Resources</div><div><h2>More Articles</h2>"
            "<a href='/resources/'>View All Resources</a></div></div>"
            "<div class='grid'><div><a href='/2025/05/council-approves-new-park-plan/'><img src='a.jpg'>"
            "<h3>Council approves the new park plan</h3></a></div><div>"
            "<a href='/2025/05/river-cleanup-begins-this-week/'><h3>River cleanup begins this week</h3></a></div>"
            "</div></section>")
    article = parse("", grid)
    assert _urls(article) == TWO_URLS and "River cleanup" not in article.body


def test_up_next_heading_over_linked_figures_in_running_text():
    figures = ("<h2>Up Next</h2><p>Want more projects? <a href='https://pinterest.example.org/jane'>Follow me</a></p>"
               "<figure><img src='a.jpg'><figcaption><a href='/2025/05/council-approves-new-park-plan/'>"
               "Council approves the new park plan</a></figcaption></figure>"
               "<figure><img src='b.jpg'><figcaption><a href='/2025/05/river-cleanup-begins-this-week/'>"
               "River cleanup begins this week</a></figcaption></figure><p>Thanks for visiting!</p>")
    article = parse(figures)
    assert _urls(article) == TWO_URLS
    assert "River cleanup" not in article.body and "Thanks for visiting!" in article.body


def test_prose_with_links_after_a_related_heading_stays_in_the_body():
    prose = ("<h2>Related</h2><p><a href='/fold-font/'>Try our fold and cut font</a></p>"
             "<p>Ivars Peterson briefly describes the results in his article <a href='/2025/05/fold-and-cut-magic/'>"
             "Fold-and-Cut Magic</a>, which appeared in a weekly science magazine.</p>")
    article = parse(prose)
    assert "Ivars Peterson briefly describes" in article.body


def test_prose_with_inline_links_after_a_related_label_keeps_no_links():
    callout = ("<p>RELATED</p><p>Are you planning a home renovation soon? A standard policy will not cover the "
               "house while it is being renovated, so you might want to consider <a href='/builders-risk-insurance'>"
               "builders risk insurance for homeowners</a> before the work starts.</p>")
    assert parse(callout).related_links == []
    teaser = ("<p>RELATED</p><p><a href='/2025/05/council-approves-new-park-plan/'>Council approves the new park "
              "plan</a> The vote came after a long debate about the cost of the work and its schedule.</p>")
    assert _urls(parse(teaser)) == TWO_URLS[:1]


def test_an_ad_slot_after_a_headline_list_is_not_part_of_it():
    block = ("<h3>Related</h3>" + TWO_TEASERS +
             "<div class='ad-slot'><span>Advertisement</span><div><a href='/ads/click?slot=1' rel='sponsored'>"
             "Stillwater Bank: a savings account that pays you back.</a></div></div>"
             "<div><a href='/2025/05/a-sponsored-story-about-savings/' rel='sponsored nofollow'>"
             "A sponsored story about savings</a></div>")
    assert _urls(parse(block)) == TWO_URLS
