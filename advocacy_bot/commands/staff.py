"""``staff sync|check|adopt``: one roster, rendered identically wherever the team is listed."""

from __future__ import annotations

from dataclasses import dataclass

import click

from ..outcomes import UsageProblem
from ..plan import Page
from ..report import Drift
from ..roster import (
    Roster,
    RosterSource,
    check_usernames,
    load_roster_text,
    read_roster_file,
    roster_source,
    roster_yaml,
    trust_problem,
)
from ..runner import Options, run_command
from ..runs import Run
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


@dataclass
class _Job:
    roster: Roster
    source: RosterSource
    pages: dict[str, Page]
    translations: dict[str, list[str]]  # target -> its translation pages
    state: dict | None = None  # the bot's state page: what it last wrote on each target


class _NoRoster(Exception):
    """The on-wiki roster page does not exist yet: the staff task's own skip, not the run's problem."""

    def __init__(self, title: str, message: str):
        super().__init__(message)
        self.title = title


def _prepared(run) -> _Job | None:
    """:func:`_prepare`, with a roster not written yet reported as the task's ``no-roster`` skip (None)."""
    try:
        return _prepare(run)
    except _NoRoster as waiting:
        run.report.skip(waiting.title, "no-roster", str(waiting))
        return None


def _prepare(run) -> _Job:
    """Read the targets, their translation pages, the roster and the state page (one batch); validate
    the roster.

    Any problem with the roster (trust, fields, accounts) stops the run here: exit 2, nothing edited.
    A roster page that does not exist yet is :class:`_NoRoster`.
    """
    run.start()
    settings = run.settings.staff
    if not settings.targets:
        raise UsageProblem("staff.targets is empty: list the pages that show the team in the settings")
    source = roster_source(settings.roster, run.client.bot_user)
    languages = run.site_facts.languages
    targets = [target.page for target in settings.targets]
    namespaces = sorted({_namespace(title) for title in targets})
    listed = run.tree_titles(namespaces)
    translations = {title: [t for t in listed if (split_language(t, languages) or ("",))[0] == title]
                    for title in targets}
    # A target that is itself a translation page is a settings error; its source tells.
    sources = [split[0] for split in (split_language(title, languages) for title in targets) if split]
    wanted = targets + [t for group in translations.values() for t in group] + sources
    pages = run.read(wanted + ([source.page] if source.page else []) + [run.bot_pages.state])
    for title in targets:
        split = split_language(title, languages)
        if split and pages[split[0]].exists and has_translate_markup(pages[split[0]].text):
            raise UsageProblem(f"staff target {title} is a translation page of {split[0]}; translation pages "
                               "are never edited: list the source page instead")
    if source.page:
        page = pages[source.page]
        if not page.exists:
            raise _NoRoster(page.title, f"the roster page {page.title} does not exist yet: write the team there "
                            f"(User:{run.client.bot_user}/roster.json, or a page only administrators can edit)")
        problem = trust_problem(page, run.client.bot_user)
        if problem:
            raise UsageProblem(problem)
        roster = load_roster_text(page.text, source.page, "json")
    elif source.path:
        roster = read_roster_file(source.path)
    else:  # roster_source gives a page or a path
        raise UsageProblem("staff.roster names no roster")
    if roster.usernames:
        check_usernames(roster, run.existing_users(roster.usernames))
    return _Job(roster, source, pages, translations, task.read_records(pages[run.bot_pages.state]))


def _namespace(title: str) -> int:
    prefix = title.split(":", 1)[0] if ":" in title else ""
    return next((ns for ns, name in TREE_NAMESPACES.items() if name and name == prefix), 0)


def _plans(run, job: _Job, force: bool) -> list[task.TargetPlan]:
    bot = run.client.bot_user
    return [task.plan_target(job.pages[target.page], job.roster.members, target.form, bot, job.source.hint, force,
                             task.last_written(job.state, target.page))
            for target in run.settings.staff.targets]


def _report_translations(run, job: _Job) -> None:
    for titles in job.translations.values():
        for title in titles:
            lag = task.translation_lag(job.pages[title], job.roster.members)
            if lag:
                run.report.skip(title, "pending-remark", lag)


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


def sync_targets(run: Run, force: bool = False) -> None:
    """The body of ``staff sync`` (and of run-all's staff step): validate the roster, plan, apply.

    A problem of one target (no staff block, a roster that would empty its list) fails that target;
    the others are saved. What the bot writes on each target is remembered in its state page, for
    the guard of the next run."""
    job = _prepared(run)
    if job is None:
        return
    plans = _plans(run, job, force)
    for plan in plans:
        page = job.pages[plan.title]
        if plan.refusal:
            run.report.fail(plan.title, plan.refusal_code or "api-error", plan.refusal)  # set with the refusal
        elif not page.exists:
            run.report.skip(plan.title, "missing", "the staff target does not exist")
        elif page.redirect:
            run.report.skip(plan.title, "redirect", "the staff target is a redirect; name its target instead")
        elif plan.markup_problem:
            run.report.fail(plan.title, "invalid-markup", plan.markup_problem)
    _report_translations(run, job)
    changes = [plan.change for plan in plans if plan.change]
    written = {change.title: [member.key for member in job.roster.members] for change in changes}
    state = job.pages[run.bot_pages.state]
    record = task.records_change(state, job.state, written, run.client.bot_user)
    run.apply(changes + ([record] if record else []))


@staff.command("check")
@click.pass_obj
def check(options: Options):
    """Report where a target differs from the roster, without editing (exit 1 if any does)."""
    def body(run):
        job = _prepared(run)
        if job is None:
            return
        for plan in _plans(run, job, force=False):
            if plan.differences:
                what = "; ".join(plan.differences)
                if plan.needs_force:
                    what += " (more than half of the list: sync needs --force)"
                run.report.drift.append(Drift(plan.title, what))
                click.echo(f"{plan.title}\t{what}")
        _report_translations(run, job)

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
