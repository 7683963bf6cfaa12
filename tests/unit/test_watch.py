"""The watch loop without a wiki: waits between runs, backing off after failed runs, the first run's
settings problem, a signal ending the loop cleanly, one watch per wiki (the watch lock)."""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import UTC, datetime

import pytest

from advocacy_bot import watch as watch_module
from advocacy_bot.lock import lock_path, watch_holder, watch_lock, watch_lock_path
from advocacy_bot.outcomes import ExitCode
from advocacy_bot.watch import MAX_WAIT, next_wait, watch

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def test_the_wait_doubles_with_every_failed_run_in_a_row_up_to_fifteen_minutes():
    assert [next_wait(30, failures) for failures in range(6)] == [30, 60, 120, 240, 480, 900]
    assert next_wait(30, 1000) == MAX_WAIT


def scripted(codes, on_call=None):
    """A run_once answering ``codes`` in turn; the moments it was given."""
    moments = []

    def run_once(moment):
        moments.append(moment)
        if on_call:
            on_call(len(moments))
        return codes[min(len(moments), len(codes)) - 1]
    return run_once, moments


def test_failed_runs_lengthen_the_wait_and_a_good_run_resets_it(monkeypatch, tmp_path):
    waits = []

    def pause(seconds, wake=None):
        waits.append(seconds)
        return len(waits) == 6  # a signal during the sixth wait
    monkeypatch.setattr(watch_module, "pause", pause)
    codes = [ExitCode.DONE, ExitCode.ABORTED, ExitCode.INTERNAL, ExitCode.SHUTOFF, ExitCode.ABORTED,
             ExitCode.PAGES_FAILED]
    run_once, moments = scripted(codes)
    assert watch("dev", tmp_path, run_once, 10, clock=lambda: NOW) == 0
    assert waits == [10, 20, 40, 10, 20, 10] and len(moments) == 6


def test_a_settings_problem_in_the_first_run_ends_the_watch_and_a_later_one_does_not(monkeypatch, tmp_path):
    run_once, moments = scripted([ExitCode.USAGE])
    assert watch("dev", tmp_path, run_once, 10, clock=lambda: NOW) == ExitCode.USAGE and len(moments) == 1

    waits = []
    monkeypatch.setattr(watch_module, "pause", lambda seconds, wake=None: waits.append(seconds) or len(waits) == 2)
    run_once, moments = scripted([ExitCode.DONE, ExitCode.USAGE])
    assert watch("dev", tmp_path, run_once, 10, clock=lambda: NOW) == 0 and waits == [10, 20]


def test_sigterm_during_a_run_ends_the_loop_after_that_run_and_restores_the_handler(tmp_path):
    before = signal.getsignal(signal.SIGTERM)
    run_once, moments = scripted([ExitCode.DONE], on_call=lambda n: n == 3 and os.kill(os.getpid(), signal.SIGTERM))
    assert watch("dev", tmp_path, run_once, 0.01, clock=lambda: NOW) == 0
    assert len(moments) == 3 and signal.getsignal(signal.SIGTERM) is before


def test_one_watch_per_wiki_and_the_lock_says_who_holds_it(tmp_path):
    path = watch_lock_path(lock_path("dev", tmp_path))
    assert watch_holder(path) is None
    run_once, moments = scripted([ExitCode.DONE])
    with watch_lock(path):
        assert watch_holder(path).startswith(f"watch pid {os.getpid()} since ")
        assert watch("dev", tmp_path, run_once, 10) == ExitCode.ABORTED and moments == []
    assert watch_holder(path) is None


def test_a_signal_inside_a_runs_own_signal_block_still_ends_the_loop(tmp_path):
    """Each run enters stop_on_signals itself (runner.execute); nested, it must not forget the signal."""
    from advocacy_bot.interrupt import requested, stop_on_signals

    calls = []

    def run_once(moment):
        calls.append(moment)
        with stop_on_signals():
            os.kill(os.getpid(), signal.SIGTERM)
            assert requested()
        return ExitCode.INTERRUPTED
    assert watch("dev", tmp_path, run_once, 10, clock=lambda: NOW) == 0 and len(calls) == 1
    assert not requested()


@pytest.mark.parametrize("code", [ExitCode.DONE, ExitCode.PAGES_FAILED])
def test_each_run_gets_the_time_it_starts_at(monkeypatch, tmp_path, code):
    times = iter([NOW, NOW.replace(hour=13)])
    monkeypatch.setattr(watch_module, "pause", lambda seconds, wake=None: False)
    run_once, moments = scripted([code], on_call=lambda n: n == 2 and os.kill(os.getpid(), signal.SIGTERM))
    assert watch("dev", tmp_path, run_once, 1, clock=lambda: next(times)) == 0
    assert moments == [NOW, NOW.replace(hour=13)]


def test_an_event_from_the_stream_starts_the_next_run_before_the_interval_ends(tmp_path):
    starts = []

    def stream(wake):
        threading.Timer(0.3, wake).start()  # an event about the tree, soon after the first run: the next
        # run waits out the gap after the first one, not the whole interval

    def run_once(moment):
        starts.append(time.monotonic())
        if len(starts) == 2:
            os.kill(os.getpid(), signal.SIGTERM)
        return ExitCode.DONE
    assert watch("dev", tmp_path, run_once, 60, clock=lambda: NOW, stream=stream) == 0
    assert len(starts) == 2 and watch_module.STREAM_GAP <= starts[1] - starts[0] < watch_module.STREAM_GAP + 5
