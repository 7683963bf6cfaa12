"""One owner of Translate's syntax: markers, tvars, inline units, retired ids and id order are read and
written by wikitext/translate_markup.py only, so the bot cannot read a marker one way and write it
another (issue 18: three marker patterns with different character classes, _TVAR_OLD three times)."""

from __future__ import annotations

import ast
from pathlib import Path

from advocacy_bot.wikitext import translate_markup as tm

PACKAGE = Path(tm.__file__).resolve().parents[1]
OWNER = Path(tm.__file__).resolve()
SYNTAX = ("<!--T:", "<tvar", "</tvar")


def code_strings(path: Path) -> list[tuple[int, str]]:
    """String constants of a module that are not docstrings (f-string pieces included)."""
    tree = ast.parse(path.read_text())
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_module_but_the_owner_spells_translate_syntax():
    found = [f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
             for path in sorted(PACKAGE.rglob("*.py")) if path != OWNER
             for line, text in code_strings(path) if any(piece in text for piece in SYNTAX)
             and "…" not in text]  # "old <tvar|…> variable": a description for people (a summary), not markup
    assert found == []


def test_the_owner_still_spells_it():
    """The scan above finds what it looks for (it would pass on an empty package otherwise)."""
    assert any("<!--T:" in text for _, text in code_strings(OWNER))
    assert any("<tvar" in text for _, text in code_strings(OWNER))


def test_the_pieces_read_back_as_the_parser_reads_them():
    unit = tm.inline_unit("Public Policy Director", "9")
    [parsed] = tm.parse(unit).units
    assert (parsed.id, parsed.text, parsed.inline) == ("9", "Public Policy Director", True)
    assert tm.parse(tm.inline_unit("New")).units[0].id is None  # numbered by marking
    retired = tm.retired_ids(["10", "2", "x", "2"], "kept")
    assert retired == "<!-- kept --><!--T:2--><!--T:10--><!--T:x-->"
    assert tm.highest_id(retired) == 10 and tm.marker_ids(retired) == ["2", "10", "x"]
    assert tm.marker_ids("<!--T:-1--> <!--T:3--> <!--T:3-->") == ["3"]
    assert sorted(["10", "b", "2", "a"], key=tm.id_order) == ["2", "10", "a", "b"]
    assert tm.unwrap_tvars("a <tvar name=x>B</tvar> <tvar|y>C</> <tvar name='z z'>D</tvar>") == "a B C D"
    assert tm.new_tvar("home", "[[Home]]") == "<tvar name=home>[[Home]]</tvar>"
    assert tm.new_tvar("a b", "v") == '<tvar name="a b">v</tvar>' and tm.new_tvar("a\"'", "v") is None
    [variable] = tm.parse(f"<translate>Go {tm.new_tvar('a b', 'x')}</translate>").units[0].variables
    assert (variable.name, variable.value) == ("a b", "x")
