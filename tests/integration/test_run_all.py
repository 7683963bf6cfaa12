"""run-all and the on-wiki controls on a real MediaWiki: one read, one edit per page, the shutoff page,
trust of the on-wiki settings, the run log, and the lines it logs. Every assertion reads the wiki back."""

from __future__ import annotations

import json
import logging
import re
import uuid

import pytest
import yaml
from click.testing import CliRunner

from advocacy_bot.cli import main
from advocacy_bot.edit_summary import in_style
from advocacy_bot.ownership import JSON_KEY
from advocacy_bot.tasks.translate import MARKED_SUMMARY
from advocacy_bot.wiki.session import BotRun
from advocacy_bot.wikitext import staff_block as sb
from advocacy_bot.wikitext import translate_markup as tm
from tests.fixtures.snapshot import DEMO_NOW, ROSTER

from .helpers import ABOUT_LINK, make_run, read_back, seed, unique_root
from .test_cli import cli
from .test_nav import demo_like_tree
from .test_staff import MEMBERS, roster_file, seed_json

pytestmark = pytest.mark.devwiki

NOW = DEMO_NOW.strftime("%Y-%m-%dT%H:%MZ")


def write_settings(tmp_path, root, members=MEMBERS, **extra) -> str:
    data = {"root": root, "legacy_roots": [f"Legacy {root}"], "nav": {"template": f"Template:{root}/Header"},
            "staff": {"roster": str(roster_file(tmp_path, members)), "targets": [{"page": root, "form": "cards"}]}}
    for key, value in extra.items():
        data.setdefault(key, {}).update(value) if isinstance(value, dict) else data.__setitem__(key, value)
    path = tmp_path / f"settings-{uuid.uuid4().hex[:6]}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return str(path)


def run_all(devwiki, tmp_path, settings, *args, options=()):
    report = tmp_path / f"report-{uuid.uuid4().hex[:6]}.json"
    result = cli("--site", "dev", "--config", settings, "--report-json", str(report), *options, "run-all",
                 "--now", NOW, *args, devwiki=devwiki)
    return result, json.loads(report.read_text())


def history(devwiki, title) -> list[dict]:
    """Every revision of ``title``, oldest first: revid, user, comment."""
    run = make_run(devwiki, "Reader")
    try:
        answer = run.client.query(prop="revisions", titles=title, rvprop="ids|user|comment", rvlimit="max",
                                  rvdir="newer")
    finally:
        run.client.close()
    return answer["query"]["pages"][0].get("revisions", [])


def adopt(devwiki, settings, root):
    result = cli("--site", "dev", "--config", settings, "staff", "adopt", "--page", root, "--section", "The team",
                 "--save", devwiki=devwiki)
    assert result.returncode == 0, result.stderr


