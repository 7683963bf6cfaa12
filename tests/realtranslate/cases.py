"""The cases recorded on a wiki running the real Translate extension (MediaWiki 1.39, Translate and ULS REL1_39).

One small tree, ``Parity``, goes through the stages a page of the Global Advocacy tree goes through:
its header template (written by the bot's own code, markers added by the bot's engine) transcluded
before any marking, after marking with and without translation-aware transclusion, changed and not
marked again, a translation page with one unit of the page and one of the template translated, and a
wiki without a documentation language. For each case, ``tests/recorded/real-translate/`` holds the
pages' wikitext as the real wiki had them (``CASE.json``) and the HTML that ``action=parse`` gave
(``CASE.html``); ``tests/cassettes/real-translate/CASE.yaml`` holds the API answers of the bot's own
client reading that stage.

``check_*`` functions state what readers see at each stage; the live tests (real Translate), the
replayed cassettes (CI) and the shim's parity test all judge by them and by :func:`reader_view`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from advocacy_bot.settings import Tab, default_settings
from advocacy_bot.tasks.nav import template_text
from advocacy_bot.wikitext.nav_header import header_call
from advocacy_bot.wikitext.rendered import visible_markup, visible_text
from advocacy_bot.wikitext.translate_markup import add_markers

TESTS = Path(__file__).resolve().parents[1]
RECORDED = TESTS / "recorded" / "real-translate"
CASSETTES = TESTS / "cassettes" / "real-translate"

ROOT = "Parity"
TEMPLATE = "Template:Parity/Header"  # marked with translation-aware transclusion
TEMPLATE_PLAIN = "Template:Parity/Plain header"  # marked without it
ABOUT = "Parity/About"
JA_HOME = "ホーム"
JA_WELCOME = "これらのページへようこそ。"

# In the order they are recorded: each stage starts from the wiki the one before left.
CASES = ("unmarked", "marked-without-transclusion", "marked-with-transclusion", "changed-not-remarked",
         "translation-page", "no-documentation-language")
RENDERED_CASES = CASES[:-1]

def settings(about_label: str = "About", template: str = TEMPLATE):
    base = default_settings()
    tabs = (Tab("home", "Home", ROOT), Tab("about", about_label, ABOUT))
    return replace(base, root=ROOT, nav=replace(base.nav, template=template, tabs=tabs))


def header_template(about_label: str = "About", template: str = TEMPLATE, existing: str = "") -> str:
    """The header template as the bot writes it, with the markers the bot's engine adds."""
    return add_markers(template_text(settings(about_label, template), existing))


def source_page(template: str, key: str, prose: str) -> str:
    return f"<languages/>\n{header_call(template, key)}\n<translate>\n<!--T:1-->\n{prose}\n</translate>\n"


START_PAGES = {
    TEMPLATE: header_template(),
    TEMPLATE_PLAIN: header_template(template=TEMPLATE_PLAIN),
    ROOT: source_page(TEMPLATE, "home", "Welcome to these pages."),
    ABOUT: source_page(TEMPLATE_PLAIN, "about", "What these pages are about."),
}


# The pages each stage reads and records, besides the one it renders.
STAGE_PAGES = {
    "unmarked": [TEMPLATE, ROOT],
    "marked-without-transclusion": [TEMPLATE_PLAIN, f"{TEMPLATE_PLAIN}/en", ABOUT],
    "marked-with-transclusion": [TEMPLATE, f"{TEMPLATE}/en", ROOT],
    "changed-not-remarked": [TEMPLATE, f"{TEMPLATE}/en", ROOT],
    "translation-page": [TEMPLATE, f"{TEMPLATE}/en", f"{TEMPLATE}/ja", ROOT, f"{ROOT}/en", f"{ROOT}/ja"],
    "no-documentation-language": [ROOT],
}


@dataclass(frozen=True)
class ReaderView:
    """What a reader sees of a rendered page: its text, and which Translate markup shows as text."""

    text: str
    markup: tuple[str, ...]


def reader_view(html: str) -> ReaderView:
    """The parser output's visible text (whitespace collapsed) and the markup it shows.

    Translate's banner on a translation page ("This page is a translated version of ...") is page
    chrome outside the parser output (``mw-pt-translate-header``): left out, the shim does not draw it.
    """
    html = re.sub(r'<div class="mw-pt-translate-header.*?</div>(?=<div class="mw-parser-output")', "", html,
                  flags=re.DOTALL)
    return ReaderView(visible_text(html), visible_markup(html))


@dataclass(frozen=True)
class Recorded:
    case: str
    title: str  # the page rendered
    pages: dict[str, str]  # title -> wikitext, as the real wiki had them at this stage
    translatable: tuple[str, ...]  # meta=messagegroups' translatable pages
    html: str
    facts: dict  # what else the stage found (see the live test)

    @property
    def view(self) -> ReaderView:
        return reader_view(self.html)


def load(case: str) -> Recorded:
    data = json.loads((RECORDED / f"{case}.json").read_text(encoding="utf-8"))
    html_file = RECORDED / f"{case}.html"
    html = html_file.read_text(encoding="utf-8") if html_file.exists() else ""
    return Recorded(case, data["title"], data["pages"], tuple(data["translatable"]), html, data.get("facts", {}))


