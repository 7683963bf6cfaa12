"""The translation status page (``translate status``): progress of the tree's translatable pages by language.

Pure: Translate's statistics in (``meta=messagegroupstats`` per page, ``list=messagecollection`` for the
team list's units), the page's wikitext out. The text holds nothing that changes between runs (no
date), so a run on unchanged statistics saves nothing.

A language gets a column when it has at least one translated or outdated unit on some page of the
tree; the source language and ``qqq`` (message documentation) never do. Each cell shows the percent
translated (rounded down, so 100% means complete), the outdated (fuzzy) units, and a small bar: green
for translated, yellow for outdated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Iterable, Mapping, Sequence

from ..plan import Page, PageChange, change_for
from ..wikitext import staff_block
from ..wikitext.translate_markup import parse

TASK = "translate"
NOT_LANGUAGES = frozenset({"qqq"})
_TRANSLATED_COLOUR = "#14866d"
_FUZZY_COLOUR = "#fc3"
_EMPTY_COLOUR = "#eaecf0"


@dataclass(frozen=True)
class LanguageStats:
    """One page in one language, as ``meta=messagegroupstats`` counts it (``translated`` excludes fuzzy)."""

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
    """``meta=messagegroupstats`` entries of one page, by language code."""
    found = {}
    for entry in entries:
        code = entry.get("code") or entry.get("language")
        if code:
            found[code] = LanguageStats(code, int(entry.get("total", 0)), int(entry.get("translated", 0)),
                                        int(entry.get("fuzzy", 0)))
    return found


def languages(stats: Stats, source_language: str) -> list[str]:
    """The columns: languages with something translated somewhere, by code."""
    started = {code for by_language in stats.values() for code, entry in by_language.items() if entry.started}
    return sorted(started - NOT_LANGUAGES - {source_language})


def team_unit_ids(text: str) -> list[str]:
    """Ids of the units inside the page's staff block (the job titles), in order."""
    try:
        span = staff_block.find_block(text)
    except staff_block.BlockProblem:
        return []
    if span is None:
        return []
    return [unit.id for unit in parse(text).units
            if unit.id is not None and span.content_start <= unit.start < span.content_end]


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
class TeamList:
    """A page that shows the team, its title units, and how each column language stands on them."""

    title: str
    units: int
    lag: Mapping[str, tuple[int, int]]  # language -> (untranslated, outdated); absent: all translated


def status_text(stats: Stats, source_language: str, nav_template: str, teams: Sequence[TeamList] = (),
                bot: str = "the bot") -> str:
    """The status page's wikitext."""
    columns = languages(stats, source_language)
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
            lines.append(f"| [[{title}]] || {total}")
            for code in columns:
                lines.append(_cell(title, by_language.get(code) or LanguageStats(code, total, 0, 0)))
        lines.append("|}")
    lines += ["", "== Languages behind on the navigation header and the team list =="]
    lines.append(_nav_lag(stats, columns, nav_template))
    lines.extend(_team_lag(teams, columns))
    return "\n".join(lines)


def lagging(stats: Stats, source_language: str, nav_template: str, teams: Sequence[TeamList] = ()
            ) -> tuple[list[str], list[str]]:
    """Column languages behind on the navigation header, and on any team list."""
    columns = languages(stats, source_language)
    header = stats.get(nav_template, {})
    nav = [code for code in columns if not (header.get(code) and header[code].complete)] if header else []
    team = sorted({code for entry in teams for code in columns if code in entry.lag})
    return nav, team


def status_change(page: Page, text: str, summary: str) -> PageChange | None:
    return change_for(page, text, summary, TASK, partial(status_change, text=text, summary=summary))


def status_summary(stats: Stats, source_language: str, nav_template: str, teams: Sequence[TeamList] = ()) -> str:
    columns = languages(stats, source_language)
    nav, team = lagging(stats, source_language, nav_template, teams)
    parts = [f"{_count(len(stats), 'translatable page')} in {_count(len(columns), 'language')}"]
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


def _nav_lag(stats: Stats, columns: Sequence[str], nav_template: str) -> str:
    header = stats.get(nav_template)
    name = f"; Navigation header ([[{nav_template}]])"
    if header is None:
        return name + "\n: not marked for translation yet"
    behind = [f": <code>{code}</code>: {_behind(entry.untranslated, entry.fuzzy, entry.total)}"
              for code in columns
              for entry in [header.get(code) or LanguageStats(code, max((e.total for e in header.values()),
                                                                         default=0), 0, 0)]
              if not entry.complete]
    return "\n".join([name] + (behind or [": every language in the table has it complete"]))


def _team_lag(teams: Sequence[TeamList], columns: Sequence[str]) -> list[str]:
    if not teams:
        return ["; Team list", ": no team list marked for translation"]
    lines = []
    for team in teams:
        lines.append(f"; Team list ([[{team.title}]], {_count(team.units, 'job title')})")
        behind = [f": <code>{code}</code>: {_behind(*team.lag[code], team.units)}" for code in columns
                  if code in team.lag]
        lines.extend(behind or [": every language in the table has it complete"])
    return lines


def _count(number: int, what: str) -> str:
    return f"{number} {what}" if number == 1 else f"{number} {what}s"
