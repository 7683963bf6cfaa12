"""The package ships the export writer and the demo's data files, not the generators of test and benchmark
data: those live in tests/fixtures/ (shared with bench/), and the demo's roster is one JSON file both read."""

from __future__ import annotations

import configparser
import fnmatch
import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import advocacy_bot
from advocacy_bot.devwiki import manager
from tests.fixtures import snapshot

PACKAGE = Path(advocacy_bot.__file__).resolve().parent
REPO = PACKAGE.parent
GENERATORS = ("demo_pages", "large_tree_pages", "large_tree_drift_titles", "large_talk_page")
MW = "{http://www.mediawiki.org/xml/export-0.11/}"


def definitions(path: Path) -> set[str]:
    """Names a module defines at its top level (functions, classes, assignments)."""
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r"^(?:def|class)\s+(\w+)", text, re.M)) | set(re.findall(r"^(\w+)\s*[:=]", text, re.M))


def test_no_module_of_the_package_defines_a_generator():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert PACKAGE / "devwiki" / "export.py" in modules
    found = {str(path.relative_to(REPO)): sorted(definitions(path) & set(GENERATORS)) for path in modules}
    assert {path: names for path, names in found.items() if names} == {}
    assert importlib.util.find_spec("advocacy_bot.devwiki.snapshot") is None
    # The search finds them where they are: in the fixtures, and the writer in the package.
    assert set(GENERATORS) <= definitions(Path(snapshot.__file__))
    assert {"SnapshotPage", "export_xml"} <= definitions(PACKAGE / "devwiki" / "export.py")


def test_the_package_does_not_import_the_tests():
    importing = [str(path.relative_to(REPO)) for path in sorted(PACKAGE.rglob("*.py"))
                 if re.search(r"^\s*(?:from|import)\s+tests\b", path.read_text(encoding="utf-8"), re.M)]
    assert importing == []


def test_the_dev_wiki_creates_the_accounts_of_the_fixture_roster():
    assert manager.demo_usernames() == [member["username"] for member in snapshot.ROSTER if member.get("username")]
    assert len(manager.demo_usernames()) == 10  # two of the twelve members have no account
    assert manager.demo_roster() == snapshot.ROSTER


def test_the_committed_demo_lists_the_roster_of_the_package():
    """The roster page in demo_snapshot.xml has the members of demo_roster.json, in order and key order."""
    root = ET.fromstring(manager.DEMO_SNAPSHOT.read_bytes())
    pages = {page.findtext(f"{MW}title"): page for page in root.iter(f"{MW}page")}
    text = pages[snapshot.ROSTER_PAGE].find(f"{MW}revision/{MW}text").text
    members = json.loads(text)["members"]
    assert members == list(manager.demo_roster())
    assert [list(member) for member in members] == [list(member) for member in manager.demo_roster()]


def test_the_demo_data_files_are_package_data():
    """Every data file of advocacy_bot/devwiki is installed with the package (setup.cfg's package_data)."""
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg", encoding="utf-8")
    patterns = [pattern.strip() for pattern in config["options.package_data"]["advocacy_bot.devwiki"].split(",")]
    data = sorted(path.name for path in (PACKAGE / "devwiki").iterdir()
                  if path.is_file() and path.suffix not in (".py", ".pyc"))
    assert {"demo_snapshot.xml", "demo_roster.json"} <= set(data)
    assert [name for name in data if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns)] == []
