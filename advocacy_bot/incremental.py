"""Incremental runs: ``run-all`` reads the tree only when something can have changed its outcome.

A complete run (not a dry run; exit 0, or exit 1 with only lasting errors, :func:`settles`) leaves its
state in a file beside the run lock (``SITE-run-state.json``): the wiki's time of the run's first
request (its *position*), when the tree was last read whole, the first moment a talk-page thread
becomes due, the revisions of the run's own pages (root, header template, roster, state and status
pages) as it left them, the revisions of the tree's pages the last full run planned on and its lasting
errors (reported again by every run that reads nothing), a fingerprint of what it was asked to do
(settings, tasks, the bot's version), and the changes it already acted on.

The next run decides before reading the tree (:func:`reasons_to_read` and :func:`reasons_in_changes`):
it reads everything when there is no usable state, on ``--full``, when the fingerprint differs, when
the last full read is a day old, or when a thread has become due; otherwise its first request asks the
wiki's recent changes since the position, with its own pages (``BotRun.recent_changes``). A change to a
page of the tree or to a unit translation of one (``tree.bears_on_tree``: an edit, a new page, a log
entry: move, deletion, protection, marking for translation) that is neither one of the last runs' own
saves, nor one they already saw, nor an edit older than the revision the last full run planned on, or
another revision of one of its own pages, makes it a full run. If nothing changed, the run ends there: one
request, nothing saved, the state's position moved on.

Recent changes are asked from a margin before the position (MARGIN): MediaWiki writes a change's
row after the edit, with the edit's time, so a change of the position's last seconds can show up late.
The changes and own saves inside the margin are kept (``seen``, ``own``) so that they count once.

The file is a cache of decisions, never of content: absent, unreadable or of another wiki, the run is
full. Deleting it makes the next run full.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .local_files import write_json

log = logging.getLogger(__name__)

VERSION = 1
MARGIN = timedelta(minutes=5)  # recent changes are asked from this long before the position
FULL_EVERY = timedelta(days=1)  # the tree is read whole at least this often


def state_file(folder: Path, site: str) -> Path:
    return Path(folder) / f"{site}-run-state.json"


def wiki_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_wiki_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def fingerprint(*parts: object) -> str:
    """What a run was asked to do, as one digest: the same settings and tasks give the same one."""
    return hashlib.sha256("\x00".join(repr(part) for part in parts).encode("utf-8")).hexdigest()


@dataclass
class RunState:
    wiki: str
    position: str = ""  # the wiki's time of the last complete run's first request
    last_full: str = ""  # the wiki's time of the first request of the last run that read the tree whole
    next_due: str = ""  # the first moment a talk page's thread becomes due ("": none will without an edit)
    fingerprint: str = ""
    extensions: tuple[str, ...] = ()  # the wiki's extensions then (Translate installed or not changes the plans)
    pages: dict[str, int] = field(default_factory=dict)  # the run's own pages -> revision as it left them
    seen: dict[str, str] = field(default_factory=dict)  # rcid -> time: changes already acted on (the margin)
    own: dict[str, str] = field(default_factory=dict)  # revid -> time: the bot's own saves (the margin)
    read: dict[str, int] = field(default_factory=dict)  # tree page -> the revision the last full run planned on
    # the lasting errors of the last full run: title -> [code, message]; a run that reads nothing reports
    # them again (its exit code stays 1 until a change makes a full run that no longer meets them)
    failing: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, wiki: str) -> RunState | None:
        """The state a complete run left, or None (none yet, unreadable, another wiki's)."""
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != VERSION or not wiki or data.get("wiki") != wiki:
                return None
            state = cls(wiki, str(data["position"]), str(data["last full"]), str(data["next due"]),
                        str(data["fingerprint"]), tuple(str(name) for name in data["extensions"]),
                        {str(title): int(revid) for title, revid in data["pages"].items()},
                        {str(key): str(value) for key, value in data["seen"].items()},
                        {str(key): str(value) for key, value in data["own"].items()},
                        {str(title): int(revid) for title, revid in data["read"].items()},
                        {str(title): [str(code), str(message)] for title, (code, message) in data["failing"].items()})
            parse_wiki_time(state.position)
            parse_wiki_time(state.last_full)
            if state.next_due:
                parse_wiki_time(state.next_due)
            return state
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            log.warning("run state %s unreadable (%s); this run reads the whole tree", path, error,
                        extra={"action": "incremental"})
            return None

    def save(self, path: Path) -> None:
        """Written whole, then renamed (a crash leaves the old file or the new one)."""
        data = {"version": VERSION, "wiki": self.wiki, "position": self.position, "last full": self.last_full,
                "next due": self.next_due, "fingerprint": self.fingerprint, "extensions": list(self.extensions),
                "pages": dict(sorted(self.pages.items())), "seen": self.seen, "own": self.own,
                "read": dict(sorted(self.read.items())), "failing": dict(sorted(self.failing.items()))}
        write_json(path, data, indent=1)

    def since(self) -> str:
        """Where the next run's recent changes start: the position less the margin."""
        return wiki_time(parse_wiki_time(self.position) - MARGIN)


# -- deciding (pure) ---------------------------------------------------------------------------------

# Errors that the same run would meet again until someone changes the page, its protection, the roster
# or the settings, each of which the next run sees. A run whose only errors are of these kinds leaves a
# state (else a page failing for good would make every run read the whole tree); any other error (an
# edit conflict, an API error, a failed verification) leaves none, so the next run reads the tree again.
LASTING_ERRORS = frozenset({"protected", "invalid-markup", "outside-tree", "invalid-title", "no-staff-block",
                            "roster-shrinks"})


def settles(exit_code: int, error_codes: Iterable[str]) -> bool:
    """Whether a finished full run may leave a state: exit 0, or exit 1 with only lasting errors."""
    return exit_code == 0 or (exit_code == 1 and set(error_codes) <= LASTING_ERRORS)


def reasons_to_read(state: RunState | None, *, full_asked: bool, print_: str, clock: datetime,
                    moment: datetime) -> list[str]:
    """Why this run reads the whole tree without asking what changed first ([]: ask first).

    ``clock`` is the time now, ``moment`` the time the run ages threads at (``--now``, else now).
    """
    if full_asked:
        return ["asked with --full"]
    if state is None:
        return ["no earlier complete run on this machine"]
    if state.fingerprint != print_:
        return ["the settings, the tasks or the bot's version changed since the last run"]
    if clock - parse_wiki_time(state.last_full) >= FULL_EVERY:
        return [f"the tree was last read whole at {state.last_full}, a day ago or more"]
    if state.next_due and moment >= parse_wiki_time(state.next_due):
        return [f"a talk-page thread became due at {state.next_due}"]
    return []


@dataclass(frozen=True)
class Change:
    """One entry of ``list=recentchanges`` as far as the decision needs it."""

    rcid: str
    kind: str  # edit, new, log
    titles: tuple[str, ...]  # the page; for a move also its new title
    revid: int
    timestamp: str
    user: str
    action: str = ""  # a log entry's type/action, e.g. move/move

    @classmethod
    def from_api(cls, entry: Mapping) -> Change:
        titles = [str(entry.get("title", ""))]
        params = entry.get("logparams")
        target = params.get("target_title") if isinstance(params, dict) else None
        if target:
            titles.append(str(target))
        action = f"{entry.get('logtype', '')}/{entry.get('logaction', '')}" if entry.get("type") == "log" else ""
        return cls(str(entry.get("rcid", "")), str(entry.get("type", "")), tuple(titles),
                   int(entry.get("revid") or 0), str(entry.get("timestamp", "")), str(entry.get("user", "")), action)

    def planned_on(self, read: Mapping[str, int]) -> bool:
        """An edit the last full run's plans already saw: the revision it read is this one or later
        (edits just before a full run, inside the margin, count no more)."""
        return self.kind in ("edit", "new") and 0 < self.revid <= read.get(self.titles[0], 0)

    def describe(self) -> str:
        what = self.action or ("created" if self.kind == "new" else "edited")
        return f"{' -> '.join(self.titles)} {what} by {self.user or '(hidden)'} at {self.timestamp}"


def reasons_in_changes(state: RunState, *, changes: Iterable[Change], complete: bool,
                       pages: Mapping[str, int], extensions: Iterable[str],
                       in_tree: Callable[[str], bool], shown: int = 5) -> tuple[list[str], list[Change]]:
    """Why this run reads the whole tree after all, from its first request's answer ([]: nothing
    changed), and the changes that count.

    ``changes``: recent changes since :meth:`RunState.since`, ``complete`` false when there were more
    than one answer lists; ``pages``: the run's own pages and their revisions now (0: missing).
    """
    reasons: list[str] = []
    if tuple(sorted(extensions)) != state.extensions:
        reasons.append("the wiki's extensions changed")
    for title, revid in pages.items():
        if state.pages.get(title, -1) != revid:
            reasons.append(f"{title} changed (revision {state.pages.get(title, 'unknown')} -> {revid or 'missing'})")
    counted = [change for change in changes
               if change.rcid not in state.seen
               and not (change.revid and str(change.revid) in state.own)
               and not change.planned_on(state.read)
               and any(in_tree(title) for title in change.titles)]
    reasons += [change.describe() for change in counted[:shown]]
    if len(counted) > shown:
        reasons.append(f"... and {len(counted) - shown} more changes")
    if not complete:
        reasons.append("more recent changes than one answer lists")
    return reasons, counted


def next_state(old: RunState | None, *, wiki: str, position: str, full: bool, print_: str,
               extensions: Iterable[str], pages: Mapping[str, int], next_due: datetime | None,
               seen: Iterable[Change], own: Iterable[int], read: Mapping[str, int] | None = None,
               failing: Mapping[str, list[str]] | None = None) -> RunState:
    """The state a complete run leaves: its position; the changes and own saves inside the margin
    kept; ``read`` and ``failing``: the tree's revisions a full run planned on and its lasting errors
    (None: the old ones kept)."""
    floor = wiki_time(parse_wiki_time(position) - MARGIN)
    kept_seen = {rcid: when for rcid, when in (old.seen if old else {}).items() if when >= floor}
    kept_seen.update({change.rcid: change.timestamp for change in seen if change.rcid and change.timestamp >= floor})
    kept_own = {revid: when for revid, when in (old.own if old else {}).items() if when >= floor}
    kept_own.update({str(revid): position for revid in own if revid})
    return RunState(wiki, position, position if full or old is None else old.last_full,
                    wiki_time(next_due) if next_due else "", print_, tuple(sorted(extensions)),
                    dict(pages), kept_seen, kept_own,
                    dict(read) if read is not None else dict(old.read if old else {}),
                    dict(failing) if failing is not None else dict(old.failing if old else {}))
