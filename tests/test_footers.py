"""The footer at 80x24: what it offers is there to press, and all of it fits (Textual Pilot, a real workbook)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from relworkbook.app import make_app
from relworkbook.screens.exercise import ExerciseScreen
from relworkbook.screens.home import HomeScreen
from relworkbook.screens.locks import LocksScreen
from relworkbook.screens.sitting_end import SittingEndScreen
from relworkbook.store import Store
from settle import until

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


def footer_keys(app) -> list[str]:
    """The keys the current screen's footer shows, as drawn (key display and description)."""
    footer = app.screen.query_one(Footer)
    return [f"{key.key_display} {key.description}" for key in footer.query(FooterKey)]


async def test_f5_end_sitting_is_offered_only_while_a_sitting_is_open(tmp_path):
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home")
        assert "f5 End sitting" not in footer_keys(app)
        assert "f2 Time-out" in footer_keys(app)
        await pilot.press("f5")  # nothing to end: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.action_locks()
        await until(pilot, lambda: isinstance(app.screen, LocksScreen), what="Locks")
        assert "f5 End sitting" not in footer_keys(app)
        await pilot.press("escape")
        await pilot.pause()
        # A sitting opens with the first exercise: Home offers to end it.
        app.action_open_exercise("fx-hopes")
        await pilot.pause()
        await pilot.click("#both")
        await until(pilot, lambda: isinstance(app.screen, ExerciseScreen), what="the exercise")
        app.action_home()
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home again")
        await until(pilot, lambda: "f5 End sitting" in footer_keys(app), what="f5 on Home's footer")
        await pilot.press("f5", "enter")  # ask, then yes
        await until(pilot, lambda: isinstance(app.screen, SittingEndScreen), what="the summary")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home after the sitting")
        await until(pilot, lambda: "f5 End sitting" not in footer_keys(app), what="no f5 once it ended")


async def test_a_sitting_left_open_by_an_earlier_run_can_be_ended_from_home(tmp_path):
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        store.start_sitting(["a", "b"], started="2026-01-05T19:00:00")
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home")
        assert "f5 End sitting" in footer_keys(app)
