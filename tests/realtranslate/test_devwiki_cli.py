"""`devwiki up --translate-dir DIR --snapshot demo`, `mark`, `translate`, `jobs`: the dev-wiki tools as a
user runs them, on a wiki of their own (skipped without $ADVOCACY_TRANSLATE_DIR)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from advocacy_bot.devwiki.manager import DevWiki

from ..conftest import free_port, require_real_translate
from ..integration.test_cli import cli

pytestmark = pytest.mark.devwiki


def _api(wiki: DevWiki, **params) -> dict:
    query = urllib.parse.urlencode({**params, "format": "json", "formatversion": 2})
    with urllib.request.urlopen(f"{wiki.info().api_url}?{query}", timeout=60) as answer:
        return json.load(answer)


def _extensions(wiki: DevWiki) -> set[str]:
    return {ext["name"] for ext in _api(wiki, action="query", meta="siteinfo", siprop="extensions")
            ["query"]["extensions"]}


def test_translation_administrator_tools_on_the_demo_tree(tmp_path):
    folder = require_real_translate()
    wiki = DevWiki(tmp_path / "wiki", log=lambda message: None)

    def run(*args):
        result = cli("devwiki", *args, devwiki=wiki)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    try:
        assert run("up", "--port", str(free_port()), "--translate-dir", str(folder), "--snapshot", "demo") \
            == wiki.info().api_url
        assert {"Translate", "UniversalLanguageSelector"} <= _extensions(wiki)
        assert run("mark", "Global Advocacy").startswith("marked Global Advocacy: ")
        assert run("translate", "Global Advocacy", "1", "ja", "グローバル・アドボカシーへようこそ") \
            .startswith("saved Translations:Global Advocacy/1/ja (revision ")
        assert int(run("jobs").split()[0]) > 0
        html = _api(wiki, action="parse", page="Global Advocacy/ja", prop="text")["parse"]["text"]
        assert "グローバル・アドボカシーへようこそ" in html and "&lt;translate" not in html
        run("down")
        run("up")  # the choice is remembered
        assert "Translate" in _extensions(wiki)
        run("up", "--shim")
        assert "Translate" not in _extensions(wiki) and wiki.translate_dir is None
    finally:
        wiki.down()
