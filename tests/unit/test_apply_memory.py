"""The wiki layer's guards against an in-memory wiki (issue 18: they were tested only against a live
one): the applier's every refusal, its conflict handling and its dry run, in milliseconds. The live
tests (tests/integration/test_wiki_layer.py and others) keep checking the same against MediaWiki."""

from __future__ import annotations

from dataclasses import replace

import pytest

from advocacy_bot.outcomes import ShutoffRequested
from advocacy_bot.plan import Page, PageChange, Verification, change_for
from advocacy_bot.report import RunReport
from advocacy_bot.tree import EditScope
from advocacy_bot.wiki.apply import PlanApplier, ShutoffWatch
from advocacy_bot.wiki.client import ApiError

ROOT, BOT, SHUTOFF = "Global Advocacy", "AdvocacyBot", "User:AdvocacyBot/Shutoff"


class MemoryWiki:
    """Pages by title; ``edit`` as MediaWiki answers it: a conflict on a stale base revision, the
    protection levels it enforces, ``createonly``/``nocreate``. Every write is recorded."""

    def __init__(self, pages: dict[str, str], rights=("edit",)):
        self.pages = {title: Page(title, 2 if title.startswith("User:") else 0, True, text, revid)
                      for revid, (title, text) in enumerate(pages.items(), start=1)}
        self.next_revid = len(pages) + 1
        self.writes: list[dict] = []
        self._rights = frozenset(rights)
        self.on_edit = None  # a test's hook: runs before an edit is applied (a human's edit, say)

    def page(self, title: str) -> Page:
        return self.pages.get(title) or Page(title, 0, False)

    def human_edit(self, title: str, text: str) -> None:
        self.pages[title] = replace(self.page(title), text=text, exists=True, revid=self.next_revid)
        self.next_revid += 1

    # -- the client's side ------------------------------------------------------------------------
    def rights(self) -> frozenset[str]:
        return self._rights

    def write(self, **params) -> dict:
        if self.on_edit:
            hook, self.on_edit = self.on_edit, None
            hook()
        self.writes.append(params)
        title = params["title"]
        current = self.page(title)
        if params.get("createonly") and current.exists:
            raise ApiError("articleexists", "The page you tried to create has been created already.")
        if params.get("nocreate") and not current.exists:
            raise ApiError("missingtitle", "The page you specified doesn't exist.")
        if current.exists and params.get("baserevid") != current.revid:
            raise ApiError("editconflict", "Edit conflict.")
        if any(level == "sysop" for _, level in current.protection) and "editprotected" not in self._rights:
            raise ApiError("protectedpage", "This page has been protected to prevent editing.")
        if params["text"] == current.text and current.exists:
            return {"edit": {"result": "Success", "nochange": True}}
        self.human_edit(title, params["text"].rstrip())
        answer = {"result": "Success", "oldrevid": current.revid, "newrevid": self.pages[title].revid}
        return {"edit": {**answer, **({} if current.exists else {"new": True})}}


class MemoryReader:
    """The reader's side the applier uses: fresh reads (the shutoff page rides along with each)."""

    def __init__(self, wiki: MemoryWiki, shutoff: ShutoffWatch):
        self.wiki, self.shutoff = wiki, shutoff
        self.reads: list[list[str]] = []

    def read(self, titles) -> dict[str, Page]:
        self.reads.append(list(titles))
        pages = {title: self.wiki.page(title) for title in [*titles, SHUTOFF]}
        self.shutoff.observe(pages)
        return {title: pages[title] for title in titles}

    def read_one(self, title: str) -> Page:
        return self.read([title])[title]


def applier(wiki: MemoryWiki, dry_run: bool = False, out=None) -> PlanApplier:
    shutoff = ShutoffWatch(SHUTOFF, interval=0)
    return PlanApplier(wiki, MemoryReader(wiki, shutoff), EditScope.build(ROOT, BOT, [SHUTOFF]),
                       RunReport(task="test", site="memory", dry_run=dry_run), shutoff, dry_run=dry_run,
                       out=out or (lambda text: None), about="User:AdvocacyBot")


