"""The shared folder's data (Translate's parser test files, the original recordings): a test that needs
it skips on a machine without it, and fails in CI, which lays it beside the clone."""

from __future__ import annotations

import pytest

import tests.conftest as conftest


def test_present_data_is_returned(monkeypatch, tmp_path):
    (tmp_path / "conformance" / "translate").mkdir(parents=True)
    monkeypatch.setattr(conftest, "SHARED", tmp_path)
    assert conftest.require_shared("conformance", "translate") == tmp_path / "conformance" / "translate"


def test_missing_data_skips_outside_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "SHARED", tmp_path)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="conformance/translate is missing"):
        conftest.require_shared("conformance", "translate")


def test_missing_data_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "SHARED", tmp_path)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI lays the shared folder"):
        conftest.require_shared("conformance", "translate")
