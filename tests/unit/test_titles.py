"""Title rules (wikitext/titles.py): what MediaWiki refuses is never sent in a request."""

from __future__ import annotations

import pytest

from advocacy_bot.wikitext.titles import title_problem


@pytest.mark.parametrize("title", ["Global Advocacy", "Talk:Global Advocacy/Archive 3", "Template:X/Header",
                                   "User:AdvocacyBot/state.json", "Global Advocacy/Q&A", "C++ (language)",
                                   "Ünïcödé/日本語", "a" * 255])
def test_valid_titles(title):
    assert title_problem(title) is None


@pytest.mark.parametrize("title, why", [
    ("Talk:Global Advocacy/X<nowiki>|MediaWiki:Common.js|</nowiki>", "'<'"),  # issue 15's exit 5
    ("Talk:X/A|MediaWiki:Common.js", "'|'"),
    ("Global Advocacy#x", "'#'"),
    ("X/[[Link]]", "'['"),
    ("X/{{T}}", "'{'"),
    ("X/line\nbreak", "U+000A"),
    ("X/~~~~", "~~~"),
    ("X/%7C", "escape sequence"),
    ("X/&amp;", "escape sequence"),
    (":Leading colon", "starts with a colon"),
    ("Talk:", "no page name"),
    ("", "empty"),
    ("X/../Main Page", "relative path"),
    ("..", "relative path"),
    ("a" * 256, "longer than 255 bytes"),
    ("é" * 128, "longer than 255 bytes"),
])
def test_titles_mediawiki_refuses(title, why):
    assert why in title_problem(title)
