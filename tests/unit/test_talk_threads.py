"""Threads, timestamps and the archiving configuration, on real-looking talk pages (no network)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy_bot.wikitext.talk_threads import (config_params, find_timestamps, holds_thread, parse_algo,
                                                parse_size, set_config_param, split_threads, template_key)
from tests.fixtures.snapshot import demo_pages, large_talk_page


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


def sig(user, when):
    return f"[[User:{user}|{user}]] ([[User talk:{user}|talk]]) {when}"


# A talk page as people write them: a config, an intro, nested replies, a subsection, an unsigned
# post, a DiscussionTools reply, <nowiki> and <pre> with heading-like lines, a heading in a template,
# a commented-out thread, and categories at the end.
TALK = f"""{{{{User:MiszaBot/config
|archive = Talk:Example/Archive %(counter)d <!-- do not rename -->
|algo = old(30d)
|counter = 4
|maxarchivesize = 150K
}}}}
{{{{Talk header}}}}
Please sign your posts with <nowiki>~~~~</nowiki>.

== First question ==
Is this right? {sig("Alice", "09:05, 3 January 2024 (UTC)")}
:Yes. {sig("Bob", "10:00, 4 January 2024 (UTC)")}
::Are you sure? {sig("Alice", "11:30, 5 January 2024 (UTC)")}
:::Quite. {sig("Bob", "12:00, 6 January 2024")}

=== A subsection ===
More on that. {sig("Carol", "08:00, 7 January 2024 (UTC)")}

==Unsigned==
Someone forgot to sign. {{{{unsigned|Dave}}}}

== Quoting syntax ==
To start a thread, type:
<nowiki>
== My topic ==
Text. ~~~~ 12:00, 1 January 2030 (UTC)
</nowiki>
<pre>
== Not a heading either ==
</pre>
{{{{Quote box|quote=
== Heading inside a template ==
}}}}
Reply with the reply tool. [[User:Erin|Erin]] ([[User talk:Erin|talk]])&nbsp;14:15, 9&nbsp;February&nbsp;2024&nbsp;(UTC)
<!--
== Commented out ==
11:00, 1 January 2031 (UTC)
-->

== Resolved typo ==
{{{{Section resolved|1={sig("Frank", "16:05, 21 March 2024 (UTC)")}}}}}
Fixed. {sig("Frank", "16:04, 21 March 2024 (UTC)")}

