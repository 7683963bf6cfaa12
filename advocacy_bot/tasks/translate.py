"""Translation markup (issue 5): check, prepare and mark the tree's source pages. Pure: pages in, plans out.

Every task writes new translation units without markers; ``translate mark`` gets them numbered:

- on a wiki with Translate, by Translate itself (``action=markfortranslation``), for each source page
  whose translatable text differs from what Translate last marked (its units' definitions);
- on a wiki without Translate (the dev wiki), by the bot, with the markup engine. Translate remembers
  the highest id a page ever used; here the bot's state page does (JSON, ``bot_pages.state``), so that
  an id dropped from a page is never handed out again. The state is saved *before* the pages, so a
  run stopped half-way leaves at worst an unused id, never a reused one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from urllib.parse import urlencode

from ..ownership import JSON_KEY
from ..plan import Page, PageChange, change_for
from ..settings import Settings
from ..tree import TEMPLATE_NAMESPACE, TreeEntry, has_translate_markup
from ..wikitext import staff_block
from ..wikitext.nav_header import HeaderSpec, scan
from ..wikitext.translate_markup import (
    DISPLAY_TITLE_UNIT_ID,
    InvalidMarkup,
    MarkupProblem,
    highest_id,
    id_order,
    mark,
    outside_units,
    parse,
    validate,
)
from ..wikitext.translate_prepare import Preparation, prepare

TASK = "translate"
STATE_KEY = "translate"  # this task's part of the state page; other keys are kept as they are
_SHOWN = 4  # pages named in a summary before "and N more"
MARKED_SUMMARY = "Marked for translation through Translate"


class StateProblem(ValueError):
    """The state page holds something other than this bot's JSON: the run stops before any save."""


@dataclass(frozen=True)
class Outcome:
    """A page the plan leaves alone, with a code from ``outcomes.py``."""

    title: str
    code: str
    message: str


def problem_line(name: str, problem: MarkupProblem) -> str:
    """``NAME:LINE: RULE: message``, the form compilers use (``translate markers``)."""
    return f"{name}:{problem.line}: {problem.rule}: {problem.message}"


def problem_text(problem: MarkupProblem) -> str:
    """The same problem without the page name, as the wiki layer's guard reports it."""
    return str(problem)


def source_titles(entries: Iterable[TreeEntry], pages: Mapping[str, Page]) -> list[str]:
    """The tree's source pages and templates (the pages whose markup Translate reads), by title."""
    return sorted(entry.title for entry in entries
                  if entry.kind in ("source", "template") and entry.title in pages
                  and pages[entry.title].exists and pages[entry.title].content_model == "wikitext")


def translatable_titles(entries: Iterable[TreeEntry], pages: Mapping[str, Page]) -> list[str]:
    """Source pages and templates that hold ``<translate>`` (outside ``<nowiki>``)."""
    return [title for title in source_titles(entries, pages) if has_translate_markup(pages[title].text)]


# -- check ------------------------------------------------------------------------------------------

def check_findings(pages: Mapping[str, Page], titles: Iterable[str]) -> list[tuple[str, MarkupProblem]]:
    """Every problem Translate would refuse on each page, in title then text order."""
    return [(title, problem) for title in titles for problem in validate(pages[title].text)]


# -- prepare ----------------------------------------------------------------------------------------

def keep_out(settings: Settings, page: Page) -> list[tuple[int, int]]:
    """Spans preparation must not wrap: the navigation header (its calls and hand-made bars) and the
    bot's staff block. The header template's name and tabs come from the settings."""
    spec = HeaderSpec(settings.nav.template, frozenset(tab.target for tab in settings.nav.tabs), settings.root,
                      settings.legacy_roots)
    found = scan(page.text, page.title, spec)
    spans = [(call.start, call.end) for call in found.calls] + [(bar.start, bar.end) for bar in found.bars]
    try:
        block = staff_block.find_block(page.text)
    except staff_block.BlockProblem:
        block = None
        spans.append((0, len(page.text)))  # a malformed block: where it ends is unknown, so wrap nothing
    if block is not None:
        spans.append((block.start, block.end))
    return spans


