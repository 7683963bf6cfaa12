"""``run-all`` vs the naive pywikibot loop (``bench/naive.py``) on synthetic trees, side by side.

For each size: a dev wiki with ``large_tree_pages(size, drift_ratio=0.05)`` (drift on 5% of the source
pages), the roster's accounts, and the root's team list adopted into the staff block (the one-time
setup ``bin/demo`` does too); its database is saved. Then ``run-all`` runs twice (the second run must
make no edit), the pages are read, incremental runs and the watch are measured on it
(``bench/incremental.py``), the database is restored, and the naive loop runs on that identical
copy. Both runs are separate processes timed from start to exit; both must leave the same pages.
"""

from __future__ import annotations

import json
import math
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from . import incremental
from .archive import REPO, child_env, timed

NOW = "2026-11-20T12:00Z"  # the synthetic talk pages are dated for DEMO_NOW
ROOT = "Global Advocacy"
# The large tree's FAQ lists no contacts: the team on the root is the one staff target.
SETTINGS = f"staff:\n  targets:\n    - {{page: {ROOT}, form: cards}}\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cli(wiki, *args: str) -> list[str]:
    return [sys.executable, "-m", "advocacy_bot", "--site", "dev", "--devwiki-dir", str(wiki.directory), *args]


def prepare_wiki(folder: Path, size: int, settings: Path):
    """A running dev wiki with the synthetic tree of ``size`` pages; its database saved in ``folder/base-db``."""
    from advocacy_bot.devwiki.export import export_xml
    from advocacy_bot.devwiki.manager import DevWiki
    from tests.fixtures.snapshot import ROSTER, large_tree_pages

    wiki = DevWiki(folder / "wiki", log=lambda message: None)
    wiki.up(port=free_port())
    xml = folder / "tree.xml"
    xml.write_text(export_xml(large_tree_pages(size, 0.05)), encoding="utf-8")
    wiki.import_xml(xml)
    wiki.create_accounts(member["username"] for member in ROSTER if member.get("username"))
    subprocess.run(cli(wiki, "--config", str(settings), "staff", "adopt", "--page", ROOT, "--section", "The team",
                       "--save"), check=True, capture_output=True, cwd=REPO, env=child_env())
    mark_header_template(wiki, settings)
    wiki.save_database(folder / "base-db")
    return wiki


def mark_header_template(wiki, settings: Path) -> None:
    """The header template as the bot writes it, marked as a translation admin would (on the shim wiki:
    every unit with its marker), so that it renders and both runs roll the header out at once."""
    from advocacy_bot.settings import load_settings
    from advocacy_bot.tasks.nav import template_text
    from advocacy_bot.wiki.reader import PageReader
    from advocacy_bot.wiki.site import open_site
    from advocacy_bot.wikitext.translate_markup import add_markers

    nav_settings = load_settings(str(settings))
    template = nav_settings.nav.template
    client = open_site("dev", wiki.directory)
    try:
        existing = PageReader(client).read([template])[template]
    finally:
        client.close()
    # As the bot writes it (with its mark: the page is the bot's to write, ownership.py), then marked.
    text = template_text(nav_settings, existing.text if existing.exists else "", "AdvocacyBot")
    wiki.edit_as("Admin", template, add_markers(text), "Marked for translation")


def run_ours(wiki, settings: Path, report: Path) -> tuple[float, dict]:
    seconds, _ = timed(cli(wiki, "--config", str(settings), "--report-json", str(report), "run-all", "--now", NOW),
                       child_env())
    return seconds, json.loads(report.read_text())


def run_peer(wiki, settings: Path, module: str = "bench.naive") -> tuple[float, dict]:
    """A pywikibot peer (``bench.naive``: page by page; ``bench.preload``: ``preloadpages``) as a process."""
    seconds, result = timed([sys.executable, "-m", module, "--config", str(settings), "--now", NOW],
                            child_env(wiki))
    return seconds, json.loads(result.stdout.strip().splitlines()[-1])


