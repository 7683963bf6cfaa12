"""Issue 15 item 5, live: SIGTERM (how Toolforge stops a job) and SIGINT (Ctrl-C) stop a run at its
next request, never inside a save; the summary and the JSON report list every save that was made, and
the process and the report say exit 6. The signal comes from the process itself right after the N-th
save is answered (ADVOCACY_FAULT="edit:N:term"), so the stop is where the test says, every time."""

from __future__ import annotations

import json
import time

import pytest

from advocacy_bot.outcomes import ExitCode
from advocacy_bot.wiki.client import HANG_SECONDS
from advocacy_bot.wikitext.talk_threads import split_threads

from .helpers import ABOUT_LINK, dev_cli, read_back, seed, unique_root
from .test_archive import talk_text
from .test_run_all import history, write_settings

pytestmark = pytest.mark.devwiki


@pytest.mark.parametrize("signal_point", ["term", "int"])
def test_a_signal_stops_the_run_after_a_save_and_the_report_lists_every_save(devwiki, tmp_path, signal_point):
    root = unique_root(f"Signal {signal_point}")
    pages = {f"{root}/Page {n}": f"Text {n}.\n" for n in range(4)}
    seed(devwiki, {root: "Welcome.\n", **pages, f"Talk:{root}": talk_text(root, [100, 90, 1])})
    settings = write_settings(tmp_path, root)
    report_path = tmp_path / f"report-{signal_point}.json"
    result = dev_cli(devwiki, "--config", settings, "--report-json", str(report_path), "run-all", "--only",
                     "nav,archive", "--now", "2026-11-20T12:00Z", env={"ADVOCACY_FAULT": f"edit:2:{signal_point}"})
    assert result.returncode == ExitCode.INTERRUPTED == 6, result.stderr
    report = json.loads(report_path.read_text())
    assert report["exit_code"] == 6 and "stopped by a signal" in (report["message"] or "")
    assert "Aborted!" not in result.stderr and "Traceback" not in result.stderr
    # exactly the two saves made, each in the report with its revision
    saved = {title for title in [root, *pages, f"Template:{root}/Header", f"Talk:{root}", f"Talk:{root}/Archive 1"]
             if any(rev["user"] == "AdvocacyBot" for rev in history(devwiki, title))}
    assert len(report["edits"]) == 2 and {edit["title"] for edit in report["edits"]} == saved
    for edit in report["edits"]:
        assert read_back(devwiki, edit["title"])[edit["title"]].revid == edit["new_revid"]


@pytest.mark.parametrize("signal_point", ["hang-term", "hang-int"])
def test_a_signal_during_a_hanging_read_stops_the_run_at_once(devwiki, tmp_path, signal_point):
    """The read after the first save hangs (two minutes); the signal comes half a second into it. The run
    stops within seconds, not when the read ends, with the save it made in its report and exit 6."""
    root = unique_root("Hanging read")
    # "~~~~" in a moved thread: the archive's save cannot tell what it stored, so the archive is read
    # back before the talk page may lose its threads. That read, the first query after the save, hangs.
    talk = talk_text(root, [100, 90, 1]).replace("A question.", "Sign with <nowiki>~~~~</nowiki>.", 1)
    seed(devwiki, {root: "Welcome.\n", f"{root}/Page": "Text.\n", f"Talk:{root}": talk})
    settings = write_settings(tmp_path, root)
    report_path = tmp_path / "report.json"
    started = time.monotonic()
    result = dev_cli(devwiki, "--config", settings, "--report-json", str(report_path), "archive",
                     "--now", "2026-11-20T12:00Z", env={"ADVOCACY_FAULT": f"query>edit:1:{signal_point}"})
    elapsed = time.monotonic() - started
    assert result.returncode == ExitCode.INTERRUPTED, result.stderr
    assert elapsed < HANG_SECONDS / 2, f"the run waited for the hanging read ({elapsed:.0f} s)"
    report = json.loads(report_path.read_text())
    assert report["exit_code"] == 6 and "during a read" in report["message"]
    assert "Traceback" not in result.stderr
    [edit] = report["edits"]  # the archive's save, made before the read, is in the report
    assert edit["title"] == f"Talk:{root}/Archive 1"
    assert read_back(devwiki, edit["title"])[edit["title"]].revid == edit["new_revid"]
    assert len(split_threads(read_back(devwiki, f"Talk:{root}")[f"Talk:{root}"].text).threads) == 3  # kept
    rerun = dev_cli(devwiki, "--config", settings, "--report-json", str(report_path), "archive",
                    "--now", "2026-11-20T12:00Z")
    assert rerun.returncode == 0, rerun.stderr
    [edit] = json.loads(report_path.read_text())["edits"]  # the journal completes the stopped run's moves
    assert edit["title"] == f"Talk:{root}" and edit["summary"].endswith("2 of them already there from an interrupted run" + ABOUT_LINK)
