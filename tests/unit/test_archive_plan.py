"""The archiving planner on pages in memory: which threads go, where, in which order, and that a run
stopped anywhere is completed by the next one with every thread exactly once (no network)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy_bot.plan import Page
from advocacy_bot.settings import ArchiveDefaults
from advocacy_bot.tasks.archive import INDEX_END, INDEX_START, plan_talk_page
from advocacy_bot.wikitext.talk_threads import config_params, holds_thread, split_threads, thread_copies
from tests.fixtures.snapshot import DEMO_NOW, demo_pages

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
TALK = "Talk:Example"
DEFAULTS = ArchiveDefaults()


class Wiki:
    """Pages by title, saved the way MediaWiki stores them (trailing whitespace trimmed)."""

    def __init__(self, texts: dict[str, str]):
        self.texts = {title: text.rstrip() for title, text in texts.items()}
        self.revid = 1
        self.journal = ()  # the moves of a run stopped before the talk page's save, as the command keeps them

    def page(self, title: str) -> Page:
        if title not in self.texts:
            return Page(title, 1, exists=False)
        return Page(title, 1, True, self.texts[title], revid=self.revid)

    def pages(self) -> dict[str, Page]:
        return {title: self.page(title) for title in self.texts}

    def plan(self, now=NOW, defaults=DEFAULTS):
        return plan_talk_page(self.page(TALK), self.pages(), defaults, now, self.journal)

    def execute(self, plan, stop_after: int | None = None) -> list[str]:
        """Apply ``plan`` as the archive command does: its moves journaled before the first save,
        the journal dropped once the talk page is saved."""
        self.journal = plan.journal
        saved = self.apply(plan.changes, stop_after)
        if TALK in saved:
            self.journal = ()
        return saved

    def apply(self, changes, stop_after: int | None = None) -> list[str]:
        """Save ``changes`` in order as the wiki layer does (verification, conflict recompute);
        ``stop_after`` saves simulates a crash. Returns the titles saved."""
        saved = []
        for change in changes:
            if stop_after is not None and len(saved) >= stop_after:
                break
            if change.base.text != self.page(change.title).text:  # an edit conflict: recompute once
                change = change.recompute(self.page(change.title))
                if change is None:
                    continue
            if change.verify and change.verify.problems({t: self.page(t) for t in change.verify.titles}):
                continue
            self.texts[change.title] = change.new_text.rstrip()
            self.revid += 1
            saved.append(change.title)
        return saved

    def run(self, now=NOW):
        return self.execute(self.plan(now))


def sig(user: str, when: datetime) -> str:
    return f"[[User:{user}|{user}]] ([[User talk:{user}|talk]]) {when:%H:%M}, {when.day} {when:%B %Y} (UTC)"


def thread(title: str, days_ago: float, extra: str = "", user: str = "Alice") -> str:
    return f"== {title} ==\n{extra}A comment. {sig(user, NOW - timedelta(days=days_ago))}"


def talk_page(threads: list[str], config: str = "", intro: str = "Intro.") -> str:
    head = "{{User:MiszaBot/config\n|archive = Talk:Example/Archive %(counter)d\n|algo = old(30d)\n" \
           f"|counter = 1\n|minthreadsleft = 0\n|minthreadstoarchive = 1\n{config}}}}}\n{intro}"
    return head + "\n\n" + "\n\n".join(threads)


def headings(text: str) -> list[str]:
    return [t.heading for t in split_threads(text).threads]


def archive_titles(wiki: Wiki) -> list[str]:
    return sorted(t for t in wiki.texts if t.startswith(TALK + "/Archive"))


def copies(wiki: Wiki, body: str) -> int:
    """In how many places ``body`` stands: talk page and archives."""
    return sum(text.count(body) for title, text in wiki.texts.items() if title == TALK or title.startswith(TALK + "/"))


# -- the demo tree ---------------------------------------------------------------------------------

def demo_wiki() -> Wiki:
    return Wiki({p.title.replace("Talk:Global Advocacy", TALK): p.text.replace("Talk:Global Advocacy", TALK)
                 for p in demo_pages() if p.title.startswith("Talk:Global Advocacy")})


def test_demo_talk_page_at_demo_now():
    wiki = demo_wiki()
    plan = wiki.plan(now=DEMO_NOW)
    # seven threads older than 90 days and one resolved more than 2 days ago; five recent ones stay
    assert [c.title for c in plan.changes] == [f"{TALK}/Archive 1", TALK]
    archive, talk = plan.changes
    assert talk.summary == (f"Archiving: 8 threads (7 older than 90 days, 1 resolved more than 2 days ago) "
                            f"to {TALK}/Archive 1")
    assert archive.summary == f"Archiving: 8 threads from {TALK}"
    assert talk.verify is not None and talk.verify.titles == (f"{TALK}/Archive 1",)
    assert archive.verify is None
    assert headings(talk.new_text) == ["Feedback on the copyright toolkit", "Conversation hour time zones",
                                       "New consultation on platform transparency in Brazil",
                                       "Can affiliates co-sign open letters?"]
    assert headings(archive.new_text)[:3] == ["Welcome to the new Global Advocacy pages", "Old Public policy links",
                                              "Mailing list address"]
    assert len(headings(archive.new_text)) == 11
    # the head (configuration, intro) is untouched; the archive keeps its text and grows at the end
    assert talk.new_text.startswith(split_threads(wiki.texts[TALK]).head)
    assert archive.new_text.startswith(wiki.texts[f"{TALK}/Archive 1"] + "\n\n== Broken link")


def test_second_run_makes_no_change():
    wiki = demo_wiki()
    assert wiki.execute(wiki.plan(now=DEMO_NOW)) == [f"{TALK}/Archive 1", TALK]
    again = wiki.plan(now=DEMO_NOW)
    assert again.changes == () and again.moves == ()
    assert "nothing to archive" in again.describe()


@pytest.mark.parametrize("stop_after", [0, 1, 2])
def test_a_run_stopped_anywhere_is_completed_by_the_next(stop_after):
    wiki = demo_wiki()
    bodies = [t.body for t in split_threads(wiki.texts[TALK]).threads]
    wiki.execute(wiki.plan(now=DEMO_NOW), stop_after=stop_after)
    rerun = wiki.plan(now=DEMO_NOW)
    if stop_after == 1:  # the archive was saved, the talk page not: only the talk page changes now
        assert [c.title for c in rerun.changes] == [TALK]
        assert all(move.already_archived for move in rerun.moves)
        assert "8 of them already there from an interrupted run" in rerun.changes[0].summary
    wiki.execute(rerun)
    assert all(copies(wiki, body) == 1 for body in bodies)
    assert len(headings(wiki.texts[TALK])) == 4
    assert wiki.plan(now=DEMO_NOW).changes == ()


# -- choosing threads ------------------------------------------------------------------------------

def test_old_threads_go_recent_and_unsigned_ones_stay():
    wiki = Wiki({TALK: talk_page([thread("Old", 40), thread("Recent", 10), "== Unsigned ==\nNo signature.",
                                  thread("Also old", 31)])})
    plan = wiki.plan()
    assert [move.thread.heading for move in plan.moves] == ["Old", "Also old"]
    assert plan.changes[1].summary == f"Archiving: 2 threads older than 30 days to {TALK}/Archive 1"
    assert headings(plan.changes[1].new_text) == ["Recent", "Unsigned"]


def test_age_is_the_newest_comment():
    reply = f"\n:A late reply. {sig('Bob', NOW - timedelta(days=2))}"
    wiki = Wiki({TALK: talk_page([thread("Revived", 400) + reply, thread("Old", 40)])})
    assert [move.thread.heading for move in wiki.plan().moves] == ["Old"]


def test_resolved_threads_go_after_the_resolved_delay():
    resolved = "{{Resolved|1=done}}\n"
    wiki = Wiki({TALK: talk_page([thread("Done", 3, resolved), thread("Just done", 1, resolved),
                                  thread("Open", 3), thread("Done, in a comment", 3, "<!-- {{Resolved}} -->")])})
    plan = wiki.plan()
    assert [(m.thread.heading, m.reason) for m in plan.moves] == [("Done", "resolved")]
    assert plan.changes[-1].summary == f"Archiving: 1 thread resolved more than 2 days ago to {TALK}/Archive 1"


def test_resolved_templates_and_delay_from_the_page():
    config = "|resolvedtemplates = Done, Fixed\n|resolvedalgo = old(5d)\n"
    wiki = Wiki({TALK: talk_page([thread("A", 6, "{{done}}\n"), thread("B", 6, "{{Resolved}}\n"),
                                  thread("C", 4, "{{Fixed}}\n"), thread("D", 1)], config)})
    assert [m.thread.heading for m in wiki.plan().moves] == ["A"]


def test_min_threads_left_keeps_the_newest_of_the_due_threads_in_page_order():
    text = talk_page([thread(f"T{i}", 100 - i) for i in range(5)]).replace("minthreadsleft = 0", "minthreadsleft = 3")
    wiki = Wiki({TALK: text})
    assert [m.thread.heading for m in wiki.plan().moves] == ["T0", "T1"]


def test_min_threads_to_archive():
    text = talk_page([thread("A", 40), thread("B", 1), thread("C", 1)]).replace("|minthreadstoarchive = 1\n",
                                                                                "|minthreadstoarchive = 2\n")
    plan = Wiki({TALK: text}).plan()
    assert plan.changes == () and plan.describe() == (f"{TALK}: nothing to archive (1 thread due; "
                                                     "the page moves at least 2 at a time and keeps 0)")


def test_defaults_fill_what_the_page_leaves_out():
    text = "{{User:MiszaBot/config|archive=Talk:Example/Archive %(counter)d}}\n\n" + "\n\n".join(
        thread(f"T{i}", 45 - i * 10) for i in range(8))
    defaults = replace(DEFAULTS, algo="old(20d)", minthreadsleft=2, minthreadstoarchive=1)
    plan = Wiki({TALK: text}).plan(defaults=defaults)
    assert [m.thread.heading for m in plan.moves] == ["T0", "T1", "T2"]  # 45, 35 and 25 days old


# -- archives --------------------------------------------------------------------------------------

def test_new_archive_gets_the_header_with_its_variables():
    config = "|archiveheader = {{Archive box|number=%(counter)d|year=%(year)d}}\n|maxarchivesize = 1 T\n"
    wiki = Wiki({TALK: talk_page([thread("A", 40), thread("B", 1)], config),
                 f"{TALK}/Archive 1": "{{Talk archive}}\n\n" + thread("Archived", 500)})
    archive = wiki.plan().changes[0]
    assert archive.title == f"{TALK}/Archive 2" and archive.creates_page
    assert archive.new_text.startswith("{{Archive box|number=2|year=2026}}\n\n== A ==")


def test_a_counter_set_too_high_steps_back_to_the_last_archive_as_archivebot_does():
    text = talk_page([thread("A", 40), thread("B", 1)]).replace("|counter = 1\n", "|counter = 4\n")
    wiki = Wiki({TALK: text, f"{TALK}/Archive 2": "{{Talk archive}}\n\n" + thread("Archived", 500)})
    plan = wiki.plan()
    assert [m.archive for m in plan.moves] == [f"{TALK}/Archive 2"]
    assert plan.changes[-1].summary.endswith("; counter 2")


@pytest.mark.parametrize("counter, archives, expected", [
    ("99999999999999999999", (2, 7), 7),  # found by the hostile corpus: stepping back one by one never ended
    ("99999999999999999999", (), 1),
    ("5", (2, 7), 2),  # an archive above the counter is not stepped back to
    ("3", (3,), 3),
])
def test_a_counter_set_absurdly_high_goes_straight_to_the_last_archive_below_it(counter, archives, expected):
    text = talk_page([thread("A", 40), thread("B", 1)]).replace("|counter = 1\n", f"|counter = {counter}\n")
    wiki = Wiki({TALK: text, **{f"{TALK}/Archive {n}": "{{Talk archive}}\n\n" + thread(f"Old {n}", 500)
                               for n in archives}})
    plan = wiki.plan()
    assert [m.archive for m in plan.moves] == [f"{TALK}/Archive {expected}"]
    assert config_params(split_threads(plan.changes[-1].new_text).head)["counter"] == str(expected)


def test_counter_rolls_over_when_an_archive_is_full_by_threads():
    existing = "{{Talk archive}}\n\n" + thread("Archived", 500)
    wiki = Wiki({TALK: talk_page([thread(f"T{i}", 90 - i) for i in range(5)], "|maxarchivesize = 2 T\n"),
                 f"{TALK}/Archive 1": existing})
    plan = wiki.plan()
    assert [(m.thread.heading, m.archive[-9:]) for m in plan.moves] == [
        ("T0", "Archive 1"), ("T1", "Archive 2"), ("T2", "Archive 2"), ("T3", "Archive 3"), ("T4", "Archive 3")]
    talk = plan.changes[-1]
    assert config_params(split_threads(talk.new_text).head)["counter"] == "3"
    assert talk.summary == (f"Archiving: 5 threads older than 30 days to {TALK}/Archive 1 (1) and {TALK}/Archive 2 (2)"
                            f" and {TALK}/Archive 3 (2); counter 3")
    wiki.execute(plan)
    assert headings(wiki.texts[f"{TALK}/Archive 1"]) == ["Archived", "T0"]
    assert headings(wiki.texts[f"{TALK}/Archive 3"]) == ["T3", "T4"]
    assert wiki.plan().changes == ()


def test_a_rerun_after_a_stop_between_the_saves_catches_the_counter_up():
    wiki = Wiki({TALK: talk_page([thread(f"T{i}", 90 - i) for i in range(3)], "|maxarchivesize = 1 T\n")})
    assert wiki.execute(wiki.plan(), stop_after=3) == [f"{TALK}/Archive {n}" for n in (1, 2, 3)]
    rerun = wiki.plan()
    assert [c.title for c in rerun.changes] == [TALK]
    assert config_params(split_threads(rerun.changes[0].new_text).head)["counter"] == "3"


def test_counter_rolls_over_when_an_archive_is_full_by_bytes():
    existing = "{{Talk archive}}\n\n" + thread("Archived", 500, "x" * 1000 + "\n")
    wiki = Wiki({TALK: talk_page([thread("A", 40), thread("B", 39)], "|maxarchivesize = 1K\n"),
                 f"{TALK}/Archive 1": existing})
    assert [m.archive for m in wiki.plan().moves] == [f"{TALK}/Archive 2", f"{TALK}/Archive 2"]


def test_archives_by_year_without_a_counter():
    text = talk_page([thread("2025 thread", 200), thread("2026 thread", 100)]).replace(
        "Archive %(counter)d", "Archive %(year)d")
    plan = Wiki({TALK: text}).plan()
    assert [m.archive for m in plan.moves] == [f"{TALK}/Archive 2025", f"{TALK}/Archive 2026"]
    assert "counter" not in plan.changes[-1].summary


def test_a_human_reply_after_an_interrupted_run_replaces_the_earlier_copy():
    wiki = Wiki({TALK: talk_page([thread("A", 40), thread("B", 1)])})
    wiki.execute(wiki.plan(), stop_after=1)  # archive saved; the run stops before the talk page
    reply = f"\n:Wait, one more thing. {sig('Bob', NOW - timedelta(days=1))}"
    talk = split_threads(wiki.texts[TALK])
    wiki.texts[TALK] = talk.head + talk.threads[0].text.rstrip() + reply + "\n\n" + talk.threads[1].text
    assert wiki.execute(wiki.plan()) == []  # "A" is recent again: it stays, and the old copy waits
    assert len(wiki.journal) == 1  # the stopped run's record stays for the thread that continues it
    later = NOW + timedelta(days=40)
    wiki.execute(wiki.plan(now=later))
    archive = wiki.texts[f"{TALK}/Archive 1"]
    assert headings(archive) == ["A", "B"] and "Wait, one more thing" in archive
    assert headings(wiki.texts[TALK]) == []


# -- identical threads are distinct threads ------------------------------------------------------------

def thread_counts(wiki: Wiki) -> Counter:
    """Every thread of the talk page and its archives, by text."""
    return Counter(t.body for title, text in wiki.texts.items() if title == TALK or title.startswith(TALK + "/")
                   for t in split_threads(text).threads)


def test_two_identical_threads_are_two_threads_and_min_threads_left_holds():
    """Issue 15's reproduction: two copies of one old thread and a fresh one, minthreadsleft = 2."""
    old = thread("Same question", 60)
    text = talk_page([old, old, thread("Fresh", 1)]).replace("|minthreadsleft = 0", "|minthreadsleft = 2")
    wiki = Wiki({TALK: text})
    plan = wiki.plan()
    assert len(plan.moves) == 1 and plan.changes[-1].summary.startswith("Archiving: 1 thread ")
    wiki.execute(plan)
    assert headings(wiki.texts[TALK]) == ["Same question", "Fresh"]
    assert thread_copies(wiki.texts[f"{TALK}/Archive 1"], old) == 1
    assert wiki.plan().changes == ()


