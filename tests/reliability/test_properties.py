"""Properties (hypothesis) of the pure transforms that had none yet: rewriting is idempotent
(f(f(x)) = f(x)), text outside the region a task owns is kept byte for byte, and what is written
reads back as it was meant (parse of unparse is the identity). The others are in tests/unit: the
header placement, staff sync, talk-page splitting, archiving, Translate marking and preparation,
the run log and run-all's composition."""

from __future__ import annotations

import json
import string
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocacy_bot.plan import Page
from advocacy_bot.roster import Member, load_roster_text, roster_yaml
from advocacy_bot.settings import Tab, default_settings
from advocacy_bot.tasks.archive import INDEX_END, INDEX_START, add_threads, copies_wanted, index_text
from advocacy_bot.tasks.nav import template_items, template_text
from advocacy_bot.tasks.translate import highest_ids, read_state, state_change, state_text
from advocacy_bot.wikitext import staff_block
from advocacy_bot.wikitext.talk_threads import config_params, set_config_param, split_threads, thread_copies
from advocacy_bot.wikitext.translate_markup import add_markers, parse, validate
from tests.fixtures.snapshot import DEMO_NOW, signature

BOT, HINT = "AdvocacyBot", "the roster page User:AdvocacyBot/roster.json"
SETTINGS = default_settings()
WORDS = st.text(alphabet=string.ascii_letters + "éøßعש中 ", min_size=1, max_size=12).map(str.strip).filter(bool)
# Prose lines: plain sentences (a full stop at the end; no list, heading, table or tag syntax).
PROSE = st.lists(WORDS.map(lambda w: f"{w} is a sentence."), max_size=4).map("\n".join)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- the navigation header template ---------------------------------------------------------------

KEYS = [tab.key for tab in SETTINGS.nav.tabs]
tab_lists = st.lists(st.tuples(st.sampled_from(KEYS + ["x1", "x2", "x3"]), WORDS), unique_by=lambda t: t[0],
                     min_size=1, max_size=9)


def with_tabs(pairs) -> object:
    tabs = tuple(Tab(key, label, f"Global Advocacy/{key}") for key, label in pairs)
    return replace(SETTINGS, nav=replace(SETTINGS.nav, tabs=tabs))


@FAST
@given(first=tab_lists, second=tab_lists)
def test_the_header_template_reads_back_and_rewriting_it_changes_nothing(first, second):
    on_wiki = add_markers(template_text(with_tabs(first)))  # as marked on the wiki
    new = template_text(with_tabs(second), on_wiki)
    assert template_text(with_tabs(second), new) == new
    items, _ = template_items(add_markers(new, 100))
    assert [(i.key, i.label, i.target) for i in items] == [(k, label, f"Global Advocacy/{k}") for k, label in second]
    assert validate(new) == []


# -- staff adopt ----------------------------------------------------------------------------------

NAMES = st.lists(st.tuples(WORDS, WORDS), min_size=1, max_size=5, unique_by=lambda t: t[0].casefold())


@FAST
@given(before=PROSE, after=PROSE, people=NAMES)
def test_adopting_a_list_only_wraps_it_and_adopting_again_changes_nothing(before, after, people):
    lines = "\n".join(f"* '''{name}''' – {title}" for name, title in people)
    text = f"{before}\n== The team ==\n{lines}\n\n{after}"
    adopted = staff_block.adopt(text, "The team", BOT, HINT)
    begin, end = staff_block.begin_comment(BOT, HINT), staff_block.end_comment(BOT)
    assert adopted.new_text.replace(begin + "\n", "", 1).replace("\n" + end, "", 1) == text
    assert staff_block.adopt(adopted.new_text, "The team", BOT, HINT).new_text is None


# -- archives and their index ---------------------------------------------------------------------

def thread(number: int) -> str:
    return f"== Topic {number} ==\nA question. {signature('Kestrel42', DEMO_NOW)}"


@FAST
@given(held=st.lists(st.integers(0, 12), max_size=5), adding=st.lists(st.integers(0, 12), min_size=1, max_size=5),
       exists=st.booleans(), footer=st.booleans())
def test_adding_threads_to_an_archive_adds_each_once_even_when_redone(held, adding, exists, footer):
    """Identical threads are distinct threads: each one added is one more copy; redoing the addition
    on the result (a recompute after a save that went through) adds nothing."""
    text = None
    if exists:
        text = "\n\n".join(["{{Talk archive}}", *map(thread, held)]) + ("\n\n[[Category:Archives]]" if footer else "")
    threads = list(split_threads("\n\n".join(map(thread, adding))).threads)
    wanted = copies_wanted(text, threads)
    once = add_threads(text, "{{Talk archive}}", threads, wanted)
    assert add_threads(once, "{{Talk archive}}", threads, wanted) == once
    for number in set(held if exists else []) | set(adding):
        assert thread_copies(once, thread(number)) == (held.count(number) if exists else 0) + adding.count(number)
    assert once.startswith("{{Talk archive}}")
    assert once.count("[[Category:Archives]]") == (exists and footer)
    if exists and footer and held:  # trailing categories stay last (with no thread yet, they are the head)
        assert once.endswith("[[Category:Archives]]")


