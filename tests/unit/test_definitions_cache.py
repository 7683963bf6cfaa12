"""wiki/definitions_cache.py: the file of Translate's definitions kept between runs (no network; the
live behaviour on the real Translate is tests/realtranslate/test_kept_definitions.py)."""

from __future__ import annotations

import json

from advocacy_bot.wiki.definitions_cache import DefinitionsCache, cache_file

COLLECTION = [{"key": "Global_Advocacy/1", "definition": "Welcome.", "translation": None, "tags": []},
              {"key": "Global_Advocacy/2", "definition": None}]


def test_kept_definitions_come_back_for_the_same_wiki_only(tmp_path):
    path = cache_file(tmp_path, "meta")
    kept = DefinitionsCache("metawiki")
    kept.keep("Global Advocacy", COLLECTION)
    kept.save(path, "2026-12-05T17:00:00Z")
    again = DefinitionsCache.load(path, "metawiki")
    assert again.as_of == "2026-12-05T17:00:00Z"
    assert again.pages == {"Global Advocacy": [{"key": "Global_Advocacy/1", "definition": "Welcome."},
                                               {"key": "Global_Advocacy/2", "definition": ""}]}
    assert DefinitionsCache.load(path, "otherwiki").pages == {}  # another wiki's (a dev wiki made again)
    assert DefinitionsCache.load(path, "").pages == {}
    assert DefinitionsCache.load(tmp_path / "absent.json", "metawiki").pages == {}
    assert not path.with_name(path.name + ".new").exists()


def test_an_unreadable_file_is_as_if_empty(tmp_path):
    path = cache_file(tmp_path, "meta")
    for text in ("{not json", '{"version": 1, "wiki": "metawiki", "as of": "x", "pages": {"P": [{"key": 1}]}}',
                 '{"version": 99, "wiki": "metawiki", "as of": "x", "pages": {}}', "[]"):
        path.write_text(text)
        assert DefinitionsCache.load(path, "metawiki").pages == {}, text


def test_pages_named_by_the_log_are_forgotten_and_a_hidden_title_forgets_all():
    kept = DefinitionsCache("w", "2026-12-05T17:00:00Z", {"A": [], "B": [], "C": []})
    kept.forget_marked([{"title": "A", "action": "mark"}, {"title": "Elsewhere", "action": "mark"}])
    assert sorted(kept.pages) == ["B", "C"]
    kept.forget_marked([{"actionhidden": True}])  # a suppressed entry: which page, unknown
    assert kept.pages == {}


def test_unit_states_are_kept_with_the_translation_pages_revision(tmp_path):
    from advocacy_bot.tasks.translate_status import unit_lag

    collection = [{"key": "P/1", "translation": "eins", "tags": [], "properties": {"status": "translated"},
                   "definition": "one"},
                  {"key": "P/2", "translation": "!!FUZZY!!zwei", "tags": ["fuzzy"], "properties": {"status": "fuzzy"}},
                  {"key": "P/3", "translation": None, "tags": [], "properties": {}}]
    path = cache_file(tmp_path, "dev")
    kept = DefinitionsCache("devwiki")
    kept.keep_unit_states("P", "de", 41, collection)
    kept.keep_unit_states("P", "ja", 0, collection)  # no translation page: nothing to tell a change by
    kept.save(path, "2026-12-05T17:00:00Z")
    again = DefinitionsCache.load(path, "devwiki")
    states = again.unit_states("P", "de", 41)
    assert unit_lag(states, "P", ["1", "2", "3"]) == unit_lag(collection, "P", ["1", "2", "3"]) == (1, 1)
    assert "eins" not in path.read_text()  # the states, not the texts
    assert again.unit_states("P", "de", 42) is None and again.unit_states("P", "ja", 0) is None
    again.forget_marked([{"title": "P"}])  # marked again: its states go with its definitions
    assert again.unit_states("P", "de", 41) is None


def test_an_api_modules_presence_is_kept_while_translates_version_is_the_same(tmp_path):
    path = cache_file(tmp_path, "dev")
    kept = DefinitionsCache("devwiki")
    kept.keep_module("2022-11-28 abc123", "markfortranslation", False)
    kept.save(path, "2026-12-01T00:00:00Z")
    again = DefinitionsCache.load(path, "devwiki")
    assert again.translate == "2022-11-28 abc123" and again.modules == {"markfortranslation": False}
    again.keep_module("2024-01-01 def456", "markfortranslation", True)  # Translate upgraded: asked anew
    assert again.modules == {"markfortranslation": True} and again.translate == "2024-01-01 def456"


def test_a_file_from_before_modules_were_kept_is_read_without_them(tmp_path):
    path = cache_file(tmp_path, "dev")
    DefinitionsCache("devwiki", pages={"P": [{"key": "P/1", "definition": "x"}]}).save(path, "2026-12-01T00:00:00Z")
    data = json.loads(path.read_text())
    del data["modules"], data["translate"]
    path.write_text(json.dumps(data))
    kept = DefinitionsCache.load(path, "devwiki")
    assert kept.pages == {"P": [{"key": "P/1", "definition": "x"}]} and kept.modules == {} and kept.translate == ""