def test_identical_threads_that_all_go_stand_as_many_times_in_the_archive():
    old = thread("Same question", 60)
    wiki = Wiki({TALK: talk_page([old, thread("Other", 60), old, old])})
    wiki.run()
    assert headings(wiki.texts[TALK]) == []
    assert headings(wiki.texts[f"{TALK}/Archive 1"]) == ["Same question", "Other", "Same question", "Same question"]
    assert wiki.plan().changes == ()


def test_a_thread_posted_again_is_archived_beside_its_earlier_copy():
    old = thread("Asked before", 60)
    wiki = Wiki({TALK: talk_page([old]), f"{TALK}/Archive 1": "{{Talk archive}}\n\n" + old})
    plan = wiki.plan()
    assert not plan.moves[0].already_archived and plan.moves[0].copies == 2
    wiki.execute(plan)
    assert thread_copies(wiki.texts[f"{TALK}/Archive 1"], old) == 2 and headings(wiki.texts[TALK]) == []


@pytest.mark.parametrize("stop_after", [0, 1])
def test_a_stopped_run_with_identical_threads_is_completed_exactly(stop_after):
    """The journal tells the stopped run's copies from earlier ones: the archive held one copy before."""
    old = thread("Same question", 60)
    wiki = Wiki({TALK: talk_page([old, old, thread("Fresh", 1)]),
                 f"{TALK}/Archive 1": "{{Talk archive}}\n\n" + old})
    before = thread_counts(wiki)
    wiki.execute(wiki.plan(), stop_after=stop_after)
    rerun = wiki.plan()
    assert [m.already_archived for m in rerun.moves] == [stop_after == 1] * 2
    wiki.execute(rerun)
    assert thread_counts(wiki) == before
    assert thread_copies(wiki.texts[f"{TALK}/Archive 1"], old) == 3 and headings(wiki.texts[TALK]) == ["Fresh"]
    assert wiki.journal == () and wiki.plan().changes == ()


