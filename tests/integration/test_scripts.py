"""The pywikibot-style scripts against the dev wiki: pywikibot's options, the CLI's commands and results."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from ..conftest import REPO
from .helpers import mark_header, read_back, seed, unique_root
from .test_cli import settings_file
from .test_run_all import history

pytestmark = pytest.mark.devwiki


def script(devwiki, name, *args, pwb=False, cwd=None):
    env = dict(os.environ, ADVOCACY_DEVWIKI_DIR=str(devwiki.directory))
    env.pop("PYWIKIBOT_DIR", None)
    command = [sys.executable, str(REPO / "scripts" / f"{name}.py"), *args]
    if pwb:
        wrapper = Path(sys.executable).with_name("pwb")
        if not wrapper.exists():
            pytest.skip("pywikibot's pwb wrapper is not installed")
        # as an operator runs it: pywikibot's folder is the dev wiki's, whose family is advocacydev<port>
        env["PYWIKIBOT_DIR"] = str(devwiki.info().pywikibot_dir)
        # by name: the folder user_script_paths registers; else by path
        command = [str(wrapper), name if pwb == "by name" else str(REPO / "scripts" / f"{name}.py"), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, cwd=cwd or devwiki.directory)


def test_simulate_prints_diffs_and_saves_nothing_with_or_without_pwb(devwiki, tmp_path):
    root = unique_root("Script")
    seed(devwiki, {root: "<languages/>\nHome.", f"{root}/FAQ": "<languages/>\nFAQ."})
    config = settings_file(tmp_path, root, f"nav: {{template: 'Template:{root}/Header'}}\n")
    before = read_back(devwiki, root, f"{root}/FAQ")
    workdir = tmp_path / "workdir"
    workdir.mkdir()

    plain = script(devwiki, "nav_sync", "-simulate", "-family:advocacydev", f"-settings:{config}", f"-page:{root}/FAQ",
                   cwd=workdir)
    assert plain.returncode == 0, plain.stderr
    assert f"+++ {root}/FAQ (Navigation header" in plain.stdout and f"+++ {root} (" not in plain.stdout
    assert "nav sync on dev: dry run" in plain.stderr

    through_pwb = script(devwiki, "nav_sync", "-simulate", f"-settings:{config}", pwb=True)  # family: config's
    assert through_pwb.returncode == 0, through_pwb.stderr
    assert "nav sync on dev: dry run" in through_pwb.stderr and f"+++ {root} (Navigation header" in through_pwb.stdout
    after = read_back(devwiki, root, f"{root}/FAQ")
    assert all(after[title].revid == before[title].revid for title in after)

    saved = script(devwiki, "nav_sync", "-always", "-family:advocacydev", f"-settings:{config}", cwd=workdir)
    assert saved.returncode == 0, saved.stderr
    assert "waiting-for-header" in saved.stderr  # the new template is not marked yet: the pages wait
    mark_header(devwiki, f"Template:{root}/Header")
    saved = script(devwiki, "nav_sync", "-always", "-family:advocacydev", f"-settings:{config}", cwd=workdir)
    assert saved.returncode == 0, saved.stderr
    assert read_back(devwiki, root)[root].text.startswith("<languages/>\n{{" + root + "/Header|current=home}}")
    # pywikibot's cookies, caches and throttle file went to the dev wiki's folder, never the working directory
    assert list(workdir.iterdir()) == []


def test_pywikibot_global_options_reach_pywikibot_and_take_effect(devwiki, tmp_path):
    """-user: saves as that account, -pt: pauses between saves, -maxlag: is what every save sends,
    -log/-debug write pywikibot's log file (with every request, and no password)."""
    root = unique_root("Script options")
    seed(devwiki, {root: "<languages/>\nHome.", f"{root}/FAQ": "<languages/>\nFAQ."})
    config = settings_file(tmp_path, root, f"nav: {{template: 'Template:{root}/Header'}}\n"
                                           f"bot_pages: {{state: 'User:<bot>/state {root}.json'}}\n")
    password = devwiki.add_bot_account("OtherBot")
    log_name = f"options-{uuid.uuid4().hex[:8]}.log"
    # nav and translate: the template gets its markers in the same run, so the pages are saved too
    saved = script(devwiki, "run_all", "-always", "-family:advocacydev", "-user:OtherBot", "-pt:2", "-maxlag:7",
                   f"-log:{log_name}", "-debug", "-only:nav,translate", f"-settings:{config}")
    assert saved.returncode == 0, saved.stderr

    template = f"Template:{root}/Header"
    revisions = {title: history(devwiki, title) for title in (root, f"{root}/FAQ", template)}
    assert all(len(revisions[title]) == 2 for title in (root, f"{root}/FAQ"))  # seeded, then the bot's save
    assert {r["user"] for title, rs in revisions.items() for r in (rs if title == template else rs[1:])} == {"OtherBot"}
    assert read_back(devwiki, f"User:OtherBot/state {root}.json")[f"User:OtherBot/state {root}.json"].exists

    log = (devwiki.info().pywikibot_dir / "logs" / log_name).read_text()
    edits = [chunk for chunk in log.split("API request to ")[1:] if "action=edit" in chunk]
    assert len(edits) >= 4 and all("maxlag=7" in chunk for chunk in edits)  # not the configured 5
    pauses = [float(seconds) for seconds in re.findall(r"Sleeping for (\d+\.\d) seconds", log)]
    assert len([p for p in pauses if p >= 1.0]) >= len(edits) - 1  # the dev wiki's own is no pause at all
    assert "lgpassword=*****" in log and password not in log  # the login was logged, its password masked


def test_command_options_and_pwb_by_name(devwiki, tmp_path):
    """-only:/-skip:/-now: reach run-all; `pwb run_all` finds the script by name (the dev wiki's
    user-config.py registers the folder); -help:global shows pywikibot's global options."""
    root = unique_root("Script by name")
    seed(devwiki, {root: "<languages/>\nHome.", f"Talk:{root}": "Talk."})
    config = settings_file(tmp_path, root, f"nav: {{template: 'Template:{root}/Header'}}\n")
    report = tmp_path / "report.json"
    by_name = script(devwiki, "run_all", "-simulate", "-only:nav,archive", "-skip:archive", "-now:2026-11-20T12:00:00Z",
                     f"-settings:{config}", f"-report:{report}", pwb="by name")
    assert by_name.returncode == 0, by_name.stderr
    assert [task["task"] for task in json.loads(report.read_text())["tasks"]] == ["nav"]
    assert f"+++ Template:{root}/Header (Navigation header template: created" in by_name.stdout

    helped = script(devwiki, "run_all", "-help:global")
    assert helped.returncode == 0 and "-only:TASK[,TASK]" in helped.stdout
    assert "GLOBAL OPTIONS" in helped.stdout and "-user:xyz" in helped.stdout
