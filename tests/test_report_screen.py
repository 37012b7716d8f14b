"""The Report screen: from the palette and from Trends, the dates changed with w, saved with s.

The real app (make_app) on a workbook in tmp_path and the fixture pack.
"""

from __future__ import annotations

import stat
from datetime import date, timedelta
from pathlib import Path

from relworkbook import paths
from relworkbook.app import make_app
from relworkbook.screens.report import ReportScreen
from relworkbook.screens.trends import TrendsScreen
from relworkbook.store import Store
from settle import until

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
SECRET = "Guavasecret nobody revealed"


def workbook(tmp_path: Path) -> Path:
    db = tmp_path / "workbook.db"
    recent = (date.today() - timedelta(days=10)).isoformat()
    old = (date.today() - timedelta(days=200)).isoformat()
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        for day, a in ((old, 4), (recent, 7)):
            sitting = store.start_sitting(["a", "b"], started=f"{day}T19:00:00")
            for prompt_id in ("communication", "closeness"):
                for partner, value in (("a", a), ("b", 5)):
                    store.save_answer(sitting.id, "fx-checkin", prompt_id, partner, value, prompt_type="scale",
                                      private=True, metric=prompt_id)
                store.reveal(sitting.id, "fx-checkin", prompt_id)
            store.save_answer(sitting.id, "fx-hopes", "ready", "a", SECRET, prompt_type="choice", private=True)
            store.end_sitting(sitting.id, ended=f"{day}T19:20:00")
    return db


def report_text(app) -> str:
    return str(app.screen.query_one("#report-text").render())


async def test_report_from_the_palette_changes_dates_and_saves(tmp_path):
    db = workbook(tmp_path)
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_report()
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        text = report_text(app)
        assert "Progress report: Alex and Sam" in text and "(12 weeks)" in text
        assert "1 sitting," in text  # the old sitting is outside the last 12 weeks
        assert SECRET not in text
        assert max(len(line) for line in text.splitlines()) <= 80
        await pilot.press("w")  # the last year
        await pilot.pause()
        assert "2 sittings," in report_text(app)
        await pilot.press("s")
        await pilot.pause()
        folder = paths.recaps_dir(db)
        saved = sorted(p.name for p in folder.iterdir())
        assert len(saved) == 2 and saved[0].endswith(".html") and saved[1].endswith(".md")
        for name in saved:
            assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
            assert SECRET not in (folder / name).read_text()
        assert "<svg" in (folder / saved[0]).read_text()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReportScreen)


async def test_report_from_trends_and_at_40_columns(tmp_path):
    db = workbook(tmp_path)
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        app.action_trends()
        await pilot.pause()
        assert isinstance(app.screen, TrendsScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert "Progress report" in report_text(app)


async def test_palette_finds_the_report(tmp_path):
    app = make_app(workbook(tmp_path), [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"progress report")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)


async def test_trends_says_r_opens_the_report_and_a_click_on_it_does(tmp_path):
    """The footer has no room for r at 80 columns: a quiet hint beside the window tabs says
    it, whole and on screen; a click on the hint opens the report too. At 40 columns the
    hint gives way (r still works, see above)."""
    from textual.widgets import Static

    from relworkbook.screens.trends import REPORT_HINT

    app = make_app(workbook(tmp_path), [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_trends()
        await until(pilot, lambda: isinstance(app.screen, TrendsScreen), what="Trends")
        hint = app.screen.query_one("#trends-hint", Static)
        assert str(hint.render()).strip() == REPORT_HINT
        region = hint.content_region
        assert hint.display and region.width >= len(REPORT_HINT) and region.right <= 80 and region.y < 3
        await pilot.click("#trends-hint")
        await until(pilot, lambda: isinstance(app.screen, ReportScreen), what="the report, from the hint")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TrendsScreen), what="back on Trends")
        await pilot.resize_terminal(40, 12)
        await until(pilot, lambda: not app.screen.query_one("#trends-hint").display, what="no hint at 40 columns")
