"""Fault injection: each task's process is ended at its first, middle and last save (every save of an
archive run), before the request is sent, after it is sent but before the answer is read, and after the
answer (``ADVOCACY_FAULT``, advocacy_bot/wiki/client.py). The dev wiki's database is put back before
each case. After a rerun, every page is what a clean run gives and every talk thread exists exactly
once; nothing is lost in between."""

from __future__ import annotations

import json
import re

import pytest

from advocacy_bot.wiki.client import FAULT_EXIT_CODE, FAULT_POINTS
from advocacy_bot.wikitext.translate_markup import highest_id

from ..integration.helpers import mark_header
from .lab import NOW, ROOT, thread_bodies, thread_counts

pytestmark = pytest.mark.devwiki

TALK = f"Talk:{ROOT}"
STATE = "User:AdvocacyBot/state.json"
# Each task on the demo tree (after bin/demo's one-time adoption of the team lists): its command, the
# state it starts from, and how many pages a clean run saves (checked against the clean run).
TASKS = {
    # from the demo with its header template created and marked: the template renders, the pages follow
    "nav": (("nav", "sync"), "header-marked", 8),
    "staff": (("staff", "sync"), "demo", 3),  # the two lists, then the record of what was written
    # after nav and staff: the new header and staff units wait for their markers
    "translate": (("translate", "mark"), "synced", 4),
    "archive": (("archive", "--now", NOW), "demo", 2),
    "run-all": (("run-all", "--now", NOW), "demo", 12),
}


def chosen_saves(task: str) -> list[int]:
    """First, middle and last save; every save of an archive run."""
    saves = TASKS[task][2]
    return list(range(1, saves + 1)) if task == "archive" else sorted({1, (saves + 1) // 2, saves})


CASES = [(task, save, point) for task in TASKS for save in chosen_saves(task) for point in FAULT_POINTS]


@pytest.fixture(scope="module")
def states(lab):
    """Every page's text in each state a case starts from, and after a clean run of each task."""
    if "synced" not in lab.saved:
        lab.restore("demo")
        for command in (("nav", "sync"), ("staff", "sync")):
            assert lab.run(*command).returncode == 0
        lab.save("synced")
    if "header-marked" not in lab.saved:
        lab.restore("demo")
        assert lab.run("nav", "sync").returncode == 0  # creates the template; the pages wait for its marking
        mark_header(lab.wiki, f"Template:{ROOT}/Header")
        lab.save("header-marked")
    known = {}

    def of(name: str) -> dict[str, str]:
        if name not in known:
            if name in TASKS:  # a clean run of the task
                command, start, saves = TASKS[name]
                lab.restore(start)
                report = lab.report_path()
                result = lab.run("--report-json", str(report), *command)
                assert result.returncode == 0, result.stderr
                edits = json.loads(report.read_text())["edits"]
                assert len(edits) == saves, f"a clean {name} run saves {len(edits)} pages now; update TASKS"
            else:
                lab.restore(name)
            known[name] = lab.pages()
        return known[name]

    return of


_NEW_ID = re.compile(r"<!--T:(\d+)-->")


def renumbered(text: str, start: dict[str, str], title: str) -> str:
    """``text`` with each unit id that ``start`` did not use replaced by its order of appearance."""
    before = {int(i) for i in _NEW_ID.findall(start.get(title, ""))}
    seen: dict[str, str] = {}
    return _NEW_ID.sub(lambda m: m.group(0) if int(m.group(1)) in before
                       else f"<!--T:new{seen.setdefault(m.group(1), str(len(seen)))}-->", text)


@pytest.mark.parametrize("task, save, point", CASES, ids=[f"{t}-save{s}-{p}" for t, s, p in CASES])
def test_a_stopped_run_then_a_rerun_gives_what_a_clean_run_gives(lab, states, task, save, point):
    command, start, _ = TASKS[task]
    expected, before = states(task), states(start)
    lab.restore(start)
    edits_before = lab.bot_edits()

    stopped = lab.run(*command, fault=f"edit:{save}:{point}")
    assert stopped.returncode == FAULT_EXIT_CODE, stopped.stderr[-2000:]
    # the stop came where it was meant to: before the request, nothing of it was saved; once it was
    # sent, the wiki saved it even though the bot never read the answer
    assert lab.bot_edits() - edits_before == (save - 1 if point == "before" else save)
    bodies = thread_bodies(before[TALK]) + thread_bodies(before[f"{TALK}/Archive 1"])
    if task == "archive":
        after_stop = lab.read(TALK, f"{TALK}/Archive 1")
        assert min(thread_counts(after_stop, TALK, bodies).values()) >= 1  # no thread lost at any stop

    rerun = lab.run(*command)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    final = lab.pages()
    assert set(thread_counts(final, TALK, bodies).values()) == {1}  # every thread exactly once
    if final.get(STATE) != expected.get(STATE):
        # The state page is saved before the pages it numbers, so a stop after it leaves ids reserved
        # that no page uses; the rerun numbers after them (an id is never given out twice). The pages
        # are a clean run's but for those numbers, and the state page remembers every id they use.
        assert {t: renumbered(x, before, t) for t, x in final.items() if t != STATE} == {
            t: renumbered(x, before, t) for t, x in expected.items() if t != STATE}
        remembered = json.loads(final[STATE])["translate"]["highest_ids"]
        assert all(highest_id(final.get(title, "")) <= value for title, value in remembered.items())
        print(f"\n{task}, save {save}, {point}: new unit ids numbered after the ones the stopped run reserved")
    else:
        assert final == expected
