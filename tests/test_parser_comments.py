"""A story's comment thread is not the story, even when it is longer; a forum thread is its posts.

Pages written for the test, after the markup of real blogs and news sites (issue 12): comments
named "comment-body" / "commentBody" (the content word is the comment's), and threads whose
text outweighs the story above them.
"""

from __future__ import annotations

import lxml.html

from archiver import parse_article
from archiver.parser import sections
from test_parser_whole_article import PARAGRAPHS
from archiver.parser import selectors as S

URL = "https://example.com/2025/06/01/river-floods/"
STORY = PARAGRAPHS + [
    "Until then, the agency will keep the pumps running at the old mill, and volunteers will fill "
    "sandbags at the fire station on the first Saturday of every month, as they have for years.",
    "The mayor, who grew up on one of the farms, said she would rather lose a meadow than a street, "
    "but that nobody in the valley should pay for the river alone, and the vote would show it.",
]
REPLY = ("I have lived by the river for thirty years, reader number {n} writes, and every plan so far "
         "has been a study, a map and a promise; this one at least asks the farmers what they need, "
         "which is more than the last three councils did, so I hope the vote goes through.")


def page(story: str, thread: str) -> str:
    """A page with a masthead, ``story`` and ``thread`` below it."""
    return ("<html><head><title>River floods</title></head><body><header><a href='/'>Valley News</a>"
            "</header><main><h1>River floods</h1>" + story + thread + "</main></body></html>")


def comment(n: int, body_class: str = "comment-body") -> str:
    """One signed comment, its text in a block named ``body_class``."""
    return (f"<li class='comment'><div class='comment-meta'>Posted by reader{n} at 10:{n:02d}</div>"
            f"<div class='{body_class}'><p>{REPLY.format(n=n)}</p></div></li>")


def test_a_comment_part_name_is_the_comments_not_content():
    for token in ("comment-body", "commentBody", "comments-content"):
        found = S.features(token)
        assert "kind:comments" in found and not found & {"POSITIVE", "MAYBE"}
    assert {"POSITIVE", "MAYBE"} <= S.features("entry-content")
    assert {"POSITIVE", "MAYBE"} <= S.features("post-body")


def test_a_thread_longer_than_the_story_is_not_kept_in_the_body():
    story = "<article class='story'>" + "".join(f"<p>{p}</p>" for p in STORY) + "</article>"
    thread = "<div id='comments'><ol class='comment-list'>" + "".join(
        comment(n, "comment-body" if n % 2 else "commentBody") for n in range(12)) + "</ol></div>"
    article = parse_article(page(story, thread), URL)
    assert [p for p in article.body.split("\n\n") if p in STORY] == STORY
    assert "reader number" not in article.body
    assert any(r["kind"] == "comments" and "reader number 3" in r["text"] for r in article.boilerplate)


def test_comments_on_a_short_post_are_taken_too():
    story = "<div class='entry-content'>" + "".join(f"<p>{p}</p>" for p in STORY[:4]) + "</div>"
    thread = "".join(f"<div class='comments-body'><p>{REPLY.format(n=n)}</p></div>" for n in range(3))
    article = parse_article(page(story, thread), URL)
    assert [p for p in article.body.split("\n\n") if p in STORY] == STORY[:4]
    assert "reader number" not in article.body


def test_a_forum_thread_keeps_its_posts():
    # the first post is shaped as the replies (same classes): the thread has no story beside it,
    # so the section stages leave its posts for the page mode
    first = ("<div class='thread-start'><div class='message-body'>" + "".join(
        f"<p>{p}</p>" for p in STORY) + "</div></div>")
    thread = "<ol>" + "".join(
        f"<li class='comment'><div class='message-body'><p>{REPLY.format(n=n)}</p></div></li>"
        for n in range(12)) + "</ol>"
    root = lxml.html.fromstring(page(first, thread))
    taken = sections.split(root, URL, URL).boilerplate
    assert not any("reader number" in r["text"] for r in taken)
    assert REPLY.format(n=5) in root.text_content()