def prepare_page(settings: Settings, page: Page) -> tuple[PageChange | None, Preparation]:
    """The change that makes ``page`` ready for translation, and what preparing it found."""
    result = prepare(page.text, keep_out(settings, page))
    if result.problems or not result.notes:
        return None, result
    summary = "Prepared for translation: " + "; ".join(result.notes)
    return change_for(page, result.text, summary, TASK, partial(_recompute_prepare, settings)), result


def _recompute_prepare(settings: Settings, page: Page) -> PageChange | None:
    return prepare_page(settings, page)[0]


# -- mark, without Translate: the bot numbers units and keeps the highest ids in its state page ------

def read_state(page: Page) -> dict:
    """The state page's JSON (empty when the page does not exist); any other content stops the run."""
    if not page.exists or not page.text.strip():
        return {}
    try:
        data = json.loads(page.text)
    except ValueError as error:
        raise StateProblem(f"the state page {page.title} is not valid JSON ({error}); fix it or delete it") from error
    if not isinstance(data, dict) or not isinstance(data.get(STATE_KEY, {}), dict):
        raise StateProblem(f"the state page {page.title} must hold a JSON object with a '{STATE_KEY}' object")
    return data


def highest_ids(state: dict) -> dict[str, int]:
    """Title -> the highest unit id the page has ever used, as the state page remembers it."""
    known = state.get(STATE_KEY, {}).get("highest_ids", {})
    if not isinstance(known, dict):
        return {}
    return {title: value for title, value in known.items()
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0}


def state_text(state: dict, highest: Mapping[str, int], bot_user: str | None = None) -> str:
    """The state page with ``highest`` merged in (a number only ever grows); other keys kept; with
    ``bot_user``, the key that marks it as that bot's (``ownership.py``)."""
    merged = dict(highest_ids(state))
    for title, value in highest.items():
        merged[title] = max(value, merged.get(title, 0))
    part = dict(state.get(STATE_KEY, {}))
    part["highest_ids"] = dict(sorted(merged.items()))
    data = dict(state)
    data[STATE_KEY] = part
    if bot_user:
        data[JSON_KEY] = bot_user
    return json.dumps(data, indent=4, ensure_ascii=False, sort_keys=True)


def state_change(page: Page, highest: Mapping[str, int], bot_user: str | None = None) -> PageChange | None:
    """The state page remembering ``highest``; None when it already does (the JSON compared, not its
    layout, so a hand-formatted page is not rewritten for nothing; nor for the bot's mark alone)."""
    state = read_state(page)
    new = state_text(state, highest, bot_user)
    unmarked = {key: value for key, value in json.loads(new).items() if key != JSON_KEY}
    if (page.exists and unmarked == {key: value for key, value in state.items() if key != JSON_KEY}) \
            or (not page.exists and not highest):
        return None
    old = highest_ids(state)
    grown = [f"{title} {value}" + (f" (was {old[title]})" if title in old else "")
             for title, value in sorted(highest.items()) if value > old.get(title, 0)]
    what = (f"the highest id of {_count(len(grown), 'page')}" if not old and len(grown) > _SHOWN
            else _names(grown)) or "entries that were not whole numbers dropped"
    summary = f"Translation unit ids kept so that none is given out twice: {what}"
    return change_for(page, new, summary, TASK, partial(state_change, highest=dict(highest), bot_user=bot_user))


def marker_change(page: Page, highest: int) -> PageChange | None:
    """``page`` with a marker in every unit, new ids after ``highest`` (None: nothing to number, or refused)."""
    try:
        marking = mark(page.text, highest)
    except InvalidMarkup:
        return None
    if not marking.assigned and not marking.rewritten:
        return None
    parts = []
    if marking.assigned:
        first, last = marking.assigned[0], marking.assigned[-1]
        ids = f"T:{first}" if first == last else f"T:{first}–T:{last}"
        parts.append(f"numbered {_count(len(marking.assigned), 'new translation unit')} ({ids})")
    if marking.rewritten:
        parts.append("moved " + _count(len(marking.rewritten), "marker") + " to where Translate puts it")
    summary = "Translation markers: " + "; ".join(parts)
    return change_for(page, marking.text, summary, TASK, partial(marker_change, highest=highest))


