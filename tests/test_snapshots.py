"""SVG snapshots of the main screens at 80x24: first run, home, safety, help.

Fixture exercises, a workbook in tmp_path opened by a relative name (so the
path shown on screen is the same on every machine), cursor blink off, no
clock on any of these screens, and a fixed "today" (Home says what is due). Regenerate with ``--snapshot-update`` only after
looking at the screens.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from relworkbook.app import make_app
from relworkbook.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
SIZE = (80, 24)
TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.fixture
def workbook_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return Path("workbook.db")


def _app(db: Path, *, couple: bool = True):
    if couple:
        store = Store.open(db)
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        store.close()
    app = make_app(db, [FIXTURES], shipped=False)
    app.today = lambda: TODAY
    return app


def _steady(*keys: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        for widget in pilot.app.screen.query("Input, TextArea"):
            if isinstance(widget, (Input, TextArea)):
                widget.cursor_blink = False
        await pilot.pause()

    return run_before


def test_first_run(snap_compare, workbook_here):
    app = _app(workbook_here, couple=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=_steady())


def test_home(snap_compare, workbook_here):
    assert snap_compare(_app(workbook_here), terminal_size=SIZE, run_before=_steady())


def test_safety(snap_compare, workbook_here):
    assert snap_compare(_app(workbook_here), terminal_size=SIZE, run_before=_steady("f3"))


def test_help(snap_compare, workbook_here):
    assert snap_compare(_app(workbook_here), terminal_size=SIZE, run_before=_steady("f1"))
