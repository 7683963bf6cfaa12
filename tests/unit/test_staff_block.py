"""The staff block: rendering, reading it back, reading hand-written lists, adopting a section."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy_bot.wikitext import staff_block as sb
from advocacy_bot.wikitext import translate_markup as tm
from tests.fixtures.snapshot import demo_pages

BOT = "AdvocacyBot"
HINT = "the roster page User:AdvocacyBot/roster.json"
DEMO = {p.title: p.text for p in demo_pages()}
CARDS = [sb.Card("twielgosz", "Tomasz Wielgosz", "Public Policy Director", "global", "TWielgosz (WMF)",
                 "tw@example.org", "9"),
         sb.Card("lvanroon", "Liesbeth van Roon", "Public Policy Specialist (Europe)", "europe")]


@pytest.mark.parametrize("form", sb.FORMS)
def test_rendered_blocks_are_valid_translate_markup_and_read_back(form):
    block = sb.render_block(CARDS, form, BOT, HINT, column_ids={"title": "40"}, retired=["15", "7"])
    page = f"<languages/>\n<translate>\n== Team == <!--T:1-->\n</translate>\n{block}\n[[Category:X]]"
    assert tm.validate(page) == []
    assert block.startswith("<!-- BEGIN STAFF LIST (kept by AdvocacyBot)") and HINT in block
    assert block.endswith("<!-- END STAFF LIST (kept by AdvocacyBot) -->")
    assert "<!--T:7--><!--T:15-->" in block  # retired ids, in number order
    assert "<translate><!--T:9--> Public Policy Director</translate>" in block
    assert "<translate>Public Policy Specialist (Europe)</translate>" in block  # new unit: no marker
    span = sb.find_block(page)
    shown = sb.read_entries(page[span.content_start:span.content_end])
    assert [(e.key, e.name, e.title, e.unit_id) for e in shown.entries] == [
        ("twielgosz", "Tomasz Wielgosz", "Public Policy Director", "9"),
        ("lvanroon", "Liesbeth van Roon", "Public Policy Specialist (Europe)", None)]
    if form == "contacts":
        assert shown.column_ids == {"title": "40"}
        first = shown.entries[0]
        assert (first.region, first.username, first.email) == ("global", "TWielgosz (WMF)", "tw@example.org")
        assert "|- data-staff=\"lvanroon\"\n| '''Liesbeth van Roon''' || <translate>" in block
        assert not any(line.endswith(" ") for line in block.split("\n"))


def test_find_block_refuses_a_malformed_block():
    begin, end = sb.begin_comment(BOT, HINT), sb.end_comment(BOT)
    assert sb.find_block("no block here") is None
    with pytest.raises(sb.BlockProblem, match="exactly one"):
        sb.find_block(f"{begin}\n{begin}\n{end}")
    with pytest.raises(sb.BlockProblem, match="exactly one"):
        sb.find_block(f"{begin}\n* a")
    with pytest.raises(sb.BlockProblem, match="comes before"):
        sb.find_block(f"{end}\n{begin}")


def test_a_block_inside_translate_is_detected():
    block = sb.render_block(CARDS, "cards", BOT, HINT)
    inside = f"<translate>\nIntro\n\n{block}\n</translate>"
    outside = f"<translate>\nIntro\n</translate>\n{block}"
    assert sb.block_in_translate(inside, sb.find_block(inside))
    assert not sb.block_in_translate(outside, sb.find_block(outside))


@pytest.mark.parametrize("line, expected", [
    # (name, title, region, username, email, unit id)
    ("* '''Tomasz Wielgosz''' – <translate><!--T:9--> Public Policy Director</translate>",
     ("Tomasz Wielgosz", "Public Policy Director", None, None, None, "9")),
    ("* Asia – Harumi Takenaka, Lead Public Policy Specialist (Asia)",
     ("Harumi Takenaka", "Lead Public Policy Specialist (Asia)", "Asia", None, None, None)),
    ("* [[User:TWielgosz (WMF)|Tomasz Wielgosz]], Public Policy Director",
     ("Tomasz Wielgosz", "Public Policy Director", None, "TWielgosz (WMF)", None, None)),
    ("'''Tomasz Wielgosz'''<br />Public Policy Director",
     ("Tomasz Wielgosz", "Public Policy Director", None, None, None, None)),
    ("* Tomasz Wielgosz - Public Policy Director - [mailto:tw@example.org write] ([[User:TWielgosz (WMF)|talk]])",
     ("Tomasz Wielgosz", "Public Policy Director", None, "TWielgosz (WMF)", "tw@example.org", None)),
    ("# '''Tomasz Wielgosz''', Public Policy Director, tw@example.org",
     ("Tomasz Wielgosz", "Public Policy Director", None, None, "tw@example.org", None)),
    ("; Tomasz Wielgosz : Public Policy Director",
     ("Tomasz Wielgosz", "Public Policy Director", None, None, None, None)),
    ("* Tomasz Wielgosz – <translate><!--T:-1--> Public Policy Director</translate>",
     ("Tomasz Wielgosz", "Public Policy Director", None, None, None, None)),
    ("{{Global Advocacy/Contact card|name=Tomasz Wielgosz|title=Public Policy Director|username=TWielgosz (WMF)}}",
     ("Tomasz Wielgosz", "Public Policy Director", None, "TWielgosz (WMF)", None, None)),
    ("* Europe: '''Liesbeth van Roon''' – <translate>Public Policy Specialist (Europe)</translate>",
     ("Liesbeth van Roon", "Public Policy Specialist (Europe)", "Europe", None, None, None)),
    ("* '''Liesbeth van Roon''' (Europe) – Public Policy Specialist",
     ("Liesbeth van Roon", "Public Policy Specialist", "Europe", None, None, None)),
    ("* <translate><!--T:4--> Public Policy Director</translate> – Tomasz Wielgosz",
     ("Tomasz Wielgosz", "Public Policy Director", None, None, None, "4")),
])
def test_hand_written_lines(line, expected):
    entry = sb.line_entry(line)
    assert (entry.name, entry.title, entry.region, entry.username, entry.email, entry.unit_id) == expected


@pytest.mark.parametrize("line", [
    "We are a small team spread across several time zones. If you are not sure whom to contact, write to us.",
    "<!--T:7-->",
    "</translate>",
    "",
    "== The team ==",
    '<div class="ga-staff-cards" style="display:flex;">',
])
def test_lines_that_show_nobody(line):
    assert sb.line_entry(line) is None


def test_tables_by_header_and_by_position():
    with_header = """{| class="wikitable"
! Region !! Name !! Role !! Account !! E-mail
|-
| Asia || '''Harumi Takenaka''' || <translate><!--T:31--> Lead Public Policy Specialist (Asia)</translate>
| [[User:HTakenaka (WMF)|HTakenaka (WMF)]] || [mailto:ht@example.org ht@example.org]
|-
| Europe || Liesbeth van Roon || Public Policy Specialist (Europe) || ||
|}"""
    entries = sb.read_entries(with_header).entries
    assert [(e.name, e.title, e.region, e.username, e.email, e.unit_id) for e in entries] == [
        ("Harumi Takenaka", "Lead Public Policy Specialist (Asia)", "Asia", "HTakenaka (WMF)", "ht@example.org", "31"),
        ("Liesbeth van Roon", "Public Policy Specialist (Europe)", "Europe", None, None, None)]
    no_header = "{|\n| Tomasz Wielgosz || Public Policy Director\n|-\n| Harumi Takenaka || Specialist\n|}"
    assert [(e.name, e.title) for e in sb.read_entries(no_header).entries] == [
        ("Tomasz Wielgosz", "Public Policy Director"), ("Harumi Takenaka", "Specialist")]


def test_definition_list_over_two_lines():
    entries = sb.read_entries("; Tomasz Wielgosz\n: Public Policy Director\n; Harumi Takenaka\n: Specialist").entries
    assert [(e.name, e.title) for e in entries] == [("Tomasz Wielgosz", "Public Policy Director"),
                                                    ("Harumi Takenaka", "Specialist")]


# -- adoption -------------------------------------------------------------------------------------

def test_adopting_a_list_outside_translate_only_wraps_it():
    text = DEMO["Global Advocacy"]
    adoption = sb.adopt(text, "The team", BOT, HINT)
    assert len(adoption.entries) == 12 and not adoption.inside_translate and adoption.retired == ()
    assert [e.unit_id for e in adoption.entries][:3] == ["8", "9", "10"]
    harumi = next(e for e in adoption.entries if e.name == "Harumi Takenaka")
    assert harumi.title == "Senior Public Policy Specialist (Asia)" and harumi.unit_id == "14"
    new = adoption.new_text
    unwrapped = new.replace(sb.begin_comment(BOT, HINT) + "\n", "").replace("\n" + sb.end_comment(BOT), "")
    assert unwrapped == text  # nothing but the two comments was added
    assert tm.validate(new) == []
    assert sb.adopt(new, "the  TEAM", BOT, HINT).new_text is None  # adopted already: nothing to do


def test_adopting_a_list_inside_translate_moves_it_out_and_retires_its_unit():
    text = DEMO["Global Advocacy/FAQ"]
    heading = "Whom should I contact about a law in my country?"
    adoption = sb.adopt(text, heading, BOT, HINT)
    assert adoption.inside_translate and adoption.retired == ("7",)
    assert [(e.region, e.name) for e in adoption.entries] == [
        ("Latin America and the Caribbean", "Ana Lúcia Ferraz"), ("Asia", "Harumi Takenaka"),
        ("Europe", "Liesbeth van Roon"), ("Middle East and North Africa", "Samir Qasemi")]
    new = adoption.new_text
    assert tm.validate(new) == []
    units = {u.id: u.text for u in tm.parse(new).units}
    assert "7" not in units  # retired, never reused ...
    assert tm.highest_id(new) == tm.highest_id(text)  # ... and still counted by numbering
    intro = next(u for u in tm.parse(new).units if u.text.startswith("Start with"))
    assert intro.id is None and intro.text.endswith("main page]]):")  # the rest of T:7 waits for a new id
    span = sb.find_block(new)
    assert not sb.block_in_translate(new, span)
    assert "</translate>\n<!-- BEGIN STAFF LIST" in new
    assert "END STAFF LIST (kept by AdvocacyBot) -->\n<translate>\n\n<!--T:8-->" in new
    # Outside the moved lines, the text is as before (T:7's marker aside).
    head, tail = text.split("<!--T:7-->\n")[0], text.split("(Middle East and North Africa)\n", 1)[1]
    assert new.startswith(head) and new.endswith(tail)
    assert sb.adopt(new, heading, BOT, HINT).new_text is None


def test_adopting_a_list_that_fills_a_translate_block():
    text = ("== Team ==\n<translate>\n<!--T:3-->\n* Ana Ferraz – Specialist\n* Harumi Takenaka – Lead\n"
            "</translate>\nAfter")
    adoption = sb.adopt(text, "Team", BOT, HINT)
    assert adoption.retired == ("3",)
    assert "<translate>" not in adoption.new_text and "</translate>" not in adoption.new_text
    assert adoption.new_text.startswith("== Team ==\n<!-- BEGIN STAFF LIST")
    assert adoption.new_text.endswith("<!--T:3-->\n* Ana Ferraz – Specialist\n* Harumi Takenaka – Lead\n"
                                      + sb.end_comment(BOT) + "\nAfter")


def test_adopting_unwraps_tvars_of_a_list_leaving_translate():
    text = ("== Team ==\n<translate>\n<!--T:1-->\nWho we are:\n"
            "* Ana Ferraz – Specialist, <tvar name=m>[mailto:af@example.org mail]</tvar>\n</translate>")
    adoption = sb.adopt(text, "Team", BOT, HINT)
    assert "* Ana Ferraz – Specialist, [mailto:af@example.org mail]" in adoption.new_text
    assert adoption.entries[0].email == "af@example.org"
    assert tm.validate(adoption.new_text) == []


@pytest.mark.parametrize("text, heading, message", [
    ("== Team ==\n* Ana Ferraz – Specialist", "Staff", "no section 'Staff' \\(headings: 'Team'\\)"),
    ("== Team ==\nWe are a small team.\n== Next ==\n* Ana Ferraz – Specialist", "Team", "has no list"),
    ("== Team ==\n* Ana Ferraz – Specialist <translate>\n* Harumi Takenaka – Lead\n</translate>", "Team",
     "crosses a <translate> tag"),
])
def test_sections_that_cannot_be_adopted(text, heading, message):
    with pytest.raises(sb.AdoptProblem, match=message):
        sb.adopt(text, heading, BOT, HINT)


def test_headings_with_units_and_markers_are_found():
    text = "== <translate><!--T:90--> The team</translate> ==\n* '''A B''' – <translate>C</translate>\n== Next ==\n"
    assert sb.find_section(text, "The team").heading == "The team"
    assert sb.adopt(text, "the team", BOT, HINT).entries[0].name == "A B"


# -- properties ----------------------------------------------------------------------------------

_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzÀÉÎÕÜßçøłŋ", min_size=1, max_size=8)
_name = st.lists(_word, min_size=1, max_size=3).map(lambda words: " ".join(w.capitalize() for w in words))
_title = st.lists(st.one_of(_word, st.sampled_from(["(Asia)", "of", "–", "Lead", "&", "O'Neil"])),
                  min_size=1, max_size=6).map(" ".join)
_ids = st.one_of(st.none(), st.integers(1, 500).map(str))


@st.composite
def _cards(draw):
    names = draw(st.lists(_name, min_size=1, max_size=8, unique_by=lambda n: n.casefold()))
    ids = draw(st.lists(st.integers(1, 900), min_size=len(names), max_size=len(names), unique=True))
    return [sb.Card(f"k{i}", name, draw(_title), draw(st.one_of(st.none(), _word)), None, None,
                    draw(st.sampled_from([str(ids[i]), None])))
            for i, name in enumerate(names)]


@settings(max_examples=150, deadline=None)
@given(cards=_cards(), form=st.sampled_from(sb.FORMS))
def test_what_is_rendered_reads_back(cards, form):
    block = sb.render_block(cards, form, BOT, HINT)
    assert tm.validate(block) == []
    span = sb.find_block(block)
    shown = sb.read_entries(block[span.content_start:span.content_end]).entries
    assert [(e.key, e.name, e.title, e.unit_id) for e in shown] == [(c.key, c.name, c.title, c.unit_id) for c in cards]


@pytest.mark.parametrize("text", ["Ana ~~~~", "'''Bold", "O'Brien", "x'", "__NOINDEX__ Name", "AT&T &amp; co",
                                  "see http://example.org", "Plain Name", "Jo__", "'' ''", "~~~~~"])
def test_roster_text_is_written_inert_and_read_back_as_itself(text):
    # issue 15: the block shows roster text as the characters it is; the reader gets the same text back
    written = sb.inert(text)
    assert "~~~" not in written and "''" not in written and "__" not in written and not written.startswith("'")
    assert sb.plain(written) == text
    assert sb.inert("Ordinary Name (Asia)") == "Ordinary Name (Asia)"  # nothing changes for ordinary text


def test_sections_are_the_parsers_headings():
    """Issue 18: a line regex took `== x ==` inside <pre> or a comment for a heading."""
    text = ("Intro.\n<!--\n== Commented ==\n-->\n<pre>\n== Preformatted ==\n</pre>\n<nowiki>\n== Nowiki ==\n"
            "</nowiki>\n<translate>\n== The team == <!--T:4-->\n</translate>\n* '''Ana''' – Director\n"
            "=== Europe ===\n* '''Ben''' – Analyst\n== Contact ==\nMail us.")
    found = sb.sections(text)
    assert [s.heading for s in found] == ["The team", "Europe", "Contact"]
    team, europe, contact = found
    assert text[team.start:].startswith("== The team ==") and text[team.body_start:].startswith("</translate>")
    assert team.end == contact.start and europe.end == contact.start  # a subsection ends with its parent
    assert text[contact.body_start:] == "Mail us." and contact.end == len(text)
    assert sb.find_section(text, "Preformatted") is None and sb.find_section(text, "the team") == team
