"""``advocacy-bot translate markers --file F [--highest N]``: offline, byte for byte, as a real process.

The conformance folder through the command: a ptfile with a ptsource gives the ptsource (each -1 numbered
from the file's highest id + 1), every other good ptfile gets one marker per unit and is stable, every
Fail ptfile is refused with ``F:LINE: RULE: message`` lines on stderr and exit 1.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from advocacy_bot.wikitext.translate_markup import highest_id, parse, validate
from tests.conftest import SHARED, require_shared

CONFORMANCE = SHARED / "conformance" / "translate"
PTFILES = sorted(CONFORMANCE.glob("*.ptfile")) if CONFORMANCE.is_dir() else []


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def markers(path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("PYWIKIBOT_DIR", None)
    return subprocess.run([sys.executable, "-m", "advocacy_bot", "translate", "markers", "--file", str(path), *args],
                          capture_output=True, env=env, timeout=60)


def write(tmp_path: Path, text: str, name: str = "page.wiki") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_prints_the_page_with_markers_and_no_extra_newline(tmp_path):
    path = write(tmp_path, "<translate>\n== Über == <!--T:4-->\nText.\n\nMore.\n</translate>")
    result = markers(path)
    assert result.returncode == 0 and result.stderr == b""
    assert result.stdout.decode("utf-8") == "<translate>\n== Über == <!--T:4-->\nText.\n\n<!--T:5-->\nMore.\n</translate>"


def test_highest_starts_numbering_after_the_larger_of_n_and_the_file(tmp_path):
    path = write(tmp_path, "<translate><!--T:3--> a</translate> <translate>b</translate>")
    assert markers(path, "--highest", "10").stdout == b"<translate><!--T:3--> a</translate> <translate><!--T:11--> b</translate>"
    assert markers(path, "--highest", "1").stdout == b"<translate><!--T:3--> a</translate> <translate><!--T:4--> b</translate>"


def test_invalid_file_lists_each_problem_in_text_order(tmp_path):
    text = "intro\n<translate>\nA\n<translate>\n</translate>\n</translate>\n<translate>\n<!--T:1-->\n<!--T:2-->\nx\n</translate>"
    path = write(tmp_path, text)
    result = markers(path)
    assert result.returncode == 1 and result.stdout == b""
    lines = result.stderr.decode("utf-8").splitlines()
    assert [line.split(": ")[0:2] for line in lines] == [[f"{path}:4", "pt-parse-nested"],
                                                          [f"{path}:6", "pt-parse-close"],
                                                          [f"{path}:9", "pt-shake-multiple"]]
    assert [(p.rule, p.line) for p in validate(text)] == [("pt-parse-nested", 4), ("pt-parse-close", 6),
                                                          ("pt-shake-multiple", 9)]


def test_usage_errors_exit_2(tmp_path):
    assert markers(tmp_path / "missing.wiki").returncode == 2
    assert markers(write(tmp_path, "x"), "--highest", "-1").returncode == 2
    bad = tmp_path / "latin1.wiki"
    bad.write_bytes(b"caf\xe9")
    result = markers(bad)
    assert result.returncode == 2 and b"not UTF-8" in result.stderr


@pytest.mark.parametrize("ptfile", PTFILES or [None], ids=(lambda path: path.stem) if PTFILES else None)
def test_conformance_through_the_command(ptfile: Path, tmp_path):
    require_shared("conformance", "translate")  # skipped without the shared folder, failed in CI
    result = markers(ptfile)
    text = _read(ptfile)
    if ptfile.name.startswith("Fail"):
        assert result.returncode == 1 and result.stdout == b""
        lines = result.stderr.decode("utf-8").splitlines()
        assert lines and all(re.match(rf"{re.escape(str(ptfile))}:\d+: [a-z-]+: ", line) for line in lines)
        return
    assert result.returncode == 0, result.stderr
    marked = result.stdout.decode("utf-8")
    source = ptfile.with_suffix(".ptsource")
    if source.exists():
        counter = itertools.count(highest_id(text) + 1)
        assert marked == re.sub(r"<!--T:-1-->", lambda _: f"<!--T:{next(counter)}-->", _read(source))
    else:
        units = parse(marked).units
        assert len(units) == len(parse(text).units) and all(unit.id is not None for unit in units)
        assert set(parse(text).ids) <= set(parse(marked).ids)
    again = markers(write(tmp_path, marked, ptfile.name))
    assert again.returncode == 0 and again.stdout.decode("utf-8") == marked
