"""The pywikibot-style scripts: pywikibot's usual options become the CLI's, for the same commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from advocacy_bot.pwb_scripts import SCRIPTS, ScriptUsage, cli_args, find_command, site_for

REPO = Path(__file__).resolve().parents[2]


def test_options_map_to_the_cli():
    nav = find_command(("nav", "sync"))
    assert cli_args("nav_sync", ["-simulate", "-always", "-family:advocacydev", "-page:Global Advocacy/FAQ",
                                 "-settings:s.yaml", "-report:r.json", "-v"], nav) == [
        "--site", "dev", "--dry-run", "--yes", "--config", "s.yaml", "--report-json", "r.json", "-v",
        "nav", "sync", "--page", "Global Advocacy/FAQ"]
    assert cli_args("run_all", []) == ["--site", "meta", "run-all"]
    # through pwb.py: pywikibot's own family and -simulate are the defaults
    assert cli_args("run_all", [], defaults=("advocacydev8089", True)) == ["--site", "dev", "--dry-run", "run-all"]
    assert cli_args("archive", ["-lang:meta", "-family:meta", "-page:Talk:X"], find_command(("archive",))) == [
        "--site", "meta", "archive", "--page", "Talk:X"]


def test_sites_are_meta_or_the_dev_wiki():
    assert site_for(None, None) == "meta" and site_for("meta", "meta") == "meta"
    assert site_for("advocacydev", None) == "dev" and site_for("advocacydev8089", "advocacydev8089") == "dev"
    with pytest.raises(ScriptUsage, match="not on -family:wikipedia -lang:en"):
        site_for("wikipedia", "en")


@pytest.mark.parametrize("script, argv, message", [
    ("staff_sync", ["-page:X"], "does not take -page"),
    ("run_all", ["-page:X"], "does not take -page"),
    ("nav_sync", ["-limit:5"], "unknown option '-limit:5'"),
])
def test_options_a_script_cannot_honour_are_refused(script, argv, message):
    with pytest.raises(ScriptUsage, match=message):
        cli_args(script, argv, find_command(SCRIPTS[script]))


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_every_script_exists_and_runs_its_command(script):
    path = REPO / "scripts" / f"{script}.py"
    assert path.exists() and f'run_script("{script}")' in path.read_text()
    result = subprocess.run([sys.executable, str(path), "-family:wikipedia"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert ("Meta-Wiki (-family:meta) or the dev wiki" in result.stderr  # the command exists: options checked
            or "not part of this installation" in result.stderr), result.stderr
