"""run-all's steps: each task's job in order, with the pages it reads besides the tree and the work it
does after the saves (marking through Translate, settling the archive journal)."""

from __future__ import annotations

from datetime import datetime

from ..outcomes import UsageProblem
from ..pipeline import Step, StepResult
from ..roster import roster_source
from ..runs import Run
from ..tasks.nav import WAITING as WAITING_FOR_HEADER
from . import nav, staff, translate
from .archive import archive_talk_pages, settle_journal

TASK = "run-all"


def steps(now: datetime | None = None) -> list[Step]:
    """Every task of run-all, in the order they run."""
    return [
        Step("nav", "navigation header", nav.sync_tree, preload=lambda run: [run.settings.nav.template]),
        Step("staff", "staff lists", staff.sync_targets, preload=_roster_page, along=staff.ask_roster_users_along),
        Step("translate", "translation markers and marking", _translate_markers,
             preload=lambda run: [run.bot_pages.state], after=_translate_marking),
        Step("archive", "talk-page archiving", lambda run: archive_talk_pages(run, (), now),
             after=lambda run, result: settle_journal(run, result.edits)),
        # The status page reports what the marking above did: planned once those saves are made.
        Step("status", "translation status page", translate.status_tree,
             preload=lambda run: [run.bot_pages.status], after_saves=True),
    ]


def _roster_page(run) -> list[str]:
    """The on-wiki roster page, if the settings name one (a problem is the staff step's to report)."""
    try:
        source = roster_source(run.settings.staff.roster, run.client.bot_user)
    except UsageProblem:
        return []
    return [source.page] if source.page else []


def _translate_markers(run: Run) -> None:
    """Where the wiki has no Translate the bot writes the markers itself: planned with the other
    tasks, so a page's markers come in the same edit as its header or staff list."""
    if not run.site_facts.has_translate:
        translate.mark_tree(run)


def _translate_marking(run, result: StepResult) -> None:
    """Where the wiki has Translate, it marks the pages itself, at the revisions just saved. A page
    still waiting for the header is not asked for: it changes once the header renders, and would
    need a second marking."""
    if run.site_facts.has_translate:
        waiting = frozenset(entry.title for entry in run.report.skipped if entry.code == WAITING_FOR_HEADER)
        translate.mark_tree(run, hold=waiting)
