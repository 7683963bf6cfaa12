"""Wikimedia's EventStreams for watch mode: a thread that wakes the watch when a page of the tree changes.

The stream is only a hint. A ``mediawiki.recentchange`` event for the wiki's server and a page of the
tree (or one of the bot's own pages) wakes the watch at once instead of at the end of its interval; the
run that follows decides from the recent changes as every incremental run does (incremental.py), so an
event that is lost, late, repeated or forged costs at most a run that finds nothing, and the interval's
polling still finds every change. Reading uses pywikibot's client (``pywikibot.comms.eventstreams``,
on the ``requests-sse`` package), which reconnects after a dropped connection with the last event id
it saw (``Last-Event-ID``), so no event is skipped; when the stream fails as a whole, the thread waits
(doubling, up to 5 minutes) and opens it again (the changes meanwhile: found by the polling).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ..tree import bears_on_tree

log = logging.getLogger(__name__)

RETRY_LIMIT = 300.0  # seconds: the longest wait before opening a failed stream again


def event_titles(event: Mapping[str, Any]) -> list[str]:
    """The titles a recentchange event is about: its page, and a move's target."""
    titles = [str(event.get("title", ""))]
    params = event.get("log_params")
    if event.get("log_type") == "move" and isinstance(params, dict) and params.get("target"):
        titles.append(str(params["target"]))
    return [title for title in titles if title]


def wakes(event: Mapping[str, Any], server_name: str, root: str, own: Iterable[str] = ()) -> bool:
    """Whether ``event`` is one the watch should run for: of this wiki, about a page of the tree or one
    of the bot's own pages (never canary events, which the stream sends to test itself)."""
    meta = event.get("meta")
    if isinstance(meta, dict) and meta.get("domain") == "canary":
        return False
    if event.get("server_name") != server_name:
        return False
    owned = set(own)
    return any(bears_on_tree(title, root) or title in owned for title in event_titles(event))


class StreamWaker(threading.Thread):
    """Reads ``events()`` (an iterator of recentchange events; opened again when it fails or ends) and
    calls ``wake()`` for each event ``accept`` takes. A daemon thread: the watch never waits for it."""

    def __init__(self, events: Callable[[], Iterator[Mapping[str, Any]]], accept: Callable[[Mapping], bool],
                 wake: Callable[[], None], sleep: Callable[[float], None] = time.sleep):
        super().__init__(name="advocacy-bot event stream", daemon=True)
        self.events, self.accept, self.wake, self.sleep = events, accept, wake, sleep
        self.received = 0
        self.woken = 0
        self.failures = 0
        self.stopped = threading.Event()

    def stop(self) -> None:
        """No more waking, and no reopening once the stream fails or ends (a reconnect under way in
        pywikibot's client still runs out: the thread is a daemon)."""
        self.stopped.set()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                for event in self.events():
                    if self.stopped.is_set():
                        return
                    self.failures = 0
                    self.received += 1
                    if self.accept(event):
                        self.woken += 1
                        self.wake()
            except Exception as error:  # the stream's failure must never end the watch
                if self.stopped.is_set():
                    return
                self.failures += 1
                wait = min(RETRY_LIMIT, 2.0 ** self.failures)
                log.warning("event stream failed (%s); opened again in %.0f s", error, wait,
                            extra={"action": "stream"})
                self.sleep(wait)
                continue
            self.sleep(1.0)  # the stream ended: open it again


def pywikibot_events(site, url: str | None = None, retry_ms: int | None = None
                     ) -> Callable[[], Iterator[Mapping[str, Any]]]:
    """Events of ``mediawiki.recentchange`` through pywikibot's EventStreams, for ``site`` (a pywikibot
    APISite): Wikimedia's server from the site's family, or ``url`` (a replay in the tests).
    ``retry_ms``: the first wait before reconnecting after a dropped connection (pywikibot: 5 s)."""
    from pywikibot.comms.eventstreams import EventStreams

    def events() -> Iterator[Mapping[str, Any]]:
        options: dict[str, Any] = {"site": site, "streams": "recentchange"}
        if url:
            options["url"] = url
        if retry_ms:
            options["retry"] = retry_ms
        return iter(EventStreams(**options))
    return events
