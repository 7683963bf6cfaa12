"""Incremental run-all on a real MediaWiki (issue 20): after a complete run, a run when nothing changed
costs one request and saves nothing; a human's edit, a change of the bot's own pages or settings, a
thread becoming due, a day passing or --full make it read the whole tree. Every assertion reads the
report the run wrote and the wiki back."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from advocacy_bot.incremental import RunState, parse_wiki_time, state_file, wiki_time
from tests.fixtures.snapshot import DEMO_NOW, ROSTER

from .helpers import read_back, seed, unique_root
from .test_cli import cli
from .test_nav import demo_like_tree
from .test_run_all import adopt, write_settings

pytestmark = pytest.mark.devwiki


def run_all_exit(devwiki, tmp_path, settings, *args, options=(), now=DEMO_NOW):
    """run-all whatever its exit code (``options``: global ones, e.g. --dry-run): the process and its report."""
    report = tmp_path / f"report-{uuid.uuid4().hex[:6]}.json"
    result = cli("--site", "dev", "--config", settings, "--report-json", str(report), *options, "run-all",
                 "--now", now.strftime("%Y-%m-%dT%H:%MZ"), *args, devwiki=devwiki)
    return result, json.loads(report.read_text())


def run_all(devwiki, tmp_path, settings, *args, options=(), now=DEMO_NOW):
    result, report = run_all_exit(devwiki, tmp_path, settings, *args, options=options, now=now)
    assert result.returncode == 0, result.stderr
    return result, report


def state_path(devwiki) -> Path:
    return state_file(devwiki.directory, "dev")


def settled(devwiki, tmp_path, settings, **kwargs) -> dict:
    """The report of the run after a full one: it must read nothing (the full run's own saves, marks
    and moves, and the edits it planned on, are no changes to it)."""
    _, report = run_all(devwiki, tmp_path, settings, **kwargs)
    assert not report["incremental"]["full"], report["incremental"]["reasons"]
    return report


@pytest.fixture
def tree(devwiki, tmp_path):
    """A demo-like tree every task has work on, brought to rest by full runs: (root, settings file)."""
    root = unique_root("Incremental")
    seed(devwiki, demo_like_tree(root, f"Legacy {root}"))
    devwiki.create_accounts(member["username"] for member in ROSTER if member.get("username"))
    settings = write_settings(tmp_path, root, list(ROSTER),
                              bot_pages={"state": f"User:<bot>/state {root}.json",
                                         "run_log": f"User:<bot>/Run log {root}",
                                         "shutoff": f"User:<bot>/Shutoff {root}"})
    adopt(devwiki, settings, root)
    _, first = run_all(devwiki, tmp_path, settings, "--full")
    assert first["incremental"] == {"full": True, "since": first["incremental"]["since"],
                                    "reasons": ["asked with --full"]}
    assert first["edits"]
    return root, settings


def test_nothing_changed_costs_one_request_saves_nothing_and_stays_so(devwiki, tmp_path, tree):
    root, settings = tree
    rest = settled(devwiki, tmp_path, settings)
    position = RunState.load(state_path(devwiki), rest["wiki"]).position
    _, again = run_all(devwiki, tmp_path, settings)
    assert again["incremental"] == {"full": False, "since": again["incremental"]["since"], "reasons": []}
    assert again["edits"] == [] and again["api_requests"] <= 3, again["api_requests_by_action"]
    assert [entry["message"] for entry in again["tasks"]] == ["nothing changed"] * len(again["tasks"])
    after = RunState.load(state_path(devwiki), rest["wiki"])
    assert after.position >= position  # the next run asks from here on

    # a dry run decides the same way and leaves no state behind
    before = state_path(devwiki).read_text()
    _, dry = run_all(devwiki, tmp_path, settings, options=("--dry-run",))
    assert dry["dry_run"] and not dry["incremental"]["full"]
    assert state_path(devwiki).read_text() == before


def test_a_humans_edit_in_the_tree_makes_the_next_run_full_and_gets_fixed(devwiki, tmp_path, tree):
    root, settings = tree
    settled(devwiki, tmp_path, settings)
    faq = f"{root}/FAQ"
    fixed = read_back(devwiki, faq)[faq].text
    header = next(line for line in fixed.splitlines() if f"{root}/Header" in line)  # the run's header call
    devwiki.edit_as("Alice", faq, fixed.replace(header + "\n", "", 1), "no header")

    _, report = run_all(devwiki, tmp_path, settings)
    assert report["incremental"]["full"]
    assert any(reason.startswith(f"{faq} edited by Alice at ") for reason in report["incremental"]["reasons"])
    assert read_back(devwiki, faq)[faq].text == fixed
    assert not settled(devwiki, tmp_path, settings)["incremental"]["full"]


def test_an_edit_of_the_header_template_counts_and_one_outside_the_tree_does_not(devwiki, tmp_path, tree):
    root, settings = tree
    settled(devwiki, tmp_path, settings)
    devwiki.edit_as("Alice", f"Unrelated page {uuid.uuid4().hex[:6]}", "Elsewhere.", "elsewhere")
    _, quiet = run_all(devwiki, tmp_path, settings)
    assert not quiet["incremental"]["full"], quiet["incremental"]

    template = f"Template:{root}/Header"
    text = read_back(devwiki, template)[template].text
    devwiki.edit_as("Alice", template, text + "\n<!-- a note -->", "a note")
    _, report = run_all(devwiki, tmp_path, settings)
    assert report["incremental"]["full"]
    assert any(reason.startswith(f"{template} changed (revision ") for reason in report["incremental"]["reasons"])


def test_full_settings_and_a_day_make_a_full_run(devwiki, tmp_path, tree):
    root, settings = tree
    rest = settled(devwiki, tmp_path, settings)
    _, asked = run_all(devwiki, tmp_path, settings, "--full")
    assert asked["incremental"]["reasons"] == ["asked with --full"] and asked["edits"] == []

    other = Path(settings).with_name("other-" + Path(settings).name)
    other.write_text(Path(settings).read_text().replace("form: cards", "form: contacts"))
    _, changed = run_all(devwiki, tmp_path, str(other))
    assert changed["incremental"]["reasons"] == [
        "the settings, the tasks or the bot's version changed since the last run"]

    _, back = run_all(devwiki, tmp_path, settings)  # the first settings again: another change
    assert back["incremental"]["full"]
    path = state_path(devwiki)
    state = RunState.load(path, rest["wiki"])
    state.last_full = wiki_time(parse_wiki_time(state.last_full) - timedelta(days=1))
    state.save(path)
    _, daily = run_all(devwiki, tmp_path, settings)
    assert daily["incremental"]["full"] and "a day ago or more" in daily["incremental"]["reasons"][0]


def test_a_thread_becoming_due_makes_a_full_run_that_archives_it(devwiki, tmp_path, tree):
    root, settings = tree
    rest = settled(devwiki, tmp_path, settings)
    state = RunState.load(state_path(devwiki), rest["wiki"])
    assert state.next_due, "the demo talk page has threads that become due later"
    due = parse_wiki_time(state.next_due)
    talk = f"Talk:{root}"
    before = read_back(devwiki, talk)[talk].text

    _, early = run_all(devwiki, tmp_path, settings, now=due - timedelta(minutes=1))
    assert not early["incremental"]["full"]
    _, report = run_all(devwiki, tmp_path, settings, now=due + timedelta(minutes=1))
    assert report["incremental"]["full"] and "became due" in report["incremental"]["reasons"][0]
    assert talk in {edit["title"] for edit in report["edits"]}
    assert read_back(devwiki, talk)[talk].text != before



def protected_without_header(devwiki, root: str) -> tuple[str, str]:
    """A human takes the header out of the FAQ and an admin protects it: the bot's fix fails
    ("protected") until the protection goes. The FAQ's title and its text as the bot had fixed it."""
    faq = f"{root}/FAQ"
    fixed = read_back(devwiki, faq)[faq].text
    header = next(line for line in fixed.splitlines() if f"{root}/Header" in line)
    devwiki.edit_as("Admin", faq, fixed.replace(header + "\n", "", 1), "no header")
    devwiki.protect(faq)
    return faq, fixed


