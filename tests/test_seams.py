"""Typed seams (issue 14): the store, the catalogue and the couple are passed typed, never probed.

Read from the source with ``ast`` (no import, no Textual): a ``getattr``/``hasattr``
on a store, a catalogue or the app hides a contract that exists (or no longer
does) behind a default, and an ``Any`` (or no annotation) where one is passed in
lets a wrong object through silently.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "relworkbook"
SEAMS = ("store", "catalog")  # probed objects
PROBED = ("store", "catalog", "couple")  # attributes probed for, on anything (the app)


def _modules() -> list[tuple[str, ast.Module]]:
    return [(str(path.relative_to(PACKAGE.parent)), ast.parse(path.read_text(encoding="utf-8")))
            for path in sorted(PACKAGE.rglob("*.py"))]


def _last_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def test_nothing_probes_a_store_or_a_catalogue_or_the_app_for_them():
    found = []
    for where, tree in _modules():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("getattr", "hasattr") and len(node.args) >= 2):
                continue
            name = node.args[1].value if isinstance(node.args[1], ast.Constant) else None
            if _last_name(node.args[0]) in SEAMS or name in PROBED:
                found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    assert not found, "\n".join(found)


def test_a_store_catalogue_or_couple_passed_in_has_a_real_type():
    found = []
    for where, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
                if arg.arg not in ("store", "catalog", "couple"):
                    continue
                annotation = ast.unparse(arg.annotation) if arg.annotation is not None else ""
                if not annotation or "Any" in annotation:
                    found.append(f"{where}:{node.lineno}: {node.name}({arg.arg}: {annotation or 'no type'})")
    assert not found, "\n".join(found)
