"""The markup engine against the Translate extension's own parser test files (conformance/translate/).

- ``X.ptfile`` with ``X.ptsource``: marking gives exactly the ptsource, each ``-1`` replaced in
  document order by highest_id(ptfile)+1, +2, ... (and marking the ptsource itself gives the same).
- any other ``X.ptfile`` (not Fail*): one marker per unit, the markers it had are kept, and marking
  the result again changes nothing.
- ``Fail*.ptfile``: refused (FailNotAtomic by this project's ``not-atomic`` rule).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from advocacy_bot.wikitext.translate_markup import (
    InvalidMarkup,
    add_markers,
    highest_id,
    parse,
    validate,
)
from tests.conftest import SHARED, require_shared

CONFORMANCE = SHARED / "conformance" / "translate"
PTFILES = sorted(CONFORMANCE.glob("*.ptfile")) if CONFORMANCE.is_dir() else []


def _ids(path: Path) -> str:
    return path.stem


def _read(path: Path) -> str:
    # Byte-exact: the files' trailing newlines and spaces are part of the cases.
    return path.read_bytes().decode("utf-8")


def _numbered(ptsource: str, highest: int) -> str:
    counter = itertools.count(highest + 1)
    return re.sub(r"<!--T:-1-->", lambda _: f"<!--T:{next(counter)}-->", ptsource)


@pytest.fixture(autouse=True)
def _conformance_files() -> None:
    """Skipped where the shared folder is missing; failed in CI, which has it."""
    require_shared("conformance", "translate")


@pytest.mark.parametrize("ptfile", PTFILES or [None], ids=_ids if PTFILES else None)
def test_ptfile(ptfile: Path) -> None:
    text = _read(ptfile)
    if ptfile.name.startswith("Fail"):
        problems = validate(text)
        assert problems, f"{ptfile.name} must be refused"
        with pytest.raises(InvalidMarkup):
            add_markers(text)
        return

    assert validate(text) == []
    marked = add_markers(text)
    source = ptfile.with_suffix(".ptsource")
    if source.exists():
        expected = _numbered(_read(source), highest_id(text))
        assert marked == expected
        # The ptsource is itself a page Translate accepts: its -1 placeholders get the same numbers.
        assert add_markers(_read(source), highest_id(text)) == expected
    else:
        before = parse(text)
        after = parse(marked)
        assert after.ok
        assert all(unit.id is not None for unit in after.units)
        assert [len(re.findall(r"<!--T:", marked[u.start:u.end])) for u in after.units] == [1] * len(after.units)
        assert len(after.units) == len(before.units)
        assert set(before.ids) <= set(after.ids)
    assert add_markers(marked) == marked


def test_every_case_is_present() -> None:
    """The folder is the extension's set; a missing file would silently shrink the check."""
    names = {path.stem for path in PTFILES}
    assert {"Simple", "Whitespace", "HeaderSection", "LoneHeader", "Inline", "FailNotAtomic"} <= names
