"""Helpers for tests against a live dev wiki: seeding pages, building runs, a tiny test task."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import replace

from advocacy_bot.devwiki.manager import DevWiki
from advocacy_bot.plan import Page, PageChange, change_for
from advocacy_bot.report import RunReport
from advocacy_bot.settings import default_settings
from advocacy_bot.wiki.session import BotRun
from advocacy_bot.wiki.site import open_site

_counter = itertools.count()

# What every summary the bot saves ends with: the link to its user page (bot_pages.about's default).
ABOUT_LINK = " ([[User:AdvocacyBot|advocacy-bot]])"


def unique_root(label: str) -> str:
    """A root of its own for each test, so tests never see each other's pages."""
    return f"{label} {next(_counter)} {uuid.uuid4().hex[:6]}"


def make_run(wiki: DevWiki, root: str, dry_run: bool = False, out=None, **settings_changes) -> BotRun:
    settings = replace(default_settings(), root=root, **settings_changes)
    report = RunReport(task="test", site="dev", dry_run=dry_run)
    client = open_site("dev", wiki.directory)
    # The wiki's folder keeps the bot's local state (the archive journal), as for the command line.
    return BotRun(client, settings, report, dry_run=dry_run, out=out or (lambda text: None),
                  state_dir=wiki.directory)


HEADER = "{{Test header}}"


def ensure_header(page: Page) -> PageChange | None:
    """A pure test task: the page must start with the line {{Test header}} (like a nav header)."""
    if page.text.startswith(HEADER + "\n"):
        return None
    return change_for(page, f"{HEADER}\n{page.text}", "test: add the header line", "test", ensure_header)


def seed(wiki: DevWiki, pages: dict[str, str]) -> None:
    """Create pages as the human Admin, through MediaWiki's own import (one PHP run, no rebuild of
    the recent changes: see DevWiki.import_xml)."""
    from advocacy_bot.devwiki.export import SnapshotPage, export_xml

    path = wiki.directory / f"seed-{uuid.uuid4().hex}.xml"
    path.write_text(export_xml([SnapshotPage(title, text) for title, text in pages.items()]), encoding="utf-8")
    wiki.import_xml(path, recent_changes=False)  # a few pages: no rebuild of the whole wiki's lists
    path.unlink()


def read_back(wiki: DevWiki, *titles: str) -> dict[str, Page]:
    """The pages as the wiki has them now, read by a run of their own (what a test asserts on)."""
    run = make_run(wiki, "Reader")
    try:
        return run.read(titles)
    finally:
        run.client.close()


def seed_json(wiki: DevWiki, title: str, data) -> None:
    """Create a JSON page (content model json) as the human Admin."""
    import json

    from advocacy_bot.devwiki.export import SnapshotPage, export_xml

    path = wiki.directory / f"seed-{uuid.uuid4().hex}.xml"
    path.write_text(export_xml([SnapshotPage(title, json.dumps(data), model="json")]), encoding="utf-8")
    wiki.import_xml(path, recent_changes=False)  # a few pages: no rebuild of the whole wiki's lists
    path.unlink()


def dev_cli(wiki: DevWiki, *args: str, timeout: int = 300, env: dict[str, str] | None = None):
    """``advocacy-bot --site dev ARGS`` in a process of its own, as an operator runs it (``env``: more
    environment variables, e.g. ADVOCACY_FAULT)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, ADVOCACY_DEVWIKI_DIR=str(wiki.directory), **(env or {}))
    env.pop("PYWIKIBOT_DIR", None)  # the CLI chooses pywikibot's folder itself
    return subprocess.run([sys.executable, "-m", "advocacy_bot", "--site", "dev", *args], capture_output=True,
                          text=True, env=env, timeout=timeout)


def dev_cli_report(tmp_path, wiki: DevWiki, *args: str):
    """:func:`dev_cli` with ``--report-json``: the process result and the report it wrote."""
    import json

    report = tmp_path / f"report-{uuid.uuid4().hex[:6]}.json"
    result = dev_cli(wiki, "--report-json", str(report), *args)
    return result, json.loads(report.read_text())


def mark_header(wiki: DevWiki, template: str) -> None:
    """A translation admin marks the header template. On the shim wiki that is every unit getting its
    marker: then the template renders (as the real Translate renders one marked with transclusion)."""
    from advocacy_bot.wikitext.translate_markup import add_markers

    text = read_back(wiki, template)[template].text
    wiki.edit_as("Admin", template, add_markers(text), "Marked for translation")
