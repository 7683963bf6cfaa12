"""``run-all``: several tasks in one run that reads the tree once and saves each page at most once.

A task joins the run as a :class:`Step`: a name and the body of its own sync command (the function
the command line calls, ``body(run)``). Each body runs against a :class:`PlanningRun`, which answers
its reads from the one shared read of the tree (:func:`read_shared`) and keeps its ``run.apply(...)``
instead of saving. A step sees the pages as the steps before it left them, so its changes build on
theirs. When every step has planned, and none found a settings, roster or trust problem (any such
problem stops the run before the first save: exit 2), :func:`compose` merges the changes of all steps
into one change per page, with one combined summary, and the wiki layer saves them in order.

The composition is pure. A composed change's ``recompute`` chains the steps' own recomputes (each on
the text the previous one produced), so after an edit conflict the page is redone from its fresh text
exactly as the separate tasks would redo it.

Adding a task: give its command module a body ``f(run)`` (read through ``run``, plan, record skips
in ``run.report``, ``run.apply(changes)``), and add ``Step("name", "label", f)`` to the list in
``commands/run_all.py`` at its place. A step with work to do after its pages are saved (marking
pages for translation) passes ``after``; a step that must see the saved result of the steps before
it (a status page) sets ``after_saves``.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from . import edit_summary
from .logs import task_context
from .outcomes import BotError, ExitCode, UsageProblem
from .plan import Page, PageChange, Verification, change_for
from .report import Edit, RunReport, TaskEntry
from .runs import Run
from .tree import TREE_NAMESPACES, in_tree, tree_namespace

log = logging.getLogger(__name__)


@dataclass
class StepResult:
    """What one step planned and, once saved, what became of it."""

    step: Step
    batches: tuple[tuple[PageChange, ...], ...]  # the step's changes, one tuple per run.apply call
    report: RunReport  # the step's skips and errors: found while planning, then the wiki layer's
    problem: str | None = None  # a settings, roster or trust problem: nothing is saved
    edits: list[Edit] = field(default_factory=list)  # the saved edits of pages this step changed

    @property
    def changes(self) -> list[PageChange]:
        return [change for batch in self.batches for change in batch]


@dataclass(frozen=True)
class Step:
    """One task of ``run-all``."""

    name: str  # for --only/--skip and the report: nav, staff, translate, archive, status
    label: str  # for people
    body: Callable[[Run], None]  # the task's command body, given a PlanningRun
    preload: Callable[[Run], Iterable[str]] = lambda run: ()  # titles outside the tree, read with it
    # Sees each batch of the shared read; what it asks along rides on the next batch (the roster's accounts).
    along: Callable[[Any, dict[str, Page]], None] | None = None
    after: Callable[[Any, StepResult], None] | None = None  # called with the real run after the saves
    after_saves: bool = False  # plan only once the changes of the steps before it are saved


# -- the composition (pure) -----------------------------------------------------------------------

def compose(plans: Sequence[Sequence[Sequence[PageChange]]]) -> list[PageChange]:
    """One change per page from the plans of several steps.

    A plan is one step's changes in the batches the step applied them (each ``run.apply`` call is
    a batch). Each change to a page must start from the text the previous change to it produced (as
    :class:`PlanningRun` arranges). Pages keep the order in which they first appear, except where an
    order matters: a step's batch is saved after its batch before, a change after the pages it
    ``needs`` (a state page before the pages whose ids it records), a change with a verification
    after the pages it verifies (an archive page before the talk page that loses the threads), and a
    change with a render check after the pages its render depends on (the header template before the
    pages that call it). A page that ends as it was read is left out, unless a render check may put
    a fallback in its place.
    """
    chains: dict[str, list[PageChange]] = {}
    after: dict[str, set[str]] = {}  # title -> titles that must be saved after it
    for plan in plans:
        previous: list[str] = []
        for batch in plan:
            titles = list(dict.fromkeys(change.title for change in batch))
            for change in batch:
                chain = chains.setdefault(change.title, [])
                if chain and chain[-1].new_text != change.base.text:
                    raise ValueError(f"{change.title}: a {change.task} change does not start from the "
                                     f"{chain[-1].task} change before it")
                chain.append(change)
            for earlier in previous:
                after.setdefault(earlier, set()).update(t for t in titles if t != earlier)
            previous = titles or previous
    for chain in chains.values():
        for change in chain:
            rendered = change.render_check.depends_on if change.render_check else ()
            for title in (*(change.verify.titles if change.verify else ()), *change.needs, *rendered):
                if title in chains and title != change.title:
                    after.setdefault(title, set()).add(change.title)
    composed = [_composite(chains[title]) for title in _keep_orders(list(chains), after)]
    return [change for change in composed if change.changes_text or change.without_render_check]


def _keep_orders(titles: list[str], after: dict[str, set[str]]) -> list[str]:
    """A topological order of ``titles`` that prefers their given order (Kahn's algorithm)."""
    position = {title: index for index, title in enumerate(titles)}
    waiting = {title: 0 for title in titles}
    for successors in after.values():
        for title in successors:
            waiting[title] += 1
    ready = [(position[title], title) for title in titles if not waiting[title]]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, title = heapq.heappop(ready)
        order.append(title)
        for successor in after.get(title, ()):
            waiting[successor] -= 1
            if not waiting[successor]:
                heapq.heappush(ready, (position[successor], successor))
    if len(order) < len(titles):  # steps that need opposite orders: first planned, first saved
        log.warning("the tasks need some pages saved in opposite orders; saving them in the order first planned")
        order += [title for title in titles if title not in set(order)]
    return order


def combined_summary(changes: Sequence[PageChange]) -> str:
    return edit_summary.joined(change.summary for change in changes)


def _composite(chain: Sequence[PageChange]) -> PageChange:
    if len(chain) == 1:
        return chain[0]
    recomputes = tuple(change.recompute for change in chain)
    recompute = partial(_recompute_chain, recomputes) if all(recomputes) else None
    first = chain[0]
    writing = [change for change in chain if change.new_text != change.base.text] or chain
    return _with_render_check(PageChange(
        first.title, first.base, chain[-1].new_text, combined_summary(chain),
        "+".join(dict.fromkeys(change.task for change in writing)), recompute,
        _merged_verification([change.verify for change in chain]),
        tuple(dict.fromkeys(title for change in chain for title in change.needs))), chain, recomputes)


def _with_render_check(change: PageChange, parts: Sequence[PageChange], recomputes) -> PageChange:
    """A composed change keeps its parts' render check (one task sets one: the header's); when the
    check fails, the checked part's own fallback (if any) and the other parts are saved instead (see
    PlanApplier)."""
    checked = [part for part in parts if part.render_check]
    if not checked:
        return change
    steps = tuple(part.without_render_check if part.render_check else recompute
                  for part, recompute in zip(parts, recomputes, strict=True)
                  if not (part.render_check and part.without_render_check is None))
    fallback = partial(_recompute_chain, steps) if steps and all(steps) else None
    return replace(change, render_check=checked[0].render_check, without_render_check=fallback)


def _recompute_chain(recomputes, fresh: Page) -> PageChange | None:
    """Each step's recompute on the text the one before produced, from a fresh read."""
    page, parts, used = fresh, [], []
    for recompute in recomputes:
        change = recompute(page)
        if change is not None and (change.new_text != page.text or not page.exists):
            parts.append(change)
            used.append(recompute)
            page = replace(page, text=change.new_text, exists=True)
    if not parts:
        return None
    again = change_for(fresh, page.text, combined_summary(parts), "+".join(dict.fromkeys(c.task for c in parts)),
                       partial(_recompute_chain, recomputes), _merged_verification([c.verify for c in parts]))
    return again and _with_render_check(again, parts, used)


def _merged_verification(checks: Sequence[Verification | None]) -> Verification | None:
    present = [check for check in checks if check is not None]
    if len(present) <= 1:
        return present[0] if present else None
    titles = tuple(dict.fromkeys(title for check in present for title in check.titles))
    return Verification(titles, partial(_all_problems, tuple(present)))


def _all_problems(checks, pages: dict[str, Page]) -> list[str]:
    return [problem for check in checks for problem in check.problems(pages)]


# -- the shared read --------------------------------------------------------------------------------

_UNSET = object()


@dataclass
class SharedRead:
    """The tree as read once at the start, then as the steps planned so far would leave it."""

    pages: dict[str, Page]
    listing: dict[int, list[str]]  # tree titles per namespace
    translatable: Any = _UNSET  # Translate's list of translatable pages, asked once
    stale: set[str] = field(default_factory=set)  # saved since they were read: read again when asked for
    # Pages Translate marked in this run: their translation pages may be new (FuzzyBot's), not listed.
    marked: set[str] = field(default_factory=set)


def read_shared(run, steps: Sequence[Step]) -> SharedRead:
    """The root, the shutoff page and the steps' own pages, then every page of the tree in batches
    (the listings ride on the first read and the batches: see ``BotRun.read_tree``)."""
    extra = list(dict.fromkeys(title for step in steps for title in step.preload(run)))
    asking = [step.along for step in steps if step.along]

    def after_batch(batch: dict[str, Page]) -> None:
        for along in asking:
            along(run, batch)

    # The steps' own pages ride on the first read, so what they ask along rides on the tree's first batch.
    root = run.start(also=extra)
    after_batch(run.first_read)
    pages, listing = run.read_tree(also=extra, after_batch=after_batch if asking else None)
    pages[run.settings.root] = root
    return SharedRead(pages, listing)


class ClientFacts:
    """What a planning body may know of the connection: who saves and where; never a write."""

    def __init__(self, client):
        self._client = client

    @property
    def bot_user(self) -> str:
        return self._client.bot_user

    @property
    def api_url(self) -> str:
        return self._client.api_url

    @property
    def name(self) -> str:
        return self._client.name

    def rights(self) -> frozenset[str]:
        return self._client.rights()


class SharedReads:
    """Reads answered from the shared read: a title it does not hold is read and kept, except a page
    of the tree that its listing does not have (it does not exist: no request asks for it)."""

    _run: Any
    _shared: SharedRead

    def start(self, also: Iterable[str] = ()) -> Page:
        return self.read([self._run.settings.root, *also])[self._run.settings.root]

    def tree_titles(self, namespaces: Iterable[int] = tuple(TREE_NAMESPACES)) -> list[str]:
        return sorted(title for namespace in namespaces for title in self._shared.listing.get(namespace, ()))

    def read(self, titles: Iterable[str]) -> dict[str, Page]:
        titles = list(dict.fromkeys(titles))
        shared = self._shared
        missing = [title for title in titles if title not in shared.pages or title in shared.stale]
        unlisted = [title for title in missing if title not in shared.stale and self._not_listed(title)]
        for title in unlisted:
            shared.pages[title] = Page(title, tree_namespace(title), exists=False)
        wanted = [title for title in missing if title not in unlisted]
        if wanted:
            shared.pages.update(self._run.read(wanted))
            shared.stale.difference_update(wanted)
        return {title: shared.pages[title] for title in titles}

    def _not_listed(self, title: str) -> bool:
        root, shared = self._run.settings.root, self._shared
        return (in_tree(title, root) and title not in shared.listing.get(tree_namespace(title), ())
                and not any(title.startswith(marked + "/") for marked in shared.marked))

    def read_tree(self, also: Iterable[str] = (), after_batch: Callable[[dict[str, Page]], None] | None = None
                  ) -> tuple[dict[str, Page], dict[int, list[str]]]:
        """As ``BotRun.read_tree``, from the shared read (one batch)."""
        listing = {namespace: self.tree_titles((namespace,)) for namespace in TREE_NAMESPACES}
        pages = self.read([*(title for titles in listing.values() for title in titles), *also])
        if after_batch:
            after_batch(pages)
        return pages, listing

    def translatable_pages(self):
        if self._shared.translatable is _UNSET:
            self._shared.translatable = self._run.translatable_pages()
        return self._shared.translatable


class PlanningRun(SharedReads):
    """What a step's body gets instead of the run: reads come from the shared read
    (:class:`SharedReads`), ``apply`` keeps the changes, and the report is the step's own. The rest
    is the real run's reading side, named one by one below: a body that plans cannot reach the
    applier or a write of the client (there is no attribute forwarding)."""

    def __init__(self, run, shared: SharedRead, report: RunReport):
        self._run = run
        self._shared = shared
        self.report = report
        self.batches: list[tuple[PageChange, ...]] = []

    # -- the real run's settings and reading side --------------------------------------------------
    @property
    def settings(self):
        return self._run.settings

    @property
    def bot_pages(self):
        return self._run.bot_pages

    @property
    def dry_run(self) -> bool:
        return self._run.dry_run

    @property
    def site_facts(self):
        return self._run.site_facts

    @property
    def state_dir(self):
        """The folder of what the bot keeps on this machine (the archive journal, read while planning)."""
        return self._run.state_dir

    @property
    def client(self) -> ClientFacts:
        return ClientFacts(self._run.client)

    def out(self, text: str) -> None:
        self._run.out(text)

    def refusal(self, page: Page) -> tuple[str, str] | None:
        return self._run.refusal(page)

    def render(self, wikitext: str, title: str, language: str = "") -> str:
        return self._run.render(wikitext, title, language)

    def ownership_problem(self, entry, page: Page) -> str | None:
        return self._run.ownership_problem(entry, page)

    def existing_users(self, names: Iterable[str]) -> frozenset[str]:
        return self._run.existing_users(names)

    def api_module_exists(self, name: str) -> bool:
        return self._run.api_module_exists(name)

    def translate_definitions(self, title: str) -> list[dict]:
        return self._run.translate_definitions(title)

    def translate_language_stats(self, language: str) -> list[dict]:
        return self._run.translate_language_stats(language)

    def translate_unit_states(self, title: str, language: str, revision: int) -> list[dict]:
        return self._run.translate_unit_states(title, language, revision)

    # -- changes kept ---------------------------------------------------------------------------------
    def apply(self, changes: Iterable[PageChange | None]) -> None:
        """Keep the changes (one batch); later steps read the pages as these changes leave them."""
        batch = []
        for change in changes:
            if change is None:
                continue
            current = self._shared.pages.get(change.title)
            if current is not None and change.base.text != current.text:
                # Made from an older text of the page (two changes of one step to one page): redo it
                # from the current one, as the wiki layer does after an edit conflict.
                change = change.recompute(current) if change.recompute else None
                if change is None:
                    continue
            batch.append(change)
            self._shared.pages[change.title] = replace(change.base, text=change.new_text, exists=True)
            if not change.base.exists and in_tree(change.title, self._run.settings.root):
                listed = self._shared.listing.setdefault(change.base.namespace, [])
                if change.title not in listed:
                    listed.append(change.title)
        if batch:
            self.batches.append(tuple(batch))


class AfterSavesRun(SharedReads):
    """What a step's ``after`` gets: the real run (its writes and report, by attribute forwarding),
    reading from the shared read as the saves left it (:func:`_settle`), so the tree is not read
    again. A page Translate is asked to mark gets a new revision: it is read again when asked for."""

    def __init__(self, run, shared: SharedRead):
        self._run = run
        self._shared = shared

    def __getattr__(self, name: str):
        return getattr(self._run, name)

    def mark_for_translation(self, page: Page) -> dict:
        self._shared.stale.add(page.title)
        self._shared.marked.add(page.title)
        return self._run.mark_for_translation(page)


# -- running the steps ------------------------------------------------------------------------------

def plan_step(run, shared: SharedRead, step: Step) -> StepResult:
    """Run one step's body against the shared read; a UsageProblem is kept, not raised, so that
    every step's problems are reported together."""
    report = RunReport(task=step.name, site=run.report.site, dry_run=run.report.dry_run)
    planning = PlanningRun(run, shared, report)
    with task_context(step.name):
        try:
            step.body(planning)
        except UsageProblem as problem:
            log.info("stopped: %s", problem.message, extra={"action": "refuse"})
            return StepResult(step, (), report, problem.message)
    return StepResult(step, tuple(planning.batches), report)


def run_steps(run, steps: Sequence[Step], shared_read: Callable[[SharedRead], None] | None = None
              ) -> list[StepResult]:
    """Read once, let every step plan, compose, save; one entry per step in ``run.report.tasks``.

    Raises UsageProblem (nothing saved) when a step found a settings, roster or trust problem;
    the shutoff page and run-level aborts stop the run as in every command. ``shared_read`` gets
    the shared read once it is made (its pages then become what the steps plan them to be).
    """
    results: list[StepResult] = []
    stopped: BotError | None = None
    try:
        shared = read_shared(run, steps)
        if shared_read:
            shared_read(shared)
        for stage in _stages(steps):
            planned = [plan_step(run, shared, step) for step in stage]
            results.extend(planned)
            problems = [result for result in planned if result.problem]
            if problems:
                raise UsageProblem("nothing saved: " + "; ".join(f"{r.step.name}: {r.problem}" for r in problems))
            for result in planned:
                run.report.skipped.extend(result.report.skipped)
                run.report.errors.extend(result.report.errors)
                run.report.drift.extend(result.report.drift)
            _save(run, planned)
            _settle(run, shared, planned)
            for result in planned:
                if result.step.after:
                    _after(AfterSavesRun(run, shared), result)
    except BotError as error:
        stopped = error
        raise
    finally:
        run.report.tasks = _entries(steps, results, stopped)
    return results


def _stages(steps: Sequence[Step]) -> list[list[Step]]:
    stages: list[list[Step]] = []
    for step in steps:
        if step.after_saves or not stages:
            stages.append([])
        stages[-1].append(step)
    return stages


def _settle(run, shared: SharedRead, planned: Sequence[StepResult]) -> None:
    """After the saves, for the steps' ``after`` and the stages after them: each page the steps
    planned to change, as its save left it where the save's answer tells that; the others (not saved,
    merged, stored otherwise) are read again when asked for. A dry run keeps the texts it would have
    saved."""
    if run.dry_run:
        return
    changes: dict[str, list[PageChange]] = {}
    for result in planned:
        for change in result.changes:
            changes.setdefault(change.title, []).append(change)
    outcomes = ({edit.title for result in planned for edit in result.edits}
                | {error.title for result in planned for error in result.report.errors})
    skipped = {o.title for result in planned for o in result.report.skipped} - outcomes
    for title, chain in changes.items():
        saved = run.saved_page(title)
        if saved is not None:
            shared.pages[title] = saved
        elif title in skipped or not any(change.changes_text for change in chain):
            shared.pages[title] = chain[0].base  # not saved (a guard, a render to wait for): as read
        else:
            shared.stale.add(title)  # saved as the wiki stored it, or refused: the wiki knows
            continue
        shared.stale.discard(title)


def _save(run, planned: Sequence[StepResult]) -> None:
    """Compose the steps' changes and apply them; each step gets the edits, skips and errors of the
    pages it changed (also when the shutoff page stops the saves half-way)."""
    owners: dict[str, set[str]] = {}  # title -> the steps whose outcomes it is
    writers: dict[str, set[str]] = {}  # title -> the steps whose edits it is (not a render check alone)
    for result in planned:
        for change in result.changes:
            owners.setdefault(change.title, set()).add(result.step.name)
            if change.changes_text:
                writers.setdefault(change.title, set()).add(result.step.name)
    report = run.report
    first_edit, first_skip, first_error = len(report.edits), len(report.skipped), len(report.errors)
    try:
        run.apply(compose([result.batches for result in planned]))
    finally:
        for result in planned:
            mine = {title for title, names in owners.items() if result.step.name in names}
            written = {title for title, names in writers.items() if result.step.name in names}
            # an edit the step's render check put in place (a fallback) is the step's too
            fallback = {o.title for o in report.skipped[first_skip:] if o.title in mine}
            result.edits.extend(edit for edit in report.edits[first_edit:] if edit.title in written | fallback)
            result.report.skipped.extend(o for o in report.skipped[first_skip:] if o.title in mine)
            result.report.errors.extend(o for o in report.errors[first_error:] if o.title in mine)


def _after(run, result: StepResult) -> None:
    """A step's work after the saves, on the real run; what it saves or reports is the step's."""
    report = run.report
    after = result.step.after
    if after is None:
        return
    first_edit, first_skip, first_error = len(report.edits), len(report.skipped), len(report.errors)
    try:
        with task_context(result.step.name):
            after(run, result)
    finally:
        result.edits.extend(report.edits[first_edit:])
        result.report.skipped.extend(report.skipped[first_skip:])
        result.report.errors.extend(report.errors[first_error:])


def _entries(steps: Sequence[Step], results: Sequence[StepResult], stopped: BotError | None) -> list[TaskEntry]:
    by_name = {result.step.name: result for result in results}
    entries = []
    for step in steps:
        result = by_name.get(step.name)
        if result is None:
            code = stopped.exit_code if stopped else ExitCode.INTERNAL
            entries.append(TaskEntry(step.name, int(code), message="not run"))
            continue
        own = ExitCode.USAGE if result.problem else (
            ExitCode.PAGES_FAILED if result.report.errors else ExitCode.DONE)
        code, message = own, result.problem
        if stopped is not None and not result.problem:
            code = max(own, stopped.exit_code)
            message = ("not saved: another task's problem stopped the run" if isinstance(stopped, UsageProblem)
                       else f"stopped: {stopped.message}")
        entries.append(TaskEntry(step.name, int(code), len(result.edits), len(result.report.skipped),
                                 len(result.report.errors), message))
    return entries
