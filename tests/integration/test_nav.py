"""Navigation header sync on a live dev wiki: a whole drifted tree repaired, checked through the rendered HTML
of every source page, then synced again with zero edits."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from advocacy_bot.jobs.nav import check_tree, sync_tree
from advocacy_bot.devwiki.manager import DevWiki
from advocacy_bot.settings import NavSettings, Tab, default_tabs
from advocacy_bot.tasks.nav import template_items
from advocacy_bot.wikitext.translate_markup import add_markers, highest_id
from tests.fixtures.snapshot import demo_pages

from ..conftest import REPO, free_port, require_mediawiki
from .helpers import ABOUT_LINK, dev_cli, make_run, mark_header, seed, unique_root

pytestmark = pytest.mark.devwiki


# -- reading the wiki back -------------------------------------------------------------------------

def api(wiki: DevWiki, **params) -> dict:
    params.setdefault("action", "query")
    params.update(format="json", formatversion=2)
    data = urllib.parse.urlencode(params).encode()
    with urllib.request.urlopen(wiki.info().api_url, data=data, timeout=30) as answer:
        return json.load(answer)


def texts(wiki: DevWiki, titles) -> dict[str, str]:
    answer = api(wiki, prop="revisions", rvprop="content", rvslots="main", titles="|".join(titles))
    return {p["title"]: p["revisions"][0]["slots"]["main"]["content"] for p in answer["query"]["pages"]}


class NavBars(HTMLParser):
    """Every element with class advocacy-nav, with the tabs inside: (data-key, classes, link href)."""

    def __init__(self):
        super().__init__()
        self.bars: list[list[dict]] = []
        self._depth = 0  # element depth inside the current bar (0: outside)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if self._depth:
            self._depth += tag not in ("br", "img")
            if "advocacy-nav-tab" in classes:
                self.bars[-1].append({"key": attrs.get("data-key"), "classes": classes, "href": None,
                                      "style": attrs.get("style") or ""})
            elif tag == "a" and self.bars[-1] and self.bars[-1][-1]["href"] is None:
                self.bars[-1][-1]["href"] = urllib.parse.unquote(attrs.get("href", ""))
        elif "advocacy-nav" in classes:
            self.bars.append([])
            self._depth = 1

    def handle_endtag(self, tag):
        if self._depth and tag not in ("br", "img"):
            self._depth -= 1


def nav_bars(wiki: DevWiki, title: str) -> list[list[dict]]:
    html = api(wiki, action="parse", page=title, prop="text", disablelimitreport=1)["parse"]["text"]
    parser = NavBars()
    parser.feed(html)
    return parser.bars


def assert_one_bar(wiki: DevWiki, title: str, tabs, current: str) -> None:
    bars = nav_bars(wiki, title)
    assert len(bars) == 1, f"{title}: {len(bars)} navigation bars"
    items = bars[0]
    assert [item["key"] for item in items] == [tab.key for tab in tabs], title
    assert [item["key"] for item in items if "advocacy-nav-current" in item["classes"]] == [current], title
    # readers see it too: only the current tab is bold
    assert [item["key"] for item in items if "font-weight:bold" in item["style"]] == [current], title
    for item, tab in zip(items, tabs):
        expected = tab.target if tab.target.startswith("Talk:") else f"Special:MyLanguage/{tab.target}"
        assert expected.replace(" ", "_") in item["href"], (title, item)


# -- a demo-like tree under a root of its own -----------------------------------------------------

def demo_like_tree(root: str, legacy: str) -> dict[str, str]:
    """The demo snapshot's tree (every drift shape it carries), moved under ``root``."""
    pages = {}
    for page in demo_pages():
        if page.model != "wikitext" or page.ns not in (0, 1):  # the tree, not the stubs it uses (issue 16)
            continue
        title = page.title.replace("Global Advocacy", root).replace("Public policy", legacy)
        pages[title] = page.text.replace("Global Advocacy", root).replace("Public policy", legacy)
    return pages


