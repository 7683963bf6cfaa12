"""The status step on the real Translate (issue 19): ``translate status`` beside the per-page way.

The demo tree on a dev wiki running the real Translate (``--translate-dir``, REL1_39 checkouts of
Translate and UniversalLanguageSelector: they are never part of this repository), taken where
``bin/demo`` and a translation administrator take it: the team lists adopted, ``run-all``, the pages it
lists marked, ``run-all`` again until nothing waits. Then the first unit of every translatable page is
translated into each of ``LANGUAGES``, and:

- ours: ``translate status`` (one ``meta=languagestats`` a language), twice (the second saves nothing);
  and ``run-all`` once more (no edit), every request by action;
- per page: ``meta=messagegroupstats`` of each translatable page, one request each (what the status
  page asked before), made here through the same kind of HTTP request, timed;
- both ways must give the same numbers for every page and language.
"""

from __future__ import annotations

import json
import math
import time
import urllib.parse
import urllib.request
from pathlib import Path

from .sync import free_port

LANGUAGES = ("de", "es", "fr", "ja", "ru")
NOW = "2026-11-20T12:00Z"  # the demo talk page is dated for DEMO_NOW


def _api(wiki, **params) -> dict:
    query = urllib.parse.urlencode({**params, "format": "json", "formatversion": 2})
    with urllib.request.urlopen(f"{wiki.info().api_url}?{query}", timeout=120) as answer:
        return json.load(answer)


def _cli(folder: Path, wiki, *args: str) -> tuple[float, dict]:
    """Our command line on ``wiki`` with the bench's settings: wall seconds and the run report."""
    import uuid

    from .archive import child_env, timed
    from .sync import cli

    report = folder / f"report-{uuid.uuid4().hex[:6]}.json"
    seconds, _ = timed(cli(wiki, "--config", str(folder / "settings.yaml"), "--report-json", str(report), *args),
                       child_env())
    return seconds, json.loads(report.read_text())


def _translatable(wiki, root: str) -> list[str]:
    groups = _api(wiki, action="query", meta="messagegroups", mgfilter="page-*", mgprop="id")["query"]["messagegroups"]
    titles = [group["id"][len("page-"):] for group in groups if group["id"].startswith("page-")]
    return sorted(title for title in titles if title == root or title.startswith(root + "/")
                  or title.startswith("Template:" + root))


def _prepare(folder: Path, wiki, admin) -> None:
    """As bin/demo, then as a translation administrator, until the bot lists nothing to mark."""
    root = "Global Advocacy"
    for page, section in ((root, "The team"), (f"{root}/FAQ", "Whom should I contact about a law in my country?")):
        _cli(folder, wiki, "staff", "adopt", "--page", page, "--section", section, "--save")
    _, report = _cli(folder, wiki, "run-all", "--now", NOW)
    for _ in range(4):
        listed = sorted({entry["title"] for entry in report["skipped"]
                         if entry["code"] == "waiting-for-translation-admin"})
        if not listed:
            break
        for title in listed:
            admin.mark(title, transclusion=title.startswith("Template:"))
        wiki.run_jobs()
        _, report = _cli(folder, wiki, "run-all", "--now", NOW)


