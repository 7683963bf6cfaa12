"""``translate check|prepare|mark|status`` on a live dev wiki (no Translate: the bot writes markers itself).

Real processes and exit codes; every outcome is read back from the wiki.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

import pytest
import yaml

from advocacy_bot.jobs.translate import mark_tree
from advocacy_bot.devwiki.manager import DEMO_SNAPSHOT, DevWiki
from advocacy_bot.ownership import JSON_KEY, mark_comment
from advocacy_bot.settings import BotPages, NavSettings, default_tabs
from advocacy_bot.wikitext.translate_markup import parse, validate

from ..conftest import free_port, require_mediawiki
from .helpers import dev_cli as cli
from .helpers import dev_cli_report as run_with_report
from .helpers import ABOUT_LINK, make_run, read_back, seed, seed_json, unique_root

pytestmark = pytest.mark.devwiki



def config(tmp_path, root: str) -> tuple[str, str]:
    """Settings for a root of its own, with a state page of its own; returns (file, state title)."""
    state = f"User:AdvocacyBot/{root}/state.json"
    path = tmp_path / f"settings-{uuid.uuid4().hex[:6]}.yaml"
    path.write_text(yaml.safe_dump({"root": root, "nav": {"template": f"Template:{root}/Header"},
                                    "bot_pages": {"state": state, "status": f"User:AdvocacyBot/{root}/Status"}}))
    return str(path), state





def test_check_lists_each_problem_with_page_and_line_and_edits_nothing(devwiki, tmp_path):
    root = unique_root("Tr check")
    pages = {
        root: "<languages/>\n<translate>\n<!--T:1-->\nFine.\n</translate>",
        f"{root}/Broken": "<languages/>\n<translate>\n== A == <!--T:1-->\n\n<!--T:1-->\nTwice.\n</translate>\n</translate>",
        f"Template:{root}/Box": "<translate>\nUnclosed",
        f"{root}/Broken/de": "</translate> a FuzzyBot page is no source: not checked",
        f"Talk:{root}": "<translate> talk pages are not checked",
    }
    seed(devwiki, pages)
    settings, _ = config(tmp_path, root)
    before = read_back(devwiki, *pages)
    result, report = run_with_report(tmp_path, devwiki, "--config", settings, "translate", "check")
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [  # by title, then line
        f"Template:{root}/Box:1: pt-parse-open: <translate> has no matching </translate>",
        f"{root}/Broken:5: tpt-duplicate: unit name '1' is used more than once (first at line 3)",
        f"{root}/Broken:8: pt-parse-close: </translate> has no matching <translate> before it",
    ]
    assert [d["title"] for d in report["drift"]] == [f"Template:{root}/Box", f"{root}/Broken", f"{root}/Broken"]
    assert report["drift"][1]["what"].startswith("line 5: tpt-duplicate: ")
    assert report["edits"] == [] and {t: p.revid for t, p in read_back(devwiki, *pages).items()} == {
        t: p.revid for t, p in before.items()}


def test_prepare_dry_run_then_save_then_rest(devwiki, tmp_path):
    root = unique_root("Tr prepare")
    header = f"{{{{{root}/Header|current=home}}}}"
    pages = {
        root: (f"<languages/>\n{header}\n<translate>\n== Welcome == <!--T:1-->\n\n<!--T:2-->\nOld text with "
               "<tvar|home>[[Home]]</>.\n</translate>\n\nA paragraph a human added later.\n\n[[Category:Tr]]"),
        f"{root}/Plain": "{{Notice}}\nNothing translatable here yet.\n\n* a point\n* another",
        f"{root}/de": "Willkommen. (a translation page: never edited)",
    }
    seed(devwiki, pages)
    settings, _ = config(tmp_path, root)
    before = read_back(devwiki, *pages)

    dry = cli(devwiki, "--config", settings, "--dry-run", "translate", "prepare")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith(f"--- {root} (r{before[root].revid})")
    assert "+<translate>\n A paragraph a human added later.\n+</translate>" in dry.stdout
    assert f"{root}/Plain" not in dry.stdout  # not translatable yet: only with --page
    assert read_back(devwiki, root)[root].revid == before[root].revid

    saved, report = run_with_report(tmp_path, devwiki, "--config", settings, "translate", "prepare")
    assert saved.returncode == 0, saved.stderr
    assert [(e["title"], e["summary"]) for e in report["edits"]] == [(root, (
        "Prepared for translation: wrapped 1 prose paragraph in 1 <translate> block; rewrote 1 old <tvar|…> "
        "variable as <tvar name=…>" + ABOUT_LINK))]
    text = read_back(devwiki, root)[root].text
    assert text == (f"<languages/>\n{header}\n<translate>\n== Welcome == <!--T:1-->\n\n<!--T:2-->\nOld text with "
                    "<tvar name=home>[[Home]]</tvar>.\n</translate>\n\n<translate>\nA paragraph a human added "
                    "later.\n</translate>\n\n[[Category:Tr]]")

    named, report = run_with_report(tmp_path, devwiki, "--config", settings, "translate", "prepare",
                                    "--page", f"{root}/Plain")
    assert named.returncode == 0, named.stderr and len(report["edits"]) == 1
    assert read_back(devwiki, f"{root}/Plain")[f"{root}/Plain"].text == (
        "<languages/>\n{{Notice}}\n<translate>\nNothing translatable here yet.\n\n* a point\n* another\n</translate>")

    again, report = run_with_report(tmp_path, devwiki, "--config", settings, "translate", "prepare",
                                    "--page", root, "--page", f"{root}/Plain")
    assert again.returncode == 0 and report["edits"] == []
    translation = cli(devwiki, "--config", settings, "translate", "prepare", "--page", f"{root}/de")
    assert translation.returncode == 2 and "translation page" in translation.stderr
    assert read_back(devwiki, f"{root}/de")[f"{root}/de"].revid == before[f"{root}/de"].revid


def test_mark_numbers_units_after_the_highest_id_ever_used_and_rests(devwiki, tmp_path):
    root = unique_root("Tr mark")
    settings, state = config(tmp_path, root)
    pages = {
        # T:9 was used once and deleted since: only the state page remembers it.
        root: ("<languages/>\n<translate>\n== Team == <!--T:1-->\n\nNew words a task wrote.\n</translate>\n"
               "* '''Ana''' – <translate>New title</translate>"),
        f"Template:{root}/Header": "<span><translate><!--T:2--> Home</translate></span> <span><translate>FAQ</translate></span>"
                                   + mark_comment("AdvocacyBot"),  # the bot's page (ownership.py)
        f"{root}/Broken": "<translate>\nNo marker yet.\n\n<translate>\n</translate>",
        f"{root}/Done": "<translate><!--T:4--> Nothing to do</translate>",
        f"{root}/de": "Team (translation page)",
        # The bot may not edit it: it reserves no id, or every run would save the state page again.
        f"{root}/Closed": "{{nobots}}<translate><!--T:5--> Kept\n\nNo marker yet.</translate>",
    }
    seed(devwiki, pages)
    seed_json(devwiki, state, {"translate": {"highest_ids": {root: 9}}, "other-task": [1, 2], JSON_KEY: "AdvocacyBot"})
    before = read_back(devwiki, *pages, state)

    dry = cli(devwiki, "--config", settings, "--dry-run", "translate", "mark")
    assert dry.returncode == 1, dry.stderr  # the broken page is an error
    assert f"+++ {root} (Translation markers: numbered 2 new translation units (T:10–T:11){ABOUT_LINK})" in dry.stdout
    assert {t: p.revid for t, p in read_back(devwiki, *pages, state).items()} == {t: p.revid for t, p in before.items()}

    marked, report = run_with_report(tmp_path, devwiki, "--config", settings, "translate", "mark")
    assert marked.returncode == 1, marked.stderr
    assert [e["title"] for e in report["edits"]] == [state, f"Template:{root}/Header", root]
    assert [(e["title"], e["code"]) for e in report["errors"]] == [(f"{root}/Broken", "invalid-markup")]
    assert [(e["title"], e["code"]) for e in report["skipped"] if e["title"].startswith(root)] == [
        (f"{root}/Closed", "nobots")]
    after = read_back(devwiki, *pages, state)
    assert [u.id for u in parse(after[root].text).units] == ["1", "10", "11"]
    assert after[root].text == before[root].text.replace("\nNew words", "\n<!--T:10-->\nNew words").replace(
        "<translate>New title", "<translate><!--T:11--> New title")
    assert [u.id for u in parse(after[f"Template:{root}/Header"].text).units] == ["2", "3"]
    assert json.loads(after[state].text) == {
        "translate": {"highest_ids": {root: 11, f"Template:{root}/Header": 3, f"{root}/Done": 4,
                                      f"{root}/Closed": 5}},
        "other-task": [1, 2], JSON_KEY: "AdvocacyBot"}
    for title in (f"{root}/Broken", f"{root}/Done", f"{root}/de", f"{root}/Closed"):
        assert after[title].revid == before[title].revid
    assert all(validate(after[t].text) == [] for t in (root, f"Template:{root}/Header"))

    again, report = run_with_report(tmp_path, devwiki, "--config", settings, "translate", "mark")
    assert report["edits"] == [] and again.returncode == 1  # only the broken page, still reported


def test_ids_are_remembered_before_they_are_used(devwiki):
    """A unit deleted right after it was numbered does not give its id back."""
    root = unique_root("Tr remember")
    state = f"User:AdvocacyBot/{root}/state.json"
    seed(devwiki, {root: "<translate>\nFirst.\n\nSecond.\n</translate>"})
    run = make_run(devwiki, root, bot_pages=BotPages(state=state))
    mark_tree(run)
    assert [u.id for u in parse(read_back(devwiki, root)[root].text).units] == ["1", "2"]
    devwiki.edit_as("Admin", root, "<translate>\n<!--T:1-->\nFirst.\n\nA new second paragraph.\n</translate>",
                    "replace the second paragraph")
    run = make_run(devwiki, root, bot_pages=BotPages(state=state))
    mark_tree(run)
    assert [u.id for u in parse(read_back(devwiki, root)[root].text).units] == ["1", "3"]
    assert run.report.errors == [] and [e.title for e in run.report.edits] == [state, root]


def test_nav_units_marked_by_the_bot_stay_with_their_tabs(devwiki):
    """nav sync writes labels without markers; translate mark numbers them; nav sync keeps them."""
    from advocacy_bot.jobs.nav import sync_tree

    root = unique_root("Tr nav")
    state = f"User:AdvocacyBot/{root}/state.json"
    seed(devwiki, {root: "<languages/>\n<translate>\n== Hi == <!--T:1-->\n</translate>"})
    nav = NavSettings(f"Template:{root}/Header", default_tabs(root))

    def run():
        return make_run(devwiki, root, nav=nav, bot_pages=BotPages(state=state))

    first = run()
    sync_tree(first)
    assert first.report.errors == []
    marking = run()
    mark_tree(marking)
    template = read_back(devwiki, nav.template)[nav.template].text
    assert [u.id for u in parse(template).units] == [str(n) for n in range(1, 10)]
    rollout = run()  # marked, the template renders: the page gets its call now
    sync_tree(rollout)
    assert [edit.title for edit in rollout.report.edits] == [root]
    for task in (sync_tree, mark_tree):
        quiet = run()
        task(quiet)
        assert quiet.report.edits == [] and quiet.report.errors == [], task.__name__
    renamed = replace(nav, tabs=tuple(replace(t, label="Start") if t.key == "home" else t for t in nav.tabs))
    rename = make_run(devwiki, root, nav=renamed, bot_pages=BotPages(state=state))
    sync_tree(rename)
    template = read_back(devwiki, nav.template)[nav.template].text
    assert "<translate><!--T:1--> Start</translate>" in template  # the renamed label keeps its unit


def test_status_skips_without_translate(devwiki, tmp_path):
    root = unique_root("Tr status")
    settings, _ = config(tmp_path, root)
    result, report = run_with_report(tmp_path, devwiki, "--config", settings, "translate", "status")
    assert result.returncode == 0, result.stderr
    assert [(s["title"], s["code"]) for s in report["skipped"]] == [(f"User:AdvocacyBot/{root}/Status", "no-translate")]
    assert report["edits"] == []


def test_the_demo_main_job_then_everything_rests(tmp_path):
    """The tasks one by one on a fresh demo wiki: nav, staff, then translate mark numbers what they wrote
    (the header template's units too, so a second nav sync rolls the header out)."""
    require_mediawiki()
    wiki = DevWiki(tmp_path / "wiki", log=lambda message: None)
    wiki.up(port=free_port(), snapshot=DEMO_SNAPSHOT)  # the demo tree and the roster's accounts
    try:
        steps = [("nav", "sync"),
                 ("staff", "adopt", "--page", "Global Advocacy", "--section", "The team", "--save"),
                 ("staff", "adopt", "--page", "Global Advocacy/FAQ", "--section",
                  "Whom should I contact about a law in my country?", "--save"),
                 ("staff", "sync")]
        for step in steps:
            assert cli(wiki, *step).returncode == 0, step
        assert cli(wiki, "translate", "check").returncode == 0
        report = tmp_path / "mark.json"
        marked = cli(wiki, "--report-json", str(report), "translate", "mark")
        assert marked.returncode == 0, marked.stderr
        data = json.loads(report.read_text())
        assert [e["title"] for e in data["edits"]] == ["User:AdvocacyBot/state.json", "Global Advocacy",
                                                        "Global Advocacy/FAQ", "Template:Global Advocacy/Header"]
        print(f"\ntranslate mark of the demo tree: {data['pages_read']} pages read, {len(data['edits'])} edits, "
              f"{data['api_requests']} API requests, {data['seconds']} s")
        # the template's units have their markers now, so it renders: the pages get their calls
        rollout = tmp_path / "rollout.json"
        assert cli(wiki, "--report-json", str(rollout), "nav", "sync").returncode == 0
        assert len(json.loads(rollout.read_text())["edits"]) == 8
        for step in [("nav", "sync"), ("staff", "sync"), ("translate", "mark")]:
            quiet = tmp_path / "quiet.json"
            assert cli(wiki, "--report-json", str(quiet), *step).returncode == 0, step
            assert json.loads(quiet.read_text())["edits"] == [], step
        titles = ["Global Advocacy", "Global Advocacy/FAQ", "Template:Global Advocacy/Header"]
        run = make_run(wiki, "Global Advocacy")
        pages = run.read(titles)
        run.client.close()
        for title in titles:
            assert all(unit.id is not None for unit in parse(pages[title].text).units), title
        # the root's old label units T:24-T:32 are gone from its text, but the state page remembers them
        root_ids = [int(unit.id) for unit in parse(pages["Global Advocacy"].text).units]
        assert max(root_ids) > 32 and not set(root_ids) & set(range(24, 33))
    finally:
        wiki.down()