def test_without_the_journal_a_stopped_run_leaves_a_thread_twice_never_nowhere():
    old = thread("Asked once", 60)
    wiki = Wiki({TALK: talk_page([old])})
    wiki.execute(wiki.plan(), stop_after=1)
    wiki.journal = ()  # the journal was lost (another machine, a deleted cache)
    wiki.run()
    assert thread_copies(wiki.texts[f"{TALK}/Archive 1"], old) == 2 and headings(wiki.texts[TALK]) == []


def test_a_recompute_after_a_save_that_went_through_adds_nothing():
    """An edit conflict on the archive after our own save landed (a lost answer): no second copy."""
    old = thread("Same question", 60)
    wiki = Wiki({TALK: talk_page([old, old])})
    archive, talk = wiki.plan().changes
    wiki.apply([archive])
    again = archive.recompute(wiki.page(archive.title))
    assert again is None
    assert wiki.apply([talk]) == [TALK] and thread_copies(wiki.texts[archive.title], old) == 2


# -- edit conflicts and verification ---------------------------------------------------------------

def test_talk_page_recompute_keeps_what_a_human_changed():
    wiki = Wiki({TALK: talk_page([thread("A", 40), thread("B", 40), thread("C", 1)])})
    archive, talk = wiki.plan().changes
    wiki.apply([archive])
    # between the archive save and the talk save someone replies in B and opens a new thread
    split = split_threads(wiki.texts[TALK])
    wiki.texts[TALK] = (split.head + split.threads[0].text + split.threads[1].text.rstrip() + "\n:Me too.\n\n"
                        + split.threads[2].text + "\n\n" + thread("New", 0))
    assert wiki.apply([talk]) == [TALK]
    assert headings(wiki.texts[TALK]) == ["B", "C", "New"]
    assert "Me too." in wiki.texts[TALK]


