"""wiki/reader.py's batching, against a small in-memory stand-in for the API's query module (the
live behaviour is tested on the dev wiki in tests/integration/test_wiki_layer.py)."""

from __future__ import annotations

import math

import pytest

from advocacy_bot.wiki.reader import PageReader

SHUTOFF = "User:Bot/Shutoff"


class FakeQueryApi:
    """Answers ``titles=`` with the pages' content and ``list=allpages`` by prefix, like MediaWiki
    (formatversion 2, no continuation); records every request."""

    def __init__(self, texts: dict[str, str], aplimit: int = 5000, log: int = 0, lelimit: int = 500):
        self.texts = texts
        self.aplimit = aplimit  # 500 for a reader that is not logged in
        self.log = [{"title": f"Root/P{i:04d}", "type": "mark"} for i in range(log)]  # list=logevents
        self.lelimit = lelimit
        self.requests: list[dict] = []

    def query(self, **params):
        self.requests.append(params)
        pages = []
        for title in params["titles"].split("|"):
            if title in self.texts:
                revision = {"revid": 1, "timestamp": "2026-01-01T00:00:00Z",
                            "slots": {"main": {"content": self.texts[title]}}}
                pages.append({"title": title, "ns": namespace(title), "revisions": [revision]})
            else:
                pages.append({"title": title, "ns": namespace(title), "missing": True})
        query = {"pages": pages}
        lists = params.get("list", "").split("|")
        more = {}
        if "logevents" in lists:
            start = int(params.get("lecontinue", 0))
            query["logevents"] = self.log[start:start + self.lelimit]
            if start + self.lelimit < len(self.log):
                more["lecontinue"] = str(start + self.lelimit)
        if "users" in lists:  # accounts: the "User:" pages of the stand-in
            query["users"] = [{"name": name} if f"User:{name}" in self.texts else {"name": name, "missing": True}
                              for name in params["ususers"].split("|")]
        if "allpages" in lists:
            wanted = params["apnamespace"]
            prefix = ("" if wanted == 0 else {1: "Talk:", 10: "Template:"}[wanted]) + params["apprefix"]
            found = [t for t in sorted(self.texts) if namespace(t) == wanted and t.startswith(prefix)
                     and t >= params.get("apcontinue", "")]
            query["allpages"] = [{"title": t} for t in found[:self.aplimit]]
            if len(found) > self.aplimit:  # as MediaWiki: the rest on request, the page set done
                more["apcontinue"] = found[self.aplimit]
        if "meta" in params:
            query["general"] = {"lang": "en"}
        answer = {"query": query, "curtimestamp": "2026-01-01T00:00:00Z"}
        return {**answer, "continue": {**more, "continue": "-||"}} if more else answer


def namespace(title: str) -> int:
    return {"Talk": 1, "Template": 10, "User": 2}.get(title.split(":", 1)[0], 0) if ":" in title else 0


def tree(main: int, talk: int, templates: int) -> dict[str, str]:
    texts = {"Root": "root", **{f"Root/P{i:04d}": f"page {i}" for i in range(main - 1)}}
    texts.update({f"Talk:Root/T{i:03d}": "talk" for i in range(talk)})
    texts.update({f"Template:Root/X{i:02d}": "box" for i in range(templates)})
    texts["Rooted elsewhere"] = "not in the tree"
    return texts


def in_tree(title: str) -> bool:
    return title.split(":", 1)[-1].split("/")[0] == "Root"


@pytest.mark.parametrize("main, talk, templates", [(1, 0, 0), (100, 15, 1), (500, 20, 3), (2000, 40, 5)])
def test_listings_ride_on_content_batches_and_every_page_is_read_once(main, talk, templates):
    texts = tree(main, talk, templates)
    api = FakeQueryApi(texts)
    reader = PageReader(api, always=[SHUTOFF])
    pages, listed, _ = reader.read_listed(["User:Bot/roster.json"], (0, 1, 10), "Root", in_tree)

    in_the_tree = sorted(t for t in texts if in_tree(t))
    assert sorted(t for titles in listed.values() for t in titles) == in_the_tree
    assert sorted(pages) == sorted(in_the_tree + ["User:Bot/roster.json"])
    assert all(pages[t].text == texts[t] for t in in_the_tree)
    assert not pages["User:Bot/roster.json"].exists
    asked = [t for request in api.requests for t in request["titles"].split("|") if t != SHUTOFF]
    assert sorted(asked) == sorted(pages)  # each page once
    assert all(request["titles"].split("|")[0] == SHUTOFF for request in api.requests)
    assert all(len(request["titles"].split("|")) <= 50 for request in api.requests)
    assert [r["apnamespace"] for r in api.requests if "list" in r] == [0, 1, 10]  # one a request, in order
    # the first request lists the main namespace and reads one title: at most one request more than
    # the batches the pages need, and never one listing request of its own beyond the three
    assert len(api.requests) <= max(3, math.ceil(len(pages) / 49)) + 1


