"""What the bot keeps of Translate between runs (``wiki/definitions_cache.py``), on the real Translate:
definitions asked again only for a page marked since (Translate's ``pagetranslation`` log says which),
and a language's unit states asked again only when its translation page has a new revision."""

from __future__ import annotations

import contextlib
import time
import uuid
from dataclasses import replace

import pytest

from advocacy_bot.devwiki.translate_admin import TranslationAdmin
from advocacy_bot.report import RunReport
from advocacy_bot.settings import default_settings
from advocacy_bot.tasks.translate_status import unit_lag
from advocacy_bot.wiki.definitions_cache import cache_file
from advocacy_bot.wiki.session import BotRun
from advocacy_bot.wiki.site import open_site

pytestmark = pytest.mark.devwiki


@pytest.fixture(scope="module")
def translate_wiki(tmp_path_factory):
    """A wiki of its own running the real Translate: the pages marked here stay out of the other tests'
    lists of translatable pages (the session's wiki, ``real_translate_wiki``, is compared with recordings)."""
    from advocacy_bot.devwiki.manager import DevWiki

    from ..conftest import free_port, require_real_translate

    folder = require_real_translate()
    wiki = DevWiki(tmp_path_factory.mktemp("kept-definitions-wiki"), log=lambda message: None)
    wiki.up(port=free_port(), translate_dir=folder)
    yield wiki
    wiki.down()


@contextlib.contextmanager
def one_run(wiki, root: str, state_dir):
    """A started run on ``root`` that keeps its state in ``state_dir``; finished (and so kept) at the end."""
    client = open_site("dev", wiki.directory)
    run = BotRun(client, replace(default_settings(), root=root), RunReport("test", "dev", False),
                 out=lambda text: None, state_dir=state_dir)
    run.start()
    try:
        yield run
    finally:
        run.finish(0)
        client.close()


@pytest.fixture
def collections_asked(monkeypatch) -> list[tuple[str, str]]:
    """(title, language) of every ``list=messagecollection`` the runs ask."""
    asked: list[tuple[str, str]] = []
    original = BotRun.translate_collection

    def counted(self, title, language, expected_warnings=()):
        asked.append((title, language))
        return original(self, title, language, expected_warnings)

    monkeypatch.setattr(BotRun, "translate_collection", counted)
    return asked


def marked_page(wiki, label: str, text: str) -> tuple[str, TranslationAdmin]:
    root = f"{label} {uuid.uuid4().hex[:6]}"
    wiki.edit_as("Admin", root, text, "start")
    admin = TranslationAdmin(wiki)
    admin.mark(root, transclusion=False)
    wiki.run_jobs()
    return root, admin


def remark(wiki, admin: TranslationAdmin, title: str, text: str) -> None:
    wiki.edit_as("Admin", title, text, "change")
    admin.mark(title, transclusion=False)
    wiki.run_jobs()


def definitions_of(run, title: str) -> dict[str, str]:
    return {entry["key"].rsplit("/", 1)[1]: entry["definition"] for entry in run.translate_definitions(title)
            if entry["key"].rsplit("/", 1)[1].isdigit()}


def test_definitions_are_asked_again_only_for_a_page_marked_since(translate_wiki, tmp_path, collections_asked):
    wiki = translate_wiki
    root, admin = marked_page(wiki, "Kept", "<translate>\nFirst words.\n</translate>")
    other = f"{root}/Other"
    wiki.edit_as("Admin", other, "<translate>\nOther words.\n</translate>", "start")
    admin.mark(other, transclusion=False)
    wiki.run_jobs()
    both = {root: {"1": "First words."}, other: {"1": "Other words."}}
    # Log times are whole seconds and a run asks the log from its own start on, that second included: a
    # marking in the first run's first second is (rightly) asked again by the second run. Not here.
    time.sleep(1.1)

    with one_run(wiki, root, tmp_path) as first:
        assert {title: definitions_of(first, title) for title in both} == both
    assert [title for title, _ in collections_asked] == [root, other] and cache_file(tmp_path, "dev").exists()

    with one_run(wiki, root, tmp_path) as second:
        before = second.client.requests_made
        assert {title: definitions_of(second, title) for title in both} == both
        assert second.client.requests_made == before + 1  # Translate's log, asked once for both pages
    assert len(collections_asked) == 2

    # A translation administrator changes and marks the root again: the next run asks for its definitions.
    remark(wiki, admin, root, "<translate>\n<!--T:1-->\nFirst words, changed.\n</translate>")
    with one_run(wiki, root, tmp_path) as third:
        assert definitions_of(third, root) == {"1": "First words, changed."}
        assert definitions_of(third, other) == {"1": "Other words."}
    assert [title for title, _ in collections_asked[2:]] == [root]


def test_unit_states_are_asked_again_once_the_translation_page_changes(translate_wiki, tmp_path, collections_asked):
    """The status page's per-language unit states (which labels are behind) are kept with the revision of
    the language's translation page: Translate renders that page again when a unit is translated or
    marked outdated, so a new revision means asking again, and the same one means the same states."""
    wiki = translate_wiki
    root, admin = marked_page(wiki, "States", "<translate>\nOne.\n\nTwo.\n</translate>")
    admin.translate(root, "1", "ja", "一")
    wiki.run_jobs()

    def lag(run) -> tuple[int, int]:
        revision = run.read([f"{root}/ja"])[f"{root}/ja"].revid
        return unit_lag(run.translate_unit_states(root, "ja", revision), root, ["1", "2"])

    with one_run(wiki, root, tmp_path) as run:
        assert lag(run) == (1, 0)  # unit 2 untranslated
    with one_run(wiki, root, tmp_path) as run:
        assert lag(run) == (1, 0)  # kept: the translation page is as it was
    assert collections_asked == [(root, "ja")]

    # A translator translates unit 2 (no marking, nothing in Translate's log): the page is rendered again.
    admin.translate(root, "2", "ja", "二")
    wiki.run_jobs()
    with one_run(wiki, root, tmp_path) as run:
        assert lag(run) == (0, 0)
    assert collections_asked == [(root, "ja")] * 2

    # The source of unit 1 changes and the page is marked again: its Japanese translation is outdated.
    remark(wiki, admin, root, "<translate>\n<!--T:1-->\nOne, changed.\n\n<!--T:2-->\nTwo.\n</translate>")
    with one_run(wiki, root, tmp_path) as run:
        assert lag(run) == (0, 1)
    assert collections_asked == [(root, "ja")] * 3


def test_whether_the_api_can_mark_is_asked_once_while_translates_version_is_the_same(translate_wiki, tmp_path):
    """A page waiting for a translation administrator makes every run ask whether the wiki's API has
    ``markfortranslation``: kept with Translate's version (siteinfo), it is asked once, not every run."""
    wiki = translate_wiki
    root, _ = marked_page(wiki, "Module", "<translate>\nWords.\n</translate>")
    answers = []
    for _ in range(2):
        with one_run(wiki, root, tmp_path) as run:
            before = run.client.requests_made
            answers.append((run.api_module_exists("markfortranslation"), run.client.requests_made - before))
    asked, _ = answers[0]
    assert run.site_facts.translate_version  # the real Translate gives its version
    assert answers == [(asked, 1), (asked, 0)]  # REL1_39 has no such module; a later Translate does
