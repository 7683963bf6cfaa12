"""The navigation header job (``nav sync``, ``nav check``, run-all's nav step): read the tree and the
template, plan with ``tasks/nav.py``, record what is left alone, apply; the check renders the header."""

from __future__ import annotations

import click

from ..outcomes import UsageProblem
from ..report import Drift
from ..runs import Run
from ..tasks.nav import NavPlan, check_findings, header_render_check, plan_nav, stale_labels
from ..tasks.translate import index_url, marking_link
from ..tree import classify, named_pages_problem
from ..wikitext.titles import normalize_title


def waiting_hint(run) -> str:
    """What a page waiting for the header waits for, on this wiki."""
    template = run.settings.nav.template
    if run.site_facts.has_translate:
        return (f"{template} must be marked for translation with translation-aware transclusion, at "
                f"{marking_link(index_url(run.client.api_url), template)}")
    return f"every unit of {template} needs its marker (`advocacy-bot translate mark` writes them)"


def read_and_plan(run, only=()) -> NavPlan:
    """Read the tree and the header template (one batched read), then plan."""
    run.start()
    pages, listing = run.read_tree(also=[run.settings.nav.template])
    if only:
        known = [title for titles in listing.values() for title in titles] + [run.settings.nav.template]
        problem = named_pages_problem([normalize_title(title) for title in only], known, run.settings.root)
        if problem:
            raise UsageProblem(problem)
    facts = run.site_facts
    entries = classify(pages.values(), run.settings.root, facts.languages, facts.content_language,
                       run.translatable_pages())
    return plan_nav(run.settings, pages, entries, only, waiting_hint(run), run.client.bot_user)


def _record(run, outcomes) -> None:
    for outcome in outcomes:
        run.report.record(outcome.title, outcome.code, outcome.message)


def sync_tree(run: Run, only=()) -> None:
    """The body of ``nav sync``: plan, report what is left alone, apply."""
    plan = read_and_plan(run, only)
    _record(run, plan.outcomes)
    for note in plan.ignored:
        click.echo(f"nav: {note}", err=True)
    run.apply(plan.changes)


def check_tree(run) -> None:
    """The body of ``nav check``: what sync would change is drift; nothing is saved."""
    plan = read_and_plan(run)
    _record(run, plan.outcomes)
    drift, skipped = check_findings(plan, run.client.bot_user)
    _record(run, skipped)
    if not any(title == run.settings.nav.template for title, _ in drift):
        drift += rendered_drift(run)  # the template as it should be: does it reach readers?
    for title, what in drift:
        run.report.drift.append(Drift(title, what))


def rendered_drift(run) -> list[tuple[str, str]]:
    """What readers see of the header, rendered on the root: Translate markup or missing tabs (the
    template is not marked, or marked without translation-aware transclusion), or labels that are not
    the settings' (a saved change that waits to be marked again)."""
    settings, hint = run.settings, waiting_hint(run)
    check = header_render_check(settings, hint)  # what a page's save waits for, judged on the root
    html = run.render(check.wikitext, settings.root)
    problems = check.problems(html)
    stale = [] if problems else stale_labels(settings, html)
    if stale:
        problems = [f"a saved change to the header does not reach readers ({'; '.join(stale)}): {hint}"]
    return [(settings.nav.template, problem) for problem in problems]
