"""The Translate markup engine: reading, refusing and marking pages as the Translate extension does."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from advocacy_bot.wikitext.translate_markup import (
    RULES,
    InvalidMarkup,
    MarkupProblem,
    add_markers,
    highest_id,
    mark,
    parse,
    validate,
)


def rules(text: str) -> list[tuple[str, int]]:
    return [(p.rule, p.line) for p in validate(text)]


# --- reading ------------------------------------------------------------------------------------


def test_parse_gives_blocks_units_ids_and_offsets():
    text = "Intro\n<translate>\n<!--T:4-->\nFirst.\n\nSecond.\n</translate> and <translate nowrap>x</translate>"
    page = parse(text)
    assert page.ok and page.problems == ()
    first, second = page.blocks
    assert text[first.start:first.end].startswith("<translate>\n")
    assert text[first.start:first.end].endswith("</translate>")
    assert (first.nowrap, first.inline, second.nowrap, second.inline) == (False, False, True, True)
    assert [u.id for u in page.units] == ["4", None, None]
    assert [text[u.start:u.end] for u in page.units] == ["<!--T:4-->\nFirst.", "Second.", "x"]
    assert [u.text for u in page.units] == ["First.", "Second.", "x"]
    marker = page.units[0].marker
    assert text[marker.start:marker.end] == "<!--T:4-->"
    assert page.ids == ("4",)


def test_units_split_only_on_two_consecutive_newlines():
    page = parse("<translate>\nA\n \nB\n\n\n\n  C\t\n\nD</translate>")
    assert [u.text for u in page.units] == ["A\n \nB", "C", "D"]


def test_heading_marker_and_marker_after_whitespace_line_are_read():
    page = parse("<translate>\n== Topic == <!--T:1-->\nSome text.\n\n <!--T:2-->\nMore.\n</translate>")
    assert page.ok
    assert [(u.id, u.text) for u in page.units] == [("1", "== Topic ==\nSome text."), ("2", "More.")]


def test_nowiki_hides_tags_but_not_markers():
    # Translate sets <nowiki> aside only while it looks for <translate> tags.
    assert validate("Say <nowiki><translate></nowiki> and <nowiki></translate></nowiki>.") == []
    page = parse("<translate>\nA <nowiki></translate></nowiki> B\n</translate>")
    assert page.ok and [u.text for u in page.units] == ["A <nowiki></translate></nowiki> B"]
    assert rules("<translate>\nA <nowiki><!--T:1--></nowiki> B\n</translate>") == [("pt-shake-position", 2)]


def test_variables_both_syntaxes():
    page = parse("<translate>\nHi <tvar name=who>{{{1}}}</tvar> and <tvar|n>5</>, <tvar name='q'>x</tvar>.\n"
                 "</translate>")
    unit = page.units[0]
    assert sorted((v.name, v.value) for v in unit.variables) == [("n", "5"), ("q", "x"), ("who", "{{{1}}}")]
    assert unit.text_with_variables == "Hi $who and $n, $q."


# --- refusing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("<translate>\nopen", [("pt-parse-open", 1)]),
    ("a\n</translate>\n<translate>b</translate>", [("pt-parse-close", 2)]),
    ("<translate>\nA\n<translate nowrap>\nB\n</translate>", [("pt-parse-nested", 3)]),
    ("<translate>\n<!--T:1-->\n<!--T:2-->\nText\n</translate>", [("pt-shake-multiple", 3)]),
    ("<translate>\nText <!--T:1--> more\n</translate>", [("pt-shake-position", 2)]),
    ("<translate>\n<!--T:1-->Text\n</translate>", [("pt-shake-position", 2)]),
    ("<translate>\nA\n\n<!--T:1-->\n\nB\n</translate>", [("pt-shake-empty", 4)]),
    ("<translate>\n<!--T:a_b-->\nA\n</translate>", [("tpt-invalid", 2)]),
    ("<translate>\n<!--T:a/b-->\nA\n</translate>", [("tpt-invalid", 2)]),
    ("<translate>\n<!--T:-->\nA\n</translate>", [("tpt-invalid", 2)]),
    ("<translate>\n<!--T: 1-->\nA\n</translate>", [("tpt-invalid", 2)]),
    ("<translate>\nA\n<!--T:1\n2-->\nB\n</translate>", [("tpt-invalid", 3)]),
    ("<translate>\nA <!--T:7\nB\n</translate>", [("tpt-invalid", 2)]),
    ("<translate>\n<!--T:a<b-->\nA\n</translate>", [("tpt-unit-title-invalid", 2)]),
    ("<translate>\n<!--T:a>b-->\nA\n</translate>", [("tpt-unit-title-invalid", 2)]),
    ("<translate>\n<!--T:a#b-->\nA\n</translate>", [("tpt-unit-title-invalid", 2)]),
    ("<translate>\n<!--T:a[1]-->\nA\n</translate>", [("tpt-unit-title-invalid", 2)]),
    ("<translate>\n<!--T:%41-->\nA\n</translate>", [("tpt-unit-title-invalid", 2)]),
    ("<translate>\n<!--T:&amp;-->\nA\n</translate>", [("tpt-unit-title-invalid", 2)]),
    ("<translate>\n<!--T:..-->\nA\n</translate>", [("tpt-unit-title-invalid", 2)]),
    ("<translate>\n<!--T:a~~~-->\nA\n</translate>", [("tpt-unit-title-invalid", 2)]),
    ("<translate>\n<!--T:a\tb-->\nA\n</translate>", [("tpt-unit-title-invalid", 2)]),
    ("<translate>\n<!--T:" + "9" * 240 + "-->\nA\n</translate>", [("tpt-unit-title-too-long", 2)]),
    ("<translate>\n<!--T:1-->\nA\n\n<!--T:1-->\nB\n</translate>", [("tpt-duplicate", 5)]),
    ("<translate>\n<!--T:Page display title-->\nA\n</translate>", [("tpt-duplicate", 2)]),
    ("<div>\n<translate>\nText\n</div>\n</translate>", [("not-atomic", 2)]),
    ("<translate>\n<span>Text\n</translate></span>", [("not-atomic", 3)]),
    ("<translate>\n<pre>Text\n</translate></pre>", [("not-atomic", 3)]),
    ("<translate>\nText <!-- note\n</translate> -->", [("not-atomic", 3)]),
    # Markers, or where Translate would put one, inside a comment / <nowiki> / <pre>: Translate would
    # end the comment early or leave the marker showing as text.
    ("<!-- old:\n<translate>\nText\n</translate>\n-->", [("not-atomic", 2)]),
    ("<translate><!--<!--T:1--></translate>", [("not-atomic", 1)]),
    ("<translate>\n<nowiki><!--T:1-->\nA</nowiki>\n</translate>", [("not-atomic", 2)]),
    ("<translate>\n<!-- hidden\n== Old ==\n-->\nText\n</translate>", [("not-atomic", 3)]),
    ("<translate>\n<pre>\n== Code ==\n</pre>\n</translate>", [("not-atomic", 3)]),
    ("<translate>\nA <!-- x\n\nB --> C\n</translate>", [("not-atomic", 4)]),
])
def test_refused_with_translates_codes(text, expected):
    assert rules(text) == expected
    with pytest.raises(InvalidMarkup) as caught:
        add_markers(text)
    assert [(p.rule, p.line) for p in caught.value.problems] == expected


@pytest.mark.parametrize("text", [
    "<translate>\n<div>Text</div>\n\n<ul><li>One<li>Two</ul> a<br>b<br/>c<hr />\n</translate>",
    "<div>\n<translate>\nText\n</translate>\n</div>",
    "<translate>\n<pre><div></pre> <nowiki></span></nowiki> <!-- <b> -->\n</translate>",
    "<translate>\n<ref name=x/> <foo> </bar> <tvar name=a>1</tvar> a < b > c\n</translate>",
    "<translate>\n<!--T:Intro-->\nNames need not be numbers.\n</translate>",
])
def test_accepted(text):
    assert validate(text) == []


def test_problems_are_frozen_and_in_text_order():
    text = "</translate>\n<translate>\n<!--T:x_y-->\nA\n\nB <!--T:2--> C\n</translate>\n<translate>\nend"
    problems = validate(text)
    assert [p.rule for p in problems] == ["pt-parse-close", "tpt-invalid", "pt-shake-position", "pt-parse-open"]
    assert [p.line for p in problems] == [1, 3, 6, 8]
    assert all(text.count("\n", 0, p.offset) + 1 == p.line for p in problems)
    assert text[problems[2].offset:].startswith("<!--T:2-->")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problems[0].rule = "x"  # type: ignore[misc]
    assert MarkupProblem("r", "m", 0, 1) == MarkupProblem("r", "m", 0, 1)


# --- numbering ----------------------------------------------------------------------------------


def test_highest_id():
    assert highest_id("") == 0
    assert highest_id("<!--T:12--> <!--T:x--> <!--T:007--> <!--T:-1--> <!--T:3a-->") == 12
    assert highest_id("outside any block <!--T:40-->, <nowiki><!--T:41--></nowiki>") == 41
    assert highest_id("<!--T:" + "9" * 5000 + "-->") == 10 ** 5000 - 1


def test_new_ids_follow_the_highest_and_document_order():
    text = "<translate>\nA\n\n<!--T:5-->\nB\n\nC\n</translate> <translate>D</translate>"
    result = mark(text, highest=7)
    assert result.assigned == ("8", "9", "10")
    assert result.text == (
        "<translate>\n<!--T:8-->\nA\n\n<!--T:5-->\nB\n\n<!--T:9-->\nC\n</translate>"
        " <translate><!--T:10--> D</translate>"
    )
    assert mark(text).assigned == ("6", "7", "8")
    assert add_markers(text, highest=2) == add_markers(text)


def test_placeholder_ids_are_numbered_and_existing_ids_never_change():
    text = "<translate>\n<!--T:-1-->\nA\n\n<!--T:intro-->\nB\n\n<!--T:3-->\nC\n\n<!--T:-1-->\nD\n</translate>"
    result = mark(text)
    assert result.assigned == ("4", "5")
    assert [u.id for u in parse(result.text).units] == ["4", "intro", "3", "5"]
    assert result.rewritten == ("4", "5")


def test_new_id_too_long_for_a_title_is_refused():
    with pytest.raises(InvalidMarkup) as caught:
        add_markers("<translate>x</translate>", highest=10 ** 239 - 1)
    assert caught.value.problems[0].rule == "tpt-unit-title-too-long"


# --- placing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, marked", [
    # Heading anywhere in the unit: the marker ends its line.
    ("<translate>\n== One ==\nText\n</translate>", "<translate>\n== One == <!--T:1-->\nText\n</translate>"),
    ("<translate>\nIntro\n=== Sub ===\nText\n</translate>",
     "<translate>\nIntro\n=== Sub === <!--T:1-->\nText\n</translate>"),
    ("<translate>== Inline ==</translate>", "<translate>== Inline == <!--T:1--></translate>"),
    # Trailing space on the heading line is kept and stands in for the separator.
    ("<translate>\n== One ==  \nText\n</translate>",
     "<translate>\n== One ==  <!--T:1-->\nText\n</translate>"),
    # Not headings: one '=' or text after the last '='.
    ("<translate>\n=\n== x == y\n</translate>", "<translate>\n<!--T:1-->\n=\n== x == y\n</translate>"),
    # Moves Translate makes when it rewrites the page.
    ("<translate>\n== One ==\n<!--T:3-->\nText\n</translate>",
     "<translate>\n== One == <!--T:3-->\nText\n</translate>"),
    ("<translate>\n<!--T:3-->\n== One ==\nText\n</translate>",
     "<translate>\n== One == <!--T:3-->\nText\n</translate>"),
    ("<translate>\nText <!--T:3-->\nMore\n</translate>", "<translate>\n<!--T:3-->\nText\nMore\n</translate>"),
    ("<translate>\n<!--T:3--> Text\nMore\n</translate>", "<translate>\n<!--T:3-->\nText\nMore\n</translate>"),
    # Leaving the start, the marker gives up the indent it held; " ==" then reads as a heading.
    ("<translate>\n<!--T:3-->\n ==\n== H ==\n</translate>", "<translate>\n == <!--T:3-->\n== H ==\n</translate>"),
    ("<translate>\n<!--T:3-->\n ==\nText\n</translate>", "<translate>\n<!--T:3-->\n ==\nText\n</translate>"),
    # Already where Translate wants them: untouched.
    ("<translate>\n== One ==<!--T:3-->\nText\n</translate>",
     "<translate>\n== One ==<!--T:3-->\nText\n</translate>"),
    ("<translate><!--T:3--> Text</translate>", "<translate><!--T:3--> Text</translate>"),
    ("<translate>\n<!--T:3-->\n Text\n</translate>", "<translate>\n<!--T:3-->\n Text\n</translate>"),
])
def test_marker_places(text, marked):
    assert add_markers(text) == marked
    assert add_markers(marked) == marked
    assert validate(marked) == []


def test_marking_reports_what_it_did():
    text = "<translate>\n== A ==\n<!--T:2-->\nx\n\ny\n</translate>"
    result = mark(text)
    assert result.assigned == ("3",)
    assert result.rewritten == ("2",)
    (inserted,) = result.inserted
    assert (inserted.id, inserted.text) == ("3", "<!--T:3-->\n")
    assert result.text[inserted.offset:].startswith("<!--T:3-->\ny")


def test_marking_a_page_like_global_advocacy():
    text = (
        "<languages/>\n{{Global Advocacy/Header}}\n<div class=\"box\">\n<translate>\n"
        "== The team ==\n"
        "The team works on <tvar name=policy>[[Special:MyLanguage/Public policy|public policy]]</tvar>.\n\n"
        "<!--T:9-->\n* Vice President of Global Advocacy\n* Public Policy Director\n"
        "</translate>\n</div>\n"
        "<translate>Discussion</translate> | <translate nowrap>FAQ</translate>\n"
    )
    result = mark(text, highest=12)
    assert result.assigned == ("13", "14", "15")
    assert "== The team == <!--T:13-->\nThe team works on" in result.text
    assert ("<translate><!--T:14--> Discussion</translate> | <translate nowrap><!--T:15--> FAQ</translate>"
            in result.text)
    assert "<!--T:9-->\n* Vice President" in result.text
    assert add_markers(result.text) == result.text


def test_engine_rejects_non_text():
    with pytest.raises(TypeError):
        parse(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mark("x", highest="3")  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------------------

FRAGMENTS = [
    "<translate>", "</translate>", "<translate nowrap>", "<nowiki>", "</nowiki>",
    "\n", "\n", "\n\n", "\n\n", " ", "\t", "\r", "\0", "\x0b", "\f",
    "==", "=", "== H ==", "text", "a", "<!--T:", "-->", "<!--T:1-->", "<!--T:2-->", "<!--T:-1-->",
    "<!--T:x_y-->", "<!--", "<div>", "</div>", "<span>", "</span>", "<br>", "<li>", "<pre>", "</pre>",
    "<tvar name=v>", "</tvar>", "<tvar|w>", "</>", "{{T}}", "#", "~~~",
]
markup_soup = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=30).map("".join)
# The same fragments inside <translate> blocks, so that the odd ones also get marked, not just refused.
inner_soup = st.lists(
    st.sampled_from([f for f in FRAGMENTS if "translate" not in f] + ["\n== H ==\n", "Text.", "<!--T:7-->\n"]),
    min_size=1, max_size=12,
).map("".join)
blocks_soup = st.lists(
    st.tuples(st.sampled_from(["", "\n", "Intro\n", "x "]), st.sampled_from(["<translate>", "<translate nowrap>"]),
              inner_soup),
    min_size=1, max_size=3,
).map(lambda parts: "".join(f"{before}{tag}{inner}</translate>" for before, tag, inner in parts))

line_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<>\n\r\x0b\x0c"),
    min_size=1, max_size=12,
).filter(lambda s: s.strip())


@st.composite
def unit_bodies(draw) -> str:
    lines = draw(st.lists(
        st.one_of(
            line_text,
            line_text.map(lambda s: f"== {s.strip()} =="),
            line_text.map(lambda s: f"== {s.strip()} ==  "),
            line_text.map(lambda s: f"<span>{s}</span>"),
            line_text.map(lambda s: f"<tvar name=x>{s}</tvar>"),
        ),
        min_size=1, max_size=4,
    ))
    body = "\n".join(lines).strip(" \t\n\v\f\r\0")
    assume(body)
    return body


@st.composite
def translatable_pages(draw) -> str:
    """Pages Translate accepts: blocks of units, some with markers in Translate's own places."""
    counter = iter(range(1, 10_000))
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        parts.append(draw(st.sampled_from(["Intro text\n", "{{Header}}\n", "<div>\n", "", "<languages/>\n"])))
        if draw(st.booleans()):
            parts.append(f"<translate>{draw(line_text)}</translate>\n")
            continue
        units = []
        for _ in range(draw(st.integers(1, 4))):
            body = draw(unit_bodies())
            choice = draw(st.sampled_from(["none", "none", "start", "placeholder"]))
            if choice == "start" and not body.startswith("=="):
                body = f"<!--T:{next(counter) * 10}-->\n{body}"
            elif choice == "placeholder":
                body = f"<!--T:-1-->\n{body}"
            units.append(body)
        separator = draw(st.sampled_from(["\n\n", "\n\n\n", "\n \n\n"]))
        parts.append("<translate>\n" + separator.join(units) + "\n</translate>\n")
        if parts[-2] == "<div>\n":
            parts.append("</div>\n")
    return "".join(parts)


