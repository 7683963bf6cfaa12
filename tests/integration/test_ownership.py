"""Issue 14 item 1, live: the pages the bot writes whole (header template, status, state, run log) are
only ever its own. Settings naming someone else's page stop every saving run before any save (exit 2,
the setting and the page named, the page intact); ``adopt`` hands a page over as one reviewed edit;
pages the bot created count as its own, marked or not. Every outcome is read back from the wiki."""

from __future__ import annotations

import json

import pytest

from advocacy_bot.ownership import JSON_KEY, carries_mark, mark_comment

from .helpers import read_back, seed, seed_json, unique_root
from .test_run_all import history, run_all, write_settings
from .test_cli import cli

pytestmark = pytest.mark.devwiki

BOT = "AdvocacyBot"
TALK = "== A thread ==\nA question. ~~~~\n\n== Another ==\nMore. ~~~~\n"


def tree(root: str) -> dict[str, str]:
    return {root: f"<languages/>\nWelcome to {root}.\n", f"{root}/About": "About us.\n"}


def revisions(devwiki, *titles: str) -> dict[str, int]:
    return {title: page.revid for title, page in read_back(devwiki, *titles).items()}


@pytest.mark.parametrize("kind", ["template", "status", "state", "run_log"])
def test_a_whole_page_setting_naming_someone_elses_page_stops_the_run(devwiki, tmp_path, kind):
    root = unique_root(f"Own {kind.replace('_', ' ')}")
    # Pages the bot may edit (the tree, its own user space), written by someone else.
    foreign = {"template": f"Template:{root} hand-made", "status": f"{root}/Notes",
               "state": f"User:{BOT}/{root} by Admin.json", "run_log": f"Talk:{root}"}[kind]
    seed(devwiki, tree(root))
    if kind == "state":
        seed_json(devwiki, foreign, {"mine": [1, 2, 3]})
    else:
        seed(devwiki, {foreign: "A page of its own, written by a human.\n" + TALK})
    setting = {"template": {"nav": {"template": foreign}}, "status": {"bot_pages": {"status": foreign}},
               "state": {"bot_pages": {"state": foreign}}, "run_log": {"bot_pages": {"run_log": foreign}}}[kind]
    settings = write_settings(tmp_path, root, **setting)
    before = revisions(devwiki, foreign, root, f"{root}/About")

    for options in ((), ("--dry-run",)):
        result, report = run_all(devwiki, tmp_path, settings, options=options)
        assert result.returncode == 2, (options, result.stderr)
        name = {"template": "nav.template", "run_log": "bot_pages.run_log"}.get(kind, f"bot_pages.{kind}")
        assert f"{name} names {foreign}, a page created by Admin that carries no mark of {BOT}" in result.stderr
        assert f"advocacy-bot adopt \"{foreign}\"" in result.stderr
        assert report["edits"] == []
    assert revisions(devwiki, foreign, root, f"{root}/About") == before


def test_the_header_template_must_be_a_template(devwiki, tmp_path):
    # Issue 14's reproduction: nav.template naming the talk page replaced its threads with the header.
    root = unique_root("Own talk")
    seed(devwiki, {**tree(root), f"Talk:{root}": TALK})
    settings = write_settings(tmp_path, root, nav={"template": f"Talk:{root}"})
    before = revisions(devwiki, f"Talk:{root}", root)
    result, _ = run_all(devwiki, tmp_path, settings)
    assert result.returncode == 2
    assert f"nav.template: 'Talk:{root}' is not in the Template namespace" in result.stderr
    assert revisions(devwiki, f"Talk:{root}", root) == before


def test_adopt_shows_the_edit_then_saves_it_and_the_next_run_writes_the_page(devwiki, tmp_path):
    root = unique_root("Own adopt")
    template = f"Template:{root}/Header"
    state = f"User:{BOT}/{root} by Admin.json"
    seed(devwiki, {**tree(root), template: "A hand-made header.\n"})
    seed_json(devwiki, state, {"notes": "kept"})
    settings = write_settings(tmp_path, root, bot_pages={"state": state})
    before = revisions(devwiki, template)

    shown = cli("--site", "dev", "--config", settings, "adopt", template, devwiki=devwiki)
    assert shown.returncode == 0, shown.stderr
    assert f"+{mark_comment(BOT)}" in shown.stdout and "not saved; add --save" in shown.stderr
    assert revisions(devwiki, template) == before
    wrong = cli("--site", "dev", "--config", settings, "adopt", f"Talk:{root}", devwiki=devwiki)
    assert wrong.returncode == 2 and "is not a page the bot writes whole" in wrong.stderr

    for title in (template, state):
        saved = cli("--site", "dev", "--config", settings, "adopt", title, "--save", devwiki=devwiki)
        assert saved.returncode == 0, saved.stderr
    adopted = read_back(devwiki, template, state)
    assert adopted[template].text == "A hand-made header.\n" + mark_comment(BOT)
    assert json.loads(adopted[state].text) == {"notes": "kept", JSON_KEY: BOT}
    assert history(devwiki, template)[-1]["comment"] == (
        "Handed to the bot: AdvocacyBot writes this page (nav.template) from its next run on; edits made here will "
        "be overwritten ([[User:AdvocacyBot|advocacy-bot]])")

    result, report = run_all(devwiki, tmp_path, settings, "--only", "nav")
    assert result.returncode == 0, result.stderr
    written = read_back(devwiki, template)[template]
    assert 'class="advocacy-nav"' in written.text and carries_mark(written, BOT)
    again = cli("--site", "dev", "--config", settings, "adopt", template, devwiki=devwiki)
    assert again.returncode == 0 and "already the bot's page" in again.stderr


def test_pages_the_bot_created_are_its_own_marked_or_not(devwiki, tmp_path):
    root = unique_root("Own created")
    template = f"Template:{root}/Header"
    seed(devwiki, tree(root))
    devwiki.edit_as(BOT, template, "An old header the bot wrote before it wrote marks.\n", "created by the bot")
    settings = write_settings(tmp_path, root)
    result, report = run_all(devwiki, tmp_path, settings, "--only", "nav")
    assert result.returncode == 0, result.stderr
    written = read_back(devwiki, template)[template]
    assert 'class="advocacy-nav"' in written.text and carries_mark(written, BOT)  # the mark came with a real change
    again, report = run_all(devwiki, tmp_path, settings, "--only", "nav")
    assert again.returncode == 0 and template not in [edit["title"] for edit in report["edits"]]
