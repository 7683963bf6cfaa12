"""The translation status page, built from statistics a real Translate returned (tests/cassettes/translate-recorded)."""

from __future__ import annotations

import json
from pathlib import Path

import mwparserfromhell

from advocacy_bot.plan import Page
from advocacy_bot.tasks import translate_status as status
from advocacy_bot.wikitext import staff_block
from advocacy_bot.wikitext.translate_markup import parse
from tests.conftest import require_shared

RECORDED = Path(__file__).resolve().parents[1] / "cassettes" / "translate-recorded"
HEADER = "Template:Global Advocacy/Header"


def recorded(name: str) -> dict:
    return json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))


def header_stats() -> dict:
    return status.parse_stats(recorded("messagegroupstats")["response"]["query"]["messagegroupstats"])


def ru_collection() -> list[dict]:
    return recorded("messagecollection-ru")["response"]["query"]["messagecollection"]


def test_recorded_statistics_are_read():
    stats = header_stats()
    assert stats["ru"] == status.LanguageStats("ru", 5, 2, 1)
    assert (stats["ru"].percent, stats["ru"].untranslated, stats["ja"].percent, stats["de"].started) == (40, 2, 40, False)
    assert stats["en"].complete
    # columns: languages with something translated; not the source language, not qqq, not de/fr (nothing yet)
    assert status.languages({HEADER: stats}, "en") == ["ja", "ru"]


def recorded_header() -> status.UnitList:
    """The header's five labels as the recordings show them: ru from its recorded collection; ja has
    units 1 and 2 translated (the recorded ja translation page), none outdated."""
    ids = status.label_unit_ids(recorded("source-after-remark")["response"]["query"]["pages"][0]["revisions"][0]
                                ["slots"]["main"]["content"])
    assert ids == ["1", "2", "3", "5", "4"]
    return status.UnitList(HEADER, len(ids), {"ja": (3, 0), "ru": status.unit_lag(ru_collection(), HEADER, ids)})


def test_status_page_from_the_recorded_statistics():
    text = status.status_text({HEADER: header_stats()}, "en", HEADER, bot="[[User:AdvocacyBot|AdvocacyBot]]",
                              header=recorded_header())
    table = text[text.index("{|"):text.index("|}") + 2]
    assert table.splitlines()[1] == "! Page !! Units !! {{#language:ja}} <code>ja</code> !! {{#language:ru}} <code>ru</code>"
    assert f"| [[{HEADER}]] || 5" in table
    ja, ru = [line for line in table.splitlines() if line.startswith('| data-sort-value=')]
    assert ja.startswith(f'| data-sort-value="40" | [[{HEADER}/ja|40%]]<div ')
    assert ru.startswith(f'| data-sort-value="40" | [[{HEADER}/ru|40%]]<br /><small>1 outdated</small><div ')
    # the bar: 40% translated (green), 20% outdated (yellow), in a 6em track
    assert 'title="2 of 5 translated, 1 outdated"><div style="width:40%; background:#14866d;"></div>' \
           '<div style="width:20%; background:#fc3;"></div></div>' in ru
    lag = text[text.index("== Languages behind"):]
    assert lag.splitlines()[1:] == [
        f"; Navigation header ([[{HEADER}]], 5 tab labels)",
        ": <code>ja</code>: 3 of 5 untranslated",
        ": <code>ru</code>: 2 of 5 untranslated, 1 outdated",
        "; Team list",
        ": no team list marked for translation",
    ]
    # well-formed wikitext: one table, balanced divs in every cell
    assert text.count("{|") == text.count("|}") == 1
    assert text.count("<div") == text.count("</div>")
    # the only calls are the core parser function {{#language:}} (a language's own name)
    assert {str(t.name).split(":")[0] for t in mwparserfromhell.parse(text).filter_templates()} == {"#language"}
    assert status.status_summary({HEADER: header_stats()}, "en", header=recorded_header()) == (
        "Translation status: 1 translatable page in 2 languages; behind on the navigation header: ja, ru")


def test_team_list_lag_from_the_recorded_collection():
    # Pretend units 3 and 5 of the recorded page were job titles: ru has 3 outdated and 5 untranslated.
    assert status.unit_lag(ru_collection(), HEADER, ["1", "2"]) == (0, 0)
    assert status.unit_lag(ru_collection(), HEADER, ["3", "5"]) == (1, 1)
    assert status.unit_lag(ru_collection(), HEADER, ["9"]) == (1, 0)  # unknown to Translate: untranslated
    team = status.UnitList("Global Advocacy", 2, {"ru": (1, 1), "ja": (2, 0)})
    stats = {HEADER: header_stats(), "Global Advocacy": {"ru": status.LanguageStats("ru", 20, 18, 1)}}
    text = status.status_text(stats, "en", HEADER, [team], header=recorded_header())
    assert text.endswith("; Team list ([[Global Advocacy]], 2 job titles)\n"
                         ": <code>ja</code>: 2 of 2 untranslated\n: <code>ru</code>: 1 of 2 untranslated, 1 outdated")
    assert status.lagging(stats, "en", [team], recorded_header()) == (["ja", "ru"], ["ja", "ru"])
    assert status.lagging(stats, "en", [team], status.UnitList(HEADER, 5, {})) == ([], ["ja", "ru"])
    # a page a language has not started shows 0% with an empty bar and no link
    assert '| data-sort-value="0" | 0%<div ' in text


