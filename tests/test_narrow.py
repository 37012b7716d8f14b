"""At 40x12 screens open at their top and dialogs show every button (Textual Pilot, a real workbook)."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import Button

from relworkbook.app import make_app
from relworkbook.screens.confirm import ConfirmScreen
from relworkbook.screens.home import HomeScreen
from relworkbook.screens.locks import LocksScreen
from relworkbook.screens.notes import NotesScreen, WhoseNotesScreen
from relworkbook.store import Store
from settle import until

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


def text_of(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def workbook(tmp_path: Path) -> Path:
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    return db


def whole_on_screen(app, button: Button) -> bool:
    region = button.region
    return region.width >= len(str(button.label)) and region.x >= 0 and region.right <= app.size.width


async def test_the_locks_screen_opens_at_its_top_at_40x12(tmp_path):
    app = make_app(workbook(tmp_path), [FIXTURES], shipped=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home")
        app.action_locks()
        await until(pilot, lambda: isinstance(app.screen, LocksScreen), what="Locks")
        await pilot.pause()
        body = app.screen.query_one("#locks-body", VerticalScroll)
        assert body.scroll_y == 0
        assert "Locks for private answers" in text_of(app)
        assert app.focused is not None and app.focused.id == "set-a"  # focused all the same
        await pilot.press("enter")  # and it works from the keyboard
        await until(pilot, lambda: not isinstance(app.screen, LocksScreen), what="the lock form")


async def test_first_run_locks_open_at_their_top_at_40x12(tmp_path):
    app = make_app(tmp_path / "workbook.db", [FIXTURES], shipped=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.press(*"Jo")
        app.screen.query_one("#name-b").focus()
        await pilot.press(*"Kim", "enter")
        await until(pilot, lambda: isinstance(app.screen, LocksScreen), what="Locks after the names")
        await pilot.pause()
        assert app.screen.query_one("#locks-body", VerticalScroll).scroll_y == 0
        assert "Locks for private answers" in text_of(app)


async def test_whose_notes_shows_every_button_at_40x12_and_side_by_side_at_80x24(tmp_path):
    app = make_app(workbook(tmp_path), [FIXTURES], shipped=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home")
        app.action_notes()
        await until(pilot, lambda: isinstance(app.screen, WhoseNotesScreen), what="Whose notes?")
        await pilot.pause()
        buttons = list(app.screen.query(Button))
        assert [b.id for b in buttons] == ["notes-a", "notes-b", "cancel"]
        for button in buttons:
            assert whole_on_screen(app, button), (button.id, button.region)
        assert "Whose notes?" in text_of(app) and "Cancel (Esc)" in text_of(app)
        await pilot.click("#notes-b")
        await until(pilot, lambda: isinstance(app.screen, NotesScreen), what="Sam's notes")
    # Where there is room the buttons stay in one row, as before.
    app = make_app(workbook(tmp_path), [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home")
        app.action_notes()
        await until(pilot, lambda: isinstance(app.screen, WhoseNotesScreen), what="Whose notes?")
        await pilot.pause()
        rows = {button.region.y for button in app.screen.query(Button)}
        assert len(rows) == 1 and all(whole_on_screen(app, b) for b in app.screen.query(Button))
        # A two-button dialog keeps its row at 40 columns too.
        app.pop_screen()
        await pilot.pause()
        await pilot.resize_terminal(40, 12)
        app.push_screen(ConfirmScreen("End this sitting?", yes="End sitting", no="Keep going"))
        await pilot.pause()
        await pilot.pause()
        assert len({button.region.y for button in app.screen.query(Button)}) == 1
