"""Incremental runs decided without a network: when a run reads the whole tree, which recent changes
count, what state a complete run leaves, and when a talk page's next thread becomes due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from advocacy_bot.incremental import (
    FULL_EVERY,
    MARGIN,
    Change,
    RunState,
    next_state,
    parse_wiki_time,
    reasons_in_changes,
    reasons_to_read,
    state_file,
    wiki_time,
)
from advocacy_bot.plan import Page
from advocacy_bot.settings import ArchiveDefaults
from advocacy_bot.tasks.archive import next_due
from tests.unit.test_archive_plan import NOW, TALK, talk_page, thread

WIKI = "http://127.0.0.1:8080/api.php"
ROOT = "Global Advocacy"
POSITION = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def state(**changes) -> RunState:
    values = dict(wiki=WIKI, position=wiki_time(POSITION), last_full=wiki_time(POSITION - timedelta(hours=3)),
                  next_due="", fingerprint="print", extensions=("Translate",), pages={ROOT: 10, "Template:H": 11})
    values.update(changes)
    return RunState(**values)


def in_tree(title: str) -> bool:
    base = title.removeprefix("Talk:")
    return base == ROOT or base.startswith(ROOT + "/")


def decide(**changes):
    return reasons_to_read(**{"state": state(), "full_asked": False, "print_": "print", "clock": POSITION
                              + timedelta(hours=1), "moment": POSITION + timedelta(hours=1), **changes})


def test_a_run_asks_what_changed_first_only_when_the_last_complete_one_left_a_usable_state():
    assert decide() == []
    assert decide(full_asked=True) == ["asked with --full"]
    assert decide(state=None) == ["no earlier complete run on this machine"]
    assert "settings" in decide(print_="another")[0]
    assert "a day ago" in decide(clock=POSITION - timedelta(hours=3) + FULL_EVERY)[0]
    assert decide(clock=POSITION - timedelta(hours=3) + FULL_EVERY - timedelta(seconds=1)) == []


def test_a_thread_due_by_the_runs_moment_makes_the_run_full_and_one_due_later_does_not():
    due = POSITION + timedelta(minutes=30)
    assert "became due" in decide(state=state(next_due=wiki_time(due)), moment=due)[0]
    assert decide(state=state(next_due=wiki_time(due)), moment=due - timedelta(seconds=1)) == []


def edit(rcid: int, title: str, revid: int = 0, kind: str = "edit", **entry) -> Change:
    return Change.from_api({"rcid": rcid, "type": kind, "title": title, "revid": revid,
                            "timestamp": wiki_time(POSITION + timedelta(minutes=1)), "user": "Alice", **entry})


def changes_reasons(changes=(), complete=True, pages=None, extensions=("Translate",), old=None):
    return reasons_in_changes(old or state(), changes=changes, complete=complete,
                              pages=pages if pages is not None else {ROOT: 10, "Template:H": 11},
                              extensions=extensions, in_tree=in_tree)


def test_nothing_changed_is_no_reason():
    assert changes_reasons() == ([], [])


def test_an_edit_of_a_tree_page_or_its_talk_page_counts_and_one_elsewhere_does_not():
    inside, talk, outside = edit(1, f"{ROOT}/FAQ", 20), edit(2, f"Talk:{ROOT}", 21), edit(3, "Main Page", 22)
    reasons, counted = changes_reasons([inside, talk, outside])
    assert counted == [inside, talk]
    assert reasons == [f"{ROOT}/FAQ edited by Alice at 2026-06-01T12:01:00Z",
                       f"Talk:{ROOT} edited by Alice at 2026-06-01T12:01:00Z"]


def test_a_move_into_the_tree_counts_by_its_target():
    move = edit(4, "Draft", kind="log", logtype="move", logaction="move",
                logparams={"target_title": f"{ROOT}/Draft"})
    reasons, counted = changes_reasons([move])
    assert counted == [move] and reasons == [f"Draft -> {ROOT}/Draft move/move by Alice at 2026-06-01T12:01:00Z"]


def test_changes_the_last_run_saw_or_made_count_once():
    seen, own = edit(5, f"{ROOT}/FAQ", 30), edit(6, f"{ROOT}/About", 31)
    old = state(seen={"5": seen.timestamp}, own={"31": wiki_time(POSITION)})
    assert changes_reasons([seen, own], old=old) == ([], [])


def test_an_edit_the_last_full_run_read_counts_no_more_and_a_later_one_does():
    old = state(read={f"{ROOT}/FAQ": 30})
    before, same, after = edit(7, f"{ROOT}/FAQ", 29), edit(8, f"{ROOT}/FAQ", 30), edit(9, f"{ROOT}/FAQ", 31)
    moved = edit(10, f"{ROOT}/FAQ", kind="log", logtype="move", logaction="move",
                 logparams={"target_title": f"{ROOT}/Questions"})
    assert changes_reasons([before, same, after, moved], old=old)[1] == [after, moved]


def test_another_revision_of_an_own_page_a_missing_one_or_other_extensions_count():
    assert changes_reasons(pages={ROOT: 10, "Template:H": 12})[0] == ["Template:H changed (revision 11 -> 12)"]
    assert changes_reasons(pages={ROOT: 10, "Template:H": 0})[0] == ["Template:H changed (revision 11 -> missing)"]
    assert changes_reasons(pages={ROOT: 10, "Template:H": 11, "User:Bot/roster": 5})[0] == [
        "User:Bot/roster changed (revision unknown -> 5)"]
    assert changes_reasons(extensions=())[0] == ["the wiki's extensions changed"]


def test_more_changes_than_one_answer_lists_count_and_long_lists_are_shortened():
    assert changes_reasons(complete=False)[0] == ["more recent changes than one answer lists"]
    many = [edit(100 + number, f"{ROOT}/Page {number}", 200 + number) for number in range(8)]
    reasons, counted = changes_reasons(many)
    assert len(counted) == 8 and len(reasons) == 6 and reasons[-1] == "... and 3 more changes"


def test_a_complete_run_keeps_what_lies_inside_the_margin_and_forgets_the_rest():
    position = POSITION + timedelta(hours=1)
    old = state(seen={"1": wiki_time(position - MARGIN - timedelta(seconds=1)), "2": wiki_time(position)},
                own={"50": wiki_time(position - MARGIN - timedelta(minutes=1)), "51": wiki_time(position - MARGIN)})
    new_change = edit(3, f"{ROOT}/FAQ", 40)
    after = next_state(old, wiki=WIKI, position=wiki_time(position), full=False, print_="print",
                       extensions=["Translate"], pages={ROOT: 12}, next_due=None, seen=[new_change], own=[60])
    assert set(after.seen) == {"2"}  # the new change lies before the margin: a minute after POSITION
    assert set(after.own) == {"51", "60"}
    assert after.last_full == old.last_full and after.position == wiki_time(position)
    full = next_state(old, wiki=WIKI, position=wiki_time(position), full=True, print_="print",
                      extensions=["Translate"], pages={}, next_due=NOW, seen=[], own=[])
    assert full.last_full == wiki_time(position) and full.next_due == wiki_time(NOW)


def test_the_state_survives_its_file_and_a_bad_or_foreign_file_means_a_full_run(tmp_path):
    path = state_file(tmp_path, "dev")
    assert RunState.load(path, WIKI) is None
    kept = state(next_due=wiki_time(NOW), seen={"7": wiki_time(POSITION)}, own={"8": wiki_time(POSITION)},
                 read={f"{ROOT}/FAQ": 30})
    kept.save(path)
    assert RunState.load(path, WIKI) == kept
    assert RunState.load(path, "http://elsewhere/api.php") is None
    assert not path.with_name(path.name + ".new").exists()
    for broken in ("{", '{"version": 1}', path.read_text().replace(wiki_time(POSITION), "yesterday", 1)):
        path.write_text(broken)
        assert RunState.load(path, WIKI) is None
    assert kept.since() == wiki_time(POSITION - MARGIN)
    assert parse_wiki_time(kept.since()) == POSITION - MARGIN


DEFAULTS = ArchiveDefaults()


def talk(text: str) -> Page:
    return Page(TALK, 1, True, text, revid=3)


def test_the_next_due_thread_is_the_first_to_pass_its_age_from_now_on():
    text = talk_page([thread("Old", 40), thread("Ten", 10), thread("Two", 2)])  # algo old(30d)
    assert next_due(talk(text), DEFAULTS, NOW) == NOW + timedelta(days=20)  # "Old" is due already
    assert next_due(talk(text), DEFAULTS, NOW + timedelta(days=20, seconds=1)) == NOW + timedelta(days=28)


def test_a_resolved_thread_falls_due_at_the_resolved_age():
    config = "|resolvedtemplates = Done\n|resolvedalgo = old(5d)\n"
    text = talk_page([thread("Done", 1, "{{Done}}\n"), thread("Open", 1)], config)
    assert next_due(talk(text), DEFAULTS, NOW) == NOW + timedelta(days=4)


@pytest.mark.parametrize("text", [
    "No configuration here.\n\n" + thread("A", 1),
    "{{User:MiszaBot/config\n|archive = Elsewhere\n|algo = old(nonsense)\n}}\n\n" + thread("A", 1),
    talk_page([]),
    talk_page(["== Unsigned ==\nNo timestamp."]),
])
def test_no_configuration_a_broken_one_or_no_dated_thread_is_never_due(text):
    assert next_due(talk(text), DEFAULTS, NOW) is None


def test_a_run_with_only_lasting_errors_settles_and_one_with_a_passing_error_does_not():
    from advocacy_bot.incremental import settles

    assert settles(0, []) and settles(1, ["protected", "invalid-markup"])
    assert not settles(1, ["protected", "edit-conflict"]) and not settles(1, ["api-error"])
    assert not settles(2, []) and not settles(3, []) and not settles(6, [])


def test_lasting_errors_survive_the_state_file_and_no_op_runs(tmp_path):
    path = state_file(tmp_path, "dev")
    failing = {f"{ROOT}/FAQ": ["protected", "the page is protected beyond the bot's rights"]}
    full = next_state(None, wiki=WIKI, position=wiki_time(POSITION), full=True, print_="print", extensions=[],
                      pages={}, next_due=None, seen=[], own=[], read={}, failing=failing)
    full.save(path)
    assert RunState.load(path, WIKI).failing == failing
    quiet = next_state(full, wiki=WIKI, position=wiki_time(POSITION + timedelta(hours=1)), full=False,
                       print_="print", extensions=[], pages={}, next_due=None, seen=[], own=[])
    assert quiet.failing == failing
