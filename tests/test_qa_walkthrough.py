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


async def test_no_key_or_command_leaves_a_break_early_but_the_ready_ones(tmp_path):
    """During a time-out f4 (Home), f5 (End sitting), and the palette's "Start exercise",
    History, Settings... each left the break at once, although it ends early only when
    both are ready. Help, Safety and Hide still work, and closing them is back to the break."""
    from relworkbook.commands import WorkbookCommands
    from relworkbook.screens.safety import SafetyScreen
    from relworkbook.screens.timeout import TimeoutScreen

    app = make_app(_workbook(tmp_path), [SHIPPED], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        brk = app.screen
        assert isinstance(brk, TimeoutScreen)
        for key in ("f4", "f5"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is brk, key
        names = {name for name, _, _ in WorkbookCommands(brk)._commands()}
        assert "Back when the break is over" in names
        assert not [n for n in names if n.startswith("Start exercise") or "History" in n or "Settings" in n]
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        await pilot.press("f4")
        await pilot.pause()
        assert brk in app.screen_stack
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is brk
        await pilot.press("1", "2")
        await pilot.pause()
        assert app.screen is brk and brk.timeout.over  # both ready: "After a hard moment" is offered
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, TimeoutScreen)


async def test_a_checkin_opened_and_left_half_way_is_not_called_done(tmp_path):
    """Home said "Check-in done today" after one rating of a check-in that was then left."""
    from datetime import date

    from relworkbook.progress import last_checkin_done

    db = _workbook(tmp_path)
    with Store.open(db) as store:
        sitting = store.start_sitting(("a", "b"), started="2026-11-29T19:05:00")
        store.save_answer(sitting.id, "fx-checkin", "communication", "a", 6,
                          prompt_type="scale", private=True, metric="communication", number=6)
    app = make_app(db, [FIXTURES], shipped=False)
    app.today = lambda: date(2026, 11, 29)  # a Sunday, the check-in day
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        due = " ".join(str(app.screen.query_one("#glance-due").render()).split())
        assert "done today" not in due and "Check-in today at 19:00" in due
        assert last_checkin_done(app.store, app.catalog.checkin()) is None


async def test_two_lines_ending_on_the_same_rating_keep_both_names(tmp_path, monkeypatch):
    """Trends drew "ooASam": both lines ended on 5, so Sam's name was written over Alex's."""
    from textual.app import App
    from textual_plotext import PlotextPlot

    from relworkbook.catalog import load_catalog
    from relworkbook.screens.trends import TrendsScreen

    monkeypatch.setenv("NO_COLOR", "1")
    catalog = load_catalog([FIXTURES], shipped=False)
    db = _workbook(tmp_path)
    store = Store.open(db)
    for when, (a, b) in (("2026-11-15T19:00:00", (4, 8)), ("2026-11-22T19:00:00", (6, 6))):
        sitting = store.start_sitting(("a", "b"), started=when)
        for partner, value in (("a", a), ("b", b)):
            store.save_answer(sitting.id, "fx-checkin", "communication", partner, value,
                              prompt_type="scale", private=True, metric="communication", number=value)
        store.reveal(sitting.id, "fx-checkin", "communication")
        store.end_sitting(sitting.id)

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(TrendsScreen(store, catalog, store.get_couple()))

    app = Host()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.pause()
            rows = app.screen.query_one("#trends-plot", PlotextPlot).plt.build().splitlines()
            for name in ("Alex", "Sam"):  # in the legend and at its line's end
                assert sum(row.count(name) for row in rows) >= 2, "\n".join(rows)
    finally:
        store.close()


async def test_names_with_square_brackets_are_refused_before_they_break_a_screen(tmp_path):
    """ "Lee [work]" showed as "Lee " on every button (Textual markup ate the word), and
    "Sam [/]" twice crashed the names form itself (its message quotes the name)."""
    from textual.widgets import Input

    from relworkbook.screens.first_run import FirstRunScreen

    db = tmp_path / "workbook.db"
    Store.open(db).close()
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FirstRunScreen)
        for a, b in (("Sam [/]", "sam [/]"), ("Lee [work]", "Kim")):
            screen.query_one("#name-a", Input).value = a
            screen.query_one("#name-b", Input).value = b
            screen.save()
            await pilot.pause()
            assert app.screen is screen
            assert "square brackets" in str(screen.query_one("#names-problem").render())
            assert app.store.get_couple() is None


