"""Helpers of the reliability suite.

The lab: a dev wiki of its own with the demo tree, saved databases to start every case from, and the
bot run as a separate process (so that a fault can end it: ``ADVOCACY_FAULT``, see
``advocacy_bot/wiki/client.py``). :func:`run_all` runs run-all's steps in this process instead (on
the session's dev wiki, with the wiki layer's hooks). Every check reads the wiki back."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from advocacy_bot.jobs.run_all import steps
from advocacy_bot.devwiki.manager import DevWiki
from advocacy_bot.pipeline import run_steps
from advocacy_bot.tree import TREE_NAMESPACES, in_tree
from advocacy_bot.wiki.client import FAULT_VARIABLE
from advocacy_bot.wikitext.talk_threads import split_threads
from tests.fixtures.snapshot import DEMO_NOW

from ..integration.helpers import dev_cli, make_run

ROOT = "Global Advocacy"
BOT = "AdvocacyBot"
NOW = DEMO_NOW.strftime("%Y-%m-%dT%H:%MZ")
# The one-time setup bin/demo does: the demo's hand-written team lists wrapped in the staff block.
ADOPTIONS = ((ROOT, "The team"), (f"{ROOT}/FAQ", "Whom should I contact about a law in my country?"))


class Lab:
    """A dev wiki whose database can be put back to a saved state between cases."""

    def __init__(self, wiki: DevWiki, folder: Path):
        self.wiki = wiki
        self.folder = folder
        self.saved: set[str] = set()
        self._pace()

    # -- states of the wiki ---------------------------------------------------------------------
    def save(self, name: str) -> None:
        self.wiki.save_database(self.folder / f"db-{name}")
        self.saved.add(name)
        self._pace()

    def restore(self, name: str) -> None:
        self.wiki.restore_database(self.folder / f"db-{name}")
        self._pace()

    def _pace(self) -> None:
        """The bot's processes here send requests without pywikibot's 0.1 s pause between reads (pacing
        is pywikibot's, not under test; it would make each run about three times slower)."""
        pywikibot_dir = self.wiki.info().pywikibot_dir
        with (pywikibot_dir / "user-config.py").open("a") as config:  # rewritten at every start of the wiki
            config.write("minthrottle = 0\n")
        # A process ended by os._exit leaves its line in pywikibot's throttle.ctrl for ten minutes, and
        # pywikibot slows every later process down by the number of lines: the lab clears it.
        (pywikibot_dir / "throttle.ctrl").unlink(missing_ok=True)

    # -- the bot, as a process --------------------------------------------------------------------
    def run(self, *args: str, fault: str | None = None):
        """``advocacy-bot --site dev ARGS`` in a process of its own; ``fault`` is ADVOCACY_FAULT."""
        return dev_cli(self.wiki, *args, timeout=120, env={FAULT_VARIABLE: fault} if fault else None)

    def report_path(self) -> Path:
        return self.folder / f"report-{uuid.uuid4().hex[:8]}.json"

    # -- reading back ------------------------------------------------------------------------------
    def read(self, *titles: str) -> dict[str, str]:
        """The texts of ``titles`` that exist."""
        run = make_run(self.wiki, ROOT)
        try:
            return {title: page.text for title, page in run.read(titles).items() if page.exists}
        finally:
            run.client.close()

    def bot_edits(self) -> int:
        """How many edits the bot account has made on this wiki (its contributions)."""
        run = make_run(self.wiki, ROOT)
        try:
            params = {"list": "usercontribs", "ucuser": BOT, "uclimit": "max", "ucprop": "ids"}
            return len(run.client.query(**params)["query"]["usercontribs"])
        finally:
            run.client.close()

    def pages(self, root: str = ROOT) -> dict[str, str]:
        """Every page of the tree and of the bot's user space, with its text."""
        run = make_run(self.wiki, root)
        try:
            titles = [t for ns in TREE_NAMESPACES for t in run.reader.list_prefix(ns, root) if in_tree(t, root)]
            titles += run.reader.list_prefix(2, f"{BOT}/")
            return {title: page.text for title, page in run.read(titles).items() if page.exists}
        finally:
            run.client.close()


def thread_counts(pages: dict[str, str], talk: str, bodies: list[str]) -> dict[str, int]:
    """How often each thread body stands in ``talk`` and its subpages together."""
    texts = [text for title, text in pages.items() if title == talk or title.startswith(talk + "/")]
    return {body.split("\n", 1)[0]: sum(text.count(body) for text in texts) for body in bodies}


def thread_bodies(text: str) -> list[str]:
    return [thread.body for thread in split_threads(text).threads]


class Recomputes(logging.Handler):
    """Counts the wiki layer's re-reads after a conflict or a merge (its "recompute" log lines)."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def emit(self, record):
        self.count += getattr(record, "action", None) == "recompute"


def run_all(make, before_save=None):
    """run-all's steps in this process, on a run ``make()`` gives (``before_save``: the wiki layer's
    hook before each save); the report, with ``recomputes``: the re-reads after a conflict or merge."""
    run = make()
    run.applier.before_save = before_save
    handler = Recomputes()
    logger = logging.getLogger("advocacy_bot.wiki.apply")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        run_steps(run, steps(DEMO_NOW))
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        run.client.close()
    run.report.recomputes = handler.count
    return run.report


def start_lab(folder: Path, port: int) -> Lab:
    """The demo tree on a new dev wiki, the team lists adopted; saved as the state ``demo``."""
    from advocacy_bot.devwiki.manager import DEMO_SNAPSHOT

    wiki = DevWiki(folder / "wiki", log=lambda message: None)
    wiki.up(port=port, snapshot=DEMO_SNAPSHOT)
    lab = Lab(wiki, folder)
    for page, section in ADOPTIONS:
        result = lab.run("staff", "adopt", "--page", page, "--section", section, "--save")
        assert result.returncode == 0, result.stderr
    lab.save("demo")
    return lab
