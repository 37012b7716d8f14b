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


def footer_fits(app) -> list[str]:
    """What is wrong with the footer's keys at this width: each key whole, on screen, left of the palette key."""
    footer = app.screen.query_one(Footer)
    keys = list(footer.query(FooterKey))
    palette = [key for key in keys if key.has_class("-command-palette")]
    if not palette:
        return ["no ^p palette key"]
    wall = palette[0].region.x
    width = app.size.width
    problems = []
    for key in keys:
        region = key.region
        whole = key.content_size.width if key.content_size.width else len(key.key_display)
        right = width if key in palette else wall
        if region.width < whole or region.right > right:
            problems.append(f"{key.key_display} {key.description} at {region}")
    return problems


def looked_back_workbook(tmp_path: Path) -> Path:
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        sitting = store.start_sitting(["a", "b"], started="2026-01-05T19:00:00")
        store.save_answer(sitting.id, "fx-i-statements", "p", "a", "we walked", prompt_type="text")
        store.add_commitment(sitting.id, "fx-i-statements", "c", "Walk on Sunday", "both", "2026-01-11")
        store.end_sitting(sitting.id)
    return db


async def test_every_footer_fits_80_columns_with_a_sitting_open(tmp_path):
    """Each screen's footer shows its keys whole at 80x24, Help, Time-out, Safety, Hide and
    the palette included, while a sitting is open (the most keys any screen offers)."""
    app = make_app(looked_back_workbook(tmp_path), [FIXTURES], shipped=False)
    seen: dict[str, list[str]] = {}

    async def check(label: str) -> None:
        await pilot.pause()
        shown = footer_keys(app)
        seen[label] = shown
        for wanted in ("f1 Help", "f2 Time-out", "f3 Safety", "f12 Hide", "^p palette"):
            assert wanted in shown, (label, shown)
        assert footer_fits(app) == [], (label, shown)

    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home")
        await check("home")
        app.action_open_exercise("fx-hopes")
        await pilot.pause()
        await pilot.click("#both")
        await until(pilot, lambda: isinstance(app.screen, ExerciseScreen), what="the exercise")
        await check("exercise")
        app.action_home()
        await until(pilot, lambda: "f5 End sitting" in footer_keys(app), what="Home with f5")
        await check("home, sitting open")
        for action, label in (
            ("history", "history"),
            ("trends", "trends"),
            ("commitments", "commitments"),
            ("search", "search"),
            ("settings", "settings"),
            ("last_recap", "recap"),
            ("report", "report"),
            ("locks", "locks"),
            ("help", "help"),
            ("safety", "safety"),
            ("edit_names", "names"),
        ):
            await app.run_action(action)
            await until(pilot, lambda: app.screen is not app.home_screen, what=label)
            await check(label)
            if label == "history":
                await pilot.press("enter")  # the sitting, read back
                await until(pilot, lambda: type(app.screen).__name__ == "SittingViewScreen", what="sitting view")
                await check("sitting view")
                await pilot.press("v")
                await pilot.pause()
                await check("versions")
            while app.screen is not app.home_screen:
                app.pop_screen()
                await pilot.pause()
        app.action_notes()
        await pilot.pause()
        await pilot.click("#notes-a")
        await until(pilot, lambda: type(app.screen).__name__ == "NotesScreen", what="notes")
        await check("notes")
    assert seen["history"][:2] == ["esc Back", "r Recap"]
    assert seen["trends"][:2] == ["esc Back", "w Window"]