def test_run_all_makes_one_edit_per_page_logs_it_once_and_then_rests(devwiki, tmp_path):
    root = unique_root("Run all")
    seed(devwiki, demo_like_tree(root, f"Legacy {root}"))
    devwiki.create_accounts(member["username"] for member in ROSTER if member.get("username"))
    log_page = f"User:AdvocacyBot/Run log {root}"
    settings = write_settings(tmp_path, root, list(ROSTER), bot_pages={"run_log": f"User:<bot>/Run log {root}"})
    adopt(devwiki, settings, root)
    before = read_back(devwiki, root, f"{root}/FAQ", f"{root}/da", f"Talk:{root}")

    result, report = run_all(devwiki, tmp_path, settings)
    assert result.returncode == 0, result.stderr
    tasks = {entry["task"]: entry for entry in report["tasks"]}
    assert list(tasks)[:2] == ["nav", "staff"] and "archive" in tasks
    assert all(entry["exit_code"] == 0 for entry in tasks.values())
    # staff: the root's list, and its record in the state page (with the translate task's ids: one edit)
    assert tasks["nav"]["edits"] >= 8 and tasks["staff"]["edits"] == 2 and tasks["archive"]["edits"] == 2

    # The root: the navigation header and the staff list (and, where the bot numbers units, their
    # markers) in one edit, with one combined summary.
    root_edits = [edit for edit in report["edits"] if edit["title"] == root]
    assert len(root_edits) == 1
    revisions = history(devwiki, root)
    assert [r["revid"] for r in revisions if r["revid"] > before[root].revid] == [root_edits[0]["new_revid"]]
    comment = revisions[-1]["comment"]
    assert comment.startswith("Navigation header: replaced hand-copied tab bar") and " · Staff list synced" in comment
    assert comment == root_edits[0]["summary"] and comment.endswith(ABOUT_LINK)
    # one style for every summary; marking is Translate's log entry, with Translate's comment (no link)
    for edit in report["edits"]:
        marked = edit["summary"].startswith(MARKED_SUMMARY)
        assert in_style(edit["summary"], None if marked else "User:AdvocacyBot"), edit["summary"]
    after = read_back(devwiki, root, f"{root}/da", f"Talk:{root}", log_page)
    text = after[root].text
    assert text.count(f"{{{{{root}/Header|current=home}}}}") == 1
    span = sb.find_block(text)
    names = [entry.name for entry in sb.read_entries(text[span.content_start:span.content_end]).entries]
    assert names == [member["name"] for member in ROSTER]
    assert tm.validate(text) == []
    assert after[f"{root}/da"].revid == before[f"{root}/da"].revid  # translation pages are never edited
    assert after[f"Talk:{root}"].revid != before[f"Talk:{root}"].revid
    # one pass over the tree: each page read once, plus the few re-reads of saved pages
    assert report["pages_read"] <= 2 * len(demo_like_tree(root, "x")), report["pages_read"]
    print(f"\nrun-all of the demo tree: {report['pages_read']} pages read, {len(report['edits'])} edits, "
          f"{report['api_requests']} API requests, {report['seconds']} s")
    # what the requests went to: every one counted once, each save one edit request (the run log's too)
    by_action = report["api_requests_by_action"]
    assert sum(by_action.values()) == report["api_requests"] and by_action["edit"] == len(report["edits"]) + 1

    # The run log: one line, with a link to every diff
    line = after[log_page].text.splitlines()[-1]
    assert re.match(r"\* \d{4}-\d\d-\d\d \d\d:\d\d UTC · run-all · \d+ edits \(\[\[Special:Diff/", line)
    assert f"[[Special:Diff/{root_edits[0]['new_revid']}|{root}]]" in line and line.endswith("· exit 0")
    assert log_page not in [edit["title"] for edit in report["edits"]]  # bookkeeping, not one of the run's edits

    again, quiet = run_all(devwiki, tmp_path, settings)
    assert again.returncode == 0, again.stderr
    assert quiet["edits"] == [] and all(entry["edits"] == 0 for entry in quiet["tasks"])
    assert read_back(devwiki, log_page)[log_page].revid == after[log_page].revid  # nothing to log
    assert quiet["api_requests"] <= 12, quiet


def test_a_page_waiting_for_the_header_keeps_its_bar_and_still_gets_the_other_tasks_changes(devwiki, tmp_path):
    root = unique_root("Run wait")
    seed(devwiki, demo_like_tree(root, f"Legacy {root}"))
    devwiki.create_accounts(member["username"] for member in ROSTER if member.get("username"))
    settings = write_settings(tmp_path, root, list(ROSTER))
    adopt(devwiki, settings, root)
    before = read_back(devwiki, root)[root].text

    # without the translate task nobody marks the new template: it would show its <translate> tags
    result, report = run_all(devwiki, tmp_path, settings, "--only", "nav,staff")
    assert result.returncode == 0, result.stderr
    root_edits = [edit for edit in report["edits"] if edit["title"] == root]
    assert [edit["summary"] for edit in root_edits] == [history(devwiki, root)[-1]["comment"]]
    assert root_edits[0]["summary"].startswith("Staff list synced with the roster")
    assert "Navigation header" not in root_edits[0]["summary"]
    waiting = {skip["title"] for skip in report["skipped"] if skip["code"] == "waiting-for-header"}
    assert root in waiting and f"{root}/About" in waiting
    text = read_back(devwiki, root)[root].text
    assert f"{root}/Header" not in text  # the hand-made bar readers see stays until the header renders
    assert text.partition("== The team")[0] == before.partition("== The team")[0]

    # marked (here: the markers the translate task writes): the next run rolls the header out
    result, report = run_all(devwiki, tmp_path, settings, "--only", "nav,translate")
    assert result.returncode == 0, result.stderr
    assert not [skip for skip in report["skipped"] if skip["code"] == "waiting-for-header"]
    assert read_back(devwiki, root)[root].text.count(f"{{{{{root}/Header|current=home}}}}") == 1


