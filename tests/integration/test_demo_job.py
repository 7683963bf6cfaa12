"""The README's main job, exactly as bin/demo runs it, on a fresh demo wiki: run-all shows each task's
result, and a second run makes no edit."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from advocacy_bot.devwiki.manager import DEFAULT_PORT, DEMO_SNAPSHOT, DevWiki

from ..conftest import REPO, free_port, require_mediawiki

pytestmark = pytest.mark.devwiki


def demo_commands() -> list[list[str]]:
    """bin/demo's advocacy-bot commands against the dev wiki (continuation lines joined)."""
    text = (REPO / "bin" / "demo").read_text().replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        if line[:1].isspace():
            continue  # inside a block: the real-Translate part (--translate-dir), not the shim's demo
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
            kept = result.stderr.strip().splitlines()[-1]  # the summary ends with the run's own report
            assert kept.startswith("  report: ") and "/reports/dev-" in kept, result.stderr
            report = json.loads(Path(kept.removeprefix("  report: ")).read_text())
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
        # What a reader sees (issue 16): no red link in the content, a language bar with links to the translations
        for title in ("Global Advocacy", "Talk:Global Advocacy/Archive 1", "Talk:Global Advocacy", "Global Advocacy/FAQ"):
            html = rendered(wiki, title)
            assert 'class="new"' not in html, (title, re.findall(r'title="([^"]*) \(page does not exist\)', html))
        bar = rendered(wiki, "Global Advocacy").split('class="mw-pt-languages-list"')[1].split("</ul>")[0]
        assert 'title="Global Advocacy/da"' in bar and 'title="Global Advocacy/ru"' in bar
        assert "Latin America and the Caribbean" in rendered(wiki, "Global Advocacy/FAQ")  # a region's name, not its key
    finally:
        wiki.down()


def rendered(wiki: DevWiki, title: str) -> str:
    query = urllib.parse.urlencode({"action": "parse", "page": title, "prop": "text", "format": "json",
                                    "formatversion": 2})
    with urllib.request.urlopen(f"{wiki.info().api_url}?{query}", timeout=60) as answer:
        return json.load(answer)["parse"]["text"]


def test_bin_demo_itself_with_its_port_held_by_another_program(tmp_path):
    """Issue 16: `bash bin/demo` failed when port 8089 was taken, and said nothing of what it changed."""
    require_mediawiki()
    env = dict(os.environ, ADVOCACY_DEVWIKI_DIR=str(tmp_path / ".devwiki"))
    env.pop("PYWIKIBOT_DIR", None)
    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            holder.bind(("127.0.0.1", DEFAULT_PORT))
            holder.listen()
        except OSError:  # another program holds it already: the case under test all the same
            pass
        try:
            result = subprocess.run(["bash", str(REPO / "bin" / "demo")], capture_output=True, text=True, env=env,
                                    timeout=600)
        finally:
            DevWiki(tmp_path / ".devwiki", log=lambda message: None).down()
    assert result.returncode == 0, result.stderr[-3000:]
    port = DevWiki(tmp_path / ".devwiki").info().port
    assert port != DEFAULT_PORT and f"port {DEFAULT_PORT} is in use" in result.stderr
    index = f"http://127.0.0.1:{port}/index.php"
    assert f"  saved   Global Advocacy: {index}?diff=" in result.stderr  # what it changed, with diff links
    report = next(line for line in result.stderr.splitlines() if line.startswith("  report: "))
    assert json.loads(Path(report.removeprefix("  report: ")).read_text())["edits"]
    assert result.stdout.strip().splitlines()[-1] == f"Browse the demo: {index}/Global_Advocacy"
