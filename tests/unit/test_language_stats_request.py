"""``meta=languagestats`` and its continuation: Translate answers from its cache and continues where a
group is not counted yet. The requests are made through a stand-in client that answers as Translate's
``QueryStatsActionApi`` does (``continue: {offset: <group>}``); no network."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from advocacy_bot.wiki import session
from advocacy_bot.wiki.client import ApiError
from advocacy_bot.wiki.session import BotRun


class CountingTranslate:
    """Answers ``meta=languagestats``: ``ready`` groups counted; the rest after ``counted_after`` requests."""

    def __init__(self, groups: list[str], ready: int, counted_after: int | None):
        self.groups, self.ready, self.counted_after = groups, ready, counted_after
        self.asked: list[dict] = []

    def query(self, **params):
        self.asked.append(params)
        if self.counted_after is not None and len(self.asked) > self.counted_after:
            self.ready = len(self.groups)
        start = self.groups.index(params["offset"]) if "offset" in params else 0
        answer: dict = {"query": {"languagestats": [{"group": group, "total": 1, "translated": 0, "fuzzy": 0}
                                                    for group in self.groups[start:self.ready]]}}
        if self.ready < len(self.groups):
            answer["continue"] = {"offset": self.groups[max(self.ready, start)], "continue": "-||"}
        return answer


def stats_of(translate: CountingTranslate) -> list[dict]:
    return BotRun.translate_language_stats(SimpleNamespace(client=translate), "ja")


@pytest.fixture
def pauses(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(session.time, "sleep", slept.append)
    return slept


def test_a_counted_language_is_one_request(pauses):
    translate = CountingTranslate(["page-A", "page-B"], ready=2, counted_after=None)
    assert [entry["group"] for entry in stats_of(translate)] == ["page-A", "page-B"]
    assert translate.asked == [{"meta": "languagestats", "lslanguage": "ja"}] and pauses == []


def test_the_answer_continues_where_translate_was_still_counting(pauses):
    translate = CountingTranslate(["page-A", "page-B", "page-C"], ready=1, counted_after=2)
    assert [entry["group"] for entry in stats_of(translate)] == ["page-A", "page-B", "page-C"]
    assert [asked.get("offset") for asked in translate.asked] == [None, "page-B", "page-B"]
    assert pauses == [session.STATS_PAUSE]  # one wait, after an answer that brought nothing new


def test_a_language_never_counted_ends_with_an_error_not_a_loop(pauses):
    translate = CountingTranslate(["page-A", "page-B"], ready=1, counted_after=None)
    with pytest.raises(ApiError) as raised:
        stats_of(translate)
    assert raised.value.code == "translate-stats-incomplete"
    assert len(translate.asked) == session.STATS_RETRIES + 2  # the first answer, then the retries
    assert pauses == [session.STATS_PAUSE * n for n in range(1, session.STATS_RETRIES + 1)]
