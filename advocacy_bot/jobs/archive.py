"""The archiving job (``archive``, run-all's archive step): plan each talk page with ``tasks/archive.py``,
keep the moves in the journal before the first save, apply, settle the journal after the saves."""

from __future__ import annotations

from datetime import UTC, datetime

from ..archive_journal import journal_of
from ..outcomes import UsageProblem
from ..runs import Run
from ..tasks.archive import plan_talk_page
from ..tree import TALK_NAMESPACE, in_tree, named_pages_problem
from ..wikitext.titles import normalize_title


def archive_talk_pages(run: Run, titles=(), now: datetime | None = None) -> None:
    """The command's body: plan and apply archiving for the named talk pages, or for every talk page
    of the tree that has a configuration. Results go to the run's report."""
    now = now or datetime.now(UTC)
    run.start()
    root = run.settings.root
    listed = run.tree_titles(namespaces=(TALK_NAMESPACE,))
    wanted = [normalize_title(title) for title in titles]
    for title in wanted:
        if not (title.startswith("Talk:") and in_tree(title, root)):
            raise UsageProblem(f"--page {title!r} is not a talk page of the tree under {root!r}")
    # The talk pages with their subpages (archives, index) in one batched read.
    problem = named_pages_problem(wanted, listed, root)
    if problem:
        raise UsageProblem(problem)
    needed = [title for title in listed
              if not wanted or any(title == page or title.startswith(page + "/") for page in wanted)]
    pages = run.read(needed + [title for title in wanted if title not in needed])
    journal = journal_of(run)
    for title in wanted or listed:
        talk = pages[title]
        if not talk.exists:
            run.report.skip(title, "missing", "the talk page does not exist")
            continue
        plan = plan_talk_page(talk, pages, run.settings.archive, now, journal.records(title))
        if plan is None:
            if wanted:
                run.report.skip(title, "no-archive-config", "no {{User:MiszaBot/config}} at the top of the page")
            continue
        run.out(plan.describe())
        if plan.refused:
            run.report.skip(title, plan.refusal_code, plan.refused)
            continue
        refusal = run.refusal(talk) if plan.moves else None
        if refusal:
            # The talk page cannot be saved: copying its threads to an archive would double them.
            run.report.record(title, *refusal)
            continue
        if not run.dry_run:
            journal.keep(title, plan.journal)  # before the first save: see archive_journal
        run.apply(plan.changes)
        settle_journal(run, run.report.edits, journal)


def settle_journal(run, edits, journal=None) -> None:
    """Drop the journal's records of the talk pages whose save ``edits`` shows (run-all calls
    this after its saves; a planning run's edits are none yet)."""
    if not run.dry_run:
        (journal or journal_of(run)).settle(edit.title for edit in edits if edit.new_revid)
