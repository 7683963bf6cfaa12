"""The dev wiki's export files in a real MediaWiki (Debian's package, PHP): the demo snapshot and a
large synthetic tree import page for page, and every export validates against MediaWiki's schema.
(Moved out of tests/unit, which runs no PHP.)"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from advocacy_bot.devwiki import export
from advocacy_bot.devwiki.export import export_xml
from tests.fixtures.snapshot import demo_pages, large_talk_page, large_tree_pages

COMMITTED_XML = Path(export.__file__).with_name("demo_snapshot.xml")


# -- a real import into MediaWiki --------------------------------------------------------------

MEDIAWIKI = Path("/usr/share/mediawiki")


def _php_ready() -> str | None:
    """Why a real import cannot run here, or None."""
    php = shutil.which("php")
    if not php:
        return "php is not installed"
    if not (MEDIAWIKI / "maintenance" / "importDump.php").is_file():
        return f"no MediaWiki at {MEDIAWIKI}"
    modules = subprocess.run([php, "-m"], capture_output=True, text=True).stdout.lower()
    if "pdo_sqlite" not in modules:
        return "php has no pdo_sqlite"
    return None


def _install_wiki(base: Path) -> Path:
    reason = _php_ready()
    if reason:
        pytest.skip(reason)
    (base / "db").mkdir(parents=True)
    (base / "conf").mkdir()
    subprocess.run(
        ["php", str(MEDIAWIKI / "maintenance" / "install.php"), "--dbtype", "sqlite", "--dbpath",
         str(base / "db"), "--confpath", str(base / "conf"), "--server", "http://127.0.0.1:1",
         "--scriptpath", "", "--pass", "Admin-password-123", "Dev", "Admin"],
        check=True, capture_output=True, text=True, timeout=300,
    )
    return base / "conf" / "LocalSettings.php"


def _import(settings: Path, xml_file: Path) -> int:
    """Import ``xml_file``; the number of pages importDump.php reports."""
    result = subprocess.run(
        ["php", str(MEDIAWIKI / "maintenance" / "importDump.php"), "--report", "1", str(xml_file)],
        capture_output=True, text=True, timeout=600, env={**os.environ, "MW_CONFIG_FILE": str(settings)},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Done!" in result.stdout, result.stdout
    reports = re.findall(r"^(\d+) \([\d.]+ pages/sec", result.stderr, re.M)
    assert reports, result.stderr
    return int(reports[-1])


def _wiki_pages(db: Path) -> dict[str, tuple[str, bool, str, str]]:
    """title -> (text, is_redirect, content model, latest editor) of every page in the wiki."""
    query = """
        SELECT page_namespace, page_title, page_is_redirect, page_content_model, old_text, old_flags, actor_name
        FROM page JOIN revision ON rev_id = page_latest
        JOIN slots ON slot_revision_id = rev_id JOIN content ON content_id = slot_content_id
        JOIN text ON 'tt:' || old_id = content_address JOIN actor ON actor_id = rev_actor"""
    with sqlite3.connect(db) as connection:
        rows = connection.execute(query).fetchall()
    pages = {}
    for ns, title, redirect, model, text, flags, actor in rows:
        assert "gzip" not in (flags or ""), "compressed revisions are not expected on a fresh wiki"
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        name = title.replace("_", " ")
        if ns:
            name = f"{export.NAMESPACES[ns]}:{name}"
        pages[name] = (text, bool(redirect), model, actor)
    return pages


@pytest.mark.devwiki
def test_demo_snapshot_imports_into_mediawiki(tmp_path):
    settings = _install_wiki(tmp_path)
    pages = demo_pages()
    assert _import(settings, COMMITTED_XML) == len(pages)
    wiki = _wiki_pages(tmp_path / "db" / "my_wiki.sqlite")
    assert set(wiki) == {page.title for page in pages} | {"Main Page"}
    for page in pages:
        text, redirect, model, actor = wiki[page.title]
        assert text == page.text, page.title
        assert redirect == bool(page.redirect_target), page.title
        assert model == page.model, page.title
        # importDump.php keeps local users (Admin) and prefixes the others with "imported>"
        assert actor in (page.contributor, f"imported>{page.contributor}")


@pytest.mark.devwiki
def test_large_tree_imports_into_mediawiki(tmp_path):
    settings = _install_wiki(tmp_path / "wiki")
    pages = large_tree_pages(300, seed=7)
    xml_file = tmp_path / "large.xml"
    xml_file.write_text(export_xml(pages), encoding="utf-8")
    assert _import(settings, xml_file) == len(pages)
    wiki = _wiki_pages(tmp_path / "wiki" / "db" / "my_wiki.sqlite")
    assert len(wiki) == len(pages) + 1
    assert all(wiki[page.title][0] == page.text for page in pages)


EXPORT_XSD = Path("/usr/share/doc/mediawiki/docs/export-0.11.xsd.gz")
_XML_NS_XSD = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="lang" type="xs:language"/>
  <xs:attribute name="space"><xs:simpleType><xs:restriction base="xs:NCName">
    <xs:enumeration value="default"/><xs:enumeration value="preserve"/></xs:restriction></xs:simpleType></xs:attribute>
</xs:schema>
"""
_VALIDATE_PHP = """<?php
libxml_use_internal_errors(true);
$doc = new DOMDocument();
$doc->load($argv[1]);
$ok = $doc->schemaValidate($argv[2]);
foreach (libxml_get_errors() as $e) { echo trim($e->message), " (line ", $e->line, ")\\n"; }
exit($ok ? 0 : 1);
"""


@pytest.mark.devwiki
def test_xml_is_valid_against_the_export_schema(tmp_path):
    import gzip

    if not shutil.which("php"):
        pytest.skip("php is not installed")
    if not EXPORT_XSD.is_file():
        pytest.skip(f"{EXPORT_XSD} (Debian's mediawiki package docs) is missing")
    # The schema imports xml.xsd from w3.org; a local stand-in keeps the check offline.
    schema = gzip.decompress(EXPORT_XSD.read_bytes()).decode("utf-8").replace(
        'schemaLocation="http://www.w3.org/2001/xml.xsd"', 'schemaLocation="xml.xsd"')
    (tmp_path / "export-0.11.xsd").write_text(schema, encoding="utf-8")
    (tmp_path / "xml.xsd").write_text(_XML_NS_XSD, encoding="utf-8")
    (tmp_path / "validate.php").write_text(_VALIDATE_PHP, encoding="utf-8")
    candidates = {
        "demo.xml": COMMITTED_XML.read_text(encoding="utf-8"),
        "large.xml": export_xml(large_tree_pages(400, seed=2) + [large_talk_page(30, title="Talk:Elsewhere")]),
        "broken.xml": COMMITTED_XML.read_text(encoding="utf-8").replace("<origin>1</origin>", "", 1),
    }
    for name, xml in candidates.items():
        (tmp_path / name).write_text(xml, encoding="utf-8")
        result = subprocess.run(["php", str(tmp_path / "validate.php"), str(tmp_path / name),
                                 str(tmp_path / "export-0.11.xsd")], capture_output=True, text=True, timeout=120)
        if name == "broken.xml":
            assert result.returncode == 1 and "origin" in result.stdout  # the check can fail
        else:
            assert result.returncode == 0, result.stdout
