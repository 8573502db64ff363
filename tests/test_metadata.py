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


def test_title_h1_replaces_a_search_engine_title_with_a_site_suffix():
    head = "<title>Top 11 SEO Strategies for 2025 | Lucca</title>"
    page = meta(head, "<h1>11 SEO Strategies for 2025 to Boost Rankings</h1>")
    assert page.title == "11 SEO Strategies for 2025 to Boost Rankings"


def test_title_only_document_title_gives_way_to_the_h1_on_the_same_subject():
    page = meta("<title>Apple's Vision Pro hands-on</title>", "<h1>Apple's Vision Pro is a Retina moment</h1>")
    assert page.title == "Apple's Vision Pro is a Retina moment"  # the headline a reader sees, not the tab's label


def test_title_h1_replaces_social_titles_that_all_differ_from_it():
    head = ("<meta property='og:title' content='Best Drip Coffee Maker Review 2026'>"
            "<title>Best Drip Coffee Maker Review 2026</title>")
    page = meta(head, "<h1>Best Drip Coffee Makers (2026): Real Reviews</h1>")
    assert page.title == "Best Drip Coffee Makers (2026): Real Reviews"


def test_title_h1_repeated_by_a_metadata_title_is_the_headline_whichever_comes_first():
    head = ("<script type='application/ld+json'>{\"@type\": \"Article\", \"headline\": \"The 21 best films of "
            "2017 and how to watch them\"}</script><meta property='og:title' content='The 21 best films of 2017'>")
    assert meta(head, "<h1>The 21 best films of 2017</h1>").title == "The 21 best films of 2017"


def test_title_metadata_titles_that_agree_are_kept_over_an_h1_none_repeats():
    head = ("<script type='application/ld+json'>{\"@type\": \"Article\", \"headline\": \"The 21 best films of "
            "2017 and how to watch them\"}</script><title>The 21 best films of 2017 and how to watch them</title>")
    assert meta(head, "<h1>Films of 2017, ranked</h1>").title == "The 21 best films of 2017 and how to watch them"


def test_title_document_title_alone_is_kept_over_an_h1_on_another_subject():
    page = meta("<title>MathJax v3 with MathML input and HTML output</title>", "<h1>Release notes</h1>")
    assert page.title == "MathJax v3 with MathML input and HTML output"


def test_title_h1_among_site_and_menu_h1s():
    head = "<title>Defer, Panic, and Recover - The Go Programming Language</title>"
    page = meta(head, "<h1>The Go Blog</h1><h1>Defer, Panic, and Recover</h1><h1>Menu</h1>")
    assert page.title == "Defer, Panic, and Recover"


def test_title_h1_about_something_else_does_not_replace_the_title():
    page = meta("<title>How to build a terrarium | Crafts</title>", "<h1>Silicon Exposed</h1>")
    assert page.title == "How to build a terrarium"


def test_title_h1_with_a_section_added_does_not_replace_the_title():
    head = "<title>Gym workouts for beginners - Gold Gym</title>"
    assert meta(head, "<h1>Gym workouts for beginners | Strength</h1>").title == "Gym workouts for beginners"


def test_title_jsonld_headline_that_is_a_description_is_passed_over():
    head = ('<script type="application/ld+json">{"@type": "Article", "headline": "matrix equal to its '
            'conjugate transpose"}</script><title>Hermitian matrix - Wikipedia</title>')
    assert meta(head, "<h1>Hermitian matrix</h1>").title == "Hermitian matrix"


def test_title_cut_short_by_a_length_limit_gives_way_to_the_whole():
    head = ('<script type="application/ld+json">{"@type": "Article", "headline": "Fix it: we help four '
            'readers (including"}</script><meta property="og:title" content="Fix it: we help four readers '
            '(including one trick)">')
    assert meta(head).title == "Fix it: we help four readers (including one trick)"


def test_title_that_is_the_site_name_is_passed_over():
    head = ("<meta property='og:site_name' content='Robomow'><meta property='og:title' content='Robomow'>"
            "<title>Which mower suits which lawn? | Robomow</title>")
    assert meta(head).title == "Which mower suits which lawn?"


@pytest.mark.parametrize("h1", [
    "Blog: Ten tips for small gardens", "Dec 18 2025 Ten tips for small gardens",
    "Ten tips for small gardens Posted on July 1, 2024 by Ann", "Ten tips for small gardens (example.com) 87",
])
def test_title_h1_with_page_furniture_glued_gives_way_to_the_metadata_title(h1):
    head = "<meta property='og:title' content='Ten tips for small gardens'>"
    assert meta(head, f"<h1>{h1}</h1>").title == "Ten tips for small gardens"


def test_title_h1_that_continues_the_headline_is_not_furniture():
    head = "<meta property='og:title' content='Ten tips for small gardens'>"
    body = "<h1>Ten tips for small gardens (2025)</h1>"
    assert meta(head, body).title != "Ten tips for small gardens"