async def test_help_during_a_break_lists_only_keys_that_act(tmp_path):
    """Help (f1) on the time-out listed f4 Home, f5 End sitting and "a After a hard
    moment", none of which does anything during the break."""
    from relworkbook.screens.timeout import TimeoutScreen

    app = make_app(_workbook(tmp_path), [SHIPPED], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        brk = app.screen
        assert isinstance(brk, TimeoutScreen)
        listed = {what for _, _, what in app.key_rows(brk)}
        assert "After a hard moment" not in listed
        assert not any(what.startswith(("Home", "End the sitting")) for what in listed), listed
        assert any(what.startswith("Time-out") for what in listed)
        assert "First partner is ready to go back" in listed
        # Once the timer has ended, the debrief is listed.
        from time import monotonic

        brk.ends_at = monotonic() - 1
        brk._tick()
        await pilot.pause()
        assert "After a hard moment" in {what for _, _, what in app.key_rows(brk)}


def test_recap_takes_the_sitting_by_the_word_the_app_uses(tmp_path):
    """The app and `relworkbook history` say "sitting"; `recap --sitting 2` was "No such option"."""
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "relworkbook", *args], capture_output=True, text=True, timeout=120)

    db = tmp_path / "demo.db"
    assert run("demo", "--db", str(db), "--weeks", "3", "--seed", "3").returncode == 0
    by_sitting = run("recap", "--db", str(db), "--sitting", "2")
    assert by_sitting.returncode == 0, by_sitting.stderr
    assert by_sitting.stdout == run("recap", "--db", str(db), "--session", "2").stdout
    assert "--sitting" in run("recap", "--help").stdout


async def test_the_commitment_owner_choices_all_show_with_long_names(tmp_path):
    """With two long names (40 characters are allowed) "Both of us" was cut off the right
    edge at 80x24: the three choices go one a line when they do not fit side by side."""
    from relworkbook.screens.exercise import ExerciseScreen

    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alexandra-Maria Konstantinopoulou-Smith", "royalblue",
                         "Samuel-Jonathan Wolfeschlegelsteinhausen", "darkorange")
    app = make_app(db, [SHIPPED], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_open_exercise("byb-ground-rules")
        await pilot.pause()
        await pilot.click("#both")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        for _ in range(3):
            await pilot.press("pagedown")
            await pilot.pause()
        both = app.screen.query_one("#owner-both")
        await pilot.pause()
        assert both.region.width and both.region.right <= 80, both.region
        assert "Both of us" in "\n".join(s.text for s in app.screen._compositor.render_strips())


async def test_the_done_moment_of_one_partner_alone_does_not_say_together(tmp_path):
    """A solo sitting ended on "take one slow breath together"."""
    from relworkbook.screens.done import DoneScreen
    from relworkbook.screens.exercise import ExerciseScreen

    async def finish(who: str) -> str:
        app = make_app(_workbook(tmp_path), [FIXTURES], shipped=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.action_open_exercise("fx-hopes")
            await pilot.pause()
            await pilot.click(who)
            await pilot.pause()
            for _ in range(20):
                if not (isinstance(app.screen, ExerciseScreen) or type(app.screen).__name__ == "HandoverScreen"):
                    break
                await pilot.press("enter" if type(app.screen).__name__ == "HandoverScreen" else "pagedown")
                await pilot.pause()
            assert isinstance(app.screen, DoneScreen)
            return "\n".join(str(w.content) for w in app.screen.query("Static"))

    alone = await finish("#only-a")
    assert "slow breath." in alone and "together" not in alone
    assert "slow breath together." in await finish("#both")