def test_only_and_skip_choose_the_tasks(devwiki, tmp_path):
    root = unique_root("Run only")
    seed(devwiki, {root: "<languages/>\nWelcome.", f"Talk:{root}": "no configuration"})
    settings = write_settings(tmp_path, root)
    result, report = run_all(devwiki, tmp_path, settings, "--only", "nav", options=("--dry-run",))
    assert result.returncode == 0, result.stderr
    assert [entry["task"] for entry in report["tasks"]] == ["nav"]
    assert {edit["title"] for edit in report["edits"]} == {root, f"Template:{root}/Header"}
    assert all(edit["new_revid"] is None for edit in report["edits"])  # a dry run saves nothing
    result, report = run_all(devwiki, tmp_path, settings, "--skip", "staff,archive", options=("--dry-run",))
    assert "staff" not in [entry["task"] for entry in report["tasks"]]
    wrong = cli("--site", "dev", "run-all", "--only", "everything", devwiki=devwiki)
    assert wrong.returncode == 2 and "unknown task everything" in wrong.stderr


def test_a_trust_problem_in_one_task_stops_every_task_before_any_save(devwiki, tmp_path):
    root = unique_root("Run trust")
    roster_page = f"{root}/Roster.json"
    seed(devwiki, {root: f"<languages/>\nWelcome.\n\n{sb.begin_comment('AdvocacyBot', 'x')}\n"
                         f"* '''Ana Lúcia Ferraz''' – <translate>Specialist</translate>\n{sb.end_comment('AdvocacyBot')}"})
    seed_json(devwiki, roster_page, {"members": MEMBERS})  # JSON, but anyone may edit it: not trusted
    settings = write_settings(tmp_path, root, staff={"roster": f"wiki:{roster_page}"})
    revid = read_back(devwiki, root)[root].revid

    result, report = run_all(devwiki, tmp_path, settings)
    assert result.returncode == 2
    assert "staff: the roster page" in result.stderr and "is not trusted" in result.stderr
    assert report["edits"] == [] and read_back(devwiki, root)[root].revid == revid  # not even nav's header
    tasks = {entry["task"]: entry for entry in report["tasks"]}
    assert tasks["staff"]["exit_code"] == 2 and "not trusted" in tasks["staff"]["message"]
    assert tasks["nav"]["exit_code"] == 2 and tasks["nav"]["message"].startswith("not saved")

    skipped, report = run_all(devwiki, tmp_path, settings, "--skip", "staff")
    assert skipped.returncode == 0, skipped.stderr
    assert root in [edit["title"] for edit in report["edits"]]