def test_archive_recompute_after_someone_created_it():
    wiki = Wiki({TALK: talk_page([thread("A", 40), thread("B", 1)])})
    archive, talk = wiki.plan().changes
    wiki.texts[f"{TALK}/Archive 1"] = "{{Other header}}\n\n" + thread("Moved by hand", 300)
    wiki.apply([archive, talk])
    assert headings(wiki.texts[f"{TALK}/Archive 1"]) == ["Moved by hand", "A"]
    assert headings(wiki.texts[TALK]) == ["B"]


def test_verification_names_every_missing_thread():
    wiki = Wiki({TALK: talk_page([thread("A", 40), thread("B", 40), thread("C", 1)])})
    _, talk = wiki.plan().changes
    partial_archive = Page(f"{TALK}/Archive 1", 1, True, "{{Talk archive}}\n\n" + thread("A", 40))
    problems = talk.verify.problems({f"{TALK}/Archive 1": partial_archive})
    assert problems == [f"thread 'B' is not in {TALK}/Archive 1; the talk page keeps it"]
    assert talk.verify.problems({f"{TALK}/Archive 1": Page(f"{TALK}/Archive 1", 1, False)})
    assert wiki.apply([talk]) == []  # without the archive the talk page is not saved


# -- configuration problems ------------------------------------------------------------------------