def wiki_pages(wiki) -> dict[str, str]:
    """Every page of the tree and the bot's user space, with its text: what a run leaves behind."""
    from advocacy_bot.tree import TREE_NAMESPACES, in_tree
    from advocacy_bot.wiki.reader import PageReader
    from advocacy_bot.wiki.site import open_site

    client = open_site("dev", wiki.directory)
    try:
        reader = PageReader(client)
        titles = [t for ns in TREE_NAMESPACES for t in reader.list_prefix(ns, ROOT) if in_tree(t, ROOT)]
        titles += reader.list_prefix(2, client.bot_user + "/")
        return {title: page.text for title, page in reader.read(titles).items()}
    finally:
        client.close()


def request_target(pages: int, edits: int) -> int:
    """Issue 19's bound for a sync with a warm login: ceil(pages/500) + edits + 3."""
    return math.ceil(pages / 500) + edits + 3


def measure(size: int, log=print) -> dict:
    """Both runs on a tree of ``size`` pages; numbers for one row of the table."""
    from tests.fixtures.snapshot import large_tree_drift_titles

    with tempfile.TemporaryDirectory(prefix=f"bench-sync-{size}-") as name:
        folder = Path(name)
        settings = folder / "settings.yaml"
        settings.write_text(SETTINGS)
        log(f"  {size} pages: building the dev wiki ...")
        wiki = prepare_wiki(folder, size, settings)
        try:
            log(f"  {size} pages: run-all, twice ...")
            ours_seconds, ours = run_ours(wiki, settings, folder / "ours.json")
            again_seconds, again = run_ours(wiki, settings, folder / "again.json")
            ours_pages = wiki_pages(wiki)
            log(f"  {size} pages: incremental runs and watch mode ...")
            incremental_row = incremental.measure(wiki, settings, folder, cli, ROOT, NOW, size)
            wiki.restore_database(folder / "base-db")
            log(f"  {size} pages: the pywikibot script with preloadpages, twice ...")
            preload_seconds, preload = run_peer(wiki, settings, "bench.preload")
            preload_again_seconds, preload_again = run_peer(wiki, settings, "bench.preload")
            preload_pages = wiki_pages(wiki)
            wiki.restore_database(folder / "base-db")
            log(f"  {size} pages: the naive loop ...")
            naive_seconds, naive = run_peer(wiki, settings)
            naive_pages = wiki_pages(wiki)
        finally:
            wiki.down()
    differing = sorted(title for title in set(ours_pages) | set(naive_pages) | set(preload_pages)
                       if not ours_pages.get(title) == naive_pages.get(title) == preload_pages.get(title))
    return {
        "pages": size, "drifted": len(large_tree_drift_titles(size, 0.05)),
        "ours": {"api_requests": ours["api_requests"], "edits": len(ours["edits"]), "seconds": round(ours_seconds, 2),
                 "pages_read": ours["pages_read"], "exit_code": ours["exit_code"], "errors": ours["errors"],
                 "verification_reads": ours.get("verification_reads", 0),
                 "by_action": ours.get("api_requests_by_action", {})},
        "again": {"api_requests": again["api_requests"], "edits": len(again["edits"]),
                  "seconds": round(again_seconds, 2), "by_action": again.get("api_requests_by_action", {})},
        "naive": {"api_requests": naive["api_requests"], "edits": naive["edits"], "seconds": round(naive_seconds, 2),
                  "errors": naive["errors"]},
        "preload": {"api_requests": preload["api_requests"], "edits": preload["edits"],
                    "seconds": round(preload_seconds, 2), "errors": preload["errors"]},
        "preload_again": {"api_requests": preload_again["api_requests"], "edits": preload_again["edits"],
                          "seconds": round(preload_again_seconds, 2)},
        "config": naive["config"],
        "same_pages": not differing, "differing": differing[:10],
        "incremental": incremental_row,
    }


