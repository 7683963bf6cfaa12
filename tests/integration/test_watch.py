"""``watch`` on a real MediaWiki (issue 20): a process of its own, as Toolforge runs it; a human's edit
fixed within a minute, the shutoff page honoured, a scheduled run-all beside it doing nothing, SIGTERM a
clean stop. Every assertion reads the wiki back or the process's own output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.replay_stream import ReplayServer, recentchange

from .helpers import make_run, read_back
from .test_cli import cli
from .test_incremental import protected_without_header, tree  # noqa: F401 (tree: the fixture)

pytestmark = pytest.mark.devwiki

SUMMARY = "run-all on dev: "


class Watch:
    """``advocacy-bot --site dev --config SETTINGS -v watch --interval 1`` in a process of its own (-v:
    the runs that find nothing changed print their summaries too, which the test counts)."""

    def __init__(self, devwiki, tmp_path, settings, verbose=("-v",), more=("--interval", "1")):
        env = dict(os.environ, ADVOCACY_DEVWIKI_DIR=str(devwiki.directory))
        env.pop("PYWIKIBOT_DIR", None)
        self.log = tmp_path / "watch.err"
        self.process = subprocess.Popen([sys.executable, "-m", "advocacy_bot", "--site", "dev", "--config", settings,
                                         *verbose, "watch", *more], stdout=subprocess.DEVNULL,
                                        stderr=self.log.open("w"), env=env)

    def stderr(self) -> str:
        return self.log.read_text()

    def runs(self) -> int:
        return self.stderr().count(SUMMARY)

    def wait_for_runs(self, count: int, timeout: float = 60) -> None:
        """Until ``count`` runs have ended (their summaries), or fail."""
        deadline = time.monotonic() + timeout
        while self.runs() < count:
            assert self.process.poll() is None, self.stderr()
            assert time.monotonic() < deadline, self.stderr()
            time.sleep(0.2)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


def until(condition, timeout: float = 60) -> float:
    """Seconds until ``condition()`` holds (polled), or fail after ``timeout``."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, "not within the time"
        time.sleep(0.25)
    return time.monotonic() - start


def test_watch_fixes_a_humans_edit_within_a_minute_honours_the_shutoff_and_stops_on_sigterm(
        devwiki, tmp_path, tree):  # noqa: F811
    root, settings = tree
    faq = f"{root}/FAQ"
    fixed = read_back(devwiki, faq)[faq].text
    header = next(line for line in fixed.splitlines() if f"{root}/Header" in line)
    broken = fixed.replace(header + "\n", "", 1)
    watch = Watch(devwiki, tmp_path, settings)
    try:
        watch.wait_for_runs(1)
        assert "nothing changed since " in watch.stderr() and "; exit 0" in watch.stderr()

        # beside a watch, a scheduled run-all does nothing and succeeds; a second watch is refused
        scheduled = cli("--site", "dev", "--config", settings, "run-all", devwiki=devwiki)
        assert scheduled.returncode == 0 and "a watch process keeps this wiki (watch pid " in scheduled.stderr
        second = cli("--site", "dev", "--config", settings, "watch", devwiki=devwiki)
        assert second.returncode == 4 and "a watch of this wiki is running already" in second.stderr

        devwiki.edit_as("Alice", faq, broken, "no header")
        delay = until(lambda: read_back(devwiki, faq)[faq].text == fixed)
        print(f"\nwatch: a human's edit fixed {delay:.1f} s after it was saved")
        assert delay < 60

        # the shutoff page: runs do nothing while it says stop, and the work resumes when it is cleared
        shutoff = f"User:AdvocacyBot/Shutoff {root}"
        devwiki.edit_as("Admin", shutoff, "Stop: checking the header", "stop the bot")
        until(lambda: "Stop: checking the header" in watch.stderr())
        devwiki.edit_as("Alice", faq, broken, "no header again")
        seen = watch.runs()
        watch.wait_for_runs(seen + 3)
        assert read_back(devwiki, faq)[faq].text == broken
        assert watch.process.poll() is None  # still watching
        devwiki.edit_as("Admin", shutoff, "", "go on")
        until(lambda: read_back(devwiki, faq)[faq].text == fixed)
    finally:
        code = watch.stop()
    assert code == 0, watch.stderr()
    assert "advocacy-bot watch: stopped by a signal after " in watch.stderr()
    assert "Traceback" not in watch.stderr()


def test_a_watch_whose_settings_are_wrong_ends_at_once(devwiki, tmp_path):
    settings = tmp_path / "settings.yaml"
    settings.write_text("root: Somewhere\nnav: {template: 42}\n")
    started = time.monotonic()
    result = cli("--site", "dev", "--config", str(settings), "watch", "--interval", "1", devwiki=devwiki)
    assert result.returncode == 2, result.stderr
    assert "watch ends" in result.stderr and time.monotonic() - started < 60