def appended(line: str):
    """A task's change: ``line`` at the end of the page, recomputed from any fresh text."""
    def change(page: Page) -> PageChange | None:
        if page.text.endswith(line):
            return None
        return change_for(page, page.text + line, "Test: a line", "test", change)
    return change


def outcomes(report: RunReport) -> dict[str, str]:
    return {**{o.title: o.code for o in report.skipped}, **{o.title: o.code for o in report.errors}}


def test_a_change_is_saved_with_its_base_revision_and_the_summary_in_style():
    wiki = MemoryWiki({ROOT: "Home."})
    run = applier(wiki)
    run.apply([appended("\nNew.")(wiki.page(ROOT))])
    assert wiki.page(ROOT).text == "Home.\nNew." and outcomes(run.report) == {}
    [write] = wiki.writes
    assert write["baserevid"] == 1 and write["nocreate"] == 1 and write["bot"] == 1
    assert write["summary"] == "Test: a line ([[User:AdvocacyBot|advocacy-bot]])"
    assert [(e.old_revid, e.new_revid) for e in run.report.edits] == [(1, 2)]


@pytest.mark.parametrize("title, text, protection, code", [
    ("Elsewhere", "Text.", (), "outside-tree"),
    (f"{ROOT}/Old", "#REDIRECT [[Global Advocacy]]", (), "redirect"),
    (f"{ROOT}/Quiet", "{{nobots}}\nText.", (), "nobots"),
    (f"{ROOT}/Only", "{{bots|allow=SomeoneElse}}\nText.", (), "nobots"),
    (f"{ROOT}/Locked", "Text.", (("edit", "sysop"),), "protected"),
])
def test_the_guards_leave_the_page_and_say_why(title, text, protection, code):
    wiki = MemoryWiki({title: text})
    wiki.pages[title] = replace(wiki.pages[title], redirect=text.startswith("#REDIRECT"), protection=protection)
    run = applier(wiki)
    run.apply([PageChange(title, wiki.page(title), text + "\nMore.", "Test: more", "test")])
    assert outcomes(run.report) == {title: code} and wiki.writes == []
    assert wiki.page(title).text == text


def test_markup_translate_would_refuse_is_never_sent():
    wiki = MemoryWiki({ROOT: "<translate>Home.</translate>"})
    run = applier(wiki)
    run.apply([PageChange(ROOT, wiki.page(ROOT), "<translate>Home. <translate>x</translate></translate>",
                          "Test: nested", "test")])
    assert outcomes(run.report) == {ROOT: "invalid-markup"} and wiki.writes == []


def test_a_conflict_is_recomputed_once_from_the_fresh_text_and_the_humans_edit_kept():
    wiki = MemoryWiki({ROOT: "Home."})
    run = applier(wiki)
    change = appended("\nBot line.")(wiki.page(ROOT))
    wiki.on_edit = lambda: wiki.human_edit(ROOT, "Home.\nA human's line.")
    run.apply([change])
    assert wiki.page(ROOT).text == "Home.\nA human's line.\nBot line." and outcomes(run.report) == {}
    assert [w["baserevid"] for w in wiki.writes] == [1, 2]  # the second save on the fresh revision


def test_a_second_conflict_leaves_the_page_to_the_human():
    wiki = MemoryWiki({ROOT: "Home."})
    run = applier(wiki)

    def again():
        wiki.human_edit(ROOT, wiki.page(ROOT).text + "\nHuman.")
        wiki.on_edit = lambda: wiki.human_edit(ROOT, wiki.page(ROOT).text + "\nHuman again.")

    wiki.on_edit = again
    run.apply([appended("\nBot.")(wiki.page(ROOT))])
    assert outcomes(run.report) == {ROOT: "edit-conflict"}
    assert wiki.page(ROOT).text == "Home.\nHuman.\nHuman again."


def test_a_page_created_meanwhile_is_not_overwritten():
    wiki = MemoryWiki({})
    run = applier(wiki)
    change = PageChange(f"{ROOT}/New", wiki.page(f"{ROOT}/New"), "Bot's page.", "Test: create", "test")
    wiki.on_edit = lambda: wiki.human_edit(f"{ROOT}/New", "A human's page.")
    run.apply([change])
    assert wiki.page(f"{ROOT}/New").text == "A human's page."
    assert outcomes(run.report) == {f"{ROOT}/New": "edit-conflict"}  # no recompute for this change


