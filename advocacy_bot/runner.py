"""Running one command against a wiki: open it, run the task's body, report, exit with the documented code.

Every command module (``advocacy_bot/commands/``) calls :func:`run_command`; none opens a wiki itself.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import click

from .interrupt import STOPPED_READING, StopNow, stop_on_signals
from .lock import lock_path, run_lock, watch_holder, watch_lock_path
from .logs import mask, task_context
from .outcomes import BotError, ExitCode, UsageProblem
from .report import RunReport
from .settings import Settings, load_settings, read_settings_data

log = logging.getLogger(__name__)


@dataclass
class Options:
    site: str
    devwiki_dir: Path
    config: Path | None
    dry_run: bool
    report_json: Path | None
    verbose: int
    yes: bool

    def settings(self) -> Settings:
        return load_settings(self.config)


def run_command(options: Options, task: str, body: Callable, writes: bool, yield_to_watch: bool = False) -> None:
    """Open the wiki, run ``body(run)``, then report and exit with the documented code.

    ``body`` gets a :class:`~advocacy_bot.wiki.session.BotRun` and returns nothing; the exit code
    comes from the report (errors or drift: 1). ``yield_to_watch``: when a ``watch`` process keeps
    this wiki, a saving run does nothing and exits 0 (the scheduled run-all beside a watch).
    """
    sys.exit(execute(options, task, body, writes, yield_to_watch=yield_to_watch))


def execute(options: Options, task: str, body: Callable, writes: bool, yield_to_watch: bool = False,
            keep_idle: bool = True) -> int:
    """:func:`run_command` without the exit: the run's exit code. ``keep_idle=False`` (watch mode,
    whose runs mostly read nothing): the report is kept beside the lock only for a run that saved or
    failed and read the tree (idle ones would push out the reports ``undo`` needs), and a run that found
    nothing changed prints no summary unless -v (a day of them would be thousands of lines)."""
    report = RunReport(task=task, site=options.site, dry_run=options.dry_run)
    run = None
    exit_code: int = ExitCode.INTERNAL
    message = None
    declined = False
    said = False  # the reason the run stopped is on stderr already
    lock = lock_path(options.site, options.devwiki_dir)  # its folder also keeps the journal and the reports
    with ExitStack() as stack:
        stack.enter_context(task_context(task))
        stack.enter_context(stop_on_signals())
        try:
            settings = options.settings()
            confirm = _confirmation(options, writes)
            from .wiki.session import BotRun
            from .wiki.site import open_site

            # Runs that may save hold the wiki's run lock (until the run log is written); read-only
            # runs and dry runs never wait.
            if writes and not options.dry_run:
                holder = watch_holder(watch_lock_path(lock)) if yield_to_watch else None
                if holder:
                    raise _WatchKeepsTheWiki(holder)
                stack.enter_context(run_lock(lock))
            client = open_site(options.site, options.devwiki_dir)
            report.wiki, report.index_url = client.wiki_id, client.api_url.rsplit("/", 1)[0] + "/index.php"
            run = BotRun(client, settings, report, dry_run=options.dry_run,
                         out=lambda text: click.echo(text), confirm=confirm, progress=_progress_printer(),
                         writes=writes, state_dir=lock.parent)
            if settings.bot_pages.settings:
                from .onwiki import apply_settings_page

                apply_settings_page(run, *read_settings_data(options.config))
            body(run)
            exit_code = report.outcome_exit_code()
        except _WatchKeepsTheWiki as watching:
            exit_code, message = ExitCode.DONE, f"a watch process keeps this wiki ({watching}); this run did nothing"
            log.info(message, extra={"action": "watch"})
        except BotError as error:
            exit_code, message, said = error.exit_code, error.message, True
            click.echo(f"advocacy-bot: {mask(error.message)}", err=True)
        except StopNow:  # a signal at the very edge of a read (interrupt.py)
            exit_code, message, said = ExitCode.INTERRUPTED, STOPPED_READING, True
            click.echo(f"advocacy-bot: {message}", err=True)
        except click.exceptions.Abort:
            exit_code, message, declined = ExitCode.USAGE, "not confirmed; nothing saved", True
        except Exception as error:  # a bug: keep the traceback for the log (secrets masked)
            log.error("internal error", exc_info=True, extra={"action": "crash"})
            exit_code, message = ExitCode.INTERNAL, f"internal error: {error!r}"
        finally:
            if run is not None:
                run.finish(exit_code, message)
                # asked to stop: no more saves; a run that read nothing (incremental.py) has nothing new to log,
                # its failures are the last full run's, logged by it (else a watch would log them every pass)
                if writes and not declined and exit_code != ExitCode.INTERRUPTED and not report.read_nothing:
                    _write_run_log(run)
                run.client.close()
            else:
                report.finish(exit_code, 0, message)
            if options.report_json:
                report.write_json(options.report_json)
            # watch mode (keep_idle False): a run that read nothing keeps no report and prints its summary
            # only with -v, even when it reports the last full run's errors again
            keep = writes and not options.dry_run and run is not None and (
                keep_idle or ((report.edits or report.errors) and not report.read_nothing))
            kept = _keep_report(report, lock.parent) if keep else None
            summary = report.summary(with_message=not said)  # a message said above is not said twice
            if keep_idle or options.verbose or not report.read_nothing:
                click.echo(mask(summary) + (f"\n  report: {kept}" if kept else ""), err=True)
    return int(exit_code)


class _WatchKeepsTheWiki(Exception):
    """A saving run found a watch process keeping the wiki (lock.watch_holder)."""


def _keep_report(report: RunReport, state_dir: Path) -> Path | None:
    """Every saving run's report under a dated name beside the lock, the last ones kept, so that
    ``undo`` can take back any recent run; a folder that cannot be written is logged, never fatal."""
    try:
        return report.keep(state_dir / "reports")
    except OSError as error:
        log.warning("run report not kept: %s", error, extra={"action": "report"})
        return None


def _write_run_log(run) -> None:
    """The run log page's line (onwiki.py); a problem with it is logged, it never changes the exit code."""
    from .onwiki import write_run_log

    try:
        write_run_log(run)
    except BotError as error:
        log.warning("run log not written: %s", error.message, extra={"action": "run-log"})
    except Exception:  # a bug here must not hide the run's own outcome
        log.error("run log not written", exc_info=True, extra={"action": "run-log"})
    run.report.api_requests = run.client.requests_made
    run.report.api_requests_by_action = dict(run.client.counter.by_action)
    run.report.pages_read = run.reader.pages_read


def _progress_printer() -> Callable[[int, int], None] | None:
    """A one-line progress display on stderr, only when stderr is a terminal (not in job logs)."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        filled = 30 * done // max(total, 1)
        click.echo(f"\rreading pages [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", err=True,
                   nl=done >= total)

    return show


def _confirmation(options: Options, writes: bool) -> Callable[[], None]:
    """Saving to Meta-Wiki asks first (or needs --yes); without a terminal it refuses up front."""
    if not writes or options.dry_run or options.yes or options.site != "meta":
        return lambda: None
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise UsageProblem("saving to Meta-Wiki without a terminal needs --yes (or use --dry-run first)")
    def confirm() -> None:
        click.confirm("Save these changes to Meta-Wiki?", abort=True, err=True)

    return confirm
