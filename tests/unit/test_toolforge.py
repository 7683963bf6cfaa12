"""Toolforge's jobs, the operator's user-config.py.sample and the User-Agent: checked against the real CLI."""

from __future__ import annotations

import collections
import re
import shlex
import stat
import subprocess
import warnings
from pathlib import Path

import click
import pytest
import yaml

from advocacy_bot import __version__
from advocacy_bot.cli import main

REPO = Path(__file__).resolve().parents[2]
TOOLFORGE = REPO / "toolforge"
WRAPPER = "advocacy-bot/toolforge/run.sh"  # the checkout lives in the tool's home as advocacy-bot/
CRON = re.compile(r"^(@(hourly|daily|weekly|monthly|yearly)|(\S+\s+){4}\S+)$")


def parse_cli(args: list[str]) -> list[str]:
    """Parse ``args`` as the real CLI would, down to the last subcommand, without running anything;
    returns the command path. Any usage error raises click's exception."""
    def rest_of(context, command):
        with warnings.catch_warnings():  # click 8.2+ deprecates protected_args; 8.x still fills it
            warnings.simplefilter("ignore", DeprecationWarning)
            return (context.protected_args + context.args) if isinstance(command, click.Group) else context.args

    context = main.make_context("advocacy-bot", list(args))
    path = []
    command, rest = main, rest_of(context, main)
    while isinstance(command, click.Group) and rest:
        name, command, rest = command.resolve_command(context, rest)
        path.append(name)
        context = command.make_context(name, rest, parent=context)
        rest = rest_of(context, command)
    assert not rest, f"arguments left over: {rest}"
    return path


def jobs() -> list[dict]:
    return yaml.safe_load((TOOLFORGE / "jobs.yaml").read_text())


def test_every_job_is_a_scheduled_python311_job_with_failure_emails_and_log_files():
    loaded = jobs()
    assert loaded and len({job["name"] for job in loaded}) == len(loaded)
    for job in loaded:
        assert job["image"] == "python3.11"
        assert CRON.match(job["schedule"]), job["schedule"]
        assert job["emails"] == "onfailure"
        assert job.get("filelog") is True or job.get("filelog-stdout")
        assert set(job) <= {"name", "command", "image", "schedule", "emails", "filelog", "filelog-stdout",
                            "filelog-stderr", "mount", "mem", "cpu", "retry", "timeout"}


def test_every_jobs_command_parses_with_the_real_cli():
    for job in jobs():
        words = shlex.split(job["command"])
        assert words[0] == WRAPPER, "jobs run through toolforge/run.sh (venv, pywikibot folder, reports)"
        args = words[1:]
        # run.sh adds --report-json before the job's own arguments
        path = parse_cli(["--report-json", "reports/x.json", *args])
        assert path == ["run-all"]
        assert "--dry-run" not in args and "--yes" in args and "--site" in args  # unattended, saving, Meta
    with pytest.raises(click.UsageError):
        parse_cli(["--site", "meta", "run-all", "--only", "nothing-such"])


def test_the_continuous_alternative_is_one_watch_job_whose_command_parses():
    [job] = yaml.safe_load((TOOLFORGE / "jobs-watch.yaml").read_text())
    assert job["continuous"] is True and "schedule" not in job and job["image"] == "python3.11"
    assert job["emails"] == "onfailure" and job["filelog"] is True
    assert set(job) <= {"name", "command", "image", "continuous", "emails", "filelog", "filelog-stdout",
                        "filelog-stderr", "mount", "mem", "cpu", "retry"}
    words = shlex.split(job["command"])
    assert words[0] == WRAPPER and parse_cli(["--report-json", "reports/x.json", *words[1:]]) == ["watch"]
    assert "--yes" in words and "--dry-run" not in words and job["name"] not in {j["name"] for j in jobs()}


def test_the_wrapper_and_the_venv_build_are_executable_shell_scripts():
    for name in ("run.sh", "build-venv.sh"):
        path = TOOLFORGE / name
        assert path.stat().st_mode & stat.S_IXUSR, f"{name} must be executable"
        assert subprocess.run(["bash", "-n", str(path)]).returncode == 0
    assert "venv-advocacy-bot" in (TOOLFORGE / "run.sh").read_text()
    assert "venv-advocacy-bot" in (TOOLFORGE / "build-venv.sh").read_text()


def load_sample() -> dict:
    """user-config.py.sample run as pywikibot runs user-config.py (with its predefined names)."""
    names = {"usernames": collections.defaultdict(dict)}
    exec(compile((REPO / "user-config.py.sample").read_text(), "user-config.py.sample", "exec"), names)
    return names


def test_the_sample_user_config_documents_what_an_operator_needs():
    config = load_sample()
    text = (REPO / "user-config.py.sample").read_text()
    assert config["family"] == "meta" and config["usernames"]["meta"]["meta"]
    assert config["password_file"] == "user-password.py" and "chmod 600" in text
    assert config["write_maxlag"] == 5 and config["put_throttle"] >= 5
    assert re.search(r"User:\w+|@", config["user_agent_description"]), "a contact for the User-Agent"
    assert "--config" in text  # where the settings YAML lives
    # `pwb run_all`: pywikibot looks for scripts in user_script_paths, relative to its folder
    link = config["user_script_paths"][0]
    assert f"ln -s ~/advocacy-bot/scripts ~/.advocacy-bot/{link}" in text and "." not in link


def test_the_user_agent_names_the_tool_its_version_and_a_contact():
    from pywikibot import config
    from pywikibot.comms import http

    from advocacy_bot.wiki.site import USER_AGENT, configure_pywikibot

    before = config.user_agent_format, config.user_agent_description
    try:
        configure_pywikibot(config)
        assert config.user_agent_format == USER_AGENT
        config.user_agent_description = load_sample()["user_agent_description"]
        agent = http.user_agent(None)
    finally:
        config.user_agent_format, config.user_agent_description = before
    assert agent.startswith(f"advocacy-bot/{__version__} (https://meta.wikimedia.org/wiki/Global_Advocacy; ")
    assert "User:ExampleOperator" in agent and "Pywikibot/" in agent and "Python/" in agent


def test_the_samples_grants_and_section_are_the_readmes():
    """Issue 17: the sample pointed to a README section that does not exist, and the grants disagreed."""
    sample, readme = (REPO / "user-config.py.sample").read_text(), (REPO / "README.md").read_text()
    assert '"Running on Meta-Wiki", step 2, "A bot account with the least rights"' in sample
    assert "### Running on Meta-Wiki" in readme and "**A bot account with the least rights.**" in readme
    grants = re.findall(r'"([A-Z][^"]+)"', sample[sample.index("# Grants"):sample.index("password_file")])
    grants = [g for g in grants if not g.startswith(("Running on", "A bot account"))]
    flowing = " ".join(readme.split())  # README lines wrap inside a grant's name
    assert grants and all(f"*{grant}*" in flowing for grant in grants), grants
    assert "500 titles a read" in readme and "50 pages a read" not in readme
