"""The command line as operators and scripts use it: real processes, real exit codes, the JSON report."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .helpers import read_back, seed, unique_root

pytestmark = pytest.mark.devwiki


def cli(*args, devwiki=None, stdin=None):
    env = dict(os.environ)
    env.pop("PYWIKIBOT_DIR", None)  # the CLI chooses pywikibot's folder itself
    if devwiki is not None:
        env["ADVOCACY_DEVWIKI_DIR"] = str(devwiki.directory)
    return subprocess.run([sys.executable, "-m", "advocacy_bot", *args], capture_output=True, text=True,
                          env=env, input=stdin, timeout=120)


def settings_file(tmp_path, root, extra=""):
    path = tmp_path / "settings.yaml"
    path.write_text(f"root: {root}\n{extra}")
    return path


def test_tree_lists_kinds_and_writes_the_report(devwiki, tmp_path):
    root = unique_root("Cli tree")
    seed(devwiki, {
        root: "<languages/>\n<translate><!--T:1--> Hello</translate>",
        f"{root}/de": "Hallo",
        f"{root}/About": "about",
        f"{root}/Old": f"#REDIRECT [[{root}/About]]",
        f"Talk:{root}": "talk",
        f"Talk:{root}/Archive 2": "archived",
        f"Template:{root}/Header": "<translate>Home</translate>",
        f"{root} Extra": "not in the tree",
    })
    report = tmp_path / "report.json"
    result = cli("--site", "dev", "--config", str(settings_file(tmp_path, root)), "--report-json",
                 str(report), "tree", devwiki=devwiki)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"source\ten\t{root}",
        f"source\ten\t{root}/About",
        f"redirect\t-\t{root}/Old",
        f"translation\tde\t{root}/de",
        f"talk\ten\tTalk:{root}",
        f"archive\ten\tTalk:{root}/Archive 2",
        f"template\ten\tTemplate:{root}/Header",
    ]
    data = json.loads(report.read_text())
    assert data["task"] == "tree" and data["site"] == "dev" and data["exit_code"] == 0
    assert data["pages_read"] == 7 and data["edits"] == []  # each page once
    # the first read (with the main listing), the talk pages read whole (with the template listing), the
    # rest; and pywikibot's site info, two requests while it makes the site, when its cache lacks it
    assert data["api_requests"] in (3, 5) and data["api_requests_by_action"] == {"query": data["api_requests"]}
    assert "tree on dev: 7 pages read" in result.stderr  # the summary ends every run, on stderr


def test_unknown_settings_key_exits_2_before_touching_the_wiki(devwiki, tmp_path):
    path = settings_file(tmp_path, "Global Advocacy", "navv: {}\n")
    report = tmp_path / "report.json"
    result = cli("--site", "dev", "--config", str(path), "--report-json", str(report), "tree", devwiki=devwiki)
    assert result.returncode == 2
    assert "unknown key(s) navv" in result.stderr
    assert json.loads(report.read_text())["api_requests"] == 0


def test_redirected_root_exits_2_naming_the_target(devwiki, tmp_path):
    root = unique_root("Cli moved")
    seed(devwiki, {root: "#REDIRECT [[Wikimedia Foundation/Legal/Global Advocacy]]"})
    result = cli("--site", "dev", "--config", str(settings_file(tmp_path, root)), "tree", devwiki=devwiki)
    assert result.returncode == 2
    assert "is a redirect to 'Wikimedia Foundation/Legal/Global Advocacy'" in result.stderr


def test_a_missing_dev_wiki_aborts_with_exit_4(tmp_path):
    result = cli("--site", "dev", "--devwiki-dir", str(tmp_path / "none"), "tree")
    assert result.returncode == 4
    assert "devwiki up" in result.stderr


def test_shutoff_page_exits_3(devwiki, tmp_path):
    root = unique_root("Cli shutoff")
    seed(devwiki, {root: "root", f"User:AdvocacyBot/Stop {root}": "stop please"})
    path = settings_file(tmp_path, root, f"bot_pages: {{shutoff: 'User:<bot>/Stop {root}'}}\n")
    result = cli("--site", "dev", "--config", str(path), "tree", devwiki=devwiki)
    assert result.returncode == 3
    assert "stop please" in result.stderr


def test_saving_to_meta_without_a_terminal_needs_yes():
    from advocacy_bot.runner import Options, _confirmation
    from advocacy_bot.outcomes import UsageProblem

    options = Options("meta", None, None, False, None, 0, False)
    with pytest.raises(UsageProblem, match="needs --yes"):
        _confirmation(options, writes=True)
    assert _confirmation(Options("meta", None, None, True, None, 0, False), writes=True)() is None
    assert _confirmation(Options("meta", None, None, False, None, 0, True), writes=True)() is None


def test_help_teaches_the_options_and_exit_codes():
    result = cli("--help")
    assert result.returncode == 0
    for text in ("--site", "--dry-run", "--report-json", "--yes", "Exit codes", "devwiki", "tree"):
        assert text in result.stdout


def test_inputs_are_refused_before_anything_is_saved(devwiki, tmp_path):
    """Issue 17: a --page typo ran and exited 0 (`missing`); a root with a typo listed nothing and exited 0."""
    root = unique_root("Cli refusals")
    seed(devwiki, {root: "<languages/>\nHome.", f"{root}/FAQ": "<languages/>\nFAQ.",
                   f"Talk:{root}": "{{User:MiszaBot/config|archive=Talk:" + root + "/Archive %(counter)d}}\n"})
    config = settings_file(tmp_path, root)
    for command in (["nav", "sync", "--page", f"{root}/Faq"], ["translate", "prepare", "--page", f"{root}/Faq"],
                    ["archive", "--page", f"Talk:{root}/Faq"],
                    ["staff", "adopt", "--page", f"{root}/Faq", "--section", "Team", "--save"]):
        result = cli("--site", "dev", "--config", str(config), *command, devwiki=devwiki)
        assert result.returncode == 2, (command, result.stderr)
        assert "is no page of the tree" in result.stderr and "did you mean" in result.stderr, result.stderr
        assert result.stderr.count("is no page of the tree") == 1  # said once, not again in the summary
    assert f"did you mean '{root}/FAQ'" in cli("--site", "dev", "--config", str(config), "nav", "sync", "--page",
                                               f"{root}/Faq", devwiki=devwiki).stderr
    outside = cli("--site", "dev", "--config", str(config), "staff", "adopt", "--page", "Main Page", "--section", "Team",
                  devwiki=devwiki)
    assert outside.returncode == 2 and f"'Main Page' is outside the tree {root!r}" in outside.stderr, outside.stderr
    assert read_back(devwiki, root)[root].text == "<languages/>\nHome."  # nothing saved
    typo = settings_file(tmp_path, root + " typo")
    result = cli("--site", "dev", "--config", str(typo), "tree", devwiki=devwiki)
    assert result.returncode == 2 and "exists on this wiki" in result.stderr and "check `root`" in result.stderr
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    (moved / "settings.yaml").write_text(f"root: {root}\nstaff: {{roster: missing-roster.yaml}}\n")
    result = cli("--site", "dev", "--config", str(moved / "settings.yaml"), "staff", "sync", devwiki=devwiki)
    assert result.returncode == 2 and str(moved / "missing-roster.yaml") in result.stderr, result.stderr