def nav_run(wiki, root, legacy="Public policy", tabs=None, **kwargs):
    nav = NavSettings(f"Template:{root}/Header", tabs or default_tabs(root))
    return make_run(wiki, root, nav=nav, legacy_roots=(legacy,), **kwargs)


SOURCES = {"": "home", "/About": "about", "/Documentation": "documentation", "/Resource Center": "resource-center",
           "/Resource Center/Copyright": "resource-center", "/Conversation Hours and Events": "conversation-hours",
           "/Get Involved": "get-involved", "/FAQ": "faq"}


def mark_template(wiki: DevWiki, root: str) -> None:
    mark_header(wiki, f"Template:{root}/Header")


def test_sync_repairs_a_drifted_tree_renders_one_bar_everywhere_and_then_rests(devwiki):
    root = unique_root("Nav tree")
    legacy = unique_root("Nav legacy")
    pages = demo_like_tree(root, legacy)
    seed(devwiki, pages)
    untouched = [t for t in pages if not any(t == root + s for s in SOURCES)]
    translations = {(f"{root}/da", "pending-remark"), (f"{root}/ru", "pending-remark"),
                    (f"{root}/About/ja", "pending-remark"), (f"{root}/FAQ/en", "pending-remark")}

    # first run: the template is saved, but its <translate> would reach readers literally until it
    # is marked: every page keeps the (hand-made) bar it shows and waits
    first = nav_run(devwiki, root, legacy)
    sync_tree(first)
    # Get Involved calls the template already: it would show the markup, so it gets a plain bar meanwhile
    involved = f"{root}/Get Involved"
    assert [e.title for e in first.report.edits] == [f"Template:{root}/Header", involved]
    assert {(s.title, s.code) for s in first.report.skipped} == translations | {
        (f"{root}/Announcements", "nobots")} | {(root + suffix, "waiting-for-header") for suffix in SOURCES}
    assert "needs its marker" in next(s.message for s in first.report.skipped if s.title == root)
    assert texts(devwiki, [t for t in pages if t != involved]) == {t: v for t, v in pages.items() if t != involved}
    assert f"{{{{{root}/Header" not in texts(devwiki, [involved])[involved]
    for suffix in SOURCES:  # no page shows the template's markup meanwhile
        assert "&lt;translate" not in api(devwiki, action="parse", page=root + suffix, prop="text")["parse"]["text"]
    checked = nav_run(devwiki, root, legacy)
    check_tree(checked)
    assert [(d.title, d.what) for d in checked.report.drift if d.title == f"Template:{root}/Header"] == [
        (f"Template:{root}/Header", f"readers would see Translate markup (<translate> </translate>) in the header "
         f"from Template:{root}/Header: every unit of Template:{root}/Header needs its marker (`advocacy-bot "
         "translate mark` writes them)")]

    mark_template(devwiki, root)
    run = nav_run(devwiki, root, legacy)
    sync_tree(run)
    report = run.report
    assert sorted(e.title for e in report.edits) == sorted(root + s for s in SOURCES)
    assert all(e.new_revid for e in report.edits) and report.errors == []
    assert {(s.title, s.code) for s in report.skipped} == translations | {(f"{root}/Announcements", "nobots")}
    faq = next(e for e in report.edits if e.title == f"{root}/FAQ")
    assert faq.summary == "Navigation header: replaced hand-copied tab bar; current tab FAQ" + ABOUT_LINK

    tabs = default_tabs(root)
    for suffix, key in SOURCES.items():
        assert_one_bar(devwiki, root + suffix, tabs, key)
    # translation pages, the nobots page, redirects, talk pages and the legacy tree: byte for byte as seeded
    assert texts(devwiki, untouched) == {t: pages[t] for t in untouched}
    after = texts(devwiki, [root + s for s in SOURCES])
    for suffix in SOURCES:  # only the top changed: from the first heading on, every byte is as it was
        assert after[root + suffix].partition("\n==")[2] == pages[root + suffix].partition("\n==")[2]

    again = nav_run(devwiki, root, legacy)
    sync_tree(again)
    assert again.report.edits == [] and again.report.errors == []
    checked = nav_run(devwiki, root, legacy)
    check_tree(checked)
    assert checked.report.drift == [] and checked.report.outcome_exit_code() == 0


