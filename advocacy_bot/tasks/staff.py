"""Staff list sync: one roster, rendered identically on every page that lists the team.

Pure: pages and the roster in, a plan out. Each target's managed block is regenerated from the roster
(see :mod:`advocacy_bot.wikitext.staff_block`); a title unit's marker follows its member (by key, or
by name in a list adopted from hand-written text), ids that leave the list are retired, and new units
get no marker. Translation pages are never edited: one that still shows an older list waits for its
source to be marked again (``pending-remark``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from ..ownership import JSON_KEY
from ..plan import Page, PageChange, change_for
from ..roster import Member, derive_key
from ..wikitext import staff_block
from ..wikitext.staff_block import AdoptProblem, BlockProblem, Card, Entry

TASK = "staff"
_SHOWN_NAMES = 4  # names listed in an edit summary before "and N more"


NO_BLOCK = "no-staff-block"
SHRINKS = "roster-shrinks"
STATE_KEY = "staff"  # this task's part of the bot's state page: what it last wrote on each target


@dataclass(frozen=True)
class TargetPlan:
    """What the roster means for one target page."""

    title: str
    change: PageChange | None = None
    refusal: str | None = None  # this page fails (``refusal_code``); the other pages and tasks go on
    markup_problem: str | None = None  # this page only: invalid-markup
    differences: tuple[str, ...] = ()  # how the page differs from the roster, for check and summaries
    needs_force: bool = False  # the refusal is the "more than half removed" guard
    refusal_code: str | None = None


def plan_target(page: Page, members: Sequence[Member], form: str, bot_user: str, roster_hint: str,
                force: bool = False, last_written: Sequence[str] | None = None) -> TargetPlan:
    """The change that makes ``page``'s managed block show ``members`` in ``form``.

    ``last_written``: the member keys the bot last wrote on the page (its state page). The guard
    against a truncated roster compares the roster with them, not with what the page shows today
    (anyone can add entries to it); without a record, with the page's entries."""
    title = page.title
    if not page.exists:
        return TargetPlan(title, differences=("the page does not exist",))
    if page.redirect:
        return TargetPlan(title, differences=("the page is a redirect",))
    try:
        span = staff_block.find_block(page.text)
    except BlockProblem as problem:
        return TargetPlan(title, markup_problem=f"staff block: {problem}", differences=(str(problem),))
    if span is None:
        return TargetPlan(title, refusal=(
            f"{title} has no staff block; wrap its team list once with `advocacy-bot staff adopt --page "
            f"\"{title}\" --section HEADING --save` (or insert the BEGIN/END STAFF LIST comments by hand)"),
            differences=("no staff block yet (run staff adopt)",), refusal_code=NO_BLOCK)
    if staff_block.block_in_translate(page.text, span):
        return TargetPlan(title, markup_problem="the staff block is inside <translate>; move it out (blocks "
                                                "cannot nest)", differences=("staff block inside <translate>",))
    content = page.text[span.content_start:span.content_end]
    shown = staff_block.read_entries(content)
    matched = match_entries(shown.entries, members)
    removed = [entry for index, entry in enumerate(shown.entries) if index not in matched]
    differences = describe_differences(shown.entries, matched, members, form)
    shrink = _shrink(shown.entries, removed, members, last_written)
    if shrink and not force:
        return TargetPlan(title, refusal=f"{title}: {shrink}; a truncated roster must not empty a team list: "
                                         "check it, or pass --force",
                          differences=differences, needs_force=True, refusal_code=SHRINKS)
    new_text = sync_text(page.text, span, members, form, bot_user, roster_hint, shown, matched)
    summary = edit_summary(differences, form)
    recompute = partial(_recompute, members=tuple(members), form=form, bot_user=bot_user,
                        roster_hint=roster_hint, force=force, last_written=last_written)
    change = change_for(page, new_text, summary, TASK, recompute)
    if change is not None and not differences:
        noted = page.text[span.start:span.content_start] == staff_block.begin_comment(bot_user, roster_hint)
        differences = (f"layout of the {form} block" if noted else "the block's note to editors (roster source)",)
    return TargetPlan(title, change=change, differences=differences if change else ())