def check_marking(text: str, highest: int = 0) -> None:
    """Everything marking promises, for a text that Translate accepts."""
    result = mark(text, highest)
    before, after = parse(text), parse(result.text)
    assert after.problems == ()
    assert mark(result.text, highest).text == result.text  # twice == once
    # every unit numbered; old ids kept; new ones count up from the highest, in order
    assert len(after.units) == len(before.units)
    assert all(unit.id is not None for unit in after.units)
    expected = iter(result.assigned)
    assert [u.id if u.id is not None else next(expected) for u in before.units] == [u.id for u in after.units]
    start = max(highest, highest_id(text))
    assert result.assigned == tuple(str(n) for n in range(start + 1, start + 1 + len(result.assigned)))
    # only the inserted markers (and the separators they brought) were added
    if not result.rewritten:
        restored = result.text
        for inserted in sorted(result.inserted, key=lambda i: i.offset, reverse=True):
            marker = f"<!--T:{inserted.id}-->"
            assert inserted.text in (marker + "\n", marker + " ", " " + marker, marker)
            assert restored[inserted.offset:inserted.offset + len(inserted.text)] == inserted.text
            restored = restored[:inserted.offset] + restored[inserted.offset + len(inserted.text):]
        assert restored == text
    # the text Translate stores for a new unit is unchanged, but for the whitespace that Translate
    # drops in front of a heading's marker
    def lines(unit_text: str) -> list[str]:
        return [line.rstrip(" \t\v\f\r") for line in unit_text.split("\n")]

    assert [lines(b.text) for b in before.units if b.marker is None] == [
        lines(a.text) for a, b in zip(after.units, before.units) if b.marker is None
    ]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(translatable_pages(), st.integers(0, 50))
