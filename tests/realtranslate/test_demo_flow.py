"""Issue 13's "done when", live: the demo tree on a wiki running the real Translate, taken through the
stages an operator and a translation administrator take it through, every stage judged by what
readers see (``action=parse`` of every page of the tree).

1. ``first-run``: the demo's setup and main job (``bin/demo``), nothing marked yet.
2. ``marked``: a translation administrator marks what the bot listed (``waiting-for-translation-admin``,
   the header template with translation-aware transclusion); the bot runs again, until it lists nothing.
3. ``translated``: a Japanese translation of a header label and of a job title.
4. ``renamed``: a tab renamed in the settings; the bot saves the template and lists it for marking.
5. ``remarked``: the administrator marks it; the renamed tab reaches readers.
6. ``rest``: a further run makes no edit.

Skipped without $ADVOCACY_TRANSLATE_DIR. With ADVOCACY_RECORD_REAL_TRANSLATE=1 the stages' numbers and
what readers saw are written to ``tests/recorded/real-translate/demo-flow.json``, which CI judges again
(``tests/api/test_real_translate_replay.py``).
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

from advocacy_bot.devwiki.manager import DEMO_SNAPSHOT, DevWiki
from advocacy_bot.devwiki.translate_admin import TranslationAdmin
from advocacy_bot.settings import default_settings
from advocacy_bot.tasks.translate_status import team_unit_ids

from ..conftest import free_port, require_real_translate
from ..integration.helpers import dev_cli, dev_cli_report
from . import flow as checks
from .flow import FLOW, JA_LABEL, JA_TITLE, KEPT_HTML, KEPT_TEXT, RENAMED, ROOT

RECORD = os.environ.get("ADVOCACY_RECORD_REAL_TRANSLATE") == "1"
pytestmark = pytest.mark.devwiki

NOW = "2026-11-20T12:00Z"  # as bin/demo: the demo talk page is dated for 20 November 2026
WAITING = ("waiting-for-translation-admin", "waiting-for-header")


def _api(wiki: DevWiki, **params) -> dict:
    query = urllib.parse.urlencode({**params, "format": "json", "formatversion": 2})
    with urllib.request.urlopen(f"{wiki.info().api_url}?{query}", timeout=120) as answer:
        return json.load(answer)


def tree_titles(wiki: DevWiki) -> list[str]:
    """Every page of the tree (source, talk, template and translation pages), as the wiki lists them."""
    titles = []
    for namespace in (0, 1, 10):
        answer = _api(wiki, action="query", list="allpages", apprefix=ROOT, apnamespace=namespace, aplimit=500)
        titles += [page["title"] for page in answer["query"]["allpages"]]
    return titles


def rendered(wiki: DevWiki) -> dict[str, str]:
    """Each page of the tree as a reader gets it (``action=parse``, the parser cache included)."""
    return {title: _api(wiki, action="parse", page=title, prop="text")["parse"]["text"]
            for title in tree_titles(wiki)}


def bot_contributions(wiki: DevWiki) -> list[str]:
    answer = _api(wiki, action="query", list="usercontribs", ucuser="AdvocacyBot", uclimit=500, ucprop="title")
    return sorted({entry["title"] for entry in answer["query"]["usercontribs"]})


def translation_pages(wiki: DevWiki, titles: list[str]) -> set[str]:
    """Pages ``X/<language code>`` whose X is a page of the wiki: translation pages, marked or not."""
    codes = {entry["code"] for entry in _api(wiki, action="query", meta="siteinfo", siprop="languages")
             ["query"]["languages"]}
    existing = set(tree_titles(wiki))
    return {title for title in titles if "/" in title and title.rsplit("/", 1)[1] in codes
            and title.rsplit("/", 1)[0] in existing}


class Flow:
    """The operator's commands on one demo wiki, and what each stage left."""

    def __init__(self, wiki: DevWiki, folder: Path):
        self.wiki = wiki
        self.folder = folder
        self.admin = TranslationAdmin(wiki)
        self.settings = folder / "settings.yaml"
        self.settings.write_text(yaml.safe_dump({}), encoding="utf-8")
        self.stages: dict[str, dict] = {}

    def run_all(self, *extra: str) -> dict:
        result, report = dev_cli_report(self.folder, self.wiki, "--config", str(self.settings), *extra,
                                        "run-all", "--now", NOW)
        assert result.returncode in (0, 1), result.stderr
        report["exit_code"] = result.returncode
        return report

    def mark_listed(self, report: dict) -> list[str]:
        """What a translation administrator does with the bot's list: marks each page it names."""
        listed = sorted({entry["title"] for entry in report["skipped"]
                         if entry["code"] == "waiting-for-translation-admin"})
        for title in listed:
            self.admin.mark(title, transclusion=title.startswith("Template:"))
        self.wiki.run_jobs()
        return listed

    def record(self, stage: str, runs: list[dict], marked: list[str] = (), purged: bool = False) -> dict:
        html = rendered(self.wiki)
        readers = {title: checks.seen(page) for title, page in html.items()}
        for page in readers.values():
            del page["text"]  # kept only with the HTML below, judged again from it
        entry = {
            "runs": [{"exit_code": r["exit_code"], "edits": len(r["edits"]), "requests": r["api_requests"],
                      "outcomes": _outcomes(r)} for r in runs],
            "edited": sorted({e["title"] for r in runs for e in r["edits"]}),
            "marked_by_admin": list(marked),
            "purged": purged,
            "readers": readers,
            "html": {title: html[title] for title in KEPT_HTML.get(stage, ())},
            "wikitext": {title: _page_text(self.wiki, title) for title in KEPT_TEXT.get(stage, ())},
        }
        self.stages[stage] = entry
        return entry


