"""The layers point one way (issue 18): commands/ holds click only, the jobs do the work on a run, and
tasks/ stays pure."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "advocacy_bot"


def functions(path: Path) -> list[ast.FunctionDef]:
    return [node for node in ast.parse(path.read_text()).body if isinstance(node, ast.FunctionDef)]


def imported(path: Path) -> set[str]:
    """The modules ``path`` imports from, as written (``..jobs.nav``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


def test_commands_hold_click_commands_and_their_option_helpers_only():
    """A function of a commands module that works on a run (its first parameter ``run``) is a job."""
    working = [f"{path.name}: {fn.name}" for path in sorted((PACKAGE / "commands").glob("*.py"))
               for fn in functions(path) if fn.args.args and fn.args.args[0].arg == "run"]
    assert working == []
    assert any(fn.args.args[0].arg == "run" for path in (PACKAGE / "jobs").glob("*.py")
               for fn in functions(path) if fn.args.args)  # the scan finds what it looks for


def test_jobs_never_import_commands_and_tasks_never_import_jobs_or_the_wiki():
    jobs = {path.name: imported(path) for path in (PACKAGE / "jobs").glob("*.py")}
    assert {name: sorted(m for m in mods if "commands" in m) for name, mods in jobs.items()
            if any("commands" in m for m in mods)} == {}
    def shell(module: str) -> bool:  # what talks to the wiki or the command line
        return module.split(".")[2:3] in (["jobs"], ["commands"], ["wiki"], ["runner"], ["pipeline"])

    tasks = {path.name: imported(path) for path in (PACKAGE / "tasks").glob("*.py")}
    assert {name: sorted(filter(shell, mods)) for name, mods in tasks.items() if any(map(shell, mods))} == {}


def test_unit_tests_run_no_php():
    """Issue 18: tests/unit installed MediaWiki twice; the live-wiki tests live in tests/integration."""
    unit = Path(__file__).resolve().parent
    live = [path.name for path in sorted(unit.glob("test_*.py"))
            if re.search(r"pytest\.mark\.devwiki|\bDevWiki\(|\[\"php\"|importDump|install\.php", path.read_text())
            and path.name != Path(__file__).name]
    assert live == []
