"""The naive peer of ``run-all``: a plain pywikibot loop, page by page.

It does the same work as ``run-all`` (the same planning code: :func:`advocacy_bot.pipeline.run_steps`
with the same steps, so both runs must end with the same pages), with the I/O of a simple pywikibot
script: the tree listed with ``site.allpages``, each page read on its own (``Page.get``: one request
a page), each changed page saved on its own (``Page.save``), no batching, no verification reads.

``python -m bench.naive --config FILE --now TIME`` runs it (as a child of ``python -m bench``, with
``PYWIKIBOT_DIR`` set to the dev wiki's pywikibot folder) and prints one JSON line: API requests,
edits, errors.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from functools import cached_property
from types import SimpleNamespace
from typing import Iterable
from urllib.parse import urlsplit

from advocacy_bot.plan import Page
from advocacy_bot.report import Edit, RunReport
from advocacy_bot.tree import TREE_NAMESPACES, in_tree
from advocacy_bot.wiki.session import SiteFacts


def snapshot(page, text: str | None) -> Page:
    """Our ``Page`` of a loaded pywikibot page (``text`` None: the page does not exist)."""
    if text is None:
        return Page(page.title(), page.namespace().id, False)
    revision = page.latest_revision
    return Page(page.title(), page.namespace().id, True, text, revision.revid, revision.timestamp.isoformat(),
                redirect=page.isRedirectPage(), content_model=revision.slots["main"]["contentmodel"])


class NaiveRun:
    """What ``run_steps`` needs of a run, done the way a plain pywikibot loop does it."""

    def __init__(self, site, settings):
        self.site = site
        self.settings = settings
        self.report = RunReport(task="naive", site="dev", dry_run=False)
        self.dry_run = False
        self.state_dir = None  # no local state kept: the archive journal stays in memory
        self.out = lambda text: None
        user = site.username()
        self.client = SimpleNamespace(bot_user=user, api_url=site.base_url(site.apipath()))
        self.bot_pages = settings.bot_pages.for_bot(user)
        self._loaded: dict[str, object] = {}  # title -> the pywikibot Page as last read (its base revision)

    # -- reading: one page a request -----------------------------------------------------------
    first_read: dict[str, Page] = {}  # start() reads the root alone; ``also`` waits for read_tree

    def start(self, also: Iterable[str] = ()) -> Page:
        return self.read([self.settings.root])[self.settings.root]

    def tree_titles(self, namespaces: Iterable[int] = tuple(TREE_NAMESPACES)) -> list[str]:
        titles = []
        for namespace in namespaces:
            titles += [page.title() for page in self.site.allpages(prefix=self.settings.root, namespace=namespace)]
        return sorted(t for t in titles if in_tree(t, self.settings.root))

    def read(self, titles: Iterable[str]) -> dict[str, Page]:
        import pywikibot
        from pywikibot.exceptions import NoPageError

        pages = {}
        for title in dict.fromkeys(titles):
            page = pywikibot.Page(self.site, title)
            try:
                pages[title] = snapshot(page, page.get(get_redirect=True))
            except NoPageError:
                pages[title] = snapshot(page, None)
            self._loaded[page.title()] = page
        return pages

    def read_tree(self, also: Iterable[str] = (), after_batch=None) -> tuple[dict[str, Page], dict[int, list[str]]]:
        """One listing per namespace, then every page (the root aside: start() read it) on its own.
        ``after_batch`` (what run-all's steps would ask along with a batch) is not used: a pywikibot
        script asks for the accounts on its own (``existing_users``)."""
        listing = {namespace: self.tree_titles((namespace,)) for namespace in TREE_NAMESPACES}
        titles = [title for titles in listing.values() for title in titles if title != self.settings.root]
        return self.read([*titles, *also]), listing

    @cached_property
    def site_facts(self) -> SiteFacts:
        info = self.site.siteinfo
        return SiteFacts(info["lang"], frozenset(entry["code"] for entry in info["languages"]),
                         frozenset(entry.get("name", "") for entry in info["extensions"]))

    def translatable_pages(self):
        return None  # the dev wiki has no Translate

    def ask_users_along(self, names: Iterable[str]) -> None:
        """A pywikibot script asks for the accounts when it needs them (existing_users), not along."""

    def existing_users(self, names: Iterable[str]) -> frozenset[str]:
        return frozenset(user["name"] for user in self.site.users(list(names)) if "missing" not in user)

    def refusal(self, page: Page):
        if page.redirect:
            return "redirect", "redirects are never edited"
        loaded = self._loaded.get(page.title)
        if loaded is not None and page.exists and not loaded.botMayEdit():
            return "nobots", "excluded by {{bots}}/{{nobots}}"
        return None

    # -- saving: one page at a time ------------------------------------------------------------
    def saved_page(self, title: str) -> None:
        """A plain loop does not keep what its saves stored: a page saved is read again if asked for."""
        return None

    def apply(self, changes) -> None:
        import pywikibot
        from pywikibot.exceptions import PageSaveRelatedError

        for change in changes:
            if change is None or not change.changes_text:
                continue  # a render to check, nothing to write (the naive loop checks no render)
            if not in_tree(change.title, self.settings.root) and change.title not in self.bot_pages.titles():
                continue
            page = self._loaded.get(change.title) or pywikibot.Page(self.site, change.title)
            page.text = change.new_text
            try:  # pywikibot's own checks: {{bots}}/{{nobots}}, edit conflicts (the base revision read)
                page.save(summary=change.summary, minor=False, bot=True, quiet=True)
            except PageSaveRelatedError as error:
                self.report.fail(change.title, "api-error", str(error))
                continue
            self.report.edits.append(Edit(change.title, change.base.revid or None, None, change.summary))


def pywikibot_settings(config) -> dict:
    """The pywikibot settings that pace a run (printed by the benchmark for both runs)."""
    return {name: getattr(config, name) for name in ("put_throttle", "write_maxlag", "read_maxlag", "minthrottle",
                                                     "maxthrottle")}


def run_peer(run_class: type[NaiveRun]) -> int:
    """``--config FILE --now TIME``: run-all's steps on a ``run_class`` run; one JSON line of numbers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--now", required=True, help="ISO 8601 time for the archiving step")
    args = parser.parse_args()

    import pywikibot
    from pywikibot import config
    from pywikibot.comms import http

    from advocacy_bot.jobs.run_all import steps
    from advocacy_bot.pipeline import run_steps
    from advocacy_bot.settings import load_settings
    from advocacy_bot.wiki.client import RequestCounter

    config.put_throttle = 0
    counter = RequestCounter()  # installed first: what pywikibot asks while it makes the site counts too
    http.session.hooks.setdefault("response", []).append(counter)
    site = pywikibot.Site()
    counter.host = urlsplit(site.base_url(site.apipath())).netloc
    site.login()
    run = run_class(site, load_settings(args.config))
    run_steps(run, steps(datetime.fromisoformat(args.now)))
    print(json.dumps({"api_requests": counter.count, "edits": len(run.report.edits),
                      "errors": [f"{e.title}: {e.code}" for e in run.report.errors],
                      "by_action": counter.by_action, "config": pywikibot_settings(config)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(run_peer(NaiveRun))
