"""The pure core on large inputs, without a wiki: a 2 MB talk page split and joined again, and the
whole synthetic tree planned as ``run-all`` plans it (every step, composed into one change per page)."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Iterable

from advocacy_bot.plan import Page
from advocacy_bot.report import RunReport
from advocacy_bot.settings import load_settings
from advocacy_bot.tree import TREE_NAMESPACES, in_tree
from advocacy_bot.wiki.session import SiteFacts

BOT = "AdvocacyBot"
NOW = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)


def talk_split(megabytes: float = 2.0) -> dict:
    """Split a talk page of about ``megabytes`` MB into threads and join it again (must be identical)."""
    from advocacy_bot.wikitext.talk_threads import split_threads
    from tests.fixtures.snapshot import large_talk_page

    wanted = megabytes * 1024 * 1024
    threads = int(wanted / (len(large_talk_page(200).text.encode("utf-8")) / 200))
    while len(text := large_talk_page(threads).text.encode("utf-8")) < wanted:
        threads += 50
    text = text.decode("utf-8")
    start = time.perf_counter()
    split = split_threads(text)
    joined = split.head + "".join(thread.text for thread in split.threads) + split.footer
    seconds = time.perf_counter() - start
    return {"bytes": len(text.encode("utf-8")), "threads": len(split.threads), "seconds": round(seconds, 3),
            "identical": joined == text, "per_thread_ms": round(1000 * seconds / max(len(split.threads), 1), 3)}


class MemoryRun:
    """What ``run_steps`` needs of a run, answered from pages in memory; ``apply`` only collects."""

    def __init__(self, pages: dict[str, Page], settings, languages: frozenset[str]):
        self.pages = pages
        self.settings = settings
        self.report = RunReport(task="plan", site="memory", dry_run=False)
        self.dry_run = False
        self.state_dir = None  # no local state kept: the archive journal stays in memory
        self.out = lambda text: None
        self.client = SimpleNamespace(bot_user=BOT, api_url="http://memory/api.php")
        self.bot_pages = settings.bot_pages.for_bot(BOT)
        self.site_facts = SiteFacts("en", languages, frozenset())
        self.changes = []

    first_read: dict[str, Page] = {}  # start() reads the root alone

    def start(self, also: Iterable[str] = ()) -> Page:
        return self.read([self.settings.root])[self.settings.root]

    def tree_titles(self, namespaces: Iterable[int] = tuple(TREE_NAMESPACES)) -> list[str]:
        return sorted(t for t, p in self.pages.items() if p.namespace in namespaces and in_tree(t, self.settings.root))

    def read(self, titles: Iterable[str]) -> dict[str, Page]:
        return {t: self.pages.get(t) or Page(t, 2 if t.startswith("User:") else 0, False) for t in titles}

    def read_tree(self, also: Iterable[str] = (), after_batch=None) -> tuple[dict[str, Page], dict[int, list[str]]]:
        listing = {namespace: self.tree_titles((namespace,)) for namespace in TREE_NAMESPACES}
        return self.read([*(title for titles in listing.values() for title in titles), *also]), listing

    def ask_users_along(self, names: Iterable[str]) -> None:
        """Nothing to ask: every name is an account here (existing_users)."""

    def translatable_pages(self):
        return None

    def existing_users(self, names: Iterable[str]) -> frozenset[str]:
        return frozenset(names)

    def refusal(self, page: Page):
        return ("redirect", "redirects are never edited") if page.redirect else None

    def apply(self, changes) -> None:
        self.changes.extend(changes)

    def saved_page(self, title: str) -> None:
        return None  # nothing is saved: a step after the saves reads the pages as they were


def plan_tree(size: int = 2000, settings_file=None) -> dict:
    """Plan the synthetic tree of ``size`` pages (its root's team list adopted, as on the wiki)."""
    from advocacy_bot.jobs.run_all import steps
    from advocacy_bot.pipeline import run_steps
    from advocacy_bot.roster import roster_source
    from advocacy_bot.tasks.staff import adopt_page
    from advocacy_bot.tree import namespace_prefix
    from tests.fixtures.snapshot import large_tree_pages

    settings = load_settings(settings_file)
    namespaces = {namespace_prefix(ns): ns for ns in TREE_NAMESPACES}
    namespaces["User:"] = 2
    pages = {}
    for page in large_tree_pages(size, 0.05):
        prefix = page.title.split(":", 1)[0] + ":" if ":" in page.title else ""
        pages[page.title] = Page(page.title, namespaces.get(prefix, 0), True, page.text, revid=1,
                                 redirect=page.redirect_target is not None, content_model=page.model)
    root = pages[settings.root]
    hint = roster_source(settings.staff.roster, BOT).hint
    pages[settings.root] = Page(root.title, 0, True, adopt_page(root, "The team", BOT, hint)[1].new_text, revid=1)
    languages = frozenset(title.rpartition("/")[2] for title, page in pages.items()
                          if "translated version of the page" in page.text) | {"en"}
    run = MemoryRun(pages, settings, languages)
    start = time.perf_counter()
    run_steps(run, steps(NOW))
    seconds = time.perf_counter() - start
    return {"pages": len(pages), "changes": len(run.changes), "seconds": round(seconds, 3),
            "per_page_ms": round(1000 * seconds / len(pages), 3)}


def table(split: dict, planned: dict) -> list[str]:
    return [
        f"talk page of {split['bytes'] / 1024 / 1024:.2f} MB, {split['threads']} threads: split and joined in "
        f"{split['seconds']:.3f} s ({split['per_thread_ms']:.3f} ms a thread); joined text identical: "
        + ("yes" if split["identical"] else "NO"),
        f"tree of {planned['pages']} pages planned as run-all plans it (every step, composed): {planned['seconds']:.2f} s"
        f" ({planned['per_page_ms']:.2f} ms a page), {planned['changes']} changes",
    ]