def test_no_configuration_means_no_plan():
    assert Wiki({TALK: thread("A", 40)}).plan() is None
    # a configuration inside a thread does not count
    assert Wiki({TALK: "Intro\n\n" + thread("A", 40, "{{User:MiszaBot/config|archive=Talk:Example/A}}\n")}).plan() is None


@pytest.mark.parametrize("change, reason", [
    (("Talk:Example/Archive %(counter)d", "Talk:Elsewhere/Archive %(counter)d"), "is not a subpage of Talk:Example"),
    (("|counter = 1\n", "|counter = 1\n|key = 0123abcd\n|archive = User:Me/Archive\n"), "key"),
    (("old(30d)", "old(30 days)"), "algo"),
    (("|counter = 1\n", "|counter = one\n"), "counter"),
    (("|counter = 1\n", "|maxarchivesize = huge\n"), "maxarchivesize"),
    (("Archive %(counter)d", "Archive %(number)d"), "cannot fill in"),
    (("|counter = 1\n", "|index = Talk:Example/Archive 9\n"), "also a name of an archive"),
    (("|counter = 1\n", "|index = Archive index\n"), "index"),
    # issue 15: a literal | in the archive name split the request's titles= (exit 5, MediaWiki:Common.js read)
    (("Talk:Example/Archive %(counter)d", "Talk:Example/X<nowiki>|MediaWiki:Common.js|</nowiki>"),
     "which page titles cannot hold"),
    (("|counter = 1\n", "|index = Talk:Example/I#x\n"), "index = 'Talk:Example/I#x': the title contains '#'"),
])
def test_unusable_configuration_is_refused_with_a_reason(change, reason):
    wiki = Wiki({TALK: talk_page([thread("A", 40)]).replace(*change)})
    plan = wiki.plan()
    assert plan.changes == () and reason in plan.refused