def test_runs_that_find_nothing_changed_print_nothing_without_v(devwiki, tmp_path, tree):  # noqa: F811
    root, settings = tree
    watch = Watch(devwiki, tmp_path, settings, verbose=())
    try:
        until(lambda: "stops" in watch.stderr())
        time.sleep(4)  # several runs at a 1 s interval
    finally:
        code = watch.stop()
    assert code == 0 and SUMMARY not in watch.stderr(), watch.stderr()
    assert watch.stderr().splitlines()[-1].startswith("advocacy-bot watch: stopped by a signal after ")
    runs = int(watch.stderr().splitlines()[-1].split(" after ")[1].split()[0])
    assert runs >= 2


def test_pywikibots_event_stream_reads_the_replay_and_reconnects_from_the_last_event(devwiki):
    """wiki/stream.py's reader over pywikibot.comms.eventstreams (requests-sse), against the local
    replay: the server closes the connection after every 2 events; no event is lost or repeated."""
    from advocacy_bot.wiki.stream import StreamWaker, pywikibot_events, wakes

    titles = ["Elsewhere", "Tree/A", "Tree/B", "Other", "Tree/C"]
    server = ReplayServer([recentchange(n, title, "127.0.0.1") for n, title in enumerate(titles)], per_connection=2)
    run = make_run(devwiki, "Tree")
    seen: list[str] = []
    waker = StreamWaker(pywikibot_events(run.client.site, server.url, retry_ms=50),
                        lambda event: seen.append(event["title"]) or wakes(event, "127.0.0.1", "Tree"), lambda: None)
    try:
        waker.start()
        until(lambda: len(seen) == len(titles), timeout=30)
        assert seen == titles and waker.woken == 3
        assert server.last_event_ids[0] is None and len(server.last_event_ids) >= 3
        assert '"offset": 1001' in server.last_event_ids[1] and '"offset": 1003' in server.last_event_ids[2]
    finally:
        waker.stop()
        server.close()
        run.client.close()


def test_watch_with_a_stream_fixes_an_edit_long_before_its_interval(devwiki, tmp_path, tree):  # noqa: F811
    root, settings = tree
    faq = f"{root}/FAQ"
    fixed = read_back(devwiki, faq)[faq].text
    header = next(line for line in fixed.splitlines() if f"{root}/Header" in line)
    server = ReplayServer([recentchange(0, "Somewhere else", "127.0.0.1")], per_connection=100)
    watch = Watch(devwiki, tmp_path, settings, more=("--interval", "300", "--stream", server.url))
    try:
        watch.wait_for_runs(1)
        until(lambda: server.last_event_ids, timeout=30)  # the stream is open
        devwiki.edit_as("Alice", faq, fixed.replace(header + "\n", "", 1), "no header")
        server.more(recentchange(1, faq, "127.0.0.1"))
        delay = until(lambda: read_back(devwiki, faq)[faq].text == fixed, timeout=60)
        print(f"\nwatch --stream: a human's edit fixed {delay:.1f} s after its event (interval 300 s)")
        assert delay < 60
        watch.wait_for_runs(2)
        assert watch.stderr().count("a change in the tree, from the event stream: running now") == 1
    finally:
        code = watch.stop()
        server.close()
    assert code == 0, watch.stderr()


def test_stream_auto_needs_a_wiki_with_eventstreams(devwiki):
    result = cli("--site", "dev", "watch", "--stream", "auto", devwiki=devwiki)
    assert result.returncode == 2 and "the dev wiki has no EventStreams" in result.stderr


def test_idle_passes_that_report_a_lasting_error_again_keep_no_report_and_print_nothing(
        devwiki, tmp_path, tree):  # noqa: F811
    """A protected page fails every pass (exit 1, the last full run's error): the passes must not push
    the reports undo needs out of the folder, nor print the same summary every interval."""
    root, settings = tree
    protected_without_header(devwiki, root)
    assert cli("--site", "dev", "--config", settings, "run-all", devwiki=devwiki).returncode == 1
    reports = sorted((devwiki.directory / "reports").glob("*.json"))
    watch = Watch(devwiki, tmp_path, settings, verbose=())
    try:
        until(lambda: "stops" in watch.stderr())
        time.sleep(4)  # several passes at a 1 s interval, each exit 1
    finally:
        code = watch.stop()
    assert code == 0 and SUMMARY not in watch.stderr(), watch.stderr()
    assert int(watch.stderr().splitlines()[-1].split(" after ")[1].split()[0]) >= 2
    assert sorted((devwiki.directory / "reports").glob("*.json")) == reports
