"""undo --report FILE on a real MediaWiki: a run's edits reverted page by page, never over a later edit."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from .helpers import ABOUT_LINK, read_back, seed, unique_root
from .test_cli import cli, settings_file

pytestmark = pytest.mark.devwiki


def run(devwiki, tmp_path, *args):
    report = tmp_path / f"report-{uuid.uuid4().hex[:6]}.json"
    result = cli("--site", "dev", "--report-json", str(report), *args, devwiki=devwiki)
    return result, json.loads(report.read_text())


def test_undo_reverts_only_pages_still_at_the_runs_revision(devwiki, tmp_path):
    root = unique_root("Undo")
    pages = {root: "<languages/>\nHome text.", f"{root}/About": "<languages/>\nAbout text.",
             f"{root}/FAQ": "<languages/>\nFAQ text."}
    seed(devwiki, pages)
    config = settings_file(tmp_path, root, f"nav: {{template: 'Template:{root}/Header'}}\n"
                                           f"bot_pages: {{state: 'User:<bot>/state {root}.json'}}\n")
    # nav with translate: the new template gets its markers in the same run, so it renders at once
    # and the pages get their calls (nav alone would leave them waiting for the marking)
    synced, report = run(devwiki, tmp_path, "--config", str(config), "run-all", "--only", "nav,translate")
    assert synced.returncode == 0, synced.stderr
    state = f"User:AdvocacyBot/state {root}.json"
    assert {edit["title"] for edit in report["edits"]} == {*pages, f"Template:{root}/Header", state}
    # after the run, a human edits the FAQ: that edit must survive the undo
    devwiki.edit_as("Admin", f"{root}/FAQ", "A human's new FAQ.", "human edit")
    report_file = tmp_path / "nav-sync.json"
    report_file.write_text(json.dumps(report))

    undone, undo_report = run(devwiki, tmp_path, "--config", str(config), "undo", "--report", str(report_file))
    assert undone.returncode == 1, undone.stderr  # two pages could not be reverted: listed
    now = read_back(devwiki, *pages, f"Template:{root}/Header")
    assert now[root].text == pages[root] and now[f"{root}/About"].text == pages[f"{root}/About"]
    assert now[f"{root}/FAQ"].text == "A human's new FAQ."
    assert now[f"Template:{root}/Header"].exists  # the bot does not delete what it created
    listed = dict(line.split("\t") for line in undone.stdout.splitlines())
    assert set(listed) == {f"{root}/FAQ", f"Template:{root}/Header", state}
    assert "edited since the run" in listed[f"{root}/FAQ"] and "created by the run" in listed[f"Template:{root}/Header"]
    assert "created by the run" in listed[state]
    assert [(e["title"], e["code"]) for e in undo_report["errors"]] == [(f"{root}/FAQ", "edit-conflict")]
    assert sorted(d["title"] for d in undo_report["drift"]) == sorted([f"Template:{root}/Header", state])
    assert sorted(e["title"] for e in undo_report["edits"]) == sorted([root, f"{root}/About"])
    revisions = {e["title"]: (e["old_revid"], e["new_revid"]) for e in report["edits"]}
    assert {e["title"]: e["summary"] for e in undo_report["edits"]} == {
        title: f"Undo: the edit of advocacy-bot's run-all run (r{revisions[title][1]}), back to r{revisions[title][0]}"
               + ABOUT_LINK for title in (root, f"{root}/About")}

    # undoing again changes nothing: the pages are no longer at the run's revisions
    again, quiet = run(devwiki, tmp_path, "--config", str(config), "undo", "--report", str(report_file))
    assert quiet["edits"] == []


def test_undo_refuses_a_dry_run_report_and_another_wikis_report(devwiki, tmp_path):
    root = unique_root("Undo refused")
    seed(devwiki, {root: "text"})
    dry = tmp_path / "dry.json"
    dry.write_text(json.dumps({"task": "nav sync", "site": "dev", "dry_run": True, "edits": []}))
    result, report = run(devwiki, tmp_path, "--config", str(settings_file(tmp_path, root)), "undo", "--report", str(dry))
    assert result.returncode == 2 and "dry run" in result.stderr
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps({"task": "nav sync", "site": "meta", "dry_run": False,
                                "edits": [{"title": root, "old_revid": 1, "new_revid": 2, "summary": "s"}]}))
    result, report = run(devwiki, tmp_path, "--config", str(settings_file(tmp_path, root)), "undo", "--report", str(meta))
    assert result.returncode == 2 and "reports a run on 'meta'" in result.stderr and report["edits"] == []


def kept_report(result) -> Path:
    """The dated report a saving run keeps (the summary's last line names it)."""
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("  report: "), result.stderr
    return Path(line.removeprefix("  report: "))


def test_every_saving_run_keeps_its_report_and_undo_takes_back_the_first_of_two(devwiki, tmp_path):
    """Issue 16: the one report file was overwritten by every run, so the first run could not be undone."""
    root = unique_root("Undo first")
    pages = {root: "<languages/>\nHome text.", f"{root}/About": "<languages/>\nAbout text."}
    seed(devwiki, pages)
    config = settings_file(tmp_path, root, f"nav: {{template: 'Template:{root}/Header'}}\n"
                                           f"bot_pages: {{state: 'User:<bot>/state {root}.json'}}\n")
    args = ["--site", "dev", "--config", str(config), "run-all", "--only", "nav,translate"]
    first = cli(*args, devwiki=devwiki)
    assert first.returncode == 0, first.stderr
    first_report = kept_report(first)
    assert first_report.parent == devwiki.directory / "reports"
    assert f"  saved   {root}: http://" in first.stderr and "index.php?diff=" in first.stderr
    # a new page, made as a human makes it (an edit the next run finds in recent changes): the second run saves it only
    devwiki.edit_as("Admin", f"{root}/FAQ", "<languages/>\nFAQ text.", "new page")
    second = cli(*args, devwiki=devwiki)
    second_report = kept_report(second)
    assert second_report != first_report and first_report.exists()
    assert {e["title"] for e in json.loads(second_report.read_text())["edits"]} >= {f"{root}/FAQ"}
    faq_after_second = read_back(devwiki, f"{root}/FAQ")[f"{root}/FAQ"].text

    undone = cli("--site", "dev", "--config", str(config), "undo", "--report", str(first_report), devwiki=devwiki)
    now = read_back(devwiki, *pages, f"{root}/FAQ")
    assert now[root].text == pages[root] and now[f"{root}/About"].text == pages[f"{root}/About"], undone.stderr
    assert now[f"{root}/FAQ"].text == faq_after_second  # the second run's page is not the first run's to undo


def test_undo_refuses_a_report_of_another_dev_wiki_or_of_no_named_wiki(devwiki, tmp_path):
    """Issue 17: a report of another dev wiki (every report said only "site": "dev") reverted 11 pages here."""
    root = unique_root("Undo other wiki")
    seed(devwiki, {root: "<languages/>\nHome text."})
    config = settings_file(tmp_path, root, f"nav: {{template: 'Template:{root}/Header'}}\n"
                                           f"bot_pages: {{state: 'User:<bot>/state {root}.json'}}\n")
    synced, report = run(devwiki, tmp_path, "--config", str(config), "run-all", "--only", "nav,translate")
    assert synced.returncode == 0 and report["wiki"].startswith("devwiki-") and report["edits"]
    saved = read_back(devwiki, root)[root].revid
    for wiki in ("devwiki-0123456789ab", None):
        forged = dict(report, wiki=wiki) if wiki else {k: v for k, v in report.items() if k != "wiki"}
        path = tmp_path / f"other-{wiki}.json"
        path.write_text(json.dumps(forged))
        refused, undo_report = run(devwiki, tmp_path, "--config", str(config), "undo", "--report", str(path))
        assert refused.returncode == 2 and "nothing reverted" in refused.stderr, refused.stderr
        assert undo_report["edits"] == [] and read_back(devwiki, root)[root].revid == saved
    assert "reports a run on the wiki 'devwiki-0123456789ab'" in cli(
        "--site", "dev", "--config", str(config), "undo", "--report", str(tmp_path / "other-devwiki-0123456789ab.json"),
        devwiki=devwiki).stderr
