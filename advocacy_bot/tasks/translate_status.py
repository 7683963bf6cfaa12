"""The translation status page (``translate status``): progress of the tree's translatable pages by language.

Pure: Translate's statistics in (``meta=languagestats``, one request per language that has a
translation page in the tree, ``list=messagecollection`` for the header's and team lists' units), the
page's wikitext out. The text holds nothing that changes between runs (no
date), so a run on unchanged statistics saves nothing.

A language gets a column when it has at least one translated or outdated unit on some page of the
tree; the source language and ``qqq`` (message documentation) never do. Each cell shows the percent
translated (rounded down, so 100% means complete), the outdated (fuzzy) units, and a small bar: green
for translated, yellow for outdated.

The header's and the team lists' lines count their own units only (the tab labels, the job titles):
Translate's totals also hold a page's display title and, on a team page, the table's column headers.
A page whose source changed since it was last marked is said so: its numbers describe the marked version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from ..ownership import only_the_mark_differs
from ..plan import Page, PageChange, change_for
from ..tree import split_language
from ..wikitext import staff_block
from ..wikitext.translate_markup import parse

TASK = "translate"
NOT_LANGUAGES = frozenset({"qqq"})
_TRANSLATED_COLOUR = "#14866d"
_FUZZY_COLOUR = "#fc3"
_EMPTY_COLOUR = "#eaecf0"


@dataclass(frozen=True)
class LanguageStats:
    """One page in one language, as Translate counts it (``translated`` excludes fuzzy)."""

    language: str
    total: int
    translated: int
    fuzzy: int

    @property
    def percent(self) -> int:
        return self.translated * 100 // self.total if self.total else 0

    @property
    def untranslated(self) -> int:
        return max(self.total - self.translated - self.fuzzy, 0)

    @property
    def started(self) -> bool:
        return bool(self.translated or self.fuzzy)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.translated >= self.total


Stats = Mapping[str, Mapping[str, LanguageStats]]  # page title -> language code -> stats


def parse_stats(entries: Iterable[dict]) -> dict[str, LanguageStats]:
    """``meta=messagegroupstats`` entries of one page (one per language), by language code."""
    found = {}
    for entry in entries:
        code = entry.get("code") or entry.get("language")
        if code:
            found[code] = _stats(code, entry)
    return found


def parse_language_stats(entries: Iterable[dict], language: str, titles: Iterable[str]) -> dict[str, LanguageStats]:
    """``meta=languagestats`` entries of one language (one per message group of the wiki), for the
    translatable pages ``titles``: title -> stats. A page's group is ``page-<title>``."""
    wanted = {f"page-{title}": title for title in titles}
    return {wanted[entry["group"]]: _stats(language, entry) for entry in entries if entry.get("group") in wanted}


def translation_languages(titles: Iterable[str], translatable: Iterable[str], languages: frozenset[str],
                          source_language: str) -> list[str]:
    """The languages of the translation pages among ``titles`` (``X/<code>`` for a translatable X):
    Translate makes a page's ``/<code>`` when a unit is first translated into that language, so these
    are the languages whose statistics can show anything translated or outdated."""
    parents = frozenset(translatable)
    found = {split[1] for title in titles
             if (split := split_language(title, languages)) and split[0] in parents}
    return sorted(found - NOT_LANGUAGES - {source_language})


def _stats(code: str, entry: dict) -> LanguageStats:
    return LanguageStats(code, int(entry.get("total", 0)), int(entry.get("translated", 0)), int(entry.get("fuzzy", 0)))


def languages(stats: Stats, source_language: str) -> list[str]:
    """The columns: languages with something translated somewhere, by code."""
    started = {code for by_language in stats.values() for code, entry in by_language.items() if entry.started}
    return sorted(started - NOT_LANGUAGES - {source_language})


def team_unit_ids(text: str) -> list[str]:
    """Ids of the job titles' units in the page's staff block, in order: one per member, not the
    contacts table's column headers (units too, but no job title)."""
    try:
        span = staff_block.find_block(text)
    except staff_block.BlockProblem:
        return []
    if span is None:
        return []
    entries = staff_block.read_entries(text[span.content_start:span.content_end]).entries
    return list(dict.fromkeys(entry.unit_id for entry in entries if entry.unit_id is not None))


def label_unit_ids(template_text: str) -> list[str]:
    """Ids of the header template's units, in order: the bot writes one per tab label and no other."""
    return [unit.id for unit in parse(template_text).units if unit.id is not None]


def unit_lag(collection: Iterable[dict], title: str, ids: Sequence[str]) -> tuple[int, int]:
    """(untranslated, outdated) among the units ``ids`` of ``title`` in one language's messagecollection."""
    prefix = title.replace(" ", "_") + "/"
    status = {}
    for entry in collection:
        key = entry.get("key", "")
        if key.startswith(prefix):
            fuzzy = "fuzzy" in entry.get("tags", ()) or entry.get("properties", {}).get("status") == "fuzzy"
            status[key[len(prefix):]] = "fuzzy" if fuzzy else ("untranslated" if entry.get("translation") is None
                                                              else "translated")
    untranslated = sum(1 for ident in ids if status.get(ident, "untranslated") == "untranslated")
    fuzzy = sum(1 for ident in ids if status.get(ident) == "fuzzy")
    return untranslated, fuzzy


@dataclass(frozen=True)
class UnitList:
    """Units of one page named on their own (the header's tab labels, a team list's job titles), and
    how each column language stands on them."""

    title: str
    units: int
    lag: Mapping[str, tuple[int, int]]  # language -> (untranslated, outdated); absent: all translated


