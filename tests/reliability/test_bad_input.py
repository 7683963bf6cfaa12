"""Bad input: a generated corpus of malformed and hostile pages (corpus.py) through the tasks' pure
planners and through the wiki layer on the dev wiki: zero crashes, zero edits to refused pages, a clear
reason for each; plus forged settings, roster and shutoff pages. Counts are printed (run with -s)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import timezone

import pytest
import yaml
from click.testing import CliRunner

from advocacy_bot.cli import main
from advocacy_bot.outcomes import ERROR_CODES, SKIP_CODES
from advocacy_bot.plan import Page
from advocacy_bot.roster import Member
from advocacy_bot.settings import (ArchiveDefaults, BotPages, NavSettings, StaffSettings, StaffTarget,
                                   default_settings, default_tabs)
from advocacy_bot.tasks import archive as archive_task
from advocacy_bot.tasks import nav as nav_task
from advocacy_bot.tasks import staff as staff_task
from advocacy_bot.tasks import translate as translate_task
from advocacy_bot.tree import classify
from advocacy_bot.wikitext import staff_block
from advocacy_bot.wikitext.parsing import TooDeeplyNested
from advocacy_bot.wikitext.talk_threads import split_threads, thread_copies
from advocacy_bot.wikitext.translate_markup import validate
from tests.fixtures.snapshot import DEMO_NOW, ROSTER

from ..integration.helpers import make_run, read_back, seed, unique_root
from .corpus import BOT, Case, corpus
from .lab import run_all

ROOT = "Hostile"
LANGUAGES = frozenset({"en", "de", "fr", "ar"})
MEMBERS = [Member(m["key"], m["name"], m["title"], m["region"], m.get("username"), m.get("email")) for m in ROSTER]
# Refusals made by the wiki layer: the page is not saved at all. The others are one task's (say, nav's
# ambiguous-header), and another task may still change the page.
APPLIER_CODES = {"invalid-markup", "nobots", "redirect", "protected", "outside-tree", "edit-conflict",
                 "verification-failed", "api-error"}


def settings_for(root: str):
    return replace(default_settings(), root=root, nav=NavSettings(f"Template:{root}/Header", default_tabs(root)),
                   legacy_roots=())


def page_of(case: Case, namespace: int | None = None) -> Page:
    ns = 1 if case.title.startswith("Talk:") else 0
    return Page(case.title, ns if namespace is None else namespace, True, case.text, revid=1)


def talk_threads_once(talk: Page, changes) -> bool:
    """Every thread of ``talk`` stands exactly once in the new texts of the talk page and archives
    (identical threads are distinct: each is one copy)."""
    texts = {change.title: change.new_text for change in changes}
    texts.setdefault(talk.title, talk.text)
    return all(sum(thread_copies(text, body) for text in texts.values()) == thread_copies(talk.text, body)
               for body in {thread.body for thread in split_threads(talk.text).threads})


def threads_lost(before: dict[str, str], after: dict[str, str], talks: list[str]) -> int:
    """Threads of the talk pages ``talks`` and their archives that stand fewer times after than before."""
    def threads(text: str) -> list[str]:
        try:
            return [t.body for t in split_threads(text).threads]
        except TooDeeplyNested:  # refused by the bot, never changed: the page as a whole
            return [text]

    lost = 0
    for talk in talks:
        def counts(texts):
            return Counter(body for title, text in texts.items() if title == talk or title.startswith(talk + "/")
                           for body in threads(text))
        lost += sum((counts(before) - counts(after)).values())
    return lost


def test_the_pure_planners_never_crash_and_give_a_reason_for_what_they_leave():
    settings = settings_for(ROOT)
    cases = corpus(ROOT) + [Case(f"{ROOT}/Five megabytes", "<languages/>\n" + "Lorem ipsum. " * 400_000, "5 MB")]
    pages = {case.title: page_of(case) for case in cases}
    counts = {"pages": len(cases), "changes": 0, "refused": 0}

    # navigation: every refusal has a documented code and a message; no change breaks valid markup;
    # applying a change and planning again changes nothing
    entries = classify(pages.values(), ROOT, LANGUAGES, "en")
    plan = nav_task.plan_nav(settings, pages, entries)
    for outcome in plan.outcomes:
        assert outcome.code in SKIP_CODES | ERROR_CODES and outcome.message.strip()
    for change in plan.changes:
        if validate(change.new_text) and not validate(change.base.text):
            pytest.fail(f"nav broke the markup of {change.title}")
        if change.base.exists and not validate(change.new_text):
            again = nav_task.page_change(settings, replace(change.base, text=change.new_text))
            # (a change that writes nothing only checks that the header renders)
            assert again is None or not again.changes_text, f"nav is not idempotent on {change.title}"
    counts["changes"] += len(plan.changes)
    counts["refused"] += len(plan.outcomes)

    for case in cases:
        page = pages[case.title]
        # the staff list, as if the page were a target: a change, or a reason
        target = staff_task.plan_target(page, MEMBERS, "cards", BOT, "the roster")
        assert target.change or target.refusal or target.markup_problem or target.differences, case.what
        if target.change:
            assert staff_block.find_block(target.change.new_text) is not None
        # archiving, as if the page were a talk page: threads moved exactly once, or a reason
        talk = page if page.namespace == 1 else replace(page, title=f"Talk:{case.title}", namespace=1)
        archived = archive_task.plan_talk_page(talk, {}, ArchiveDefaults(), DEMO_NOW.astimezone(timezone.utc))
        if archived is not None:
            assert archived.refused or archived.note or archived.moves, case.what
            if archived.refusal_code == "too-deep":
                assert archived.refused and not archived.changes, case.what
            else:
                assert talk_threads_once(talk, archived.changes), case.what
        # translation markers and preparation: valid new text, idempotent; or the problems, with lines
        marked = translate_task.plan_markers(pages, [case.title], Page("User:X/state.json", 2, False))
        for outcome in marked.outcomes:
            assert outcome.code == "invalid-markup" and "line " in outcome.message
        for change in marked.changes:
            assert validate(change.new_text) == [], case.what
            if change.title == case.title:
                assert translate_task.marker_change(replace(page, text=change.new_text), 10**6) is None
        prepared, result = translate_task.prepare_page(settings, page)
        assert prepared is None or (validate(prepared.new_text) == [] and translate_task.prepare_page(
            settings, replace(page, text=prepared.new_text))[0] is None), case.what
        assert not result.problems or all(problem.rule and problem.message for problem in result.problems)
    print(f"\npure planners: {counts['pages']} hostile pages, {counts['changes']} navigation changes, "
          f"{counts['refused']} navigation refusals with a reason, 0 crashes")


pytestmark_live = pytest.mark.devwiki


def hostile_tree(devwiki, tmp_path):
    """The corpus under a root of its own (its team list in the staff block); the run maker."""
    root = unique_root(ROOT)
    cases = corpus(root)
    roster = tmp_path / "roster.yaml"
    roster.write_text(yaml.safe_dump({"members": list(ROSTER)}, allow_unicode=True))
    block = (staff_block.begin_comment(BOT, "x") + f"\n* '''{ROSTER[0]['name']}''' – Old title\n"
             + staff_block.end_comment(BOT))
    seed(devwiki, {root: f"<languages/>\n{{{{{root}/Header|current=home}}}}\n{block}",
                   **{case.title: case.text for case in cases if case.importable}})
    for case in cases:
        if not case.importable:  # MediaWiki cleans control characters, as for any editor
            devwiki.edit_as("Admin", case.title, case.text, "control characters")
    devwiki.create_accounts(member["username"] for member in ROSTER if member.get("username"))
    settings = {"nav": NavSettings(f"Template:{root}/Header", default_tabs(root)), "legacy_roots": (),
                "staff": StaffSettings(str(roster), (StaffTarget(root, "cards"),)),
                "bot_pages": BotPages(shutoff=f"User:<bot>/Shutoff {root}", state=f"User:<bot>/state {root}.json")}
    return root, cases, lambda: make_run(devwiki, root, **settings)


@pytestmark_live
def test_hostile_pages_on_the_wiki_no_crash_no_edit_to_a_refused_page_and_a_reason_for_each(devwiki, tmp_path):
    root, cases, make = hostile_tree(devwiki, tmp_path)
    titles = [case.title for case in cases]
    before = read_back(devwiki, *titles)
    assert all(page.exists for page in before.values())

    talks = [title for title in titles if title.startswith("Talk:")]
    archives = [f"{talk}/Archive {n}" for talk in talks for n in (1, 2)]
    threads_before = {title: page.text for title, page in read_back(devwiki, *titles, *archives).items() if page.exists}
    report = run_all(make)  # the forged shutoff pages do not stop it; nothing raises
    after = read_back(devwiki, *titles)
    threads_after = {title: page.text for title, page in read_back(devwiki, *titles, *archives).items() if page.exists}
    lost = threads_lost(threads_before, threads_after, talks)
    assert lost == 0
    edited = {edit.title for edit in report.edits}
    outcomes = report.skipped + report.errors
    for outcome in outcomes:
        assert outcome.message.strip(), outcome
        if outcome.title in before and outcome.code in APPLIER_CODES:
            assert after[outcome.title].revid == before[outcome.title].revid, outcome  # refused: not edited
            assert outcome.title not in edited
    for title in edited & set(titles):
        assert validate(after[title].text) == [], title  # nothing Translate would refuse was saved
    refused = {outcome.title for outcome in outcomes} & set(titles)
    assert refused, "the corpus has pages the bot must refuse"

    again = run_all(make)
    assert again.edits == [], [edit.title for edit in again.edits]  # hostile or not, a second run rests
    assert {(o.title, o.code) for o in again.errors} <= {(o.title, o.code) for o in report.errors}
    print(f"\nwiki layer: {len(cases)} hostile pages: {len(edited & set(titles))} edited, {len(refused)} refused "
          f"with a reason ({len(outcomes)} outcomes), {len(set(titles) - edited - refused)} left as they were; "
          f"{len(talks)} talk pages, {lost} threads lost; 0 crashes; 0 edits to refused pages")


def cli(devwiki, tmp_path, settings: dict, *args):
    path = tmp_path / "settings.yaml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True))
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["--site", "dev", "--devwiki-dir", str(devwiki.directory), "--config", str(path),
                                       "--report-json", str(report), *args])
    return result, json.loads(report.read_text())


FORGED = {
    "settings page anyone can edit": ({"bot_pages": {"settings": "{root}/Bot settings.json"}},
                                      {"{root}/Bot settings.json": '{"nav": {"tabs": []}}'}, None, 2, "not trusted"),
    "protected settings page with broken JSON": ({"bot_pages": {"settings": "{root}/Bot settings"}},
                                                 {"{root}/Bot settings": '{"nav": '}, "{root}/Bot settings", 2, "JSON"),
    "protected settings page moving the root": ({"bot_pages": {"settings": "{root}/Bot settings"}},
                                                {"{root}/Bot settings": '{"root": "Main Page"}'}, "{root}/Bot settings",
                                                2, "root cannot be set on the wiki"),
    "roster page anyone can edit": ({"staff": {"roster": "wiki:{root}/roster.json", "targets": [{"page": "{root}"}]}},
                                    {"{root}/roster.json": '{"members": []}'}, None, 2, "is not trusted"),
    "bot page outside the tree": ({"bot_pages": {"status": "Main Page"}}, {}, None, 2, "outside the tree"),
    "staff target outside the tree": ({"staff": {"roster": "{roster}", "targets": [{"page": "{outside}"}]}},
                                      {"{outside}": "{block}"}, None, 1, "outside-tree"),
    "shutoff page named like ours, elsewhere": ({}, {"User:{bot}/Shutoff {root} copy": "STOP",
                                                     "{root}/Shutoff": "STOP"}, None, 0, None),
}


@pytestmark_live
@pytest.mark.parametrize("name", list(FORGED))
def test_forged_settings_roster_and_shutoff_pages_are_refused_with_a_reason(devwiki, tmp_path, name):
    settings, pages, protect, exit_code, reason = FORGED[name]
    root, outside = unique_root("Forged"), unique_root("Outside")
    roster = tmp_path / "roster.yaml"
    roster.write_text(yaml.safe_dump({"members": [{"key": "a", "name": "Ana", "title": "Lead"}]}))
    block = staff_block.begin_comment(BOT, "x") + "\n* '''Ana''' – Old title\n" + staff_block.end_comment(BOT)
    fill = lambda text: (text.replace("{root}", root).replace("{outside}", outside).replace("{roster}", str(roster))
                         .replace("{bot}", BOT).replace("{block}", block))  # noqa: E731
    settings = json.loads(fill(json.dumps(settings)))
    settings.update(root=root, nav={"template": f"Template:{root}/Header"})
    settings.setdefault("bot_pages", {})["shutoff"] = f"User:<bot>/Shutoff {root}"
    seed(devwiki, {root: "<languages/>\nWelcome.", **{fill(t): fill(x) for t, x in pages.items()}})
    if protect:
        devwiki.protect(fill(protect), "sysop")
    watched = [root] + [fill(title) for title in pages]
    before = read_back(devwiki, *watched)

    # translate too: it gives the new header template its markers, so the pages get their calls at once
    tasks = "nav,staff,translate" if "staff" in settings else "nav,translate"
    result, report = cli(devwiki, tmp_path, settings, "run-all", "--only", tasks)
    assert result.exit_code == exit_code, result.output
    after = read_back(devwiki, *watched)
    if exit_code == 2:  # found before any save: nothing edited, the reason said
        assert report["edits"] == [] and all(after[t].revid == before[t].revid for t in watched)
        assert reason in report["message"]
    elif reason:
        assert [(e["title"], e["code"]) for e in report["errors"]] == [(outside, reason)]
        assert after[outside].revid == before[outside].revid
    else:  # a page that only looks like the shutoff page stops nothing
        assert report["exit_code"] == 0 and root in [edit["title"] for edit in report["edits"]]
