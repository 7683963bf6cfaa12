"""The status part of ``python -m bench`` on the real Translate (``bench/status.py``): the machinery keeps
working and both ways to get the numbers agree (the benchmark's own numbers are in bench/RESULTS.md)."""

from __future__ import annotations

import pytest

from bench import status

from ..conftest import require_real_translate

pytestmark = pytest.mark.devwiki


def test_statistics_by_language_agree_with_statistics_by_page(tmp_path):
    folder = require_real_translate()
    result = status.measure(folder, tmp_path, log=lambda line: None)
    assert result["same_numbers"]
    assert result["pages"] >= 9 and result["translations"] == result["pages"] * len(status.LANGUAGES)
    assert result["ours"]["edits"] == 1 and not result["ours"]["errors"]  # the status page, written once
    assert result["again"]["edits"] == 0 and result["run_all"]["edits"] == 0
    assert result["by_language"]["api_requests"] == len(status.LANGUAGES) < result["per_page"]["api_requests"]