[[Category:Example talk]]
[[Category:Talk pages with archives]]
"""


def test_split_finds_level_two_threads_only_and_is_lossless():
    page = split_threads(TALK)
    assert page.text() == TALK
    assert [t.heading for t in page.threads] == ["First question", "Unsigned", "Quoting syntax", "Resolved typo"]
    assert page.head.startswith("{{User:MiszaBot/config") and page.head.endswith("<nowiki>~~~~</nowiki>.\n\n")
    assert "=== A subsection ===" in page.threads[0].text
    assert page.footer == "[[Category:Example talk]]\n[[Category:Talk pages with archives]]\n"
    assert page.threads[-1].text.endswith("(UTC)\n\n")


def test_thread_age_is_its_newest_timestamp():
    first, unsigned, quoting, resolved = split_threads(TALK).threads
    assert first.newest == utc(2024, 1, 7, 8, 0) and first.oldest == utc(2024, 1, 3, 9, 5)
    assert len(first.timestamps) == 5  # one without "(UTC)"
    assert unsigned.timestamps == ()
    # the reply tool's non-breaking spaces count; nowiki, pre and comments do not
    assert quoting.timestamps == (utc(2024, 2, 9, 14, 15),)
    assert resolved.newest == utc(2024, 3, 21, 16, 5) and "Section resolved" in resolved.templates
    assert "Quote box" in quoting.templates and "Unsigned" in unsigned.templates


@pytest.mark.parametrize("text, expected", [
    ("12:30, 5 May 2021 (UTC)", [utc(2021, 5, 5, 12, 30)]),
    ("12:30, 5 May 2021", [utc(2021, 5, 5, 12, 30)]),
    ("09:07, 15 Sep 2022 (UTC)", [utc(2022, 9, 15, 9, 7)]),
    ("12:30, May 5, 2021 (UTC)", [utc(2021, 5, 5, 12, 30)]),
    ("posted 2021-05-05T12:30:00Z", [utc(2021, 5, 5, 12, 30)]),
    ("posted 2021-05-05T14:30+02:00", [utc(2021, 5, 5, 12, 30)]),
    ("posted 2021-05-05 12:30", [utc(2021, 5, 5, 12, 30)]),
    ("[[Special:Diff/123|12:30, 5 May 2021 (UTC)]]", [utc(2021, 5, 5, 12, 30)]),
    ("{{unsigned|Dave|12:30, 5 May 2021 (UTC)}}", [utc(2021, 5, 5, 12, 30)]),
    ("12:30, 31 February 2021 (UTC)", []),
    ("25:61, 5 May 2021 (UTC)", []),
    ("on 5 May 2021 we met", []),
    ("2021-05-05 without a time", []),
    ("<!-- 12:30, 5 May 2021 (UTC) -->", []),
    ("<nowiki>12:30, 5 May 2021 (UTC)</nowiki>", []),
    ("<pre>12:30, 5 May 2021 (UTC)</pre>", []),
])
def test_timestamps(text, expected):
    assert find_timestamps(text) == expected


def test_page_without_threads_is_all_head():
    page = split_threads("{{User:MiszaBot/config|archive=Talk:X/Archive 1}}\nNothing yet.")
    assert page.threads == () and page.head.endswith("Nothing yet.") and page.footer == ""


def test_level_one_headings_stay_inside_the_thread_before_them():
    page = split_threads("== A ==\na\n= Big =\nb\n== B ==\nc")
    assert [t.heading for t in page.threads] == ["A", "B"] and "= Big =" in page.threads[0].text


def test_demo_and_generated_talk_pages_split_losslessly():
    demo = next(p.text for p in demo_pages() if p.title == "Talk:Global Advocacy")
    page = split_threads(demo)
    assert page.text() == demo and len(page.threads) == 12
    large = large_talk_page(200).text
    page = split_threads(large)
    assert page.text() == large and len(page.threads) == 200
    assert sum(1 for t in page.threads if not t.timestamps) == 0  # an {{unsigned}} reply still has a dated post


line = st.one_of(
    st.sampled_from(["== A ==", "== B ==", "=== C ===", "= D =", "<nowiki>", "</nowiki>", "<!--", "-->",
                     "{{T|", "}}", "[[Category:X]]", "", "12:30, 5 May 2021 (UTC)", "<pre>", "</pre>"]),
    st.text(alphabet="=ab :{}|[]<>!-\n", max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(line, max_size=25))
def test_split_is_lossless_on_any_text(lines):
    text = "\n".join(lines)
    page = split_threads(text)
    assert page.text() == text
    assert all(t.text.startswith("==") for t in page.threads)


def test_config_params_read_archivebot_parameters():
    params = config_params(split_threads(TALK).head)
    assert params == {"archive": "Talk:Example/Archive %(counter)d", "algo": "old(30d)", "counter": "4",
                      "maxarchivesize": "150K"}


@pytest.mark.parametrize("head", [
    "{{user:MiszaBot/config|algo=old(1d)}}",
    "{{User:miszaBot/config|algo=old(1d)}}",
    "{{ User_talk_no |x}}{{User : MiszaBot/config|algo=old(1d)}}",
    "{{Template:User:MiszaBot/config|algo=old(1d)}}",
    "<noinclude>{{User:MiszaBot/config|algo=old(1d)}}</noinclude>",
])
def test_config_template_name_variants(head):
    assert config_params(head) == {"algo": "old(1d)"}


def test_no_config_in_the_head_or_only_in_a_comment():
    assert config_params("Intro only.") is None
    assert config_params("{{User:MiszaBot/Config|algo=old(1d)}}") is None  # case matters after the first letter
    assert config_params("<!-- {{User:MiszaBot/config|algo=old(1d)}} -->") is None
    assert config_params("<nowiki>{{User:MiszaBot/config|algo=old(1d)}}</nowiki>") is None


def test_set_config_param_changes_only_that_value():
    head = split_threads(TALK).head
    changed = set_config_param(head, "counter", "5")
    assert changed == head.replace("|counter = 4\n", "|counter = 5\n")
    one_line = "<noinclude>{{User:MiszaBot/config|archive=Talk:X/A %(counter)d|counter=1}}</noinclude>\nIntro"
    assert set_config_param(one_line, "counter", "2") == one_line.replace("counter=1", "counter=2")
    added = set_config_param("{{User:MiszaBot/config|archive=Talk:X/A %(counter)d}}\nIntro", "counter", "2")
    assert config_params(added)["counter"] == "2" and added.endswith("}}\nIntro")


@pytest.mark.parametrize("algo, seconds, words", [
    ("old(30d)", 30 * 86400, "30 days"), ("old(36h)", 36 * 3600, "36 hours"), ("old( 1w )", 7 * 86400, "1 week"),
    ("old(1y)", 365 * 86400, "1 year"), ("old(90s)", 90, "90 seconds"),
])
def test_parse_algo(algo, seconds, words):
    age, text = parse_algo(algo)
    assert age.total_seconds() == seconds and text == words


@pytest.mark.parametrize("algo", ["old(30)", "new(3d)", "old(0d)", "old(-3d)", "old(3 days)", ""])
def test_parse_algo_refuses(algo):
    with pytest.raises(ValueError):
        parse_algo(algo)


@pytest.mark.parametrize("size, expected", [
    ("200K", (204800, "B")), ("200k", (204800, "B")), ("2M", (2097152, "B")), ("1500", (1500, "B")),
    ("1 500", (1500, "B")), ("50 T", (50, "T")), ("50T", (50, "T")), ("100B", (100, "B")),
])
def test_parse_size(size, expected):
    assert parse_size(size) == expected


@pytest.mark.parametrize("size", ["", "0", "0 T", "big", "2G", "-5K"])
def test_parse_size_refuses(size):
    with pytest.raises(ValueError):
        parse_size(size)


def test_holds_thread_needs_whole_lines():
    archive = "{{Talk archive}}\n\n== A ==\nhello\n:reply\n\n== B ==\nbye"
    assert holds_thread(archive, "== A ==\nhello\n:reply")
    assert holds_thread(archive, "== A ==\nhello")  # an archive with more of the thread still holds it
    assert holds_thread(archive, "== B ==\nbye")
    assert not holds_thread(archive, "== A ==\nhell")
    assert not holds_thread(archive, "= A ==\nhello")
    assert not holds_thread(archive, "== C ==\nhello")


def test_template_key():
    assert template_key("section_resolved") == "Section resolved"
    assert template_key(" Template:Resolved ") == "Resolved"
    assert template_key("user:MiszaBot/config") == "User:MiszaBot/config"