def test_the_shutoff_page_stops_a_running_run_all(devwiki, tmp_path, monkeypatch):
    root = unique_root("Run shutoff")
    shutoff = f"User:AdvocacyBot/Shutoff {root}"
    pages = {root: "<languages/>\nHome.", f"{root}/About": "<languages/>\nAbout.", f"{root}/FAQ": "<languages/>\nFAQ."}
    seed(devwiki, pages)
    settings = write_settings(tmp_path, root, bot_pages={"shutoff": f"User:<bot>/Shutoff {root}",
                                                         "run_log": f"User:<bot>/Run log {root}"})
    before = read_back(devwiki, *pages)
    saves = []

    def human_stops_the_bot(change):
        """A maintainer writes on the shutoff page while the bot is saving its first page."""
        saves.append(change.title)
        if len(saves) == 1:
            devwiki.edit_as("Admin", shutoff, "Stop: the header looks wrong", "stop the bot")

    original = BotRun.__post_init__

    def with_hook(self):
        original(self)
        self.shutoff.interval = 0  # re-read before every save, not every 10 s: the test stays short
        self.applier.before_save = human_stops_the_bot

    monkeypatch.setattr(BotRun, "__post_init__", with_hook)
    report_path = tmp_path / "report.json"
    try:
        result = CliRunner().invoke(main, ["--site", "dev", "--devwiki-dir", str(devwiki.directory), "--config",
                                           settings, "--report-json", str(report_path), "run-all", "--only", "nav"])
    finally:
        monkeypatch.undo()
        root_logger = logging.getLogger()  # the CLI's handler wrote to the runner's stream, closed now
        for handler in [h for h in root_logger.handlers if getattr(h, "_advocacy_bot", False)]:
            root_logger.removeHandler(handler)

    assert result.exit_code == 3, result.output
    report = json.loads(report_path.read_text())
    assert report["exit_code"] == 3 and "the header looks wrong" in report["message"]
    # the template was saved first; the shutoff check before the next save stopped the run
    assert [edit["title"] for edit in report["edits"]] == [f"Template:{root}/Header"] == saves
    assert report["tasks"] == [{"task": "nav", "exit_code": 3, "edits": 1, "skipped": 0, "errors": 0,
                                "message": f"stopped: {report['message']}"}]
    now = read_back(devwiki, *pages, f"User:AdvocacyBot/Run log {root}")
    assert [title for title in pages if now[title].revid != before[title].revid] == []
    assert not now[f"User:AdvocacyBot/Run log {root}"].exists  # no save after a shutoff, not even the log

    # the next run stops at once, before reading the tree
    again = cli("--site", "dev", "--config", settings, "run-all", devwiki=devwiki)
    assert again.returncode == 3 and "the header looks wrong" in again.stderr


def test_the_on_wiki_settings_page_is_trusted_only_when_protected_and_never_widens_the_scope(devwiki, tmp_path):
    root = unique_root("Run settings")
    outside = unique_root("Outside")
    block = (f"{sb.begin_comment('AdvocacyBot', 'x')}\n* '''Ana Lúcia Ferraz''' – <translate>Specialist</translate>\n"
             f"{sb.end_comment('AdvocacyBot')}")
    seed(devwiki, {root: "<languages/>\nWelcome.", outside: block})
    tabs = [{"key": "home", "label": "Start", "target": root}, {"key": "talk", "label": "Talk", "target": f"Talk:{root}"}]

    # the bot's own user JSON page: trusted; its tabs replace the file's
    own = f"User:AdvocacyBot/{root} settings.json"
    seed_json(devwiki, own, {"nav": {"tabs": tabs}})
    settings = write_settings(tmp_path, root, bot_pages={"settings": f"User:<bot>/{root} settings.json"})
    result, report = run_all(devwiki, tmp_path, settings, "--only", "nav")
    assert result.returncode == 0, result.stderr
    template = read_back(devwiki, f"Template:{root}/Header")[f"Template:{root}/Header"].text
    assert ">Start</translate>" in template and "About" not in template

    # a page anyone can edit: not trusted, nothing saved
    open_page = f"{root}/Bot settings"
    seed(devwiki, {open_page: json.dumps({"nav": {"tabs": tabs[:1]}})})
    settings = write_settings(tmp_path, root, bot_pages={"settings": open_page})
    result, report = run_all(devwiki, tmp_path, settings, "--only", "nav")
    assert result.returncode == 2 and "not trusted" in result.stderr and report["edits"] == []

    # protected: trusted, but it cannot move the root nor send the bot outside the tree
    devwiki.edit_as("Admin", open_page, json.dumps({"root": outside}), "try to move the bot")
    devwiki.protect(open_page, "sysop")
    result, report = run_all(devwiki, tmp_path, settings, "--only", "nav")
    assert result.returncode == 2 and "root cannot be set on the wiki" in result.stderr
    devwiki.edit_as("Admin", open_page, json.dumps({"staff": {"targets": [{"page": outside}]}}), "elsewhere")
    revid = read_back(devwiki, outside)[outside].revid
    result, report = run_all(devwiki, tmp_path, settings, "--only", "staff")
    assert result.returncode == 1, result.stderr
    assert [(e["title"], e["code"]) for e in report["errors"]] == [(outside, "outside-tree")]
    assert read_back(devwiki, outside)[outside].revid == revid


