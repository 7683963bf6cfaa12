"""Stopping a run on SIGINT (Ctrl-C) and SIGTERM (how Toolforge stops a job) at a safe point.

A signal only sets a flag; the wiki client checks it before every request
(:func:`check`), so a run stops between two requests, never inside a save, and the runner still
writes the summary and the report, which list every save made. Exit code 6. A second signal is
the same request again: the run is already stopping.
"""

from __future__ import annotations

import logging
import signal
import threading
from contextlib import contextmanager
from typing import Iterator

from .outcomes import Interrupted

log = logging.getLogger(__name__)
_requested = threading.Event()
_signal_name = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}


def _handle(number, frame) -> None:
    if not _requested.is_set():
        log.warning("%s received: stopping before the next request", _signal_name.get(number, number),
                    extra={"action": "interrupt"})
    _requested.set()


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the run lasts, SIGINT and SIGTERM ask it to stop (see :func:`check`)."""
    if threading.current_thread() is not threading.main_thread():  # signals go to the main thread only
        yield
        return
    _requested.clear()
    previous = {number: signal.signal(number, _handle) for number in _signal_name}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _requested.clear()


def check() -> None:
    """Raise :class:`Interrupted` when a signal asked the run to stop."""
    if _requested.is_set():
        raise Interrupted("stopped by a signal before the next request; the report lists every save made")