def test_team_unit_ids_are_the_units_inside_the_staff_block():
    text = ("<translate>\n== Team == <!--T:1-->\n</translate>\n" + staff_block.begin_comment("Bot", "r") + "\n"
            "<!-- retired: <!--T:4--> -->\n* '''A''' – <translate><!--T:5--> Boss</translate>\n"
            "* '''B''' – <translate>New title</translate>\n" + staff_block.end_comment("Bot"))
    assert status.team_unit_ids(text) == ["5"]
    assert status.team_unit_ids("no block") == []


def test_job_titles_are_counted_without_the_contacts_table_headers():
    # Issue 13: the contacts table's column headers are units too; "17 job titles" for 12 members.
    roster = [staff_block.Card(f"m{n}", f"Member {n}", f"Title {n}", unit_id=str(n + 10)) for n in range(3)]
    block = staff_block.render_block(roster, "contacts", "Bot", "r",
                                     column_ids={"name": "20", "title": "21", "contact": "22"})
    assert len(parse(block).units) > 3  # the column headers are units of their own
    assert status.team_unit_ids("Intro\n" + block) == ["10", "11", "12"]


def test_tab_labels_are_the_header_template_units():
    template = ("<noinclude><languages/></noinclude><div>[[A|<translate><!--T:1--> Home</translate>]] "
                "[[B|<translate><!--T:2--> FAQ</translate>]] [[C|<translate>New</translate>]]</div>")
    assert status.label_unit_ids(template) == ["1", "2"]  # the new label has no id until it is marked


def test_pages_changed_since_marked_are_named_with_what_changed():
    stats = {HEADER: header_stats()}
    text = status.status_text(stats, "en", HEADER, header=recorded_header(), changed={HEADER: "1 new unit"})
    assert f"| [[{HEADER}]]<br /><small>changed since marked</small> || 5" in text
    assert f"* [[{HEADER}]]: 1 new unit" in text
    assert "1 page changed since marked" in status.status_summary(stats, "en", header=recorded_header(),
                                                                   changed={HEADER: "1 new unit"})


def test_empty_states_and_idempotent_change():
    assert "No page of the tree is marked for translation yet." in status.status_text({}, "en", HEADER)
    untouched = {HEADER: {"en": status.LanguageStats("en", 5, 5, 0)}}
    text = status.status_text(untouched, "en", HEADER)
    assert "No page of the tree has been translated yet." in text
    page = Page("User:AdvocacyBot/Translation status", 2, True, text, 3)
    assert status.status_change(page, text, "s") is None
    new = status.status_change(Page(page.title, 2, False), text, "s")
    assert new.creates_page and new.recompute(page) is None


def test_recorded_copies_are_unchanged():
    originals = require_shared("recorded", "translate")  # skipped without the shared folder, failed in CI
    for copy in sorted(RECORDED.iterdir()):
        assert copy.read_bytes() == (originals / copy.name).read_bytes(), copy.name


# -- statistics by language (meta=languagestats) ----------------------------------------------------

def recorded_language_stats() -> dict:
    """``meta=languagestats`` in ja and each page's ``meta=messagegroupstats``, recorded from the real
    Translate in the demo flow (tests/realtranslate/test_demo_flow.py)."""
    flow = Path(__file__).resolve().parents[1] / "recorded" / "real-translate" / "demo-flow.json"
    return json.loads(flow.read_text(encoding="utf-8"))["stages"]["translated"]["statistics"]


def test_one_language_answer_gives_every_page_its_numbers():
    recorded_stats = recorded_language_stats()
    titles = [group[len("page-"):] for group in recorded_stats["messagegroupstats"]]
    by_page = status.parse_language_stats(recorded_stats["languagestats"], "ja", titles)
    assert by_page["Global Advocacy"] == status.LanguageStats("ja", 23, 1, 0)
    assert by_page[HEADER] == status.LanguageStats("ja", 10, 1, 0)
    # the pages asked for only: a group of another page, or of anything else, is left out
    assert set(status.parse_language_stats(recorded_stats["languagestats"], "ja", ["Global Advocacy", "Elsewhere"])
               ) == {"Global Advocacy"}
    assert status.parse_language_stats([{"group": "agg-Global Advocacy", "total": 3}], "ja", ["Global Advocacy"]) == {}


def test_statistics_languages_are_those_of_the_translation_pages():
    languages = frozenset({"de", "en", "ja", "pt-br", "qqq", "ru"})
    titles = ["Global Advocacy", "Global Advocacy/ja", "Global Advocacy/pt-br", "Global Advocacy/About/ru",
              "Global Advocacy/en", "Global Advocacy/qqq", "Global Advocacy/Notes/de", f"{HEADER}/ja",
              "Global Advocacy/xx"]
    # Notes is not translatable: its /de is a page of its own, not a translation; xx is no language
    found = status.translation_languages(titles, ["Global Advocacy", "Global Advocacy/About", HEADER], languages, "en")
    assert found == ["ja", "pt-br", "ru"]
    assert status.translation_languages(["Global Advocacy"], ["Global Advocacy"], languages, "en") == []