def _translate(wiki, admin, titles: list[str]) -> int:
    """The first unit of every page in every language; how many translations were saved."""
    from advocacy_bot.wikitext.translate_markup import parse

    saved = 0
    for title in titles:
        text = _api(wiki, action="query", prop="revisions", titles=title, rvprop="content",
                    rvslots="main")["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]
        unit = next(unit.id for unit in parse(text).units if unit.id is not None)
        for language in LANGUAGES:
            admin.translate(title, unit, language, f"[{language}] {title} {unit}")
            saved += 1
        wiki.run_jobs()
    return saved


def _statistics_languages(wiki, translatable: list[str]) -> list[str]:
    """The languages the status step asks statistics for: those of the tree's translation pages."""
    from advocacy_bot.tasks import translate_status as status

    titles = []
    for namespace in (0, 10):
        titles += [page["title"] for page in _api(wiki, action="query", list="allpages", apnamespace=namespace,
                                                  apprefix="Global Advocacy", aplimit="max")["query"]["allpages"]]
    codes = frozenset(entry["code"] for entry in _api(wiki, action="query", meta="siteinfo",
                                                      siprop="languages")["query"]["languages"])
    return status.translation_languages(titles, translatable, codes, "en")


def measure(translate_dir: Path, folder: Path, log=print) -> dict:
    from advocacy_bot.devwiki.manager import DEMO_SNAPSHOT, DevWiki
    from advocacy_bot.devwiki.translate_admin import TranslationAdmin
    from advocacy_bot.tasks import translate_status as status

    (folder / "settings.yaml").write_text("{}\n")
    wiki = DevWiki(folder / "wiki", log=lambda message: None)
    log("  status: the demo tree on the real Translate ...")
    wiki.up(port=free_port(), snapshot=DEMO_SNAPSHOT, translate_dir=translate_dir)
    try:
        admin = TranslationAdmin(wiki)
        _prepare(folder, wiki, admin)
        titles = _translatable(wiki, "Global Advocacy")
        log(f"  status: translating {len(titles)} pages into {len(LANGUAGES)} languages ...")
        translations = _translate(wiki, admin, titles)
        log("  status: translate status, twice; run-all; the per-page statistics ...")
        ours_seconds, ours = _cli(folder, wiki, "translate", "status")
        again_seconds, again = _cli(folder, wiki, "translate", "status")
        run_seconds, run = _cli(folder, wiki, "run-all", "--now", NOW)
        full_seconds, full = _cli(folder, wiki, "run-all", "--now", NOW, "--full")
        stat_languages = _statistics_languages(wiki, titles)
        started = time.monotonic()
        per_page = {title: _api(wiki, action="query", meta="messagegroupstats",
                                mgsgroup=f"page-{title}")["query"]["messagegroupstats"] for title in titles}
        per_page_seconds = time.monotonic() - started
        started = time.monotonic()
        by_language = {language: _api(wiki, action="query", meta="languagestats",
                                      lslanguage=language)["query"]["languagestats"] for language in LANGUAGES}
        by_language_seconds = time.monotonic() - started
    finally:
        wiki.down()
    same = all(status.parse_language_stats(by_language[language], language, titles).get(title)
               == status.parse_stats(per_page[title]).get(language) for title in titles for language in LANGUAGES)
    return {
        "pages": len(titles), "languages": list(LANGUAGES), "translations": translations,
        "ours": {"api_requests": ours["api_requests"], "by_action": ours.get("api_requests_by_action", {}),
                 "seconds": round(ours_seconds, 2),
                 "edits": len(ours["edits"]), "errors": ours["errors"]},
        "again": {"api_requests": again["api_requests"], "edits": len(again["edits"]),
                  "seconds": round(again_seconds, 2)},
        "run_all": {"api_requests": run["api_requests"], "edits": len(run["edits"]), "seconds": round(run_seconds, 2),
                    "by_action": run.get("api_requests_by_action", {})},
        "full": {"api_requests": full["api_requests"], "edits": len(full["edits"]), "seconds": round(full_seconds, 2),
                 "by_action": full.get("api_requests_by_action", {}), "pages_read": full["pages_read"]},
        "stat_languages": stat_languages,
        "per_page": {"api_requests": len(titles), "seconds": round(per_page_seconds, 3)},
        "by_language": {"api_requests": len(LANGUAGES), "seconds": round(by_language_seconds, 3)},
        "same_numbers": same,
    }


def table(result: dict) -> list[str]:
    ours, again, run, full = result["ours"], result["again"], result["run_all"], result["full"]
    languages = result["stat_languages"]
    bound = math.ceil(full["pages_read"] / 500) + full["edits"] + 3 + len(languages)
    return [
        f"the demo tree: {result['pages']} translatable pages, the first unit of each translated into "
        f"{len(result['languages'])} languages ({', '.join(result['languages'])}): "
        f"{result['translations']} translations",
        f"translate status: {ours['api_requests']} requests {ours['by_action']}, {ours['edits']} edit, "
        f"{ours['seconds']:.1f} s; again: {again['api_requests']} requests, {again['edits']} edits",
        f"  the numbers, one meta=languagestats a language: {result['by_language']['api_requests']} requests, "
        f"{result['by_language']['seconds']:.2f} s; one meta=messagegroupstats a page (as before): "
        f"{result['per_page']['api_requests']} requests, {result['per_page']['seconds']:.2f} s; "
        f"same numbers for every page and language: {'yes' if result['same_numbers'] else 'NO'}",
        f"run-all afterwards (no edit expected; it asks the recent changes first, and the translations make it "
        f"read the tree): {run['api_requests']} requests {run['by_action']}, {run['edits']} edits, "
        f"{run['seconds']:.1f} s",
        f"run-all --full: {full['api_requests']} requests {full['by_action']}, {full['edits']} edits, "
        f"{full['seconds']:.1f} s; <= ceil({full['pages_read']}/500) + {full['edits']} + 3 + "
        f"{len(languages)} (a statistics request per language: {', '.join(languages)}) = {bound}: "
        f"{'met' if full['api_requests'] <= bound else 'NOT met'}",
    ]
