"""What readers see at each stage of the demo flow (``test_demo_flow.py``): judged live on a wiki
running the real Translate, and again in CI on what that run recorded (``demo-flow.json``: every
page's Translate markup and header tabs, and the HTML of the pages the checks read)."""

from __future__ import annotations

import json
import re

from advocacy_bot.settings import default_settings
from advocacy_bot.tasks.translate_status import parse_language_stats, parse_stats
from advocacy_bot.wikitext.rendered import keyed_items

from . import cases

FLOW = cases.RECORDED / "demo-flow.json"
ROOT = "Global Advocacy"
JA_LABEL = "ホーム"
JA_TITLE = "公共政策ディレクター"
RENAMED = "Questions"  # the FAQ tab's new label
# The pages whose rendered HTML is kept for CI, by stage.
KEPT_HTML = {"marked": [ROOT, f"{ROOT}/FAQ"], "translated": [f"{ROOT}/ja"],
             "renamed": [ROOT], "remarked": [ROOT, f"{ROOT}/FAQ"]}
# The pages whose wikitext is kept, by stage: the status page and the team lists it counts.
STATUS = "User:AdvocacyBot/Translation status"
KEPT_TEXT = {"translated": [STATUS, ROOT, f"{ROOT}/FAQ"], "remarked": [STATUS]}


def seen(html: str) -> dict:
    """A page as a reader gets it: Translate markup shown as text, the header's tabs, the text."""
    view = cases.reader_view(html)
    return {"markup": list(view.markup), "tabs": keyed_items(html), "text": view.text}


def load() -> dict:
    """The recorded flow, each kept HTML judged again here (not taken from the recording's own view)."""
    data = json.loads(FLOW.read_text(encoding="utf-8"))
    for stage in data["stages"].values():
        for title, html in stage.get("html", {}).items():
            stage["readers"][title] = seen(html)
    return data


def check_no_markup_anywhere(data: dict) -> None:
    for stage, entry in data["stages"].items():
        shown = {title: page["markup"] for title, page in entry["readers"].items() if page["markup"]}
        assert shown == {}, stage


def check_header_on_every_source_page(data: dict) -> None:
    readers = data["stages"]["marked"]["readers"]
    labels = [tab.label for tab in default_settings().nav.tabs]
    for title in (ROOT, f"{ROOT}/FAQ"):
        assert list(readers[title]["tabs"].values()) == labels, title


def check_each_page_marked_once(data: dict) -> None:
    """The bot asks for a page's marking once its header is in place: nobody marks a page twice."""
    marked = data["stages"]["marked"]["marked_by_admin"]
    assert len(marked) == len(set(marked)) and default_settings().nav.template in marked
    [first] = data["stages"]["first-run"]["runs"]
    assert first["outcomes"]["waiting-for-translation-admin"] == 1  # the template alone, at first


def check_japanese_page(data: dict) -> None:
    japanese = data["stages"]["translated"]["readers"][f"{ROOT}/ja"]
    assert japanese["tabs"]["home"] == JA_LABEL
    assert JA_TITLE in japanese["text"]
    assert japanese["markup"] == []


def check_renamed_tab(data: dict) -> None:
    template = default_settings().nav.template
    renamed, remarked = data["stages"]["renamed"], data["stages"]["remarked"]
    assert template in renamed["edited"]
    assert renamed["nav_check"]["exit_code"] == 1  # saved, not marked: drift, with where to mark it
    assert "readers see 'FAQ', the settings say 'Questions'" in renamed["nav_check"]["stdout"]
    assert "WIKI/index.php?title=Special%3APageTranslation&target=Template%3AGlobal+Advocacy%2FHeader&do=mark" \
        in renamed["nav_check"]["stdout"]
    assert renamed["readers"][ROOT]["tabs"]["faq"] == "FAQ"  # readers keep the marked version meanwhile
    assert template in remarked["marked_by_admin"] and not remarked["purged"]
    assert remarked["readers"][ROOT]["tabs"]["faq"] == RENAMED
    assert remarked["readers"][f"{ROOT}/FAQ"]["tabs"]["faq"] == RENAMED


def check_status_page_counts(data: dict) -> None:
    """Tab labels = the tabs; job titles = the members each list shows (not the display title, not the
    contacts table's column headers); after the marking, nothing changed since marked."""
    texts = data["stages"]["translated"]["wikitext"]
    status = texts[STATUS]
    template = default_settings().nav.template
    assert f"; Navigation header ([[{template}]], {len(default_settings().nav.tabs)} tab labels)" in status
    for target in (ROOT, f"{ROOT}/FAQ"):
        members = set(re.findall(r'data-staff="([^":]+)"', texts[target]))
        assert members and f"; Team list ([[{target}]], {len(members)} job titles)" in status, target
    assert "changed since marked" not in status
    assert ": <code>ja</code>: 8 of 9 untranslated" in status  # one label translated


def check_statistics_by_language(data: dict) -> None:
    """One ``meta=languagestats`` answer holds, for every translatable page, the numbers of that page's
    own ``meta=messagegroupstats`` in the language; the status page shows them."""
    stage = data["stages"]["translated"]
    recorded = stage["statistics"]
    language = recorded["language"]
    titles = [group[len("page-"):] for group in recorded["messagegroupstats"]]
    by_page = parse_language_stats(recorded["languagestats"], language, titles)
    assert sorted(by_page) == sorted(titles) and len(titles) >= 3
    for title in titles:
        assert by_page[title] == parse_stats(recorded["messagegroupstats"][f"page-{title}"])[language], title
    started = [title for title, entry in by_page.items() if entry.started]
    assert sorted(started) == [ROOT, default_settings().nav.template]  # a job title and a tab label translated
    status = stage["wikitext"][STATUS]
    for title in started:
        assert f"[[{title}/{language}|{by_page[title].percent}%]]" in status, title


def check_status_page_after_the_remarking(data: dict) -> None:
    """The run after the administrator marked the renamed tab: Translate's definitions of the template
    are its new ones (asked again since the marking is in Translate's log, not taken from the runs'
    kept definitions), so nothing is said to be changed since marked, and the 9 labels are counted."""
    status = data["stages"]["remarked"]["wikitext"][STATUS]
    assert "changed since marked" not in status
    template = default_settings().nav.template
    assert f"; Navigation header ([[{template}]], {len(default_settings().nav.tabs)} tab labels)" in status


def check_no_translation_page_edited(data: dict) -> None:
    assert data["translation_pages_edited"] == []
    assert not [title for title in data["bot_contributions"] if title.startswith("Translations:")]


def check_rest(data: dict) -> None:
    [run] = data["stages"]["rest"]["runs"]
    assert run["edits"] == 0 and run["exit_code"] == 0


CHECKS = (check_no_markup_anywhere, check_header_on_every_source_page, check_each_page_marked_once,
          check_japanese_page, check_renamed_tab,
          check_status_page_counts, check_statistics_by_language, check_status_page_after_the_remarking,
          check_no_translation_page_edited, check_rest)
