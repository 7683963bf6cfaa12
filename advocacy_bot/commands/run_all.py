"""``run-all``: navigation, staff, translation markers and marking, archiving, status page, in one run.

The tree is read once; each task plans on the pages as the tasks before it left them; a page that
several tasks change gets one edit with one combined summary (see :mod:`advocacy_bot.pipeline`).
A task joins by adding its :class:`~advocacy_bot.pipeline.Step` to :func:`steps`, at its place.
"""

from __future__ import annotations

import click

from ..jobs.run_all import TASK, run_incremental, steps
from ..pipeline import Step
from ..runner import Options, run_command
from .archive import parse_moment


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
@click.option("--full", is_flag=True,
              help="Read the whole tree even if nothing changed since the last complete run.")
@click.pass_obj
def run_all(options: Options, only, skip, now, full):
    """Run every task in one run: navigation header, staff lists, translation markers and marking,
    talk-page archiving, translation status page, in that order.

    The tree is read once. When several tasks change the same page, their changes are composed into
    one edit with one combined summary. Every task's settings, roster and trust problems are found
    before the first save (any one: exit 2, nothing saved; --skip that task meanwhile). One report,
    with one entry per task; the exit code is the worst of the tasks'.

    Incremental: after a complete run, the next one first asks the wiki what changed since (one
    request). It reads the whole tree only when a page of the tree or one of the bot's own pages
    changed, a talk-page thread became due, the settings, tasks or bot changed, the last full read is
    a day old, or with --full; otherwise it ends there, having saved nothing.

    While `advocacy-bot watch` runs for the same wiki, run-all saves nothing and exits 0: the watch
    does its work (a scheduled run-all beside a watch job sends no failure e-mails).
    """
    moment = parse_moment(now)
    chosen = selected(steps(moment), only, skip)
    run_command(options, TASK, lambda run: run_incremental(run, chosen, moment, full), writes=True,
                yield_to_watch=True)


commands = [run_all]