@dataclass(frozen=True)
class MarkPlan:
    changes: tuple[PageChange, ...]  # the state page first, then the pages by title
    outcomes: tuple[Outcome, ...]
    highest: Mapping[str, int]  # what the state page will remember


def plan_markers(pages: Mapping[str, Page], titles: Sequence[str], state_page: Page,
                 refusal: Callable[[Page], tuple[str, str] | None] | None = None,
                 bot_user: str | None = None) -> MarkPlan:
    """Markers for every unit that lacks one, on the pages ``titles``; the state page first.

    New ids start after the larger of the state's number and the highest id in the page's text; the
    state then remembers the new highest of every page, units or not. A page that would not be saved
    (``refusal``: {{nobots}}, protection, ...) is that page's outcome and reserves no id: otherwise
    every run would remember one more id for it, and no run would be a no-op.
    """
    known = highest_ids(read_state(state_page))
    highest: dict[str, int] = {}
    changes: list[PageChange] = []
    outcomes: list[Outcome] = []
    for title in titles:
        page = pages[title]
        problems = validate(page.text)
        start = max(known.get(title, 0), highest_id(page.text))
        highest[title] = start
        if problems:
            outcomes.append(Outcome(title, "invalid-markup", "; ".join(problem_text(p) for p in problems)))
            continue
        change = marker_change(page, start)
        refused = refusal(page) if change is not None and refusal is not None else None
        if refused:
            outcomes.append(Outcome(title, *refused))
        elif change is not None:
            # The ids are remembered before they are used: if the state page is not saved, no page is.
            changes.append(replace(change, needs=(state_page.title,)))
            highest[title] = max(start, highest_id(change.new_text))
    state = state_change(state_page, {title: value for title, value in highest.items() if value}, bot_user)
    return MarkPlan(tuple(([state] if state else []) + changes), tuple(outcomes), highest)


# -- mark, with Translate: which pages Translate should mark, and where a human does it -------------

def definitions(title: str, collection: Iterable[dict]) -> dict[str, str]:
    """Unit id -> definition (the unit's text as Translate last marked it) from ``list=messagecollection``.

    Keys look like ``Template:Global_Advocacy/Header/3``; the page display title is not a unit of the text.
    """
    prefix = title.replace(" ", "_") + "/"
    found = {}
    for entry in collection:
        key = entry.get("key", "")
        if key.startswith(prefix) and key[len(prefix):] != DISPLAY_TITLE_UNIT_ID.replace(" ", "_"):
            found[key[len(prefix):]] = entry.get("definition") or ""
    return found