# --- publication date ----------------------------------------------------------------------

STATED = "<meta property='article:published_time' content='2024-03-05T10:00:00+00:00'>"


def test_date_shown_under_the_headline_wins_over_metadata():
    body = "<h1>Garden tips</h1><p class='meta'>By Ann Lee · August 19, 2025</p><p>Text.</p>"
    assert meta(STATED, body).published == "2025-08-19"


def test_date_labelled_updated_gives_way_to_the_original_publication():
    body = "<h1>Garden tips</h1><div>Updated August 19, 2025</div><p>Text.</p>"
    assert meta(STATED, body).published == "2024-03-05T10:00:00+00:00"


def test_date_labelled_updated_stands_in_when_nothing_else_is_stated():
    body = "<h1>Garden tips</h1><div>Last updated: Dec 12, 2025</div><p>Text.</p>"
    assert meta("", body).published == "2025-12-12"


def test_date_metadata_keeps_its_time_when_the_dateline_agrees():
    body = "<h1>Garden tips</h1><time datetime='2024-03-05'>March 5, 2024</time>"
    assert meta(STATED, body).published == "2024-03-05T10:00:00+00:00"


@pytest.mark.parametrize("shown, day", [
    ("12.12.2025", "2025-12-12"), ("2025-09-04", "2025-09-04"), ("4 Sept. 2025", "2025-09-04"),
    ("Posted on the 3rd of March 2024", "2024-03-03"), ("9/4/2025", "2025-09-04"), ("25/12/2024", "2024-12-25"),
])
def test_date_formats_of_a_dateline(shown, day):
    assert meta("", f"<h1>Garden tips</h1><span>{shown}</span>").published == day


def test_date_in_prose_or_the_future_is_not_a_dateline():
    body = ("<h1>Garden tips</h1><span>Event on January 1, 2999</span><p>" + "On March 3, 2020 we planted "
            "a long row of beans and waited for the summer rain to come, which it did. " * 3 + "</p>")
    assert meta(STATED, body).published == "2024-03-05T10:00:00+00:00"


def test_date_from_a_meta_named_published():
    assert meta("<meta name='published' content='July 17, 2025'>", "<p>Some text.</p>").published == "2025-07-17"


def test_date_from_the_url_when_the_page_states_none():
    assert meta("", "<p>Some text.</p>", "http://example.com/2025/09/04/garden-tips/").published == "2025-09-04"


@pytest.mark.parametrize("url, day", [
    ("http://example.com/2023/10/03/garden-tips/", "2023-10-03"),
    ("http://example.com/blog/2023/october/03/garden-tips", "2023-10-03"),
    ("http://example.com/2023-10-03-garden-tips", "2023-10-03"),
])
def test_date_in_the_url_wins_over_a_dateline_read_the_other_way(url, day):
    body = "<h1>Garden tips</h1><span>03/10/2023</span>"
    assert meta("", body, url).published == day


def test_date_in_the_url_keeps_the_metadata_time_when_they_agree():
    assert meta(STATED, "<h1>Garden tips</h1>", "http://example.com/2024/03/05/tips").published == \
        "2024-03-05T10:00:00+00:00"


@pytest.mark.parametrize("url", ["http://example.com/2023/13/03/tips", "http://example.com/archive/2023/tips",
                                 "http://example.com/2999/01/01/tips"])
def test_date_not_in_the_url_without_a_real_past_day(url):
    assert meta(STATED, "<h1>Garden tips</h1>", url).published == "2024-03-05T10:00:00+00:00"


def test_date_microdata_first_readable_date_of_each_kind():
    body = ("<p itemprop='datePublished'>soon</p><span itemprop='dateModified' content='2024-06-01'></span>"
            "<div><time itemprop='datePublished' datetime='2024-05-02'>May 2</time></div>"
            "<span itemprop='dateModified' content='2024-07-01'></span><p>Some text.</p>")
    page = meta("", body)
    assert (page.published, page.modified) == ("2024-05-02", "2024-06-01")


def test_date_microdata_modified_is_read_when_the_metadata_states_only_the_publication():
    body = "<span itemprop='dateModified' content='2024-06-01'></span><time datetime='2024-01-09'>Jan 9</time>"
    page = meta("<meta property='article:published_time' content='2024-05-02'>", body)
    assert (page.published, page.modified) == ("2024-05-02", "2024-06-01")


def test_date_time_element_stands_in_for_the_publication_only():
    page = meta("", "<p>Some text.</p><time datetime='2024-01-09'>Jan 9</time>")
    assert (page.published, page.modified) == ("2024-01-09", None)


# --- byline --------------------------------------------------------------------------------

