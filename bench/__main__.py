"""``python -m bench``: our bot against its peers on dev wikis, side by side, in one run.

    python -m bench [--sizes 100,500,2000] [--threads 1000] [--only sync,archive,core,status]
                    [--devwiki-dir DIR] [--translate-dir DIR] [--json] [--results FILE]

1. sync: synthetic trees of each size (drift on 5% of the source pages); ``run-all`` and, on identical
   copies, a pywikibot script reading with ``preloadpages`` (``bench/preload.py``) and a naive
   pywikibot loop (``bench/naive.py``), all with ``put_throttle = 0`` and the same maxlag; API
   requests, edits, wall seconds, peer/ours; then ``run-all`` and the preload script again (no edits);
   then incremental runs (nothing changed, ``--full``, 1% of the pages changed by a human) and the
   watch mode's delay from a human's edit to its fix (``bench/incremental.py``).
2. archive: our ``archive`` and pywikibot's archivebot on copies of one talk page (``--threads``).
3. core: the pure core on large inputs (a 2 MB talk page split and joined; the largest tree planned).
4. status: the status step on the real Translate (``--translate-dir`` or $ADVOCACY_TRANSLATE_DIR: a folder
   holding REL1_39 checkouts of Translate/ and UniversalLanguageSelector/; without it, not measured):
   ``translate status`` beside one ``meta=messagegroupstats`` a page (``bench/status.py``).

Every dev wiki is a throwaway one on a free port (``--devwiki-dir``: run the archive part on that
running wiki instead). Without ``--only``, the output is also written to ``bench/RESULTS.md`` (or
``--results FILE``) with the machine and the date. Needs the test extras (pywikibot-scripts).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from . import archive, core, incremental, status, sync

PARTS = ("sync", "archive", "core", "status")
RESULTS = Path(__file__).with_name("RESULTS.md")


def machine() -> list[str]:
    """The machine, for the results: CPU, cores, memory, OS, Python, PHP, MediaWiki, pywikibot."""
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor() or "unknown CPU")
    memory = next((f"{int(line.split()[1]) / 1024 / 1024:.1f} GB" for line in _lines("/proc/meminfo")
                   if line.startswith("MemTotal")), "unknown")
    php = subprocess.run(["php", "-v"], capture_output=True, text=True).stdout.splitlines()[:1]
    return [f"machine: {cpu}, {os.cpu_count()} cores, {memory} RAM; {platform.platform()}",
            f"software: Python {platform.python_version()}, {php[0] if php else 'PHP ?'}, "
            f"MediaWiki 1.39 (Debian package, SQLite, PHP's built-in server), pywikibot {version('pywikibot')}"]


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def settings_line(config: dict) -> str:
    return ("pywikibot settings of both runs: " + ", ".join(f"{key} = {value}" for key, value in config.items())
            + " (pywikibot's defaults, put_throttle set to 0)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,500,2000", help="tree sizes for the sync part (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=1000, help="threads of the archived talk page (default: 1000)")
    parser.add_argument("--only", default=",".join(PARTS), help="parts to run, of " + ",".join(PARTS))
    parser.add_argument("--translate-dir", type=Path, default=os.environ.get("ADVOCACY_TRANSLATE_DIR") or None,
                        help="Translate/ and UniversalLanguageSelector/ (REL1_39) for the status part "
                             "(default: $ADVOCACY_TRANSLATE_DIR)")
    parser.add_argument("--devwiki-dir", type=Path, help="a running dev wiki for the archive part")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON line at the end")
    parser.add_argument("--results", type=Path, help="write the output here (default: bench/RESULTS.md "
                                                     "when every part runs)")
    args = parser.parse_args(argv)
    parts = [part.strip() for part in args.only.split(",") if part.strip()]
    if set(parts) - set(PARTS):
        parser.error(f"--only: choose from {', '.join(PARTS)}")
    if "archive" in parts and importlib.util.find_spec("pywikibot_scripts") is None:
        sys.exit("needs pywikibot-scripts: pip install -e '.[test]'")
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    results_file = args.results or (RESULTS if set(parts) == set(PARTS) else None)
    quiet = args.json

    out: list[str] = []

    def say(line: str = "") -> None:
        out.append(line)
        if not quiet:
            print(line, flush=True)

    def progress(line: str) -> None:
        if not quiet:
            print(line, file=sys.stderr, flush=True)

    # pywikibot settles on one folder for its files at its first import: one of the bench's own (not the
    # current folder, nor the folder of a dev wiki that goes away before the bench ends).
    pywikibot_dir = tempfile.mkdtemp(prefix="bench-pywikibot-")
    Path(pywikibot_dir, "user-config.py").write_text("")
    os.environ["PYWIKIBOT_DIR"] = pywikibot_dir
    importlib.import_module("pywikibot")

    started = time.monotonic()
    data: dict = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    say(f"# Benchmarks ({data['date']})")
    say()
    for line in machine():
        say(line)
    if "sync" in parts:
        progress("sync: run-all vs a pywikibot script with preloadpages and a naive pywikibot loop")
        rows = [sync.measure(size, log=progress) for size in sizes]
        data["sync"] = rows
        say()
        say("## 1. Sync: run-all vs two pywikibot scripts, drift on 5% of the source pages")
        say("preload: a pywikibot script at its defaults (site.allpages, site.preloadpages at site.maxlimit, "
            "Page.save); naive: page by page (Page.get, Page.save). Both plan with our code, so all three "
            "must end with the same pages.")
        say(settings_line(rows[0]["config"]))
        say("Wall seconds: each run is its own process, timed from start to exit. 'same pages': the three runs "
            "left every page of the tree with the same text. Requests: every HTTP request to the wiki "
            "(login, site info, tokens, reads, saves). No Translate on these wikis: no status step.")
        say()
        for line in sync.table(rows):
            say("    " + line if line else "")
        say()
        say("### Incremental runs and watch mode (after run-all brought the tree to rest)")
        say("nothing changed: run-all as scheduled (it asks the recent changes first); --full: the same run "
            "reading the whole tree, as every run did before; 1% changed: a human took the header call out of "
            "that many pages (as Admin, in the recent changes); next run: the run after the fix. watch: "
            "seconds from a human's save to the page reading fixed, polled every 0.2 s (up to one interval "
            "of waiting included).")
        say()
        for line in incremental.table(rows):
            say("    " + line if line else "")
    if "archive" in parts:
        progress("archive: ours vs archivebot")
        with tempfile.TemporaryDirectory(prefix="bench-archive-") as folder:
            from advocacy_bot.devwiki.manager import DevWiki

            wiki = DevWiki(args.devwiki_dir or folder, log=lambda message: None)
            if not args.devwiki_dir:
                wiki.up(port=sync.free_port())
            try:
                data["archive"] = archive.compare(wiki, args.threads)
            finally:
                if not args.devwiki_dir:
                    wiki.down()
        say()
        say("## 2. Archiving: ours vs pywikibot's archivebot (put_throttle = 0), copies of one talk page")
        say()
        for line in archive.table(data["archive"]):
            say("    " + line)
    if "core" in parts:
        progress("core: the pure core on large inputs")
        with tempfile.TemporaryDirectory() as folder:
            settings = Path(folder, "settings.yaml")
            settings.write_text(sync.SETTINGS)
            data["core"] = {"split": core.talk_split(2.0), "plan": core.plan_tree(max(sizes or [2000]), settings)}
        say()
        say("## 3. The pure core on large inputs (no wiki)")
        say()
        for line in core.table(data["core"]["split"], data["core"]["plan"]):
            say("    " + line)
    if "status" in parts:
        say()
        say("## 4. The status step on the real Translate: statistics by language, not by page")
        say()
        if args.translate_dir is None:
            say("    not measured: needs --translate-dir (or $ADVOCACY_TRANSLATE_DIR), a folder holding REL1_39 "
                "checkouts of Translate/ and UniversalLanguageSelector/")
        else:
            progress("status: the status step on the real Translate")
            with tempfile.TemporaryDirectory(prefix="bench-status-") as folder:
                data["status"] = status.measure(Path(args.translate_dir), Path(folder), log=progress)
            for line in status.table(data["status"]):
                say("    " + line)
    say()
    say(f"(python -m bench --sizes {','.join(map(str, sizes))} --threads {args.threads} --only {','.join(parts)}: "
        f"{time.monotonic() - started:.0f} s in all)")
    if results_file:
        results_file.write_text("\n".join(out) + "\n", encoding="utf-8")
        progress(f"written to {results_file}")
    if args.json:
        print(json.dumps(data))
    shutil.rmtree(pywikibot_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
