"""One style for edit summaries: parts joined once each, the link to the bot's page always kept."""

import pytest

from advocacy_bot import edit_summary
from advocacy_bot.edit_summary import LIMIT, finished, in_style, joined, parts

ABOUT = "User:AdvocacyBot"
TAIL = " ([[User:AdvocacyBot|advocacy-bot]])"


def test_parts_are_joined_once_each_in_order():
    assert joined(["Navigation header: added header", "", "Staff list synced with the roster: added Ana",
                   "Navigation header: added header"]) == \
        "Navigation header: added header · Staff list synced with the roster: added Ana"


def test_the_link_ends_every_summary_and_can_be_left_out():
    assert finished("Archiving: 3 threads from Talk:X", ABOUT) == "Archiving: 3 threads from Talk:X" + TAIL
    assert finished("Archiving: 3 threads from Talk:X", "") == "Archiving: 3 threads from Talk:X"
    assert finished("Archiving: 3 threads from Talk:X", None) == "Archiving: 3 threads from Talk:X"


def test_a_summary_is_one_line():
    assert finished("Prepared for translation:\n  wrapped 2 paragraphs", None) == \
        "Prepared for translation: wrapped 2 paragraphs"


def test_a_long_summary_is_shortened_but_keeps_the_link():
    long = "Staff list synced with the roster: " + "; ".join(f"added Person {n}" for n in range(100))
    saved = finished(long, ABOUT)
    assert LIMIT - 5 < len(saved) <= LIMIT  # cut at the limit (a trailing space dropped)
    assert saved.endswith("…" + TAIL)
    assert saved.startswith("Staff list synced with the roster: added Person 0; added Person 1")
    assert in_style(saved, ABOUT)


def test_a_summary_at_the_limit_is_not_touched():
    body = "Run log: " + "x" * (LIMIT - len(TAIL) - len("Run log: "))
    assert finished(body, ABOUT) == body + TAIL


@pytest.mark.parametrize("summary, expected", [
    ("Navigation header: added header · Archiving: 2 threads to Talk:X/Archive 1" + TAIL, True),
    ("Navigation header: added header" + TAIL, True),
    ("navigation header: added header" + TAIL, False),  # not capitalised
    ("Archiving 2 threads to Talk:X/Archive 1" + TAIL, False),  # no "What:"
    ("Navigation header: added header", False),  # no link
    ("Navigation header: " + TAIL, False),  # nothing said
])
def test_in_style(summary, expected):
    assert in_style(summary, ABOUT) is expected


def test_parts_of_a_finished_summary():
    saved = finished(joined(["Navigation header: added header", "Staff lists: Global Advocacy"]), ABOUT)
    assert parts(saved, ABOUT) == ["Navigation header: added header", "Staff lists: Global Advocacy"]


def test_the_separator_is_the_one_the_readme_names():
    assert edit_summary.SEPARATOR == " · "
