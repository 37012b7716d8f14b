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


async def test_a_break_ends_early_only_when_everyone_present_is_ready(tmp_path):
    """Flow fix 1: Esc or Enter from either partner does not end the break; each present
    partner saying they are ready does (with one partner present, that partner); -/+ change
    this break only, not the usual length."""
    db = _workbook(tmp_path)
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimeoutScreen)
        for key in ("escape", "enter", "f2", "1"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen
        assert "waiting for" in str(screen.query_one("#timeout-status").content)
        await pilot.press("plus")
        await pilot.press("2")
        await pilot.pause()
        assert not isinstance(app.screen, TimeoutScreen)
        assert app.store.get_setting("timeout_minutes") is None
        # One partner alone: that partner.
        app.attendees = ("b",)
        await pilot.press("f2")
        await pilot.pause()
        alone = app.screen
        assert isinstance(alone, TimeoutScreen) and alone.timeout.present == ("b",)
        assert not alone.query("#ready-a")
        await pilot.press("1")
        await pilot.pause()
        assert app.screen is alone
        await pilot.click("#ready-b")
        await pilot.pause()
        assert not isinstance(app.screen, TimeoutScreen)


async def test_the_debrief_key_is_offered_only_once_it_can_act(tmp_path):
    """QA: during the break "After a hard moment" (a) did nothing, yet the palette listed it.

    It is left out of the screen's live bindings (so out of the palette and help) until
    the break is over, and offered as soon as it is.
    """
    from relworkbook.commands import WorkbookCommands

    app = make_app(_workbook(tmp_path), [SHIPPED], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _into_an_exercise(pilot, app, "co-disagree")
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimeoutScreen)

        def offered() -> set[str]:
            return {name for name, _, _ in WorkbookCommands(screen)._commands()}

        assert "After a hard moment" not in offered()
        assert "debrief" not in {b.binding.action for b in screen.active_bindings.values()}
        screen.ends_at = monotonic() - 1
        screen._tick()
        await pilot.pause()
        assert "After a hard moment" in offered()


async def test_when_everyone_is_ready_early_the_debrief_is_offered_too(tmp_path):
    """Audit: the debrief was offered only when the timer ran out; a break ended early by
    both saying they were ready closed the screen with nothing offered. Now it switches to
    the same "over" state: Enter goes back, a opens "After a hard moment"."""
    from relworkbook.commands import WorkbookCommands
    from relworkbook.screens.exercise import ExerciseScreen

    app = make_app(_workbook(tmp_path), [SHIPPED], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _into_an_exercise(pilot, app, "co-disagree")
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimeoutScreen)
        await pilot.press("1", "2")
        await pilot.pause()
        assert app.screen is screen, "the break ended early and nothing was offered"
        assert screen.remaining > 60  # the timer had not run out
        debrief = screen.query_one("#debrief", Button)
        assert debrief.display and screen.query_one("#back", Button).display
        assert not screen.query_one("#ready-a", Button).display and not screen.query_one("#longer", Button).display
        status = str(screen.query_one("#timeout-status").content)
        assert "After a hard moment" in status and "Time is up" not in status
        assert "After a hard moment" in {name for name, _, _ in WorkbookCommands(screen)._commands()}
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert app.screen.exercise.id == "co-after-hard-moment"


async def test_ready_early_then_enter_goes_back_where_we_were(tmp_path):
    from relworkbook.screens.exercise import ExerciseScreen

    app = make_app(_workbook(tmp_path), [SHIPPED], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _into_an_exercise(pilot, app, "co-disagree")
        before = app.screen
        await pilot.press("f2")
        await pilot.pause()
        await pilot.click("#ready-a")
        await pilot.click("#ready-b")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is before and isinstance(before, ExerciseScreen)


def _with_plans(tmp_path: Path, *, b_private: bool) -> Path:
    """Alex's calming plan answered in front of Sam; Sam's given privately and never revealed."""
    db = _workbook(tmp_path)
    store = Store.open(db)
    sitting = store.start_sitting(("a", "b"))
    store.save_answer(sitting.id, "co-calming-down", "plan", "a",
                      {"what": "Walk round the block, then [b]say what I heard[/b]", "owner": "a", "due": None},
                      prompt_type="commitment")
    store.save_answer(sitting.id, "co-calming-down", "plan", "b",
                      {"what": "Sam's secret plan words", "owner": "b", "due": None},
                      prompt_type="commitment", private=b_private)
    store.save_answer(sitting.id, "co-calming-down", "stress", "b", "Sam's private stress words",
                      prompt_type="text", private=True)
    store.end_sitting(sitting.id)
    store.close()
    return db


def _screen_text(app) -> str:
    return "\n".join(str(s.content) for s in app.screen.query("Static"))


async def test_the_calming_plans_the_couple_shared_show_quietly_during_the_break(tmp_path):
    app = make_app(_with_plans(tmp_path, b_private=True), [SHIPPED], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimeoutScreen)
        text = _screen_text(app)
        # shown as written (no markup taken from it), whose it is said
        assert "Alex's calming plan: Walk round the block, then [b]say what I heard[/b]" in text
        assert "secret" not in text and "stress words" not in text  # a private, unrevealed answer never
        # 80x24: the plan, the countdown and every button are on the screen without scrolling
        for selector in ("#calm-plans", "#countdown", "#shorter", "#longer", "#ready-a", "#ready-b"):
            region = screen.query_one(selector).region
            assert region.height and region.bottom <= 23, selector  # above the footer
    (tmp_path / "shared").mkdir()
    app = make_app(_with_plans(tmp_path / "shared", b_private=False), [SHIPPED], shipped=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        text = _screen_text(app)
        assert "Alex's calming plan" in text and "Sam's calming plan: Sam's secret plan words" in text
        first = app.screen.query_one("#calm-plans").children[0]
        assert first.size.height >= 2  # narrow: the whole plan, wrapped, in the scrolling body
        await pilot.press("1", "2")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, TimeoutScreen)


async def test_no_calming_plan_no_line(tmp_path):
    app = make_app(_workbook(tmp_path), [SHIPPED], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        assert not app.screen.query_one("#calm-plans").display
        assert "calming plan" not in _screen_text(app)
