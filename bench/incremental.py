"""Incremental runs and watch mode on the sync benchmark's wiki (issue 20), after run-all has brought the
tree to rest: what a run costs when nothing changed (as it is, and with ``--full``: what every run cost
before), when a human changed 1% of the pages, and how long a watch takes to fix a human's edit.

The human's change: the header call taken out of a source page (an edit as Admin, through MediaWiki's
own edit script, so it is in the recent changes as a human's edit is). The watch runs with
``--interval WATCH_INTERVAL``; its delay is from the end of the human's save to the moment the page
reads fixed (polled every 0.2 s), so it includes up to one interval of waiting.
"""

from __future__ import annotations

import json
import math
import os
import re
import signal
import subprocess
import time
from pathlib import Path

from .archive import REPO, child_env, timed

WATCH_INTERVAL = 5  # seconds: the benchmark's watch; the Toolforge job uses 30
WATCH_EDITS = 3  # human edits timed one after the other


def _run(cli, wiki, settings: Path, report: Path, *args: str) -> tuple[float, dict]:
    seconds, _ = timed(cli(wiki, "--config", str(settings), "--report-json", str(report), "run-all", *args),
                       child_env())
    return seconds, json.loads(report.read_text())


def _row(seconds: float, report: dict) -> dict:
    return {"api_requests": report["api_requests"], "edits": len(report["edits"]), "seconds": round(seconds, 2),
            "pages_read": report["pages_read"], "full": report.get("incremental", {}).get("full"),
            "by_action": report.get("api_requests_by_action", {})}


def _read(wiki, titles: list[str]) -> dict[str, str]:
    from advocacy_bot.wiki.reader import PageReader
    from advocacy_bot.wiki.site import open_site

    client = open_site("dev", wiki.directory)
    try:
        return {title: page.text for title, page in PageReader(client).read(titles).items()}
    finally:
        client.close()


def _without_header(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(line for line in lines if "/Header" not in line)


def header_pages(wiki, root: str) -> dict[str, str]:
    """The tree's source pages that call the header, with their texts (the pages a human can break)."""
    from advocacy_bot.tree import in_tree
    from advocacy_bot.wiki.reader import PageReader
    from advocacy_bot.wiki.site import open_site

    client = open_site("dev", wiki.directory)
    try:
        reader = PageReader(client)
        titles = [title for title in reader.list_prefix(0, root) if in_tree(title, root)]
        pages = reader.read(titles)
    finally:
        client.close()
    return {title: page.text for title, page in sorted(pages.items())
            if "/Header" in page.text and not _translation(title, pages)}


def _translation(title: str, pages: dict) -> bool:
    """``X/<language code>`` beside a page X: a translation page, Translate's to write (tree.classify)."""
    base, _, code = title.rpartition("/")
    return base in pages and bool(re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)*", code))


def measure(wiki, settings: Path, folder: Path, cli, root: str, now: str, size: int) -> dict:
    """On a wiki at rest after run-all: the rows of the incremental table for one size."""
    rest_seconds, rest = _run(cli, wiki, settings, folder / "rest.json", "--now", now)
    full_seconds, full = _run(cli, wiki, settings, folder / "full.json", "--now", now, "--full")
    pages = header_pages(wiki, root)
    changed = sorted(pages)[:max(1, math.ceil(size / 100))]
    for title in changed:
        wiki.edit_as("Admin", title, _without_header(pages[title]), "the header taken out")
    one_seconds, one = _run(cli, wiki, settings, folder / "one.json", "--now", now)
    fixed = _read(wiki, changed)
    after_seconds, after = _run(cli, wiki, settings, folder / "after.json", "--now", now)
    return {"rest": _row(rest_seconds, rest), "full": _row(full_seconds, full),
            "changed": len(changed), "one_percent": _row(one_seconds, one),
            "fixed": sum(fixed[title] == pages[title] for title in changed), "after": _row(after_seconds, after),
            "watch": watch_delays(wiki, settings, folder, cli, sorted(pages)[-WATCH_EDITS:], pages)}


def watch_delays(wiki, settings: Path, folder: Path, cli, titles: list[str], texts: dict[str, str]) -> dict:
    """``watch --interval WATCH_INTERVAL`` as a process; seconds from each human edit to its fix."""
    log = folder / "watch.err"
    process = subprocess.Popen(cli(wiki, "--config", str(settings), "-v", "watch", "--interval", str(WATCH_INTERVAL)),
                               stdout=subprocess.DEVNULL, stderr=log.open("w"), env=child_env(), cwd=REPO)
    delays: list[float] = []
    try:
        deadline = time.monotonic() + 600
        while "run-all on dev: " not in log.read_text():  # its first run (threads aged as of today: may archive)
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"watch did not run:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        for title in titles:
            wiki.edit_as("Admin", title, _without_header(texts[title]), "the header taken out")
            start = time.monotonic()
            while _read(wiki, [title])[title] != texts[title]:
                if time.monotonic() - start > 120:
                    raise RuntimeError(f"watch did not fix {title} within 120 s:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
            delays.append(round(time.monotonic() - start, 1))
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
        code = process.wait(timeout=120)
    return {"interval": WATCH_INTERVAL, "delays": delays, "exit_code": code}


def table(rows: list[dict]) -> list[str]:
    """The incremental rows as lines of text."""
    lines = [f"{'pages':>6} | {'nothing changed: req':>20} {'wall s':>7} | {'--full: req':>11} {'wall s':>7} | "
             f"{'1% changed: pages':>17} {'req':>4} {'edits':>5} {'wall s':>7} {'fixed':>5} | {'next run: req':>13} | "
             f"watch --interval N: seconds to each fix"]
    for row in rows:
        inc = row["incremental"]
        rest, full, one, after, watch = inc["rest"], inc["full"], inc["one_percent"], inc["after"], inc["watch"]
        lines.append(f"{row['pages']:>6} | {rest['api_requests']:>20} {rest['seconds']:>7.1f} | "
                     f"{full['api_requests']:>11} {full['seconds']:>7.1f} | {inc['changed']:>17} "
                     f"{one['api_requests']:>4} {one['edits']:>5} {one['seconds']:>7.1f} {inc['fixed']:>5} | "
                     f"{after['api_requests']:>13} | "
                     f"N={watch['interval']}: {watch['delays']} (exit {watch['exit_code']})")
    lines.append("")
    for row in rows:
        inc = row["incremental"]
        rest, delays = inc["rest"], inc["watch"]["delays"]
        lines.append(f"{row['pages']} pages: nothing changed: {rest['api_requests']} requests <= 3: "
                     f"{'met' if rest['api_requests'] <= 3 and rest['edits'] == 0 else 'NOT met'} "
                     f"({rest['edits']} edits, tree read: {rest['full']}); 1% changed: every page fixed: "
                     f"{'yes' if inc['fixed'] == inc['changed'] else 'NO'}; the run after it: "
                     f"{inc['after']['api_requests']} requests, {inc['after']['edits']} edits; watch: every fix "
                     f"within a minute: {'met' if delays and max(delays) < 60 else 'NOT met'}")
    return lines
