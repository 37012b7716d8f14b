"""``demo`` and ``import`` take the app's window lock: with the app open on the file they refuse.

The scenario from the field: the app open at the first-run form on a new
file; ``import`` (or ``demo``) filled the workbook, then the form's Begin wrote
its names over the imported ones. Both commands now say the workbook is in use
and write nothing; once the window is closed they work.
"""

from __future__ import annotations

import json
import sys

import pytest

from relworkbook import demo
from relworkbook.catalog import load_catalog
from relworkbook.store import Store
from test_cli import assert_one_line_error, run

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty and flock")


def test_demo_and_import_refuse_a_workbook_open_in_a_window(tmp_path):
    from test_crash_pty import Terminal

    export = tmp_path / "export.json"
    with Store.open(tmp_path / "source.db") as store:
        demo.generate(store, load_catalog(()), weeks=2, seed=1, today=demo.SAMPLE_TODAY)
        export.write_text(json.dumps(store.export_data()), encoding="utf-8")
    db = tmp_path / "new.db"
    term = Terminal(db, tmp_path / "home")
    try:
        term.wait_for("Safety first")  # the first-run form, holding the window lock
        for args in (("demo", "--db", str(db), "--weeks", "2"), ("import", "--db", str(db), str(export))):
            result = run(*args)
            assert_one_line_error(result, "in use", "another relworkbook window")
            assert result.returncode == 1
        assert term.process.poll() is None  # the window is still open
    finally:
        term.kill()
    with Store.open(db) as store:
        assert store.is_empty() and store.get_couple() is None  # nothing was written
    # With the window closed, the same commands work.
    assert run("import", "--db", str(db), str(export)).returncode == 0
    with Store.open(db) as store:
        assert store.get_couple() is not None
    for other in (tmp_path / "demo.db", tmp_path / "made-by-a-first-run.db"):
        if other.name.startswith("made"):
            Store.open(other).close()  # exists, empty: locked before the store opens it
        assert run("demo", "--db", str(other), "--weeks", "2").returncode == 0
        with Store.open(other) as store:
            assert store.get_couple() is not None
