"""Archiving on a real MediaWiki: the archive is saved first, the talk page only once the archive holds
every thread (as its save stored it, or read back where the save's answer cannot tell); a run stopped
before, between or after the two saves is completed by the next run with every thread exactly once.
Every assertion reads the wiki back."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from advocacy_bot.archive_journal import journal_file
from advocacy_bot.jobs.archive import archive_talk_pages
from advocacy_bot.outcomes import ShutoffRequested, UsageProblem
from advocacy_bot.settings import BotPages
from advocacy_bot.wiki.client import FAULT_EXIT_CODE, FAULT_VARIABLE
from advocacy_bot.wikitext.talk_threads import split_threads, thread_copies
from tests.fixtures.snapshot import DEMO_NOW, demo_pages, signature

from ..conftest import REPO
from .helpers import ABOUT_LINK, make_run, read_back, seed, unique_root
from .test_cli import cli, settings_file

pytestmark = pytest.mark.devwiki

NOW = DEMO_NOW


class Crash(Exception):
    """The process dies here (a kill, a lost connection): nothing after this point happens."""


def talk_text(root: str, days_ago: list[float], config: str = "") -> str:
    threads = [f"== Topic {i} ==\nA question. {signature('Kestrel42', NOW - timedelta(days=days))}\n"
               f":An answer. {signature('TWielgosz (WMF)', NOW - timedelta(days=days - 0.5))}"
               for i, days in enumerate(days_ago)]
    return ("{{User:MiszaBot/config\n"
            f"|archive = Talk:{root}/Archive %(counter)d\n|algo = old(30d)\n|counter = 1\n"
            f"|minthreadsleft = 1\n|minthreadstoarchive = 1\n{config}}}}}\n"
            "Feedback welcome.\n\n" + "\n\n".join(threads))


def archive(wiki, root, *titles, before_save=None, now=NOW, **settings):
    run = make_run(wiki, root, **settings)
    run.applier.before_save = before_save
    try:
        archive_talk_pages(run, titles, now)
    finally:
        run.client.close()
    return run


def exactly_once(wiki, root, bodies):
    """Every thread body stands exactly once in the talk page and its archives together."""
    titles = [f"Talk:{root}"] + [f"Talk:{root}/Archive {n}" for n in range(1, 4)]
    texts = [page.text for page in read_back(wiki, *titles).values() if page.exists]
    return {body.split("\n")[0]: sum(text.count(body) for text in texts) for body in bodies}


def bodies_of(text):
    return [thread.body for thread in split_threads(text).threads]


def test_demo_talk_page(devwiki):
    root = unique_root("Demo archive")
    pages = {p.title.replace("Global Advocacy", root): p.text.replace("Talk:Global Advocacy", f"Talk:{root}")
             for p in demo_pages() if p.title.startswith("Talk:Global Advocacy")}
    seed(devwiki, pages)
    talk = f"Talk:{root}"
    first = archive(devwiki, root)

    assert [(e.title, e.summary) for e in first.report.edits] == [
        (f"{talk}/Archive 1", f"Archiving: 8 threads from {talk}" + ABOUT_LINK),
        (talk, f"Archiving: 8 threads (7 older than 90 days, 1 resolved more than 2 days ago) to {talk}/Archive 1" + ABOUT_LINK)]
    assert first.report.errors == [] and first.report.skipped == []
    # The archive's save answered that it stored the text sent (not merged, nothing the pre-save
    # transform expands): the talk page's verification needs no read.
    assert first.report.verification_reads == 0
    now = read_back(devwiki, talk, f"{talk}/Archive 1")
    assert [t.heading for t in split_threads(now[talk].text).threads] == [
        "Feedback on the copyright toolkit", "Conversation hour time zones",
        "New consultation on platform transparency in Brazil", "Can affiliates co-sign open letters?"]
    assert len(split_threads(now[f"{talk}/Archive 1"].text).threads) == 3 + 8
    assert all(count == 1 for count in exactly_once(devwiki, root, bodies_of(pages[talk])).values())

    second = archive(devwiki, root)
    assert second.report.edits == [] and second.report.errors == []


@pytest.mark.parametrize("stop", ["before the archive", "between the saves", "after both saves"])
def test_a_stopped_run_is_completed_by_the_next(devwiki, stop):
    root = unique_root("Stop archive")
    talk = f"Talk:{root}"
    text = talk_text(root, [200, 100, 45, 3, 1])
    seed(devwiki, {talk: text, f"{talk}/Archive 1": "{{Talk archive}}\n\n== Old ==\nOld text."})
    crash_at = {"before the archive": f"{talk}/Archive 1", "between the saves": talk, "after both saves": None}[stop]

    def before_save(change):
        if change.title == crash_at:
            raise Crash(stop)

    if crash_at:
        with pytest.raises(Crash):
            archive(devwiki, root, before_save=before_save)
    else:
        archive(devwiki, root)
    # nothing is lost at any stop; between the saves the moved threads are in both places
    counts = exactly_once(devwiki, root, bodies_of(text))
    assert all(count >= 1 for count in counts.values())
    assert (max(counts.values()) == 2) == (stop == "between the saves")

    rerun = archive(devwiki, root)
    assert all(count == 1 for count in exactly_once(devwiki, root, bodies_of(text)).values())
    assert [e.title for e in rerun.report.edits] == {
        "before the archive": [f"{talk}/Archive 1", talk], "between the saves": [talk], "after both saves": []}[stop]
    if stop == "between the saves":
        assert rerun.report.edits[0].summary.endswith("; 3 of them already there from an interrupted run" + ABOUT_LINK)
    pages = read_back(devwiki, talk, f"{talk}/Archive 1")
    assert [t.heading for t in split_threads(pages[talk].text).threads] == ["Topic 3", "Topic 4"]
    assert [t.heading for t in split_threads(pages[f"{talk}/Archive 1"].text).threads] == [
        "Old", "Topic 0", "Topic 1", "Topic 2"]
    assert archive(devwiki, root).report.edits == []


def test_shutoff_between_the_saves_then_rerun(devwiki):
    root = unique_root("Shutoff archive")
    talk = f"Talk:{root}"
    text = talk_text(root, [90, 60, 2])
    bot_pages = BotPages(shutoff=f"User:<bot>/Shutoff {root}")
    seed(devwiki, {talk: text})

    def stop_the_bot(change):
        if change.title == f"{talk}/Archive 1":  # as the archive is saved (its shutoff check made)
            devwiki.edit_as("Admin", f"User:AdvocacyBot/Shutoff {root}", "Stop!", "stop")

    run = make_run(devwiki, root, bot_pages=bot_pages)
    run.shutoff.interval = 0  # re-read before every save
    run.applier.before_save = stop_the_bot
    with pytest.raises(ShutoffRequested):
        archive_talk_pages(run, (), NOW)
    run.client.close()
    assert [e.title for e in run.report.edits] == [f"{talk}/Archive 1"]
    assert read_back(devwiki, talk)[talk].text == text  # the talk page was not saved
    devwiki.edit_as("Admin", f"User:AdvocacyBot/Shutoff {root}", "", "go on")
    archive(devwiki, root, bot_pages=bot_pages)
    assert all(count == 1 for count in exactly_once(devwiki, root, bodies_of(text)).values())


def test_a_human_edit_of_the_talk_page_between_the_saves_is_kept(devwiki):
    root = unique_root("Conflict archive")
    talk = f"Talk:{root}"
    text = talk_text(root, [90, 60, 2])
    seed(devwiki, {talk: text})
    new_thread = f"== Brand new ==\nJust posted. {signature('Sable Wren', NOW)}"

    def human(change):
        if change.title == talk and "Brand new" not in change.base.text:
            devwiki.edit_as("Admin", talk, text + "\n\n" + new_thread, "new section")

    run = archive(devwiki, root, before_save=human)
    assert run.report.errors == [] and [e.title for e in run.report.edits] == [f"{talk}/Archive 1", talk]
    final = read_back(devwiki, talk)[talk].text
    assert [t.heading for t in split_threads(final).threads] == ["Topic 2", "Brand new"]
    assert all(count == 1 for count in exactly_once(devwiki, root, bodies_of(text)).values())


def test_an_archive_that_lost_a_thread_stops_the_talk_save(devwiki):
    root = unique_root("Verify archive")
    talk = f"Talk:{root}"
    # "~~~~" in a moved thread: the bot cannot tell what the archive's save stored (the pre-save
    # transform may sign it), so it reads the archive back before the talk page's save.
    text = talk_text(root, [90, 60, 2]).replace("A question.", "Sign with <nowiki>~~~~</nowiki>.", 1)
    seed(devwiki, {talk: text})

    def human(change):
        if change.title == talk:  # someone reverts the archive right after the bot saved it
            devwiki.edit_as("Admin", f"{talk}/Archive 1", "{{Talk archive}}\n\nStarting over.", "revert")

    run = archive(devwiki, root, before_save=human)
    assert run.report.verification_reads == 1
    assert [(e.title, e.code) for e in run.report.errors] == [(talk, "verification-failed")]
    assert "thread 'Topic 0' is not in" in run.report.errors[0].message
    assert read_back(devwiki, talk)[talk].text == text

    archive(devwiki, root)
    assert all(count == 1 for count in exactly_once(devwiki, root, bodies_of(text)).values())


def test_an_archive_save_merged_with_a_human_edit_is_read_back(devwiki):
    root = unique_root("Merged archive")
    talk, archive_title = f"Talk:{root}", f"Talk:{root}/Archive 1"
    text = talk_text(root, [90, 60, 2])
    seed(devwiki, {talk: text, archive_title: "{{Talk archive}}\n\n== Old ==\nOld text."})

    def human(change):
        if change.title == archive_title and "Kept note" not in change.base.text:
            # saved after the bot's read, apart from where the bot appends: MediaWiki merges both edits
            devwiki.edit_as("Admin", archive_title, "Kept note.\n{{Talk archive}}\n\n== Old ==\nOld text.", "note")

    run = archive(devwiki, root, before_save=human)
    assert run.report.errors == [] and [e.title for e in run.report.edits] == [archive_title, talk]
    # the merged save's answer does not tell what was stored: the archive is read back
    assert run.report.verification_reads == 1
    pages = read_back(devwiki, archive_title)
    assert pages[archive_title].text.startswith("Kept note.")
    assert all(count == 1 for count in exactly_once(devwiki, root, bodies_of(text)).values())


@pytest.mark.parametrize("guard", ["nobots", "protected"])
def test_a_talk_page_the_bot_may_not_save_is_not_archived_at_all(devwiki, guard):
    root = unique_root(f"Guard {guard}")
    talk = f"Talk:{root}"
    text = talk_text(root, [90, 60, 2]) + ("\n{{nobots}}" if guard == "nobots" else "")
    seed(devwiki, {talk: text})
    if guard == "protected":
        devwiki.protect(talk, "sysop")
    run = archive(devwiki, root)

    outcomes = run.report.skipped + run.report.errors
    assert [(o.title, o.code) for o in outcomes] == [(talk, guard)]
    assert run.report.edits == []
    assert not read_back(devwiki, f"{talk}/Archive 1")[f"{talk}/Archive 1"].exists


def test_protected_archive_fails_verification_and_the_talk_page_keeps_its_threads(devwiki):
    root = unique_root("Protected archive")
    talk = f"Talk:{root}"
    text = talk_text(root, [90, 60, 2])
    seed(devwiki, {talk: text, f"{talk}/Archive 1": "{{Talk archive}}"})
    devwiki.protect(f"{talk}/Archive 1", "sysop")
    run = archive(devwiki, root)
    assert [(e.title, e.code) for e in run.report.errors] == [(f"{talk}/Archive 1", "protected"),
                                                              (talk, "verification-failed")]
    assert read_back(devwiki, talk)[talk].text == text


def test_dry_run_shows_both_sides_and_saves_nothing(devwiki):
    root = unique_root("Dry archive")
    talk = f"Talk:{root}"
    text = talk_text(root, [90, 60, 2])
    seed(devwiki, {talk: text})
    shown = []
    run = make_run(devwiki, root, dry_run=True, out=shown.append)
    archive_talk_pages(run, (), NOW)
    run.client.close()

    assert shown[0] == f"{talk}: 2 threads to {talk}/Archive 1"
    archive_diff, talk_diff = shown[1:]
    assert archive_diff.startswith(f"--- {talk}/Archive 1 (new page)") and "+== Topic 0 ==" in archive_diff
    assert talk_diff.startswith(f"--- {talk} (r") and "-== Topic 0 ==" in talk_diff
    assert [e.new_revid for e in run.report.edits] == [None, None] and run.report.errors == []
    assert read_back(devwiki, talk)[talk].text == text
    assert not read_back(devwiki, f"{talk}/Archive 1")[f"{talk}/Archive 1"].exists


def test_rollover_index_and_every_talk_page_of_the_tree(devwiki):
    root = unique_root("Index archive")
    talk = f"Talk:{root}"
    index = f"{talk}/Archive index"
    text = talk_text(root, [400, 300, 200, 100, 1], f"|maxarchivesize = 2 T\n|index = {index}\n")
    faq = f"Talk:{root}/FAQ"
    seed(devwiki, {talk: text, f"{talk}/Archive 1": "{{Talk archive}}\n\n== Old ==\nOld text.",
                   faq: "== No configuration ==\nLeft alone. 12:00, 1 January 2020 (UTC)"})
    run = archive(devwiki, root)

    assert [e.title for e in run.report.edits] == [f"{talk}/Archive 1", f"{talk}/Archive 2", f"{talk}/Archive 3",
                                                   talk, index]
    pages = read_back(devwiki, talk, f"{talk}/Archive 2", index, faq)
    assert "|counter = 3\n" in pages[talk].text
    assert pages[f"{talk}/Archive 2"].text.startswith("{{Talk archive}}\n\n== Topic 1 ==")
    rows = [line for line in pages[index].text.splitlines() if line.startswith("| ")]
    assert [row.split(" || ")[0] for row in rows] == ["| Old", "| Topic 0", "| Topic 1", "| Topic 2", "| Topic 3"]
    assert pages[faq].revid == read_back(devwiki, faq)[faq].revid and run.report.skipped == []
    assert archive(devwiki, root).report.edits == []


def test_named_page_without_configuration_and_pages_outside_the_tree(devwiki):
    root = unique_root("Named archive")
    seed(devwiki, {f"Talk:{root}": "== A ==\nNo configuration. 12:00, 1 January 2020 (UTC)"})
    run = archive(devwiki, root, f"Talk:{root}")
    assert [(s.title, s.code) for s in run.report.skipped] == [(f"Talk:{root}", "no-archive-config")]
    with pytest.raises(UsageProblem, match="not a talk page of the tree"):
        archive(devwiki, root, "Talk:Somewhere else")


def test_cli_archive_and_second_run(devwiki, tmp_path):
    root = unique_root("Cli archive")
    talk = f"Talk:{root}"
    seed(devwiki, {talk: talk_text(root, [90, 60, 2]).replace("old(30d)", "old(30d)\n|key = abc")})
    config = settings_file(tmp_path, root)
    report = tmp_path / "report.json"
    args = ["--site", "dev", "--config", str(config), "--report-json", str(report), "archive", "--page", talk,
            "--now", NOW.isoformat()]
    first = cli(*args, devwiki=devwiki)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == f"{talk}: 2 threads to {talk}/Archive 1"
    data = json.loads(report.read_text())
    assert [e["title"] for e in data["edits"]] == [f"{talk}/Archive 1", talk] and data["exit_code"] == 0

    second = cli(*args, devwiki=devwiki)
    assert second.returncode == 0 and json.loads(report.read_text())["edits"] == []
    assert "nothing to archive" in second.stdout

    bad = cli("--site", "dev", "--config", str(config), "archive", "--now", "yesterday", devwiki=devwiki)
    assert bad.returncode == 2 and "--now" in bad.stderr


def test_same_threads_as_archivebot_side_by_side(devwiki):
    """archivebot and ours on copies of the same page with the same settings archive the same threads."""
    if importlib.util.find_spec("pywikibot_scripts") is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs the test extras, pywikibot-scripts included")
        pytest.skip("needs pywikibot-scripts (pip install -e '.[test]')")
    result = subprocess.run([sys.executable, "-m", "bench", "--only", "archive", "--devwiki-dir",
                             str(devwiki.directory), "--threads", "150", "--json"],
                            capture_output=True, text=True, timeout=600, cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]
    numbers = json.loads(result.stdout.strip().splitlines()[-1])["archive"]
    assert numbers["same_threads"] and numbers["ours"]["archived"] > 100
    assert numbers["ours"]["edits"] == numbers["archivebot"]["edits"] >= 2
    assert numbers["ours"]["api_requests"] < numbers["archivebot"]["api_requests"]


def test_an_archive_name_with_a_literal_pipe_is_that_pages_outcome(devwiki):
    """Issue 15: `archive=...<nowiki>|MediaWiki:Common.js|</nowiki>` split the titles= request (the bot read
    MediaWiki:Common.js, then exit 5, and the saves planned after it were never made)."""
    root = unique_root("Pipe archive")
    talk, faq = f"Talk:{root}", f"Talk:{root}/FAQ"
    bad = talk_text(root, [100, 1]).replace(f"Talk:{root}/Archive %(counter)d",
                                            f"Talk:{root}/X<nowiki>|MediaWiki:Common.js|</nowiki>")
    seed(devwiki, {talk: bad, faq: talk_text(f"{root}/FAQ", [100, 1])})
    before = read_back(devwiki, talk)[talk].revid
    run = archive(devwiki, root)
    [skip] = run.report.skipped
    assert (skip.title, skip.code) == (talk, "no-archive-config") and "page titles cannot hold" in skip.message
    assert [e.title for e in run.report.edits] == [f"{faq}/Archive 1", faq]  # the other talk page goes on
    assert read_back(devwiki, talk)[talk].revid == before


def test_identical_threads_are_moved_as_distinct_threads(devwiki, tmp_path):
    """Issue 15: two copies of one old thread and a fresh one with minthreadsleft = 2 ended with no copy
    on the talk page and one in the archive (removal matched text). Through the command line, with a
    process stopped between the archive's save and the talk page's, and a thread posted again."""
    root = unique_root("Twin archive")
    talk, again = f"Talk:{root}", f"Talk:{root}/Again"
    same = f"== Same question ==\nWhere are the slides? {signature('Kestrel42', NOW - timedelta(days=60))}"
    fresh = f"== Fresh ==\nHello. {signature('Kestrel42', NOW - timedelta(days=1))}"
    config = ("{{User:MiszaBot/config\n|archive = %s/Archive %%(counter)d\n|algo = old(30d)\n|counter = 1\n"
              "|minthreadsleft = %d\n|minthreadstoarchive = 1\n}}\n")
    seed(devwiki, {talk: config % (talk, 2) + "\n\n".join([same, same, fresh]),
                   again: config % (again, 0) + "\n\n".join([same, same]),
                   f"{again}/Archive 1": "{{Talk archive}}\n\n" + same})  # asked before, posted again twice
    args = ["--site", "dev", "--config", str(settings_file(tmp_path, root)), "archive", "--now", NOW.isoformat()]
    env = dict(os.environ, ADVOCACY_DEVWIKI_DIR=str(devwiki.directory))
    env.pop("PYWIKIBOT_DIR", None)

    # the process ends right after its third save (the second talk page's archive), before that talk page
    stopped = subprocess.run([sys.executable, "-m", "advocacy_bot", *args], capture_output=True, text=True,
                             env={**env, FAULT_VARIABLE: "edit:3:after"}, timeout=120)
    assert stopped.returncode == FAULT_EXIT_CODE, stopped.stdout + stopped.stderr[-2000:]
    pages = read_back(devwiki, talk, f"{talk}/Archive 1", again, f"{again}/Archive 1")
    assert [t.heading for t in split_threads(pages[talk].text).threads] == ["Same question", "Fresh"]
    assert thread_copies(pages[f"{talk}/Archive 1"].text, same) == 1
    assert thread_copies(pages[again].text, same) == 2 and thread_copies(pages[f"{again}/Archive 1"].text, same) == 3

    rerun = cli(*args, devwiki=devwiki)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{again}: 2 threads to {again}/Archive 1" in rerun.stdout
    pages = read_back(devwiki, talk, f"{talk}/Archive 1", again, f"{again}/Archive 1")
    assert thread_copies(pages[f"{again}/Archive 1"].text, same) == 3 and split_threads(pages[again].text).threads == ()
    assert [t.heading for t in split_threads(pages[talk].text).threads] == ["Same question", "Fresh"]
    journal = json.loads(journal_file(devwiki.directory, "dev").read_text())["talk pages"]
    assert talk not in journal and again not in journal  # settled once the talk pages were saved
    assert "nothing to archive" in cli(*args, devwiki=devwiki).stdout.split(again)[1]
