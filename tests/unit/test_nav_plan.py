"""Planning the navigation header: the template from the definition (unit ids by key, never reused) and the
changes to the pages of a tree (the demo tree among them)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy_bot.outcomes import UsageProblem
from advocacy_bot.plan import Page
from advocacy_bot.settings import NavSettings, Tab, default_settings, parse_settings
from advocacy_bot.tasks.nav import (
    check_findings,
    current_tab,
    header_problems,
    page_change,
    plain_bar,
    plan_nav,
    stale_labels,
    stand_in_change,
    tab_link,
    template_change,
    template_items,
    template_text,
)
from advocacy_bot.tree import classify
from advocacy_bot.wikitext.nav_header import header_call
from advocacy_bot.wikitext.translate_markup import add_markers, highest_id, parse, validate
from tests.fixtures.snapshot import demo_pages

SETTINGS = default_settings()
TEMPLATE = SETTINGS.nav.template
LANGS = frozenset({"en", "da", "ru", "ja", "de"})


def with_tabs(*tabs: Tab):
    return replace(SETTINGS, nav=NavSettings(TEMPLATE, tabs))


def marked(text: str, highest: int = 0) -> str:
    """What Translate does to the template when a translation admin marks it."""
    return add_markers(text, highest)


def units(text: str) -> dict[str, tuple[str | None, str]]:
    return {item.key: (item.unit_id, item.label) for item in template_items(text)[0]}


# -- the template ----------------------------------------------------------------------------------

def test_a_new_template_has_one_unmarked_unit_per_tab_in_order():
    text = template_text(SETTINGS)
    assert validate(text) == []
    assert re.findall(r'data-key="([^"]+)"', text) == [tab.key for tab in SETTINGS.nav.tabs]
    assert [unit.id for unit in parse(text).units] == [None] * 9
    assert "[[Special:MyLanguage/Global Advocacy/FAQ|<translate>FAQ</translate>]]" in text
    assert "[[Talk:Global Advocacy|<translate>Discussion</translate>]]" in text  # no translations of talk pages
    assert ("{{#ifeq:{{{current|}}}|faq|advocacy-nav-tab advocacy-nav-current|advocacy-nav-tab}}" in text)
    assert text.startswith('<div class="advocacy-nav"') and "<!--T:" not in text


def test_marking_then_rewriting_changes_nothing():
    once = marked(template_text(SETTINGS))
    assert [u.id for u in parse(once).units] == [str(n) for n in range(1, 10)]
    assert template_text(SETTINGS, once) == once
    assert template_change(SETTINGS, Page(TEMPLATE, 10, True, once, revid=5)) is None


def test_renaming_a_label_keeps_its_unit():
    old = marked(template_text(SETTINGS))
    tabs = tuple(replace(t, label="Resources and toolkits") if t.key == "resource-center" else t
                 for t in SETTINGS.nav.tabs)
    new = template_text(with_tabs(*tabs), old)
    assert units(new)["resource-center"] == ("4", "Resources and toolkits")
    assert {k: v for k, v in units(new).items() if k != "resource-center"} == \
           {k: v for k, v in units(old).items() if k != "resource-center"}


def test_a_removed_tab_retires_its_id_and_a_new_tab_never_gets_it():
    old = marked(template_text(SETTINGS))  # ids 1..9, announcements is 8, discussion 9
    tabs = [t for t in SETTINGS.nav.tabs if t.key not in ("announcements", "discussion")]
    tabs.append(Tab("news", "News", "Global Advocacy/News"))
    new = template_text(with_tabs(*tabs), old)
    assert units(new)["news"] == (None, "News")
    assert "<!--T:8--><!--T:9-->" in new  # retired, in the <noinclude> part
    assert highest_id(new) == 9
    renumbered = marked(new)
    assert units(renumbered)["news"] == ("10", "News")
    # the retired ids outlive later rewrites, even once the tab's own line is long gone
    again = template_text(with_tabs(*tabs), renumbered)
    assert again == renumbered and "<!--T:8--><!--T:9-->" in again
    brought_back = template_text(SETTINGS, renumbered)  # the old keys return: new units, not the old ids
    assert units(brought_back)["announcements"] == (None, "Announcements")
    assert "<!--T:8--><!--T:9-->" in brought_back


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from([t.key for t in SETTINGS.nav.tabs] + ["x1", "x2", "x3"]),
                         unique=True, min_size=1), min_size=1, max_size=6))
def test_ids_are_never_reused_over_any_history_of_definitions(histories):
    by_key = {t.key: t for t in SETTINGS.nav.tabs}
    text, owner = "", {}
    for keys in histories:
        tabs = [by_key.get(k) or Tab(k, k.upper(), f"Global Advocacy/{k}") for k in keys]
        text = marked(template_text(with_tabs(*tabs), text))
        assert validate(text) == []
        for key, (ident, _) in units(text).items():
            assert owner.setdefault(ident, key) == key, f"id {ident} of {owner[ident]} given to {key}"


def test_a_hand_made_template_keeps_every_id_it_used():
    hand = ("<div>[[Global Advocacy|<translate><!--T:3--> Home</translate>]] · "
            "<translate><!--T:11--> FAQ</translate></div>")
    new = template_text(SETTINGS, hand)
    assert "<!--T:3--><!--T:11-->" in new and highest_id(new) == 11
    assert all(ident is None for ident, _ in units(new).values())


def test_template_summaries():
    old = marked(template_text(SETTINGS))
    page = Page(TEMPLATE, 10, True, old, revid=3)
    tabs = [replace(t, label="Events") if t.key == "conversation-hours" else t for t in SETTINGS.nav.tabs
            if t.key != "announcements"] + [Tab("news", "News", "Global Advocacy/News")]
    change = template_change(with_tabs(*tabs), page)
    assert change.summary == ("Navigation header template: added tab News; removed tab Announcements (unit T:8 "
                              "retired); renamed tab Conversation Hours and Events to Events")
    created = template_change(SETTINGS, Page(TEMPLATE, 10, False))
    assert created.summary == "Navigation header template: created from the definition (9 tabs)"
    assert created.recompute(Page(TEMPLATE, 10, True, old, revid=4)) is None


def test_current_tab_is_the_page_or_its_nearest_ancestor():
    tabs = SETTINGS.nav.tabs
    assert current_tab("Global Advocacy", tabs).key == "home"
    assert current_tab("Global Advocacy/Resource Center/Copyright", tabs).key == "resource-center"
    assert current_tab("Global Advocacy/FAQ", tabs).key == "faq"
    assert current_tab("Global Advocacy/Notes", tabs).key == "home"
    assert current_tab("Global Advocacy FAQ", tabs) is None
    assert tab_link("Talk:Global Advocacy") == "Talk:Global Advocacy"
    assert tab_link("Global Advocacy/FAQ") == "Special:MyLanguage/Global Advocacy/FAQ"


# -- the plan for a tree ---------------------------------------------------------------------------

def demo_tree() -> dict[str, Page]:
    ns = {"Talk": 1, "Template": 10, "User": 2}
    pages = {}
    for p in demo_pages():
        prefix = p.title.split(":")[0] if ":" in p.title else ""
        pages[p.title] = Page(p.title, ns.get(prefix, 0), True, p.text, revid=len(pages) + 1,
                              redirect=p.text.startswith("#REDIRECT"), content_model=p.model)
    return pages


def plan_for(pages, only=()):
    entries = classify(pages.values(), SETTINGS.root, LANGS, "en")
    return plan_nav(SETTINGS, pages, entries, only)


def test_the_demo_tree_plan():
    pages = demo_tree()
    plan = plan_for(pages)
    summaries = {change.title: change.summary for change in plan.changes}
    assert list(summaries)[0] == TEMPLATE
    assert summaries == {
        TEMPLATE: "Navigation header template: created from the definition (9 tabs)",
        "Global Advocacy": "Navigation header: replaced hand-copied tab bar; current tab Home",
        "Global Advocacy/About": "Navigation header: replaced hand-copied tab bar; current tab About",
        "Global Advocacy/Announcements": "Navigation header: replaced hand-copied tab bar; current tab Announcements",
        "Global Advocacy/Conversation Hours and Events": "Navigation header: replaced hand-copied tab bar; "
        "removed emptied translation unit T:1; current tab Conversation Hours and Events",
        "Global Advocacy/Documentation": "Navigation header: replaced hand-copied tab bar; current tab Documentation",
        "Global Advocacy/FAQ": "Navigation header: replaced hand-copied tab bar; current tab FAQ",
        "Global Advocacy/Get Involved": "Navigation header: fixed current tab (was faq); current tab Get Involved",
        "Global Advocacy/Resource Center": "Navigation header: replaced hand-copied tab bar; "
        "current tab Resource Center",
        "Global Advocacy/Resource Center/Copyright": "Navigation header: replaced hand-copied tab bar; "
        "current tab Resource Center",
    }
    assert {(o.title, o.code) for o in plan.outcomes} == {
        (t, "pending-remark") for t in ("Global Advocacy/da", "Global Advocacy/ru", "Global Advocacy/About/ja",
                                        "Global Advocacy/FAQ/en")}
    for change in plan.changes:
        assert validate(change.new_text) == []
    # the plan applied, a second plan is empty (the template marked by Translate in between)
    after = dict(pages)
    for change in plan.changes:
        text = marked(change.new_text) if change.title == TEMPLATE else change.new_text
        after[change.title] = replace(change.base, exists=True, text=text, namespace=10 if change.title == TEMPLATE
                                      else change.base.namespace)
    again = plan_for(after).changes
    # nothing to write; each page only has its render checked (the stand-in waits for a failed render)
    assert [change.title for change in again if change.changes_text] == []
    assert all(change.render_check and change.without_render_check for change in again)


def test_check_reports_drift_except_where_the_bot_is_excluded():
    plan = plan_for(demo_tree())
    drift, skipped = check_findings(plan, "AdvocacyBot")
    assert [(o.title, o.code) for o in skipped] == [("Global Advocacy/Announcements", "nobots")]
    assert len(drift) == 9
    assert drift[0] == (TEMPLATE, "Navigation header template: created from the definition (9 tabs)")


def test_only_named_pages_are_planned_and_others_are_explained():
    pages = demo_tree()
    plan = plan_for(pages, only=["Global_Advocacy/FAQ", "Global Advocacy/Resources", "Global Advocacy/Nothing",
                                 "Main Page", "Talk:Global Advocacy", "Global Advocacy/da", "Global Advocacy#x"])
    assert [c.title for c in plan.changes] == [TEMPLATE, "Global Advocacy/FAQ"]
    assert {(o.title, o.code) for o in plan.outcomes} == {
        ("Global Advocacy/Resources", "redirect"), ("Global Advocacy/Nothing", "missing"),
        ("Main Page", "outside-tree"), ("Global Advocacy/da", "pending-remark"),
        ("Global Advocacy#x", "invalid-title")}  # issue 15: it said outside-tree
    assert plan.ignored == ("Talk:Global Advocacy is a talk page; only source pages carry the header",)


def test_an_ambiguous_page_is_skipped_and_recompute_follows_a_fresh_read():
    pages = demo_tree()
    faq = pages["Global Advocacy/FAQ"]
    near_bar = faq.text.replace("\n<translate>", " (updated weekly)\n<translate>", 1)
    pages["Global Advocacy/FAQ"] = replace(faq, text=near_bar)
    plan = plan_for(pages)
    assert ("Global Advocacy/FAQ", "ambiguous-header") in {(o.title, o.code) for o in plan.outcomes}
    about = next(c for c in plan.changes if c.title == "Global Advocacy/About")
    human = replace(about.base, revid=99, text=about.base.text + "\nA human's addition.")
    again = about.recompute(human)
    assert again.base.revid == 99 and again.new_text == about.new_text + "\nA human's addition."


def test_a_translation_page_is_pending_only_while_its_header_differs():
    banner = ('<div class="mw-pt-translate-header noprint" dir="ltr" lang="en">This page is a translated version '
              "of the page [[Global Advocacy/FAQ]] and the translation is 50% complete.</div>")
    call = "{{Global Advocacy/Header|current=faq}}"
    source = Page("Global Advocacy/FAQ", 0, True, f"<languages/>\n{call}\n<translate>Questions</translate>", revid=1)

    def outcomes(text):
        pages = {source.title: source, "Global Advocacy/FAQ/de": Page("Global Advocacy/FAQ/de", 0, True, text, revid=2)}
        return [(o.title, o.code) for o in plan_for(pages).outcomes]

    assert outcomes(f"<languages/>\n{banner}\n{call}\nFragen") == []  # FuzzyBot's layout is no drift
    assert outcomes(f"<languages/>\n{call}\nFragen") == []
    pending = [("Global Advocacy/FAQ/de", "pending-remark")]
    assert outcomes(f"<languages/>\n{banner}\n" + "{{Global Advocacy/Header|current=about}}\nFragen") == pending
    assert outcomes(f"<languages/>\n{call}\n{call}\nFragen") == pending
    bar = " | ".join(f"[[Global Advocacy/{p}|{p}]]" for p in ("About", "FAQ", "Documentation"))
    assert outcomes(f"<languages/>\n{banner}\n{bar}\nFragen") == pending


@pytest.mark.parametrize("tab, problem", [
    ({"key": "get involved", "label": "Get Involved", "target": "Global Advocacy/Get Involved"}, "must be letters"),
    ({"key": "faq|x", "label": "FAQ", "target": "Global Advocacy/FAQ"}, "must be letters"),
    ({"key": "faq", "label": "[[FAQ]]", "target": "Global Advocacy/FAQ"}, "must not hold wiki markup"),
    ({"key": "faq", "label": "FAQ</translate>", "target": "Global Advocacy/FAQ"}, "must not hold wiki markup"),
])
def test_tab_keys_and_labels_that_would_break_the_template_stop_the_run(tab, problem):
    with pytest.raises(UsageProblem, match=problem):
        parse_settings({"nav": {"tabs": [tab]}})


# -- what readers see of the header (judged on HTML the real Translate rendered) --------------------

def parity_settings(about_label: str = "About"):
    """The two tabs of the recorded real-Translate stages (tests/realtranslate/cases.py)."""
    tabs = (Tab("home", "Home", "Parity"), Tab("about", about_label, "Parity/About"))
    return replace(SETTINGS, root="Parity", nav=replace(SETTINGS.nav, template="Template:Parity/Header", tabs=tabs))


def recorded_html(case: str) -> str:
    return (Path(__file__).resolve().parents[1] / "recorded" / "real-translate" / f"{case}.html").read_text()


def test_a_header_that_shows_translate_markup_or_misses_tabs_is_a_problem():
    settings = parity_settings()
    assert header_problems(settings, "mark it at LINK", recorded_html("unmarked")) == [
        "readers would see Translate markup (<translate> </translate>) in the header from Template:Parity/Header: "
        "mark it at LINK"]
    assert header_problems(settings, "", recorded_html("marked-without-transclusion"))[0].startswith(
        "readers would see Translate markup")
    assert header_problems(settings, "", recorded_html("marked-with-transclusion")) == []
    more = replace(settings, nav=replace(settings.nav, tabs=settings.nav.tabs + (Tab("faq", "FAQ", "Parity/FAQ"),)))
    assert header_problems(more, "", recorded_html("marked-with-transclusion")) == [
        "Template:Parity/Header does not render the tabs faq yet"]
    assert header_problems(settings, "", '<p><a class="new">Template:Parity/Header</a></p>') == [
        "Template:Parity/Header does not render the tabs home, about yet"]


def test_labels_readers_see_that_the_settings_changed_are_stale():
    html = recorded_html("marked-with-transclusion")
    assert stale_labels(parity_settings(), html) == []
    assert stale_labels(parity_settings("About us"), html) == [
        "about: readers see 'About', the settings say 'About us'"]


def test_a_source_page_change_waits_for_the_header_to_render():
    pages = demo_tree()
    plan = plan_nav(SETTINGS, pages, classify(pages.values(), SETTINGS.root, LANGS, "en"), (), "HINT")
    template_change, *page_changes = plan.changes
    assert template_change.title == TEMPLATE and template_change.render_check is None
    check = page_changes[0].render_check
    assert check.code == "waiting-for-header" and check.depends_on == (TEMPLATE,)
    assert check.wikitext == header_call(TEMPLATE, None)  # one render serves every page of a language
    assert all(change.render_check == check for change in page_changes)
    assert check.problems("<p></p>")[0].endswith(": HINT")
    # a recompute (after an edit conflict) keeps the check
    again = page_changes[0].recompute(page_changes[0].base)
    assert again.render_check == check


def test_a_page_calling_a_header_that_does_not_render_gets_the_plain_bar_until_it_does():
    pages = demo_tree()
    plan = plan_for(pages)
    get_involved = next(c for c in plan.changes if c.title == "Global Advocacy/Get Involved")
    stand_in = get_involved.without_render_check(get_involved.base)
    bar = plain_bar(SETTINGS, "get-involved")
    assert stand_in.new_text.startswith(f"<languages/>\n{bar}\n<translate>")
    assert "{{Global Advocacy/Header" not in stand_in.new_text and stand_in.render_check is None
    assert "'''[[Special:MyLanguage/Global Advocacy/Get Involved|Get Involved]]'''" in bar
    assert stand_in.summary.startswith("Navigation header: plain tab bar in place of the call")
    # the stand-in is a hand-copied bar to the scanner: once the header renders, the call replaces it
    back = page_change(SETTINGS, replace(stand_in.base, text=stand_in.new_text))
    assert back.new_text == get_involved.new_text
    assert back.summary.startswith("Navigation header: replaced hand-copied tab bar")
    # pages without a call keep what they show: no stand-in
    faq = next(c for c in plan.changes if c.title == "Global Advocacy/FAQ")
    assert faq.without_render_check(faq.base) is None
    # a stand-in page with no call left has nothing more to stand in for
    assert stand_in_change(SETTINGS, replace(stand_in.base, text=stand_in.new_text)) is None
    # too few tabs to be told from content as a bar: no stand-in
    two = replace(SETTINGS, nav=replace(SETTINGS.nav, tabs=SETTINGS.nav.tabs[:2]))
    assert stand_in_change(two, get_involved.base) is None


def test_the_plain_bar_is_its_own_block_even_with_prose_right_below():
    page = Page("Global Advocacy", 0, True, "{{Global Advocacy/Header|current=home}}\nHome page.", 5)
    stand_in = stand_in_change(SETTINGS, page)
    assert stand_in.new_text == plain_bar(SETTINGS, "home") + "\nHome page."
    back = page_change(SETTINGS, replace(page, text=stand_in.new_text))
    assert back.new_text == page.text
