"""Applying a plan: the only code that saves pages.

For each proposed change, in order: the title must be in the edit scope; redirects, ``{{nobots}}``
pages and pages protected beyond the bot's rights are not touched; every markup guard must accept the
new text; the shutoff page must still be empty. Then the page is saved with the base revision and
start timestamp so that MediaWiki detects an edit conflict. On a conflict the page is read again and the
change recomputed once from the fresh text; a second conflict leaves the page alone. Nothing a human
wrote is ever overwritten.

A change that depends on earlier ones (a talk page that may lose its threads only once the archive
holds them) carries a :class:`~advocacy_bot.plan.Verification`, checked just before the save: on the
pages as this run's own saves stored them, where their answers tell that (not merged with another
edit, a text :func:`~advocacy_bot.wikitext.presave.stored_text` can tell), else on a fresh read (in a
dry run, with the texts the dry run would have saved). Any problem found stops that save as
``verification-failed``. :meth:`PlanApplier.refusal` tells beforehand whether a page can
be saved at all, so a task can leave a pair of pages alone before it saves the first of them.
"""

from __future__ import annotations

import difflib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Protocol

from .. import edit_summary
from ..logs import task_context
from ..outcomes import ShutoffRequested
from ..plan import Page, PageChange
from ..report import Edit, RunReport
from ..tree import EditScope
from ..wikitext.bots import bot_may_edit
from ..wikitext.presave import stored_text
from ..wikitext.translate_markup import validate
from .client import ApiError, WikiClient
from .reader import PageReader

log = logging.getLogger(__name__)

SHUTOFF_RECHECK_SECONDS = 10.0

# Protection level -> the right that lets an account edit through it.
PROTECTION_RIGHTS = {"autoconfirmed": "editsemiprotected", "sysop": "editprotected"}
# A save that met another edit: read again and recompute once.
CONFLICT_ERRORS = ("editconflict", "articleexists", "pagedeleted")
PROTECTION_ERRORS = ("protectedpage", "cascadeprotected", "protectedtitle", "protectednamespace")


def refusal_outcome(error: ApiError) -> tuple[str, str]:
    """The outcome (code, message) of a write the wiki refused, whatever the write: the one mapping
    from API errors to the report's codes."""
    if error.code in CONFLICT_ERRORS:
        return "edit-conflict", f"still conflicting after one re-read ({error.code})"
    if error.code in PROTECTION_ERRORS:
        return "protected", f"{error.code}: {error.info}"
    if error.code == "missingtitle":
        return "missing", "the page was deleted after it was read"
    if error.code.startswith(("pt-", "tpt-")):  # Translate refused the markup
        return "invalid-markup", f"{error.code}: {error.info}"
    return "api-error", f"{error.code}: {error.info}"


class MarkupGuard(Protocol):
    """Returns the problems that would make the wiki refuse ``text`` (empty: fine)."""

    def __call__(self, title: str, text: str) -> list[str]: ...


def translate_markup_guard(title: str, text: str) -> list[str]:
    """Translate refuses to save a page with broken markup (pt-parse-nested, pt-shake-multiple, ...):
    find it here, before the save, whichever task made the text."""
    return [str(problem) for problem in validate(text)]


def default_guards() -> list[MarkupGuard]:
    return [translate_markup_guard]


class ShutoffWatch:
    """Stops the run when the shutoff page is not empty: read at start, with every batch, and before
    saves at most every ``interval`` seconds."""

    def __init__(self, title: str, interval: float = SHUTOFF_RECHECK_SECONDS, clock=time.monotonic):
        self.title = title
        self.interval = interval
        self.clock = clock
        self.last_checked: float | None = None

    def observe(self, pages: dict[str, Page]) -> None:
        page = pages.get(self.title)
        if page is None:
            return
        self.last_checked = self.clock()
        if page.exists and page.text.strip():
            first_line = page.text.strip().splitlines()[0][:200]
            raise ShutoffRequested(f"the shutoff page {self.title} is not empty: {first_line!r}")

    def before_save(self, reader: PageReader) -> None:
        if self.last_checked is None or self.clock() - self.last_checked >= self.interval:
            reader.read([])  # the shutoff page rides along with every read; this reads only it


