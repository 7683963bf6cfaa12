"""Tests of the export XML writer (advocacy_bot.devwiki.export) and the demo snapshot (tests/fixtures/snapshot.py)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from advocacy_bot.devwiki import export
from advocacy_bot.devwiki.export import SnapshotPage, export_xml, namespace_of, sha1_base36
from tests.fixtures import snapshot
from tests.fixtures.snapshot import (
    DEMO_NOW,
    ROSTER,
    demo_pages,
    large_talk_page,
    large_tree_drift_titles,
    large_tree_pages,
)

MW = "{http://www.mediawiki.org/xml/export-0.11/}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
COMMITTED_XML = Path(export.__file__).with_name("demo_snapshot.xml")


def parse(xml: str) -> ET.Element:
    return ET.fromstring(xml.encode("utf-8"))


def exported_pages(xml: str) -> dict[str, ET.Element]:
    return {page.findtext(f"{MW}title"): page for page in parse(xml).iter(f"{MW}page")}


@pytest.fixture(scope="module")
def demo() -> dict[str, SnapshotPage]:
    return {page.title: page for page in demo_pages()}


# -- Translate markup (the rules of Translate's own parser, see FACTS.md section 2) -------------

_TRANSLATE_TAG = re.compile(r"<translate(?:\s+nowrap)?\s*>|</translate\s*>")
_MARKER = re.compile(r"<!--T:(.*?)-->", re.S)
_HEADING_WITH_MARKER = re.compile(r"^(=+)[^\n]*?\1[ \t]*<!--T:[^\n>]+-->[ \t]*$")


def translate_problems(text: str) -> list[str]:
    """Reasons Translate would refuse to mark ``text`` (empty when the markup is valid)."""
    problems = []
    text = re.sub(r"<nowiki>.*?</nowiki>", "", text, flags=re.S)
    blocks, depth, start = [], 0, 0
    for tag in _TRANSLATE_TAG.finditer(text):
        if tag.group().startswith("</"):
            if depth == 0:
                problems.append(f"unmatched </translate> at {tag.start()}")
                continue
            depth -= 1
            blocks.append(text[start:tag.start()])
        else:
            if depth:
                problems.append(f"nested <translate> at {tag.start()}")
            depth += 1
            start = tag.end()
    if depth:
        problems.append("unclosed <translate>")
    ids = _MARKER.findall(text)
    for marker_id in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"marker id {marker_id} used twice")
    for marker_id in ids:
        if re.search(r"[_/<>\n]", marker_id) or marker_id != marker_id.strip() or not marker_id:
            problems.append(f"bad marker id {marker_id!r}")
    if sum(len(_MARKER.findall(block)) for block in blocks) != len(ids):
        problems.append("marker outside <translate>")
    for block in blocks:
        if "\n" not in block:  # one-line block: "<translate><!--T:1--> Home</translate>"
            unit = block.lstrip()
            if not re.match(r"<!--T:[^>]+--> \S", unit) or len(_MARKER.findall(unit)) != 1:
                problems.append(f"bad inline unit {block!r}")
            continue
        for unit in re.split(r"\n{2,}", block):
            unit = unit.lstrip()
            if not unit.strip():
                continue
            markers = _MARKER.findall(unit)
            first_line = unit.split("\n", 1)[0]
            at_start = re.match(r"<!--T:[^>]+-->\n\S", unit)
            in_heading = _HEADING_WITH_MARKER.match(first_line)
            if len(markers) != 1 or not (at_start or in_heading):
                problems.append(f"bad unit {unit[:60]!r}")
    return problems


def test_translate_checker_agrees_with_translate_conformance_cases():
    assert translate_problems("<translate>\n== Topic == <!--T:1-->\nText.\n\n<!--T:2-->\nMore.\n</translate>") == []
    assert translate_problems("We had a nice <translate><!--T:1--> day</translate> today.") == []
    assert translate_problems("<translate>\n<!--T:1-->\nA cat.\n\n<!--T:1-->\nA dog.\n</translate>")
    assert translate_problems("<translate>\nOnce <!--T:1--> there\n</translate>")
    assert translate_problems("<translate>\n<!--T:1-->\n\n</translate>")
    assert translate_problems("<translate><translate><!--T:1--> x</translate></translate>")
    assert translate_problems("<translate>\n<!--T:1-->\nA\n")
    assert translate_problems("<!--T:1--> <translate>\n<!--T:2-->\nA\n</translate>")


# -- export_xml --------------------------------------------------------------------------------

def test_demo_xml_parses_with_declared_namespaces(demo):
    root = parse(export_xml(demo.values()))
    assert root.tag == f"{MW}mediawiki"
    assert root.get("version") == "0.11"
    names = {int(ns.get("key")): (ns.text or "") for ns in root.iter(f"{MW}namespace")}
    assert {0: "", 1: "Talk", 2: "User", 3: "User talk", 4: "Project", 10: "Template",
            11: "Template talk"}.items() <= names.items()
    assert root.findtext(f"{MW}siteinfo/{MW}sitename") == "Advocacy Dev Wiki"


def test_every_page_has_its_namespace_and_one_revision(demo):
    pages = exported_pages(export_xml(demo.values()))
    assert list(pages) == list(demo)
    for title, page in pages.items():
        assert int(page.findtext(f"{MW}ns")) == namespace_of(title)
        assert len(page.findall(f"{MW}revision")) == 1
    assert pages["Talk:Global Advocacy"].findtext(f"{MW}ns") == "1"
    assert pages["User:AdvocacyBot/roster.json"].findtext(f"{MW}ns") == "2"
    assert pages["Global Advocacy/FAQ/en"].findtext(f"{MW}ns") == "0"


@pytest.mark.parametrize("title, ns", [
    ("Global Advocacy", 0), ("Talk:Global Advocacy", 1), ("User:X/roster.json", 2), ("User talk:X", 3),
    ("Project:About", 4), ("Template:Global Advocacy/Header", 10), ("Template talk:A", 11),
    ("template:lower", 10), ("Global Advocacy: a note", 0), ("Unknownprefix:Page", 0), ("Image:A.png", 6),
])
def test_namespace_of(title, ns):
    assert namespace_of(title) == ns


TRICKY = (
    "<b>bold</b> & &amp; &lt;not a tag&gt; \"double\" 'single' ]]> <!-- comment -->\n"
    "Кириллица: Глобальная адвокация\n日本語: 私たちについて\n"
    "tab\there, CRLF\r\nnext line, trailing spaces   \n\n\n"
)


def test_text_round_trips_exactly_with_escaping_and_non_ascii(demo):
    pages = [
        SnapshotPage("Sandbox/Tricky", TRICKY),
        SnapshotPage("Sandbox/Empty", ""),
        SnapshotPage('Sandbox/Q&A "quoted" Ω', "x", contributor='Name with "quotes" & more'),
        SnapshotPage("User:Someone/data.json", json.dumps({"name": "Ана", "title": "<&>"}, ensure_ascii=False),
                     model="json"),
        *demo.values(),
    ]
    xml = export_xml(pages)
    assert "&lt;b&gt;" in xml and "&amp;amp;" in xml
    exported = exported_pages(xml)
    for page in pages:
        element = exported[page.title]
        text = element.find(f"{MW}revision/{MW}text")
        assert (text.text or "") == page.text, page.title
        assert int(text.get("bytes")) == len(page.text.encode("utf-8"))
        assert text.get(XML_SPACE) == "preserve"
        assert text.get("sha1") == sha1_base36(page.text)
        assert element.findtext(f"{MW}revision/{MW}sha1") == sha1_base36(page.text)
        assert element.findtext(f"{MW}revision/{MW}contributor/{MW}username") == page.contributor
        assert element.findtext(f"{MW}revision/{MW}timestamp") == page.timestamp


def test_sha1_base36_matches_mediawiki():
    # MediaWiki's hash of the empty text (SlotRecord::base36Sha1(''))
    assert sha1_base36("") == "phoiac9h4m842xq45sp7s6u21eteeq1"
    assert len(sha1_base36("Global Advocacy")) == 31


def test_json_page_has_json_model_and_format(demo):
    roster = demo["User:AdvocacyBot/roster.json"]
    assert roster.model == "json"
    revision = exported_pages(export_xml([roster]))[roster.title].find(f"{MW}revision")
    assert revision.findtext(f"{MW}model") == "json"
    assert revision.findtext(f"{MW}format") == "application/json"
    members = json.loads(roster.text)["members"]
    assert len({m["key"] for m in members}) == len(members) == len(ROSTER)
    for member in members:
        assert {"name", "title", "key", "region", "username"} <= member.keys()
        assert member["username"] is None or member["username"].endswith("(WMF)")
    assert any(m["username"] is None for m in members)
    assert any(not m["name"].isascii() for m in members)


def test_wikitext_pages_say_wikitext(demo):
    revision = exported_pages(export_xml([demo["Global Advocacy"]]))["Global Advocacy"].find(f"{MW}revision")
    assert revision.findtext(f"{MW}model") == "wikitext"
    assert revision.findtext(f"{MW}format") == "text/x-wiki"


def test_ip_contributor_is_written_as_ip():
    page = exported_pages(export_xml([SnapshotPage("A", "x", contributor="192.0.2.7")]))["A"]
    assert page.findtext(f"{MW}revision/{MW}contributor/{MW}ip") == "192.0.2.7"


@pytest.mark.parametrize("pages", [
    [SnapshotPage("A", "x"), SnapshotPage("A", "y")],
    [SnapshotPage("a", "x"), SnapshotPage("A", "y")],
    [SnapshotPage("A", "x", timestamp="2024-01-15 12:00")],
    [SnapshotPage("A", "x", model="yaml")],
    [SnapshotPage("User:A/x.json", "{not json", model="json")],
    [SnapshotPage("A", "control \x01 char")],
    [SnapshotPage("A|B", "x")],
    [SnapshotPage("A_B", "x")],
    [SnapshotPage(" A", "x")],
])
def test_export_refuses_what_mediawiki_would_not_import(pages):
    with pytest.raises(ValueError):
        export_xml(pages)


def test_redirects(demo):
    redirects = {title: page for title, page in demo.items() if page.redirect_target}
    assert {t: p.redirect_target for t, p in redirects.items()} == {
        "Global Advocacy/Resources": "Global Advocacy/Resource Center",
        "Public policy": "Global Advocacy",
    }
    exported = exported_pages(export_xml(demo.values()))
    for title, page in redirects.items():
        assert page.text.startswith("#REDIRECT [[")
        assert exported[title].find(f"{MW}redirect").get("title") == page.redirect_target
    for title in set(demo) - set(redirects):
        assert exported[title].find(f"{MW}redirect") is None


# -- the demo tree -------------------------------------------------------------------------------

def test_committed_demo_xml_is_up_to_date():
    expected = export_xml(demo_pages())
    assert COMMITTED_XML.read_text(encoding="utf-8") == expected, (
        "regenerate with: python -m tests.fixtures.snapshot --demo > advocacy_bot/devwiki/demo_snapshot.xml"
    )


def test_command_line_writes_the_demo_xml(capsysbinary):
    assert snapshot.main(["--demo"]) == 0
    assert capsysbinary.readouterr().out == export_xml(demo_pages()).encode("utf-8")


def test_command_line_large(capsysbinary):
    assert snapshot.main(["--large", "60", "--seed", "3"]) == 0
    assert len(exported_pages(capsysbinary.readouterr().out.decode("utf-8"))) == 60


def test_demo_has_the_expected_pages(demo):
    expected = {
        "Global Advocacy", "Global Advocacy/About", "Global Advocacy/Documentation",
        "Global Advocacy/Resource Center", "Global Advocacy/Resource Center/Copyright",
        "Global Advocacy/Conversation Hours and Events", "Global Advocacy/Get Involved", "Global Advocacy/FAQ",
        "Global Advocacy/Announcements", "Global Advocacy/da", "Global Advocacy/ru", "Global Advocacy/About/ja",
        "Global Advocacy/FAQ/en", "Global Advocacy/Resources", "Public policy", "Public policy/FAQ",
        "Global Advocacy Extra", "Talk:Global Advocacy", "Talk:Global Advocacy/Archive 1",
        "User:AdvocacyBot/roster.json",
        "User:AdvocacyBot/state.json",
        # what the pages use from outside the tree: no red links in the demo (issue 16)
        "Template:Talk archive", "Template:Section resolved", "User:MiszaBot/config", "Category:Global Advocacy",
        # the page every edit summary links to (bot_pages.about), and its talk page
        "User:AdvocacyBot", "User talk:AdvocacyBot",
    }
    users = {title for title in demo if title.startswith(("User:", "User talk:"))} - expected
    assert set(demo) - users == expected
    linked = set(re.findall(r"\[\[(User(?: talk)?:[^|\]]+)", "".join(page.text for page in demo.values())))
    assert linked <= set(demo)  # every user page and user talk page the demo links to exists: no red link
    assert len(users) == 38
    assert "Template:Global Advocacy/Header" not in demo


def test_demo_translate_markup_is_valid(demo):
    checked = 0
    for title, page in demo.items():
        if "<translate" in page.text:
            assert translate_problems(page.text) == [], title
            checked += 1
    assert checked >= 9


def test_demo_marker_ids_do_not_repeat_within_a_page(demo):
    for title, page in demo.items():
        ids = re.findall(r"<!--T:(.*?)-->", page.text)
        assert len(ids) == len(set(ids)), title


TRANSLATIONS = ("Global Advocacy/da", "Global Advocacy/ru", "Global Advocacy/About/ja", "Global Advocacy/FAQ/en")


@pytest.mark.parametrize("title", TRANSLATIONS)
def test_translation_pages_look_generated_by_fuzzybot(demo, title):
    page = demo[title]
    assert page.contributor == "FuzzyBot"
    assert page.comment == "Updating to match new version of source page"
    assert "<translate" not in page.text and "<!--T:" not in page.text
    assert page.text.startswith("<languages/>")
    source = title.rsplit("/", 1)[0]
    assert f"This page is a translated version of the page [[{source}]] and the translation is" in page.text
    assert source in demo


def test_translation_pages_are_partly_in_their_language(demo):
    assert re.search("[а-яё]", demo["Global Advocacy/ru"].text)
    assert re.search("[\u3040-\u30ff\u4e00-\u9fff]", demo["Global Advocacy/About/ja"].text)
    assert "Outdated translations are marked like this." in demo["Global Advocacy/ru"].text
    # The Russian page shows the old header and the old contact list.
    assert "Resources</span>]]" in demo["Global Advocacy/ru"].text
    assert "* Twitter:" in demo["Global Advocacy/ru"].text and "Twitter/X:" in demo["Global Advocacy"].text


def _nav_block(text: str) -> str:
    """The first line(s) of the page that hold the tab bar."""
    match = re.search(r'(?s:<div class="ga-nav"[^>]*>.*?</div>)|(?s:\{\| class="wikitable ga-nav".*?\n\|\})'
                      r"|^.*\[\[Special:MyLanguage/Global Advocacy\|Home\]\].*$", text, re.M)
    return match.group() if match else ""


def test_demo_carries_the_header_drift(demo):
    bars = {title: _nav_block(demo[title].text) for title in demo}
    assert "Conversation Hours and Events" not in bars["Global Advocacy/About"]
    assert "|Resources]]" in bars["Global Advocacy/Resource Center"]
    assert bars["Global Advocacy/Documentation"].startswith("{| class=\"wikitable")
    assert " · " in bars["Global Advocacy/FAQ"] and "<div" not in bars["Global Advocacy/FAQ"]
    assert " | " in bars["Global Advocacy"] and bars["Global Advocacy"].startswith("<div")
    assert "{{Global Advocacy/Header|current=faq}}" in demo["Global Advocacy/Get Involved"].text
    events = demo["Global Advocacy/Conversation Hours and Events"].text
    assert events.startswith("<languages/>\n<translate>\n<!--T:1-->\n<div class=\"ga-nav\">")
    assert demo["Global Advocacy/Announcements"].text.startswith("{{nobots}}")
    old = demo["Public policy/FAQ"].text
    assert old.count("[[Public policy") + old.count("[[Talk:Public policy|Discussion]]") >= 8
    assert "Work With Us" in old
    assert demo["Global Advocacy Extra"].text.split("\n")[:3] == demo["Global Advocacy"].text.split("\n")[:3]


def _root_team(text: str) -> set[tuple[str, str]]:
    return set(re.findall(r"^\* '''(.+?)''' – <translate><!--T:\d+--> (.+?)</translate>$", text, re.M))


def _faq_contacts(text: str) -> set[tuple[str, str]]:
    return set(re.findall(r"^\* [^–\n]+ – ([^,\n]+), (.+)$", text, re.M))


def test_team_lists_differ_from_the_roster_and_each_other(demo):
    roster = {(m["name"], m["title"]) for m in json.loads(demo["User:AdvocacyBot/roster.json"].text)["members"]}
    assert roster == {(m["name"], m["title"]) for m in ROSTER}
    team = _root_team(demo["Global Advocacy"].text)
    contacts = _faq_contacts(demo["Global Advocacy/FAQ"].text)
    assert len(team) >= 10 and len(contacts) >= 3
    roster_names = {name for name, _ in roster}
    for listing in (team, contacts):
        names = {name for name, _ in listing}
        assert names - roster_names, "an extra (departed) member"
        assert listing - roster, "stale titles or extra members"
        stale = {name for name, title in listing if name in roster_names and (name, title) not in roster}
        assert stale, "a stale title"
    assert roster_names - {name for name, _ in team}, "a member missing from the root page"
    regional = {m["name"] for m in ROSTER if m["region"] not in ("Global",)}
    assert regional - {name for name, _ in contacts}, "a regional specialist missing from the FAQ"
    assert team & contacts != contacts


def test_no_real_contact_addresses(demo):
    addresses = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", export_xml(demo.values()))
    assert addresses and all(a.endswith("@example.org") for a in addresses)


_SIGNATURE = re.compile(
    r"\[\[User:([^|\]]+)\|\1\]\] \(\[\[User talk:\1\|talk\]\]\) (\d\d:\d\d, \d{1,2} [A-Z][a-z]+ \d{4}) \(UTC\)")


def _sig_dates(text: str) -> list[datetime]:
    return [datetime.strptime(d, "%H:%M, %d %B %Y").replace(tzinfo=timezone.utc)
            for _, d in _SIGNATURE.findall(text)]


def _threads(text: str) -> list[str]:
    return re.split(r"(?m)^(?=== [^=].* ==$)", text)[1:]


def test_demo_talk_page(demo):
    talk = demo["Talk:Global Advocacy"].text
    assert talk.startswith(
        "{{User:MiszaBot/config|archive=Talk:Global Advocacy/Archive %(counter)d|algo=old(90d)|counter=1"
        "|maxarchivesize=150K|minthreadsleft=3|minthreadstoarchive=1|archiveheader={{Talk archive}}}}\n")
    threads = _threads(talk)
    assert len(threads) == 12
    assert talk.count("{{Section resolved|1=") == 2
    cutoff = DEMO_NOW - timedelta(days=90)
    latest = [max(_sig_dates(thread)) for thread in threads]
    assert all(_sig_dates(thread) for thread in threads)
    assert sum(date >= cutoff for date in latest) == 5
    assert sum(date < cutoff for date in latest) == 7
    assert all(date <= DEMO_NOW for date in latest)
    assert demo["Talk:Global Advocacy"].timestamp == max(latest).strftime("%Y-%m-%dT%H:%M:%SZ")
    archive = demo["Talk:Global Advocacy/Archive 1"].text
    assert archive.startswith("{{Talk archive}}")
    assert len(_threads(archive)) == 3


def test_signature_format():
    assert snapshot.signature("X", "2024-05-05 12:30") == (
        "[[User:X|X]] ([[User talk:X|talk]]) 12:30, 5 May 2024 (UTC)")


# -- large trees -------------------------------------------------------------------------------

def test_large_tree_size_unique_titles_and_determinism():
    pages = large_tree_pages(500)
    assert 450 <= len(pages) <= 550
    titles = [page.title for page in pages]
    assert len(set(titles)) == len(titles)
    again = large_tree_pages(500)
    assert [(p.title, p.text, p.timestamp, p.contributor, p.model) for p in pages] == \
           [(p.title, p.text, p.timestamp, p.contributor, p.model) for p in again]
    assert export_xml(pages) == export_xml(again)
    other = large_tree_pages(500, seed=1)
    assert [p.text for p in other] != [p.text for p in pages]


def test_large_tree_composition():
    pages = {page.title: page for page in large_tree_pages(500)}
    assert "Global Advocacy" in pages
    assert "Template:Global Advocacy/Header" not in pages
    namespaces = {page.ns for page in pages.values()}
    assert {0, 1, 2, 10} <= namespaces
    translations = [p for p in pages.values() if p.contributor == "FuzzyBot"]
    assert len(translations) >= 100
    assert len({p.title.rsplit("/", 1)[1] for p in translations}) >= 5
    for page in translations:
        assert page.title.rsplit("/", 1)[0] in pages
    assert max(p.title.count("/") for p in pages.values() if p.ns == 0) >= 3
    assert any(p.redirect_target for p in pages.values())


def test_large_tree_drift():
    pages = {page.title: page for page in large_tree_pages(500)}
    drift = large_tree_drift_titles(500)
    sources = [p for p in pages.values()
               if p.ns == 0 and p.contributor != "FuzzyBot" and not p.redirect_target]
    assert set(drift) <= {p.title for p in sources}
    assert abs(len(drift) - 0.05 * len(sources)) <= 1
    assert set(drift.values()) == {"div", "table", "dots", "missing-tab", "resources-label",
                                   "wrong-current", "in-translate"}
    for page in sources:
        header = "{{Global Advocacy/Header|current="
        if page.title in drift:
            assert drift[page.title] == "wrong-current" or header not in page.text
        else:
            assert header in page.text
        assert translate_problems(page.text) == [], page.title
    assert large_tree_drift_titles(500, drift_ratio=0) == {}
    assert len(large_tree_drift_titles(500, drift_ratio=0.2)) > len(drift)


@pytest.mark.parametrize("n", [1, 5, 12, 100, 2000])
def test_large_tree_sizes(n):
    pages = large_tree_pages(n)
    assert abs(len(pages) - n) <= max(2, n // 20)
    export_xml(pages)  # valid


def test_large_talk_page():
    page = large_talk_page(120, seed=4)
    assert page.ns == 1 and page.title == "Talk:Global Advocacy"
    assert page.text.startswith("{{User:MiszaBot/config\n|archive=Talk:Global Advocacy/Archive %(counter)d\n")
    assert "|algo=old(90d)" in page.text
    threads = _threads(page.text)
    assert len(threads) == 120
    latest = [max(_sig_dates(thread)) for thread in threads if _sig_dates(thread)]
    cutoff = DEMO_NOW - timedelta(days=90)
    assert any(d >= cutoff for d in latest) and any(d < cutoff for d in latest)
    assert any(d < DEMO_NOW - timedelta(days=365 * 2) for d in latest)
    assert "{{Section resolved|1=" in page.text
    assert page.timestamp == max(latest).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert large_talk_page(120, seed=4) == page
    assert large_talk_page(120, seed=5) != page
    assert _threads(large_talk_page(0).text) == []
