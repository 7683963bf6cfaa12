"""``staff sync|check|adopt``: one roster, rendered identically wherever the team is listed."""

from __future__ import annotations

import click

from ..jobs.staff import prepared, report_translations, sync_targets, target_plans
from ..outcomes import UsageProblem
from ..report import Drift
from ..roster import (
    roster_source,
    roster_yaml,
)
from ..runner import Options, run_command
from ..tasks import staff as task
from ..tree import TREE_NAMESPACES, has_translate_markup, named_pages_problem, split_language
from ..wikitext.staff_block import AdoptProblem


@click.group()
def staff():
    """Keep every team list in step with one roster (settings: staff.roster, staff.targets).

    \b
    staff adopt --page TITLE --section HEADING [--save]   start from a hand-written list
    staff check                                           report differences (exit 1 if any)
    staff sync [--force]                                  rewrite each target's staff block
    """


@staff.command("sync")
@click.option("--force", is_flag=True,
              help="Save even where the roster would remove more than half of the members a page shows.")
@click.pass_obj
def sync(options: Options, force: bool):
    """Rewrite the staff block of every target from the roster.

    Only the block between the BEGIN/END STAFF LIST comments changes; translation pages are never
    edited (a stale one is reported as pending-remark). A roster that would remove more than half
    of a list stops the run (exit 2) unless --force is given.
    """
    run_command(options, "staff sync", lambda run: sync_targets(run, force), writes=True)


@staff.command("check")
@click.pass_obj
def check(options: Options):
    """Report where a target differs from the roster, without editing (exit 1 if any does)."""
    def body(run):
        job = prepared(run)
        if job is None:
            return
        for plan in target_plans(run, job, force=False):
            if plan.differences:
                what = "; ".join(plan.differences)
                if plan.needs_force:
                    what += " (more than half of the list: sync needs --force)"
                run.report.drift.append(Drift(plan.title, what))
                click.echo(f"{plan.title}\t{what}")
        report_translations(run, job)

    run_command(options, "staff check", body, writes=False)


@staff.command("adopt")
@click.option("--page", "title", required=True, help="The page that shows the hand-written team list.")
@click.option("--section", "heading", required=True, help="The heading of the section that holds the list.")
@click.option("--save", is_flag=True, help="Save one edit that wraps the list in the bot's staff block.")
@click.pass_obj
def adopt(options: Options, title: str, heading: str, save: bool):
    """Print the roster a hand-written team section shows (YAML, to start the roster from).

    With --save, make one edit that only wraps the section's list in the staff block, so that the
    next sync shows what changes. A list inside <translate> is moved out of it (the <translate> is
    closed before the block and reopened after), and the ids of the units it was part of are retired.
    """
    def body(run):
        run.start()
        # a typo or a page outside the tree is refused before anything is read or saved; the
        # namespace's listing rode on the first request for the main namespace
        namespaces = [ns for ns, name in TREE_NAMESPACES.items() if name and title.startswith(name + ":")] or [0]
        problem = named_pages_problem([title], run.tree_titles(namespaces), run.settings.root)
        if problem:
            raise UsageProblem(problem)
        bot = run.client.bot_user
        languages = run.site_facts.languages
        split = split_language(title, languages)
        pages = run.read([title] + ([split[0]] if split else []))
        page = pages[title]
        if not page.exists or page.redirect:
            raise UsageProblem(f"{title} {'does not exist' if not page.exists else 'is a redirect'}")
        if split and pages[split[0]].exists and has_translate_markup(pages[split[0]].text) and save:
            raise UsageProblem(f"{title} is a translation page; translation pages are never edited: "
                               f"adopt the list on {split[0]}")
        hint = roster_source(run.settings.staff.roster, bot).hint if run.settings.staff.roster else "the team roster"
        try:
            adoption, change = task.adopt_page(page, heading, bot, hint)
        except AdoptProblem as problem:
            raise UsageProblem(f"{title}: {problem}") from problem
        click.echo(roster_yaml(task.members_from_entries(adoption.entries)), nl=False)
        if change is None:
            click.echo(f"{title}: the section's list is already in the staff block; nothing to save", err=True)
        elif save or run.dry_run:
            run.apply([change])
        else:
            click.echo(f"{title}: not saved; add --save to wrap the list in the staff block", err=True)

    run_command(options, "staff adopt", body, writes=save)


commands = [staff]
