"""Which pages the bot may write whole (ownership.py): its mark, its first revision, nothing else."""

from __future__ import annotations

import json

from advocacy_bot import ownership
from advocacy_bot.plan import Page

BOT = "AdvocacyBot"
TEMPLATE = ownership.WholePage("nav.template", "Template:X/Header")


def page(text: str, model: str = "wikitext", exists: bool = True) -> Page:
    return Page("Template:X/Header", 10, exists, text, 5 if exists else 0, content_model=model)


def test_the_mark_is_the_bots_comment_or_json_key():
    assert ownership.carries_mark(page("Header.\n" + ownership.mark_comment(BOT)), BOT)
    assert ownership.carries_mark(page("<!-- advocacybot writes this page (advocacy-bot) -->"), BOT)
    assert not ownership.carries_mark(page("Header.\n" + ownership.mark_comment("OtherBot")), BOT)
    # shown as text to readers, not a mark
    assert not ownership.carries_mark(page("<nowiki>" + ownership.mark_comment(BOT) + "</nowiki>"), BOT)
    assert ownership.carries_mark(page(json.dumps({"written_by": BOT, "x": 1}), "json"), BOT)
    assert not ownership.carries_mark(page(json.dumps({"x": 1}), "json"), BOT)
    assert not ownership.carries_mark(page("{not json", "json"), BOT)


def test_a_page_is_the_bots_when_missing_marked_or_created_by_it():
    assert ownership.refusal(TEMPLATE, page("", exists=False), None, BOT) is None
    assert ownership.refusal(TEMPLATE, page(ownership.mark_comment(BOT)), "Admin", BOT) is None
    assert ownership.refusal(TEMPLATE, page("Old header."), "AdvocacyBot", BOT) is None
    refused = ownership.refusal(TEMPLATE, page("Someone's talk page."), "Admin", BOT)
    assert refused.startswith("nav.template names Template:X/Header, a page created by Admin that carries no "
                              "mark of AdvocacyBot")
    assert 'advocacy-bot adopt "Template:X/Header"' in refused
    assert "of unknown origin" in ownership.refusal(TEMPLATE, page("Hidden."), None, BOT)
    assert ownership.needs_creator(page("Old header."), BOT)
    assert not ownership.needs_creator(page(ownership.mark_comment(BOT)), BOT)


def test_the_mark_alone_is_never_a_reason_to_save():
    old = page("Header text.")
    assert ownership.only_the_mark_differs(ownership.with_mark("Header text.", BOT), old, BOT)
    assert not ownership.only_the_mark_differs(ownership.with_mark("New header.", BOT), old, BOT)
    assert not ownership.only_the_mark_differs("Header text.", page("", exists=False), BOT)
    assert ownership.with_mark(ownership.with_mark("A", BOT), BOT) == "A\n" + ownership.mark_comment(BOT)


def test_whole_pages_name_their_settings():
    found = ownership.whole_pages("Template:H", "User:B/Status", "User:B/state.json", None)
    assert [(w.setting, w.title) for w in found] == [("nav.template", "Template:H"), ("bot_pages.status", "User:B/Status"),
                                                     ("bot_pages.state", "User:B/state.json")]
