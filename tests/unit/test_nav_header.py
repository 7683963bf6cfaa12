"""Finding and replacing navigation headers: legacy bars in many shapes, template calls, translate units."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy_bot.settings import default_tabs
from advocacy_bot.wikitext.nav_header import (
    HeaderSpec,
    call_name,
    header_call,
    link_target,
    place_header,
    scan,
)
from advocacy_bot.wikitext.translate_markup import validate

ROOT = "Global Advocacy"
SPEC = HeaderSpec("Template:Global Advocacy/Header", frozenset(t.target for t in default_tabs(ROOT)), ROOT,
                  ("Public policy",))
CALL = "{{Global Advocacy/Header|current=faq}}"
FAQ = f"{ROOT}/FAQ"
BODY = ("<translate>\n== Questions == <!--T:5-->\n\n<!--T:6-->\nWhat we do, and why.\n</translate>\n\n"
        "[[Category:Global Advocacy]]")


def links(*labels, mylang=True, bold=None):
    out = []
    for label in labels:
        target = {"Home": ROOT, "Discussion": f"Talk:{ROOT}"}.get(label, f"{ROOT}/{label}")
        if mylang and not target.startswith("Talk:"):
            target = "Special:MyLanguage/" + target
        link = f"[[{target}|{label}]]"
        out.append(f"'''{link}'''" if label == bold else link)
    return out


TABS = ("Home", "About", "Documentation", "Resource Center", "FAQ", "Discussion")


def fix(text, title=FAQ, key="faq"):
    return place_header(text, title, SPEC, key)


def fixed(text, title=FAQ, key="faq"):
    result = fix(text, title, key)
    assert result.ambiguous is None, result.ambiguous
    again = fix(result.text, title, key)
    assert again.text == result.text and not again.changed and again.ambiguous is None
    return result.text


# -- legacy bars -----------------------------------------------------------------------------------

BARS = {
    "div with pipes": '<div class="ga-nav" style="text-align:center;">\n' + " | ".join(links(*TABS)) + "\n</div>",
    "div on one line": "<div>" + " | ".join(links(*TABS, bold="FAQ")) + "</div>",
    "center and small": "<center><small>" + " – ".join(links(*TABS)) + "</small></center>",
    "wikitable": '{| class="wikitable" style="width:100%"\n|-\n' + "\n".join("| " + l for l in links(*TABS)) + "\n|}",
    "wikitable cells on one row": "{|\n| " + " || ".join(links(*TABS)) + "\n|}",
    "html table": "<table><tr>" + "".join(f"<td>{l}</td>" for l in links(*TABS)) + "</tr></table>",
    "middle dots": " · ".join(links(*TABS, mylang=False)),
    "bullets and nbsp": "&nbsp;•&nbsp;".join(links(*TABS)),
    "separator template": " {{·}} ".join(links(*TABS)),
    "bold current": " / ".join(links(*TABS, bold="FAQ")),
    "list": "\n".join("* " + l for l in links(*TABS)),
    "spans with labels in translate": '<div class="nav">' + " | ".join(
        f'<span>[[{ROOT}/{t}|<translate><!--T:{n}--> {t}</translate>]]</span>'
        for n, t in enumerate(("About", "FAQ", "Documentation"), start=20)) + "</div>",
    "relative links": "[[/About|About]] | [[/FAQ|FAQ]] | [[/Get Involved|Get Involved]]",
    "underscores and fragments": ("[[global_Advocacy/About#top|About]] | [[Global_Advocacy/FAQ|FAQ]] | "
                                  "[[:Talk:Global Advocacy|Talk]]"),
    "legacy root": " | ".join(f"[[Public policy/{p}|{p}]]" for p in ("About", "Resources", "Work With Us")),
    "renamed tab via its redirect": " | ".join(links("Home", "About") + [f"[[{ROOT}/Resources|Resources]]"]
                                              + links("FAQ")),
    "with a comment inside": (" | ".join(links(*TABS[:3])) + " <!-- more tabs below --> | "
                              + " | ".join(links(*TABS[3:]))),
}


@pytest.mark.parametrize("shape", sorted(BARS))
def test_a_legacy_bar_is_replaced_by_the_call(shape):
    text = f"<languages/>\n{BARS[shape]}\n{BODY}"
    title = ROOT if shape == "relative links" else FAQ
    result = fixed(text, title)
    key_line = result.splitlines()[1]
    assert result == f"<languages/>\n{key_line}\n{BODY}"
    assert key_line == CALL
    assert fix(text, title).notes[0] == "replaced hand-copied tab bar"


def test_a_comment_line_before_a_bar_stays():
    text = f"<languages/>\n<!-- keep the tabs in sync -->\n{BARS['middle dots']}\n{BODY}"
    assert fixed(text) == f"<languages/>\n{CALL}\n<!-- keep the tabs in sync -->\n{BODY}"


def test_page_without_language_bar_gets_the_call_at_the_very_top():
    text = BARS["div with pipes"] + "\nIntro text.\n"
    assert fixed(text) == f"{CALL}\nIntro text.\n"


def test_a_bar_after_a_breadcrumb_and_a_banner_is_still_at_the_top():
    crumb = f'<div class="crumb">&lt; [[Special:MyLanguage/{ROOT}/Resource Center|Resource Center]]</div>'
    text = f"<languages/>\n{{{{Outdated}}}}\n{crumb}\n{BARS['middle dots']}\n{BODY}"
    assert fixed(text) == f"<languages/>\n{CALL}\n{{{{Outdated}}}}\n{crumb}\n{BODY}"


def test_a_blank_line_around_a_removed_bar_does_not_double():
    text = f"<languages/>\n\n{BARS['list']}\n\n{BODY}"
    assert fixed(text) == f"<languages/>\n{CALL}\n\n{BODY}"


def test_a_bar_as_its_own_translation_unit_goes_with_its_marker():
    bar = BARS["div on one line"]
    text = (f"<languages/>\n<translate>\n<!--T:1-->\n{bar}\n\n== Questions == <!--T:2-->\n\n<!--T:3-->\n"
            "Text.\n</translate>")
    result = fix(text)
    assert result.text == (f"<languages/>\n{CALL}\n<translate>\n== Questions == <!--T:2-->\n\n<!--T:3-->\n"
                           "Text.\n</translate>")
    assert "removed emptied translation unit T:1" in result.notes
    assert validate(result.text) == []


def test_a_bar_sharing_its_unit_with_text_leaves_the_unit_and_its_marker():
    bar = BARS["div on one line"]
    text = f"<languages/>\n<translate>\n<!--T:1-->\n{bar}\nWelcome to the portal.\n\n<!--T:2-->\nMore.\n</translate>"
    assert fixed(text) == (f"<languages/>\n{CALL}\n<translate>\n<!--T:1-->\nWelcome to the portal.\n\n"
                           "<!--T:2-->\nMore.\n</translate>")


def test_a_block_that_is_only_a_bar_goes_entirely():
    text = f"<languages/>\n<translate>\n<!--T:1-->\n{BARS['middle dots']}\n</translate>\n{BODY}"
    assert fixed(text) == f"<languages/>\n{CALL}\n{BODY}"


# -- what is content -------------------------------------------------------------------------------

def test_a_content_table_of_links_is_kept_and_the_call_goes_above_it():
    table = ('{| class="wikitable"\n! Toolkit !! What it is\n|-\n| [[Global Advocacy/Resource Center/Copyright|'
             "Copyright]] || talking points\n|-\n| [[Global Advocacy/Resource Center/Lawmakers|Lawmakers]] || "
             "a checklist\n|}")
    text = f"<languages/>\n{table}\n{BODY}"
    assert fixed(text) == f"<languages/>\n{CALL}\n{table}\n{BODY}"


def test_a_list_of_links_to_other_pages_is_content():
    other = "\n".join(f"* [[Wikimedia Foundation/{p}|{p}]]" for p in ("Legal", "Policy", "Board"))
    text = f"{other}\n{BODY}"
    assert fixed(text) == f"{CALL}\n{other}\n{BODY}"


def test_a_bar_after_prose_or_a_heading_is_content():
    bar = BARS["middle dots"]
    for text in (f"Welcome!\n\n{bar}\n{BODY}", f"== Start ==\n{bar}\n{BODY}"):
        assert fixed(text) == f"{CALL}\n{text}"


@pytest.mark.parametrize("block", [
    "{|\n! Tab !! Description\n|-\n" + "\n|-\n".join(f"| {l} || what is there" for l in links(*TABS)) + "\n|}",
    " | ".join(links(*TABS)) + " | [https://example.org Our blog]",
    " | ".join(links(*TABS)) + " | [[Wikimedia Foundation|WMF]]",
    "[[File:Icon.svg|20px]] " + " | ".join(links(*TABS)),
    " | ".join(links(*TABS)) + " (updated weekly)",
    " | ".join(links(*TABS)) + "\nWelcome to the portal: a bar and prose in one paragraph.",
    "<div>" + " | ".join(links(*TABS)) + "\n== Intro ==\nText</div>",
    "<div>\n" + " | ".join(links(*TABS)) + "\n\nThe rest of the page, never closed.",
])
def test_a_near_bar_is_ambiguous_and_left_alone(block):
    text = f"<languages/>\n{block}\n{BODY}"
    result = fix(text)
    assert result.ambiguous and result.text == text and not result.changed


def test_links_in_nowiki_and_comments_are_neither_bars_nor_calls():
    text = (f"<nowiki>{' | '.join(links(*TABS))}</nowiki>\n<!-- {CALL} -->\n"
            f"Write <code><nowiki>{CALL}</nowiki></code> on a page.\n{BODY}")
    assert scan(text, FAQ, SPEC).calls == () and scan(text, FAQ, SPEC).bars == ()
    assert fixed(text) == f"{CALL}\n{text}"


# -- calls -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    CALL,
    "{{ Global Advocacy/Header | current = faq }}",
    "{{global_Advocacy/Header|current=faq<!-- this page -->}}",
    "{{Template:Global Advocacy/Header<!-- nav -->|current=faq}}",
])
def test_a_correct_call_at_the_top_is_kept_as_written(call):
    for text in (f"{call}\n{BODY}", f"<languages/>\n{call}\n{BODY}", f"<languages/>\n{call} <!-- nav -->\n{BODY}"):
        result = fix(text)
        assert result.text == text and not result.changed and result.ambiguous is None


@pytest.mark.parametrize("call, note", [
    ("{{Global Advocacy/Header|current=about}}", "fixed current tab (was about)"),
    ("{{Global Advocacy/Header}}", "fixed current tab (was missing)"),
    ("{{Global Advocacy/Header|current=}}", "fixed current tab (was missing)"),
    ("{{Global Advocacy/Header|current=faq|style=compact}}", "removed extra header parameters"),
    # a save (the bot's too) would paste the template's text into the page: a second header
    ("{{subst:Global Advocacy/Header|current=faq}}", "removed a substituted header call"),
    ("{{ SafeSubst: Template:Global Advocacy/Header|current=faq}}", "removed a substituted header call"),
])
def test_a_wrong_call_is_replaced_in_place(call, note):
    result = fix(f"<languages/>\n{call}\n{BODY}")
    assert result.text == f"<languages/>\n{CALL}\n{BODY}"
    assert result.notes == (note,)


def test_duplicate_and_misplaced_calls_leave_one_at_the_top():
    text = f"<languages/>\n{CALL}\n{BODY}\n{CALL}\n"
    result = fix(text)
    assert result.text == f"<languages/>\n{CALL}\n{BODY}\n" and result.notes == ("removed a duplicate header call",)
    substituted = fix(f"<languages/>\n{CALL}\n{{{{subst:Global Advocacy/Header|current=faq}}}}\n{BODY}")
    assert substituted.text == f"<languages/>\n{CALL}\n{BODY}"
    assert substituted.notes == ("removed a substituted header call",)
    moved = fix(f"<languages/>\nIntro.\n{CALL}\n{BODY}")
    assert moved.text == f"<languages/>\n{CALL}\nIntro.\n{BODY}"
    assert moved.notes == ("moved the header call to the top",)
    inline = fix(f"<languages/>\n{CALL} Welcome!\n{BODY}")
    assert inline.text == f"<languages/>\n{CALL}\n Welcome!\n{BODY}"


def test_a_call_inside_translate_moves_out_and_its_empty_unit_goes():
    text = (f"<languages/>\n<translate>\n<!--T:1-->\n{{{{Global Advocacy/Header|current=about}}}}\n\n"
            "== Questions == <!--T:2-->\n\n<!--T:3-->\nText.\n</translate>")
    result = fix(text)
    assert result.text == (f"<languages/>\n{CALL}\n<translate>\n== Questions == <!--T:2-->\n\n<!--T:3-->\n"
                           "Text.\n</translate>")
    assert result.notes == ("moved the header call out of <translate>", "removed emptied translation unit T:1")
    assert validate(result.text) == []


def test_a_call_in_a_unit_with_text_leaves_the_text_and_the_marker():
    text = f"<translate>\n<!--T:7-->\n{CALL}\nSome words.\n</translate>"
    assert fixed(text) == f"{CALL}\n<translate>\n<!--T:7-->\nSome words.\n</translate>"


def test_a_call_in_an_inline_block_takes_the_block():
    text = f"<languages/>\n<translate><!--T:4--> {CALL}</translate>\n{BODY}"
    assert fixed(text) == f"<languages/>\n{CALL}\n{BODY}"


def test_a_page_with_broken_translate_markup_is_not_touched_where_removal_is_needed():
    text = f"<languages/>\n{BARS['middle dots']}\n<translate>\n== Questions ==\nText."  # no </translate>
    result = fix(text)
    assert result.ambiguous and "pt-parse-open" in result.ambiguous and result.text == text


def test_empty_and_tiny_pages():
    assert fixed("") == CALL + "\n"
    assert fixed("<languages/>") == f"<languages/>\n{CALL}\n"
    assert fixed("Hello") == f"{CALL}\nHello"
    assert fix(CALL).changed is False


def test_a_page_without_a_current_tab_gets_a_call_without_parameter():
    assert fixed("Text", key=None) == "{{Global Advocacy/Header}}\nText"


# -- titles ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, page, target", [
    ("Special:MyLanguage/Global Advocacy/FAQ", ROOT, FAQ),
    ("special:myLanguage/Global_Advocacy/FAQ#Contacts", ROOT, FAQ),
    ("/FAQ", ROOT, FAQ),
    ("/FAQ/", ROOT, FAQ),
    ("../About", FAQ, f"{ROOT}/About"),
    ("../", FAQ, ROOT),
    (":talk:Global Advocacy", FAQ, "Talk:Global Advocacy"),
    ("global Advocacy<!-- x -->", FAQ, ROOT),
])
def test_link_targets(raw, page, target):
    assert link_target(raw, page) == target


def test_call_names():
    assert call_name("Template:Global Advocacy/Header") == "Global Advocacy/Header"
    assert call_name("User:AdvocacyBot/Header") == "User:AdvocacyBot/Header"
    assert call_name("Global Advocacy/Header") == ":Global Advocacy/Header"
    assert header_call("Template:X", "faq") == "{{X|current=faq}}"


# -- properties ------------------------------------------------------------------------------------

HEADERS = st.sampled_from(sorted(BARS.values()) + [
    CALL, "{{Global Advocacy/Header|current=home}}", "{{ Global Advocacy/Header }}",
    f"<translate>\n<!--T:90-->\n{CALL}\n</translate>", f"<translate>\n<!--T:91-->\n{BARS['middle dots']}\n</translate>",
    "[[File:Logo.svg|100px]]", "{{Outdated}}", '<div class="crumb">[[Global Advocacy|Back]]</div>', "",
])
PROSE = st.text(alphabet="abcdefghij \n'[]|{}=*<>/!-:", max_size=60)


@settings(max_examples=300, deadline=None)
@given(languages=st.booleans(), headers=st.lists(HEADERS, max_size=3), prose=PROSE,
       key=st.sampled_from(["faq", "home", None]))
def test_placing_a_header_is_idempotent_and_keeps_the_body(languages, headers, prose, key):
    body = f"== Body ==\n{prose}\n{BODY}"
    text = ("<languages/>\n" if languages else "") + "".join(h + "\n" for h in headers) + body
    once = place_header(text, FAQ, SPEC, key)
    if once.ambiguous:
        assert once.text == text
        return
    assert once.text.endswith(body)  # nothing below the top is touched
    twice = place_header(once.text, FAQ, SPEC, key)
    assert twice.text == once.text and not twice.changed and twice.ambiguous is None
    found = scan(once.text, FAQ, SPEC)
    assert len(found.calls) == 1 and found.calls[0].correct_for(key) and found.bars == ()
    assert len(validate(once.text)) <= len(validate(text))


@settings(max_examples=200, deadline=None)
@given(before=PROSE, after=PROSE)
def test_text_around_a_replaced_bar_is_unchanged(before, after):
    top = f"<languages/>\n{BARS['div with pipes']}\n"
    text = top + f"== A ==\n{before}\n{CALL}\n{after}"
    result = place_header(text, FAQ, SPEC, "faq")
    if result.ambiguous:
        return
    assert result.text.startswith(f"<languages/>\n{CALL}\n== A ==\n{before}")
