"""Talk-page archiving: which threads leave a talk page, which archive they go to, and the plan that
moves them without ever losing or doubling one.

The configuration is archivebot's template on the talk page (``{{User:MiszaBot/config}}``: ``archive``
with its variables, ``algo``, ``counter``, ``maxarchivesize``, ``minthreadsleft``,
``minthreadstoarchive``, ``archiveheader``), plus ``resolvedalgo``, ``resolvedtemplates`` and
``index``; what it leaves out comes from the settings (:class:`~advocacy_bot.settings.ArchiveDefaults`).
Threads are chosen and placed as archivebot does: oldest "era" first, in page order, never leaving
fewer than ``minthreadsleft`` threads, and only when at least ``minthreadstoarchive`` go; a counter
archive that is full (bytes or ``N T`` threads) rolls over to the next counter.

A plan for one talk page is, in this order: the archive pages (threads appended, a header on a new
archive), then the talk page (threads removed, counter updated in the same edit), then the index
page. The talk page and the index carry a :class:`~advocacy_bot.plan.Verification`: they are saved
only once every moved thread is in its archive (as the archive's save stored it, or a fresh read
where the save's answer cannot tell: ``wiki/apply.py``). Every change recomputes from a fresh
page after an edit conflict.

Threads are moved by identity, not by text: two identical threads are two threads, each ending
exactly once on the talk page or in an archive. An archive therefore holds *copies* of a text, and a
move names how many copies its archive holds once the thread is there (:attr:`Move.copies`). Whether
a copy already in an archive is the talk page's thread (a run stopped between its two saves) or an
earlier thread that someone posted again cannot be read from the pages; the plan lists its moves as
:class:`InFlight` records, the command keeps them (``archive_journal``) until the talk page is saved,
and the next plan completes exactly the moves they name. Without a record, a copy in an archive is an
earlier thread: the talk page's one is archived beside it. An archived copy that the talk page's
version continues (someone replied, or reopened the thread) is replaced in place by the longer version.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from math import ceil

from ..plan import Page, PageChange, Verification, change_for
from ..settings import ArchiveDefaults
from ..tree import TALK_NAMESPACE
from ..wikitext.parsing import TooDeeplyNested
from ..wikitext.talk_threads import (
    Thread,
    ThreadedPage,
    config_params,
    holds_thread,
    mentions_config,
    parse_algo,
    parse_size,
    set_config_param,
    split_threads,
    template_key,
    thread_copies,
)
from ..wikitext.titles import normalize_title, title_problem

TASK = "archive"
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")
_DIRECTIVE = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([a-zA-Z%])")
INDEX_START = "<!-- advocacy-bot archive index: start (the bot rewrites the table between these lines) -->"
INDEX_END = "<!-- advocacy-bot archive index: end -->"


class ConfigError(ValueError):
    """The page's archiving configuration cannot be used; the message says why."""


@dataclass(frozen=True)
class ArchiveConfig:
    pattern: str  # archive title with archivebot's variables, e.g. "Talk:X/Archive %(counter)d"
    max_age: timedelta
    age_words: str  # "30 days", for edit summaries
    resolved_age: timedelta
    resolved_words: str
    resolved_templates: frozenset[str]  # template_key names
    counter: int
    max_size: tuple[int, str]  # (bytes, "B") or (threads, "T")
    min_threads_left: int
    min_threads_to_archive: int
    header: str
    index: str | None

    @property
    def uses_counter(self) -> bool:
        return archive_title(self.pattern, _DAY, 1) != archive_title(self.pattern, _DAY, 2)

    @property
    def uses_dates(self) -> bool:
        return archive_title(self.pattern, _DAY, 1) != archive_title(self.pattern, _OTHER_DAY, 1)

    def is_archive(self, title: str) -> bool:
        return bool(_pattern_regex(self.pattern).fullmatch(title))

    def counter_of(self, title: str) -> int | None:
        """The counter in an archive's title (None when the pattern has none)."""
        match = _pattern_regex(self.pattern).fullmatch(title)
        return int(match["counter"]) if match and "counter" in match.groupdict() else None


