"""One mapping from a refused write to the report's outcome (issue 18: it was written for edits in the
wiki layer and again for marking in the translate command), and one dispatch of skip or failure."""

from __future__ import annotations

import pytest

from advocacy_bot.outcomes import ERROR_CODES, SKIP_CODES
from advocacy_bot.report import RunReport
from advocacy_bot.wiki.apply import refusal_outcome
from advocacy_bot.wiki.client import ApiError


@pytest.mark.parametrize("api_code, outcome", [
    ("editconflict", "edit-conflict"), ("articleexists", "edit-conflict"), ("pagedeleted", "edit-conflict"),
    ("protectedpage", "protected"), ("cascadeprotected", "protected"), ("protectedtitle", "protected"),
    ("missingtitle", "missing"),
    ("tpt-unit-title-invalid", "invalid-markup"), ("pt-parse-nested", "invalid-markup"),
    ("ratelimited", "api-error"), ("readonly", "api-error"),
])
def test_every_refusal_has_one_documented_outcome(api_code, outcome):
    code, message = refusal_outcome(ApiError(api_code, "the wiki's words"))
    assert code == outcome and (code in SKIP_CODES or code in ERROR_CODES)
    assert api_code in message or code == "missing"


def test_record_skips_or_fails_by_the_code():
    report = RunReport(task="test", site="dev", dry_run=False)
    report.record("A", "missing", "deleted")
    report.record("B", "protected", "edit=sysop")
    assert [(o.title, o.code) for o in report.skipped] == [("A", "missing")]
    assert [(o.title, o.code) for o in report.errors] == [("B", "protected")]
    with pytest.raises(ValueError, match="undocumented error code"):
        report.record("C", "no-such-code", "?")
