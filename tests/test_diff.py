from archiver.archive.diff import as_condensed_text, as_html, as_text, diff_versions, word_diff


def rebuild(ops, side):
    keep = {"old": ("equal", "delete"), "new": ("equal", "insert")}[side]
    return "".join(text for op, text in ops if op in keep)


def test_word_diff_marks_changed_words():
    assert as_text(word_diff("One two three.", "One 2 three.")) == "One [-two-]{+2+} three."


def test_word_diff_keeps_both_texts_recoverable():
    old = "The council met on Monday.\n\nIt voted 5-4."
    new = "The council met on Tuesday.\n\nIt voted 5-4.\n\nCorrection: an earlier version gave the wrong day."
    ops = word_diff(old, new)
    assert rebuild(ops, "new").split() == new.split()
    assert rebuild(ops, "old").split() == old.split()


def test_diff_versions_only_changed_fields():
    old = {"title": "Harbour deal", "byline": ["A"], "body": "Same body.", "bio": []}
    new = {"title": "Harbour deal collapses", "byline": ["A"], "body": "Same  body.", "bio": []}
    assert list(diff_versions(old, new)) == ["title"]


def test_html_diff_is_escaped():
    html = as_html(word_diff("<b>old</b>", "<script>x</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<del>" in html and "<ins>" in html


def test_rewritten_paragraph_reads_as_a_replacement():
    old = "Intro stays.\n\n" + "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu."
    new = "Intro stays.\n\n" + "Completely different words now fill this whole paragraph of the story today."
    ops = word_diff(old, new)
    assert ops == [("equal", "Intro stays.\n\n"), ("delete", old.split("\n\n")[1]), ("insert", new.split("\n\n")[1])]


def test_short_fields_are_compared_word_by_word():
    assert as_text(word_diff("Margot Ellery", "Margot Ellery; Priyanka Desai")) == "Margot [-Ellery-]{+Ellery; Priyanka Desai+}"


def test_condensed_text_hides_unchanged_paragraphs():
    old = "\n\n".join(f"Paragraph {i} stays the same." for i in range(5))
    new = old + "\n\nCorrection: a new closing line."
    assert as_condensed_text(word_diff(old, new)) == "[...]\n\n{+Correction: a new closing line.+}"
