"""The real Translate's stages (``tests/realtranslate/cases.py``), replayed in CI from what was recorded.

Each cassette holds the API answers that the bot's own client got from a wiki running the real
Translate extension (MediaWiki 1.39, Translate and ULS REL1_39) at one stage; replaying makes the
same calls and must tell the same story as the recorded pages and HTML, and as the stage's checks.
Re-record with the live test (``tests/realtranslate/test_live.py``, needs ADVOCACY_TRANSLATE_DIR).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from .. import recording
from ..realtranslate import cases, flow

# Any URL: the cassettes match on the API parameters, not on the recording wiki's port.
API_URL = "http://127.0.0.1:8089/api.php"


@pytest.mark.parametrize("case", cases.CASES)
def test_replayed_stage_tells_what_was_recorded(case):
    stored = cases.load(case)
    with recording.cassette(cases.CASSETTES / f"{case}.yaml", record=False):
        client = recording.anonymous_client(API_URL, f"advocacyreal{cases.CASES.index(case)}")
        try:
            replayed = cases.observe(client, case, stored.title, cases.STAGE_PAGES[case])
        finally:
            client.close()
    assert replayed.pages == stored.pages
    assert replayed.translatable == stored.translatable
    assert replayed.view == stored.view
    # The live test adds what it saw between the bot's reads (e.g. the render before a purge).
    cases.check(replace(replayed, facts={**stored.facts, **replayed.facts}))


def test_every_stage_is_recorded():
    for case in cases.CASES:
        assert (cases.RECORDED / f"{case}.json").is_file(), case
        assert (cases.CASSETTES / f"{case}.yaml").is_file(), case
        assert ((cases.RECORDED / f"{case}.html").is_file()) == (case in cases.RENDERED_CASES), case


# -- the demo flow (tests/realtranslate/test_demo_flow.py), judged again on what it recorded ----------

@pytest.mark.parametrize("check", flow.CHECKS, ids=lambda check: check.__name__)
def test_recorded_demo_flow(check):
    check(flow.load())
