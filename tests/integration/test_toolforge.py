"""toolforge/build-venv.sh: a rebuild never breaks the bot. Each build goes into a folder of its own and
the link the jobs use moves only once the build works; a failed build leaves the working virtualenv as
it was (issue 17: the script deleted the working virtualenv first). The package built here is a small
stand-in with the same command name, so that the test costs seconds, not a full install."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..conftest import REPO

STAND_IN = """[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "advocacy-bot"
version = "{version}"

[project.scripts]
advocacy-bot = "standin:main"

[tool.setuptools]
py-modules = ["standin"]
"""


def checkout(folder: Path, version: str, broken: bool = False) -> Path:
    """A checkout holding build-venv.sh and a stand-in package of ``version`` (one pip cannot build if ``broken``)."""
    (folder / "toolforge").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "toolforge" / "build-venv.sh", folder / "toolforge" / "build-venv.sh")
    (folder / "constraints.txt").write_text("# none\n")
    (folder / "pyproject.toml").write_text("[project\nbroken" if broken else STAND_IN.format(version=version))
    (folder / "standin.py").write_text(f"def main():\n    print('advocacy-bot {version}')\n")
    return folder


def build(folder: Path, home: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env["HOME"] = str(home)
    return subprocess.run(["bash", str(folder / "toolforge" / "build-venv.sh")], capture_output=True, text=True,
                          env=env, timeout=300)


def bot_version(home: Path) -> str:
    return subprocess.run([str(home / "venv-advocacy-bot" / "bin" / "advocacy-bot")], capture_output=True,
                          text=True, timeout=60).stdout.strip()


def test_a_failed_rebuild_leaves_the_working_virtualenv_and_a_good_one_replaces_it_in_one_step(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    first = build(checkout(tmp_path / "v1", "1.0"), home)
    assert first.returncode == 0, first.stderr
    link = home / "venv-advocacy-bot"
    assert link.is_symlink() and bot_version(home) == "advocacy-bot 1.0"
    working = link.resolve()

    failed = build(checkout(tmp_path / "v2", "2.0", broken=True), home)
    assert failed.returncode != 0
    assert link.resolve() == working and bot_version(home) == "advocacy-bot 1.0"  # the bot still runs
    venvs = sorted(p.name for p in home.iterdir() if p.name.startswith("venv-"))
    assert venvs == sorted([link.name, working.name])  # no half-built folder

    second = build(checkout(tmp_path / "v3", "3.0"), home)
    assert second.returncode == 0, second.stderr
    assert bot_version(home) == "advocacy-bot 3.0" and link.resolve() != working
    assert working.is_dir()  # kept: a run started before the swap goes on with its own interpreter
    third = build(checkout(tmp_path / "v4", "4.0"), home)
    assert third.returncode == 0 and bot_version(home) == "advocacy-bot 4.0"
    assert not working.exists() and len([p for p in home.iterdir() if p.name.startswith("venv-")]) == 3
