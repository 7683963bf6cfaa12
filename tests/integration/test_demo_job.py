"""The README's main job, exactly as bin/demo runs it, on a fresh demo wiki: run-all shows each task's
result, and a second run makes no edit."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

from advocacy_bot.devwiki.manager import DEMO_SNAPSHOT, DevWiki

from ..conftest import REPO, free_port, require_mediawiki

pytestmark = pytest.mark.devwiki


def demo_commands() -> list[list[str]]:
    """bin/demo's advocacy-bot commands against the dev wiki (continuation lines joined)."""
    text = (REPO / "bin" / "demo").read_text().replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        if words[:3] == [".venv/bin/advocacy-bot", "--site", "dev"]:
            commands.append([w for w in words[1:] if w not in (">/dev/null",)])
    return commands


def test_the_demo_main_job_is_run_all_and_shows_each_tasks_result(tmp_path):
    require_mediawiki()
    wiki = DevWiki(tmp_path / ".devwiki", log=lambda message: None)
    wiki.up(port=free_port(), snapshot=DEMO_SNAPSHOT)
    env = dict(os.environ, ADVOCACY_DEVWIKI_DIR=str(wiki.directory))
    env.pop("PYWIKIBOT_DIR", None)
    try:
        commands = demo_commands()
        assert [c[2] for c in commands[:-1]] == ["staff", "staff"] and "run-all" in commands[-1]
        for attempt in range(2):  # the second time, everything is at rest
            for command in commands:
                result = subprocess.run([sys.executable, "-m", "advocacy_bot", *command], capture_output=True,
                                        text=True, env=env, cwd=tmp_path, timeout=300)
                assert result.returncode == 0, (command, result.stderr)
            report = json.loads((tmp_path / ".devwiki" / "report.json").read_text())
            tasks = {entry["task"]: entry for entry in report["tasks"]}
            for name in ("nav", "staff", "archive"):
                assert f"  task {name}: " in result.stderr and tasks[name]["exit_code"] == 0
            if attempt == 0:
                # staff: its two lists, and what it wrote on them in the state page (the guard's record)
                assert tasks["nav"]["edits"] and tasks["staff"]["edits"] == 3 and tasks["archive"]["edits"] == 2
                print(f"\ndemo run-all: {report['pages_read']} pages read, {len(report['edits'])} edits, "
                      f"{report['api_requests']} API requests, {report['seconds']} s")
            else:
                assert report["edits"] == [], report["edits"]
    finally:
        wiki.down()
