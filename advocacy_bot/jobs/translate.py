"""The translation job (``translate check``/``prepare``/``mark``/``status``, run-all's translate and
status steps): markers and marking, preparation, the status page from Translate's statistics."""

from __future__ import annotations

import logging

import click

from ..outcomes import UsageProblem
from ..ownership import mark_comment
from ..pipeline import AfterSavesRun
from ..plan import Page
from ..report import Drift, Edit
from ..runs import Run
from ..tasks import translate as task
from ..tasks import translate_status as status
from ..tree import MAIN_NAMESPACE, TEMPLATE_NAMESPACE, classify, in_tree, named_pages_problem
from ..wiki.apply import refusal_outcome
from ..wiki.client import ApiError
from ..wiki.session import BotRun
from ..wikitext.titles import normalize_title
from ..wikitext.translate_markup import validate

MARK_MODULE = "markfortranslation"


MARK_RIGHT = "pagetranslation"


log = logging.getLogger(__name__)


def _read_tree(run, first=()):
    """The tree's pages (and ``first``, read along), their kinds, and Translate's list of translatable
    pages (None without Translate)."""
    run.start()
    pages, listing = run.read_tree(also=first)
    titles = sorted(title for titles in listing.values() for title in titles)
    facts = run.site_facts
    translatable = run.translatable_pages()
    entries = classify([pages[title] for title in titles], run.settings.root, facts.languages,
                       facts.content_language, translatable)
    return pages, entries, translatable


def _record(run, outcomes) -> None:
    for outcome in outcomes:
        run.report.record(outcome.title, outcome.code, outcome.message)


def check_tree(run) -> None:
    """Every problem on the tree's source pages and templates: drift in the report, a line on stdout."""
    pages, entries, _ = _read_tree(run)
    for title, problem in task.check_findings(pages, task.source_titles(entries, pages)):
        run.report.drift.append(Drift(title, task.problem_text(problem)))
        click.echo(task.problem_line(title, problem))


def prepare_tree(run, titles=()) -> None:
    """Prepare the named pages, or every translatable source page of the tree."""
    pages, entries, _ = _read_tree(run)
    kinds = {entry.title: entry.kind for entry in entries}
    wanted = [normalize_title(title) for title in titles]
    if wanted:
        problem = named_pages_problem(wanted, kinds, run.settings.root)
        if problem:
            raise UsageProblem(problem)
        selected = []
        for title in wanted:
            if kinds[title] == "redirect":
                run.report.skip(title, "redirect", "redirects are never edited")
            elif kinds[title] != "source":
                raise UsageProblem(f"{title} is a {kinds[title]} page; only source pages are prepared for translation")
            else:
                selected.append(title)
    else:
        # Without --page, only pages already translatable: putting a page up for translation is a choice.
        selected = [title for title in task.translatable_titles(entries, pages) if kinds[title] == "source"]
    changes = []
    for title in selected:
        change, result = task.prepare_page(run.settings, pages[title])
        if result.problems:
            run.report.fail(title, "invalid-markup",
                            "; ".join(task.problem_text(p) for p in result.problems) + " (fix this first)")
        elif change is not None:
            changes.append(change)
    run.apply(changes)


def mark_tree(run: Run, hold: frozenset[str] = frozenset()) -> None:
    """Get every new or changed unit of the tree marked: by Translate where the wiki has it, else by
    the bot (markers written, the highest ids kept in the state page). ``hold``: pages about to change
    (run-all: waiting for the header), not asked for now, so that nobody marks them twice."""
    state_title = run.bot_pages.state
    pages, entries, translatable = _read_tree(run, first=[state_title])
    titles = task.translatable_titles(entries, pages)
    if translatable is not None:  # the wiki has Translate
        held = [title for title in titles if title in hold]
        if held:
            log.info("marking not asked yet for %d pages waiting for the header: %s", len(held), ", ".join(held))
        if not isinstance(run, (BotRun, AfterSavesRun)):  # run-all plans; Translate marks saved revisions
            raise TypeError("marking through Translate needs the real run (run-all: a step's after hook)")
        _mark_with_translate(run, pages, [title for title in titles if title not in hold], translatable)
        return
    try:
        plan = task.plan_markers(pages, titles, pages[state_title], run.refusal, run.client.bot_user)
    except task.StateProblem as problem:
        raise UsageProblem(str(problem)) from problem
    _record(run, plan.outcomes)
    run.apply(plan.changes)  # the state page first; the marked pages need it saved (PageChange.needs)


