"""What a reader sees of rendered HTML: judged on what the real Translate rendered (recorded)."""

from __future__ import annotations

from pathlib import Path

from advocacy_bot.wikitext.rendered import keyed_items, visible_markup, visible_text

RECORDED = Path(__file__).resolve().parents[1] / "recorded" / "real-translate"


def recorded(case: str) -> str:
    return (RECORDED / f"{case}.html").read_text(encoding="utf-8")


def test_markup_that_leaks_through_transclusion_is_seen_and_named():
    # before marking, the real Translate leaves a transcluded template's tags as text
    html = recorded("unmarked")
    assert visible_markup(html) == ("<translate>", "</translate>")
    assert keyed_items(html) == {"home": "<translate> Home</translate>", "about": "<translate> About</translate>"}


def test_a_header_marked_with_transclusion_shows_labels_only():
    html = recorded("marked-with-transclusion")
    assert visible_markup(html) == ()
    assert keyed_items(html) == {"home": "Home", "about": "About"}
    assert visible_text(html) == "Home · About Welcome to these pages."


def test_markup_inside_tags_attributes_and_comments_is_not_seen():
    html = ('<div><!-- <translate> --><span data-key="a" title="&lt;translate&gt;">A</span>'
            "<script>var t = '<!--T:1-->';</script><style>p{}</style></div>")
    assert visible_markup(html) == () and visible_text(html) == "A" and keyed_items(html) == {"a": "A"}


def test_each_marker_kind_is_named_once():
    html = "<p>&lt;!--T:3--&gt; &lt;tvar name=1&gt;x&lt;/tvar&gt; &lt;languages/&gt; &lt;!--T:4--&gt;</p>"
    assert visible_markup(html) == ("<!--T:n-->", "<tvar>", "</tvar>", "<languages/>")


def test_blocks_stay_apart_and_the_first_item_of_a_key_counts():
    html = '<ul><li data-key="k">One<br>two</li><li data-key="k">Other</li></ul><p>end</p>'
    assert visible_text(html) == "One two Other end"
    assert keyed_items(html) == {"k": "One two"}
