"""Every test the docs name exists: ``tests/FILE.py::name`` (and the ``::name`` shorthand
that follows one, meaning the same file) in docs/*.md and README.md is a test function
(or ``Class::method``) in that file, read with ``ast``. A test renamed or removed
without its docs line fails here, so the docs cannot promise a proof that is gone."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
# A file, or a bare ::name after one; names may carry a [param] id, which is dropped.
REFERENCE = re.compile(r"(tests/[\w/]+\.py)?((?:::\w+)+)(?:\[[^\]`]*\])?")


def defined(path: Path) -> set[str]:
    """Test names in a file: functions, classes and Class::method, and names bound at the
    top (``TestMachine = Machine.TestCase``, a hypothesis state machine)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(f"{node.name}::{item.name}")
    return names


def references(text: str) -> list[tuple[str, str]]:
    """[(file, name)] for every `tests/F.py::name` and `::name` (the file named last before it)."""
    found: list[tuple[str, str]] = []
    for line in text.splitlines():
        current = None  # a bare ::name belongs to the file named before it on the same line
        for span in re.findall(r"`([^`]+)`", line):
            for match in REFERENCE.finditer(span):
                if match.group(1):
                    current = match.group(1)
                if current is None:
                    continue
                found.append((current, match.group(2).removeprefix("::")))
    return found


def test_the_reference_reader_reads_files_shorthand_and_parameters():
    line = "| x | `tests/test_a.py::test_one`, `::test_two[bare header]`, `tests/b/test_c.py::K::test_m` |"
    assert references(line) == [
        ("tests/test_a.py", "test_one"), ("tests/test_a.py", "test_two"), ("tests/b/test_c.py", "K::test_m"),
    ]


def test_every_test_the_docs_name_exists():
    missing = []
    count = 0
    for doc in DOCS:
        for file, name in references(doc.read_text(encoding="utf-8")):
            count += 1
            path = ROOT / file
            if not path.is_file():
                missing.append(f"{doc.name}: {file} (no such file)")
            elif name not in defined(path):
                missing.append(f"{doc.name}: {file}::{name}")
    assert count > 100  # the docs name many tests; a reader that finds none is broken
    assert not missing, "named in the docs but not in the tests:\n" + "\n".join(sorted(set(missing)))