def _copy_title(run, title: str) -> str:
    return f"{title}/{run.site_facts.content_language}"


def _copies(run, pages, titles, translatable) -> dict[str, Page | None]:
    """Each translatable page's translation page in the wiki's language (FuzzyBot's copy of the
    marked version), read in one batch where the tree's read did not have it."""
    wanted = {title: _copy_title(run, title) for title in titles if title in translatable}
    missing = [copy for copy in wanted.values() if copy not in pages]
    found = {**pages, **(run.read(missing) if missing else {})}
    return {title: found.get(copy) for title, copy in wanted.items()}


def _mark_with_translate(run: BotRun | AfterSavesRun, pages: dict[str, Page], titles: list[str],
                         translatable: frozenset[str]) -> None:
    pending = []
    copies = _copies(run, pages, titles, translatable)
    for title in titles:
        page = pages[title]
        problems = validate(page.text)
        if problems:
            run.report.fail(title, "invalid-markup", "; ".join(task.problem_text(p) for p in problems))
            continue
        known = title in translatable
        marked = None
        if task.needs_definitions(page, known):
            try:
                marked = task.definitions(title, run.translate_definitions(title))
            except ApiError as error:  # one page's problem, not the run's
                run.report.fail(title, "api-error", f"{error.code}: {error.info}")
                continue
        reason = task.marking_reason(page, known, marked, copies.get(title))
        if reason:
            pending.append((page, reason, task.readers_see(page, known)))
    if not pending:
        return
    module = run.api_module_exists(MARK_MODULE)
    base = task.index_url(run.client.api_url)
    rights = None
    marked_now = []
    for page, reason, readers in pending:
        title = page.title
        refusal = run.refusal(page)
        if refusal:
            run.report.record(title, *refusal)
            continue
        link = task.marking_link(base, title)
        if not module:
            run.report.skip(title, "waiting-for-translation-admin", task.waiting_message(
                reason, link, f"this wiki's Translate has no {MARK_MODULE} API", readers))
            continue
        if run.dry_run:
            run.out(f"{title}: would ask Translate to mark it ({reason})")
            run.apply([task.predicted_marking(page, reason)])
            continue
        if rights is None:
            rights = run.client.rights()
        if MARK_RIGHT not in rights:
            run.report.skip(title, "waiting-for-translation-admin", task.waiting_message(
                reason, link, f"{run.client.bot_user} lacks the {MARK_RIGHT} right", readers))
            continue
        try:
            answer = run.mark_for_translation(page)
        except ApiError as error:
            if error.code == "permissiondenied":  # marking needs a translation administrator
                run.report.skip(title, "waiting-for-translation-admin",
                                task.waiting_message(reason, link, f"Translate refused: {error.info}", readers))
            else:
                run.report.record(title, *refusal_outcome(error))
            continue
        if answer.get("result") != "Success":
            run.report.fail(title, "api-error", f"{MARK_MODULE} answered {answer!r}")
            continue
        first = "; first marking" if answer.get("firstmark") else ""
        summary = f"{task.MARKED_SUMMARY}: {reason} ({answer.get('unitcount', '?')} units{first})"
        log.info("%s", summary, extra={"page": title, "action": "mark", "task": task.TASK})
        marked_now.append((page, summary))
    if marked_now:
        # Translate saved the markers as a new revision: read them back (one batch) for the report.
        fresh = run.read([page.title for page, _ in marked_now])
        for page, summary in marked_now:
            given = task.new_unit_ids(page.text, fresh[page.title].text)
            if given:  # the ids Translate gave the new units
                summary += "; new " + ", ".join(f"T:{ident}" for ident in given)
            run.report.edits.append(Edit(page.title, page.revid or None, fresh[page.title].revid or None, summary))


