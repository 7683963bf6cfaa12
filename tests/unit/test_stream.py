"""The event stream's side of watch mode without a wiki: which recentchange events wake the watch, the
reader thread going on after failures, and the wait that an event ends early."""

from __future__ import annotations

import threading
import time

from advocacy_bot.interrupt import pause, stop_on_signals
from advocacy_bot.wiki.stream import StreamWaker, event_titles, wakes
from tests.replay_stream import recentchange

SERVER = "meta.wikimedia.org"
ROOT = "Global Advocacy"


def test_events_of_this_wiki_about_the_tree_or_the_bots_pages_wake_and_others_do_not():
    assert wakes(recentchange(0, f"{ROOT}/FAQ", SERVER), SERVER, ROOT)
    assert wakes(recentchange(1, f"Talk:{ROOT}", SERVER, namespace=1), SERVER, ROOT)
    assert not wakes(recentchange(2, f"{ROOT}/FAQ", "de.wikipedia.org"), SERVER, ROOT)
    assert not wakes(recentchange(3, "Main Page", SERVER), SERVER, ROOT)
    assert not wakes(recentchange(4, f"{ROOT}/FAQ", SERVER, meta={"domain": "canary"}), SERVER, ROOT)
    assert wakes(recentchange(5, "Template:Header", SERVER), SERVER, ROOT, own=["Template:Header"])
    assert wakes(recentchange(8, f"Translations:Template:{ROOT}/Header/3/ja", SERVER, namespace=1198), SERVER, ROOT)


def test_a_move_into_the_tree_wakes_by_its_target():
    move = recentchange(6, "Draft", SERVER, kind="log", log_type="move", log_action="move",
                        log_params={"target": f"{ROOT}/Draft", "noredir": "0"})
    assert event_titles(move) == ["Draft", f"{ROOT}/Draft"] and wakes(move, SERVER, ROOT)
    assert event_titles(recentchange(7, "Draft", SERVER, kind="log", log_type="delete", log_params=[])) == ["Draft"]


def test_the_reader_wakes_for_accepted_events_and_opens_the_stream_again_after_a_failure():
    woken = threading.Event()
    waits = []
    batches = [RuntimeError("connection refused"),
               [recentchange(0, "Main Page", SERVER), recentchange(1, f"{ROOT}/FAQ", SERVER)]]

    def events():
        batch = batches.pop(0) if batches else None
        if batch is None:
            threading.Event().wait()  # the stream stays open, quiet
        if isinstance(batch, Exception):
            raise batch
        return iter(batch)

    waker = StreamWaker(events, lambda event: wakes(event, SERVER, ROOT), woken.set, sleep=waits.append)
    waker.start()
    assert woken.wait(5)
    assert waits[0] == 2.0 and waker.failures == 0  # the failure waited, then the stream was opened again
    deadline = time.monotonic() + 5
    while waker.received < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (waker.received, waker.woken) == (2, 1)


def test_a_wake_ends_the_pause_early_and_a_signal_still_wins():
    wake = threading.Event()
    with stop_on_signals():
        threading.Timer(0.2, wake.set).start()
        started = time.monotonic()
        assert pause(30, wake) is False and time.monotonic() - started < 5
        wake.clear()
        started = time.monotonic()
        assert pause(0.3, wake) is False and time.monotonic() - started >= 0.3
