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


def test_bin_demo_on_the_real_translate_shows_the_status_page_and_updated_translation_pages(tmp_path):
    """Issue 16: with the shim the demo showed four of its five tasks; `bin/demo --translate-dir DIR` acts as
    the translation administrator, so the status page is written and /da shows the bot's header."""
    import os
    import subprocess

    from ..conftest import REPO

    folder = require_real_translate()
    wiki = DevWiki(tmp_path / ".devwiki", log=lambda message: None)
    env = dict(os.environ, ADVOCACY_DEVWIKI_DIR=str(wiki.directory))
    env.pop("PYWIKIBOT_DIR", None)
    try:
        result = subprocess.run(["bash", str(REPO / "bin" / "demo"), "--port", str(free_port()), "--translate-dir",
                                 str(folder)], capture_output=True, text=True, env=env, timeout=900)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "as the translation administrator: marking" in result.stdout
        status = _api(wiki, action="parse", page="User:AdvocacyBot/Translation status", prop="text")
        assert "Progress by language" in status["parse"]["text"]
        da = _api(wiki, action="parse", page="Global Advocacy/da", prop="text")["parse"]["text"]
        assert 'class="advocacy-nav"' in da and "&lt;translate" not in da  # the bot's header, rendered
        assert "data-staff=" in da  # the roster's team list, not the hand-made one
    finally:
        wiki.down()