def status_tree(run: Run) -> None:
    """Write the status page from Translate's statistics (skipped on a wiki without Translate)."""
    status_title = run.bot_pages.status
    run.start()  # the site's facts come with the first read
    facts = run.site_facts
    if not facts.has_translate:
        run.report.skip(status_title, "no-translate", "no Translate statistics on this wiki; the status page "
                                                      "is written on a wiki with Translate")
        return
    root = run.settings.root
    translatable = sorted(title for title in run.translatable_pages() or () if in_tree(title, root))
    stats = _statistics(run, status_title, translatable)
    if stats is None:
        return
    nav = run.settings.nav.template
    targets = [target.page for target in run.settings.staff.targets]
    copies = [_copy_title(run, title) for title in translatable]  # read with the rest: _copies finds them
    columns = status.languages(stats, facts.content_language)
    # The translation pages of the header and the team lists: their revisions tell whether the units'
    # states kept from an earlier run still hold (BotRun.translate_unit_states).
    listed = [f"{title}/{code}" for title in [nav, *targets] if title in stats for code in columns]
    pages = run.read(list(dict.fromkeys([status_title, nav] + targets + translatable + copies + listed)))
    header = None
    if nav in stats:
        header = _unit_list(run, stats, pages, nav, status.label_unit_ids(pages[nav].text), columns)
    teams = []
    for target in targets:
        ids = status.team_unit_ids(pages[target].text) if target in stats else []
        if ids:
            teams.append(_unit_list(run, stats, pages, target, ids, columns))
    changed = _changed_since_marked(run, pages, [title for title in translatable if title in stats])
    bot = f"[[User:{run.client.bot_user}|{run.client.bot_user}]]"
    text = status.status_text(stats, facts.content_language, nav, teams, bot, header, changed,
                              mark_comment(run.client.bot_user))
    change = status.status_change(pages[status_title], text,
                                  status.status_summary(stats, facts.content_language, teams, header, changed),
                                  run.client.bot_user)
    run.apply([change] if change else [])


def _statistics(run: Run, status_title: str, translatable: list[str]) -> status.Stats | None:
    """Each translatable page's numbers in each language that has a translation page in the tree:
    one ``meta=languagestats`` request a language, whatever the number of pages. With no translation
    page yet, one request in the source language gives the pages' totals (its column is never shown).
    None when a language's numbers could not be had: the page is left as it was rather than saved
    with a language missing."""
    facts = run.site_facts
    if not translatable:
        return {}
    codes = status.translation_languages(run.tree_titles((MAIN_NAMESPACE, TEMPLATE_NAMESPACE)), translatable,
                                         facts.languages, facts.content_language)
    stats: dict[str, dict[str, status.LanguageStats]] = {title: {} for title in translatable}
    for code in codes or [facts.content_language]:
        try:
            found = status.parse_language_stats(run.translate_language_stats(code), code, translatable)
        except ApiError as error:
            run.report.fail(status_title, "api-error", f"no statistics in {code} ({error.code}: {error.info}); "
                                                       "the status page is left as it was")
            return None
        for title, entry in found.items():
            stats[title][code] = entry
    # A page no answer counts (Translate lists it, its statistics do not have it yet): no row of zeros.
    return {title: by_language for title, by_language in stats.items() if by_language}


def _unit_list(run, stats, pages, title: str, ids: list[str], columns: list[str]) -> status.UnitList:
    """How each column language stands on the units ``ids`` of ``title``: a language that has not
    started lacks them all, a complete one none; others are read unit by unit (one request each,
    none while the language's translation page is the revision it was when last read)."""
    lag = {}
    for code in columns:
        entry = stats[title].get(code)
        if entry is None or not entry.started:
            lag[code] = (len(ids), 0)
        elif not entry.complete:
            try:
                translation = pages.get(f"{title}/{code}")
                states = run.translate_unit_states(title, code, translation.revid if translation else 0)
                untranslated, fuzzy = status.unit_lag(states, title, ids)
            except ApiError as error:
                run.report.fail(title, "api-error", f"no {code} units: {error.code}: {error.info}")
                continue
            if untranslated or fuzzy:
                lag[code] = (untranslated, fuzzy)
    return status.UnitList(title, len(ids), lag)


def _changed_since_marked(run, pages, titles: list[str]) -> dict[str, str]:
    """Translatable pages whose source differs from what Translate last marked, with what differs."""
    changed = {}
    copies = _copies(run, pages, titles, set(titles))
    for title in titles:
        page = pages[title]
        if not page.exists:
            continue
        try:
            marked = task.definitions(title, run.translate_definitions(title))
        except ApiError as error:
            run.report.fail(title, "api-error", f"no definitions: {error.code}: {error.info}")
            continue
        reason = task.marking_reason(page, True, marked, copies.get(title))
        if reason:
            changed[title] = reason
    return changed
