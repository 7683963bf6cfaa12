"""The pywikibot-style scripts against the dev wiki: pywikibot's options, the CLI's commands and results."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO
from .helpers import mark_header, read_back, seed, unique_root
from .test_cli import settings_file

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
        command = [str(wrapper), str(REPO / "scripts" / f"{name}.py"), *args]
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