def test_a_page_failing_for_good_is_reported_by_every_run_without_making_each_one_read_the_tree(
        devwiki, tmp_path, tree):
    """A protected page is the same error every run until its protection changes: the runs after the
    full run that met it report it again (exit 1, as before) but ask only what changed."""
    root, settings = tree
    faq, fixed = protected_without_header(devwiki, root)

    met, failed = run_all_exit(devwiki, tmp_path, settings)
    assert met.returncode == 1 and failed["incremental"]["full"]
    assert [(e["title"], e["code"]) for e in failed["errors"]] == [(faq, "protected")]
    again, quiet = run_all_exit(devwiki, tmp_path, settings)
    assert again.returncode == 1 and quiet["incremental"]["full"] is False and quiet["api_requests"] <= 3
    assert [(e["title"], e["code"]) for e in quiet["errors"]] == [(faq, "protected")]
    assert "as of the last full read" in quiet["errors"][0]["message"]

    devwiki.maintenance("protect.php", "--user", "Admin", "--unprotect", faq)
    fixed_run, report = run_all_exit(devwiki, tmp_path, settings)
    assert fixed_run.returncode == 0 and report["incremental"]["full"] and report["errors"] == []
    assert read_back(devwiki, faq)[faq].text == fixed
    assert settled(devwiki, tmp_path, settings)["errors"] == []


def test_pages_imported_into_the_dev_wiki_make_the_next_run_read_the_tree(devwiki, tmp_path, tree):
    """An import leaves no recent change of its own time: the dev wiki forgets the runs' state."""
    root, settings = tree
    settled(devwiki, tmp_path, settings)
    seed(devwiki, {f"{root}/Imported": "<languages/>\nImported text."})
    assert not state_path(devwiki).exists()
    _, report = run_all(devwiki, tmp_path, settings)
    assert report["incremental"]["reasons"] == ["no earlier complete run on this machine"]
    assert f"{root}/Imported" in {edit["title"] for edit in report["edits"]}