def test_check_lists_drift_and_edits_nothing(devwiki):
    root = unique_root("Nav check")
    seed(devwiki, {root: f"<languages/>\n{{{{{root}/Header|current=faq}}}}\nWelcome.",
                   f"{root}/FAQ": "<translate>Questions.</translate>", f"{root}/FAQ/de": "Fragen.",
                   f"Talk:{root}": "Talk."})
    before = texts(devwiki, [root, f"{root}/FAQ"])
    run = nav_run(devwiki, root)
    check_tree(run)
    assert [(d.title, d.what) for d in run.report.drift] == [
        (f"Template:{root}/Header", "Navigation header template: created from the definition (9 tabs)"),
        (root, "Navigation header: fixed current tab (was faq); current tab Home"),
        (f"{root}/FAQ", "Navigation header: added header; current tab FAQ")]
    assert run.report.outcome_exit_code() == 1 and run.report.edits == []
    assert texts(devwiki, [root, f"{root}/FAQ"]) == before


def test_template_units_follow_the_definition_by_key(devwiki):
    root = unique_root("Nav units")
    tabs = default_tabs(root)
    seed(devwiki, {root: "Home page."})
    sync_tree(nav_run(devwiki, root))
    template = f"Template:{root}/Header"
    mark_template(devwiki, root)  # a translation admin marks the template: Translate numbers the units 1..9
    sync_tree(nav_run(devwiki, root))  # now it renders: the root gets its call

    renamed = [replace(t, label="Events") if t.key == "conversation-hours" else t for t in tabs
               if t.key != "announcements"] + [Tab("news", "News", f"{root}/News")]
    run = nav_run(devwiki, root, tabs=tuple(renamed))
    sync_tree(run)
    # the shim keeps no last-marked version: the new unit shows as markup until it is marked, so the
    # root gets the plain bar meanwhile (the real Translate renders the last marked version instead)
    expected = [
        "Navigation header template: added tab News; removed tab Announcements (unit T:8 retired); "
        "renamed tab Conversation Hours and Events to Events",
        f"Navigation header: plain tab bar in place of the call of {template}, which does not render yet (readers "
        "would see its Translate markup); the call comes back once it does"]
    assert [e.summary for e in run.report.edits] == [summary + ABOUT_LINK for summary in expected]
    text = texts(devwiki, [template])[template]
    items = {item.key: (item.unit_id, item.label) for item in template_items(text)[0]}
    assert items["conversation-hours"] == ("5", "Events")  # renamed: same unit, translations turn outdated
    assert items["news"] == (None, "News")  # new: numbered when marked
    assert "<!--T:8-->" in text and highest_id(text) == 9  # retired, visible to whoever numbers next
    remarked = {item.key: item.unit_id for item in template_items(add_markers(text))[0]}
    assert remarked["news"] == "10"
    mark_template(devwiki, root)
    sync_tree(nav_run(devwiki, root, tabs=tuple(renamed)))  # marked: the call comes back
    assert nav_bars(devwiki, root)[0][4]["key"] == "conversation-hours"


