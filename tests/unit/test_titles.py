"""Title rules (wikitext/titles.py): what MediaWiki refuses is never sent in a request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from advocacy_bot.wikitext import titles
from advocacy_bot.wikitext.titles import normalize_title, title_problem


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


@pytest.mark.parametrize("raw, spelt", [
    ("talk:global_advocacy/Archive 1", "Talk:Global advocacy/Archive 1"),
    ("Template:global  Advocacy/Header", "Template:Global Advocacy/Header"),
    (":Global Advocacy", "Global Advocacy"),
    ("meta TALK:x", "Meta talk:X"),
    ("Global Advocacy: a note", "Global Advocacy: a note"),  # no namespace: the colon is part of the name
    ("user:<bot>/Shutoff", "User:<bot>/Shutoff"),
])
def test_titles_are_spelt_as_mediawiki_spells_them(raw, spelt):
    assert normalize_title(raw) == spelt
    assert normalize_title(spelt) == spelt


def test_one_module_normalises_titles():
    """Issue 18: titles were normalised three ways (archive, the header, the settings)."""
    package = Path(titles.__file__).resolve().parents[1]
    defining = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                      if re.search(r"^def (normali[sz]e_title|_normali[sz]e)\b", path.read_text(), re.M))
    assert defining == ["wikitext/titles.py"]


def test_one_list_of_namespaces():
    """Issue 18: the namespaces were listed three times (titles, the tree, the dev wiki's export)."""
    from advocacy_bot.devwiki.export import NAMESPACES as EXPORTED
    from advocacy_bot.tree import TREE_NAMESPACES

    assert all(titles.NAMESPACE_NAMES[key] == name for key, name in {**TREE_NAMESPACES, **EXPORTED}.items())
    assert TREE_NAMESPACES == {0: "", 1: "Talk", 10: "Template"}
    assert {"talk", "template", "meta", "translations", "image"} <= set(titles.NAMESPACES)
    package = Path(titles.__file__).resolve().parents[1]
    spelled = [str(path.relative_to(package)) for path in package.rglob("*.py")
               if re.search(r'\b10: "Template"', path.read_text())]
    assert spelled == ["wikitext/titles.py"]
