"""Watch mode: ``run-all`` again and again, each run incremental (incremental.py), until a signal.

A run after which nothing changed costs one request, so a short interval is cheap: a human's edit in
the tree is fixed by the first run after it, within the interval and the time of one full run. The
daily full read and the archiving of threads that fall due happen by themselves, as in scheduled runs
(each run ages threads as of its own start). Every run is a normal run (runner.execute): the run lock
while it lasts, the shutoff page, every guard, its summary on stderr, its report.

Between runs the loop waits, ended at once by SIGTERM or SIGINT; a signal during a run stops that run
at its next request as in any run (exit 6 in its summary), and the loop ends: exit 0, a clean stop.
The whole time it holds the watch lock (lock.watch_lock): no second watch of the same wiki, and a
scheduled run-all of that wiki does nothing while it runs.

A run that fails as a whole (exit 2, 4, 5) makes the next wait longer (:func:`next_wait`), so that a
lasting problem (a blocked account, a wiki down, an untrusted roster) costs little until someone fixes
it; exit 2 in the very first run (the settings file, a trust problem at start) ends the watch, exit 2.
The shutoff page (exit 3) is asked about again at the normal interval: clearing it resumes the work.

With an event stream (``--stream``, wiki/stream.py), an event about a page of the tree ends the wait
early: the next run starts STREAM_SETTLE seconds after it, and never sooner than STREAM_GAP seconds
after the last run ended (a burst of saves, a translator's fifty units, makes a few runs, not fifty).
The interval's polling goes on beside it
(the stream is a hint: a lost event delays a fix by one interval at most).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import click

from .interrupt import pause, requested, stop_on_signals
from .lock import lock_path, watch_lock, watch_lock_path
from .outcomes import BotError, ExitCode

log = logging.getLogger(__name__)

STREAM_SETTLE = 2.0  # seconds between an event and the run it starts
STREAM_GAP = 10.0  # seconds at least between the end of a run and a run an event starts
MAX_WAIT = 15 * 60.0  # seconds: the longest wait after failing runs
RESUMING = (ExitCode.DONE, ExitCode.PAGES_FAILED, ExitCode.SHUTOFF)  # outcomes that are no failure of the run


def say(line: str) -> None:
    """The watch's own lines, on stderr beside the runs' summaries (whatever the log level)."""
    click.echo(line, err=True)


def next_wait(interval: float, failures: int) -> float:
    """Seconds before the next run: the interval, doubled for every failed run in a row, at most MAX_WAIT."""
    return min(MAX_WAIT, interval * 2 ** min(failures, 16)) if failures else interval


def watch(site: str, devwiki_dir, run_once: Callable[[datetime], int], interval: float,
          clock: Callable[[], datetime] = lambda: datetime.now(UTC),
          stream: Callable[[Callable[[], None]], object] | None = None) -> int:
    """Run ``run_once(moment)`` (one incremental run-all, its exit code) until a signal; the exit code
    of the watch itself. ``stream(wake)``: starts a reader of the wiki's event stream that calls
    ``wake()`` when a page of the tree changes (wiki/stream.py): the next run starts then, not at the
    end of the interval."""
    woken = threading.Event()
    with stop_on_signals():
        try:
            with watch_lock(watch_lock_path(lock_path(site, devwiki_dir))):
                if stream is not None:
                    stream(woken.set)
                return _loop(run_once, interval, clock, woken)
        except BotError as error:  # the watch lock is held: another watch of this wiki (its runs catch their own)
            log.error(error.message, extra={"action": "watch"})
            return int(error.exit_code)


def _loop(run_once: Callable[[datetime], int], interval: float, clock: Callable[[], datetime],
          woken: threading.Event) -> int:
    failures = 0
    runs = 0
    say(f"advocacy-bot watch: a run, then another {interval:g} s after each one ends; SIGTERM or Ctrl-C stops")
    while not requested():
        code = run_once(clock())
        ended = time.monotonic()
        runs += 1
        if requested():
            break
        if code == ExitCode.USAGE and runs == 1:
            say("advocacy-bot watch: the first run found a problem of the settings (above); watch ends, exit 2")
            return int(code)
        failures = 0 if code in RESUMING else failures + 1
        wait = next_wait(interval, failures)
        if failures:
            log.warning("run failed (exit %d), %d in a row; next run in %.0f s", code, failures, wait,
                        extra={"action": "watch"})
        if pause(wait, woken if not failures else None):  # after failures, the stream does not hurry it
            break
        if woken.is_set():
            # an event says a page changed: give the wiki's replicas a moment to list it in the recent
            # changes the run asks (an event can come before its row is there everywhere), and keep
            # the gap after the last run (the events meanwhile are taken by the one run that follows)
            if pause(max(STREAM_SETTLE, STREAM_GAP - (time.monotonic() - ended))):
                break
            woken.clear()
            log.info("a change in the tree, from the event stream: running now", extra={"action": "watch"})
    say(f"advocacy-bot watch: stopped by a signal after {runs} runs")
    return int(ExitCode.DONE)