# Two days that differ in every date variable: for checks of what a pattern uses.
_DAY, _OTHER_DAY = datetime(2000, 1, 1, 12), datetime(2011, 8, 15, 12)


def archive_variables(when: datetime, counter: int) -> dict:
    """archivebot's variables for ``archive`` and ``archiveheader`` (English month names)."""
    iso_year, iso_week, _ = when.isocalendar()
    values: dict[str, int | str] = {"counter": counter, "year": when.year, "isoyear": iso_year, "isoweek": iso_week,
              "semester": ceil(when.month / 6), "quarter": ceil(when.month / 3), "month": when.month,
              "week": int(when.strftime("%W"))}
    values.update({f"local{key}": str(value) for key, value in list(values.items())})
    values["monthname"] = _MONTH_NAMES[when.month - 1]
    values["monthnameshort"] = _MONTH_NAMES[when.month - 1][:3]
    return values


def archive_title(pattern: str, when: datetime, counter: int) -> str:
    return normalize_title(pattern % archive_variables(when, counter))


def _pattern_regex(pattern: str) -> re.Pattern:
    """Titles the pattern can produce: numbers for %d variables, any text for %s ones."""
    parts, position = [], 0
    for match in _DIRECTIVE.finditer(pattern):
        parts.append(re.escape(pattern[position:match.start()]))
        if match[2] == "%":
            parts.append("%")
        elif match[1] == "counter" and "(?P<counter>" not in "".join(parts):
            parts.append(r"(?P<counter>\d+)")
        else:
            parts.append(r"\d+" if match[2] == "d" else ".+?")
        position = match.end()
    parts.append(re.escape(pattern[position:]))
    return re.compile("".join(parts))


def read_config(talk_title: str, params: Mapping[str, str], defaults: ArchiveDefaults) -> ArchiveConfig:
    """The usable configuration of ``talk_title`` from its template's parameters, or ConfigError."""
    def value(name: str, default) -> str:
        return params.get(name) or str(default)

    def number(name: str, default, minimum: int) -> int:
        text = value(name, default)
        if not text.isdigit() or int(text) < minimum:
            raise ConfigError(f"{name} = {text!r} is not a whole number >= {minimum}")
        return int(text)

    pattern = params.get("archive", "")
    if not pattern:
        raise ConfigError("the configuration has no 'archive' parameter (the archive page's name)")
    pattern = normalize_title(pattern)
    try:
        sample = archive_title(pattern, _DAY, 1)
    except (KeyError, ValueError, TypeError) as error:
        raise ConfigError(f"archive = {pattern!r}: cannot fill in its variables ({error})") from None
    invalid = title_problem(sample)
    if invalid:  # a | would split the request's titles= into pages elsewhere on the wiki
        raise ConfigError(f"archive = {pattern!r}: {invalid}")
    _check_subpage(talk_title, sample, "archive", key="key" in params)
    try:
        max_age, age_words = parse_algo(value("algo", defaults.algo))
        resolved_age, resolved_words = parse_algo(value("resolvedalgo", defaults.resolvedalgo))
        max_size = parse_size(value("maxarchivesize", defaults.maxarchivesize))
    except ValueError as error:
        raise ConfigError(str(error)) from None
    names = (params["resolvedtemplates"].split(",") if params.get("resolvedtemplates")
             else defaults.resolvedtemplates)
    index = normalize_title(params["index"]) if params.get("index") else None
    config = ArchiveConfig(
        pattern=pattern, max_age=max_age, age_words=age_words, resolved_age=resolved_age,
        resolved_words=resolved_words,
        resolved_templates=frozenset(template_key(name) for name in names if name.strip()),
        counter=number("counter", 1, 1), max_size=max_size,
        min_threads_left=number("minthreadsleft", defaults.minthreadsleft, 0),
        min_threads_to_archive=number("minthreadstoarchive", defaults.minthreadstoarchive, 1),
        header=value("archiveheader", defaults.archiveheader), index=index)
    if index:
        invalid = title_problem(index)
        if invalid:
            raise ConfigError(f"index = {index!r}: {invalid}")
        _check_subpage(talk_title, index, "index")
        if config.is_archive(index):
            raise ConfigError(f"index = {index!r} is also a name of an archive page")
    return config