@dataclass
class PlanApplier:
    client: WikiClient
    reader: PageReader
    scope: EditScope
    report: RunReport
    shutoff: ShutoffWatch
    dry_run: bool = False
    guards: list[MarkupGuard] = field(default_factory=default_guards)
    out: Callable[[str], None] = print  # diffs (stdout)
    confirm: Callable[[], None] = lambda: None  # asked once before the first real save
    before_save: Callable[[PageChange], None] | None = None  # a test hook: inject a conflict here
    about: str | None = None  # the page that explains the bot, linked from every summary (bot_pages.about)
    _rights: frozenset[str] | None = None
    _confirmed: bool = False
    _dry_pages: dict[str, Page] = field(default_factory=dict)  # the pages as a dry run would have left them
    # The pages as this run's saves left them, where the save's answer and the text tell it
    # (stored_text): a verification of these pages needs no read.
    _saved_pages: dict[str, Page] = field(default_factory=dict)
    _renders: dict[tuple[str, str], str] = field(default_factory=dict)  # (wikitext, language) -> HTML
    _render_inputs: set[str] = field(default_factory=set)  # pages the cached renders depend on

    def preview(self, changes: Iterable[PageChange]) -> None:
        """What a dry run shows of ``changes`` (the guards, then the diffs), whatever the run: nothing is saved."""
        replace(self, dry_run=True).apply(changes)

    def apply_aside(self, changes: Iterable[PageChange], report: RunReport) -> None:
        """Save ``changes`` with every guard of the run, their outcomes kept in ``report``, not the run's:
        bookkeeping (the run log) that is not one of the run's edits (undo leaves it)."""
        replace(self, report=report).apply(changes)

    def apply(self, changes: Iterable[PageChange]) -> None:
        unsaved: set[str] = set()  # pages of this batch whose change was refused or failed
        for change in changes:
            missing = [title for title in change.needs if title in unsaved]
            if missing:
                with task_context(change.task):
                    self.report.fail(change.title, "prerequisite-not-saved",
                                     f"not saved, because {', '.join(missing)} (which it needs first) was not saved")
                unsaved.add(change.title)
                continue
            skipped, errors = len(self.report.skipped), len(self.report.errors)
            with task_context(change.task):  # run-all's composed edits: log lines name their tasks
                self._apply_one(change, retry=True)
            if any(outcome.title == change.title
                   for outcome in self.report.skipped[skipped:] + self.report.errors[errors:]):
                unsaved.add(change.title)

    # -- one change ---------------------------------------------------------------------------
    def _apply_one(self, change: PageChange, retry: bool) -> None:
        title = change.title
        if not self.scope.allows(title):
            self.report.fail(title, "outside-tree", f"{title} is outside {self.scope.root} and the bot's pages")
            return
        if not change.changes_text:
            if change.render_check is not None and change.without_render_check is not None:
                self._renders_well(change, retry)  # nothing to write while it renders; else its fallback
            return
        base = change.base
        self._saved_pages.pop(title, None)  # known again only from this attempt's save
        excluded = self._excluded(base)
        if excluded:
            self.report.skip(title, *excluded)
            return
        problems = [problem for guard in self.guards for problem in guard(title, change.new_text)]
        if problems:
            self.report.fail(title, "invalid-markup", "; ".join(problems))
            return
        if self.dry_run:
            if change.render_check is not None and not self._renders_well(change, retry):
                return
            if not self._verified(change):
                return
            self._show_diff(change)
            log.info("would save: %s", self.summary_of(change),
                     extra={"page": title, "action": "dry-run", "task": change.task})
            self.report.edits.append(Edit(title, base.revid or None, None, self.summary_of(change)))
            self._dry_pages[title] = replace(base, text=change.new_text, exists=True)
            return
        missing_right = self._missing_protection_right(base)
        if missing_right:
            self.report.fail(title, "protected", f"protected ({missing_right}); the bot lacks that right")
            return
        self.before_action()  # the shutoff page, before any further request for this page
        if change.render_check is not None and not self._renders_well(change, retry):
            return
        if self.before_save:
            self.before_save(change)
        if not self._verified(change):  # as late as possible: right before the save
            return
        try:
            answer = self._save(change)
        except ApiError as error:
            self._handle_refusal(change, error, retry)
            return
        result = answer.get("edit", {})
        if result.get("nochange"):
            return
        new_revid = result.get("newrevid")
        self._remember_saved(change, result, new_revid)
        self.report.edits.append(Edit(title, base.revid or None, new_revid, self.summary_of(change)))
        if title in self._render_inputs:
            self._renders.clear()  # what a page renders may change with this save
        log.info("saved r%s -> r%s: %s", base.revid, new_revid, self.summary_of(change),
                 extra={"page": title, "action": "save", "task": change.task})
        if base.exists and result.get("oldrevid") not in (None, base.revid) and retry:
            # MediaWiki merged our change with an edit made since our read: both survive. Re-check
            # the merged text once, so the page ends exactly as the task wants it.
            self._recompute(change, why="merged with an intervening edit")

    def saved_page(self, title: str) -> Page | None:
        """The page as this run's last save of it left it, where that save's answer tells it (see
        :meth:`_remember_saved`); None for a page not saved, or saved with an answer that does not tell."""
        return None if self.dry_run else self._saved_pages.get(title)

    def _remember_saved(self, change: PageChange, result: dict, new_revid: int | None) -> None:
        """Keep the text this save stored when the answer shows it was not merged with another edit
        (a new page, or the revision before it is the one read) and MediaWiki stores it as sent."""
        unmerged = "new" in result or (change.base.exists and result.get("oldrevid") == change.base.revid)
        stored = stored_text(change.new_text) if unmerged else None
        if stored is None:
            self._saved_pages.pop(change.title, None)
        else:
            self._saved_pages[change.title] = replace(change.base, text=stored, exists=True, revid=new_revid or 0)

    def summary_of(self, change: PageChange) -> str:
        """The summary as saved, shown and reported: one style, the link to the bot's page at the end."""
        return edit_summary.finished(change.summary, self.about if change.linked else None)

    def _save(self, change: PageChange) -> dict:
        params = {
            "action": "edit",
            "title": change.title,
            "text": change.new_text,
            "summary": self.summary_of(change),
            "bot": 1,
            "watchlist": "nochange",
        }
        if change.base.exists:
            # baserevid alone, on purpose: with basetimestamp, MediaWiki suppresses a conflict as a
            # "self-conflict" when the other edit was saved in the same second as the base revision
            # (userWasLastToEdit compares timestamps with ">"), and the human's edit is overwritten.
            # The revision id compares exactly. (Found by test_edit_conflict_twice_...)
            params.update(baserevid=change.base.revid, nocreate=1)
        else:
            params["createonly"] = 1
        if change.base.read_at:
            params["starttimestamp"] = change.base.read_at
        return self.client.write(**params)

    def _handle_refusal(self, change: PageChange, error: ApiError, retry: bool) -> None:
        if error.code in CONFLICT_ERRORS and retry:
            self._recompute(change, why=error.code)
        else:
            self.report.record(change.title, *refusal_outcome(error))

    def _recompute(self, change: PageChange, why: str) -> None:
        """Read the page again and let its task recompute the change from the fresh text, once."""
        fresh = self.reader.read_one(change.title)
        if change.recompute is None:
            self.report.fail(change.title, "edit-conflict", f"{why}; this change cannot be recomputed")
            return
        again = change.recompute(fresh)
        log.info("%s; recomputed from r%s", why, fresh.revid,
                 extra={"page": change.title, "action": "recompute", "task": change.task})
        if again is not None:
            self._apply_one(again, retry=False)

    def mark_for_translation(self, page: Page, transclusion: bool) -> dict:
        """Ask Translate to mark ``page`` at the revision read (``action=markfortranslation``): a
        write like a save, after the shutoff page and the run's confirmation. Raises
        :class:`ApiError` (its outcome: :func:`refusal_outcome`)."""
        self.before_action()
        extra = {"transclusion": "yes"} if transclusion else {}
        answer = self.client.write(action="markfortranslation", title=page.title, revid=page.revid, **extra)
        return answer.get("markfortranslation", {})

    def before_action(self) -> None:
        """What precedes every write, an edit or another action (marking a page for translation):
        the shutoff page (re-read at most every interval), then the run's one confirmation."""
        self.shutoff.before_save(self.reader)
        if not self._confirmed:
            self.confirm()
            self._confirmed = True

    def refusal(self, page: Page) -> tuple[str, str] | None:
        """Why a change to ``page`` would not be saved: (outcome code, message), or None.

        The same checks a change meets in :meth:`apply` (scope, redirect, {{nobots}}, protection;
        protection not in a dry run), for a task that must know before it saves a page that
        depends on this one.
        """
        if not self.scope.allows(page.title):
            return "outside-tree", f"{page.title} is outside {self.scope.root} and the bot's pages"
        excluded = self._excluded(page)
        if excluded:
            return excluded
        missing_right = None if self.dry_run else self._missing_protection_right(page)
        if missing_right:
            return "protected", f"protected ({missing_right}); the bot lacks that right"
        return None

    # -- helpers ------------------------------------------------------------------------------
    def _excluded(self, page: Page) -> tuple[str, str] | None:
        """Pages the bot never edits by policy: redirects, pages whose {{bots}} exclude it, and pages
        whose text could not be read whole."""
        if page.unreadable:
            return page.unreadable, ("the page's text is larger than the API returns in one answer; "
                                     "it is left as it is")
        if page.redirect:
            return "redirect", "redirects are never edited"
        if page.exists and not bot_may_edit(page.text, self.scope.bot_user):
            return "nobots", f"{{{{bots}}}}/{{{{nobots}}}} excludes {self.scope.bot_user}"
        return None

    def _verified(self, change: PageChange) -> bool:
        """Run the change's verification on the pages as this run's saves stored them (in a dry run:
        as it would have left them), the others read fresh; a problem is ``verification-failed``
        and the change is not saved."""
        if change.verify is None:
            return True
        written = self._dry_pages if self.dry_run else self._saved_pages
        unknown = [title for title in change.verify.titles if title not in written]
        # What this run saved (or would save) is not read back: its save's answer told what was stored.
        pages = self.reader.read(unknown) if unknown else {}
        if unknown:
            self.report.verification_reads += 1
        pages.update({title: written[title] for title in change.verify.titles if title in written})
        problems = change.verify.problems(pages)
        if problems:
            self.report.fail(change.title, "verification-failed", "; ".join(problems))
        return not problems

    def _renders_well(self, change: PageChange, retry: bool) -> bool:
        """Whether readers of the page would see what the change's render check wants (rendered by
        the wiki, as on this page); if not, the page is skipped with the check's code and any other
        tasks' parts of the change are applied without it."""
        check = change.render_check
        if check is None:
            return True
        if self.dry_run and any(title in self._dry_pages for title in check.depends_on):
            log.info("not checked in a dry run: the render depends on %s, saved first in a real run",
                     ", ".join(t for t in check.depends_on if t in self._dry_pages),
                     extra={"page": change.title, "action": "dry-run", "task": change.task})
            return True
        self._render_inputs.update(check.depends_on)
        try:
            html = self.render(check.wikitext, change.title, change.base.language)
        except ApiError as error:
            self.report.fail(change.title, "api-error", f"rendering {check.wikitext}: {error.code}: {error.info}")
            return False
        problems = check.problems(html)
        if not problems:
            return True
        self.report.skip(change.title, check.code, "; ".join(problems))
        rest = change.without_render_check(change.base) if change.without_render_check else None
        if rest is not None:
            self._apply_one(rest, retry)
        return False

    def render(self, wikitext: str, title: str, language: str = "") -> str:
        """The HTML of ``wikitext`` rendered as on page ``title`` (``action=parse``: its language, its
        templates as the wiki has them now); once per wikitext and language until a page a render
        depends on is saved."""
        key = (wikitext, language)
        if key not in self._renders:
            self._renders[key] = self.client.query(
                action="parse", title=title, text=wikitext, contentmodel="wikitext", prop="text",
                disablelimitreport=1, disableeditsection=1)["parse"]["text"]
        return self._renders[key]

    def _missing_protection_right(self, page: Page) -> str | None:
        levels = [level for action, level in page.protection if action in ("edit", "create")]
        if not levels:
            return None
        if self._rights is None:
            self._rights = self.client.rights()
        for level in levels:
            right = PROTECTION_RIGHTS.get(level, level)
            if right not in self._rights:
                return f"edit={level}"
        return None

    def _show_diff(self, change: PageChange) -> None:
        old = change.base.text.splitlines(keepends=True) if change.base.exists else []
        new = change.new_text.splitlines(keepends=True)
        fromfile = f"{change.title} (r{change.base.revid})" if change.base.exists else f"{change.title} (new page)"
        diff = difflib.unified_diff(old, new, fromfile=fromfile, tofile=f"{change.title} ({self.summary_of(change)})")
        text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                       for line in diff)
        self.out(text.rstrip("\n"))
