"""Translate's definitions kept between runs (``wiki/definitions_cache.py``), on the real Translate: a
later run asks the ``pagetranslation`` log instead of each page's definitions, and a page marked since is
asked again (its new definitions, not the kept ones)."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from advocacy_bot.devwiki.translate_admin import TranslationAdmin
from advocacy_bot.report import RunReport
from advocacy_bot.settings import default_settings
from advocacy_bot.wiki.definitions_cache import cache_file
from advocacy_bot.wiki.session import BotRun
from advocacy_bot.wiki.site import open_site

pytestmark = pytest.mark.devwiki


def _run(wiki, root: str, state_dir) -> BotRun:
    client = open_site("dev", wiki.directory)
    return BotRun(client, replace(default_settings(), root=root), RunReport("test", "dev", False),
                  out=lambda text: None, state_dir=state_dir)


def test_definitions_are_asked_again_only_for_a_page_marked_since(real_translate_wiki, tmp_path, monkeypatch):
    wiki = real_translate_wiki
    root = f"Kept {uuid.uuid4().hex[:6]}"
    other = f"{root}/Other"
    wiki.edit_as("Admin", root, "<translate>\nFirst words.\n</translate>", "start")
    wiki.edit_as("Admin", other, "<translate>\nOther words.\n</translate>", "start")
    admin = TranslationAdmin(wiki)
    admin.mark(root, transclusion=False)
    admin.mark(other, transclusion=False)
    wiki.run_jobs()

    sent: list[dict] = []
    original = BotRun.translate_collection

    def counted(self, title, language, expected_warnings=()):
        sent.append({"list": "messagecollection", "title": title})
        return original(self, title, language, expected_warnings)

    monkeypatch.setattr(BotRun, "translate_collection", counted)

    def definitions_of(run, title):
        return {entry["key"].rsplit("/", 1)[1]: entry["definition"] for entry in run.translate_definitions(title)
                if entry["key"].rsplit("/", 1)[1].isdigit()}

    first = _run(wiki, root, tmp_path)
    first.start()
    assert definitions_of(first, root) == {"1": "First words."} and definitions_of(first, other) == {"1": "Other words."}
    first.finish(0)
    first.client.close()
    assert [entry["title"] for entry in sent] == [root, other] and cache_file(tmp_path, "dev").exists()

    sent.clear()
    second = _run(wiki, root, tmp_path)
    second.start()
    before = second.client.requests_made
    assert definitions_of(second, root) == {"1": "First words."} and definitions_of(second, other) == {"1": "Other words."}
    assert sent == [] and second.client.requests_made == before + 1  # the log, asked once for both pages
    second.finish(0)
    second.client.close()

    # A translation administrator changes and marks the root again: the next run asks for its definitions.
    wiki.edit_as("Admin", root, "<translate>\n<!--T:1-->\nFirst words, changed.\n</translate>", "change")
    admin.mark(root, transclusion=False)
    wiki.run_jobs()
    third = _run(wiki, root, tmp_path)
    third.start()
    assert definitions_of(third, root) == {"1": "First words, changed."}
    assert definitions_of(third, other) == {"1": "Other words."}
    assert [entry["title"] for entry in sent] == [root]
    third.finish(0)
    third.client.close()
