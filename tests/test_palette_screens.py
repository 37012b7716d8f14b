"""The palette reaches every action of the screen it was opened on; one theme command (issue 19 item 10)."""

from __future__ import annotations

from pathlib import Path

from relworkbook.app import make_app
from relworkbook.commands import WorkbookCommands
from relworkbook.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


def workbook(tmp_path: Path) -> tuple[Path, int]:
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        sitting = store.start_sitting(["a", "b"], started="2026-01-05T19:00:00")
        store.save_answer(sitting.id, "fx-i-statements", "p", "a", "we walked", prompt_type="text")
        commitment = store.add_commitment(sitting.id, "fx-i-statements", "c", "Walk on Sunday", "both", "2026-01-11")
        store.end_sitting(sitting.id)
    return db, commitment.id


def names(app) -> dict[str, str]:
    return {name: help_text for name, help_text, _ in WorkbookCommands(app.screen)._commands()}


async def test_palette_lists_the_screens_own_actions(tmp_path):
    db, _ = workbook(tmp_path)
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = names(app)
        assert "Kept" not in home
        app.action_commitments()
        await pilot.pause()
        here = names(app)
        for name, key in (("Kept", "k"), ("Partly", "p"), ("Not kept", "n"), ("Reopen", "o")):
            assert here[name] == f"Commitments: {key}"
        assert "Home" in here and "Trends" in here  # the app-wide ones stay
        await pilot.press("escape")
        await pilot.pause()
        app.action_history()
        await pilot.pause()
        await pilot.press("enter")  # the one sitting
        await pilot.pause()
        here = names(app)
        assert {"Correct the chosen answer", "Versions", "Recap"} <= set(here)
        app.action_last_recap()
        await pilot.pause()
        assert "Save as files" in names(app)


async def test_a_screen_action_runs_from_the_palette(tmp_path):
    db, commitment_id = workbook(tmp_path)
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.action_commitments()
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"not kept")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.store.get_commitment(commitment_id).status == "not_kept"


async def test_one_theme_command(tmp_path):
    db, _ = workbook(tmp_path)
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        ours = [name for name in names(app) if "theme" in name.lower()]
        textual = [command.title for command in app.get_system_commands(app.screen) if "theme" in command.title.lower()]
        assert ours == [] and textual == ["Theme"]


async def test_palette_reaches_the_exercise_screens_keys(tmp_path):
    """Whatever the exercise screen binds (next, back, leave, reveal...) is in the palette with its key."""
    db, _ = workbook(tmp_path)
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.action_open_exercise("fx-i-statements")
        await pilot.pause()
        await pilot.click("#both")
        await pilot.pause()
        here = names(app)
        screen = app.screen
        before = "\n".join(strip.text for strip in screen._compositor.render_strips())
        own = {binding.description for binding in type(screen).BINDINGS if binding.description}
        expected = {
            active.binding.description
            for active in screen.active_bindings.values()
            if active.node is screen and active.enabled and active.binding.description in own
            and not active.binding.action.startswith("app.")
        }
        assert "Copy selected text" not in here  # Textual's own screen key is not a workbook action
        assert expected and expected <= set(here)
        assert here.get("Next", "").endswith("PgDn")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"next")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        # Past the intro: what is drawn moved on, as PgDn would have.
        after = "\n".join(strip.text for strip in screen._compositor.render_strips())
        assert after != before