def test_archive_names_with_underscores_and_lower_case_are_normalised():
    text = talk_page([thread("A", 40)]).replace("Talk:Example/Archive %(counter)d", "talk:example/Archive_%(counter)d")
    assert Wiki({TALK: text}).plan().moves[0].archive == f"{TALK}/Archive 1"


# -- the index -------------------------------------------------------------------------------------

def test_index_lists_every_archived_thread_and_keeps_text_around_it():
    index = f"{TALK}/Archive index"
    wiki = Wiki({TALK: talk_page([thread("A", 40), thread("B", 1)], f"|index = {index}\n"),
                 f"{TALK}/Archive 1": "{{Talk archive}}\n\n" + thread("Earlier", 400)})
    plan = wiki.plan()
    assert [c.title for c in plan.changes] == [f"{TALK}/Archive 1", TALK, index]
    assert plan.changes[2].verify is plan.changes[1].verify
    wiki.execute(plan)
    text = wiki.texts[index]
    day = lambda days: f"{NOW - timedelta(days=days):%Y-%m-%d}"
    assert f"| Earlier || [[{TALK}/Archive 1|Archive 1]] || {day(400)} || {day(400)}" in text
    assert f"| A || [[{TALK}/Archive 1|Archive 1]] || {day(40)} || {day(40)}" in text
    assert text.index("Earlier") < text.index("| A ||")
    wiki.texts[index] = "Notes kept by people.\n\n" + text + "\n\nMore notes."
    assert wiki.plan().changes == ()
    wiki.texts[TALK] += "\n\n" + thread("C", 45)
    wiki.run()
    assert wiki.texts[index].startswith("Notes kept by people.") and wiki.texts[index].endswith("More notes.")
    assert wiki.texts[index].count(INDEX_START) == 1 and "| C ||" in wiki.texts[index]


