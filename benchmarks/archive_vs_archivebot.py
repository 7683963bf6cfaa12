"""Benchmark: ``advocacy-bot archive`` vs pywikibot's archivebot on copies of the same large talk page.

    .venv/bin/python benchmarks/archive_vs_archivebot.py [--threads 1000] [--devwiki-dir DIR] [--json]

Both bots run as separate processes against one dev wiki, each on its own copy of the same talk page
(``large_talk_page``: a ``{{User:MiszaBot/config}}`` with algo=old(90d), maxarchivesize=150K,
minthreadsleft=3; no index), with the same settings: archivebot with ``put_throttle = 0``, ours with
the resolved-thread rule off (archivebot has none). Prints the wall time of each process, the HTTP
requests to the wiki, the edits, and whether both archived exactly the same threads.

Needs pywikibot-scripts (the test extras install it). Without ``--devwiki-dir`` a throwaway dev wiki
is started on a free port and stopped at the end.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_archivebot(title: str) -> None:
    """(In the child process) archive ``title`` with archivebot; print requests, edits and seconds."""
    from urllib.parse import urlsplit

    import pywikibot
    from pywikibot import config, i18n
    from pywikibot.comms import http

    from advocacy_bot.wiki.client import RequestCounter

    config.put_throttle = 0
    site = pywikibot.Site()
    counter = RequestCounter(urlsplit(site.base_url(site.apipath())).netloc)
    http.session.hooks.setdefault("response", []).append(counter)
    # archivebot's messages ship in the pywikibot_scripts package; the dev wiki's family code is not
    # a language code, so its summaries are taken in English.
    i18n.set_messages_package("pywikibot_scripts.i18n")
    from pywikibot_scripts import archivebot

    english = i18n.twtranslate
    archivebot.i18n.twtranslate = lambda _code, key, parameters=None, **kw: english("en", key, parameters, **kw)
    archivebot.main(f"-page:{title}", "-namespace:1")
    print(json.dumps({"api_requests": counter.count, "edits": counter.by_action.get("edit", 0)}))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _timed(command: list[str], env: dict) -> tuple[float, subprocess.CompletedProcess]:
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
    seconds = time.monotonic() - start
    if result.returncode != 0:
        sys.exit(f"{command[2:]} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return seconds, result


def compare(wiki, threads: int) -> dict:
    from advocacy_bot.devwiki.snapshot import SnapshotPage, export_xml, large_talk_page
    from advocacy_bot.wiki.reader import PageReader
    from advocacy_bot.wiki.site import open_site
    from advocacy_bot.wikitext.talk_threads import split_threads

    tag = uuid.uuid4().hex[:6]
    ours, peer = f"Benchmark {tag} ours", f"Benchmark {tag} archivebot"
    page = large_talk_page(threads)  # the same page on every run: its text depends on its title
    copies = [SnapshotPage(f"Talk:{root}", page.text.replace("Global Advocacy", root), page.timestamp)
              for root in (ours, peer)]
    xml = wiki.directory / f"benchmark-{tag}.xml"
    xml.write_text(export_xml(copies), encoding="utf-8")
    wiki.import_xml(xml)
    xml.unlink()

    env = {key: value for key, value in os.environ.items() if key != "PYWIKIBOT_DIR"}
    with tempfile.TemporaryDirectory() as folder:
        settings = Path(folder, "settings.yaml")
        settings.write_text(f"root: {ours}\narchive:\n  resolvedtemplates: []\n")
        report = Path(folder, "report.json")
        ours_seconds, _ = _timed([sys.executable, "-m", "advocacy_bot", "--site", "dev", "--devwiki-dir",
                                  str(wiki.directory), "--config", str(settings), "--report-json", str(report),
                                  "archive"], env)
        ours_report = json.loads(report.read_text())
    peer_env = dict(env, PYWIKIBOT_DIR=str(wiki.info().pywikibot_dir))
    peer_seconds, result = _timed([sys.executable, __file__, "--peer", f"Talk:{peer}"], peer_env)
    peer_numbers = json.loads(result.stdout.strip().splitlines()[-1])

    client = open_site("dev", wiki.directory)
    reader = PageReader(client)
    outcome = {}
    for name, root in (("ours", ours), ("archivebot", peer)):
        archives = [f"Talk:{root}/Archive {n}" for n in range(1, 20)]
        pages = reader.read([f"Talk:{root}", *archives])
        outcome[name] = {
            "kept": [t.heading for t in split_threads(pages[f"Talk:{root}"].text).threads],
            "archived": [[t.heading for t in split_threads(pages[title].text).threads]
                         for title in archives if pages[title].exists],
        }
    client.close()
    archived = {name: sorted(h for archive in data["archived"] for h in archive) for name, data in outcome.items()}
    return {
        "threads": threads,
        "same_threads": outcome["ours"]["kept"] == outcome["archivebot"]["kept"]
        and archived["ours"] == archived["archivebot"],
        "ours": {"seconds": round(ours_seconds, 2), "api_requests": ours_report["api_requests"],
                 "edits": len(ours_report["edits"]), "archived": len(archived["ours"]),
                 "per_archive": [len(a) for a in outcome["ours"]["archived"]]},
        "archivebot": {"seconds": round(peer_seconds, 2), **peer_numbers, "archived": len(archived["archivebot"]),
                       "per_archive": [len(a) for a in outcome["archivebot"]["archived"]]},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--devwiki-dir", type=Path, help="a running dev wiki (default: a throwaway one)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--peer", metavar="TITLE", help=argparse.SUPPRESS)  # the archivebot child process
    args = parser.parse_args()
    if args.peer:
        run_archivebot(args.peer)
        return 0
    if importlib.util.find_spec("pywikibot_scripts") is None:
        sys.exit("needs pywikibot-scripts: .venv/bin/pip install -e '.[test]'")
    sys.path.insert(0, str(REPO))
    from advocacy_bot.devwiki.manager import DevWiki

    with tempfile.TemporaryDirectory(prefix="archive-benchmark-") as folder:
        wiki = DevWiki(args.devwiki_dir or folder, log=lambda message: None)
        if not args.devwiki_dir:
            wiki.up(port=_free_port())
        try:
            result = compare(wiki, args.threads)
        finally:
            if not args.devwiki_dir:
                wiki.down()
    if args.json:
        print(json.dumps(result))
    else:
        print(f"archiving a talk page of {result['threads']} threads (dev wiki, MediaWiki 1.39, PHP's server)")
        print(f"{'':12}{'wall time':>11}{'API requests':>14}{'edits':>7}{'archived':>10}  threads per archive")
        for name in ("ours", "archivebot"):
            row = result[name]
            print(f"{name:12}{row['seconds']:>9.2f} s{row['api_requests']:>14}{row['edits']:>7}{row['archived']:>10}"
                  f"  {row['per_archive']}")
        print("same threads archived and kept:", "yes" if result["same_threads"] else "NO")
    return 0 if result["same_threads"] else 1


if __name__ == "__main__":
    sys.exit(main())