def _at_most(ours: dict, peer: dict) -> str:
    return "met" if ours["api_requests"] <= peer["api_requests"] and ours["seconds"] <= peer["seconds"] else "NOT met"


def table(rows: list[dict]) -> list[str]:
    """The sync rows as lines of text: ours, the pywikibot script with preloadpages, the naive loop; the
    ratios peer/ours (above 1: ours is cheaper) and issue 19's bound."""
    lines = [f"{'pages':>6} {'drift':>5} | {'ours: req':>9} {'edits':>5} {'wall s':>7} | "
             f"{'preload: req':>12} {'wall s':>7} | {'naive: req':>10} {'wall s':>7} | "
             f"{'preload/ours: req':>17} {'wall':>6} | {'naive/ours: req':>15} {'wall':>6} | same pages"]
    for row in rows:
        ours, preload, naive = row["ours"], row["preload"], row["naive"]
        lines.append(f"{row['pages']:>6} {row['drifted']:>5} | {ours['api_requests']:>9} {ours['edits']:>5} "
                     f"{ours['seconds']:>7.1f} | {preload['api_requests']:>12} {preload['seconds']:>7.1f} | "
                     f"{naive['api_requests']:>10} {naive['seconds']:>7.1f} | "
                     f"{preload['api_requests'] / ours['api_requests']:>16.2f}x "
                     f"{preload['seconds'] / ours['seconds']:>5.2f}x | "
                     f"{naive['api_requests'] / ours['api_requests']:>14.1f}x {naive['seconds'] / ours['seconds']:>5.1f}x"
                     f" | {'yes' if row['same_pages'] else 'NO'}")
    lines.append("")
    lines.append(f"{'no-op run':>9} {'pages':>6} | {'ours: req':>9} {'edits':>5} {'wall s':>7} | "
                 f"{'preload: req':>12} {'edits':>5} {'wall s':>7}")
    for row in rows:
        again, peer = row["again"], row["preload_again"]
        lines.append(f"{'':>9} {row['pages']:>6} | {again['api_requests']:>9} {again['edits']:>5} "
                     f"{again['seconds']:>7.1f} | {peer['api_requests']:>12} {peer['edits']:>5} {peer['seconds']:>7.1f}")
    lines.append("")
    for row in rows:
        ours, again = row["ours"], row["again"]
        bound = request_target(ours["pages_read"], ours["edits"])
        bound_again = request_target(ours["pages_read"], 0)
        checks = ours.get("verification_reads", 0)
        lines.append(f"{row['pages']} pages: requests {ours['api_requests']} <= ceil({ours['pages_read']}/500) + "
                     f"{ours['edits']} + 3 = {bound}: {'met' if ours['api_requests'] <= bound else 'NOT met'}"
                     f" ({ours['by_action']}; of the queries, {checks} archives read back before their talk "
                     f"page's save)")
        lines.append(f"  no-op run {again['api_requests']} <= {bound_again}: "
                     f"{'met' if again['api_requests'] <= bound_again else 'NOT met'}, "
                     f"{again['edits']} edits{'' if again['edits'] == 0 else ' (must be 0)'}; "
                     f"<= the preloadpages script in requests and wall time: full run "
                     f"{_at_most(ours, row['preload'])}, no-op run {_at_most(again, row['preload_again'])}")
        if not row["same_pages"]:
            lines.append(f"  pages that differ between the runs: {', '.join(row['differing'])}")
        errors = {name: row[name]["errors"] for name in ("ours", "preload", "naive") if row[name]["errors"]}
        if errors:
            lines.append(f"  errors: {errors}")
        if row["pages"] == 500:
            ok = (row["naive"]["api_requests"] >= 10 * ours["api_requests"]
                  and row["naive"]["seconds"] >= 5 * ours["seconds"])
            lines.append(f"  at 500 pages, at least 10x fewer requests and 5x less wall time than the naive loop: "
                         f"{'met' if ok else 'NOT met'}")
    return lines
