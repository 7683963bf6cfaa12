import subprocess
import sys

import pytest

from advocacy_bot.lock import lock_path, run_lock
from advocacy_bot.outcomes import RunAborted


def test_a_second_holder_waits_briefly_then_aborts(tmp_path):
    path = tmp_path / "run.lock"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from advocacy_bot.lock import run_lock\n"
        f"with run_lock(Path({str(path)!r})):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(30)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunAborted, match="another run holds the lock"):
            with run_lock(path, wait=0.5):
                pass
    finally:
        holder.kill()
        holder.wait()
    # the kernel released the dead process's lock: no stale lock
    with run_lock(path, wait=0.5):
        assert "pid" in path.read_text()


def test_lock_is_per_wiki(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert lock_path("dev", tmp_path / "wiki") == tmp_path / "wiki" / "run.lock"
    assert lock_path("meta", tmp_path / "wiki") == tmp_path / "cache" / "advocacy-bot" / "meta.lock"
    with run_lock(lock_path("dev", tmp_path / "a"), wait=0.1):
        with run_lock(lock_path("dev", tmp_path / "b"), wait=0.1):
            pass