def status_text(stats: Stats, source_language: str, nav_template: str, teams: Sequence[UnitList] = (),
                bot: str = "the bot", header: UnitList | None = None,
                changed: Mapping[str, str] | None = None, mark: str = "") -> str:
    """The status page's wikitext. ``header``: the tab labels' lag (None: the template is not
    translatable); ``changed``: source pages changed since they were last marked, with what changed;
    ``mark``: the bot's mark (``ownership.mark_comment``), last."""
    columns = languages(stats, source_language)
    changed = changed or {}
    lines = [f"This page is written by {bot} (<code>advocacy-bot translate status</code>) from the Translate "
             "extension's statistics; edits made here are overwritten at its next run.", "",
             "== Progress by language =="]
    if not stats:
        lines.append("No page of the tree is marked for translation yet.")
    elif not columns:
        lines.append("No page of the tree has been translated yet.")
    else:
        lines.append('{| class="wikitable sortable advocacy-translation-status"')
        lines.append("! Page !! Units !! " + " !! ".join(f"{{{{#language:{code}}}}} <code>{code}</code>"
                                                        for code in columns))
        for title in sorted(stats):
            by_language = stats[title]
            total = max((entry.total for entry in by_language.values()), default=0)
            lines.append("|-")
            note = "<br /><small>changed since marked</small>" if title in changed else ""
            lines.append(f"| [[{title}]]{note} || {total}")
            for code in columns:
                lines.append(_cell(title, by_language.get(code) or LanguageStats(code, total, 0, 0)))
        lines.append("|}")
    if changed:
        lines += ["", "Pages changed since they were last marked for translation: their numbers describe the "
                      "marked version, and translators see the changes once a translation administrator marks "
                      "the page again."]
        lines += [f"* [[{title}]]: {what}" for title, what in sorted(changed.items())]
    lines += ["", "== Languages behind on the navigation header and the team list =="]
    lines.extend(_header_lag(header, columns, nav_template))
    lines.extend(_team_lag(teams, columns))
    if mark:
        lines.append(mark)
    return "\n".join(lines)


def lagging(stats: Stats, source_language: str, teams: Sequence[UnitList] = (), header: UnitList | None = None
            ) -> tuple[list[str], list[str]]:
    """Column languages behind on the navigation header, and on any team list."""
    columns = languages(stats, source_language)
    nav = [code for code in columns if code in header.lag] if header else []
    team = sorted({code for entry in teams for code in columns if code in entry.lag})
    return nav, team


def status_change(page: Page, text: str, summary: str, bot_user: str | None = None) -> PageChange | None:
    if bot_user and only_the_mark_differs(text, page, bot_user):
        return None
    return change_for(page, text, summary, TASK, partial(status_change, text=text, summary=summary,
                                                         bot_user=bot_user))


def status_summary(stats: Stats, source_language: str, teams: Sequence[UnitList] = (), header: UnitList | None = None,
                   changed: Mapping[str, str] | None = None) -> str:
    columns = languages(stats, source_language)
    nav, team = lagging(stats, source_language, teams, header)
    parts = [f"{_count(len(stats), 'translatable page')} in {_count(len(columns), 'language')}"]
    if changed:
        parts.append(f"{_count(len(changed), 'page')} changed since marked")
    if nav:
        parts.append("behind on the navigation header: " + ", ".join(nav))
    if team:
        parts.append("behind on the team list: " + ", ".join(team))
    return "Translation status: " + "; ".join(parts)


# -- pieces -----------------------------------------------------------------------------------------

def _cell(title: str, entry: LanguageStats) -> str:
    done = entry.percent
    fuzzy = entry.fuzzy * 100 // entry.total if entry.total else 0
    outdated = f"<br /><small>{entry.fuzzy} outdated</small>" if entry.fuzzy else ""
    label = f"[[{title}/{entry.language}|{done}%]]" if entry.started else f"{done}%"
    tip = f"{entry.translated} of {entry.total} translated" + (f", {entry.fuzzy} outdated" if entry.fuzzy else "")
    parts = [(done, _TRANSLATED_COLOUR), (fuzzy, _FUZZY_COLOUR)]
    bar = (f'<div style="display:flex; width:6em; height:0.4em; margin-top:0.2em; background:{_EMPTY_COLOUR};" '
           f'title="{tip}">' + "".join(f'<div style="width:{width}%; background:{colour};"></div>'
                                       for width, colour in parts if width) + "</div>")
    return f'| data-sort-value="{done}" | {label}{outdated}{bar}'


def _behind(untranslated: int, fuzzy: int, total: int) -> str:
    parts = []
    if untranslated:
        parts.append(f"{untranslated} of {total} untranslated")
    if fuzzy:
        parts.append(f"{fuzzy} outdated")
    return ", ".join(parts)


def _lag_lines(units: UnitList, columns: Sequence[str]) -> list[str]:
    behind = [f": <code>{code}</code>: {_behind(*units.lag[code], units.units)}" for code in columns
              if code in units.lag]
    return behind or [": every language in the table has it complete"]


def _header_lag(header: UnitList | None, columns: Sequence[str], nav_template: str) -> list[str]:
    if header is None:
        return [f"; Navigation header ([[{nav_template}]])", ": not marked for translation yet"]
    return [f"; Navigation header ([[{nav_template}]], {_count(header.units, 'tab label')})"] + \
        _lag_lines(header, columns)


def _team_lag(teams: Sequence[UnitList], columns: Sequence[str]) -> list[str]:
    if not teams:
        return ["; Team list", ": no team list marked for translation"]
    lines = []
    for team in teams:
        lines.append(f"; Team list ([[{team.title}]], {_count(team.units, 'job title')})")
        lines.extend(_lag_lines(team, columns))
    return lines


def _count(number: int, what: str) -> str:
    return f"{number} {what}" if number == 1 else f"{number} {what}s"
