"""The archive journal: the moves of a talk page between its archive's save and its own.

Archiving saves the archive first and the talk page after it. A run stopped in between leaves a
thread in both places, and the next run must tell that thread (remove it from the talk page only)
from a thread someone posted again with the same text (archive it beside the earlier copy). The
pages cannot tell; the journal can. Before the first save of a talk page's plan its moves are
written here (:class:`~advocacy_bot.tasks.archive.InFlight` records); once the talk page is saved
they are dropped; the next plan of that talk page gets what is left.

It is a file on the machine that runs the bot, beside the run lock (the run lock also makes it
single-writer): keeping it costs the wiki no edit, and page text, which anyone can edit, cannot
forge it. Without the file (another machine, a deleted cache) a stopped run's threads are archived
again: a thread may then stand twice in an archive, never nowhere. A dry run neither writes nor
drops anything.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from .local_files import write_json
from .tasks.archive import InFlight

log = logging.getLogger(__name__)
VERSION = 1


def journal_file(folder: Path, site: str) -> Path:
    """Where the journal of ``site`` lives in the folder of the bot's local state."""
    return Path(folder) / f"{site}-archive-journal.json"


def journal_of(run) -> ArchiveJournal:
    """The journal of the run's wiki, in the folder of its local state (``run.state_dir``: the run
    lock's); in memory when the run has none (a run built by a test)."""
    folder = run.state_dir
    return ArchiveJournal(journal_file(folder, run.report.site) if folder else None)


class ArchiveJournal:
    """The journal's records by talk page; ``path`` None keeps them in memory (tests, one process)."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._records: dict[str, tuple[InFlight, ...]] = self._load()

    def records(self, talk: str) -> tuple[InFlight, ...]:
        return self._records.get(talk, ())

    def keep(self, talk: str, records: Iterable[InFlight]) -> None:
        """Record the moves about to be saved for ``talk`` (replacing its earlier records)."""
        records = tuple(records)
        if records == self.records(talk):
            return
        if records:
            self._records[talk] = records
        else:
            self._records.pop(talk, None)
        self._save()

    def settle(self, saved: Iterable[str]) -> None:
        """Drop the records of the talk pages in ``saved`` (their save completed the moves)."""
        done = [talk for talk in saved if talk in self._records]
        for talk in done:
            del self._records[talk]
        if done:
            self._save()

    def _load(self) -> dict[str, tuple[InFlight, ...]]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {talk: tuple(InFlight(str(r["archive"]), str(r["sha1"]), int(r["copies"])) for r in records)
                    for talk, records in data["talk pages"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            # Unreadable: as if absent (a stopped run's threads may be archived twice, none lost).
            log.warning("archive journal %s unreadable (%s); ignored", self.path, error,
                        extra={"action": "journal"})
            return {}

    def _save(self) -> None:
        if self.path is None:
            return
        data = {"version": VERSION,
                "talk pages": {talk: [asdict(record) for record in records]
                               for talk, records in sorted(self._records.items())}}
        write_json(self.path, data, indent=1)
