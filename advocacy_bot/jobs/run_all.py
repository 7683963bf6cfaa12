"""run-all's steps: each task's job in order, with the pages it reads besides the tree and the work it
does after the saves (marking through Translate, settling the archive journal)."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from pathlib import Path

from .. import __version__
from ..incremental import (
    Change,
    RunState,
    fingerprint,
    next_state,
    parse_wiki_time,
    reasons_in_changes,
    reasons_to_read,
    settles,
    state_file,
)
from ..outcomes import UsageProblem
from ..pipeline import SharedRead, Step, StepResult, run_steps
from ..report import TaskEntry
from ..roster import roster_source
from ..runs import Run
from ..tasks.archive import next_due
from ..tasks.nav import WAITING as WAITING_FOR_HEADER
from ..tree import TALK_NAMESPACE, bears_on_tree
from . import nav, staff, translate
from .archive import archive_talk_pages, settle_journal

log = logging.getLogger(__name__)

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


# -- incremental runs (incremental.py) ----------------------------------------------------------------

def run_incremental(run, chosen: list[Step], moment: datetime, full: bool = False) -> None:
    """run-all's body: every step on the whole tree when something can have changed the outcome
    since the last complete run (or ``full``), else nothing after one request.

    A complete run (not a dry run; exit 0, or 1 with only lasting errors) leaves the state the next one
    decides from."""
    if run.state_dir is None:  # nowhere to keep a state: every run is full
        run_steps(run, chosen)
        return
    path = state_file(run.state_dir, run.report.site)
    state = RunState.load(path, run.client.wiki_id)
    print_ = _fingerprint(run, chosen)
    watched = _own_pages(run, chosen)
    reasons = reasons_to_read(state, full_asked=full, print_=print_, clock=datetime.now(UTC), moment=moment)
    gate: dict[str, int] = {}
    counted: list[Change] = []
    position = ""
    if not reasons and state is not None:
        pages, entries, complete = run.recent_changes(state.since(), watched)
        position = pages[run.settings.root].read_at
        gate = {title: page.revid for title, page in pages.items()}
        reasons, counted = reasons_in_changes(
            state, changes=[Change.from_api(entry) for entry in entries], complete=complete, pages=gate,
            extensions=run.site_facts.extensions, in_tree=lambda title: bears_on_tree(title, run.settings.root))
        if not reasons:
            message = f"nothing changed since {state.position}; the tree was not read (--full reads it)"
            log.info(message, extra={"action": "incremental"})
            run.report.incremental = {"full": False, "since": state.since(), "reasons": []}
            for title, (code, reason) in state.failing.items():  # still failing: nothing changed them
                run.report.fail(title, code, f"{reason} (as of the last full read, {state.last_full})")
            run.report.tasks = [TaskEntry(step.name, 0, message="nothing changed") for step in chosen]
            if not run.dry_run:
                due = parse_wiki_time(state.next_due) if state.next_due else None
                next_state(state, wiki=run.client.wiki_id, position=position, full=False, print_=print_,
                           extensions=run.site_facts.extensions, pages=gate, next_due=due, seen=(),
                           own=()).save(path)
            return
    log.info("reading the whole tree: %s", "; ".join(reasons), extra={"action": "incremental"})
    run.report.incremental = {"full": True, "since": state.since() if state else "", "reasons": reasons}
    kept: list[SharedRead] = []
    run_steps(run, chosen, shared_read=kept.append)
    if run.dry_run or not kept or not settles(run.report.outcome_exit_code(), (e.code for e in run.report.errors)):
        return  # not complete: the next run decides from the last complete one
    shared = kept[0]
    saved = {edit.title: edit.new_revid for edit in run.report.edits if edit.new_revid}
    pages = {title: saved.get(title) or (shared.pages[title].revid if title in shared.pages else gate.get(title, 0))
             for title in watched}
    due = None
    if any(step.name == "archive" for step in chosen):
        moments = [next_due(shared.pages[title], run.settings.archive, moment)
                   for title in shared.listing.get(TALK_NAMESPACE, ()) if title in shared.pages]
        due = min((when for when in moments if when), default=None)
    read = {title: saved.get(title) or page.revid for title, page in shared.pages.items() if page.exists}
    failing = {entry.title: [entry.code, entry.message] for entry in run.report.errors}
    next_state(state, wiki=run.client.wiki_id, position=position or run.started_at, full=True, print_=print_,
               extensions=run.site_facts.extensions, pages=pages, next_due=due, seen=counted,
               own=saved.values(), read=read, failing=failing).save(path)


def _own_pages(run, chosen: list[Step]) -> list[str]:
    """The pages besides the tree whose change changes a run's outcome: the root, the pages the bot
    writes whole (not the run log: nobody's line there changes a plan), the steps' own pages."""
    whole = [entry.title for entry in run.whole_pages() if entry.title != run.bot_pages.run_log]
    return list(dict.fromkeys([run.settings.root, *whole, *(t for step in chosen for t in step.preload(run))]))


def _fingerprint(run, chosen: list[Step]) -> str:
    """The settings (the file's with the on-wiki page's laid over), the tasks, the bot's version, and a
    local roster file's content (its changes show in no recent changes)."""
    roster = run.settings.staff.roster
    roster_file = ""
    if roster and not roster.startswith("wiki:") and Path(roster).is_file():
        roster_file = hashlib.sha256(Path(roster).read_bytes()).hexdigest()
    return fingerprint(run.settings, [step.name for step in chosen], __version__, roster_file)
