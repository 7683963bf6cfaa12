"""The on-wiki settings page (trusted only if protected, validated, never widening the scope) and the run log."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advocacy_bot.onwiki import (RUN_LOG_KEEP, append_entry, merged_settings, run_log_change, run_log_line,
                                 settings_page_problem, should_log)
from advocacy_bot.outcomes import UsageProblem
from advocacy_bot.plan import Page
from advocacy_bot.report import Edit, RunReport

FILE = {"root": "Global Advocacy", "nav": {"template": "Template:Global Advocacy/Nav"},
        "bot_pages": {"run_log": "User:<bot>/Run log", "settings": "User:<bot>/settings.json"}}
TABS = [{"key": "home", "label": "Home", "target": "Global Advocacy"},
        {"key": "faq", "label": "Questions", "target": "Global Advocacy/FAQ"}]
WHEN = datetime(2026, 11, 22, 1, 30, tzinfo=timezone.utc)


def test_the_page_lays_its_sections_over_the_file_key_by_key():
    settings = merged_settings(FILE, {"nav": {"tabs": TABS}, "archive": {"minthreadsleft": 3}}, "s.yaml",
                               "User:Bot/settings.json")
    assert [tab.label for tab in settings.nav.tabs] == ["Home", "Questions"]
    assert settings.nav.template == "Template:Global Advocacy/Nav"  # kept from the file
    assert settings.archive.minthreadsleft == 3
    assert settings.root == "Global Advocacy" and settings.bot_pages.run_log == "User:<bot>/Run log"
    assert "User:Bot/settings.json" in settings.source


@pytest.mark.parametrize("data, message", [
    ({"root": "Main Page"}, "root cannot be set on the wiki"),
    ({"bot_pages": {"status": "Main Page"}}, "bot_pages cannot be set on the wiki"),
    ({"legacy_roots": ["Elsewhere"]}, "legacy_roots cannot be set on the wiki"),
    ({"staff": {"roster": "/etc/passwd"}}, "staff.roster must name a page on the wiki"),
    ({"navv": {}}, "unknown key(s) navv"),
    ({"nav": {"template": "Talk:Global Advocacy"}}, "nav.template: 'Talk:Global Advocacy' is not in the Template"),
    ({"nav": {"tabs": [{"key": "a b", "label": "X", "target": "Y"}]}}, "must be letters, digits"),
    (["nav"], "expected a JSON object"),
])
def test_the_page_is_validated_and_cannot_widen_the_scope(data, message):
    with pytest.raises(UsageProblem, match=message.replace("(", r"\(").replace(")", r"\)")):
        merged_settings(FILE, data, "s.yaml", "User:Bot/settings.json")


def test_a_wiki_roster_page_may_be_named():
    settings = merged_settings(FILE, {"staff": {"roster": "wiki:Global Advocacy/Roster.json"}}, "s", "T")
    assert settings.staff.roster == "wiki:Global Advocacy/Roster.json"


def test_the_page_is_trusted_only_when_only_the_bot_or_administrators_can_edit_it():
    own = Page("User:Bot/settings.json", 2, True, "{}", content_model="json")
    protected = Page("Global Advocacy/Bot settings", 0, True, "{}", protection=(("edit", "sysop"),))
    semi = Page("Global Advocacy/Bot settings", 0, True, "{}", protection=(("edit", "autoconfirmed"),))
    others = Page("User:Someone/settings.json", 2, True, "{}", content_model="json")
    assert settings_page_problem(own, "Bot") is None
    assert settings_page_problem(protected, "Bot") is None
    assert "not trusted" in settings_page_problem(semi, "Bot") and "edit=autoconfirmed" in settings_page_problem(semi, "Bot")
    assert "not trusted" in settings_page_problem(others, "Bot")
    assert settings_page_problem(Page("User:Bot/settings.json", 2, False), "Bot") is None  # absent: not used
    redirect = Page("User:Bot/settings.json", 2, True, "#REDIRECT [[X]]", redirect=True)
    assert "redirect" in settings_page_problem(redirect, "Bot")


def report(**changes) -> RunReport:
    data = RunReport(task="run-all", site="meta", dry_run=False)
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_a_line_only_for_runs_with_edits_or_failures_and_never_after_a_shutoff():
    edit = [Edit("Global Advocacy", 1, 2, "s")]
    assert should_log(report(edits=edit, exit_code=0))
    assert not should_log(report(exit_code=0))
    assert should_log(report(exit_code=2, message="roster not trusted"))
    assert not should_log(report(edits=edit, exit_code=3))  # shutoff: the bot saves nothing more
    assert not should_log(report(edits=edit, exit_code=4))
    assert not should_log(report(edits=edit, exit_code=0, dry_run=True))


def test_the_line_has_time_task_edits_with_diffs_skips_failures_and_exit():
    data = report(edits=[Edit("Global Advocacy", 10, 12, "s"), Edit("Global Advocacy/FAQ", 11, 13, "s")],
                  exit_code=1)
    data.skip("Global Advocacy/da", "pending-remark", "m")
    data.fail("Global Advocacy/About", "protected", "m")
    assert run_log_line(data, WHEN) == (
        "* 2026-11-22 01:30 UTC · run-all · 2 edits ([[Special:Diff/12|Global Advocacy]], "
        "[[Special:Diff/13|Global Advocacy/FAQ]]) · 1 skipped · 1 failed ([[:Global Advocacy/About]]: "
        "protected) · exit 1")
    stopped = report(exit_code=2, message="staff: the roster page <x> is not trusted\nmore")
    assert run_log_line(stopped, WHEN).endswith("· exit 2: <nowiki>staff: the roster page <x> is not trusted</nowiki>")


def test_a_new_page_gets_an_introduction_and_a_full_one_loses_its_oldest_lines():
    new = run_log_change(Page("User:Bot/Run log", 2, False), "* 2026-11-22 01:30 UTC · x", "Run log", "Bot")
    assert new.new_text.startswith("Runs of [[User:Bot|Bot]]") and new.new_text.endswith("\n* 2026-11-22 01:30 UTC · x")
    old = "\n".join(f"* 2026-01-{day:02d} 00:00 UTC · run-all · 1 edit" for day in range(1, 6))
    trimmed = append_entry("Intro\n" + old, "* 2026-11-22 01:30 UTC · new", keep=3)
    assert trimmed.splitlines() == ["Intro", "* 2026-01-04 00:00 UTC · run-all · 1 edit",
                                    "* 2026-01-05 00:00 UTC · run-all · 1 edit", "* 2026-11-22 01:30 UTC · new"]
    again = new.recompute(Page("User:Bot/Run log", 2, True, "Intro (edited by a human)", 5))
    assert again.new_text == "Intro (edited by a human)\n* 2026-11-22 01:30 UTC · x"


entry = st.integers(1, 28).map(lambda day: f"* 2026-02-{day:02d} 10:00 UTC · nav sync · 1 edit")
other = st.text(alphabet="ab *=\n", max_size=10).filter(lambda line: not line.startswith("* 2"))


@given(st.lists(st.one_of(entry, other.map(lambda t: t.replace("\n", " "))), max_size=30),
       st.integers(1, RUN_LOG_KEEP))
def test_appending_keeps_other_text_and_at_most_keep_entries(lines, keep):
    text = "\n".join(lines)
    new_line = "* 2026-11-22 01:30 UTC · run-all · 2 edits"
    result = append_entry(text, new_line, keep).splitlines()
    assert result[-1] == new_line
    entries = [line for line in result if line.startswith("* 2026-")]
    assert len(entries) <= keep
    others = [line for line in text.rstrip("\n").splitlines() if not line.startswith("* 2026-")] if text.strip() else []
    assert [line for line in result if not line.startswith("* 2026-")] == others
    old_entries = [line for line in lines if line.startswith("* 2026-")]
    assert entries[:-1] == old_entries[len(old_entries) - (len(entries) - 1):] if len(entries) > 1 else True