def test_index_is_kept_current_without_moves():
    index = f"{TALK}/Archive index"
    wiki = Wiki({TALK: talk_page([thread("B", 1)], f"|index = {index}\n"),
                 f"{TALK}/Archive 1": "{{Talk archive}}\n\n" + thread("Earlier", 400)})
    plan = wiki.plan()
    assert [c.title for c in plan.changes] == [index] and plan.changes[0].verify is None
    assert INDEX_END in plan.changes[0].new_text


# -- a property: any page, any stop, every thread exactly once -------------------------------------

@st.composite
def talk_pages(draw):
    count = draw(st.integers(0, 12))
    threads = []
    for i in range(count):
        days = draw(st.sampled_from([None, 0.5, 3, 29, 31, 45, 200, 800]))
        resolved = "{{Resolved}}\n" if draw(st.booleans()) else ""
        sub = f"\n\n=== Part {i} ===\nMore.\n" if draw(st.booleans()) else ""
        threads.append(f"== Thread {i} ==\n{resolved}No signature.{sub}" if days is None
                       else thread(f"Thread {i}", days, resolved) + sub)
    size = draw(st.sampled_from(["1 T", "2 T", "3 T", "400", "2K", "150K"]))
    left = draw(st.integers(0, 4))
    existing = draw(st.integers(0, 3))
    text = talk_page(threads, f"|maxarchivesize = {size}\n").replace("|minthreadsleft = 0\n",
                                                                     f"|minthreadsleft = {left}\n")
    pages = {TALK: text + ("\n\n[[Category:Talk]]" if draw(st.booleans()) else "")}
    if existing:
        pages[f"{TALK}/Archive 1"] = "{{Talk archive}}\n\n" + "\n\n".join(
            thread(f"Archived {i}", 900 + i) for i in range(existing))
    return pages, draw(st.integers(0, 4))


