"""Our ``archive`` vs pywikibot's archivebot, on copies of the same large talk page.

Both bots run as separate processes against one dev wiki, each on its own copy of the same talk page
(``large_talk_page``: a ``{{User:MiszaBot/config}}`` with algo=old(90d), maxarchivesize=150K,
minthreadsleft=3; no index), with the same settings: archivebot with ``put_throttle = 0``, ours with
the resolved-thread rule off (archivebot has none). Measured: the wall time of each process, the HTTP
requests to the wiki, the edits, and whether both archived exactly the same threads.

``python -m bench.archive --peer TITLE`` is the archivebot child process (not for people).
"""

from __future__ import annotations

import json
import os
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
    counter = RequestCounter()  # installed first: what pywikibot asks while it makes the site counts too
    http.session.hooks.setdefault("response", []).append(counter)
    site = pywikibot.Site()
    counter.host = urlsplit(site.base_url(site.apipath())).netloc
    # archivebot's messages ship in the pywikibot_scripts package; the dev wiki's family code is not
    # a language code, so its summaries are taken in English.
    i18n.set_messages_package("pywikibot_scripts.i18n")
    from pywikibot_scripts import archivebot

    english = i18n.twtranslate
    archivebot.i18n.twtranslate = lambda _code, key, parameters=None, **kw: english("en", key, parameters, **kw)
    archivebot.main(f"-page:{title}", "-namespace:1")
    print(json.dumps({"api_requests": counter.count, "edits": counter.by_action.get("edit", 0)}))


def timed(command: list[str], env: dict, cwd: Path = REPO) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``command``; its wall time in seconds (process start included) and its result."""
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=3600, cwd=cwd)
    seconds = time.monotonic() - start
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{command[1:4]} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return seconds, result


def child_env(wiki=None) -> dict:
    """The environment of a child process: the dev wiki's pywikibot folder for pywikibot's own scripts."""
    env = {key: value for key, value in os.environ.items() if key != "PYWIKIBOT_DIR"}
    if wiki is not None:
        env["PYWIKIBOT_DIR"] = str(wiki.info().pywikibot_dir)
    return env


def compare(wiki, threads: int) -> dict:
    """Both archivers on copies of one talk page of ``threads`` threads, in ``wiki`` (running)."""
    from advocacy_bot.devwiki.export import SnapshotPage, export_xml
    from advocacy_bot.wiki.reader import PageReader
    from advocacy_bot.wiki.site import open_site
    from advocacy_bot.wikitext.talk_threads import split_threads
    from tests.fixtures.snapshot import large_talk_page

    tag = uuid.uuid4().hex[:6]
    ours, peer = f"Benchmark {tag} ours", f"Benchmark {tag} archivebot"
    page = large_talk_page(threads)  # the same page on every run: its text depends on its title
    copies = [SnapshotPage(f"Talk:{root}", page.text.replace("Global Advocacy", root), page.timestamp)
              for root in (ours, peer)]
    xml = wiki.directory / f"benchmark-{tag}.xml"
    xml.write_text(export_xml(copies), encoding="utf-8")
    wiki.import_xml(xml)
    xml.unlink()

    with tempfile.TemporaryDirectory() as folder:
        settings = Path(folder, "settings.yaml")
        settings.write_text(f"root: {ours}\narchive:\n  resolvedtemplates: []\n")
        report = Path(folder, "report.json")
        ours_seconds, _ = timed([sys.executable, "-m", "advocacy_bot", "--site", "dev", "--devwiki-dir",
                                 str(wiki.directory), "--config", str(settings), "--report-json", str(report),
                                 "archive"], child_env())
        ours_report = json.loads(report.read_text())
    peer_seconds, result = timed([sys.executable, "-m", "bench.archive", "--peer", f"Talk:{peer}"], child_env(wiki))
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


def table(result: dict) -> list[str]:
    """The comparison as lines of text."""
    lines = [f"archiving a talk page of {result['threads']} threads (no index; algo=old(90d), "
             "maxarchivesize=150K, minthreadsleft=3, minthreadstoarchive=1)",
             f"{'':12}{'wall time':>11}{'API requests':>14}{'edits':>7}{'archived':>10}  threads per archive"]
    for name in ("ours", "archivebot"):
        row = result[name]
        lines.append(f"{name:12}{row['seconds']:>9.2f} s{row['api_requests']:>14}{row['edits']:>7}"
                     f"{row['archived']:>10}  {row['per_archive']}")
    ours, peer = result["ours"], result["archivebot"]
    lines.append(f"ratio archivebot/ours: requests {peer['api_requests'] / ours['api_requests']:.2f}, "
                 f"wall time {peer['seconds'] / ours['seconds']:.2f}")
    lines.append("same threads archived and kept: " + ("yes" if result["same_threads"] else "NO"))
    met = (ours["api_requests"] <= peer["api_requests"] and ours["edits"] <= peer["edits"]
           and ours["seconds"] < peer["seconds"])
    lines.append("target (no more requests or edits than archivebot, less wall time): " + ("met" if met else "NOT met"))
    return lines


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--peer":
        run_archivebot(sys.argv[2])
    else:
        sys.exit("usage: python -m bench.archive --peer TITLE (the archivebot child of python -m bench)")
