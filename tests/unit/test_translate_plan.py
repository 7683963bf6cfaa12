"""The translate task's planning: check findings, the bot's own markers with the state page, and what
Translate should mark (compared with the definitions a real Translate returned)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from advocacy_bot.plan import Page
from advocacy_bot.settings import default_settings
from advocacy_bot.tasks import translate as task
from advocacy_bot.wikitext import staff_block
from advocacy_bot.wikitext.translate_markup import highest_id, parse

RECORDED = Path(__file__).resolve().parents[1] / "cassettes" / "translate-recorded"
STATE = "User:AdvocacyBot/state.json"


def recorded(name: str) -> dict:
    return json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))


def recorded_text(name: str) -> str:
    return recorded(name)["response"]["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]


def page(title: str, text: str, exists: bool = True, revid: int = 7) -> Page:
    return Page(title, 2 if title.startswith("User:") else 0, exists, text, revid if exists else 0)


def no_state() -> Page:
    return page(STATE, "", exists=False)


# -- check ------------------------------------------------------------------------------------------

def test_check_lists_problems_by_title_then_line():
    pages = {"B": page("B", "<translate>\nx\n\n<translate>\n</translate>"), "A": page("A", "ok </translate>"),
             "C": page("C", "<translate>fine</translate>")}
    findings = task.check_findings(pages, sorted(pages))
    assert [(title, p.rule, p.line) for title, p in findings] == [("A", "pt-parse-close", 1),
                                                                  ("B", "pt-parse-nested", 4)]
    assert task.problem_line("A", findings[0][1]).startswith("A:1: pt-parse-close: ")
    assert task.problem_text(findings[0][1]).startswith("line 1: pt-parse-close: ")


# -- the bot's own markers --------------------------------------------------------------------------

def test_plan_numbers_new_units_and_creates_the_state_page_first():
    pages = {"P": page("P", "<translate>\n== A == <!--T:3-->\n\nNew text.\n</translate> <translate>New label</translate>"),
             "Q": page("Q", "<translate><!--T:9--> Done</translate>")}
    plan = task.plan_markers(pages, ["P", "Q"], no_state())
    assert [c.title for c in plan.changes] == [STATE, "P"]
    state, marked = plan.changes
    assert marked.new_text == ("<translate>\n== A == <!--T:3-->\n\n<!--T:4-->\nNew text.\n</translate> "
                               "<translate><!--T:5--> New label</translate>")
    assert marked.summary == "Translation markers: numbered 2 new translation units (T:4–T:5)"
    assert json.loads(state.new_text) == {"translate": {"highest_ids": {"P": 5, "Q": 9}}}
    assert state.creates_page and "P 5" in state.summary and "Q 9" in state.summary


def test_an_id_that_left_the_text_is_never_given_again():
    # T:7 was used once (the state remembers it) and has been deleted from the text since.
    state = page(STATE, json.dumps({"translate": {"highest_ids": {"P": 7}}, "other": {"kept": True}}))
    pages = {"P": page("P", "<translate>\n<!--T:1-->\nOld.\n\nNew.\n</translate>")}
    plan = task.plan_markers(pages, ["P"], state)
    assert "<!--T:8-->\nNew." in plan.changes[-1].new_text
    data = json.loads(plan.changes[0].new_text)
    assert data == {"translate": {"highest_ids": {"P": 8}}, "other": {"kept": True}}
    assert plan.changes[0].summary.endswith(": P 8 (was 7)")


def test_state_grows_with_ids_seen_in_the_text_and_never_shrinks():
    state = page(STATE, json.dumps({"translate": {"highest_ids": {"P": 30, "Gone": 4}}}))
    pages = {"P": page("P", "<translate><!--T:2--> a</translate>"), "R": page("R", "<translate><!--T:12--> b</translate>")}
    plan = task.plan_markers(pages, ["P", "R"], state)
    assert [c.title for c in plan.changes] == [STATE]
    assert json.loads(plan.changes[0].new_text)["translate"]["highest_ids"] == {"Gone": 4, "P": 30, "R": 12}


def test_second_run_plans_nothing():
    pages = {"P": page("P", "<translate>\nA.\n\nB.\n</translate>")}
    first = task.plan_markers(pages, ["P"], no_state())
    done = {"P": page("P", first.changes[1].new_text)}
    saved_state = page(STATE, first.changes[0].new_text)
    assert task.plan_markers(done, ["P"], saved_state).changes == ()
    # layout does not matter, the numbers do
    reformatted = page(STATE, json.dumps(json.loads(first.changes[0].new_text)))
    assert task.plan_markers(done, ["P"], reformatted).changes == ()


def test_a_page_the_bot_may_not_edit_reserves_no_id_run_after_run():
    # Issue 13 item 8: a {{nobots}} page with an unnumbered unit made every run remember one more id.
    pages = {"P": page("P", "{{nobots}}<translate>\n<!--T:1-->\nA.\n\nB.\n</translate>"),
             "Q": page("Q", "<translate>\nC.\n</translate>")}

    def refusal(candidate: Page):
        return ("nobots", "{{nobots}} excludes AdvocacyBot") if "{{nobots}}" in candidate.text else None

    first = task.plan_markers(pages, ["P", "Q"], no_state(), refusal)
    assert [c.title for c in first.changes] == [STATE, "Q"]
    assert [(o.title, o.code) for o in first.outcomes] == [("P", "nobots")]
    assert json.loads(first.changes[0].new_text)["translate"]["highest_ids"] == {"P": 1, "Q": 1}
    second = task.plan_markers({"P": pages["P"], "Q": page("Q", first.changes[1].new_text)}, ["P", "Q"],
                               page(STATE, first.changes[0].new_text), refusal)
    assert second.changes == () and [o.code for o in second.outcomes] == ["nobots"]


def test_invalid_page_is_reported_and_its_ids_still_remembered():
    pages = {"P": page("P", "<translate>\n<!--T:4-->\nA\n<translate>\n</translate>")}
    plan = task.plan_markers(pages, ["P"], no_state())
    assert [(o.title, o.code) for o in plan.outcomes] == [("P", "invalid-markup")]
    assert "pt-parse-nested" in plan.outcomes[0].message
    assert [c.title for c in plan.changes] == [STATE]


def test_recompute_after_a_conflict_numbers_from_the_same_start():
    pages = {"P": page("P", "<translate>\nA.\n</translate>")}
    change = task.plan_markers(pages, ["P"], no_state()).changes[1]
    fresh = page("P", "<translate>\nA.\n\nAdded by a human.\n</translate>", revid=8)
    again = change.recompute(fresh)
    assert [u.id for u in parse(again.new_text).units] == ["1", "2"] and again.base.revid == 8


def test_state_page_that_is_not_json_stops_the_run():
    with pytest.raises(task.StateProblem):
        task.plan_markers({}, [], page(STATE, "not json"))
    with pytest.raises(task.StateProblem):
        task.read_state(page(STATE, '{"translate": []}'))


def test_markers_on_the_recorded_header_template_match_what_translate_saved():
    before, after = recorded_text("source-before-remark"), recorded_text("source-after-remark")
    change = task.marker_change(page("Template:Global Advocacy/Header", before), 4)
    assert change.new_text == after  # Translate gave the new FAQ unit id 5 and kept its leading space
    assert change.summary == "Translation markers: numbered 1 new translation unit (T:5)"


# -- with Translate: what to mark -------------------------------------------------------------------

HEADER = "Template:Global Advocacy/Header"


def header_definitions() -> dict[str, str]:
    return task.definitions(HEADER, recorded("messagecollection-ru")["response"]["query"]["messagecollection"])


def test_definitions_from_the_recorded_messagecollection():
    assert header_definitions() == {"1": "Home", "2": "About", "3": "Resource Center", "5": "FAQ",
                                    "4": "Discussion"}


def test_marking_reasons():
    after = page(HEADER, recorded_text("source-after-remark"))
    before = page(HEADER, recorded_text("source-before-remark"))
    marked = header_definitions()
    assert task.marking_reason(after, True, marked) is None  # as Translate last marked it
    assert task.marking_reason(before, True) == "1 new unit"
    assert task.marking_reason(before, False) == "not marked for translation yet (5 units)"
    renamed = page(HEADER, after.text.replace("<!--T:2--> About", "<!--T:2--> About us"))
    assert task.marking_reason(renamed, True, marked) == "changed T:2"
    dropped = page(HEADER, after.text.replace(" | [[Talk:Global Advocacy|<translate><!--T:4--> Discussion</translate>]]", ""))
    assert task.marking_reason(dropped, True, marked) == "removed T:4"
    tvar_only = {"1": "See $x"}
    assert task.marking_reason(page("P", "<translate><!--T:1--> See <tvar name=x>[[New]]</tvar></translate>"),
                               True, tvar_only) is None
    # with the definitions, a page with a new unit also tells its changed units (Translate's view)
    last_marked = {ident: text for ident, text in marked.items() if ident != "5"}  # before the FAQ unit
    assert task.marking_reason(before, True, last_marked) == "1 new unit"
    before_renamed = page(HEADER, before.text.replace("<!--T:2--> About", "<!--T:2--> About us"))
    assert task.marking_reason(before_renamed, True, last_marked) == "1 new unit; changed T:2"
    unknown_id = page(HEADER, after.text.replace("<!--T:4--> Discussion", "<!--T:7--> Discussion"))
    assert task.marking_reason(unknown_id, True, marked) == "1 new unit (T:7); removed T:4"
    both = page(HEADER, unknown_id.text.replace("<!--T:1--> Home", "Home"))
    assert task.marking_reason(both, True, marked) == "2 new units (T:7, 1 to be numbered); removed T:1, T:4"
    assert task.needs_definitions(before, True) and task.needs_definitions(after, True)
    assert not task.needs_definitions(after, False)
    assert task.new_unit_ids(before.text, after.text) == ["5"]
    with pytest.raises(ValueError):
        task.marking_reason(after, True)


def test_marking_link_and_index_url():
    base = task.index_url("https://meta.wikimedia.org/w/api.php")
    assert base == "https://meta.wikimedia.org/w/index.php"
    assert task.marking_link(base, "Global Advocacy/FAQ") == (
        "https://meta.wikimedia.org/w/index.php?title=Special%3APageTranslation&target=Global+Advocacy%2FFAQ&do=mark")


def test_predicted_marking_for_a_dry_run():
    before = page(HEADER, recorded_text("source-before-remark"))
    change = task.predicted_marking(before, "1 new unit")
    assert change.new_text == recorded_text("source-after-remark")
    assert change.summary == "Marked for translation through Translate: 1 new unit"
    unchanged = page(HEADER, recorded_text("source-after-remark"))
    assert not task.predicted_marking(unchanged, "changed T:2").changes_text


# -- prepare ----------------------------------------------------------------------------------------

def test_prepare_keeps_out_the_header_bars_and_the_staff_block():
    settings = default_settings()
    block = (staff_block.begin_comment("AdvocacyBot", "the roster") + "\n* '''Ana''' – Words here\n"
             + staff_block.end_comment("AdvocacyBot"))
    bar = ("[[Special:MyLanguage/Global Advocacy|Home]] · [[Special:MyLanguage/Global Advocacy/About|About]] · "
           "[[Talk:Global Advocacy|Discussion]]")
    text = f"{bar}\nWelcome words.\n\n{block}\n\nClosing words."
    change, result = task.prepare_page(settings, page("Global Advocacy/About", text))
    assert change.new_text == (f"<languages/>\n{bar}\n<translate>\nWelcome words.\n</translate>\n\n{block}\n\n"
                               "<translate>\nClosing words.\n</translate>")
    assert change.summary == ("Prepared for translation: added <languages/> at the top; wrapped 2 prose "
                              "paragraphs in 2 <translate> blocks")
    assert change.recompute(replace(change.base, text=change.new_text)) is None
    assert highest_id(change.new_text) == 0  # units are left for `translate mark`


# -- what reaches translation pages only with a new marking -----------------------------------------

REAL = Path(__file__).resolve().parents[1] / "recorded" / "real-translate"


def real_pages(case: str) -> dict[str, str]:
    return json.loads((REAL / f"{case}.json").read_text(encoding="utf-8"))["pages"]


def test_the_real_translate_copy_holds_everything_outside_the_units():
    # FuzzyBot's Parity/en and the template's /en, as the real Translate wrote them from the marked version.
    pages = real_pages("translation-page")
    for title in ("Parity", "Template:Parity/Header"):
        assert task.missing_outside_units(pages[title], pages[f"{title}/en"]) is None, title
        source = page(title, pages[title])
        marked = {unit.id: unit.text_with_variables for unit in parse(pages[title]).units}
        assert task.marking_reason(source, True, marked, page(f"{title}/en", pages[f"{title}/en"])) is None


def test_a_header_changed_outside_the_units_asks_for_a_new_marking():
    # The bot moved the page to another header call: the units are as marked, the copy is not.
    pages = real_pages("translation-page")
    changed = pages["Parity"].replace("{{Parity/Header|current=home}}", "{{Parity/Header|current=about}}")
    assert task.missing_outside_units(changed, pages["Parity/en"]) == "<languages/> {{Parity/Header|current=about}}"
    marked = {unit.id: unit.text_with_variables for unit in parse(changed).units}
    reason = task.marking_reason(page("Parity", changed), True, marked, page("Parity/en", pages["Parity/en"]))
    assert reason == ("changed outside its units ('<languages/> {{Parity/Header|current=about}}' is not on its "
                      "translation pages)")
    # pieces must come in the same order: swapping two lines outside the units is a change too
    swapped = "{{Parity/Header|current=home}}\n<languages/>\n" + changed.split("\n", 2)[2]
    assert task.missing_outside_units(swapped, pages["Parity/en"]) is not None
    # without a copy (not marked yet, or FuzzyBot not done) nothing can be told
    assert task.marking_reason(page("Parity", changed), True, marked, None) is None


def test_what_readers_see_while_a_page_waits():
    template, source = Page("Template:X/Header", 10, True, "t", 7), page("X", "p")
    assert "every page that calls it shows its last marked version" in task.readers_see(template, True)
    assert "each keeps the header it shows" in task.readers_see(template, False)
    assert "translation pages show its last marked version" in task.readers_see(source, True)
    message = task.waiting_message("1 new unit", "https://w/index.php?x", "no API", task.readers_see(source, True))
    assert message.startswith("1 new unit; until then") and message.endswith("mark it at https://w/index.php?x")