def _shrink(entries: Sequence[Entry], removed: Sequence[Entry], members: Sequence[Member],
            last_written: Sequence[str] | None) -> str | None:
    """How the roster would shrink the list past half, or None."""
    if last_written is not None:
        keys = {member.key for member in members}
        gone = [key for key in last_written if key not in keys]
        if gone and 2 * len(gone) > len(last_written):
            names = {entry.key: entry.name for entry in entries if entry.key}
            return (f"the roster would remove {len(gone)} of the {len(last_written)} members the bot last wrote "
                    f"here ({', '.join(names.get(key, key) for key in gone)})")
        return None
    if removed and 2 * len(removed) > len(entries):
        return (f"the roster would remove {len(removed)} of the {len(entries)} members the page shows today "
                f"({', '.join(entry.name for entry in removed)})")
    return None


def _recompute(page: Page, members, form, bot_user, roster_hint, force, last_written=None) -> PageChange | None:
    plan = plan_target(page, members, form, bot_user, roster_hint, force, last_written)
    return None if plan.refusal or plan.markup_problem else plan.change


# -- what the bot last wrote on each target (its state page) -------------------------------------

def read_records(page: Page) -> dict | None:
    """The state page's JSON object ({} when it does not exist); None when it is not one (then no
    record is read or written: the guard compares with the page, and the page is left to its owner)."""
    if not page.exists or not page.text.strip():
        return {}
    try:
        data = json.loads(page.text)
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get(STATE_KEY, {}), dict) else None


def last_written(state: dict | None, title: str) -> tuple[str, ...] | None:
    """The member keys the bot last wrote on ``title`` (None: no record)."""
    keys = ((state or {}).get(STATE_KEY, {}).get("last_written", {}) or {}).get(title)
    if isinstance(keys, list) and all(isinstance(key, str) for key in keys):
        return tuple(keys)
    return None


def records_change(page: Page, state: dict | None, written: Mapping[str, Sequence[str]],
                   bot_user: str) -> PageChange | None:
    """The state page remembering the member keys ``written`` on each target (None: it already does,
    or the page holds no JSON object of the bot's)."""
    if state is None or not written:
        return None
    part = dict(state.get(STATE_KEY, {}))
    known = dict(part.get("last_written", {}) or {})
    if all(known.get(title) == list(keys) for title, keys in written.items()):
        return None
    known.update({title: list(keys) for title, keys in written.items()})
    part["last_written"] = dict(sorted(known.items()))
    data = {**state, STATE_KEY: part, JSON_KEY: bot_user}
    text = json.dumps(data, indent=4, ensure_ascii=False, sort_keys=True)
    summary = ("Staff lists: the members written on " + _names(sorted(written))
               + " (a roster that would remove more than half of them is refused)")
    return PageChange(page.title, page, text, summary, TASK,
                      partial(_records_again, written=dict(written), bot_user=bot_user))


def _records_again(fresh: Page, written, bot_user) -> PageChange | None:
    return records_change(fresh, read_records(fresh), written, bot_user)


def sync_text(text: str, span: staff_block.BlockSpan, members: Sequence[Member], form: str, bot_user: str,
              roster_hint: str, shown: staff_block.StaffList, matched: dict[int, Member]) -> str:
    """``text`` with its block regenerated; everything outside the block is kept byte for byte."""
    unit_of: dict[str, str] = {}
    for index, member in sorted(matched.items()):
        ident = shown.entries[index].unit_id
        if ident and ident not in unit_of.values():  # a copied marker must not end up on two units
            unit_of[member.key] = ident
    cards = [Card(m.key, m.name, m.title, m.region, m.username, m.email, unit_of.get(m.key)) for m in members]
    column_ids = dict(shown.column_ids) if form == "contacts" else {}
    kept = {card.unit_id for card in cards if card.unit_id} | set(column_ids.values())
    retired = staff_block.unit_ids(text[span.content_start:span.content_end]) - kept
    block = staff_block.render_block(cards, form, bot_user, roster_hint, column_ids, retired)
    return staff_block.replace_block(text, span, block)


def match_entries(entries: Sequence[Entry], members: Sequence[Member]) -> dict[int, Member]:
    """Which member each shown entry is: by its key, else by its name (a list adopted by hand)."""
    by_key = {member.key: member for member in members}
    by_name = {_fold(member.name): member for member in members}
    matched: dict[int, Member] = {}
    used: set[str] = set()
    for index, entry in enumerate(entries):
        member = by_key.get(entry.key) if entry.key else None
        member = member or by_name.get(_fold(entry.name))
        if member is not None and member.key not in used:
            matched[index] = member
            used.add(member.key)
    return matched