def _outcomes(report: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in report["skipped"] + report["errors"]:
        counts[entry["code"]] = counts.get(entry["code"], 0) + 1
    return dict(sorted(counts.items()))


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    folder = require_real_translate()
    base = tmp_path_factory.mktemp("demo-flow")
    wiki = DevWiki(base / "wiki", log=lambda message: None)
    wiki.up(port=free_port(), snapshot=DEMO_SNAPSHOT, translate_dir=folder)
    try:
        yield _take_the_stages(Flow(wiki, base))
    finally:
        wiki.down()


def _take_the_stages(flow: Flow) -> Flow:
    wiki = flow.wiki
    # 1. bin/demo: the one-time adoption of the two team lists, then the main job.
    for page, section in ((ROOT, "The team"), (f"{ROOT}/FAQ", "Whom should I contact about a law in my country?")):
        adopted = dev_cli(wiki, "staff", "adopt", "--page", page, "--section", section, "--save")
        assert adopted.returncode == 0, adopted.stderr
    first = flow.run_all()
    flow.record("first-run", [first])

    # 2. The administrator marks what the bot lists; the bot runs again; until nothing waits.
    runs, marked, report = [], [], first
    for _ in range(4):
        listed = flow.mark_listed(report)
        marked += listed
        report = flow.run_all()
        runs.append(report)
        if not any(entry["code"] in WAITING for entry in report["skipped"]):
            break
    flow.record("marked", runs, marked)

    # 3. A Japanese translation of a header label and of a job title.
    template = default_settings().nav.template
    home = _unit_of_tab(_page_text(wiki, template), "home")
    # One after the other, each with its jobs run, as two translators' saves usually come: saved together,
    # FuzzyBot sometimes renders the page's /ja before the template's /ja exists, and readers of the page
    # keep the English label until its parser cache goes (seen once in three runs; MediaWiki's job order).
    flow.admin.translate(template, home, "ja", JA_LABEL)
    wiki.run_jobs()
    title_unit = team_unit_ids(_page_text(wiki, ROOT))[0]
    flow.admin.translate(ROOT, title_unit, "ja", JA_TITLE)
    wiki.run_jobs()
    flow.record("translated", [flow.run_all()])
    flow.stages["translated"]["statistics"] = statistics(wiki, "ja")

    # 4. The FAQ tab renamed in the settings: the bot saves the template and lists it for marking.
    tabs = [{"key": tab.key, "label": RENAMED if tab.key == "faq" else tab.label, "target": tab.target}
            for tab in default_settings().nav.tabs]
    flow.settings.write_text(yaml.safe_dump({"nav": {"tabs": tabs}}, allow_unicode=True), encoding="utf-8")
    renamed = flow.run_all()
    check = dev_cli(wiki, "--config", str(flow.settings), "nav", "check")
    entry = flow.record("renamed", [renamed])
    # the wiki's own address (its port is anyone's) left out of what is recorded
    entry["nav_check"] = {"exit_code": check.returncode,
                          "stdout": check.stdout.replace(wiki.info().api_url.rsplit("/", 1)[0], "WIKI")}

    # 5. The administrator marks what the bot listed; readers get the new label (no purge by anyone).
    marked = flow.mark_listed(renamed)
    flow.record("remarked", [flow.run_all()], marked)

    # 6. Nothing left to do.
    flow.record("rest", [flow.run_all()])
    contributions = bot_contributions(wiki)
    flow.data = {"stages": flow.stages, "bot_contributions": contributions,
                 "translation_pages_edited": sorted(translation_pages(wiki, contributions))}
    written = json.dumps(flow.data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (flow.folder / FLOW.name).write_text(written, encoding="utf-8")  # beside the wiki, to look at
    if RECORD:
        FLOW.write_text(written, encoding="utf-8")
    flow.data = json.loads(written)
    for stage in flow.data["stages"].values():  # the same judgement as CI's, on the same data
        for title, html in stage["html"].items():
            stage["readers"][title] = checks.seen(html)
    return flow


def statistics(wiki: DevWiki, language: str) -> dict:
    """Translate's numbers for ``language`` both ways the API gives them: ``meta=languagestats`` (every
    message group in one answer, what the status page reads) and ``meta=messagegroupstats`` of each
    translatable page (every language of one group; kept for ``language`` only)."""
    groups = _api(wiki, action="query", meta="messagegroups", mgfilter="page-*", mgprop="id")["query"]["messagegroups"]
    by_group = {}
    for group in sorted(entry["id"] for entry in groups if entry["id"].startswith("page-")):
        entries = _api(wiki, action="query", meta="messagegroupstats", mgsgroup=group)["query"]["messagegroupstats"]
        by_group[group] = [entry for entry in entries if entry["code"] == language]
    answer = _api(wiki, action="query", meta="languagestats", lslanguage=language)
    assert "continue" not in answer, answer  # counted already: the bot's run asked for them
    return {"language": language, "languagestats": answer["query"]["languagestats"], "messagegroupstats": by_group}


def _page_text(wiki: DevWiki, title: str) -> str:
    answer = _api(wiki, action="query", prop="revisions", titles=title, rvprop="content", rvslots="main")
    return answer["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]


def _unit_of_tab(template_text: str, key: str) -> str:
    match = re.search(r'data-key="' + re.escape(key) + r'".*?<!--T:(\d+)-->', template_text, re.S)
    assert match, f"no marked unit for the {key} tab"
    return match.group(1)


# -- what readers see at every stage (the same checks CI runs on the recording) ----------------------

@pytest.mark.parametrize("check", checks.CHECKS, ids=lambda check: check.__name__)
def test_demo_flow_stage(flow, check):
    check(flow.data)


def test_the_recording_tells_what_the_wiki_tells(flow):
    """What is committed tells the same story as the wiki today (the tabs and markup of every page)."""
    if RECORD:
        pytest.skip("recording now: the file was just written from this wiki")
    stored = checks.load()
    for stage, entry in flow.data["stages"].items():
        assert [run["edits"] for run in entry["runs"]] == [run["edits"] for run in stored["stages"][stage]["runs"]]
        for title, page in entry["readers"].items():
            assert (page["markup"], page["tabs"]) == (stored["stages"][stage]["readers"][title]["markup"],
                                                      stored["stages"][stage]["readers"][title]["tabs"]), title


# -- incremental runs on the real Translate (issue 20); last: it changes the wiki ---------------------

def test_a_translators_save_makes_the_next_run_read_the_tree_and_the_one_after_rests(flow):
    """A translation lands in Translate's namespace (Translations:ROOT/...) and, through FuzzyBot's job,
    on the translation page: both tell an incremental run that the status page may be out of date."""
    wiki = flow.wiki
    resting = flow.run_all()
    assert resting["incremental"]["full"] is False and resting["edits"] == [], resting["incremental"]
    template = default_settings().nav.template
    about = _unit_of_tab(_page_text(wiki, template), "about")
    flow.admin.translate(template, about, "ja", "概要")
    wiki.run_jobs()

    after = flow.run_all()
    reasons = after["incremental"]["reasons"]
    assert after["incremental"]["full"] is True
    assert any(reason.startswith(f"Translations:{template}/{about}/ja ") for reason in reasons), reasons
    status = "User:AdvocacyBot/Translation status"
    assert status in {edit["title"] for edit in after["edits"]}  # the numbers of ja moved
    rest = flow.run_all()
    assert rest["incremental"]["full"] is False and rest["edits"] == [] and rest["api_requests"] <= 3, rest
