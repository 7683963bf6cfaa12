"""The staff list job (``staff sync``, ``staff check``, run-all's staff step): read the targets and the
roster (trusted or refused), plan with ``tasks/staff.py``, apply."""

from __future__ import annotations

from dataclasses import dataclass

from ..outcomes import UsageProblem
from ..plan import Page
from ..roster import (
    Roster,
    RosterSource,
    check_usernames,
    load_roster_text,
    read_roster_file,
    roster_source,
    trust_problem,
)
from ..runs import Run
from ..tasks import staff as task
from ..tree import TREE_NAMESPACES, has_translate_markup, split_language


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


def prepared(run) -> _Job | None:
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


def ask_roster_users_along(run, pages: dict[str, Page]) -> None:
    """run-all's shared read, after each batch: once the roster is at hand (its page in ``pages``, or
    its file), its accounts are asked along with the next batch, for the check in :func:`_prepare`.
    A roster that cannot be read here is left to :func:`_prepare`, which says why."""
    try:
        source = roster_source(run.settings.staff.roster, run.client.bot_user)
        if source.page:
            page = pages.get(source.page)
            roster = load_roster_text(page.text, source.page, "json") if page is not None and page.exists else None
        else:
            roster = read_roster_file(source.path) if source.path else None
    except UsageProblem:
        return
    if roster is not None:
        run.ask_users_along(roster.usernames)


def _namespace(title: str) -> int:
    prefix = title.split(":", 1)[0] if ":" in title else ""
    return next((ns for ns, name in TREE_NAMESPACES.items() if name and name == prefix), 0)


def target_plans(run, job: _Job, force: bool) -> list[task.TargetPlan]:
    bot = run.client.bot_user
    return [task.plan_target(job.pages[target.page], job.roster.members, target.form, bot, job.source.hint, force,
                             task.last_written(job.state, target.page))
            for target in run.settings.staff.targets]


def report_translations(run, job: _Job) -> None:
    for titles in job.translations.values():
        for title in titles:
            lag = task.translation_lag(job.pages[title], job.roster.members)
            if lag:
                run.report.skip(title, "pending-remark", lag)


def sync_targets(run: Run, force: bool = False) -> None:
    """The body of ``staff sync`` (and of run-all's staff step): validate the roster, plan, apply.

    A problem of one target (no staff block, a roster that would empty its list) fails that target;
    the others are saved. What the bot writes on each target is remembered in its state page, for
    the guard of the next run."""
    job = prepared(run)
    if job is None:
        return
    plans = target_plans(run, job, force)
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
    report_translations(run, job)
    changes = [plan.change for plan in plans if plan.change]
    written = {change.title: [member.key for member in job.roster.members] for change in changes}
    state = job.pages[run.bot_pages.state]
    record = task.records_change(state, job.state, written, run.client.bot_user)
    run.apply(changes + ([record] if record else []))