def test_log_lines_never_show_a_password_cookie_or_token(devwiki, tmp_path):
    root = unique_root("Run secrets")
    seed(devwiki, {root: "<languages/>\nWelcome.", f"{root}/FAQ": "<languages/>\nFAQ."})
    settings = write_settings(tmp_path, root)
    result = cli("--site", "dev", "--config", settings, "-vv", "run-all", "--only", "nav", devwiki=devwiki)
    assert result.returncode == 0, result.stderr
    assert re.search(r'^\S+Z INFO task=nav page="[^"]+" action=save saved r\d+ -> r\d+: Navigation header',
                     result.stderr, re.M), result.stderr[-2000:]
    assert "DEBUG" in result.stderr  # -vv: the HTTP library's lines too
    password = devwiki.info().bot_password
    cookies = re.findall(r'Set-Cookie\d*: [^=]+=("?)([^";]+)\1', (devwiki.info().pywikibot_dir
                                                                 / "pywikibot-AdvocacyBot.lwp").read_text())
    values = [value for _, value in cookies if len(value) >= 8]
    assert values, "the bot logged in: its session cookies are in the jar"
    for secret in [password, *values]:
        assert secret not in result.stderr and secret not in result.stdout
    assert not re.search(r"[0-9a-f]{32}(\+\\|%2B%5C)", result.stderr, re.I)  # no CSRF token


def test_requests_carry_the_tools_user_agent(devwiki):
    from pywikibot.comms import http

    from advocacy_bot import __version__

    seen = []
    hook = lambda response, *args, **kwargs: seen.append(response.request.headers["User-Agent"])  # noqa: E731
    hooks = http.session.hooks.setdefault("response", [])
    hooks.append(hook)
    run = make_run(devwiki, unique_root("Agent"))
    try:
        run.start()
    finally:
        hooks.remove(hook)
        run.client.close()
    assert seen
    for agent in seen:
        assert agent.startswith(f"advocacy-bot/{__version__} (https://meta.wikimedia.org/wiki/Global_Advocacy; ")
        assert "User:AdvocacyBot" in agent and "Pywikibot/" in agent


def test_when_the_state_page_cannot_be_saved_no_page_gets_new_unit_ids(devwiki, tmp_path):
    root = unique_root("Run state")
    state = f"User:AdvocacyBot/state {root}.json"
    seed(devwiki, {root: "<languages/>\n<translate>\nWelcome.\n</translate>", f"{root}/About": "About us."})
    seed_json(devwiki, state, {JSON_KEY: "AdvocacyBot"})  # the bot's own (ownership.py)
    devwiki.protect(state, "sysop")  # the bot cannot record the ids it would give out
    settings = write_settings(tmp_path, root, bot_pages={"state": "User:<bot>/state " + root + ".json"})
    before = read_back(devwiki, root)[root]

    result, report = run_all(devwiki, tmp_path, settings, "--only", "nav,translate")
    errors = {(error["title"], error["code"]) for error in report["errors"]}
    assert result.returncode == 1, result.stderr
    # the root and the new header template would both get unit ids: neither is saved
    template = f"Template:{root}/Header"
    assert errors == {(state, "protected"), (root, "prerequisite-not-saved"), (template, "prerequisite-not-saved")}
    assert read_back(devwiki, root)[root].revid == before.revid  # neither its header nor its markers
    assert not read_back(devwiki, template)[template].exists
    # a page calls the header only once it renders: About keeps its text, waiting for the template
    assert read_back(devwiki, f"{root}/About")[f"{root}/About"].text == "About us."
    waiting = [skip for skip in report["skipped"] if skip["title"] == f"{root}/About"]
    assert [skip["code"] for skip in waiting] == ["waiting-for-header"]
    assert f"{template} does not render the tabs" in waiting[0]["message"]


