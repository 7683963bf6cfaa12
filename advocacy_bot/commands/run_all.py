"""``run-all``: navigation, staff, translation markers and marking, archiving, status page, in one run.

The tree is read once; each task plans on the pages as the tasks before it left them; a page that
several tasks change gets one edit with one combined summary (see :mod:`advocacy_bot.pipeline`).
A task joins by adding its :class:`~advocacy_bot.pipeline.Step` to :func:`steps`, at its place.
"""

from __future__ import annotations

from datetime import datetime

import click

from ..outcomes import UsageProblem
from ..pipeline import Step, StepResult, run_steps
from ..roster import roster_source
from ..runner import Options, run_command
from ..runs import Run
from ..tasks.nav import WAITING as WAITING_FOR_HEADER
from . import nav, staff, translate
from .archive import _moment, archive_talk_pages, settle_journal

TASK = "run-all"


def steps(now: datetime | None = None) -> list[Step]:
    """Every task of run-all, in the order they run."""
    return [
        Step("nav", "navigation header", nav.sync_tree, preload=lambda run: [run.settings.nav.template]),
        Step("staff", "staff lists", staff.sync_targets, preload=_roster_page),
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


def _names(ctx, param, values) -> tuple[str, ...]:
    """``--only nav,staff`` or ``--only nav --only staff``; names checked against the steps."""
    known = [step.name for step in steps()]
    names = tuple(name.strip() for value in values for name in value.split(",") if name.strip())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise click.BadParameter(f"unknown task {', '.join(unknown)}; choose from {', '.join(known)}")
    return names


def selected(all_steps: list[Step], only: tuple[str, ...], skip: tuple[str, ...]) -> list[Step]:
    chosen = [step for step in all_steps if (not only or step.name in only) and step.name not in skip]
    if not chosen:
        raise click.BadParameter("--only and --skip leave no task to run")
    return chosen


@click.command("run-all")
@click.option("--only", multiple=True, callback=_names, metavar="TASK[,TASK]",
              help="Run only these tasks (repeatable or comma-separated).")
@click.option("--skip", multiple=True, callback=_names, metavar="TASK[,TASK]",
              help="Leave these tasks out (repeatable or comma-separated).")
@click.option("--now", default=None, metavar="TIME",
              help="Age talk-page threads as of this ISO 8601 time instead of now (tests, demonstrations).")
@click.pass_obj
def run_all(options: Options, only, skip, now):
    """Run every task in one run: navigation header, staff lists, translation markers and marking,
    talk-page archiving, translation status page, in that order.

    The tree is read once. When several tasks change the same page, their changes are composed into
    one edit with one combined summary. Every task's settings, roster and trust problems are found
    before the first save (any one: exit 2, nothing saved; --skip that task meanwhile). One report,
    with one entry per task; the exit code is the worst of the tasks'.
    """
    chosen = selected(steps(_moment(now)), only, skip)
    run_command(options, TASK, lambda run: run_steps(run, chosen), writes=True)


commands = [run_all]
