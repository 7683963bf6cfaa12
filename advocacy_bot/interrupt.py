"""Stopping a run on SIGINT (Ctrl-C) and SIGTERM (how Toolforge stops a job) at a safe point.

A signal sets a flag; the wiki client checks it before every request (:func:`check`), so a run
stops between two requests, never inside a save, and the runner still writes the summary and the
report, which list every save made. Exit code 6. A second signal is the same request again: the
run is already stopping.

A read changes nothing, so it need not be waited for: while one is under way (:func:`interruptible`,
around the client's read requests, pywikibot's throttle and maxlag waits included) the signal ends
it at once. A slow or hanging read never keeps a stopped job alive until Toolforge kills it; a save
under way is always let finish (it is bounded by the request timeout).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .outcomes import Interrupted

log = logging.getLogger(__name__)
_requested = threading.Event()
_signal_name = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}


_reading = False  # a read request is under way: a signal may end it at once


class StopNow(BaseException):
    """Raised by the signal handler inside a read. A BaseException: pywikibot retries a request on
    any ``Exception``; :func:`interruptible` (or the runner, for a signal at its very edge) turns it
    into :class:`Interrupted`."""


def _handle(number, frame) -> None:
    if not _requested.is_set():
        log.warning("%s received: stopping before the next request", _signal_name.get(number, number),
                    extra={"action": "interrupt"})
    _requested.set()
    if _reading:
        raise StopNow()


class interruptible:
    """``with interruptible():`` around a read, which a signal may end at once (see the module)."""

    def __enter__(self) -> None:
        global _reading
        check()
        _reading = threading.current_thread() is threading.main_thread()

    def __exit__(self, kind, value, traceback) -> None:
        global _reading
        _reading = False
        if kind is StopNow:
            raise Interrupted(STOPPED_READING) from None


STOPPED_READING = "stopped by a signal during a read; the report lists every save made"


_depth = 0  # stop_on_signals blocks entered: watch mode's around each of its runs'


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the run lasts, SIGINT and SIGTERM ask it to stop (see :func:`check`).

    Nested (watch mode around its runs), only the outermost block installs and clears: a signal that
    stopped one run is still there for the loop to see (:func:`requested`)."""
    global _depth
    if threading.current_thread() is not threading.main_thread():  # signals go to the main thread only
        yield
        return
    _depth += 1
    if _depth > 1:
        try:
            yield
        finally:
            _depth -= 1
        return
    _requested.clear()
    previous = {number: signal.signal(number, _handle) for number in _signal_name}
    try:
        yield
    finally:
        _depth -= 1
        for number, handler in previous.items():
            signal.signal(number, handler)
        _requested.clear()


def requested() -> bool:
    """Whether a signal asked to stop (within :func:`stop_on_signals`)."""
    return _requested.is_set()


def pause(seconds: float, wake: threading.Event | None = None) -> bool:
    """Sleep up to ``seconds``, ended at once by a signal (True: a signal asked to stop) or by ``wake``
    being set (False, as when the time is up)."""
    if wake is None:
        return _requested.wait(max(0.0, seconds))
    deadline = time.monotonic() + seconds
    while not wake.is_set():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        if _requested.wait(min(remaining, 0.1)):
            return True
    return _requested.is_set()


def check() -> None:
    """Raise :class:`Interrupted` when a signal asked the run to stop."""
    if _requested.is_set():
        raise Interrupted("stopped by a signal before the next request; the report lists every save made")
