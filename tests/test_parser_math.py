"""MathML formulas are article text (issue 12, faithfulness and recall).

A page written for the test: a paragraph with an inline formula typeset by MathJax (its visual
rendering ``aria-hidden``, the MathML copy for readers and screen readers beside it) and a display
formula whose TeX source sits in an ``<annotation>``, which a browser never shows.
"""

from __future__ import annotations

from archiver import parse_article

URL = "https://example.com/notes/quadratic"
PROSE = ("The formula below has been taught in schools for centuries, and it still surprises students "
         "how much of algebra follows from completing the square once. ") * 3
INLINE = ("<mjx-container class='MathJax'><mjx-math aria-hidden='true'><mjx-mi>a</mjx-mi></mjx-math>"
          "<mjx-assistive-mml><math><mi>a</mi> <mo>≠</mo> <mn>0</mn></math></mjx-assistive-mml></mjx-container>")
DISPLAY = ("<math display='block'><semantics><mrow><mi>x</mi> <mo>=</mo> <mi>discriminant</mi></mrow>"
           "<annotation encoding='application/x-tex'>x = \\frac{-b}{2a}</annotation></semantics></math>")


def article():
    """The test page parsed."""
    html = (f"<html><head><title>Quadratics</title></head><body><article><h1>Quadratics</h1><p>{PROSE}</p>"
            f"<p>When {INLINE}, there are two solutions and they are</p><p>{DISPLAY}</p><p>{PROSE}</p>"
            "</article></body></html>")
    return parse_article(html, URL)


def test_an_inline_formula_stays_in_its_paragraph():
    body = article().body
    assert "When a ≠ 0, there are two solutions" in body


def test_a_display_formula_is_kept_without_its_source_annotation():
    body = article().body
    assert "x = discriminant" in body
    assert "frac" not in body
