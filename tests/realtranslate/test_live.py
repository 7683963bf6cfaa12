"""The real Translate extension, live: each stage of ``cases.py`` on a dev wiki that loads it.

Runs where $ADVOCACY_TRANSLATE_DIR names checkouts of Translate and UniversalLanguageSelector (REL1_39)
and skips elsewhere. With ADVOCACY_RECORD_REAL_TRANSLATE=1 it also writes what CI replays: the pages and
rendered HTML of every stage (``tests/recorded/real-translate/``) and the API answers of the bot's client
(``tests/cassettes/real-translate/``)::

    ADVOCACY_TRANSLATE_DIR=~/translate-rel1_39 ADVOCACY_RECORD_REAL_TRANSLATE=1 \\
        .venv/bin/python -m pytest tests/realtranslate
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import replace

import pytest

from advocacy_bot.devwiki.translate_admin import TranslationAdmin
from advocacy_bot.tasks.nav import template_items

from .. import recording
from . import cases

RECORD = os.environ.get("ADVOCACY_RECORD_REAL_TRANSLATE") == "1"
pytestmark = pytest.mark.devwiki

TEMPLATE, ROOT = cases.TEMPLATE, cases.ROOT


def _observe(wiki, case: str, title: str, **facts) -> cases.Recorded:
    cassette = (recording.cassette(cases.CASSETTES / f"{case}.yaml", record=True) if RECORD
                else contextlib.nullcontext())
    with cassette:
        client = recording.anonymous_client(wiki.info().api_url, f"advocacyreal{cases.CASES.index(case)}")
        try:
            recorded = cases.observe(client, case, title, cases.STAGE_PAGES[case])
        finally:
            client.close()
    recorded = replace(recorded, facts={**recorded.facts, **facts})
    if RECORD:
        cases.save(recorded)
    return recorded


@pytest.fixture(scope="module")
def stages(real_translate_wiki):
    """Every stage in order, each observed right after the step that makes it."""
    wiki = real_translate_wiki
    for title, text in cases.START_PAGES.items():
        wiki.edit_as("Admin", title, text, "start")  # saved, so Translate tags them ready for marking
    admin = TranslationAdmin(wiki)
    seen = {"unmarked": _observe(wiki, "unmarked", ROOT)}

    admin.mark(cases.TEMPLATE_PLAIN, transclusion=False)
    wiki.run_jobs()
    seen["marked-without-transclusion"] = _observe(wiki, "marked-without-transclusion", cases.ABOUT)

    admin.mark(TEMPLATE, transclusion=True)
    wiki.run_jobs()
    # Marking invalidates no page that transcludes the template: until purged, ROOT shows what it showed.
    stale = cases.observe_live(wiki.info().api_url, ROOT)
    admin.purge(ROOT)
    seen["marked-with-transclusion"] = _observe(wiki, "marked-with-transclusion", ROOT,
                                                markup_before_purge=list(stale.markup))

    marked = seen["marked-with-transclusion"].pages[TEMPLATE]
    wiki.edit_as("Admin", TEMPLATE, cases.header_template("About us", existing=marked), "rename a tab")
    wiki.run_jobs()
    seen["changed-not-remarked"] = _observe(wiki, "changed-not-remarked", ROOT)

    admin.mark(ROOT)
    home = next(item.unit_id for item in template_items(marked)[0] if item.key == "home")
    admin.translate(TEMPLATE, home, "ja", cases.JA_HOME)
    admin.translate(ROOT, "1", "ja", cases.JA_WELCOME)
    wiki.run_jobs()
    # FuzzyBot may render ROOT/ja before the template's /ja page exists (jobs run in any order, on
    # Meta-Wiki too; seen once here): a purge makes the stage the same every time.
    admin.purge(f"{ROOT}/ja")
    seen["translation-page"] = _observe(wiki, "translation-page", f"{ROOT}/ja")

    wiki.up(documentation_language=False)  # Translate's default: no message documentation
    try:
        seen["no-documentation-language"] = _observe(wiki, "no-documentation-language", ROOT)
    finally:
        wiki.up(documentation_language=True)
    return seen


@pytest.mark.parametrize("case", cases.CASES)
def test_real_translate_stage(stages, case):
    cases.check(stages[case])


def test_recordings_match_the_live_wiki(stages):
    """What is committed tells the same story as the wiki tells today (reader's text, markup, lists)."""
    if RECORD:
        pytest.skip("recording now: the files were just written from this wiki")
    for case in cases.RENDERED_CASES:
        live, stored = stages[case], cases.load(case)
        assert live.view == stored.view, case
        assert live.translatable == stored.translatable, case


def test_nav_check_calls_a_template_marked_without_transclusion_drift(stages, real_translate_wiki, tmp_path):
    """Issue 13 item 3, live: the header marked without translation-aware transclusion shows its tags
    to readers for good; ``nav check`` says so (exit 1) and where to mark it again."""
    import yaml

    from ..integration.helpers import dev_cli

    plain = cases.settings(template=cases.TEMPLATE_PLAIN)
    config = tmp_path / "plain-header.yaml"
    config.write_text(yaml.safe_dump({"root": ROOT, "nav": {"template": cases.TEMPLATE_PLAIN, "tabs": [
        {"key": tab.key, "label": tab.label, "target": tab.target} for tab in plain.nav.tabs]}}))
    info = real_translate_wiki.info()
    checked = dev_cli(real_translate_wiki, "--config", str(config), "nav", "check")
    assert checked.returncode == 1, checked.stderr
    [line] = [line for line in checked.stdout.splitlines() if line.startswith(cases.TEMPLATE_PLAIN + "\t")]
    assert "readers would see Translate markup (<translate> </translate>)" in line
    assert "must be marked for translation with translation-aware transclusion, at " in line
    assert info.api_url.rsplit("/", 1)[0] + "/index.php?title=Special%3APageTranslation" in line
