"""Preparing a page for translation: what is wrapped, what is left alone, and the properties of the transform."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from advocacy_bot.wikitext.translate_markup import parse, validate
from advocacy_bot.wikitext.translate_prepare import CLOSE, LANGUAGES, OPEN, prepare


def test_untagged_page_gets_language_bar_and_blocks_per_run_of_prose():
    text = ("Intro with a [[Special:MyLanguage/Global Advocacy|link]].\n\n"
            "== Heading ==\nText under it.\n* one\n* two\n\n"
            "[[Category:Global Advocacy]]")
    result = prepare(text)
    assert result.text == ("<languages/>\n<translate>\nIntro with a [[Special:MyLanguage/Global Advocacy|link]].\n\n"
                           "== Heading ==\nText under it.\n* one\n* two\n</translate>\n\n"
                           "[[Category:Global Advocacy]]")
    assert (result.languages_added, result.paragraphs, result.blocks) == (True, 2, 1)
    assert result.notes == ("added <languages/> at the top", "wrapped 2 prose paragraphs in 1 <translate> block")
    assert [unit.text for unit in parse(result.text).units] == [
        "Intro with a [[Special:MyLanguage/Global Advocacy|link]].", "== Heading ==\nText under it.\n* one\n* two"]


def test_structure_header_and_staff_block_are_left_alone():
    header = "{{Global Advocacy/Header|current=about}}"
    staff = ("<!-- BEGIN STAFF LIST (kept by AdvocacyBot): generated -->\n* '''Ana''' – Specialist\n\n"
             "Plain words inside the block\n<!-- END STAFF LIST (kept by AdvocacyBot) -->")
    text = (f"<languages/>\n{header}\nFirst words.\n\n"
            "{{Infobox\n|text=Some words\n\nthat run on}}\n\n"
            "{| class=\"wikitable\"\n| A cell with words\n|}\n\n"
            "<!-- a comment\n\nwith words -->\n\n"
            " preformatted words\n\n"
            "[[Special:MyLanguage/A|Home]] · [[Special:MyLanguage/B|About]]\n\n"
            "Words with <div>a block</div> in them.\n\n"
            f"{staff}\n\n__NOTOC__")
    start = text.index("<!-- BEGIN")
    result = prepare(text, keep_out=[(start, start + len(staff))])
    assert result.text == text.replace("First words.", OPEN + "First words." + CLOSE)
    assert (result.languages_added, result.paragraphs) == (False, 1)


def test_existing_blocks_keep_their_text_and_old_tvars_are_migrated():
    text = ("<languages/>\n<translate>\n<!--T:1-->\nSee <tvar|docs>[[Docs]]</> and <tvar name=x>y</tvar>.\n</translate>\n\n"
            "A new paragraph with <tvar|u>[[U]]</>.")
    result = prepare(text)
    assert result.text == ("<languages/>\n<translate>\n<!--T:1-->\nSee <tvar name=docs>[[Docs]]</tvar> and "
                           "<tvar name=x>y</tvar>.\n</translate>\n\n<translate>\nA new paragraph with "
                           "<tvar name=u>[[U]]</tvar>.\n</translate>")
    assert result.migrated == 2
    # Translate compares units with variables as $name: the migrated unit is not outdated.
    before, after = parse(text).units[0], parse(result.text).units[0]
    assert before.text_with_variables == after.text_with_variables == "See $docs and $x."


def test_tvar_names_are_quoted_when_needed():
    result = prepare('<translate>\nA <tvar|two words>x</> b <tvar|say "hi">y</>.\n</translate>')
    assert result.text == ('<languages/>\n<translate>\nA <tvar name="two words">x</tvar> b '
                           "<tvar name='say \"hi\"'>y</tvar>.\n</translate>")
    assert [v.name for v in parse(result.text).units[0].variables] == ["two words", 'say "hi"']


def test_leading_and_trailing_structure_lines_stay_outside_the_block():
    text = "{{nobots}}\n{{Global Advocacy/Header|current=faq}}\nQuestion time.\n[[Category:FAQ]]"
    assert prepare(text).text == ("<languages/>\n{{nobots}}\n{{Global Advocacy/Header|current=faq}}\n"
                                  "<translate>\nQuestion time.\n</translate>\n[[Category:FAQ]]")


def test_refused_markup_is_not_prepared():
    text = "<translate>\nOpen block\n\nA paragraph."
    result = prepare(text)
    assert result.text == text and [p.rule for p in result.problems] == ["pt-parse-open"]
    assert result.notes == ()


def test_nothing_to_do_is_no_change():
    for text in ("", "[[Category:X]]", "{{Template}}", "<languages/>\n<translate>\nDone.\n</translate>"):
        result = prepare(text)
        assert result.text == text and result.notes == ()


# -- properties -------------------------------------------------------------------------------------

_pieces = st.sampled_from([
    "Plain words.", "== Heading ==", "=== Sub ===", "* item", "# step", ": indent", "; term", "[[Link|label]]",
    "[[Category:X]]", "{{Tpl}}", "{{Tpl|", "}}", "{|", "|}", "| cell", "<div>", "</div>", "<span>x</span>",
    "<!--", "-->", "<nowiki>", "</nowiki>", " pre", "<translate>", "</translate>", "<!--T:1-->", "<!--T:2-->",
    "<tvar|n>v</>", "<tvar name=n>v</tvar>", "__NOTOC__", "<languages/>", "''it''", "'''bold'''", "----",
    "[https://example.org ext]", "&amp;", "<br />", "{{Global Advocacy/Header|current=x}}",
])
_pages = st.lists(st.tuples(_pieces, st.sampled_from(["\n", "\n\n", " ", "\n\n\n"])), max_size=14).map(
    lambda parts: "".join(piece + sep for piece, sep in parts))


def _undo(result) -> str:
    text = result.text
    for insertion in sorted(result.insertions, key=lambda i: i.offset, reverse=True):
        assert text[insertion.offset:insertion.offset + len(insertion.text)] == insertion.text
        text = text[:insertion.offset] + text[insertion.offset + len(insertion.text):]
    return text


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(_pages)
@example("Words\n{{Tpl|\n\nmore words}}\n")
@example("<!--\n\nWords -->\n")
def test_prepare_is_idempotent_valid_and_only_adds_its_tags(text):
    result = prepare(text)
    again = prepare(result.text)
    assert again.text == result.text and again.notes == ()
    if result.problems:
        assert result.text == text
        return
    assert validate(result.text) == []
    assert all(i.text in (OPEN, CLOSE, LANGUAGES + "\n") for i in result.insertions)
    if not result.migrated:
        assert _undo(result) == text


@settings(max_examples=300)
@given(st.text())
def test_prepare_never_raises(text):
    result = prepare(text)
    assert isinstance(result.text, str)