def test_extra_parameters_ride_on_the_first_request_only_and_its_answer_is_returned():
    api = FakeQueryApi(tree(120, 2, 1))
    reader = PageReader(api, always=[SHUTOFF])
    _, _, answer = reader.read_listed(["Root"], (0, 1, 10), "Root", in_tree, {"meta": "siteinfo"})
    assert [("meta" in request) for request in api.requests] == [True] + [False] * (len(api.requests) - 1)
    assert answer.query["general"] == {"lang": "en"}


def test_without_follow_the_listing_is_returned_and_nothing_more_is_read():
    api = FakeQueryApi(tree(80, 0, 0))
    reader = PageReader(api, always=[SHUTOFF])
    pages, listed, _ = reader.read_listed(["Root"], (0,), "Root", in_tree, follow=False)
    assert len(api.requests) == 1 and list(pages) == ["Root"] and len(listed[0]) == 80
    assert reader.pages_read == 1


def test_a_plain_read_costs_one_request_per_49_titles():
    texts = tree(200, 0, 0)
    api = FakeQueryApi(texts)
    reader = PageReader(api, always=[SHUTOFF])
    pages = reader.read(sorted(texts))
    assert len(api.requests) == math.ceil(len(texts) / 49) and reader.pages_read == len(texts)
    assert all(pages[t].text == texts[t] for t in texts)


def test_a_listing_longer_than_one_answer_is_continued_and_each_page_still_read_once():
    texts = tree(1200, 3, 1)
    api = FakeQueryApi(texts, aplimit=500)
    reader = PageReader(api, always=[SHUTOFF])
    pages, listed, _ = reader.read_listed(["Root"], (0, 1, 10), "Root", in_tree)
    assert len(listed[0]) == 1200 and sorted(pages) == sorted(t for t in texts if in_tree(t))
    assert all(pages[t].text == texts[t] for t in pages)
    continued = [r for r in api.requests if "apcontinue" in r]
    assert len(continued) == 2  # 1,200 titles at 500 an answer


# -- issue 15: bounded reads, checked titles ----------------------------------------------------------

class OversizeApi(FakeQueryApi):
    """As MediaWiki answers a page whose text alone exceeds $wgAPIMaxResultSize: the page without its
    revision and the same continuation, every time."""

    def __init__(self, texts, too_large):
        super().__init__(texts)
        self.too_large = too_large

    def query(self, **params):
        answer = super().query(**{k: v for k, v in params.items() if k != "rvcontinue"})
        if self.too_large in params["titles"].split("|"):
            for page in answer["query"]["pages"]:
                if page["title"] == self.too_large:
                    page.pop("revisions", None)
            answer["continue"] = {"rvcontinue": "7|1", "continue": "||"}
            if len(self.requests) > 20:
                raise AssertionError("the reader keeps asking for a page it cannot get")
        return answer


def test_a_page_beyond_the_result_size_is_unreadable_not_read_forever():
    api = OversizeApi({"A": "a", "Huge": "x" * 10, "B": "b"}, "Huge")
    pages = PageReader(api, always=[SHUTOFF]).read(["A", "Huge", "B"])
    assert len(api.requests) == 2  # the continuation asked once, then seen again: stop
    assert pages["Huge"].unreadable == "too-large" and pages["Huge"].exists
    assert (pages["A"].text, pages["A"].unreadable, pages["B"].text) == ("a", "", "b")