def test_dry_run_prints_diffs_and_an_edit_conflict_keeps_the_human_edit(devwiki):
    root = unique_root("Nav dry")
    bar = " · ".join(f"[[{root}/{p}|{p}]]" for p in ("About", "FAQ", "Documentation"))
    text = f"<languages/>\n{bar}\n\nWelcome.\n\n== Intro ==\nText."
    seed(devwiki, {f"{root}/About": text})
    shown = []
    dry = nav_run(devwiki, root, dry_run=True, out=shown.append)
    sync_tree(dry)
    assert texts(devwiki, [f"{root}/About"])[f"{root}/About"] == text
    assert len(shown) == 2 and f"+{{{{{root}/Header|current=about}}}}" in shown[1] and f"-{bar}" in shown[1]

    # sync for real (the template created and marked first); a human edits the page between the
    # bot's read and its save
    seed(devwiki, {root: "Home."})
    sync_tree(nav_run(devwiki, root))
    mark_template(devwiki, root)
    run = nav_run(devwiki, root)
    human = text.replace("Text.", "Text, edited by a human.")
    run.applier.before_save = lambda change: (devwiki.edit_as("Admin", f"{root}/About", human, "human")
                                              if change.title == f"{root}/About" and "human" not in change.base.text
                                              else None)
    sync_tree(run)
    final = texts(devwiki, [f"{root}/About"])[f"{root}/About"]
    assert final == (f"<languages/>\n{{{{{root}/Header|current=about}}}}\n\nWelcome.\n\n== Intro ==\n"
                     "Text, edited by a human.")
    assert run.report.errors == []


# -- the command line and the demo snapshot --------------------------------------------------------

def cli(*args, wiki: DevWiki):
    return dev_cli(wiki, *args)


def test_the_demo_snapshot_with_default_settings(tmp_path):
    """The README's demo: a fresh wiki with the demo snapshot, synced with the built-in settings."""
    require_mediawiki()
    wiki = DevWiki(tmp_path / "wiki", log=lambda message: None)
    wiki.up(port=free_port())
    try:
        wiki.import_xml(REPO / "advocacy_bot" / "devwiki" / "demo_snapshot.xml")
        check = cli("nav", "check", wiki=wiki)
        assert check.returncode == 1 and len(check.stdout.splitlines()) == 9, check.stderr
        report = tmp_path / "sync.json"
        sync = cli("--report-json", str(report), "nav", "sync", wiki=wiki)
        assert sync.returncode == 0, sync.stderr
        data = json.loads(report.read_text())
        print(f"\nnav sync of the demo tree: {data['pages_read']} pages read, {len(data['edits'])} edits, "
              f"{data['api_requests']} API requests, {data['seconds']} s")
        # Get Involved calls the template already: a plain bar until the template renders
        assert [edit["title"] for edit in data["edits"]] == ["Template:Global Advocacy/Header",
                                                             "Global Advocacy/Get Involved"]
        assert sorted(skip["title"] for skip in data["skipped"] if skip["code"] == "waiting-for-header") == sorted(
            "Global Advocacy" + suffix for suffix in SOURCES)
        mark = cli("translate", "mark", wiki=wiki)  # on the shim wiki the bot writes the markers itself
        assert mark.returncode == 0, mark.stderr
        sync = cli("--report-json", str(report), "nav", "sync", wiki=wiki)
        assert sync.returncode == 0, sync.stderr
        data = json.loads(report.read_text())
        print(f"\nnav sync of the demo tree once the template renders: {data['pages_read']} pages read, "
              f"{len(data['edits'])} edits, {data['api_requests']} API requests, {data['seconds']} s")
        assert len(data["edits"]) == 8 and data["errors"] == []
        assert data["api_requests"] <= 30
        for suffix, key in SOURCES.items():
            assert_one_bar(wiki, "Global Advocacy" + suffix, default_tabs("Global Advocacy"), key)
        again = tmp_path / "again.json"
        assert cli("--report-json", str(again), "nav", "sync", wiki=wiki).returncode == 0
        assert json.loads(again.read_text())["edits"] == []
        final = cli("nav", "check", wiki=wiki)
        assert final.returncode == 0 and final.stdout == ""
        assert "pending-remark" in final.stderr and "nobots" in final.stderr
    finally:
        wiki.down()
    assert not list(Path(REPO).glob("*.lwp")) and not (Path(REPO) / "apicache").exists()
