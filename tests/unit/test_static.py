"""The code's static checks run with the suite, so CI runs them: ruff (lint, import order) and mypy
(types), both configured in pyproject.toml, clean for advocacy_bot/ and tests/fixtures/ (the generators of the
demo's data, kept outside the package)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def check(tool: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", tool, *args], cwd=REPO, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("tool, args", [("ruff", ("check", "advocacy_bot", "tests/fixtures")), ("mypy", ())],
                         ids=["ruff", "mypy"])
def test_the_package_passes_its_static_checks(tool, args):
    result = check(tool, *args)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checks_fail_on_a_problem(tmp_path):
    """Not a check that cannot fail: each tool refuses a file with the problem it is there to find."""
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n\n\ndef f(x: int) -> str:\n    return x\n")
    linted = check("ruff", "check", "--config", str(REPO / "pyproject.toml"), str(bad))
    assert linted.returncode == 1 and "F401" in linted.stdout  # os imported, never used
    typed = check("mypy", "--config-file", str(REPO / "pyproject.toml"), str(bad))
    assert typed.returncode == 1 and "Incompatible return value type" in typed.stdout