def test_a_roster_not_written_yet_is_the_staff_tasks_skip_and_the_others_go_on(devwiki, tmp_path):
    # Issue 14: on a fresh tree without a roster, `run-all --dry-run` exited 2 and showed no diff at all.
    root = unique_root("No roster")
    roster = f"User:AdvocacyBot/roster {root}.json"
    seed(devwiki, {root: "<languages/>\nWelcome.\n", f"{root}/About": "About us.\n",
                   f"Talk:{root}": "{{User:MiszaBot/config|algo=old(1d)|archive=Talk:" + root + "/Archive %(counter)d"
                                   "|minthreadsleft=0|minthreadstoarchive=1}}\n== Old ==\nOld. 01:00, 1 January 2020 "
                                   "(UTC)\n"})
    settings = write_settings(tmp_path, root, staff={"roster": "wiki:User:<bot>/roster " + root + ".json"})
    for options in (("--dry-run",), ()):
        result, report = run_all(devwiki, tmp_path, settings, options=options)
        assert result.returncode == 0, (options, result.stderr)
        assert [(s["title"], s["code"]) for s in report["skipped"] if s["code"] == "no-roster"] == [
            (roster, "no-roster")]
        tasks = {entry["task"]: entry for entry in report["tasks"]}
        assert tasks["archive"]["edits"] == 2 and tasks["nav"]["edits"] >= 1, tasks
        if options:  # the dry run shows the other tasks' diffs
            assert f"--- Talk:{root} (r" in result.stdout and f"--- Template:{root}/Header (new page)" in result.stdout
    assert read_back(devwiki, f"Talk:{root}/Archive 1")[f"Talk:{root}/Archive 1"].exists


def test_one_users_edits_to_two_staff_lists_stop_no_other_work(devwiki, tmp_path):
    """Issue 14: a plain user removes one target's BEGIN/END comments and pads another's block with 20
    fake members. run-all: that target fails (exit 1, named), the padded one is synced from the bot's
    record (fakes gone), and the other tasks' pages are saved."""
    from .test_staff import team_page

    root = unique_root("Isolation")
    seed(devwiki, {root: team_page(), f"{root}/FAQ": team_page(), f"{root}/About": "About us.\n"})
    settings = write_settings(tmp_path, root, staff={"targets": [{"page": root, "form": "cards"},
                                                                 {"page": f"{root}/FAQ", "form": "cards"}]})
    first, _ = run_all(devwiki, tmp_path, settings, "--only", "staff")
    assert first.returncode == 0, first.stderr
    pages = read_back(devwiki, root, f"{root}/FAQ")
    span = sb.find_block(pages[root].text)
    fakes = "".join(f"\n* '''Fake Person {n}''' – Intern" for n in range(20))
    devwiki.create_accounts(["Plainuser"])
    devwiki.edit_as("Plainuser", root, pages[root].text[:span.content_end] + fakes + pages[root].text[span.content_end:])
    faq = pages[f"{root}/FAQ"].text
    devwiki.edit_as("Plainuser", f"{root}/FAQ", re.sub(r"<!--\s*(BEGIN|END) STAFF LIST.*?-->", "", faq, flags=re.S))
    before = read_back(devwiki, f"{root}/FAQ", f"{root}/About")

    result, report = run_all(devwiki, tmp_path, settings)
    assert result.returncode == 1, result.stderr
    assert [(e["title"], e["code"]) for e in report["errors"]] == [(f"{root}/FAQ", "no-staff-block")]
    assert f"{root}/FAQ has no staff block" in result.stderr
    after = read_back(devwiki, root, f"{root}/FAQ", f"{root}/About")
    assert [e.key for e in sb.read_entries(after[root].text).entries] == ["ana", "harumi", "liesbeth"]
    assert after[f"{root}/About"].revid != before[f"{root}/About"].revid  # the header reached it (nav)
    tasks = {entry["task"]: entry for entry in report["tasks"]}
    assert tasks["nav"]["edits"] >= 2 and tasks["staff"]["exit_code"] == 1 and tasks["nav"]["exit_code"] == 0
