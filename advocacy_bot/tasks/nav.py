"""Navigation header sync (issue 3): one header template written from the definition, one correct call on
every source page of the tree. Pure: pages in, a plan out.

The template renders one ``advocacy-nav`` element with an ``advocacy-nav-tab`` item per tab, in order;
each item carries its tab's key (``data-key``) and the label as its own inline ``<translate>`` unit, so
the marker of each label is read back by key: a renamed label keeps its unit (its translations turn
outdated, not lost), a new tab gets a unit without a marker (Translate, or the markers work, numbers it).

Removed tabs: their unit ids stay in the template as bare markers in a ``<noinclude>`` comment line. An
id must never be given to another label (old translations would attach to new text); Translate itself
remembers the highest id it gave, but the bot's markers engine numbers new units from the highest id it
can *see* (``highest_id``), so the retired ids stay visible in the page they belong to. Chosen over the
state page because it keeps the rule with the data: whoever or whatever marks the template sees them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial

from ..ownership import mark_comment, only_the_mark_differs
from ..plan import Page, PageChange, RenderCheck, change_for
from ..settings import Settings, Tab
from ..tree import TreeEntry, in_tree
from ..wikitext.bots import bot_may_edit
from ..wikitext.nav_header import MIN_BAR_LINKS, HeaderSpec, header_call, place_header, scan
from ..wikitext.rendered import keyed_items, visible_markup
from ..wikitext.titles import normalize_title, title_problem
from ..wikitext.translate_markup import inline_unit, marker_ids, retired_ids
from ..wikitext.translate_markup import parse as parse_translate

TASK = "nav"
WAITING = "waiting-for-header"  # the outcome of a page whose header call waits for the template to render
_ITEM = re.compile(r'data-key="([^"]*)"')
_LINK = re.compile(r"\[\[([^|\]]*)")
_TRANSLATE_BANNER = re.compile(r'<div class="mw-pt-translate-header[^"]*"[^>]*>.*?</div>\n?', re.S)


@dataclass(frozen=True)
class Outcome:
    """A page the plan does not change, with a code from ``outcomes.py`` (skip or error)."""

    title: str
    code: str
    message: str


@dataclass(frozen=True)
class NavPlan:
    changes: tuple[PageChange, ...]  # the template first, then source pages by title
    outcomes: tuple[Outcome, ...]
    ignored: tuple[str, ...] = ()  # --page titles that are no source pages (talk, template, ...)


@dataclass(frozen=True)
class TemplateItem:
    """One tab as the template on the wiki has it."""

    key: str
    unit_id: str | None
    label: str
    target: str


# -- the definition -------------------------------------------------------------------------------

def header_spec(settings: Settings) -> HeaderSpec:
    return HeaderSpec(settings.nav.template, frozenset(tab.target for tab in settings.nav.tabs), settings.root,
                      settings.legacy_roots)


def current_tab(title: str, tabs: Iterable[Tab]) -> Tab | None:
    """The tab whose target is the page itself or its nearest ancestor."""
    matches = [tab for tab in tabs if title == tab.target or title.startswith(tab.target + "/")]
    return max(matches, key=lambda tab: len(tab.target), default=None)


def tab_link(target: str) -> str:
    """Readers stay in their language on content pages; talk pages have no translations."""
    prefix, colon, _ = target.partition(":")
    if colon and (prefix == "Talk" or prefix.endswith(" talk")):
        return target
    return f"Special:MyLanguage/{target}"


# -- the template ---------------------------------------------------------------------------------

def template_items(text: str) -> tuple[list[TemplateItem], list[str]]:
    """The tabs of an existing template (by ``data-key``, first occurrence wins) and every marker id in it."""
    blocks = parse_translate(text).blocks
    found = list(_ITEM.finditer(text))
    items: dict[str, TemplateItem] = {}
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        block = next((b for b in blocks if match.end() <= b.start < end and b.units), None)
        if block is None or match.group(1) in items:
            continue
        unit = block.units[0]
        link = _LINK.search(text, match.end(), block.start)
        target = link.group(1).strip() if link else ""
        items[match.group(1)] = TemplateItem(match.group(1), unit.id, unit.text.strip(),
                                             target.removeprefix("Special:MyLanguage/"))
    return list(items.values()), marker_ids(text)


def template_text(settings: Settings, existing: str = "", bot_user: str | None = None) -> str:
    """The header template for the tabs of ``settings``, keeping the unit ids ``existing`` gives each key;
    with ``bot_user``, it carries that bot's mark (``ownership.py``: the page is the bot's to write)."""
    items, every_id = template_items(existing)
    by_key = {item.key: item for item in items}
    used: set[str | None] = set()
    lines = ['<div class="advocacy-nav" role="navigation" style="text-align:center; margin:0 0 1em 0;">']
    for n, tab in enumerate(settings.nav.tabs):
        ident = by_key[tab.key].unit_id if tab.key in by_key else None
        if ident in used:  # a hand-edited template with one id twice: the second label gets a new unit
            ident = None
        used.add(ident)
        unit = inline_unit(tab.label, ident)
        classes = ("{{#ifeq:{{{current|}}}|" + tab.key
                   + "|advocacy-nav-tab advocacy-nav-current|advocacy-nav-tab}}")
        # Readers see the current tab in bold; the class is for skins, gadgets and the bot's checks.
        style = "{{#ifeq:{{{current|}}}|" + tab.key + "|font-weight:bold;|}}"
        separator = " ·" if n < len(settings.nav.tabs) - 1 else ""
        lines.append(f'<span class="{classes}" style="{style}" data-key="{tab.key}">'
                     f'[[{tab_link(tab.target)}|{unit}]]</span>' + separator)
    example = header_call(settings.nav.template, settings.nav.tabs[0].key if settings.nav.tabs else None)
    lines.append("</div><noinclude>")
    lines.append("<languages/>")
    lines.append(f"The navigation header of the [[{settings.root}]] pages, written by a bot from its settings: "
                 "edits made here are overwritten. Each page of the tree calls it once, at the top: "
                 f"<code><nowiki>{example}</nowiki></code>.")
    retired = retired_ids((i for i in every_id if i not in used),
                          "Translation unit ids of removed tabs; kept so that they are never used again:")
    if retired:
        lines.append(retired)
    if bot_user:
        lines.append(mark_comment(bot_user))
    lines.append("</noinclude>")
    return "\n".join(lines)


def _template_summary(page: Page, settings: Settings) -> str:
    if not page.exists:
        return f"Navigation header template: created from the definition ({len(settings.nav.tabs)} tabs)"
    old, _ = template_items(page.text)
    old_by_key = {item.key: item for item in old}
    new_keys = [tab.key for tab in settings.nav.tabs]
    parts = [f"added tab {tab.label}" for tab in settings.nav.tabs if tab.key not in old_by_key]
    for item in old:
        if item.key not in new_keys:
            retired = f" (unit T:{item.unit_id} retired)" if item.unit_id else ""
            parts.append(f"removed tab {item.label}{retired}")
    for tab in settings.nav.tabs:
        now = old_by_key.get(tab.key)
        if now and now.label != tab.label:
            parts.append(f"renamed tab {now.label} to {tab.label}")
        if now and normalize_title(now.target or "-") != normalize_title(tab.target):
            parts.append(f"tab {tab.label} now links to {tab.target}")
    if [i.key for i in old if i.key in new_keys] != [k for k in new_keys if k in old_by_key]:
        parts.append("reordered tabs")
    return "Navigation header template: " + ("; ".join(parts) or "rewritten from the definition")


def template_change(settings: Settings, page: Page, bot_user: str | None = None) -> PageChange | None:
    new = template_text(settings, page.text if page.exists else "", bot_user)
    if bot_user and only_the_mark_differs(new, page, bot_user):
        return None
    return change_for(page, new, _template_summary(page, settings), TASK,
                      partial(template_change, settings, bot_user=bot_user))


# -- the pages ------------------------------------------------------------------------------------

def page_header(settings: Settings, page: Page):
    """The header fix of a source page, and its current tab."""
    tab = current_tab(page.title, settings.nav.tabs)
    return place_header(page.text, page.title, header_spec(settings), tab.key if tab else None), tab


def page_change(settings: Settings, page: Page, waiting_hint: str = "") -> PageChange | None:
    """The change that gives a source page its one correct header (None: nothing to do, or ambiguous)."""
    return _source_page(settings, page, waiting_hint)[0]


def _source_page(settings: Settings, page: Page, waiting_hint: str = "") -> tuple[PageChange | None, str | None]:
    """The page's header change, saved once the header renders (else the stand-in, see
    :func:`stand_in_change`); for a page whose call is right already, a change that saves nothing
    and only checks the render, so that a page never goes on showing a header that does not render."""
    fix, tab = page_header(settings, page)
    if fix.ambiguous:
        return None, fix.ambiguous
    recompute = partial(page_change, settings, waiting_hint=waiting_hint)
    check = header_render_check(settings, waiting_hint)
    stand_in = partial(stand_in_change, settings)
    if not fix.changed:
        if stand_in(page) is None:
            return None, None
        return PageChange(page.title, page, page.text, "", TASK, recompute, render_check=check,
                          without_render_check=stand_in), None
    summary = "Navigation header: " + "; ".join(fix.notes) + (f"; current tab {tab.label}" if tab else "")
    change = change_for(page, fix.text, summary, TASK, recompute)
    return change and replace(change, render_check=check, without_render_check=stand_in), None


def plain_bar(settings: Settings, key: str | None) -> str:
    """The tabs as plain links on one line in a div (its own block, whatever follows), the current
    one bold: what a hand-copied bar looks like, so the call takes its place once the template renders."""
    links = [f"[[{tab_link(tab.target)}|{tab.label}]]" for tab in settings.nav.tabs]
    bar = " · ".join(f"'''{link}'''" if tab.key == key else link
                     for tab, link in zip(settings.nav.tabs, links, strict=True))
    return f'<div class="advocacy-nav-plain" style="text-align:center; margin:0 0 1em 0;">{bar}</div>'


def stand_in_change(settings: Settings, page: Page) -> PageChange | None:
    """While the template does not render (not marked yet, or marked without translation-aware
    transclusion), a page that calls it would show Translate markup or a red link: it gets the plain
    bar in place of the call. None for a page without a call (it keeps what it shows), and with fewer
    than three tabs (too few links to be told apart from content next time)."""
    spec = header_spec(settings)
    if len(settings.nav.tabs) < MIN_BAR_LINKS:
        return None
    found = scan(page.text, page.title, spec)
    if found.ambiguous or not found.calls:
        return None
    tab = current_tab(page.title, settings.nav.tabs)
    key = tab.key if tab else None
    fix = place_header(page.text, page.title, spec, key, line=plain_bar(settings, key))
    if fix.ambiguous:
        return None
    summary = (f"Navigation header: plain tab bar in place of the call of {settings.nav.template}, which does not "
               "render yet (readers would see its Translate markup); the call comes back once it does")
    return change_for(page, fix.text, summary, TASK, partial(stand_in_change, settings))


# -- what readers see of the header ---------------------------------------------------------------

def header_render_check(settings: Settings, waiting_hint: str = "") -> RenderCheck:
    """A page gets the call only once the call renders the header (see ``header_problems``): until
    then it keeps the header it shows. The call without ``current`` is rendered, so one render serves
    every page of a language."""
    return RenderCheck(header_call(settings.nav.template, None), WAITING,
                       partial(header_problems, settings, waiting_hint), (settings.nav.template,))


def header_problems(settings: Settings, waiting_hint: str, html: str) -> list[str]:
    """What is wrong with the header as rendered (``action=parse`` of its call on a page of the tree).

    Translate markup shown as text: on a wiki with Translate, a template not marked with
    translation-aware transclusion (its ``<translate>`` tags reach readers literally). Tabs missing:
    the template does not exist yet, or renders another version (FuzzyBot's copy, last marked)."""
    template = settings.nav.template
    shown = visible_markup(html)
    if shown:
        return [f"readers would see Translate markup ({' '.join(shown)}) in the header from {template}"
                + (f": {waiting_hint}" if waiting_hint else "")]
    items = keyed_items(html)
    missing = [tab.key for tab in settings.nav.tabs if tab.key not in items]
    if missing:
        return [f"{template} does not render the tabs {', '.join(missing)} yet"
                + (f": {waiting_hint}" if waiting_hint else "")]
    return []


def stale_labels(settings: Settings, html: str) -> list[str]:
    """The tabs whose label, as rendered in the source language, is not the label in the settings
    (a saved change to the template that readers do not see: it waits to be marked)."""
    items = keyed_items(html)
    return [f"{tab.key}: readers see {items[tab.key]!r}, the settings say {tab.label!r}"
            for tab in settings.nav.tabs if tab.key in items and items[tab.key] != tab.label]


def translation_in_step(settings: Settings, page: Page, source_title: str) -> bool:
    """Whether a translation page shows its source's header: one correct call and no hand-made bar.

    Where on the page the call sits is Translate's layout, not drift; a rendered banner that some
    copies carry ("This page is a translated version...") is stepped over.
    """
    tab = current_tab(source_title, settings.nav.tabs)
    found = scan(_TRANSLATE_BANNER.sub("", page.text, count=1), source_title, header_spec(settings))
    return (not found.ambiguous and not found.bars and len(found.calls) == 1
            and found.calls[0].correct_for(tab.key if tab else None))


def plan_nav(settings: Settings, pages: Mapping[str, Page], entries: Iterable[TreeEntry],
             only: Iterable[str] = (), waiting_hint: str = "", bot_user: str | None = None) -> NavPlan:
    """The template change, then one change per source page that needs one.

    ``entries`` are the pages' kinds (``tree.classify``). ``only`` narrows the source pages (the template
    is always kept in step: pages call it). Translation pages are never changed: one whose header differs
    from its source is ``pending-remark``. A source page's change is saved only once the header renders
    (its :class:`RenderCheck`); ``waiting_hint`` tells what it waits for (e.g. the marking link).
    """
    wanted = {normalize_title(title) for title in only}
    template = pages.get(settings.nav.template) or Page(settings.nav.template, 10, exists=False)
    changes = [change for change in [template_change(settings, template, bot_user)] if change]
    outcomes: list[Outcome] = []
    ignored: list[str] = []
    kinds = {entry.title: entry for entry in entries}
    for title in sorted(kinds):
        entry, page = kinds[title], pages.get(title)
        if page is None or (wanted and title not in wanted):
            continue
        source = title.rpartition("/")[0]
        if entry.kind == "source" and page.content_model == "wikitext":
            change, ambiguous = _source_page(settings, page, waiting_hint)
            if ambiguous:
                outcomes.append(Outcome(title, "ambiguous-header", ambiguous))
            elif change:
                changes.append(change)
        elif entry.kind == "translation" and source in kinds and kinds[source].kind == "source":
            if not translation_in_step(settings, page, source):
                outcomes.append(Outcome(title, "pending-remark", f"its header differs from {source}; translation "
                                        f"pages follow when {source} is marked for translation again"))
        elif entry.kind == "redirect" and wanted:
            outcomes.append(Outcome(title, "redirect", "redirects are never edited"))
        elif wanted and title != settings.nav.template:
            ignored.append(f"{title} is a {entry.kind} page; only source pages carry the header")
    for title in sorted(wanted - set(kinds)):
        if title_problem(title):
            outcomes.append(Outcome(title, "invalid-title", f"{title!r}: {title_problem(title)}"))
        elif not in_tree(title, settings.root):
            outcomes.append(Outcome(title, "outside-tree", f"{title} is outside the tree {settings.root}"))
        elif title != settings.nav.template:
            outcomes.append(Outcome(title, "missing", "no such page in the tree"))
    return NavPlan(tuple(changes), tuple(outcomes), tuple(ignored))


def check_findings(plan: NavPlan, bot_user: str) -> tuple[list[tuple[str, str]], list[Outcome]]:
    """``nav check``: each planned change is drift (title, what), unless the page excludes the bot."""
    drift, skipped = [], []
    for change in plan.changes:
        if not change.changes_text:
            continue  # a render to check, nothing to write (nav check judges the render on its own)
        if change.base.exists and not bot_may_edit(change.base.text, bot_user):
            skipped.append(Outcome(change.title, "nobots", f"{{{{bots}}}}/{{{{nobots}}}} excludes {bot_user}; "
                                   f"would: {change.summary}"))
        else:
            drift.append((change.title, change.summary))
    return drift, skipped
