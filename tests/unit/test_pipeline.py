"""run-all's composition: several tasks' changes to one page become one change, pure and replayable."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advocacy_bot.pipeline import Step, _stages, combined_summary, compose
from advocacy_bot.plan import Page, RenderCheck, Verification, change_for

HEADER = "{{Header}}"
FOOTER = "{{Footer}}"


def with_header(page: Page):
    """A nav-like task: the page starts with the header line."""
    if page.text.startswith(HEADER + "\n"):
        return None
    return change_for(page, f"{HEADER}\n{page.text}", "header added", "nav", with_header)


def with_footer(page: Page):
    """A staff-like task: the page ends with the footer line."""
    if page.text.endswith("\n" + FOOTER):
        return None
    return change_for(page, f"{page.text}\n{FOOTER}", "footer added", "staff", with_footer)


def page(title="P", text="body", revid=7) -> Page:
    return Page(title, 0, True, text, revid)


def as_left(change) -> Page:
    """The page as a change leaves it: what the next step reads (PlanningRun does this)."""
    return replace(change.base, text=change.new_text, exists=True)


def plan_two_steps(base: Page):
    nav = with_header(base)
    staff = with_footer(as_left(nav) if nav else base)
    return [[[nav]] if nav else [], [[staff]] if staff else []]


def test_two_tasks_on_one_page_make_one_change_with_one_summary():
    base = page(text="body")
    [change] = compose(plan_two_steps(base))
    assert change.base == base and change.title == "P"
    assert change.new_text == f"{HEADER}\nbody\n{FOOTER}"
    assert change.summary == "header added · footer added"
    assert change.task == "nav+staff"


def test_a_composed_recompute_chains_the_tasks_on_the_fresh_text():
    [change] = compose(plan_two_steps(page(text="body")))
    fresh = page(text="a human's line\nbody", revid=9)
    again = change.recompute(fresh)
    assert again.base == fresh and again.new_text == f"{HEADER}\na human's line\nbody\n{FOOTER}"
    assert again.summary == "header added · footer added"
    # a fresh text where one task has nothing left to do: the other task's change alone
    only_footer = change.recompute(page(text=f"{HEADER}\nbody", revid=10))
    assert only_footer.summary == "footer added" and only_footer.new_text == f"{HEADER}\nbody\n{FOOTER}"
    assert change.recompute(page(text=f"{HEADER}\nbody\n{FOOTER}", revid=11)) is None


def test_a_change_without_recompute_makes_the_composite_unrecomputable():
    base = page()
    nav = change_for(base, "x\n" + base.text, "x", "nav", None)
    staff = with_footer(as_left(nav))
    [change] = compose([[[nav]], [[staff]]])
    assert change.recompute is None


def test_single_changes_pass_through_and_order_is_first_appearance():
    a, b, c = page("A"), page("B"), page("C")
    plans = [[[with_header(a), with_header(b)]], [[with_footer(c)]]]
    changes = compose(plans)
    assert [ch.title for ch in changes] == ["A", "B", "C"]
    assert changes[0] is plans[0][0][0]


def test_a_steps_later_batch_is_saved_after_its_earlier_batch():
    # step 1 changes P; step 2 first saves its state page S, then (a second batch) P again
    p, s = page("P"), page("S", text="{}")
    nav = with_header(p)
    state = change_for(s, '{"highest": 3}', "state", "translate", None)
    markers = change_for(as_left(nav), as_left(nav).text + "<!--T:4-->", "markers", "translate", None)
    changes = compose([[[nav]], [[state], [markers]]])
    assert [ch.title for ch in changes] == ["S", "P"]
    assert changes[1].summary == "header added · markers"


def test_a_verified_change_comes_after_the_pages_it_verifies():
    archive, talk = page("Talk:X/Archive 1", text="old"), page("Talk:X", text="threads")
    check = Verification(("Talk:X/Archive 1",), lambda pages: [])
    talk_change = change_for(talk, "", "archived", "archive", None, check)
    archive_change = change_for(archive, "old threads", "archive page", "archive", None)
    # another step touched the talk page first: the archive page still goes before it
    nav = with_header(talk)
    later = change_for(as_left(nav), as_left(nav).text + " (archived)", "archived", "archive", None, check)
    changes = compose([[[nav]], [[archive_change, later]]])
    assert [ch.title for ch in changes] == ["Talk:X/Archive 1", "Talk:X"]
    assert changes[1].verify.titles == ("Talk:X/Archive 1",)
    assert compose([[[archive_change, talk_change]]])[1].verify is check


def test_a_page_that_ends_as_it_was_read_is_left_out():
    base = page(text="same")
    there = change_for(base, "other", "there", "nav", None)
    back = change_for(as_left(there), "same", "back", "staff", None)
    assert compose([[[there]], [[back]]]) == []


def test_a_change_that_does_not_build_on_the_one_before_is_refused():
    base = page()
    with pytest.raises(ValueError, match="does not start from"):
        compose([[[with_header(base)]], [[with_footer(base)]]])


def test_combined_summary_names_each_change_once():
    base = page()
    one = change_for(base, "1", "same words", "nav", None)
    two = change_for(as_left(one), "2", "same words", "staff", None)
    assert combined_summary([one, two]) == "same words"


def test_steps_that_need_saved_results_start_a_stage():
    body = (lambda run: None)
    steps = [Step("nav", "n", body), Step("staff", "s", body), Step("status", "t", body, after_saves=True)]
    assert [[s.name for s in stage] for stage in _stages(steps)] == [["nav", "staff"], ["status"]]


lines = st.lists(st.text(alphabet="abc{}=\n ", max_size=12), max_size=6).map("\n".join)


def one_after_the_other(text: str) -> str:
    for task in (with_header, with_footer):
        step = task(page(text=text))
        text = step.new_text if step else text
    return text


@given(lines)
def test_composing_equals_applying_the_tasks_one_after_the_other(text):
    changes = compose(plan_two_steps(page(text=text)))
    expected = one_after_the_other(text)
    assert (changes[0].new_text if changes else text) == expected
    # and the result is at rest: composing again on it changes nothing
    assert compose(plan_two_steps(page(text=expected))) == []


@given(lines, lines)
def test_a_recompute_after_a_human_edit_keeps_the_human_text(text, human):
    changes = compose(plan_two_steps(page(text=text)))
    if not changes:
        return
    fresh = page(text=human + "\n" + text, revid=99)
    again = changes[0].recompute(fresh)
    assert (again.new_text if again else fresh.text) == one_after_the_other(fresh.text)


def test_partial_recomputes_survive_composition():
    """Tasks pass functools.partial recomputes (settings bound): the chain calls them as they are."""
    def tagged(tag: str, page: Page):
        if tag in page.text:
            return None
        return change_for(page, page.text + tag, f"tag {tag}", tag, partial(tagged, tag))

    first = tagged("[a]", page(text="x"))
    second = tagged("[b]", as_left(first))
    [change] = compose([[[first]], [[second]]])
    assert change.recompute(page(text="y")).new_text == "y[a][b]"


def test_the_report_has_one_entry_per_task_only_for_run_all():
    from advocacy_bot.report import RunReport, TaskEntry

    report = RunReport(task="nav sync", site="dev", dry_run=False)
    report.finish(0, api_requests=3)
    assert "tasks" not in report.to_dict()
    report.tasks = [TaskEntry("nav", 0, edits=2, skipped=1), TaskEntry("staff", 2, message="roster not trusted")]
    assert report.to_dict()["tasks"][1] == {"task": "staff", "exit_code": 2, "edits": 0, "skipped": 0,
                                            "errors": 0, "message": "roster not trusted"}
    assert "  task nav: 2 saved, 1 skipped, 0 failed; exit 0" in report.summary()
    assert "  task staff: 0 saved, 0 skipped, 0 failed; exit 2 (roster not trusted)" in report.summary()


class MemoryRun:
    """The few parts of a BotRun that run_steps uses, over pages in memory; records every read."""

    def __init__(self, texts: dict[str, str], answers_tell: bool = False):
        from types import SimpleNamespace

        from advocacy_bot.report import RunReport

        self.wiki = {title: Page(title, 0, True, text, 1) for title, text in texts.items()}
        self.settings = SimpleNamespace(root="R")
        self.report = RunReport(task="run-all", site="memory", dry_run=False)
        self.dry_run = False
        self.reads: list[list[str]] = []
        self.answers_tell = answers_tell  # whether a save's answer tells what it stored (BotRun.saved_page)
        self.saved: set[str] = set()

    first_read: dict = {}  # start() reads the root alone

    def start(self, also=()) -> Page:
        return self.read(["R"])["R"]

    def read_tree(self, also=(), after_batch=None):
        listing = {0: sorted(self.wiki)}
        pages = self.read([*listing[0], *also])
        if after_batch:  # one batch: what it asks along has no batch to ride on
            after_batch(pages)
        return pages, listing

    def read(self, titles):
        self.reads.append(list(titles))
        return {title: self.wiki.get(title) or Page(title, 0, False) for title in titles}

    def apply(self, changes) -> None:
        for change in changes:
            self.wiki[change.title] = replace(change.base, text=change.new_text, revid=change.base.revid + 1)
            self.saved.add(change.title)

    def saved_page(self, title: str) -> Page | None:
        return self.wiki[title] if self.answers_tell and title in self.saved else None


def header_step(run) -> None:
    run.apply([with_header(page) for page in run.read_tree()[0].values()])


def test_a_step_after_the_saves_that_reads_nothing_costs_no_read():
    from advocacy_bot.pipeline import run_steps

    run = MemoryRun({"R": "root", "R/A": "a"})
    run_steps(run, [Step("nav", "n", header_step), Step("status", "s", lambda run: None, after_saves=True)])
    assert run.wiki["R/A"].text == f"{HEADER}\na"
    assert run.reads == [["R"], ["R", "R/A"]]  # the start and the tree; nothing again for the status step


def test_a_step_after_the_saves_reads_again_the_saved_pages_it_asks_for():
    from advocacy_bot.pipeline import run_steps

    seen = {}

    def status(run) -> None:
        seen.update({title: (p.text, p.revid) for title, p in run.read(["R/A", "R/B"]).items()})

    run = MemoryRun({"R": "root", "R/A": "a", "R/B": f"{HEADER}\nb"})
    run_steps(run, [Step("nav", "n", header_step), Step("status", "s", status, after_saves=True)])
    assert seen == {"R/A": (f"{HEADER}\na", 2), "R/B": (f"{HEADER}\nb", 1)}  # R/A as saved, R/B as first read
    assert run.reads[-1] == ["R/A"]  # only the page saved since the first read is read again


def test_a_step_after_the_saves_takes_the_saved_pages_from_the_saves_answers_where_they_tell():
    from advocacy_bot.pipeline import run_steps

    seen = {}

    def status(run) -> None:
        seen.update({title: (p.text, p.revid, p.exists) for title, p in run.read(["R/A", "R/B", "R/New"]).items()})

    run = MemoryRun({"R": "root", "R/A": "a", "R/B": f"{HEADER}\nb"}, answers_tell=True)
    run_steps(run, [Step("nav", "n", header_step), Step("status", "s", status, after_saves=True)])
    assert seen == {"R/A": (f"{HEADER}\na", 2, True), "R/B": (f"{HEADER}\nb", 1, True), "R/New": ("", 0, False)}
    # R/A as its save's answer told, R/New missing from the tree's listing: nothing is read again
    assert run.reads == [["R"], ["R", "R/A", "R/B"]]


def test_an_after_hook_reads_from_the_shared_read_and_a_page_marked_for_translation_again():
    from advocacy_bot.pipeline import run_steps

    class MarkingRun(MemoryRun):
        def mark_for_translation(self, page):
            self.wiki[page.title] = replace(page, text=page.text + " <!--T:1-->", revid=page.revid + 1)
            return {"result": "Success"}

    seen = {}

    def marking(run, result) -> None:
        pages, _ = run.read_tree()
        run.mark_for_translation(pages["R/A"])
        seen.update({title: page.text for title, page in run.read(["R/A", "R/B", "R/A/en"]).items()})

    run = MarkingRun({"R": "root", "R/A": "a", "R/B": f"{HEADER}\nb"}, answers_tell=True)
    run_steps(run, [Step("nav", "n", header_step, after=marking)])
    assert seen == {"R/A": f"{HEADER}\na <!--T:1-->", "R/B": f"{HEADER}\nb", "R/A/en": ""}
    # the tree is not read again; the marked page and its translation pages (FuzzyBot's) are
    assert run.reads[2:] == [["R/A", "R/A/en"]]


def test_a_page_is_saved_after_the_pages_it_needs_and_the_composite_keeps_the_needs():
    state = change_for(page("State", "{}"), '{"ids": 3}', "ids", "translate", None)
    marked = replace(change_for(page("A", "body"), "body <!--T:3-->", "markers", "translate", None),
                     needs=("State",))
    nav = with_header(page("A", "body"))
    marked_after_nav = replace(change_for(as_left(nav), f"{HEADER}\nbody <!--T:3-->", "markers", "translate", None),
                               needs=("State",))
    # a page that needs another comes after it, even when it is planned first
    assert [c.title for c in compose([[[marked]], [[state]]])] == ["State", "A"]
    composed = compose([[[nav]], [[state, marked_after_nav]]])
    assert [c.title for c in composed] == ["State", "A"] and composed[1].needs == ("State",)


def test_a_render_checked_change_comes_after_what_it_renders_and_keeps_a_fallback_without_it():
    check = RenderCheck("{{Header}}", "waiting-for-header", lambda html: [], ("Template:Header",))
    checked_header = partial(_checked, with_header, check)
    a, template = page("A", "body"), page("Template:Header", "")
    nav_a = checked_header(a)
    template_change = change_for(template, "the bar", "template", "nav", None)
    staff_a = with_footer(as_left(nav_a))
    # nav planned the page before its template: the template is still saved first
    composed = compose([[[nav_a, template_change]], [[staff_a]]])
    assert [c.title for c in composed] == ["Template:Header", "A"]
    page_change = composed[1]
    assert page_change.render_check == check and page_change.task == "nav+staff"
    # if the header does not render yet, the rest of the change is saved without the header part
    rest = page_change.without_render_check(a)
    assert rest.new_text == f"body\n{FOOTER}" and rest.summary == "footer added" and rest.render_check is None
    # a recompute from a fresh read keeps both the check and its fallback
    again = page_change.recompute(page("A", "a human's body", revid=9))
    assert again.render_check == check
    assert again.without_render_check(again.base).new_text == f"a human's body\n{FOOTER}"
    # a page that only nav changes has no fallback: it just waits
    [alone] = compose([[[checked_header(page("B"))]]])
    assert alone.render_check == check and alone.without_render_check is None


def _checked(task, check, page_):
    change = task(page_)
    return change and replace(change, render_check=check, recompute=partial(_checked, task, check))


def test_a_planning_body_reads_and_plans_but_cannot_save():
    """Issue 18: PlanningRun forwarded every attribute to the real run, so a body could reach the
    applier or the client and save while it was only planning."""
    from types import SimpleNamespace

    from advocacy_bot.pipeline import PlanningRun, SharedRead
    from advocacy_bot.report import RunReport

    run = MemoryRun({"R": "root", "R/A": "a"})
    writes = []
    run.client = SimpleNamespace(bot_user="Bot", api_url="http://wiki/api.php", name="dev",
                                 rights=lambda: frozenset({"edit"}), write=lambda **params: writes.append(params))
    run.applier = object()
    planning = PlanningRun(run, SharedRead(dict(run.wiki), {0: sorted(run.wiki)}),
                           RunReport(task="nav", site="memory", dry_run=False))
    assert planning.client.bot_user == "Bot" and planning.client.rights() == frozenset({"edit"})
    for name in ("applier", "mark_for_translation", "finish", "reader", "confirm"):
        assert not hasattr(planning, name), name
    assert not hasattr(planning.client, "write")
    header_step(planning)  # plans: the change is kept, not saved
    assert [change.title for batch in planning.batches for change in batch] == ["R", "R/A"]
    assert run.wiki["R/A"].text == "a" and writes == []
