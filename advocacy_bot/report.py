"""The run report: what one run read, changed, skipped and failed; JSON for scripts, a summary for people."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .outcomes import ERROR_CODES, SKIP_CODES, ExitCode

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Edit:
    title: str
    old_revid: int | None
    new_revid: int | None  # None in a dry run
    summary: str


@dataclass(frozen=True)
class PageOutcome:
    title: str
    code: str
    message: str


@dataclass(frozen=True)
class Drift:
    title: str
    what: str


SAVES_LISTED = 30  # saves the summary names (a long run's are all in the JSON report)
REPORTS_KEPT = 100  # dated reports of saving runs kept beside the lock (RunReport.keep)


@dataclass(frozen=True)
class TaskEntry:
    """One task's part of a run that did several (``run-all``); an edit composed of several tasks'
    changes counts for each of them."""

    task: str
    exit_code: int
    edits: int = 0
    skipped: int = 0
    errors: int = 0
    message: str | None = None


@dataclass
class RunReport:
    task: str
    site: str
    dry_run: bool
    wiki: str = ""  # the wiki's identity (a dev wiki's own id, else siteinfo's wiki id): undo checks it
    index_url: str = ""  # the wiki's index.php, for the diff links of the summary
    pages_read: int = 0
    api_requests: int = 0
    api_requests_by_action: dict[str, int] = field(default_factory=dict)  # login, query, edit, ...: what they went to
    # Of the queries, the reads made right before a save to check it (the archives hold the threads a
    # talk page is about to lose): one per archived talk page, the price of "nothing is lost".
    verification_reads: int = 0
    edits: list[Edit] = field(default_factory=list)
    skipped: list[PageOutcome] = field(default_factory=list)
    errors: list[PageOutcome] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)
    tasks: list[TaskEntry] = field(default_factory=list)  # run-all: one entry per task
    # run-all: whether it read the tree whole and why (incremental.py); {} for other commands
    incremental: dict = field(default_factory=dict)
    exit_code: int | None = None
    message: str | None = None  # why the run ended early, when it did
    started: float = field(default_factory=time.monotonic, repr=False)
    seconds: float = 0.0

    @property
    def read_nothing(self) -> bool:
        """An incremental run that found nothing changed and did not read the tree (its errors, if any,
        are the last full run's, reported again)."""
        return self.incremental.get("full") is False

    def skip(self, title: str, code: str, message: str) -> None:
        if code not in SKIP_CODES:
            raise ValueError(f"undocumented skip code {code!r}")
        self.skipped.append(PageOutcome(title, code, message))
        log.info("skipped: %s (%s)", code, message, extra={"page": title, "action": "skip"})

    def fail(self, title: str, code: str, message: str) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"undocumented error code {code!r}")
        self.errors.append(PageOutcome(title, code, message))
        log.info("failed: %s (%s)", code, message, extra={"page": title, "action": "fail"})

    def record(self, title: str, code: str, message: str) -> None:
        """A page left alone (a skip code) or failed (an error code): the code tells which."""
        (self.skip if code in SKIP_CODES else self.fail)(title, code, message)

    def outcome_exit_code(self) -> ExitCode:
        """The exit code of a run that finished: 1 when pages failed or a check found drift."""
        return ExitCode.PAGES_FAILED if (self.errors or self.drift) else ExitCode.DONE

    def finish(self, exit_code: int, api_requests: int, message: str | None = None) -> None:
        self.exit_code = int(exit_code)
        self.api_requests = api_requests
        self.message = message
        self.seconds = round(time.monotonic() - self.started, 3)

    def to_dict(self) -> dict:
        data = {key: value for key, value in asdict(self).items() if key not in ("started", "index_url")}
        if data["message"] is None:
            del data["message"]
        if not data["tasks"]:
            del data["tasks"]
        if not data["incremental"]:
            del data["incremental"]
        return data

    def write_json(self, path: Path | str) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)  # e.g. bin/demo's .devwiki/ when the wiki lives elsewhere
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def keep(self, folder: Path, limit: int = REPORTS_KEPT) -> Path:
        """Write the report to ``folder`` under a dated name (``SITE-YYYYMMDDTHHMMSS.ffffffZ-TASK.json``,
        UTC) and remove the oldest beyond ``limit``. Returns the path written."""
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        task = self.task.replace(" ", "-")  # "staff adopt": no space in a file name
        path = folder / f"{self.site}-{stamp}-{task}.json"
        number = 1
        while path.exists():  # two runs in one microsecond
            number += 1
            path = folder / f"{self.site}-{stamp}-{task}-{number}.json"
        self.write_json(path)
        kept = sorted(folder.glob(f"{self.site}-*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in kept[:-limit]:
            old.unlink(missing_ok=True)
        return path

    def summary(self, with_message: bool = True) -> str:
        """The human summary that ends every run (stderr); ``with_message=False`` leaves out why the
        run stopped (when the caller has printed it)."""
        mode = "dry run: " if self.dry_run else ""
        edits = f"{len(self.edits)} {'would be saved' if self.dry_run else 'saved'}"
        lines = [f"{self.task} on {self.site}: {mode}{self.pages_read} pages read, {edits}, "
                 f"{len(self.skipped)} skipped, {len(self.errors)} failed, {self.api_requests} API requests, "
                 f"{self.seconds:.1f} s; exit {self.exit_code}"]
        if self.message and with_message:
            lines.append(f"  stopped: {self.message}")
        if self.incremental:
            lines.append("  read the whole tree: " + "; ".join(self.incremental["reasons"]) if self.incremental["full"]
                         else f"  nothing changed since {self.incremental['since']}: the tree was not read")
        for entry in self.tasks:
            lines.append(f"  task {entry.task}: {entry.edits} {'would be saved' if self.dry_run else 'saved'}, "
                         f"{entry.skipped} skipped, {entry.errors} failed; exit {entry.exit_code}"
                         + (f" ({entry.message})" if entry.message else ""))
        for edit in self.edits[:SAVES_LISTED]:
            lines.append(f"  {'would save' if self.dry_run else 'saved'}   {edit.title}" + (
                f": {self.index_url}?diff={edit.new_revid}&oldid={edit.old_revid}"
                if self.index_url and edit.new_revid and edit.old_revid else ""))
        if len(self.edits) > SAVES_LISTED:
            lines.append(f"  ... and {len(self.edits) - SAVES_LISTED} more saves (the JSON report lists them all)")
        lines += [f"  skipped {skip.title}: {skip.code} ({skip.message})" for skip in self.skipped]
        lines += [f"  FAILED  {error.title}: {error.code} ({error.message})" for error in self.errors]
        lines += [f"  drift   {drift.title}: {drift.what}" for drift in self.drift]
        return "\n".join(lines)
