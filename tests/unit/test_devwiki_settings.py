"""The dev wiki's choice of Translate: the folder it checks and the LocalSettings lines it writes."""

from __future__ import annotations

import pytest

from advocacy_bot.devwiki.manager import DevWikiError, check_translate_dir, translate_settings


def _checkout(folder, *names):
    for name in names:
        (folder / name).mkdir(parents=True)
        (folder / name / "extension.json").write_text("{}")


def test_translate_dir_must_hold_both_checkouts(tmp_path):
    with pytest.raises(DevWikiError, match="has no UniversalLanguageSelector/extension.json and no Translate/extension.json"):
        check_translate_dir(tmp_path)
    _checkout(tmp_path, "Translate")
    with pytest.raises(DevWikiError) as refused:
        check_translate_dir(tmp_path)
    assert "has no UniversalLanguageSelector/extension.json:" in str(refused.value)
    _checkout(tmp_path, "UniversalLanguageSelector")
    assert check_translate_dir(tmp_path / "Translate" / "..") == tmp_path.resolve()


def test_settings_load_both_extensions_as_meta_wiki_has_them(tmp_path):
    lines = translate_settings(tmp_path, tmp_path / "cache", documentation_language=True)
    assert f'wfLoadExtension( \'Translate\', "{tmp_path}/Translate/extension.json" );' in lines
    assert f'wfLoadExtension( \'UniversalLanguageSelector\', "{tmp_path}/UniversalLanguageSelector/extension.json" );' in lines
    assert "$wgEnablePageTranslation = true;" in lines and "$wgPageLanguageUseDB = true;" in lines
    assert "$wgTranslateDocumentationLanguageCode = 'qqq';" in lines
    assert "$wgGroupPermissions['bot']['translate'] = true;" in lines
    assert (tmp_path / "cache").is_dir()  # Translate's message index lives there
    without = translate_settings(tmp_path, tmp_path / "cache", documentation_language=False)
    assert "$wgTranslateDocumentationLanguageCode = false;" in without
