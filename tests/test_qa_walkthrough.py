"""Bugs found by trying the app as a couple would (QA walk-through), each pinned here.

The real app on a workbook in tmp_path with the shipped program or the fixtures.
"""

from __future__ import annotations

from pathlib import Path

from relworkbook.app import make_app
from relworkbook.store import Store

SHIPPED = Path(__file__).resolve().parents[1] / "exercises"
FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


def _workbook(tmp_path: Path) -> Path:
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    return db


def _screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_home_says_the_checkin_takes_as_long_as_the_checkin_does(tmp_path):
    """Home said "◆ Weekly check-in · 15 min" and, beside it, "takes about ten minutes"."""
    app = make_app(_workbook(tmp_path), [SHIPPED], shipped=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        minutes = app.catalog.checkin().minutes
        text = " ".join(_screen_text(app).split())
        assert f"Weekly check-in · {minutes} min" in text
        glance = app.screen.query_one("#glance-checkin")
        assert f"takes about {minutes} minutes" in glance._message.plain
