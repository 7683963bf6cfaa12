"""The shim renders each recorded stage of the real Translate as a reader saw it there.

Every stage of ``tests/realtranslate/cases.py`` was recorded on a wiki running the real Translate
(pages as it had them, and the HTML of ``action=parse``). Here the same pages go onto the shim wiki,
under a root of their own, and the shim's render must show a reader the same text and the same
Translate markup (none, or the same tags as text).

The shim keeps no marking state (it cannot: marking is Translate's database), so two stages are seeded
in the shim's own terms, and one differs, as declared below and asserted exactly:
- "not marked" on the shim is a template with a unit that carries no marker (the real wiki's template
  already had the markers the bot adds, before anyone marked it);
- marked *without* translation-aware transclusion is a state the shim does not have: it renders that
  template like one marked with it (no markup), where the real Translate shows the markup.
"""

from __future__ import annotations

import re

import pytest

from ..realtranslate import cases
from .helpers import seed, unique_root
from .test_devwiki import rendered

pytestmark = pytest.mark.devwiki

# In the shim's terms, a template nobody marked has units without markers.
NOT_MARKED_ON_SHIM = {"unmarked": (cases.TEMPLATE,)}
SHIM_LACKS_STATE = {"marked-without-transclusion"}


def _moved(text: str, root: str) -> str:
    return text.replace(cases.ROOT, root)


def _shim_view(devwiki, case: str) -> cases.ReaderView:
    stored = cases.load(case)
    root = unique_root("Parity")
    pages = dict(stored.pages)
    for title in NOT_MARKED_ON_SHIM.get(case, ()):
        pages[title] = re.sub(r"<!--T:\d+-->", "", pages[title])
    seed(devwiki, {_moved(title, root): _moved(text, root) for title, text in pages.items()})
    view = cases.reader_view(rendered(devwiki, _moved(stored.title, root)))
    return cases.ReaderView(view.text.replace(root, cases.ROOT), view.markup)


@pytest.mark.parametrize("case", [case for case in cases.RENDERED_CASES if case not in SHIM_LACKS_STATE])
def test_shim_shows_readers_what_the_real_translate_showed(devwiki, case):
    assert _shim_view(devwiki, case) == cases.load(case).view


def test_shim_has_no_marked_without_transclusion_state(devwiki):
    """The declared difference: the real Translate shows the template's tags, the shim shows none."""
    case = "marked-without-transclusion"
    real, shim = cases.load(case).view, _shim_view(devwiki, case)
    assert real.markup == ("<translate>", "</translate>") and shim.markup == ()
    without_tags = " ".join(re.sub(r"</?translate>", " ", real.text).split())
    assert shim.text == without_tags
