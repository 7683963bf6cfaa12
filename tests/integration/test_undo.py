"""undo --report FILE on a real MediaWiki: a run's edits reverted page by page, never over a later edit."""

from __future__ import annotations

import json
import uuid

import pytest

from .helpers import read_back, seed, unique_root
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
    assert all(e["summary"].startswith("Undo advocacy-bot's run-all edit") for e in undo_report["edits"])

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