def test_a_title_mediawiki_refuses_is_never_sent():
    api = FakeQueryApi({"Talk:X/A": "a"})
    pages = PageReader(api, always=[SHUTOFF]).read(["Talk:X/A", "Talk:X/B|MediaWiki:Common.js"])
    assert [request["titles"] for request in api.requests] == [f"{SHUTOFF}|Talk:X/A"]
    assert not pages["Talk:X/B|MediaWiki:Common.js"].exists


def test_a_question_rides_on_the_next_content_request_with_its_listing():
    texts = tree(100, 15, 1)
    texts["User:Ana"] = "an account"
    api = FakeQueryApi(texts)
    reader = PageReader(api, always=[SHUTOFF], batch_size=500)
    asked = []

    def after_batch(pages):
        if "Root" in pages and not asked:  # as run-all's staff step: once the roster page is at hand
            asked.append(reader.ask_along({"list": "users", "ususers": "Ana|Nobody"}))

    reader.read_listed(["Root"], [0, 1, 10], "Root", in_tree, after_batch=after_batch)
    [question] = asked
    assert [r.get("list") for r in api.requests] == ["allpages", "allpages|users", "allpages", None]
    assert api.requests[1]["ususers"] == "Ana|Nobody"  # the second request: the first batch's pages were read
    assert question.answer["users"] == [{"name": "Ana"}, {"name": "Nobody", "missing": True}]
    assert reader.along == []  # asked once


def test_a_question_that_disagrees_with_the_batch_waits_and_none_waits_for_ever():
    api = FakeQueryApi(tree(10, 0, 0))
    reader = PageReader(api, batch_size=500)
    question = reader.ask_along({"list": "users", "ususers": "Ana", "rvprop": "ids"})  # rvprop: the batch's differs
    reader.read(["Root"])
    assert question.answer is None and reader.along == [question] and "ususers" not in api.requests[0]


@pytest.mark.parametrize("entries, cut", [(3, False), (1200, True)])
def test_a_list_that_rides_along_is_cut_after_its_first_part_and_costs_the_batch_no_request(entries, cut):
    """The pagetranslation log riding on the tree's read: longer than one answer, its first part comes
    and it is marked cut (its asker asks for the rest); the batch does not go on asking for it."""
    api = FakeQueryApi(tree(10, 0, 0), log=entries)
    reader = PageReader(api, batch_size=500)
    question = reader.ask_along({"list": "logevents", "letype": "pagetranslation", "lelimit": "max"},
                                continues="lecontinue")
    pages = reader.read([f"Root/P{i:04d}" for i in range(9)])
    assert all(page.exists for page in pages.values()) and len(api.requests) == 1
    assert question.cut is cut and len(question.answer["logevents"]) == min(entries, 500)


def test_a_cut_list_is_left_out_of_the_batchs_continuation():
    api = FakeQueryApi(tree(30, 0, 0), aplimit=20, log=1200)
    reader = PageReader(api, batch_size=500)
    question = reader.ask_along({"list": "logevents", "letype": "pagetranslation", "lelimit": "max"},
                                continues="lecontinue")
    pages, listed, _ = reader.read_listed(["Root"], [0], "Root", in_tree)
    assert len(listed[0]) == 30 and all(page.exists for page in pages.values())
    assert question.cut and [r.get("list") for r in api.requests] == ["allpages|logevents", "allpages", None]
    assert "letype" not in api.requests[1] and "lecontinue" not in api.requests[1]


def test_a_questions_answer_is_given_whole_or_with_its_first_part_and_an_unasked_one_is_withdrawn():
    api = FakeQueryApi(tree(10, 0, 0), log=1200)
    reader = PageReader(api, batch_size=500)
    log = reader.ask_along({"list": "logevents", "lelimit": "max"}, continues="lecontinue")
    reader.read(["Root"])
    assert reader.answer_of(log) is None  # cut: its asker asks for the whole log
    assert len(reader.answer_of(log, whole=False)["logevents"]) == 500  # the first part, for who can use it
    users = reader.ask_along({"list": "users", "ususers": "Ana"})
    assert reader.answer_of(users) is None and reader.along == []  # no read came: withdrawn, never sent
    reader.read(["Root"])
    assert "users" not in api.requests[-1].get("list", "")