def marking_reason(page: Page, translatable: bool, marked: Mapping[str, str] | None = None,
                   copy: Page | None = None) -> str | None:
    """Why Translate should mark ``page`` (None: it is as Translate last marked it).

    A page that is not ``translatable`` yet needs its first marking. Otherwise ``marked``
    (:func:`definitions`) tells which units are new (no id yet, or an id Translate does not know),
    changed or removed: units are compared with their variables as ``$name``, as Translate compares
    them, so a change inside a ``<tvar>`` alone asks for no marking. Without ``marked`` only the
    units without an id can be told. ``copy`` is its translation page in its own language (FuzzyBot's,
    made from the marked version): text outside the units that the copy lacks (a new header call, a
    changed staff block) reaches translation pages only with a new marking too.
    """
    units = parse(page.text).units
    if not units:
        return None
    if not translatable:
        return f"not marked for translation yet ({_count(len(units), 'unit')})"
    unnumbered = sum(1 for unit in units if unit.id is None)
    if marked is None:
        if unnumbered:
            return _count(unnumbered, "new unit")
        raise ValueError("marked (Translate's definitions) is needed when every unit has an id")
    current = {unit.id: unit.text_with_variables for unit in units if unit.id is not None}
    changed = [ident for ident in current if ident in marked and current[ident] != marked[ident]]
    added = [ident for ident in current if ident not in marked]
    removed = sorted(set(marked) - set(current), key=id_order)
    parts = []
    if added or unnumbered:
        ids = [f"T:{ident}" for ident in added] + ([f"{unnumbered} to be numbered"] if added and unnumbered else [])
        parts.append(_count(len(added) + unnumbered, "new unit") + (f" ({', '.join(ids)})" if added else ""))
    if changed:
        parts.append("changed " + ", ".join(f"T:{ident}" for ident in changed))
    if removed:
        parts.append("removed " + ", ".join(f"T:{ident}" for ident in removed))
    if not parts and copy is not None and copy.exists:
        missing = missing_outside_units(page.text, copy.text)
        if missing is not None:
            parts.append(f"changed outside its units ({_excerpt(missing)} is not on its translation pages)")
    return "; ".join(parts) or None


def missing_outside_units(text: str, copy: str) -> str | None:
    """The first piece of ``text`` outside its units that the translation page ``copy`` does not
    have in the same order (whitespace runs compared as one space); None when it has them all."""
    haystack = " ".join(copy.split())
    position = 0
    for piece in outside_units(text):
        found = haystack.find(piece, position)
        if found < 0:
            return piece
        position = found + len(piece)
    return None


def readers_see(page: Page, translatable: bool) -> str:
    """What readers see while ``page`` waits for a marking (said with every waiting page)."""
    if page.namespace == TEMPLATE_NAMESPACE:
        if not translatable:
            return ("until then no page gets the bot's call of it: each keeps the header it shows "
                    "(its tags would show as text)")
        return "until then every page that calls it shows its last marked version"
    if not translatable:
        return "until then it has no translation pages"
    return "until then its translation pages show its last marked version, and translators see no change"


def needs_definitions(page: Page, translatable: bool) -> bool:
    """Whether Translate's definitions are needed to tell what changed: a translatable page with
    units (new units show without them; changed and removed ones do not)."""
    return translatable and bool(parse(page.text).units)


def new_unit_ids(before: str, after: str) -> list[str]:
    """The unit ids in ``after`` that ``before`` did not have (what Translate gave out when marking)."""
    old = {unit.id for unit in parse(before).units}
    return [unit.id for unit in parse(after).units if unit.id is not None and unit.id not in old]


def predicted_marking(page: Page, reason: str) -> PageChange:
    """What Translate would save when marking ``page``, for a dry run's diff: markers numbered after
    the highest id in the text (Translate may start higher, from ids the page used before)."""
    change = marker_change(page, highest_id(page.text))
    text = change.new_text if change else page.text
    return PageChange(page.title, page, text, f"{MARKED_SUMMARY}: {reason}", TASK, linked=False)


def index_url(api_url: str) -> str:
    """``https://meta.wikimedia.org/w/index.php`` from the API's URL."""
    return api_url.rsplit("/", 1)[0] + "/index.php"


def marking_link(index_url: str, title: str) -> str:
    """The page where a translation administrator marks ``title`` (Special:PageTranslation)."""
    return index_url + "?" + urlencode({"title": "Special:PageTranslation", "target": title, "do": "mark"})


def waiting_message(reason: str, link: str, why: str, readers: str = "") -> str:
    """Why the page waits, what readers see meanwhile, and where it is marked (last: a link to follow)."""
    return f"{reason}; {readers + '; ' if readers else ''}{why}: a translation administrator can mark it at {link}"


# -- helpers ----------------------------------------------------------------------------------------

def _excerpt(piece: str, width: int = 60) -> str:
    return repr(piece if len(piece) <= width else piece[:width - 1] + "…")


def _count(number: int, what: str) -> str:
    return f"{number} {what}" if number == 1 else f"{number} {what}s"


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")
