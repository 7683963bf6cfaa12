"""The staff plan: the demo tree's stale lists brought in line, markers that follow members, the
mass-removal guard, translation pages, and the properties (text outside the block, second run)."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from advocacy_bot.plan import Page
from advocacy_bot.roster import Member, parse_roster
from advocacy_bot.tasks import staff
from advocacy_bot.wikitext import staff_block as sb
from advocacy_bot.wikitext import translate_markup as tm
from tests.fixtures.snapshot import ROSTER, demo_pages

BOT = "AdvocacyBot"
HINT = "the roster page User:AdvocacyBot/roster.json"
DEMO = {p.title: p.text for p in demo_pages()}
MEMBERS = parse_roster([dict(m) for m in ROSTER], "demo").members
FAQ_SECTION = "Whom should I contact about a law in my country?"


def page(title, text, revid=1):
    return Page(title, 0, True, text, revid)


def adopted(title, heading):
    adoption, change = staff.adopt_page(page(title, DEMO[title]), heading, BOT, HINT)
    return page(title, change.new_text, 2)


def block_of(text):
    span = sb.find_block(text)
    return sb.read_entries(text[span.content_start:span.content_end])


def test_the_demo_root_list_is_brought_in_line_and_markers_stay_with_members():
    plan = staff.plan_target(adopted("Global Advocacy", "The team"), MEMBERS, "cards", BOT, HINT)
    assert plan.refusal is None and plan.markup_problem is None
    assert plan.change.summary == ("Staff list synced with the roster: adds Liesbeth van Roon; removes Samir "
                                   "Qasemi; new title for Harumi Takenaka, Rosa Kiplagat")
    new = plan.change.new_text
    shown = {e.key: e for e in block_of(new).entries}
    assert list(shown) == [m.key for m in MEMBERS]
    assert shown["htakenaka"].unit_id == "14" and shown["htakenaka"].title == "Lead Public Policy Specialist (Asia)"
    assert shown["rkiplagat"].unit_id == "16"  # a changed title keeps its unit: outdated in translations
    assert shown["lvanroon"].unit_id is None  # a new unit, numbered by the translation-markers work
    assert "Samir Qasemi" not in new and "<!--T:15-->" in new  # his unit id is retired, not reused
    assert tm.validate(new) == [] and tm.highest_id(new) == tm.highest_id(DEMO["Global Advocacy"])
    span = sb.find_block(new)
    old_span = sb.find_block(plan.change.base.text)
    assert new[:span.start] == plan.change.base.text[:old_span.start]
    assert new[span.end:] == plan.change.base.text[old_span.end:]


def test_the_demo_faq_becomes_a_contacts_table():
    plan = staff.plan_target(adopted("Global Advocacy/FAQ", FAQ_SECTION), MEMBERS, "contacts", BOT, HINT)
    assert plan.differences[0].startswith("adds Marguerite Okonkwo-Hale") and "removes Samir Qasemi" in plan.differences
    new = plan.change.new_text
    assert tm.validate(new) == []
    shown = block_of(new).entries
    assert [e.key for e in shown] == [m.key for m in MEMBERS]
    assert shown[0].username == "MOkonkwo-Hale (WMF)" and shown[0].email == "mokonkwohale@example.org"
    assert "[[User:MOkonkwo-Hale (WMF)|MOkonkwo-Hale (WMF)]]" in new
    assert "<!--T:7-->" in new  # retired when the list left <translate>


@pytest.mark.parametrize("title, heading, form", [("Global Advocacy", "The team", "cards"),
                                                  ("Global Advocacy/FAQ", FAQ_SECTION, "contacts")])
def test_second_run_and_a_run_after_marking_change_nothing(title, heading, form):
    first = staff.plan_target(adopted(title, heading), MEMBERS, form, BOT, HINT).change
    synced = page(title, first.new_text, 3)
    assert staff.plan_target(synced, MEMBERS, form, BOT, HINT).change is None
    marked = page(title, tm.add_markers(first.new_text, 40), 4)
    assert staff.plan_target(marked, MEMBERS, form, BOT, HINT).change is None


def test_markers_follow_their_members_through_reordering_and_retitling():
    first = staff.plan_target(adopted("Global Advocacy", "The team"), MEMBERS, "cards", BOT, HINT).change
    marked = tm.add_markers(first.new_text, 40)
    ids = {e.key: e.unit_id for e in block_of(marked).entries}
    assert ids["lvanroon"] == "41"
    shuffled = list(MEMBERS)
    random.Random(4).shuffle(shuffled)
    shuffled[0] = replace(shuffled[0], title="Chief Advocacy Officer")
    plan = staff.plan_target(page("Global Advocacy", marked, 5), shuffled, "cards", BOT, HINT)
    assert "roster order" in plan.differences and f"new title for {shuffled[0].name}" in plan.differences
    after = {e.key: e.unit_id for e in block_of(plan.change.new_text).entries}
    assert after == ids


def test_the_contacts_header_keeps_its_markers():
    first = staff.plan_target(adopted("Global Advocacy/FAQ", FAQ_SECTION), MEMBERS, "contacts", BOT, HINT).change
    marked = tm.add_markers(first.new_text, 40)
    columns = block_of(marked).column_ids
    assert set(columns) == {"name", "title", "region", "user", "email"}
    fewer = [m for m in MEMBERS if m.key != "gfarrow"]
    plan = staff.plan_target(page("Global Advocacy/FAQ", marked, 5), fewer, "contacts", BOT, HINT)
    assert block_of(plan.change.new_text).column_ids == columns
    gideon = next(e.unit_id for e in block_of(marked).entries if e.key == "gfarrow")
    assert f"<!--T:{gideon}-->" in plan.change.new_text.split("{|")[0]  # retired in the block's note


def test_a_roster_that_removes_more_than_half_is_refused_without_force():
    current = page("Global Advocacy", staff.plan_target(adopted("Global Advocacy", "The team"), MEMBERS, "cards",
                                                        BOT, HINT).change.new_text)
    truncated = MEMBERS[:5]
    plan = staff.plan_target(current, truncated, "cards", BOT, HINT)
    assert plan.change is None and plan.needs_force
    assert "remove 7 of the 12 members" in plan.refusal and "--force" in plan.refusal
    forced = staff.plan_target(current, truncated, "cards", BOT, HINT, force=True)
    assert [e.key for e in block_of(forced.change.new_text).entries] == [m.key for m in truncated]
    half = staff.plan_target(current, MEMBERS[:6], "cards", BOT, HINT)  # exactly half: allowed
    assert half.refusal is None and half.change is not None


@pytest.mark.parametrize("text, field, expected", [
    ("no block", "refusal", "has no staff block"),
    (f"<translate>\nIntro\n\n{sb.begin_comment(BOT, HINT)}\n{sb.end_comment(BOT)}\n</translate>", "markup_problem",
     "inside <translate>"),
    (f"{sb.begin_comment(BOT, HINT)}\n{sb.begin_comment(BOT, HINT)}\n{sb.end_comment(BOT)}", "markup_problem",
     "exactly one"),
])
def test_pages_the_sync_leaves_alone(text, field, expected):
    plan = staff.plan_target(page("T", text), MEMBERS, "cards", BOT, HINT)
    assert plan.change is None and expected in getattr(plan, field)
    assert plan.differences


def test_an_empty_block_typed_by_hand_is_filled():
    text = f"Intro\n{sb.begin_comment('Someone', 'x')}\n{sb.end_comment('Someone')}\nOutro"
    plan = staff.plan_target(page("T", text), MEMBERS[:2], "cards", BOT, HINT)
    assert plan.change.new_text.startswith("Intro\n<!-- BEGIN STAFF LIST (kept by AdvocacyBot)")
    assert plan.change.new_text.endswith("<!-- END STAFF LIST (kept by AdvocacyBot) -->\nOutro")


def test_recompute_after_a_conflict_keeps_the_human_edit():
    base = adopted("Global Advocacy", "The team")
    change = staff.plan_target(base, MEMBERS, "cards", BOT, HINT).change
    human = page(base.title, "A human's new first line.\n" + base.text, 9)
    again = change.recompute(human)
    assert again.new_text.startswith("A human's new first line.\n") and again.base.revid == 9
    assert sb.find_block(again.new_text) and "Liesbeth van Roon" in again.new_text
    assert change.recompute(page(base.title, "the list was removed by a human", 10)) is None


def test_translation_pages_report_their_lag():
    synced = staff.plan_target(adopted("Global Advocacy", "The team"), MEMBERS, "cards", BOT, HINT).change.new_text
    assert "before the staff block" in staff.translation_lag(page("Global Advocacy/da", DEMO["Global Advocacy/da"]),
                                                              MEMBERS)
    # After the source is marked again, FuzzyBot copies the block (names untranslated): up to date.
    assert staff.translation_lag(page("Global Advocacy/de", synced), MEMBERS) is None
    lag = staff.translation_lag(page("Global Advocacy/de", synced), MEMBERS[1:])
    assert "still shows Marguerite Okonkwo-Hale" in lag


def test_members_from_a_page_get_unique_keys():
    entries = [sb.Entry("Ana Ferraz", "A"), sb.Entry("ana  ferraz", "B"), sb.Entry("X Y", "C", key="xy")]
    assert [m.key for m in staff.members_from_entries(entries)] == ["ana-ferraz", "ana-ferraz-2", "xy"]


# -- properties -------------------------------------------------------------------------------

_TOKENS = ["a", "b", " ", "\n", "\n\n", "<translate>", "</translate>", "<!--T:3-->", "'''", "* ", " – ",
           "{|", "|}", "== H ==", "<nowiki>", "</nowiki>", "[[", "]]", "<!--", "-->", "é"]
_texts = st.lists(st.sampled_from(_TOKENS), max_size=30).map("".join)
_member = st.builds(lambda i, t: Member(f"m{i}", f"Person {chr(65 + i)}", t),
                    st.integers(0, 20), st.sampled_from(["Director", "Lead (Asia)", "Analyst, Policy"]))
_members = st.lists(_member, min_size=1, max_size=6, unique_by=lambda m: m.key)


@settings(max_examples=200, deadline=None)
@given(prefix=_texts, suffix=_texts, members=_members, form=st.sampled_from(sb.FORMS),
       old=st.lists(st.sampled_from(["* '''Person A''' – <translate><!--T:5--> Director</translate>",
                                     "* Person Z – Gone", "* Person B – <translate>Lead</translate>"]),
                    max_size=3).map("\n".join))
def test_text_outside_the_block_is_kept_byte_for_byte_and_a_second_run_is_quiet(prefix, suffix, members, form, old):
    block = f"{sb.begin_comment(BOT, HINT)}\n{old}\n{sb.end_comment(BOT)}"
    base = page("T", prefix + block + suffix)
    plan = staff.plan_target(base, members, form, BOT, HINT, force=True)
    assume(plan.markup_problem is None)
    new = plan.change.new_text if plan.change else base.text
    assert new.startswith(prefix) and new.endswith(suffix)
    assert staff.plan_target(page("T", new, 2), members, form, BOT, HINT, force=True).change is None


@settings(max_examples=100, deadline=None)
@given(members=_members, seed=st.integers(0, 1000), form=st.sampled_from(sb.FORMS))
def test_a_marked_block_keeps_every_members_unit_whatever_the_order(members, seed, form):
    text = f"Intro\n{sb.begin_comment(BOT, HINT)}\n{sb.end_comment(BOT)}\n"
    first = staff.plan_target(page("T", text), members, form, BOT, HINT).change.new_text
    marked = tm.add_markers(first, 10)
    ids = {e.key: e.unit_id for e in block_of(marked).entries}
    shuffled = list(members)
    random.Random(seed).shuffle(shuffled)
    plan = staff.plan_target(page("T", marked, 2), shuffled, form, BOT, HINT)
    new = plan.change.new_text if plan.change else marked
    assert {e.key: e.unit_id for e in block_of(new).entries} == ids
    assert tm.validate(new) == []



# -- the guard compares with what the bot last wrote (issue 14) --------------------------------------

def three_shown() -> Page:
    cards = [sb.Card(m.key, m.name, m.title) for m in MEMBERS[:3]]
    return page("P", "Intro.\n" + sb.render_block(cards, "cards", "Bot", "r"), revid=4)


def test_the_guard_compares_with_what_the_bot_last_wrote_not_with_the_page():
    one = MEMBERS[:1]
    # the page shows three (two added by anyone); the bot last wrote one: no shrink of its list
    kept = staff.plan_target(three_shown(), one, "cards", "Bot", "r", last_written=(MEMBERS[0].key,))
    assert kept.refusal is None and kept.change is not None
    # the bot last wrote three: keeping one of them is
    keys = tuple(m.key for m in MEMBERS[:3])
    shrunk = staff.plan_target(three_shown(), one, "cards", "Bot", "r", last_written=keys)
    assert shrunk.refusal_code == staff.SHRINKS and "members the bot last wrote here" in shrunk.refusal
    # without a record, the page is all there is to compare with
    unknown = staff.plan_target(three_shown(), one, "cards", "Bot", "r")
    assert unknown.refusal_code == staff.SHRINKS and "members the page shows today" in unknown.refusal
    assert staff.plan_target(page("P", "No block."), one, "cards", "Bot", "r").refusal_code == staff.NO_BLOCK


def test_records_of_what_was_written_keep_the_other_keys_and_rest():
    state = Page("User:Bot/state.json", 2, True, json.dumps({"translate": {"highest_ids": {"P": 3}}}), 9,
                 content_model="json")
    change = staff.records_change(state, staff.read_records(state), {"P": ["ana", "harumi"]}, "Bot")
    assert json.loads(change.new_text) == {"translate": {"highest_ids": {"P": 3}},
                                           "staff": {"last_written": {"P": ["ana", "harumi"]}}, "written_by": "Bot"}
    again = Page(state.title, 2, True, change.new_text, 10, content_model="json")
    assert staff.records_change(again, staff.read_records(again), {"P": ["ana", "harumi"]}, "Bot") is None
    assert staff.last_written(staff.read_records(again), "P") == ("ana", "harumi")
    assert staff.last_written(staff.read_records(again), "Q") is None
    broken = Page(state.title, 2, True, "{not json", 11)
    assert staff.read_records(broken) is None and staff.records_change(broken, None, {"P": ["a"]}, "Bot") is None
