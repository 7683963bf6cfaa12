"""Undo's pure part: which pages of a run report can be reverted, and the reverting edit."""

from __future__ import annotations

import pytest

from advocacy_bot.outcomes import UsageProblem
from advocacy_bot.plan import Page
from advocacy_bot.tasks.undo import PageUndo, edits_to_undo, left_alone, undo_change


def report(edits, dry_run=False):
    return {"task": "run-all", "site": "dev", "dry_run": dry_run, "edits": edits}


def test_several_edits_of_one_page_are_undone_as_one():
    task, site, undos = edits_to_undo(report([
        {"title": "A", "old_revid": 10, "new_revid": 12, "summary": "s"},
        {"title": "B", "old_revid": None, "new_revid": 13, "summary": "s"},
        {"title": "A", "old_revid": 12, "new_revid": 14, "summary": "s"},
    ]), "r.json")
    assert (task, site) == ("run-all", "dev")
    assert undos == [PageUndo("A", 10, 14, 2), PageUndo("B", None, 13)]


@pytest.mark.parametrize("data, message", [
    (report([], dry_run=True), "dry run"),
    ({"task": "x"}, "not a run report"),
    (report([{"title": "A", "old_revid": 1, "new_revid": None}]), "no saved revision"),
    (report([{"title": "A"}]), "lacks title, old_revid or new_revid"),
])
def test_reports_that_cannot_be_undone_are_refused(data, message):
    with pytest.raises(UsageProblem, match=message):
        edits_to_undo(data, "r.json")


def test_only_a_page_still_at_the_runs_revision_is_reverted():
    undo = PageUndo("A", 10, 12)
    assert left_alone(undo, Page("A", 0, True, "bot text", 12)) is None
    assert left_alone(undo, Page("A", 0, True, "human text", 15))[0] == "edit-conflict"
    assert left_alone(undo, Page("A", 0, False))[0] == "missing"
    assert left_alone(PageUndo("B", None, 13), Page("B", 0, True, "new", 13))[0] == "created"


def test_the_reverting_edit_restores_the_old_text_and_never_recomputes():
    current = Page("A", 0, True, "bot text", 12)
    change = undo_change(PageUndo("A", 10, 12, 2), current, "human text", "nav sync")
    assert change.base == current and change.new_text == "human text" and change.recompute is None
    assert change.summary == "Undo: the 2 edits of advocacy-bot's nav sync run (r12), back to r10"
    assert undo_change(PageUndo("A", 10, 12), current, "bot text", "nav sync") is None
