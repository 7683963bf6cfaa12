import json

import pytest

from advocacy_bot.outcomes import ERROR_CODES, SKIP_CODES, ExitCode
from advocacy_bot.report import Drift, Edit, RunReport


def test_report_json_has_the_documented_fields(tmp_path):
    report = RunReport(task="nav sync", site="dev", dry_run=False)
    report.pages_read = 12
    report.edits.append(Edit("Global Advocacy", 10, 11, "navigation header"))
    report.skip("Global Advocacy/Announcements", "nobots", "excluded")
    report.fail("Global Advocacy/FAQ", "protected", "edit=sysop")
    report.finish(report.outcome_exit_code(), api_requests=7)
    path = tmp_path / "not yet" / "report.json"  # its folder is made (bin/demo's .devwiki/ may not exist)
    report.write_json(path)
    data = json.loads(path.read_text())
    assert set(data) == {"task", "site", "wiki", "dry_run", "exit_code", "pages_read", "api_requests",
                         "api_requests_by_action", "verification_reads", "seconds",
                         "edits", "skipped", "errors", "drift"}
    assert data["exit_code"] == 1 and data["api_requests"] == 7 and data["pages_read"] == 12
    assert data["edits"] == [{"title": "Global Advocacy", "old_revid": 10, "new_revid": 11,
                              "summary": "navigation header"}]
    assert data["skipped"][0]["code"] == "nobots" and data["errors"][0]["code"] == "protected"
    assert "1 failed" in report.summary() and "FAILED  Global Advocacy/FAQ" in report.summary()


def test_drift_alone_makes_exit_one_and_clean_runs_exit_zero():
    report = RunReport(task="nav check", site="dev", dry_run=False)
    assert report.outcome_exit_code() == ExitCode.DONE
    report.skip("X", "redirect", "r")
    assert report.outcome_exit_code() == ExitCode.DONE
    report.drift.append(Drift("X", "header differs"))
    assert report.outcome_exit_code() == ExitCode.PAGES_FAILED


def test_codes_come_from_one_documented_list():
    report = RunReport(task="t", site="dev", dry_run=True)
    with pytest.raises(ValueError):
        report.skip("X", "protected", "an error code is not a skip code")
    with pytest.raises(ValueError):
        report.fail("X", "made-up", "m")
    assert not set(SKIP_CODES) & set(ERROR_CODES)


def test_the_summary_links_each_save_to_its_diff():
    report = RunReport(task="run-all", site="dev", dry_run=False, index_url="http://127.0.0.1:8089/index.php")
    report.edits += [Edit("Global Advocacy", 10, 11, "header"), Edit("Talk:Global Advocacy/Archive 1", None, 12, "x")]
    report.finish(0, 3)
    lines = report.summary().splitlines()
    assert "  saved   Global Advocacy: http://127.0.0.1:8089/index.php?diff=11&oldid=10" in lines
    assert "  saved   Talk:Global Advocacy/Archive 1" in lines  # a new page: no diff to link
    report.edits += [Edit(f"P{n}", n, n + 1, "s") for n in range(40)]
    assert "  ... and 12 more saves (the JSON report lists them all)" in report.summary().splitlines()


def test_kept_reports_have_dated_names_and_only_the_last_ones_stay(tmp_path):
    paths = []
    for number in range(5):
        report = RunReport(task="run-all", site="dev", dry_run=False, wiki="devwiki-x")
        report.finish(0, number)
        paths.append(report.keep(tmp_path, limit=3))
    assert len(set(paths)) == 5 and all(p.name.startswith("dev-") and p.name.endswith(".json") for p in paths)
    assert sorted(tmp_path.iterdir()) == sorted(paths[2:])  # the oldest two are gone
    assert json.loads(paths[-1].read_text())["api_requests"] == 4