def byline_of(markup: str, head: str = "") -> list[str]:
    """The byline of a page whose body is ``markup``."""
    return meta(head, markup).byline


@pytest.mark.parametrize("markup, names", [
    ("<div class='byline'><span>Jeff Foust</span><span>Monday</span></div>", ["Jeff Foust"]),
    ("<div class='author'><a>Reyan Perumal</a><span>Published Dec 3, 2025</span></div>", ["Reyan Perumal"]),
    ("<div class='author'><b>By</b><a>Summer Swann</a></div>", ["Summer Swann"]),
    ("<div class='author'>Brian Becker<span>7 min read</span></div>", ["Brian Becker"]),
])
def test_byline_words_glued_by_markup_are_cut_off(markup, names):
    assert byline_of(markup) == names


@pytest.mark.parametrize("text", ["By Ann Lee", "Von Ann Lee", "Par Ann Lee", "Text: Ann Lee", "Texto: Ann Lee",
                                  "Текст: Ann Lee", "Written by: Ann Lee", "Author Ann Lee", "Recipe by Ann Lee",
                                  "Authors: Ann Lee", "Read more about Ann Lee", "View all posts by Ann Lee"])
def test_byline_prefixes_dropped(text):
    assert byline_of(f"<p class='byline'>{text}</p>") == ["Ann Lee"]


@pytest.mark.parametrize("text, names", [
    ("Keith Barry Senior Autos Reporter", ["Keith Barry"]),
    ("Ann Lee, Games Editor", ["Ann Lee"]),
    ("Ann Lee for NJ.com", ["Ann Lee"]),
    ("Great Day Editorial Team", ["Great Day Editorial Team"]),
    ("Ann Lee, Head of Marketing &amp; Community Development", ["Ann Lee"]),
    ("Ann Lee, Privacy &amp; Digital Security", ["Ann Lee"]),
    ("Ann Lee and Bo Li, The Daily Appeal", ["Ann Lee", "Bo Li"]),
    ("Ann Lee USA TODAY", ["Ann Lee"]),
    ("Ann Lee Founder at Oakwood", ["Ann Lee"]),
    ("Posted by AnnL on Saturday December 20, 2025", ["AnnL"]),
    ("Scott Matton June 5, 2024", ["Scott Matton"]),
    ("Reviewed by Ann Lee", ["Ann Lee"]),
])
def test_byline_job_titles_and_affiliations_kept_out_of_names(text, names):
    assert byline_of(f"<p class='byline'>{text}</p>") == names


@pytest.mark.parametrize("text, names", [
    ("Ann Lee, CFP", ["Ann Lee", "CFP"]), ("Ann Lee, DVM, DACVB", ["Ann Lee", "DVM", "DACVB"]),
    ("Ann Lee, CEPF®", ["Ann Lee", "CEPF®"]),
])
def test_byline_letters_after_a_name_do_not_end_the_names(text, names):
    assert byline_of(f"<p class='byline'>{text}</p>") == names


@pytest.mark.parametrize("junk", ["Sign In", "Sat", "page.head.extra.author"])
def test_byline_controls_weekdays_and_template_keys_are_no_names(junk):
    assert byline_of(f"<div class='author-link'>{junk}</div><div class='author'>Ann Lee</div>") == ["Ann Lee"]


def test_byline_user_name_is_a_name():
    assert byline_of("<div class='author'>sara.r.peter</div>") == ["sara.r.peter"]


def test_byline_owner_of_a_personal_blog():
    head = "<meta property='og:site_name' content='Ann Lee&#39;s blog'>"
    assert byline_of("<p>Text.</p>", head) == ["Ann Lee"]


def test_byline_site_name_that_is_not_a_blog_of_a_person_is_no_author():
    assert byline_of("<p>Text.</p>", "<meta property='og:site_name' content='Bread Dad'>") == []


def test_byline_middle_initial_is_not_a_conjunction():
    assert byline_of("<p class='byline'>By Bruce Y. Lee</p>") == ["Bruce Y. Lee"]


def test_byline_several_authors_as_a_list():
    assert byline_of("<p class='byline'>By Ann Lee, Bo Li &amp; Carla Diaz and Dan Roe</p>") == [
        "Ann Lee", "Bo Li", "Carla Diaz", "Dan Roe"]


def test_byline_organisation_gives_way_to_the_person_the_page_names():
    head = ('<script type="application/ld+json">{"@type": "Article", "headline": "H",'
            ' "author": {"@type": "Organization", "name": "Acme Health"}}</script>')
    assert byline_of("<div class='author-name'>Tracy Parker</div>", head) == ["Tracy Parker"]


def test_byline_jsonld_author_given_by_reference_is_followed():
    head = ('<script type="application/ld+json">{"@graph": [{"@type": "Article", "headline": "H",'
            ' "author": {"@id": "#ann"}}, {"@type": "Person", "@id": "#ann", "name": "Ann Lee"}]}</script>')
    assert byline_of("<p>Text.</p>", head) == ["Ann Lee"]


