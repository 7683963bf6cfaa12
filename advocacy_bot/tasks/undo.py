"""Undo a run: put back what each page said before the run, only where nobody edited it since.

Pure: a run report's data and the pages as read now in, changes out. A page is reverted only when
its latest revision is still exactly the revision the run saved (the report's last ``new_revid`` for
it); a page edited since is left alone and listed, as is a page the run created (reverting a
creation is a deletion, which is an administrator's decision).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..outcomes import UsageProblem
from ..plan import Page, PageChange, change_for

TASK = "undo"


@dataclass(frozen=True)
class PageUndo:
    """What the run did to one page: from ``old_revid`` (None: it created the page) to ``new_revid``."""

    title: str
    old_revid: int | None
    new_revid: int
    edits: int = 1


def edits_to_undo(data: Any, source: str) -> tuple[str, str, list[PageUndo]]:
    """The report's task, site and one :class:`PageUndo` per page it saved (several edits of one
    page in one run make one entry, from the first old revision to the last new one)."""
    if not isinstance(data, dict) or not isinstance(data.get("edits"), list):
        raise UsageProblem(f"{source} is not a run report (no 'edits' list)")
    if data.get("dry_run"):
        raise UsageProblem(f"{source} is the report of a dry run: it saved nothing to undo")
    pages: dict[str, PageUndo] = {}
    for index, edit in enumerate(data["edits"]):
        try:
            title, old, new = edit["title"], edit["old_revid"], edit["new_revid"]
        except (KeyError, TypeError):
            raise UsageProblem(f"{source}: edit {index + 1} lacks title, old_revid or new_revid") from None
        if not isinstance(title, str) or not isinstance(new, int) or not (old is None or isinstance(old, int)):
            raise UsageProblem(f"{source}: edit {index + 1} has no saved revision to undo")
        known = pages.get(title)
        pages[title] = (PageUndo(title, old, new) if known is None
                        else PageUndo(title, known.old_revid, new, known.edits + 1))
    return str(data.get("task", "?")), str(data.get("site", "?")), list(pages.values())


def other_wiki(data: dict, source: str, wiki_id: str) -> str | None:
    """Why the report at ``source`` cannot be undone on the wiki ``wiki_id``, or None when it is that
    wiki's. Revision ids alone prove nothing: two dev wikis seeded alike number their edits alike."""
    reported = data.get("wiki")
    if not reported:
        return (f"{source} does not name the wiki it was made on (a report older than wiki ids), so it "
                "cannot be told from another wiki's; revert its edits by hand")
    if reported != wiki_id:
        return f"{source} reports a run on the wiki {reported!r}; this wiki is {wiki_id!r}: undo it there"
    return None


def left_alone(undo: PageUndo, page: Page) -> tuple[str, str] | None:
    """Why ``page`` is not reverted, as (kind, message) with kind ``missing`` (deleted since),
    ``edit-conflict`` (edited since) or ``created`` (by the run); None: it can be reverted."""
    if not page.exists:
        return "missing", "deleted since the run"
    if page.revid != undo.new_revid:
        return "edit-conflict", (f"edited since the run (now r{page.revid}, the run saved r{undo.new_revid}); "
                                 "a later edit is never reverted")
    if undo.old_revid is None:
        return "created", (f"created by the run (r{undo.new_revid}); the bot does not delete pages: an "
                           "administrator can, if it should go")
    return None


def undo_change(undo: PageUndo, page: Page, old_text: str, run_task: str) -> PageChange | None:
    """The edit that restores ``old_text`` (revision ``undo.old_revid``) over the run's revision.

    No recompute: after a conflict the page has a later edit, and a later edit is never reverted.
    """
    edits = f"the {undo.edits} edits" if undo.edits > 1 else "the edit"
    summary = f"Undo: {edits} of advocacy-bot's {run_task} run (r{undo.new_revid}), back to r{undo.old_revid}"
    return change_for(page, old_text, summary, TASK, None)