def save(recorded: Recorded) -> None:
    RECORDED.mkdir(parents=True, exist_ok=True)
    data = {"title": recorded.title, "pages": recorded.pages, "translatable": list(recorded.translatable),
            "facts": recorded.facts}
    (RECORDED / f"{recorded.case}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
                                                    + "\n", encoding="utf-8")
    if recorded.html:
        (RECORDED / f"{recorded.case}.html").write_text(recorded.html, encoding="utf-8")


# -- what the bot's own client reads at a stage (recorded live, replayed in CI) ----------------------

def observe(client, case: str, title: str, titles: list[str]) -> Recorded:
    """Read one stage as the bot does: start, one batched read of ``titles``, Translate's list of
    translatable pages, and ``action=parse`` of ``title`` (the same calls whether live or replayed)."""
    from advocacy_bot.report import RunReport
    from advocacy_bot.wiki.client import ApiError
    from advocacy_bot.wiki.session import BotRun

    run = BotRun(client, settings(), RunReport("real-translate", "dev", True), dry_run=True)
    run.start()
    pages = run.read(titles)
    translatable = tuple(sorted(run.translatable_pages() or ()))
    facts: dict = {}
    html = ""
    if case == "no-documentation-language":
        try:
            run.translate_collection(ROOT, "qqq")
            facts["qqq_error"] = None
        except ApiError as error:
            facts["qqq_error"] = error.code
        facts["ja_units"] = len(run.translate_collection(ROOT, "ja"))
        # what the bot does about it (issue 13 item 5): the definitions in the source language instead
        from advocacy_bot.tasks.translate import definitions

        facts["definitions"] = definitions(ROOT, run.translate_definitions(ROOT))
    else:
        html = client.query(action="parse", page=title, prop="text", disablelimitreport=1,
                            disableeditsection=1)["parse"]["text"]
        html = re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL)  # the parser cache's comments
    texts = {name: page.text for name, page in sorted(pages.items()) if page.exists}
    return Recorded(case, title, texts, translatable, html, facts)


def observe_live(api_url: str, title: str) -> ReaderView:
    """What a reader of ``title`` sees now (``action=parse``, the parser cache as a reader gets it)."""
    import urllib.parse
    import urllib.request

    query = urllib.parse.urlencode({"action": "parse", "page": title, "prop": "text", "format": "json",
                                    "formatversion": 2})
    with urllib.request.urlopen(f"{api_url}?{query}", timeout=60) as answer:
        return reader_view(json.load(answer)["parse"]["text"])


# -- what readers see at each stage -----------------------------------------------------------------

def check(recorded: Recorded) -> None:
    """Assert what the real Translate shows at ``recorded``'s stage."""
    CHECKS[recorded.case](recorded)


def check_unmarked(r: Recorded) -> None:
    # The page's own units render as text; the transcluded template's <translate> tags do not go away.
    assert r.title == ROOT and "Welcome to these pages." in r.view.text
    assert "<translate>" in r.view.text and "</translate>" in r.view.text
    assert "<!--T:" not in r.view.text  # comments never reach readers
    assert TEMPLATE not in r.translatable and ROOT not in r.translatable
    assert "Other languages" not in r.view.text  # <languages/> is empty on a page that is not marked


def check_marked_without_transclusion(r: Recorded) -> None:
    # Marked, but transcluded as its own source text: the markup stays visible, forever.
    assert r.title == ABOUT and TEMPLATE_PLAIN in r.translatable
    assert "<translate>" in r.view.text and "What these pages are about." in r.view.text
    assert f"{TEMPLATE_PLAIN}/en" in r.pages  # FuzzyBot's copy exists, and is not used


def check_marked_with_transclusion(r: Recorded) -> None:
    assert r.title == ROOT and TEMPLATE in r.translatable
    assert "<translate>" in r.facts["markup_before_purge"]  # marking alone leaves readers the old render
    assert r.view.markup == () and "Home · About" in r.view.text
    assert f"{TEMPLATE}/en" in r.pages and "<translate" not in r.pages[f"{TEMPLATE}/en"]


def check_changed_not_remarked(r: Recorded) -> None:
    # The source says "About us"; readers still get the last marked version, FuzzyBot's /en copy.
    assert "About us" in r.pages[TEMPLATE] and "About us" not in r.pages[f"{TEMPLATE}/en"]
    assert r.view.markup == () and "Home · About" in r.view.text and "About us" not in r.view.text


def check_translation_page(r: Recorded) -> None:
    assert r.title == f"{ROOT}/ja" and ROOT in r.translatable
    assert r.view.markup == ()
    assert JA_HOME in r.view.text and JA_WELCOME in r.view.text  # a template unit and a unit of the page
    assert "About" in r.view.text  # untranslated: the source text (last marked) in an English span
    assert "Other languages: English 日本語" in r.view.text
    assert f'<span lang="en" dir="ltr" class="mw-content-ltr">About</span>' in r.pages[f"{TEMPLATE}/ja"]


def check_no_documentation_language(r: Recorded) -> None:
    assert r.facts["qqq_error"] == "translate-invalidlanguage"
    assert r.facts["ja_units"] >= 1
    assert r.facts["definitions"] == {"1": "Welcome to these pages."}  # no exit 5: read in English


CHECKS = {
    "unmarked": check_unmarked,
    "marked-without-transclusion": check_marked_without_transclusion,
    "marked-with-transclusion": check_marked_with_transclusion,
    "changed-not-remarked": check_changed_not_remarked,
    "translation-page": check_translation_page,
    "no-documentation-language": check_no_documentation_language,
}