@settings(max_examples=150, deadline=None)
@given(talk_pages())
def test_every_thread_exactly_once_after_any_stop_and_a_rerun(case):
    pages, stop_after = case
    wiki = Wiki(pages)
    bodies = [t.body for title in pages for t in split_threads(wiki.texts[title]).threads]
    wiki.execute(wiki.plan(), stop_after=stop_after)
    assert all(copies(wiki, body) >= 1 for body in bodies)  # nothing lost even when stopped
    wiki.run()
    assert all(copies(wiki, body) == 1 for body in bodies)
    assert wiki.plan().changes == ()  # the second run changes nothing
    talk = wiki.texts[TALK]
    head, old_head = split_threads(talk).head, split_threads(pages[TALK]).head
    assert "}}\nIntro." in head  # the page's top stays; only the counter may change
    assert {**config_params(head), "counter": "1"} == config_params(old_head)
    assert ("[[Category:Talk]]" in talk) == ("[[Category:Talk]]" in pages[TALK])
    for title in archive_titles(wiki):
        assert all(holds_thread(wiki.texts[title], t.body) for t in split_threads(wiki.texts[title]).threads)


@st.composite
def pages_with_repeated_threads(draw):
    """Talk pages where threads repeat: verbatim copies, copies with one more line, and threads an
    archive already holds (posted again)."""
    originals = [thread(f"Thread {i}", draw(st.sampled_from([1, 31, 45, 200])))
                 for i in range(draw(st.integers(1, 4)))]
    kinds = st.sampled_from(["same", "longer", "new"])
    threads = []
    for _ in range(draw(st.integers(1, 9))):
        base = draw(st.sampled_from(originals))
        kind = draw(kinds)
        threads.append(base + "\n:One more line." if kind == "longer" else base)
    left = draw(st.integers(0, 4))
    text = talk_page(threads, "|maxarchivesize = 2 T\n" if draw(st.booleans()) else "")
    pages = {TALK: text.replace("|minthreadsleft = 0\n", f"|minthreadsleft = {left}\n")}
    held = draw(st.lists(st.sampled_from(originals), max_size=3))
    if held:
        pages[f"{TALK}/Archive 1"] = "{{Talk archive}}\n\n" + "\n\n".join(held)
    return pages, left, draw(st.integers(0, 4))


@settings(max_examples=200, deadline=None)
@given(pages_with_repeated_threads())
def test_repeated_threads_each_end_exactly_once_after_any_stop_and_a_rerun(case):
    pages, left, stop_after = case
    wiki = Wiki(pages)
    before = thread_counts(wiki)
    on_talk = len(split_threads(wiki.texts[TALK]).threads)
    plan = wiki.plan()
    wiki.execute(plan, stop_after=stop_after)
    assert all(thread_counts(wiki)[body] >= count for body, count in before.items())  # never fewer copies
    wiki.run()
    assert thread_counts(wiki) == before  # every thread exactly once: on the talk page or in an archive
    remaining = len(split_threads(wiki.texts[TALK]).threads)
    assert remaining == on_talk - len(plan.moves) and remaining >= min(left, on_talk)
    assert wiki.journal == () and wiki.plan().changes == ()