def _check_subpage(talk_title: str, title: str, what: str, key: bool = False) -> None:
    if not title.startswith(talk_title + "/"):
        why = " (archivebot's key for archives elsewhere is not supported)" if key else ""
        raise ConfigError(f"{what} = {title!r} is not a subpage of {talk_title}{why}")


# -- choosing threads -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Move:
    """One thread leaving the talk page for ``archive``."""

    thread: Thread
    archive: str
    reason: str  # "old" or "resolved"
    already_archived: bool = False  # the archive got it from a run stopped before the talk page's save
    replaces_earlier: bool = False  # it continues the copy such a run left: that copy becomes this one
    counter: int = 0  # the counter that named the archive (for a new archive's header)
    copies: int = 1  # copies of the thread's text its archive holds once it is there


def digest(body: str) -> str:
    """A thread's text as the journal records it (SHA-1 of the UTF-8 text)."""
    return hashlib.sha1(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class InFlight:
    """A move as the journal keeps it until the talk page is saved: once ``archive`` holds
    ``copies`` copies of the thread whose text has ``sha1``, that thread has been archived."""

    archive: str
    sha1: str
    copies: int

    @classmethod
    def of(cls, move: Move) -> InFlight:
        return cls(move.archive, digest(move.thread.body), move.copies)

    def done(self, thread: Thread, pages: Mapping[str, Page]) -> bool:
        page = pages.get(self.archive)
        return (page is not None and page.exists and digest(thread.body) == self.sha1
                and thread_copies(page.text, thread.body) >= self.copies)

    def continued_by(self, thread: Thread, pages: Mapping[str, Page], splits: dict[str, tuple[Thread, ...]]) -> bool:
        """True when the archive holds the recorded thread (its ``copies``) and ``thread`` continues
        it (a reply written on the talk page after the stopped run)."""
        page = pages.get(self.archive)
        if page is None or not page.exists or not holds_thread(page.text, thread.body.split("\n", 1)[0]):
            return False  # not even the heading line: no need to split the archive
        if page.title not in splits:
            splits[page.title] = split_threads(page.text).threads
        return any(digest(old.body) == self.sha1 and _continues(thread, old)
                   and thread_copies(page.text, old.body) >= self.copies for old in splits[page.title])


def due_reason(thread: Thread, config: ArchiveConfig, now: datetime) -> str | None:
    """"old", "resolved" or None: why ``thread`` may be archived at ``now``.

    Its age is its newest timestamp; a thread without any timestamp is never archived.
    """
    newest = thread.newest
    if newest is None:
        return None
    if now - newest > config.max_age:
        return "old"
    if thread.templates & config.resolved_templates and now - newest > config.resolved_age:
        return "resolved"
    return None


def next_due(talk: Page, defaults: ArchiveDefaults, now: datetime) -> datetime | None:
    """The first moment from ``now`` on at which a thread of ``talk`` becomes due by age alone (old,
    or resolved and old enough); None when none will without an edit of the page, or when the page
    has no (readable) configuration. A thread due already counts no more: what makes it movable later
    is another thread becoming due, or an edit."""
    try:
        configured = _configured(talk, defaults)
    except (ConfigError, TooDeeplyNested):
        return None
    if configured is None:
        return None
    split, config = configured
    moments = []
    for thread in split.threads:
        if thread.newest is None:
            continue
        moments.append(thread.newest + config.max_age)
        if thread.templates & config.resolved_templates:
            moments.append(thread.newest + config.resolved_age)
    return min((moment for moment in moments if moment >= now), default=None)


def _configured(talk: Page, defaults: ArchiveDefaults) -> tuple[ThreadedPage, ArchiveConfig] | None:
    """``talk``'s threads and archiving configuration; None without one. Raises ConfigError (a
    configuration the bot refuses) and TooDeeplyNested."""
    if not mentions_config(talk.text):
        return None  # most talk pages of a tree are archives: no need to parse them
    split = split_threads(talk.text)
    params = config_params(split.head)
    return None if params is None else (split, read_config(talk.title, params, defaults))


def _date_of(thread: Thread) -> datetime:
    """A due thread's newest timestamp (:func:`due_reason` finds no thread without one due)."""
    if thread.newest is None:
        raise ValueError("a thread without a timestamp is never due")
    return thread.newest


def choose_threads(threads: tuple[Thread, ...], config: ArchiveConfig,
                   now: datetime) -> list[tuple[Thread, str]]:
    """The due threads that may go, oldest era first, keeping ``minthreadsleft`` on the page."""
    due = [(thread, reason) for thread in threads if (reason := due_reason(thread, config, now))]
    chosen: list[tuple[Thread, str]] = []
    for group in _eras(due, config):
        for thread, reason in group:
            if len(threads) - len(chosen) <= config.min_threads_left:
                break
            chosen.append((thread, reason))
    return chosen if len(chosen) >= config.min_threads_to_archive else []


def _eras(due: list[tuple[Thread, str]], config: ArchiveConfig) -> list[list[tuple[Thread, str]]]:
    """Threads grouped by the archive name they get apart from the counter, oldest group first."""
    groups: dict[str, list] = {}
    for item in due:
        groups.setdefault(archive_title(config.pattern, _date_of(item[0]), 0), []).append(item)
    return sorted(groups.values(), key=lambda group: min(_date_of(thread) for thread, _ in group))


# -- placing them ----------------------------------------------------------------------------------

@dataclass
class _Archive:
    """An archive page as this plan fills it: its size in bytes and its number of threads so far."""

    size: int
    threads: int

    @classmethod
    def of(cls, page: Page, count_threads: bool) -> _Archive:
        if not page.exists:
            return cls(0, 0)
        threads = len(split_threads(page.text).threads) if count_threads else 0  # a parse: only for "N T"
        return cls(len(page.text.encode("utf-8")), threads)

    def is_full(self, max_size: tuple[int, str]) -> bool:
        limit, unit = max_size
        return self.threads >= limit if unit == "T" else self.size >= limit


def place_threads(chosen: list[tuple[Thread, str]], config: ArchiveConfig, talk_title: str,
                  pages: Mapping[str, Page], in_flight: Sequence[InFlight] = ()) -> tuple[list[Move], int]:
    """Which archive each chosen thread goes to, and the counter afterwards.

    ``pages`` holds the archives as read (a title not in it does not exist). Each record of
    ``in_flight`` completes one thread: the thread it names, when its archive holds it, stays there
    (``already_archived``); a thread that continues it goes to that archive, in its place. Every
    other thread is new to the archives, even when one holds a copy of its text (someone posted it
    again). Raises ConfigError when an archive would not be a subpage of the talk page.
    """
    existing = [page for page in pages.values() if page.exists and config.is_archive(page.title)]
    splits: dict[str, tuple[Thread, ...]] = {}
    moves: list[Move] = []
    pending = []
    records = [record for record in in_flight if config.is_archive(record.archive)]
    for thread, reason in chosen:
        record = next((record for record in records if record.done(thread, pages)), None)
        if record:
            records.remove(record)
            moves.append(Move(thread, record.archive, reason, already_archived=True, copies=record.copies))
            continue
        record = next((record for record in records if record.continued_by(thread, pages, splits)), None)
        if record:
            records.remove(record)
            moves.append(Move(thread, record.archive, reason, replaces_earlier=True))
        else:
            pending.append((thread, reason))
    archives: dict[str, _Archive] = {}
    counter = config.counter
    for number, group in enumerate(_eras(pending, config)):
        if number and config.uses_counter:
            counter = 1  # a new era (year, month...) starts its own count
        for position, (thread, reason) in enumerate(group):
            title = archive_title(config.pattern, _date_of(thread), counter)
            if config.uses_counter:
                # archivebot's rules: step back to the last archive that exists (a counter set too
                # high), then forward past full ones.
                if position == 0 and not _page(pages, title).exists:
                    counter = _last_existing(existing, config, _date_of(thread), counter)
                    title = archive_title(config.pattern, _date_of(thread), counter)
                while _state(archives, title, pages, config).is_full(config.max_size):
                    counter += 1
                    title = archive_title(config.pattern, _date_of(thread), counter)
            _check_subpage(talk_title, title, "archive")
            state = _state(archives, title, pages, config)
            state.size += len(thread.body.encode("utf-8")) + 2
            state.threads += 1
            moves.append(Move(thread, title, reason, counter=counter))
    if config.uses_counter and not config.uses_dates:
        # A run stopped between its saves may have rolled over already: the counter catches up.
        counter = max([counter] + [config.counter_of(move.archive) or 0 for move in moves])
    return _counted(moves, pages), counter


def _counted(moves: list[Move], pages: Mapping[str, Page]) -> list[Move]:
    """The moves with the copies their archives hold once they are there: those the archive held
    before, plus one for each thread of the same text that this plan adds to it."""
    added: Counter = Counter()
    counted = []
    for move in moves:
        if move.already_archived:
            counted.append(move)
            continue
        key = (move.archive, move.thread.body)
        added[key] += 1
        held = thread_copies(_page(pages, move.archive).text, move.thread.body)
        counted.append(replace(move, copies=held + added[key]))
    return counted


def _last_existing(existing: list[Page], config: ArchiveConfig, when: datetime, counter: int) -> int:
    """The highest counter up to ``counter`` whose archive (in ``when``'s era) exists, else 1.

    What stepping back one at a time gives, without walking down from a counter set absurdly high.
    """
    titles = {page.title for page in existing}
    numbers = (config.counter_of(title) for title in titles)
    return max((number for number in numbers if number and number <= counter
                and archive_title(config.pattern, when, number) in titles), default=1)


def _page(pages: Mapping[str, Page], title: str) -> Page:
    return pages.get(title) or Page(title, TALK_NAMESPACE, exists=False)


def _state(archives: dict[str, _Archive], title: str, pages: Mapping[str, Page],
           config: ArchiveConfig) -> _Archive:
    if title not in archives:
        archives[title] = _Archive.of(_page(pages, title), count_threads=config.max_size[1] == "T")
    return archives[title]


def _continues(thread: Thread, old: Thread) -> bool:
    """True when ``thread`` is ``old`` with more comments after it."""
    return old.heading == thread.heading and thread.body.startswith(old.body + "\n")


def copies_wanted(text: str | None, threads: Sequence[Thread]) -> dict[str, int]:
    """How many copies of each thread's text an archive reading ``text`` holds once ``threads``
    are added to it: those it holds, plus one per thread."""
    wanted = Counter(thread.body for thread in threads)
    return {body: count + (thread_copies(text, body) if text else 0) for body, count in wanted.items()}


def add_threads(text: str | None, header: str, threads: Sequence[Thread],
                wanted: Mapping[str, int] | None = None, replacing: Collection[str] = ()) -> str:
    """An archive's text with ``threads`` in it: appended (before trailing categories) until the
    text holds ``wanted`` copies of each thread's text (by default: one more per thread than
    ``text`` holds). A thread whose text is in ``replacing`` takes the place of an earlier state
    of it (a copy it continues) where the text has one. Called again on an archive that already
    got them, it adds nothing: an edit conflict's recompute never doubles a thread."""
    wanted = copies_wanted(text, threads) if wanted is None else wanted
    page = split_threads(text) if text is not None else None
    kept = list(page.threads) if page else []
    replaced: set[int] = set()
    appended: list[str] = []
    held = {body: (thread_copies(text, body) if text else 0) for body in wanted}
    for thread in threads:
        if held.get(thread.body, 0) >= wanted.get(thread.body, 1):
            continue
        held[thread.body] = held.get(thread.body, 0) + 1
        earlier = next((i for i, old in enumerate(kept) if i not in replaced and _continues(thread, old)), None) \
            if thread.body in replacing else None
        if earlier is not None:
            replaced.add(earlier)
            old = kept[earlier]
            kept[earlier] = Thread(old.heading, thread.body + old.text[len(old.body):], (), frozenset())
        else:
            appended.append(thread.body)
    if page is None:
        return "\n\n".join([header.strip(), *appended]).strip()
    body = page.head + "".join(thread.text for thread in kept)
    if not appended:
        return body + page.footer
    footer = "\n\n" + page.footer.strip() if page.footer.strip() else ""
    return "\n\n".join([body.rstrip(), *appended]).lstrip("\n") + footer


# -- the plan --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TalkPlan:
    """What archiving does to one talk page."""

    title: str
    changes: tuple[PageChange, ...] = ()
    moves: tuple[Move, ...] = ()
    refused: str | None = None  # the configuration cannot be used: why
    refusal_code: str = "no-archive-config"  # or too-deep: a page nested beyond what MediaWiki expands
    note: str = ""  # for the operator when nothing moves: why
    # The records the journal keeps until the talk page is saved: this plan's moves, and those of a
    # stopped run whose threads stay on the page this time (so that they are not archived twice later).
    journal: tuple[InFlight, ...] = ()

    def describe(self) -> str:
        if self.refused:
            return f"{self.title}: not archived: {self.refused}"
        if not self.moves:
            return f"{self.title}: nothing to archive{f' ({self.note})' if self.note else ''}"
        return f"{self.title}: {_where(self.moves)}"


def plan_talk_page(talk: Page, pages: Mapping[str, Page], defaults: ArchiveDefaults,
                   now: datetime, in_flight: Sequence[InFlight] = ()) -> TalkPlan | None:
    """The archiving plan for ``talk`` at ``now``; None when the page has no configuration.

    ``pages`` holds the archive and index pages as read (a title not in it does not exist);
    ``in_flight`` the journal's records of this talk page's moves that a stopped run left.
    """
    try:
        return _plan_talk_page(talk, pages, defaults, now, in_flight)
    except TooDeeplyNested as error:  # the talk page or one of its archives
        return TalkPlan(talk.title, refused=str(error), refusal_code="too-deep")


def _plan_talk_page(talk: Page, pages: Mapping[str, Page], defaults: ArchiveDefaults,
                    now: datetime, in_flight: Sequence[InFlight]) -> TalkPlan | None:
    try:
        configured = _configured(talk, defaults)
    except ConfigError as error:
        return TalkPlan(talk.title, refused=str(error))
    if configured is None:
        return None
    split, config = configured

    chosen = choose_threads(split.threads, config, now)
    try:
        moves, counter = place_threads(chosen, config, talk.title, pages, in_flight)
    except ConfigError as error:
        return TalkPlan(talk.title, refused=str(error))
    changes: list[PageChange] = []
    verify = None
    archive_texts = {page.title: page.text for page in pages.values()
                     if page.exists and config.is_archive(page.title)}
    if moves:
        for title, placed in _new_in_archives(moves).items():
            header = _fill(config.header, archive_variables(_date_of(placed[0].thread), placed[0].counter))
            replacing = frozenset(move.thread.body for move in placed if move.replaces_earlier)
            change = _archive_change(_page(pages, title), header, [move.thread for move in placed], talk.title,
                                     replacing)
            if change:
                changes.append(change)
                archive_texts[title] = change.new_text
        verify = Verification(tuple(dict.fromkeys(move.archive for move in moves)),
                              partial(_missing_threads, tuple(moves)))
        talk_change = _talk_change(talk, _removals(moves),
                                   counter if counter != config.counter else None,
                                   _talk_summary(moves, config, counter), verify, split)
        if talk_change:
            changes.append(talk_change)
    if config.index:
        change = _index_change(_page(pages, config.index), talk.title, archive_texts, verify)
        if change:
            changes.append(change)
    note = ""
    if not moves:
        due = sum(1 for thread in split.threads if due_reason(thread, config, now))
        note = (f"{_threads(due)} due; the page moves at least {config.min_threads_to_archive} at a time "
                f"and keeps {config.min_threads_left}" if due else "no thread is due")
    journal = tuple(InFlight.of(move) for move in moves) + _still_open(in_flight, moves, split, pages)
    return TalkPlan(talk.title, tuple(changes), tuple(moves), note=note, journal=journal)


def _still_open(in_flight: Sequence[InFlight], moves: Sequence[Move], split: ThreadedPage,
                pages: Mapping[str, Page]) -> tuple[InFlight, ...]:
    """The records this plan does not complete whose thread stays on the talk page (as it was, or
    continued by a reply)."""
    staying = Counter(digest(thread.body) for thread in split.threads)
    staying.subtract(digest(move.thread.body) for move in moves)
    used = Counter(InFlight.of(move) for move in moves if move.already_archived)
    moved = _removals(moves)
    splits: dict[str, tuple[Thread, ...]] = {}
    kept = []
    for record in in_flight:
        if used[record] > 0:
            used[record] -= 1
        elif staying[record.sha1] > 0:
            staying[record.sha1] -= 1
            kept.append(record)
        elif any(record.continued_by(thread, pages, splits) for thread in split.threads
                 if not moved[thread.body]):
            kept.append(record)
    return tuple(kept)


def _new_in_archives(moves: list[Move]) -> dict[str, list[Move]]:
    """The moves that change an archive, by archive, in the order the archives are first used."""
    grouped: dict[str, list[Move]] = {}
    for move in moves:
        if not move.already_archived:
            grouped.setdefault(move.archive, []).append(move)
    return grouped


def _fill(template: str, variables: dict) -> str:
    try:
        return template % variables
    except (KeyError, ValueError, TypeError):  # a header with a literal "%" in it
        return template


def _archive_change(page: Page, header: str, threads: list[Thread], talk_title: str,
                    replacing: frozenset[str] = frozenset(),
                    wanted: Mapping[str, int] | None = None) -> PageChange | None:
    text = page.text if page.exists else None
    wanted = copies_wanted(text, threads) if wanted is None else wanted
    new_text = add_threads(text, header, threads, wanted, replacing)
    summary = f"Archiving: {_threads(len(threads))} from {talk_title}"
    return change_for(page, new_text, summary, TASK,
                      partial(_archive_again, header, tuple(threads), talk_title, replacing, dict(wanted)))


def _archive_again(header: str, threads: tuple[Thread, ...], talk_title: str, replacing: frozenset[str],
                   wanted: dict[str, int], fresh: Page) -> PageChange | None:
    # The copies wanted are those of the archive as first read: a save that went through before
    # the conflict is not made again.
    return _archive_change(fresh, header, list(threads), talk_title, replacing, wanted)


def _missing_threads(moves: tuple[Move, ...], pages: dict[str, Page]) -> list[str]:
    """The verification before the talk page is saved: every moved thread is in its archive (as
    many copies of its text as the move counted on)."""
    problems = []
    for move in moves:
        page = pages.get(move.archive)
        held = thread_copies(page.text, move.thread.body) if page is not None and page.exists else 0
        if held < move.copies:
            copies = f" ({held} of the {move.copies} copies of its text)" if move.copies > 1 else ""
            problems.append(f"thread {move.thread.heading!r} is not in {move.archive}{copies}; "
                            "the talk page keeps it")
    return problems


def _removals(moves: Sequence[Move]) -> Counter:
    """How many threads of each text leave the talk page."""
    return Counter(move.thread.body for move in moves)


def _talk_change(talk: Page, removals: Counter, counter: int | None, summary: str,
                 verify: Verification, split: ThreadedPage | None = None) -> PageChange | None:
    """``talk`` without the moved threads: of each text, as many threads as ``removals`` counts,
    the first ones on the page (identical threads are interchangeable; the others stay); the
    counter set in the same edit.

    A thread someone changed since the plan was made no longer matches and stays on the page.
    ``split`` is the page already split, when the caller has it.
    """
    split = split or split_threads(talk.text)
    left = Counter(removals)
    kept = []
    for thread in split.threads:
        if left[thread.body] > 0:
            left[thread.body] -= 1
        else:
            kept.append(thread)
    if len(kept) == len(split.threads):
        return None
    head = set_config_param(split.head, "counter", str(counter)) if counter is not None else split.head
    text = head + "".join(thread.text for thread in kept) + split.footer
    again = partial(_talk_change_again, removals, counter, summary, verify)
    return change_for(talk, text, summary, TASK, again, verify)


def _talk_change_again(removals, counter, summary, verify, fresh: Page) -> PageChange | None:
    return _talk_change(fresh, removals, counter, summary, verify) if fresh.exists else None


def _threads(count: int) -> str:
    return f"{count} thread{'' if count == 1 else 's'}"


def _where(moves) -> str:
    """ "3 threads to Talk:X/Archive 2", or "... to Talk:X/Archive 1 (1) and Talk:X/Archive 2 (2)"."""
    counts: dict[str, int] = {}
    for move in moves:
        counts[move.archive] = counts.get(move.archive, 0) + 1
    places = [f"{title} ({count})" if len(counts) > 1 else title for title, count in counts.items()]
    return f"{_threads(len(moves))} to {' and '.join(places)}"


def _talk_summary(moves: list[Move], config: ArchiveConfig, counter: int) -> str:
    """E.g. "Archiving: 3 threads older than 30 days to Talk:X/Archive 2"."""
    old = sum(1 for move in moves if move.reason == "old")
    resolved = len(moves) - old
    if not resolved:
        why = f" older than {config.age_words}"
    elif not old:
        why = f" resolved more than {config.resolved_words} ago"
    else:
        why = f" ({old} older than {config.age_words}, {resolved} resolved more than {config.resolved_words} ago)"
    count, _, places = _where(moves).partition(" to ")
    summary = f"Archiving: {count}{why} to {places}"
    already = sum(1 for move in moves if move.already_archived)
    if already:
        summary += f"; {already} of them already there from an interrupted run"
    if counter != config.counter:
        summary += f"; counter {counter}"
    return summary


# -- the index -------------------------------------------------------------------------------------

def index_table(talk_title: str, archive_texts: Mapping[str, str]) -> str:
    """The index: one row per archived thread (title, archive, first and last comment dates)."""
    rows = ['{| class="wikitable sortable"', "! Thread !! Archive !! First comment !! Last comment"]
    for title in sorted(archive_texts, key=_natural):
        label = title[len(talk_title) + 1:]
        for thread in split_threads(archive_texts[title]).threads:
            heading = thread.heading.replace("||", "{{!}}{{!}}")
            rows += ["|-", f"| {heading} || [[{title}|{label}]] || {_day(thread.oldest)} || {_day(thread.newest)}"]
    rows.append("|}")
    return "\n".join(rows)


def _natural(title: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", title)]


def _day(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d") if when else "–"


def index_text(current: str | None, talk_title: str, table: str) -> str:
    """The index page with ``table`` between the bot's markers; text outside them is kept."""
    region = f"{INDEX_START}\n{table}\n{INDEX_END}"
    if current is None:
        return f"Index of the archives of [[{talk_title}]].\n\n{region}"
    start, end = current.find(INDEX_START), current.find(INDEX_END)
    if start != -1 and end > start:
        return current[:start] + region + current[end + len(INDEX_END):]
    return f"{current.rstrip()}\n\n{region}"


def _index_change(page: Page, talk_title: str, archive_texts: Mapping[str, str],
                  verify: Verification | None) -> PageChange | None:
    table = index_table(talk_title, archive_texts)
    return _index_from_table(talk_title, table, verify, page)


def _index_from_table(talk_title: str, table: str, verify: Verification | None, page: Page) -> PageChange | None:
    text = index_text(page.text if page.exists else None, talk_title, table)
    return change_for(page, text, f"Archive index: the threads of {talk_title}'s archives", TASK,
                      partial(_index_from_table, talk_title, table, verify), verify)
