"""The run lock: two runs that may save to the same wiki never overlap (scheduled jobs can).

An advisory ``flock`` on a file per wiki; the kernel releases it when the process ends, however it
ends, so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
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


def run_lock(path: Path, wait: float = DEFAULT_WAIT_SECONDS):
    """Hold the lock for the duration of the block; after ``wait`` seconds, abort (exit 4)."""
    return _held(path, wait, "", lambda holder: f"another run holds the lock {path} ({holder}); try again when it ends")


def watch_lock_path(lock: Path) -> Path:
    """The file a watch process holds locked for its whole life, beside the run lock."""
    return lock.with_name(lock.stem + ".watch")


def watch_lock(path: Path):
    """Held by ``watch`` as long as it runs: a second watch of the same wiki is refused at once (exit 4),
    and a scheduled ``run-all`` sees it (:func:`watch_holder`) and leaves the wiki to it."""
    return _held(path, 0, "watch ", lambda holder: f"a watch of this wiki is running already ({holder}); {path}")


@contextmanager
def _held(path: Path, wait: float, who: str, refusal: Callable[[str], str]) -> Iterator[None]:
    """An exclusive flock on ``path`` for the block, tried for ``wait`` seconds; the file says who
    holds it ("[who]pid N since ..."); ``refusal(holder)`` is the abort's message."""
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
                    raise RunAborted(refusal(handle.read().strip() or "another process")) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{who}pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def watch_holder(path: Path) -> str | None:
    """Who holds the watch lock ("watch pid N since ..."), or None when no watch runs. Asks without
    waiting and without keeping the lock (the kernel's lock, so a crashed watch holds nothing)."""
    if not path.exists():
        return None
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            return handle.read().strip() or "a watch"
        fcntl.flock(handle, fcntl.LOCK_UN)
        return None
