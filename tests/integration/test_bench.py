"""The sync benchmark's machinery on a small tree: both peers run on identical copies, make the same
edits and leave the same pages (the benchmark's numbers are in bench/RESULTS.md, never asserted on
time; this test keeps ``python -m bench`` working as the code under it changes)."""

from __future__ import annotations

import pytest

from bench import sync

from ..conftest import require_mediawiki

pytestmark = pytest.mark.devwiki


def test_run_all_and_both_pywikibot_peers_agree_on_a_small_tree():
    require_mediawiki()  # the benchmark starts its own dev wiki
    row = sync.measure(60, log=lambda line: None)  # the smallest tree with every kind of page
    assert row["same_pages"], row["differing"]
    assert row["ours"]["exit_code"] == 0 and not row["ours"]["errors"] and not row["naive"]["errors"]
    assert not row["preload"]["errors"]
    assert row["ours"]["edits"] == row["naive"]["edits"] == row["preload"]["edits"] > 0
    assert row["again"]["edits"] == row["preload_again"]["edits"] == 0
    assert row["ours"]["api_requests"] < row["naive"]["api_requests"]
    # issue 20: at rest, a run reads nothing; a human's change is found and fixed; the watch fixes edits
    inc = row["incremental"]
    assert inc["rest"]["full"] is False and inc["rest"]["edits"] == 0 and inc["rest"]["api_requests"] <= 3
    assert inc["full"]["full"] is True and inc["full"]["edits"] == 0
    assert inc["one_percent"]["full"] is True and inc["fixed"] == inc["changed"] >= 1
    assert inc["after"]["full"] is False and inc["after"]["edits"] == 0
    assert len(inc["watch"]["delays"]) == 3 and inc["watch"]["exit_code"] == 0


def test_the_core_part_plans_a_tree_in_memory(tmp_path):
    """``python -m bench``'s third part: run-all's steps on a tree in memory (bench/core.py)."""
    from bench import core

    settings = tmp_path / "settings.yaml"
    settings.write_text(sync.SETTINGS)
    planned = core.plan_tree(60, settings)
    assert planned["pages"] >= 60 and planned["changes"] > 0
