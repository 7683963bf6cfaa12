"""wikitext/parsing.py: mwparserfromhell with MediaWiki's depth limit, and the refusals built on it."""

from __future__ import annotations

import pytest

from advocacy_bot.wikitext.bots import bot_may_edit
from advocacy_bot.wikitext.nav_header import HeaderSpec, place_header
from advocacy_bot.wikitext.parsing import MAX_DEPTH, TooDeeplyNested, parse
from advocacy_bot.wikitext.talk_threads import split_threads
from advocacy_bot.wikitext.translate_prepare import prepare


def nested(depth: int, opening="{{a|", closing="}}") -> str:
    return opening * depth + "x" + closing * depth


@pytest.mark.parametrize("text", [nested(MAX_DEPTH // 2), nested(40, "<span>", "</span>"), "[[a|" * 300 + "]]" * 300,
                                  "{{" * 300 + "x"])  # unclosed braces are text, not depth
def test_text_within_the_limit_parses_and_prints_back(text):
    assert str(parse(text)) == text


def test_brace_depth_counts_pairs_that_close_outside_comments_and_nowiki():
    from advocacy_bot.wikitext.parsing import brace_depth

    assert brace_depth(nested(MAX_DEPTH)) == MAX_DEPTH and brace_depth(nested(3, "{{{x|", "}}}")) == 3
    assert brace_depth("{{{a}}}") == 1 and brace_depth("{{a|{{{b}}}}}") == 2
    assert brace_depth("{{" * 300 + "x}}") == 1  # the unclosed ones are text
    assert brace_depth("<nowiki>" + nested(200) + "</nowiki> {{a}}") == 1
    assert brace_depth("<!-- " + nested(200) + " -->") == 0
    assert brace_depth("{{a}} {{b|{{c}}}}") == 2


@pytest.mark.parametrize("text", [nested(300, "{{", "}}"), nested(300, "{{{", "}}}"), nested(5000, "{{", "}}"),
                                  # issue 15: mwparserfromhell reads these as text past its own depth, so the
                                  # page was archived although the README says it is not
                                  nested(MAX_DEPTH + 1), nested(150, "{{#if:x|", "}}")])
def test_deeper_than_mediawiki_expands_is_refused_not_a_recursion_error(text):
    with pytest.raises(TooDeeplyNested, match=f"more than {MAX_DEPTH} levels"):
        parse(text)


DEEP = nested(3000, "{{", "}}")


def test_a_talk_page_too_deep_to_split_says_so():
    with pytest.raises(TooDeeplyNested):
        split_threads("== A ==\n" + DEEP)


def test_preparing_a_page_too_deep_gives_a_problem_on_line_one_and_the_text_unchanged():
    result = prepare("Intro.\n\n" + DEEP)
    assert [(p.rule, p.line) for p in result.problems] == [("too-deep", 1)]
    assert result.text == "Intro.\n\n" + DEEP


def test_a_header_too_deep_to_read_is_left_as_ambiguous():
    spec = HeaderSpec("Template:Root/Header", frozenset({"Root", "Root/About"}), "Root")
    fix = place_header(DEEP + "\nProse.", "Root/About", spec, "about")
    assert not fix.changed and "levels deep" in fix.ambiguous and fix.text.startswith(DEEP)


@pytest.mark.parametrize("text, may_edit", [(DEEP, True), (DEEP + "{{nobots}}", False),
                                            ("{{bots|deny=all}}" + DEEP, False), (DEEP + "{{Bots}}", False)])
def test_exclusion_on_a_page_too_deep_to_parse_errs_on_the_side_of_not_editing(text, may_edit):
    assert bot_may_edit(text, "AdvocacyBot") is may_edit
