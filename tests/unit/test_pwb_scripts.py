"""The pywikibot-style scripts: pywikibot's global options left to pywikibot, the command's own options
pywikibot-style, the same commands as the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from advocacy_bot.pwb_scripts import (SCRIPTS, PywikibotChoices, ScriptUsage, choose_site, cli_args, command_options,
                                      find_command, script_help, site_for)

REPO = Path(__file__).resolve().parents[2]


def test_options_map_to_the_cli():
    nav = find_command(("nav", "sync"))
    assert cli_args("nav_sync", ["-always", "-page:Global Advocacy/FAQ", "-settings:s.yaml", "-report:r.json",
                                 "-devwiki-dir:/srv/wiki"], nav, PywikibotChoices(simulate=True, verbose=2),
                    site="dev") == [
        "--site", "dev", "--dry-run", "--yes", "--config", "s.yaml", "--report-json", "r.json",
        "--devwiki-dir", "/srv/wiki", "-v", "-v", "nav", "sync", "--page", "Global Advocacy/FAQ"]
    assert cli_args("run_all", [], find_command(("run-all",))) == ["--site", "meta", "run-all"]
    assert cli_args("run_all", ["-skip:staff", "-only:nav,archive", "-now:2026-11-20T12:00:00Z"],
                    find_command(("run-all",))) == [
        "--site", "meta", "run-all", "--skip", "staff", "--only", "nav,archive", "--now", "2026-11-20T12:00:00Z"]
    assert cli_args("staff_sync", ["-force"], find_command(("staff", "sync")))[-3:] == ["staff", "sync", "--force"]


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_every_option_of_the_command_is_a_script_option(script):
    command = find_command(SCRIPTS[script])
    cli_options = {opt for param in command.params if isinstance(param, click.Option)
                   for opt in param.opts if opt.startswith("--") and opt != "--help"}
    assert {cli for cli, _, _ in command_options(command).values()} == cli_options
    for name, (cli, takes_value, _) in command_options(command).items():
        argv = [f"{name}:x"] if takes_value else [name]
        assert cli in cli_args(script, argv, command)


def test_the_wiki_is_the_one_named_else_pywikibots_own_when_it_is_ours():
    assert choose_site([], PywikibotChoices()) == "meta"
    assert choose_site([], PywikibotChoices("wikipedia", "en")) == "meta"  # pywikibot's default: not ours
    assert choose_site([], PywikibotChoices("advocacydev8089", "advocacydev8089")) == "dev"  # the dev wiki's folder
    assert choose_site(["-family:meta"], PywikibotChoices("advocacydev8089", "advocacydev8089")) == "meta"
    assert choose_site(["-site:advocacydev"], PywikibotChoices()) == "dev"
    assert choose_site(["-code:meta", "-family:meta"], PywikibotChoices()) == "meta"
    with pytest.raises(ScriptUsage, match="not on -family:wikipedia"):
        choose_site(["-family:wikipedia"], PywikibotChoices("meta", "meta"))


def test_sites_are_meta_or_the_dev_wiki():
    assert site_for(None, None) == "meta" and site_for("meta", "meta") == "meta"
    assert site_for("advocacydev", None) == "dev" and site_for("advocacydev8089", "advocacydev8089") == "dev"
    with pytest.raises(ScriptUsage, match="not on -family:wikipedia -lang:en"):
        site_for("wikipedia", "en")


@pytest.mark.parametrize("script, argv, message", [
    ("staff_sync", ["-page:X"], "does not take -page"),
    ("run_all", ["-page:X"], "does not take -page"),
    ("nav_sync", ["-limit:5"], "unknown option '-limit:5'"),
    ("nav_sync", ["-page"], "-page needs a value"),
    ("staff_sync", ["-force:yes"], "-force takes no value"),
    ("run_all", ["--only", "nav"], "unknown option '--only'"),  # the CLI's spelling is not the script's
])
def test_options_a_script_cannot_honour_are_refused(script, argv, message):
    with pytest.raises(ScriptUsage, match=message):
        cli_args(script, argv, find_command(SCRIPTS[script]))


def test_help_is_plain_text_with_the_commands_options_and_the_way_to_pywikibots():
    text = script_help("run_all", "Every task in one run.", find_command(("run-all",)))
    assert text.startswith("Every task in one run.")
    for option in ("-only:TASK[,TASK]", "-skip:TASK[,TASK]", "-now:TIME", "-always", "-settings:FILE", "-devwiki-dir:DIR"):
        assert f"  {option} " in text
    assert "-help:global" in text and "-user:NAME" in text and "``" not in text


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_every_script_exists_and_runs_its_command(script):
    path = REPO / "scripts" / f"{script}.py"
    assert path.exists() and f'run_script("{script}", doc=__doc__)' in path.read_text()
    result = subprocess.run([sys.executable, str(path), "-family:wikipedia"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "Meta-Wiki (-family:meta) or the dev wiki" in result.stderr, result.stderr
    helped = subprocess.run([sys.executable, str(path), "-help"], capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0 and "-help:global" in helped.stdout and "``" not in helped.stdout
    assert f"advocacy-bot {' '.join(SCRIPTS[script])}" in helped.stdout
