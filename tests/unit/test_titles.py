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
    assert {"talk", "template", "meta", "translations", "image"} <= set(titles.Namespaces.standard().spellings)
    package = Path(titles.__file__).resolve().parents[1]
    spelled = [str(path.relative_to(package)) for path in package.rglob("*.py")
               if re.search(r'\b10: "Template"', path.read_text())]
    assert spelled == ["wikitext/titles.py"]


# Meta-Wiki's site info, as pywikibot reads it: the project namespace is named "Meta" (canonical
# "Project"), and it has namespaces of its own (Research, Grants).
META_NAMESPACES = [("", [""]), ("Talk", ["Talk"]), ("Meta", ["Project", "M"]), ("Meta talk", ["Project talk"]),
                   ("File", ["File", "Image"]), ("Template", ["Template", "T"]), ("Research", ["Research"]),
                   ("Research talk", ["Research talk"]), ("Grants", ["Grants"])]


def test_a_wikis_own_namespace_names_spell_its_titles():
    meta = titles.Namespaces.of_site(META_NAMESPACES)
    assert titles.normalize_title("project:global advocacy", meta) == "Meta:Global advocacy"
    assert titles.normalize_title("PROJECT_TALK:x", meta) == "Meta talk:X"
    assert titles.normalize_title("research:some study", meta) == "Research:Some study"
    assert titles.normalize_title("image:a.png", meta) == "File:A.png"
    assert titles.normalize_title("t:nav", meta) == "Template:Nav"
    assert titles.has_namespace("Research:x", meta) and not titles.has_namespace("Global Advocacy: x", meta)
    # Without the wiki's answer, only the standard names are prefixes: Research: is part of a page name.
    standard = titles.Namespaces.standard()
    assert titles.normalize_title("research:some study", standard) == "Research:some study"
    assert titles.normalize_title("project:x", standard) == "Project:X"


def test_the_site_names_are_used_once_a_run_has_them():
    assert titles.normalize_title("research:x") == "Research:x"
    titles.use_site_namespaces(titles.Namespaces.of_site(META_NAMESPACES))
    assert titles.normalize_title("research:x") == "Research:X"
    assert titles.site_namespaces().spelling("project") == "Meta"
