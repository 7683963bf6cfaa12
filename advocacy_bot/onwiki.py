"""On-wiki controls besides the shutoff page: a settings page maintainers can edit, and the run log.

The settings page (``bot_pages.settings``, JSON, optional) is layered over the settings file. It is
trusted only as the roster is: the bot's own user JSON page or a page only administrators can edit
(:func:`~advocacy_bot.roster.is_trusted_page`); it is validated as the file is; and it may only set
``nav``, ``staff`` and ``archive``. What decides where the bot edits (``root``, ``legacy_roots``,
``bot_pages``) stays in the operator's file, so the page can never widen the edit scope; a
``staff.roster`` it names must be a page on the wiki (``wiki:<title>``), never a file of the
operator's machine. A missing page means "no on-wiki settings"; an untrusted or invalid one stops
the run before anything is saved (exit 2).

The run log (``bot_pages.run_log``, optional) gets one line per run that made edits or had failures:
time, task, edits with links to their diffs, skips, failures and the exit code; the oldest lines go
once there are :data:`RUN_LOG_KEEP`. Its own edit is not one of the run's edits (not in the report,
not undone by ``undo``).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from functools import partial
from typing import Any

from . import ownership
from .outcomes import ExitCode, UsageProblem
from .ownership import mark_comment
from .plan import Page, PageChange, change_for
from .report import RunReport
from .roster import WIKI_PREFIX, is_trusted_page
from .settings import Settings, parse_settings

log = logging.getLogger(__name__)

ONWIKI_KEYS = ("nav", "staff", "archive")
SCOPE_KEYS = ("root", "legacy_roots", "bot_pages")
RUN_LOG_KEEP = 100
RUN_LOG_TASK = "run-log"
_SHOWN_DIFFS = 10
_SHOWN_ERRORS = 5
_ENTRY = re.compile(r"^\* \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC · ")


# -- the settings page ------------------------------------------------------------------------------

def merged_settings(file_data: dict, wiki_data: Any, file_source: str, title: str) -> Settings:
    """The file's settings with the page's ``nav``/``staff``/``archive`` laid over them, validated.

    A section the page gives replaces the file's keys one by one (``nav: {tabs: [...]}`` keeps the
    file's ``nav.template``).
    """
    where = f"on-wiki settings {title}"
    if not isinstance(wiki_data, dict):
        raise UsageProblem(f"{where}: expected a JSON object, got {type(wiki_data).__name__}")
    scope = sorted(set(wiki_data) & set(SCOPE_KEYS))
    if scope:
        raise UsageProblem(f"{where}: {', '.join(scope)} cannot be set on the wiki (it decides where the bot "
                           f"edits); only {', '.join(ONWIKI_KEYS)} can; change the settings file instead")
    roster = (wiki_data.get("staff") or {}).get("roster") if isinstance(wiki_data.get("staff"), dict) else None
    if roster is not None and not (isinstance(roster, str) and roster.startswith(WIKI_PREFIX)):
        raise UsageProblem(f"{where}: staff.roster must name a page on the wiki (wiki:<title>), not {roster!r}")
    merged = dict(file_data)
    for key, value in wiki_data.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return parse_settings(merged, source=f"{file_source} + {where}")


def settings_page_problem(page: Page, bot_user: str) -> str | None:
    """Why the settings page cannot be used (None: trusted, or absent and so not used)."""
    if not page.exists:
        return None
    if page.redirect:
        return f"the on-wiki settings page {page.title} is a redirect; name its target in bot_pages.settings"
    if not is_trusted_page(page, bot_user):
        levels = ", ".join(f"{action}={level}" for action, level in page.protection) or "none"
        return (f"the on-wiki settings page {page.title} is not trusted: it is not {bot_user}'s own user JSON "
                f"page and not protected so that only administrators can edit it (protection: {levels}); "
                f"protect it (edit=sysop) or use User:{bot_user}/settings.json")
    return None


def apply_settings_page(run, file_data: dict, file_source: str) -> None:
    """Read the on-wiki settings page, if the settings name one, and lay it over ``run.settings``."""
    title = run.bot_pages.settings
    if not title:
        return
    page = run.read([title])[title]
    problem = settings_page_problem(page, run.client.bot_user)
    if problem:
        raise UsageProblem(problem)
    if not page.exists:
        log.info("no on-wiki settings page; the settings file alone applies", extra={"page": title})
        return
    try:
        data = json.loads(page.text)
    except json.JSONDecodeError as error:
        raise UsageProblem(f"on-wiki settings {title} is not valid JSON: {error}") from error
    run.settings = merged_settings(file_data, data, file_source, title)
    log.info("on-wiki settings applied (r%s)", page.revid, extra={"page": title, "action": "settings"})


# -- the run log ------------------------------------------------------------------------------------

def should_log(report: RunReport) -> bool:
    """A line only for a saving run that made edits or had failures (never after a shutoff or abort:
    the bot must not save then)."""
    if report.dry_run or report.exit_code not in (ExitCode.DONE, ExitCode.PAGES_FAILED, ExitCode.USAGE):
        return False
    return bool(report.edits or report.errors or report.exit_code == ExitCode.USAGE)


def run_log_line(report: RunReport, when: datetime) -> str:
    """``* 2026-11-22 01:30 UTC · run-all · 2 edits (diff links) · 1 skipped · 0 failed · exit 0``."""
    diffs = [f"[[Special:Diff/{edit.new_revid}|{edit.title}]]" for edit in report.edits if edit.new_revid]
    edits = f"{len(report.edits)} edit{'' if len(report.edits) == 1 else 's'}"
    if diffs:
        more = f", and {len(diffs) - _SHOWN_DIFFS} more" if len(diffs) > _SHOWN_DIFFS else ""
        edits += f" ({', '.join(diffs[:_SHOWN_DIFFS])}{more})"
    failed = f"{len(report.errors)} failed"
    if report.errors:
        shown = [f"[[:{error.title}]]: {error.code}" for error in report.errors[:_SHOWN_ERRORS]]
        more = ", ..." if len(report.errors) > _SHOWN_ERRORS else ""
        failed += f" ({', '.join(shown)}{more})"
    parts = [when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"), report.task, edits,
             f"{len(report.skipped)} skipped", failed, f"exit {report.exit_code}"]
    line = "* " + " · ".join(parts)
    if report.message:
        message = report.message.splitlines()[0][:200].replace("</nowiki", "&lt;/nowiki")
        line += f": <nowiki>{message}</nowiki>"
    return line


def append_entry(text: str, line: str, keep: int = RUN_LOG_KEEP) -> str:
    """``text`` with ``line`` appended as the newest entry and only the newest ``keep`` entries kept;
    any other text on the page (an introduction) stays as it is."""
    lines = text.rstrip("\n").splitlines() if text.strip() else []
    entries = [index for index, existing in enumerate(lines) if _ENTRY.match(existing)]
    dropped = set(entries[:max(0, len(entries) + 1 - keep)])
    kept = [existing for index, existing in enumerate(lines) if index not in dropped]
    return "\n".join(kept + [line])


def run_log_change(page: Page, line: str, summary: str, bot_user: str) -> PageChange | None:
    text = page.text if page.exists else (
        f"Runs of [[User:{bot_user}|{bot_user}]] that made edits or had failures, newest last "
        f"(the bot keeps the last {RUN_LOG_KEEP}).\n{mark_comment(bot_user)}")
    return change_for(page, append_entry(text, line), summary, RUN_LOG_TASK,
                      partial(_run_log_again, line, summary, bot_user))


def _run_log_again(line: str, summary: str, bot_user: str, fresh: Page) -> PageChange | None:
    return run_log_change(fresh, line, summary, bot_user)


def write_run_log(run, when: datetime | None = None) -> None:
    """Append this run's line to the run log page, when there is one and the run deserves a line."""
    title = run.bot_pages.run_log
    report = run.report
    if not title or not should_log(report):
        return
    line = run_log_line(report, when or datetime.now(UTC))
    summary = (f"Run log: {report.task}, {len(report.edits)} edits, {len(report.errors)} failed, "
               f"exit {report.exit_code}")
    page = run.read([title])[title]
    # the run may have stopped for this very reason
    problem = run.ownership_problem(ownership.WholePage("bot_pages.run_log", title), page)
    if problem:
        log.warning("run log not written: %s", problem, extra={"page": title, "action": "run-log"})
        return
    change = run_log_change(page, line, summary, run.client.bot_user)
    # Saved with the run's guards, but outside its report: the log is bookkeeping, not one of the
    # run's edits (undo leaves it; a run's edit count stays the tree's).
    own = RunReport(task=RUN_LOG_TASK, site=report.site, dry_run=False)
    run.applier.apply_aside([change] if change else [], own)
    for problem in own.errors + own.skipped:
        log.warning("run log not written: %s (%s)", problem.code, problem.message,
                    extra={"page": title, "action": "run-log"})
