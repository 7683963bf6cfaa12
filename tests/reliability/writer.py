"""A second writer on loopback, for the concurrency test: a "human" who edits pages of the tree through
the API (anonymously, from 127.0.0.1) while the bot runs.

    python -m tests.reliability.writer --api URL --titles FILE --talk TITLE [--edits 60] [--seconds 20]

Each edit reads the page and saves it with its base revision, as an editor in a browser does: a line
with a unique token appended at the bottom or put at the very top, or (on the talk page) a new thread.
An edit MediaWiki refuses as a conflict is not saved (the human would see the conflict). Bounded: at
most --edits edits and --seconds seconds. Prints "ready" once it can edit, then, at the end, one JSON
line: {title: [tokens of the edits the wiki saved]}.
"""

from __future__ import annotations

import argparse
import json
import random
import time
import uuid

import requests


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--titles", required=True, help="a file with one title a line")
    parser.add_argument("--talk", required=True)
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    titles = [line for line in open(args.titles, encoding="utf-8").read().splitlines() if line]
    rng = random.Random(args.seed)
    session = requests.Session()
    session.headers["User-Agent"] = "advocacy-bot reliability test (a human on loopback)"

    def api(method: str, **params) -> dict:
        params["format"] = "json"
        params["formatversion"] = 2
        answer = session.request(method, args.api, **({"params": params} if method == "GET" else {"data": params}),
                                 timeout=30)
        return answer.json()

    token = api("GET", action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
    print("ready", flush=True)
    saved: dict[str, list[str]] = {}
    deadline = time.monotonic() + args.seconds
    for number in range(args.edits):
        if time.monotonic() > deadline:
            break
        title = rng.choice(titles + [args.talk])
        mark = f"human-{number}-{uuid.uuid4().hex[:6]}"
        page = api("GET", action="query", prop="revisions", titles=title, rvprop="ids|content",
                   rvslots="main")["query"]["pages"][0]
        revision = page["revisions"][0]
        text = revision["slots"]["main"]["content"]
        if title == args.talk:
            text += f"\n\n== Question {mark} ==\nA new question. 11:00, 19 November 2026 (UTC)"
        elif rng.random() < 0.25:
            text = f"<!-- {mark} -->\n{text}"  # at the very top, where the bot's header goes: a real conflict
        else:
            text += f"\n\nA note from a human: {mark}."
        answer = api("POST", action="edit", title=title, text=text, baserevid=revision["revid"], nocreate=1,
                     summary="a human edit", token=token)
        if answer.get("edit", {}).get("result") == "Success":
            saved.setdefault(title, []).append(mark)
        time.sleep(rng.uniform(0, 0.03))
    print(json.dumps(saved), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
