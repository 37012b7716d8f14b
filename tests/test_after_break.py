"""Issue 15: "After a hard moment" is offered on the time-out screen once the break is over.

The real app on a workbook in tmp_path with the shipped program; the end of the
break is reached by moving the screen's end time, never by sleeping.
"""

from __future__ import annotations

from pathlib import Path
from time import monotonic

from textual.widgets import Button

from relworkbook.app import make_app
from relworkbook.screens.attendance import AttendanceScreen
from relworkbook.screens.timeout import TimeoutScreen
from relworkbook.store import Store

SHIPPED = Path(__file__).resolve().parents[1] / "exercises"
FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


def _workbook(tmp_path: Path) -> Path:
    db = tmp_path / "workbook.db"
    store = Store.open(db)
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    store.close()
    return db


async def _into_an_exercise(pilot, app, exercise_id: str) -> None:
    from relworkbook.screens.exercise import ExerciseScreen

    app.action_open_exercise(exercise_id)
    await pilot.pause()
    assert isinstance(app.screen, AttendanceScreen)
    await pilot.click("#both")
    await pilot.pause()
    assert isinstance(app.screen, ExerciseScreen)


async def test_after_the_break_the_debrief_is_one_key_away(tmp_path):
    from relworkbook.screens.exercise import ExerciseScreen

    app = make_app(_workbook(tmp_path), [SHIPPED], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _into_an_exercise(pilot, app, "co-disagree")
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimeoutScreen)
        debrief = screen.query_one("#debrief", Button)
        assert not debrief.display
        await pilot.press("a")  # not during the break: calming down comes first
        await pilot.pause()
        assert app.screen is screen
        screen.ends_at = monotonic() - 1
        screen._tick()
        await pilot.pause()
        assert debrief.display and "After a hard moment" in str(debrief.label)
        assert not screen.query_one("#longer", Button).display  # it takes the place of -5/+5
        status = str(screen.query_one("#timeout-status").content)
        assert "After a hard moment" in status
        await pilot.click("#debrief")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert app.screen.exercise.id == "co-after-hard-moment"


async def test_a_program_without_the_debrief_offers_only_the_way_back(tmp_path):
    app = make_app(_workbook(tmp_path), [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimeoutScreen)
        assert not screen.query("#debrief")
        screen.ends_at = monotonic() - 1
        screen._tick()
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, TimeoutScreen)
