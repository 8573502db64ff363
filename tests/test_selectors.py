"""The class/id vocabularies match the same tokens however they are run (folded, factored, one at a time)."""

import re

from archiver.parser import selectors as S


def _tokens() -> list[str]:
    """Tokens that hit and miss every vocabulary: its words, in three cases, inside and beside other words."""
    words = set()
    for _, pattern in S.VOCABULARIES:
        words.update(w for w in re.findall(r"[A-Za-z][\w-]*", pattern.pattern) if len(w) > 2)
    tokens = []
    for word in sorted(words):
        for form in (word, word.upper(), word.title(), word[:-1], word[1:]):
            tokens += [form, f"x-{form}-y", f"{form}_box", f"my{form}", f"{form}Bio", f"ad-{form}", f"{form}-nav"]
    return tokens + ["hid", "a hid", "bio", "authorBio", "aBio", "ads", "ſhare", "Ünicode-author", "K-ad", ""]


def test_token_features_are_the_vocabularies_matched_one_by_one():
    for token in _tokens():
        expected = frozenset(name for name, pattern in S.VOCABULARIES if pattern.search(token))
        assert S.token_features.__wrapped__(token) == expected, token
        assert all(S.token_matches(name, token) == (name in expected) for name, _ in S.VOCABULARIES), token


def test_factored_patterns_merge_long_word_lists_only():
    assert S.factored("ab|ac|b") == "ab|ac|b"
    words = "|".join(f"w{i:02d}x" for i in range(S.MIN_WORDS_FACTORED)) + "|^z$"
    merged = S.factored(words)
    assert merged.startswith("w") and merged.endswith("|^z$")
    for text in ("w07x", "aw19xb", "z", "w7x", "zz", "w20x"):
        assert bool(re.search(merged, text)) == bool(re.search(words, text)), text


def test_alternatives_split_outside_groups_classes_and_escapes():
    assert S._alternatives(r"a(?:b|c)|[|\]]|d\|e|f") == ["a(?:b|c)", r"[|\]]", r"d\|e", "f"]


def test_component_and_state_words_are_not_boilerplate_kinds():
    """AEM names every component ``cmp-*`` (a consent manager's ``qc-cmp-*`` is a cookie box), a search
    page's results are its content (a search bar is a menu), a locked thread or an unlocked listing is no paywall."""
    kinds = {token: {f for f in S.token_features(token) if f.startswith("kind:")}
             for token in ("cmp-text", "cmp-container", "qc-cmp-ui", "search-results", "search-result-items",
                           "search-page-wrapper", "search", "search-bar", "is-locked", "listing-link--unlocked",
                           "content-locked")}
    assert kinds["cmp-text"] == kinds["cmp-container"] == set()
    assert kinds["qc-cmp-ui"] == {"kind:cookie"}
    assert kinds["search-results"] == kinds["search-result-items"] == kinds["search-page-wrapper"] == set()
    assert kinds["search"] == kinds["search-bar"] == {"kind:nav"}
    assert kinds["is-locked"] == kinds["listing-link--unlocked"] == set()
    assert kinds["content-locked"] == {"kind:paywall"}


def test_required_literals_are_held_by_every_match():
    assert S.required_literals("re-?next") == {"next"}
    assert S.required_literals("(?:^|[_-])(?:ad|ads|adsense)(?:$|[_-])") == {"ad"}
    assert S.required_literals("(?:^|[_-])(?:nav|menu)(?:$|_)") == {"nav", "menu"}
    assert S.required_literals("(?<!un)locked(?!-x)") == {"locked"}
    assert S.required_literals("a?b*") is None
    assert S.required_literals("(?i:ab)") is None


def test_the_scanner_finds_overlapping_and_nested_words():
    """Words inside other words and overlapping ones all count ("sidebar-adslot": other, ad)."""
    for token in ("sidebar-adslot", "xsidebarx", "readnext", "read-next-more", "authorbiox", "abio", "a-bio",
                  "hid", "unlocked", "qc-cmp-ui", "navigation", "sub-nav-x", "footerwidget"):
        expected = frozenset(name for name, pattern in S.VOCABULARIES if pattern.search(token))
        assert S.folded_features(token.lower(), token) == expected, token
