"""stored_text: what MediaWiki stores for a save, where the bot can tell without asking."""

from __future__ import annotations

import pytest

from advocacy_bot.wikitext.presave import stored_text


def test_a_plain_text_is_stored_with_its_end_trimmed_and_its_line_ends_made_unix():
    assert stored_text("== A ==\r\nText.\rMore.\n\n  \t") == "== A ==\nText.\nMore."


def test_only_phps_whitespace_is_trimmed():
    assert stored_text("Text.\u00a0\u2003\n") == "Text.\u00a0\u2003"


def test_a_signed_thread_as_saved_is_stored_as_it_is():
    thread = "== Q ==\nWhy? [[User:Kestrel42|Kestrel42]] ([[User talk:Kestrel42|talk]]) 12:00, 1 May 2026 (UTC)"
    assert stored_text(thread) == thread


@pytest.mark.parametrize("text", [
    "Signed ~~~~", "Three ~~~ tildes", "Inside <nowiki>~~~~</nowiki> too",
    "{{subst:Welcome}}", "{{SafeSubst:Welcome}}", "{{ subst :Welcome}}",
    "[[Help:Contents (Meta)|]]", "[[|Contents]]", "[[Help:Contents | ]]",
])
def test_what_the_pre_save_transform_may_expand_is_not_told(text):
    assert stored_text(text) is None


@pytest.mark.parametrize("text", ["e\u0301 not composed", "a\x07bell", "half \ud800 a pair", "not \uffff a character"])
def test_what_the_requests_unicode_clean_up_may_change_is_not_told(text):
    assert stored_text(text) is None


def test_composed_text_in_any_script_is_told():
    text = "Éléments — 日本語 — Ελληνικά"
    assert stored_text(text) == text
