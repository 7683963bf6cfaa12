"""Concurrency: another writer edits pages of the tree between the bot's read and its save, through a
hook in the wiki layer (``PlanApplier.before_save``) and as a second process on loopback. No human edit
is ever lost; a conflict the bot cannot resolve is reported (edit-conflict), and the next run finishes
the work. Runs on the session's dev wiki, each test under a root of its own."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest
import yaml

from advocacy_bot.roster import roster_source
from advocacy_bot.settings import BotPages, NavSettings, StaffSettings, StaffTarget, default_tabs
from advocacy_bot.tasks.staff import adopt_page
from advocacy_bot.tree import in_tree
from advocacy_bot.wikitext.talk_threads import split_threads
from tests.fixtures.snapshot import DEMO_NOW, ROSTER, signature

from ..conftest import REPO
from ..integration.helpers import make_run, read_back, seed, unique_root
from ..integration.test_nav import SOURCES, demo_like_tree
from .lab import ADOPTIONS, BOT, run_all

pytestmark = pytest.mark.devwiki


def demo_tree(devwiki, tmp_path, label: str):
    """The demo tree under a root of its own, its team lists adopted; returns the root and a run maker."""
    root, legacy = unique_root(label), unique_root(f"{label} legacy")
    seed(devwiki, demo_like_tree(root, legacy))
    devwiki.create_accounts(member["username"] for member in ROSTER if member.get("username"))
    roster = tmp_path / f"roster-{root}.yaml"
    roster.write_text(yaml.safe_dump({"members": list(ROSTER)}, allow_unicode=True))
    settings = {
        "nav": NavSettings(f"Template:{root}/Header", default_tabs(root)), "legacy_roots": (legacy,),
        "staff": StaffSettings(str(roster), (StaffTarget(root, "cards"), StaffTarget(f"{root}/FAQ", "contacts"))),
        "bot_pages": BotPages(shutoff=f"User:<bot>/Shutoff {root}", state=f"User:<bot>/state {root}.json"),
    }

    def make():
        return make_run(devwiki, root, **settings)

    run = make()
    hint = roster_source(str(roster), BOT).hint
    for page, section in ADOPTIONS:
        title = page.replace("Global Advocacy", root)
        run.apply([adopt_page(run.read([title])[title], section, BOT, hint)[1]])
    run.client.close()
    return root, make


def test_human_edits_between_read_and_save_are_kept_and_conflicts_reported(devwiki, tmp_path):
    root, make = demo_tree(devwiki, tmp_path, "Concurrent hook")
    talk = f"Talk:{root}"
    kinds = itertools.cycle(["bottom", "top", "twice"])
    written: dict[str, list[str]] = {}
    attempts: dict[str, int] = {}
    plan: dict[str, str] = {}

    def human(change):
        """Before each save, a human saves the same page: a line at the bottom (MediaWiki merges it),
        at the very top where the bot works (a conflict: the bot re-reads), or before both of the
        bot's attempts (a conflict twice: left to the human). On the talk page: a new thread."""
        title = change.title
        if not change.base.exists or not in_tree(title, root) or title.startswith(f"{talk}/"):
            return  # humans edit the tree's existing pages (the archive is new this run)
        if title not in plan:
            plan[title] = "thread" if title == talk else next(kinds)
        kind = plan[title]
        attempts[title] = attempts.get(title, 0) + 1
        if attempts[title] > (2 if kind == "twice" else 1):
            return
        mark = f"human-{len(written.get(title, []))}-{title[-12:]}"
        current = read_back(devwiki, title)[title].text
        if kind == "thread":
            text = current + f"\n\n== Brand new {mark} ==\nJust posted. {signature('Sable Wren', DEMO_NOW)}"
        elif kind == "bottom":
            text = current + f"\n\nA human note: {mark}."
        else:
            text = f"<!-- {mark} -->\n{current}"
        devwiki.edit_as("Admin", title, text, "a human edit")
        written.setdefault(title, []).append(mark)

    talk_before = read_back(devwiki, talk)[talk].text
    report = run_all(make, human)

    assert written and set(plan.values()) >= {"bottom", "top", "twice", "thread"}
    final = read_back(devwiki, *written)
    for title, marks in written.items():
        assert all(mark in final[title].text for mark in marks), title  # no human edit lost
    conflicted = {title for title, kind in plan.items() if kind == "twice"}
    assert {(e.title, e.code) for e in report.errors} == {(title, "edit-conflict") for title in conflicted}
    assert {e.title for e in report.edits} >= {title for title, kind in plan.items() if kind in ("bottom", "top")}
    print(f"\nhook: {sum(map(len, written.values()))} human edits between read and save; the bot: "
          f"{len(report.edits)} edits, {len(report.errors)} conflicts reported, {report.recomputes} re-reads")
    # the archive took its threads once; the new thread stayed on the talk page
    pages = read_back(devwiki, talk, f"{talk}/Archive 1")
    for thread in split_threads(talk_before).threads:
        assert sum(page.text.count(thread.body) for page in pages.values()) == 1, thread.heading
    assert any(t.heading.startswith("Brand new") for t in split_threads(pages[talk].text).threads)

    again = run_all(make)  # the next run finishes what the conflicts left, and keeps the humans' text
    assert {e.title for e in again.edits} <= conflicted and again.errors == []
    final = read_back(devwiki, *written)
    assert all(mark in final[title].text for title, marks in written.items() for mark in marks)
    assert run_all(make).edits == []


def test_a_second_writer_on_loopback_loses_nothing(devwiki, tmp_path):
    root, make = demo_tree(devwiki, tmp_path, "Concurrent process")
    talk = f"Talk:{root}"
    sources = [root + suffix for suffix in SOURCES]  # the pages the bot saves (and translations, never saved)
    titles = tmp_path / "titles.txt"
    titles.write_text("\n".join(sources))
    writer = subprocess.Popen([sys.executable, "-m", "tests.reliability.writer", "--api", devwiki.info().api_url,
                               "--titles", str(titles), "--talk", talk, "--edits", "80", "--seconds", "30"],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        talk_before = read_back(devwiki, talk)[talk].text
        report = run_all(make)
        out, err = writer.communicate(timeout=60)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert writer.returncode == 0, err
    saved = json.loads(out.strip().splitlines()[-1])
    assert sum(map(len, saved.values())) >= 10, saved  # the human did write while the bot ran
    print(f"\nsecond writer: {sum(map(len, saved.values()))} human edits saved; the bot: {len(report.edits)} edits, "
          f"{len(report.errors)} conflicts reported, {report.recomputes} re-reads after a conflict or merge")

    final = read_back(devwiki, *saved)
    for title, marks in saved.items():
        assert all(mark in final[title].text for mark in marks), title  # no human edit lost
    assert report.recomputes >= 1  # the human did get between the bot's reads and its saves
    assert {e.code for e in report.errors} <= {"edit-conflict"}  # conflicts are reported, nothing else fails
    pages = read_back(devwiki, talk, f"{talk}/Archive 1")
    for thread in split_threads(talk_before).threads:
        assert sum(page.text.count(thread.body) for page in pages.values()) == 1, thread.heading

    run_all(make)  # the human has stopped: the next runs finish the work and then rest
    assert run_all(make).edits == []
    final = read_back(devwiki, *saved)
    assert all(mark in final[title].text for title, marks in saved.items() for mark in marks)