def test_marking_properties_on_translatable_pages(text, highest):
    assert validate(text) == []
    check_marking(text, highest)


@settings(max_examples=1500)
@given(markup_soup)
@example("<translate>\n== H ==\t\nx\n</translate>")
@example("<translate>\n<!--T:1--> \nx\n</translate>")
@example("<translate>\nx\n<!--T:1-->\n</translate>")
def test_marking_properties_on_markup_soup(text):
    problems = validate(text)
    assert all(p.rule in RULES and p.line == text.count("\n", 0, p.offset) + 1 for p in problems)
    assert [p.offset for p in problems] == sorted(p.offset for p in problems)
    if problems:
        with pytest.raises(InvalidMarkup):
            mark(text)
    else:
        check_marking(text)


@settings(max_examples=1500)
@given(blocks_soup)
@example("<translate><!--<!--T:1--></translate>")
@example("<translate>\n<!--T:1--> \n\nx\n</translate>")
def test_marking_properties_on_blocks_of_soup(text):
    test_marking_properties_on_markup_soup.hypothesis.inner_test(text)


@settings(max_examples=500)
@given(st.text())
def test_never_raises_on_arbitrary_text(text):
    problems = validate(text)
    assert isinstance(problems, list)
    highest_id(text)
    try:
        marked = add_markers(text)
    except InvalidMarkup as refused:
        assert refused.problems == tuple(problems) and problems
    else:
        assert problems == [] and add_markers(marked) == marked
