"""The undo job: revert the edits a run report lists, page by page, never over a later edit; the pages
left alone are listed on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..outcomes import UsageProblem
from ..report import Drift
from ..tasks import undo as task


def undo_report(run, path: Path) -> None:
    """The command's body: read the report, the pages and the old revisions; revert what can be."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise UsageProblem(f"cannot read the run report {path}: {error}") from error
    run_task, site, undos = task.edits_to_undo(data, str(path))
    if site != run.client.name:
        raise UsageProblem(f"{path} reports a run on {site!r}, not on {run.client.name!r}: undo it there")
    run.start()  # learns the wiki's identity (siteinfo) with the first read
    wrong = task.other_wiki(data, str(path), run.client.wiki_id)
    if wrong:
        raise UsageProblem(wrong + "; nothing reverted")
    pages = run.read([undo.title for undo in undos])
    revertible = []
    for undo in undos:
        why = task.left_alone(undo, pages[undo.title])
        if why is None:
            revertible.append(undo)
            continue
        kind, message = why
        click.echo(f"{undo.title}\t{message}")
        if kind == "missing":
            run.report.skip(undo.title, "missing", message)
        elif kind == "edit-conflict":
            run.report.fail(undo.title, "edit-conflict", message)
        else:  # created: listed as drift, the page still differs from before the run
            run.report.drift.append(Drift(undo.title, message))
    texts = run.revision_texts(undo.old_revid for undo in revertible)
    changes = []
    for undo in revertible:
        if undo.old_revid not in texts:
            run.report.fail(undo.title, "api-error", f"the text of r{undo.old_revid} is hidden or deleted")
            continue
        change = task.undo_change(undo, pages[undo.title], texts[undo.old_revid], run_task)
        if change:
            changes.append(change)
    run.apply(changes)
