"""The run lock: two runs that may save to the same wiki never overlap (scheduled jobs can).

An advisory ``flock`` on a file per wiki; the kernel releases it when the process ends, however it
ends, so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .outcomes import RunAborted

DEFAULT_WAIT_SECONDS = 10.0


def lock_path(site: str, devwiki_dir: Path) -> Path:
    """Where the lock of ``site`` lives: in the dev wiki's folder, or the user's cache for Meta-Wiki."""
    if site == "dev":
        return Path(devwiki_dir) / "run.lock"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "advocacy-bot"
    return base / f"{site}.lock"


@contextmanager
def run_lock(path: Path, wait: float = DEFAULT_WAIT_SECONDS) -> Iterator[None]:
    """Hold the lock for the duration of the block; after ``wait`` seconds, abort (exit 4)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another run"
                    raise RunAborted(f"another run holds the lock {path} ({holder}); try again when it ends") from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