def test_the_shutoff_page_stops_before_the_next_save():
    wiki = MemoryWiki({ROOT: "Home.", f"{ROOT}/FAQ": "FAQ.", SHUTOFF: ""})
    run = applier(wiki)
    first, second = (appended("\nx")(wiki.page(title)) for title in (ROOT, f"{ROOT}/FAQ"))
    run.apply([first])
    wiki.human_edit(SHUTOFF, "Stop, please: the header is wrong.")
    with pytest.raises(ShutoffRequested, match="Stop, please"):
        run.apply([second])
    assert wiki.page(f"{ROOT}/FAQ").text == "FAQ." and len(wiki.writes) == 1


def test_a_dry_run_shows_the_diff_and_writes_nothing():
    wiki = MemoryWiki({ROOT: "Home."})
    shown: list[str] = []
    run = applier(wiki, dry_run=True, out=shown.append)
    run.apply([appended("\nNew.")(wiki.page(ROOT))])
    assert wiki.writes == [] and wiki.page(ROOT).text == "Home."
    assert shown[0].splitlines()[:2] == [f"--- {ROOT} (r1)",
                                         f"+++ {ROOT} (Test: a line ([[User:AdvocacyBot|advocacy-bot]]))"]
    assert "+New." in shown[0] and [e.new_revid for e in run.report.edits] == [None]


def test_a_prerequisite_not_saved_holds_the_page_that_needs_it():
    wiki = MemoryWiki({ROOT: "Home.", f"{ROOT}/Quiet": "{{nobots}}"})
    run = applier(wiki)
    state = PageChange(f"{ROOT}/Quiet", wiki.page(f"{ROOT}/Quiet"), "{{nobots}} ids", "Test: ids", "test")
    page = replace(appended("\nx")(wiki.page(ROOT)), needs=(f"{ROOT}/Quiet",))
    run.apply([state, page])
    assert outcomes(run.report) == {f"{ROOT}/Quiet": "nobots", ROOT: "prerequisite-not-saved"}
    assert wiki.writes == []


def holds(title: str, line: str) -> Verification:
    return Verification((title,), lambda pages: [] if line in pages[title].text else [f"{line!r} is not in {title}"])


@pytest.mark.parametrize("line, reads", [("\nMoved thread.", 0), ("\nMoved ~~~~ thread.", 1)])
def test_a_verification_of_a_page_this_run_saved_reads_it_only_where_the_save_cannot_tell(line, reads):
    archive, talk = f"Talk:{ROOT}/Archive 1", f"Talk:{ROOT}"
    wiki = MemoryWiki({archive: "Archive.", talk: "Talk." + line})
    run = applier(wiki)
    archive_change = appended(line)(wiki.page(archive))
    talk_change = replace(change_for(wiki.page(talk), "Talk.", "Test: moved", "test", None),
                          verify=holds(archive, line))
    run.apply([archive_change, talk_change])
    assert [e.title for e in run.report.edits] == [archive, talk] and run.report.errors == []
    assert run.report.verification_reads == reads == len([titles for titles in run.reader.reads if titles])


def test_a_verification_still_sees_a_save_that_did_not_go_through():
    archive, talk = f"Talk:{ROOT}/Archive 1", f"Talk:{ROOT}"
    wiki = MemoryWiki({archive: "Archive.", talk: "Talk.\nMoved."})
    wiki.pages[archive] = replace(wiki.pages[archive], protection=(("edit", "sysop"),))
    run = applier(wiki)
    talk_change = replace(change_for(wiki.page(talk), "Talk.", "Test: moved", "test", None),
                          verify=holds(archive, "Moved."))
    run.apply([appended("\nMoved.")(wiki.page(archive)), talk_change])
    assert outcomes(run.report) == {archive: "protected", talk: "verification-failed"}
    assert run.report.verification_reads == 1 and wiki.page(talk).text == "Talk.\nMoved."