def describe_differences(entries: Sequence[Entry], matched: dict[int, Member], members: Sequence[Member],
                         form: str) -> tuple[str, ...]:
    """What a reader of the page would see change, in words (names, not keys)."""
    found = {member.key for member in matched.values()}
    added = [member.name for member in members if member.key not in found]
    removed = [entry.name for index, entry in enumerate(entries) if index not in matched]
    retitled = [member.name for index, member in matched.items() if entries[index].title != member.title]
    out = []
    if added:
        out.append("adds " + _names(added))
    if removed:
        out.append("removes " + _names(removed))
    if retitled:
        out.append("new title for " + _names(retitled))
    if form == "contacts":
        details = [member.name for index, member in matched.items()
                   if (entries[index].region, entries[index].username, entries[index].email)
                   != (member.region, member.username, member.email)]
        if details:
            out.append("new contact details for " + _names(details))
    shown_order = [matched[index].key for index in sorted(matched)]
    wanted_order = [member.key for member in members if member.key in found]
    if shown_order != wanted_order:
        out.append("roster order")
    return tuple(out)


def edit_summary(differences: Sequence[str], form: str) -> str:
    what = "; ".join(differences) if differences else f"regenerated as {form} from the roster"
    return f"Staff list synced with the roster: {what}"


def translation_lag(page: Page, members: Sequence[Member]) -> str | None:
    """Why a translation page's team list is behind the roster, or None (names are never translated)."""
    try:
        span = staff_block.find_block(page.text)
    except BlockProblem:
        span = None
    if span is None:
        return "shows a team list from before the staff block; it follows once the source is marked again"
    names = [entry.name for entry in staff_block.read_entries(page.text[span.content_start:span.content_end]).entries]
    wanted = [member.name for member in members]
    if names == wanted:
        return None
    missing = [name for name in wanted if name not in names]
    extra = [name for name in names if name not in wanted]
    parts = (["lacks " + _names(missing)] if missing else []) + (["still shows " + _names(extra)] if extra else [])
    return ("; ".join(parts or ["shows the team in another order"])
            + "; it follows once the source is marked for translation again")


# -- adoption -----------------------------------------------------------------------------------

def adopt_page(page: Page, heading: str, bot_user: str, roster_hint: str
               ) -> tuple[staff_block.Adoption, PageChange | None]:
    """Read the section's hand-written list; the change wraps it in the managed block (nothing else)."""
    adoption = staff_block.adopt(page.text, heading, bot_user, roster_hint)
    if adoption.new_text is None:
        return adoption, None
    retired = f"; unit ids retired: {', '.join(adoption.retired)}" if adoption.retired else ""
    moved = " (moved out of <translate>)" if adoption.inside_translate else ""
    summary = (f"Staff list: wrap the hand-written list of section \"{heading}\" in the bot's managed block"
               f"{moved}{retired}; the next staff sync brings it in line with the roster")
    recompute = partial(_recompute_adoption, heading=heading, bot_user=bot_user, roster_hint=roster_hint)
    return adoption, change_for(page, adoption.new_text, summary, TASK, recompute)


def _recompute_adoption(page: Page, heading: str, bot_user: str, roster_hint: str) -> PageChange | None:
    try:
        return adopt_page(page, heading, bot_user, roster_hint)[1]
    except AdoptProblem:
        return None


def members_from_entries(entries: Sequence[Entry]) -> list[Member]:
    """A starting roster from what a page shows (keys derived from names, made unique)."""
    members: list[Member] = []
    keys: set[str] = set()
    for entry in entries:
        key = base = entry.key or derive_key(entry.name)
        number = 2
        while key in keys:
            key, number = f"{base}-{number}", number + 1
        keys.add(key)
        members.append(Member(key, entry.name, entry.title, entry.region, entry.username, entry.email))
    return members


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_SHOWN_NAMES])
    return shown + (f" and {len(names) - _SHOWN_NAMES} more" if len(names) > _SHOWN_NAMES else "")