TEXT = st.text(alphabet=string.ascii_letters + " \n=*'|{}[]<>!-", max_size=60)
TABLES = st.lists(WORDS, max_size=3).map(lambda words: "{|\n" + "\n".join(f"|-\n| {w}" for w in words) + "\n|}")


@FAST
@given(before=TEXT, after=TEXT, old=TABLES, table=TABLES, marked=st.booleans())
def test_the_archive_index_changes_only_between_its_markers(before, after, old, table, marked):
    current = f"{before}{INDEX_START}\n{old}\n{INDEX_END}{after}" if marked else before
    new = index_text(current, "Talk:X", table)
    if marked:
        assert new.startswith(before) and new.endswith(after)
    else:
        assert new.startswith(before.rstrip())
    assert index_text(new, "Talk:X", table) == new
    assert new.count(INDEX_START) == 1 and f"{INDEX_START}\n{table}\n{INDEX_END}" in new


# -- the archive configuration --------------------------------------------------------------------

PARAMS = st.dictionaries(st.sampled_from(["archive", "algo", "counter", "maxarchivesize", "minthreadsleft"]),
                         st.from_regex(r"[A-Za-z0-9()% ]{0,10}[A-Za-z0-9()%]", fullmatch=True), min_size=1)
PLAIN = st.text(alphabet=string.ascii_letters + " .\n", max_size=40)


@FAST
@given(params=PARAMS, name=st.sampled_from(["counter", "algo", "minthreadstoarchive"]),
       value=st.from_regex(r"[0-9]{1,4}", fullmatch=True), before=PLAIN, after=PLAIN, space=st.sampled_from(["", " ", "\n"]))
def test_setting_a_configuration_parameter_changes_that_value_only(params, name, value, before, after, space):
    body = "".join(f"\n|{key}{space}={space}{val}" for key, val in params.items())
    head = f"{before}{{{{User:MiszaBot/config{body}\n}}}}{after}"
    new = set_config_param(head, name, value)
    assert config_params(new) == {**config_params(head), name: value}
    assert set_config_param(new, name, value) == new
    assert new.startswith(before) and new.endswith(after)


# -- the translate state page and the roster: written, then read back ------------------------------

IDS = st.dictionaries(st.text(alphabet=string.ascii_letters + " /:", min_size=1, max_size=20), st.integers(0, 10**6),
                      max_size=6)


@FAST
@given(old=IDS, new=IDS, other=st.dictionaries(st.sampled_from(["archive", "notes"]), st.integers(), max_size=2))
def test_the_state_page_reads_back_only_grows_and_is_written_once(old, new, other):
    state = {**other, "translate": {"highest_ids": old}}
    text = state_text(state, new)
    read = read_state(Page("User:AdvocacyBot/state.json", 2, True, text, 1))
    assert highest_ids(read) == {t: max(old.get(t, 0), new.get(t, 0)) for t in set(old) | set(new)}
    assert {key: read[key] for key in other} == other
    assert state_change(Page("User:AdvocacyBot/state.json", 2, True, text, 1), new) is None
    assert json.loads(state_text(read, new)) == json.loads(text)


PLAIN_FIELD = st.text(alphabet=string.ascii_letters + "éøعש中 -.()", min_size=1, max_size=20).map(str.strip)
MEMBERS = st.lists(st.builds(
    lambda i, name, title, region, user, mail: Member(f"m{i}", f"{name} {i}", title, region, user, mail),
    st.integers(0, 10**6), PLAIN_FIELD.filter(lambda s: any(c.isalpha() for c in s)), PLAIN_FIELD.filter(bool),
    st.none() | PLAIN_FIELD.filter(bool), st.none() | st.from_regex(r"[A-Z][a-z]{1,8}( \(WMF\))?", fullmatch=True),
    st.none() | st.from_regex(r"[a-z]{1,8}@example\.org", fullmatch=True)),
    min_size=1, max_size=6, unique_by=lambda m: m.key)


@FAST
@given(MEMBERS)
def test_a_roster_file_reads_back_as_it_was_written(members):
    assert list(load_roster_text(roster_yaml(members), "roster.yaml").members) == members


# -- Translate's parser: blocks and units are spans of the text -----------------------------------

SOUP = st.lists(st.sampled_from(["<translate>", "</translate>", "<!--T:1-->", "<!--T:2-->", "== H ==", "\n", "\n\n",
                                 "text", " ", "<nowiki>", "</nowiki>", "<tvar name=v>x</tvar>", "<languages/>"]),
                max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(SOUP)
def test_translate_blocks_and_units_are_spans_of_the_text_in_order(text):
    parsed = parse(text)
    position = 0
    for block in parsed.blocks:
        assert position <= block.start <= block.content_start <= block.content_end <= block.end <= len(text)
        assert text[block.start:block.content_start].startswith("<translate")
        assert text[block.content_end:block.end] == "</translate>"
        inner = block.content_start
        for unit in block.units:
            assert inner <= unit.start <= unit.end <= block.content_end
            span = text[unit.start:unit.end]
            if unit.marker is not None:
                assert text[unit.marker.start:unit.marker.end] == f"<!--T:{unit.marker.id}-->"
                span = text[unit.start:unit.marker.start] + text[unit.marker.end:unit.end]
            if parsed.ok:  # the text Translate stores is the span without its marker
                assert unit.text.strip() in span
            inner = unit.end
        position = block.end