def test_byline_written_by_label_of_twitter_meta():
    head = "<meta name='twitter:label1' content='Written by'><meta name='twitter:data1' content='Ann Lee'>"
    assert byline_of("<p>Text.</p>", head) == ["Ann Lee"]


def test_byline_twitter_meta_with_another_label_is_not_an_author():
    head = "<meta name='twitter:label1' content='Time to read'><meta name='twitter:data1' content='6 minutes'>"
    assert byline_of("<p>Text.</p>", head) == []


@pytest.mark.parametrize("line", [
    "<p>Written by</p><p>Ann Lee</p>",
    "<div><span>By</span> <a href='/a/ann'>Ann Lee</a> · Review Editor</div>",
    "<p>by: <!-- x -->Ann Lee<!-- -->, Dec 17, 2025</p>",
    "<h3>Author</h3><p> Ann Lee</p>",
])
def test_byline_shown_under_the_headline(line):
    assert byline_of(f"<h1>Garden tips</h1>{line}<p>Text of the article.</p>") == ["Ann Lee"]


def test_byline_shown_under_the_headline_wins_over_a_sidebar_author_class():
    body = ("<h1>Garden tips</h1><p>By Ann Lee</p><p>Text.</p>"
            "<aside><div class='author'>Your Name: *</div></aside>")
    assert byline_of(body) == ["Ann Lee"]


@pytest.mark.parametrize("line", [
    "<h3>Written by Ann Lee</h3>",
    "<p>Written by <a href='/a/ann'>Ann Lee</a> and <a href='/a/bo'>Bo Li</a></p>",
    "<h2>Article by</h2><div>Ann Lee</div>",
])
def test_byline_written_by_line_far_from_the_headline(line):
    body = "<h1>Garden tips</h1>" + "<p>Text of the article, long enough to be the body.</p>" * 30 + line
    assert byline_of(body)[:1] == ["Ann Lee"]


def test_byline_label_far_from_the_headline_needs_a_person():
    body = ("<h1>Garden tips</h1>" + "<p>Text of the article, long enough to be the body.</p>" * 30
            + "<h3>Author</h3><p>Join our newsletter</p>")
    assert byline_of(body) == []


def test_byline_meta_key_listing_more_authors_wins():
    head = ("<meta name='dc.creator' content='Ann Lee'><meta name='citation_authors' content='Ann Lee'>"
            "<meta name='citation_authors' content='Bo Li'>")
    assert byline_of("<p>Text.</p>", head) == ["Ann Lee", "Bo Li"]


@pytest.mark.parametrize("line", [
    "<p>Ann Lee | Senior Writer | July 2, 2025</p>",
    "<div><span>2025-12-17</span><span>·</span><a title='Ann Lee'><img alt='Ann Lee'>Ann Lee</a></div>",
    "<div><a href='/blog/authors/ann-lee'>Ann Lee</a><span>Dec 26, 2025</span></div>",
])
def test_byline_named_beside_the_date_without_by(line):
    assert byline_of(f"<h1>Garden tips</h1>{line}<p>Text of the article.</p>") == ["Ann Lee"]


@pytest.mark.parametrize("line", [
    "<div><span>Dec 26, 2025</span><a href='/category/smart-home'>Smart Home</a></div>",
    "<div><span>Dec 26, 2025</span><figure><img alt='Photo Frame'><figcaption>Photo Frame</figcaption></figure></div>",
])
def test_byline_words_beside_the_date_that_are_no_person(line):
    assert byline_of(f"<h1>Garden tips</h1>{line}<p>Text of the article.</p>") == []


def test_byline_author_links_of_a_long_byline_element():
    line = ("<div class='article-byline'><strong>Written by</strong> <a href='/authors/ann-lee'>Ann Lee</a>, "
            "4+ years covering computer hardware, software, and science; <a href='/authors/bo-li'>Bo Li</a>, "
            "a writer on laptops and phones for many years</div>")
    body = "<h1>Garden tips</h1>" + "<p>Text of the article, long enough to be the body.</p>" * 30 + line
    assert byline_of(body) == ["Ann Lee", "Bo Li"]


def test_byline_label_followed_by_another_label_is_no_name():
    assert byline_of("<h1>Garden tips</h1><p>Written by</p><p>Researched by</p><p>Ann Lee</p>") == []


def test_byline_organisation_stays_when_no_person_is_named():
    head = ('<script type="application/ld+json">{"@type": "Article", "headline": "H",'
            ' "author": {"@type": "Organization", "name": "Acme Health"}}</script>')
    assert byline_of("<div class='author-box'>Full Bio</div>", head) == ["Acme Health"]
