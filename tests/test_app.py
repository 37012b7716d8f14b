"""The app shell, driven for real: make_app on a workbook in tmp_path, the
fixture exercise pack, and a Pilot pressing keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import Digits, Input, OptionList, Select, TextArea

from relworkbook.app import WorkbookApp, make_app
from relworkbook.model import PRIVATE_HIDDEN
from relworkbook.screens.attendance import AttendanceScreen
from relworkbook.screens.confirm import ConfirmScreen
from relworkbook.screens.first_run import FirstRunScreen
from relworkbook.screens.help import HelpScreen
from relworkbook.screens.hide import HideScreen
from relworkbook.screens.home import HomeScreen
from relworkbook.screens.safety import SafetyScreen
from relworkbook.screens.sitting_end import SittingEndScreen
from relworkbook.screens.timeout import TimeoutScreen
from relworkbook.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
BROKEN = Path(__file__).parent / "fixtures" / "broken"
SIZES = [(40, 12), (80, 24), (300, 100)]


def workbook(tmp_path: Path, *, couple: bool = True) -> Path:
    db = tmp_path / "workbook.db"
    store = Store.open(db)
    try:
        if couple:
            store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    finally:
        store.close()
    return db


def app_for(db: Path, *dirs: Path) -> WorkbookApp:
    return make_app(db, list(dirs) or [FIXTURES], shipped=False)


def screen_text(app: WorkbookApp) -> str:
    """What is drawn on the topmost screen, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def open_exercise(pilot, app: WorkbookApp, exercise_id: str, who: str = "both"):
    from relworkbook.screens.exercise import ExerciseScreen

    app.action_open_exercise(exercise_id)
    await pilot.pause()
    assert isinstance(app.screen, AttendanceScreen)
    await pilot.click(f"#{who}")
    await pilot.pause()
    assert isinstance(app.screen, ExerciseScreen)
    await pilot.press("pagedown")  # past the intro, to the first answer
    await pilot.pause()
    return app.screen


# ---------------------------------------------------------------- first run


async def test_first_run_names_colours_then_home_and_never_again(tmp_path):
    db = workbook(tmp_path, couple=False)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        text = screen_text(app)
        assert "Welcome" in text
        # The safety information and the file's place are on the same screen.
        body = " ".join(str(w.render()) for w in app.screen.query("#first-run-safety, #first-run-db"))
        assert app.catalog.support_intro[:40] in body and str(db) in body
        support = str(app.screen.query_one("#first-run-support").render())
        assert all(line.service in support for line in app.catalog.support)
        await pilot.press(*"Jo")
        await pilot.press("tab")  # to the first colour
        await pilot.press("enter", "down", "down", "enter")  # Blue -> Green
        assert app.screen.query_one("#colour-a", Select).value == "seagreen"
        await pilot.click("#name-b")
        await pilot.press(*"Kim", "enter")
        await pilot.pause()
        # After the names, once: the locks, optional (tests/test_locks_app.py sets one here).
        from relworkbook.screens.locks import LocksScreen

        assert isinstance(app.screen, LocksScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Jo" in screen_text(app) and "Kim" in screen_text(app)
    store = Store.open(db)
    couple = store.get_couple()
    store.close()
    assert (couple.a.name, couple.a.colour, couple.b.name, couple.b.colour) == (
        "Jo", "seagreen", "Kim", "darkorange",
    )
    again = app_for(db)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, HomeScreen)
        assert not any(isinstance(s, FirstRunScreen) for s in again.screen_stack)


async def test_first_run_same_names_asks_to_tell_them_apart(tmp_path):
    db = workbook(tmp_path, couple=False)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"Sam")
        await pilot.click("#name-b")
        await pilot.press(*"sam", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        assert "add an initial" in str(app.screen.query_one("#names-problem").render())
        assert app.store.get_couple() is None
        # Empty names are refused too.
        app.screen.query_one("#name-b", Input).value = ""
        app.screen.save()
        await pilot.pause()
        assert "both names" in str(app.screen.query_one("#names-problem").render())
        app.screen.query_one("#name-b", Input).value = "Sam T."
        app.screen.save()
        await pilot.pause()
        await pilot.press("escape")  # the locks, offered once after the names
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.store.get_couple().b.name == "Sam T."


async def test_edit_names_from_the_palette(tmp_path):
    db = workbook(tmp_path)
    store = Store.open(db)
    store.set_couple("Alex", "dodgerblue", "Sam", "darkorange")  # a colour not in the palette
    store.close()
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"edit names")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        assert app.screen.query_one("#name-a", Input).value == "Alex"
        app.screen.query_one("#name-a", Input).value = "Alexandra"
        app.screen.save()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Alexandra" in screen_text(app)
        assert app.store.get_couple().a.colour == "dodgerblue"  # kept, not reset


# ---------------------------------------------------------------- time-out and hide


async def test_time_out_then_back_to_the_same_text_in_the_same_widget(tmp_path):
    db = workbook(tmp_path)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        exercise = await open_exercise(pilot, app, "fx-hopes")
        area = exercise.query(TextArea).first()
        area.focus()
        await pilot.press(*"a slow Sunday")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        assert app.screen.query_one("#countdown", Digits).value in ("20:00", "19:59")
        # Saved before the break: the draft is in the file already.
        saved = app.store.find_answer(app.sitting_id, "fx-hopes", "hope", "a")
        assert saved is not None and saved.value == "a slow Sunday"
        await pilot.press("plus")
        assert app.screen.query_one("#countdown", Digits).value.startswith("2")
        assert app.screen.minutes == 25
        # Flow fix 1: one partner's Esc does not end the break; both saying they are ready does.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen) and app.screen.timeout.waiting_for() == ["b"]
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is exercise
        assert app.screen.focused is area
        assert area.text == "a slow Sunday"
        await pilot.press(*" with you")
        assert area.text == "a slow Sunday with you"
    store = Store.open(db)
    # - and + change this break only; the length for the next one is chosen in Settings.
    assert store.get_setting("timeout_minutes") is None
    store.close()


async def test_time_out_over_a_dialog_starts_from_the_length_in_settings(tmp_path):
    db = workbook(tmp_path)
    store = Store.open(db)
    store.set_setting("timeout_minutes", 10)
    store.close()
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_open_exercise("fx-hopes")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AttendanceScreen)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        assert app.screen.query_one("#countdown", Digits).value in ("10:00", "09:59")
        await pilot.press("minus")
        assert app.screen.query_one("#countdown", Digits).value in ("05:00", "04:59")
        await pilot.press("f2")  # the same key asks to end it, which needs both
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        await pilot.press("2", "1")
        await pilot.pause()
        assert app.screen is dialog


async def test_quick_hide_blanks_everything_and_the_same_key_restores(tmp_path):
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.notify("Saved your workbook")  # a toast must not survive the hide
        await pilot.pause()
        home = app.screen
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, HideScreen)
        hidden = screen_text(app).lower()
        for giveaway in ("alex", "sam", "workbook", "relationship", "check-in", "what we hope",
                         "time-out", "safety", "help", "f12"):
            assert giveaway not in hidden, giveaway
        assert app.title == "Notes"
        # Other workbook keys do nothing while hidden.
        for key in ("f1", "f3", "f2", "ctrl+p"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HideScreen), key
        await pilot.press("f12")
        await pilot.pause()
        assert app.screen is home
        assert "Alex" in screen_text(app)
        assert app.title != "Notes"


async def test_quick_hide_works_while_typing(tmp_path):
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        exercise = await open_exercise(pilot, app, "fx-hopes")
        area = exercise.query(TextArea).first()
        area.focus()
        await pilot.press(*"private thoughts")
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, HideScreen)
        assert "private thoughts" not in screen_text(app)
        await pilot.press("f12")
        await pilot.pause()
        assert app.screen is exercise and area.text == "private thoughts"


# ---------------------------------------------------------------- help, safety, palette


async def test_help_lists_the_real_keys(tmp_path):
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys").render())
        for binding in WorkbookApp.BINDINGS:
            for key in binding.key.split(","):
                shown = app.get_key_display(type(binding)(key, binding.action))
                assert shown in keys, key
        assert "^p" in keys and "Command palette" in keys
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # Remapping a key changes what Help says: it reads the live bindings.
        app.set_keymap({"time-out": "f6"})
        await pilot.press("f1")
        await pilot.pause()
        keys = str(app.screen.query_one("#help-keys").render())
        assert "f6" in keys and "f2 /" not in keys
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)


async def test_safety_is_one_key_away_even_while_typing(tmp_path):
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_edit_names()
        await pilot.pause()
        assert isinstance(app.screen.focused, Input)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        lines = str(app.screen.query_one("#safety-lines").render())
        for line in app.catalog.support:
            assert line.service in lines
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        assert app.screen.query_one("#name-a", Input).value == "Alex"


async def test_palette_finds_an_exercise_by_title(tmp_path):
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"saying it kindly")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AttendanceScreen)
        await pilot.click("#only-b")
        await pilot.pause()
        assert app.screen.exercise.id == "fx-i-statements"
        assert app.attendees == ("b",)


async def test_palette_reaches_every_workbook_action(tmp_path):
    from relworkbook.commands import APP_COMMANDS, WorkbookCommands

    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        names = [name for name, _help, _command in WorkbookCommands(app.screen)._commands()]
        for name, _help, action in APP_COMMANDS:
            assert callable(getattr(app, f"action_{action}")), action
            assert name in names
        for exercise in app.catalog.exercises:
            assert f"Start exercise: {exercise.title}" in names


@pytest.mark.parametrize(
    "command, module, screen_class",
    [
        ("History: every sitting", "history", "HistoryScreen"),
        ("Trends", "trends", "TrendsScreen"),
        ("Commitments", "commitments", "CommitmentsScreen"),
        ("Search everything written", "search", "SearchScreen"),
    ],
)
async def test_palette_and_home_reach_the_looking_back_screens(tmp_path, command, module, screen_class):
    import importlib

    expected = getattr(importlib.import_module(f"relworkbook.screens.{module}"), screen_class)
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*command.lower())
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, expected)
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        olist = app.screen.query_one("#home-list", OptionList)
        index = next(i for i, o in enumerate(olist.options) if o.id == f"go:{module}")
        olist.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, expected)


# ---------------------------------------------------------------- sittings


async def test_ending_a_sitting_shows_what_was_answered(tmp_path):
    db = workbook(tmp_path)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        exercise = await open_exercise(pilot, app, "fx-hopes")
        area = exercise.query(TextArea).first()
        area.focus()
        await pilot.press(*"breakfast together")
        sitting_id = app.sitting_id
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await pilot.pause()
        assert isinstance(app.screen, SittingEndScreen)
        recap = str(app.screen.query_one("#recap").render())
        assert "What we hope for" in recap
        assert "breakfast together" in recap
        assert app.store.get_sitting(sitting_id).ended is not None
        assert app.store.open_sitting() is None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # The next exercise asks again who is here, for a new sitting.
        app.action_open_exercise("fx-hopes")
        await pilot.pause()
        assert isinstance(app.screen, AttendanceScreen)


async def test_end_sitting_with_none_open_says_so(tmp_path):
    """f5 is not offered (nor does anything) with no sitting open; the palette's End sitting says why."""
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.check_action("end_sitting", ()) is False
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.action_end_sitting()  # what the palette's "End sitting" runs
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("No sitting is open" in n.message for n in app._notifications)


async def test_one_sitting_per_run_and_attendance_asked_once(tmp_path):
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_exercise(pilot, app, "fx-hopes", who="only-a")
        first = app.sitting_id
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.action_open_exercise("fx-i-statements")
        await pilot.pause()
        assert not isinstance(app.screen, AttendanceScreen)
        assert app.sitting_id == first
        assert app.store.open_sitting().id == first
        assert app.store.get_sitting(first).attendees == ("a",)


async def test_continue_opens_the_exact_slot(tmp_path):
    from relworkbook.progress import set_resume

    db = workbook(tmp_path)
    store = Store.open(db)
    sitting = store.start_sitting(("a", "b"))
    store.save_answer(sitting.id, "fx-hopes", "hope", "a", "walks", prompt_type="text")
    set_resume(store, sitting.id, "fx-hopes", 1, attendees=("a", "b"))
    store.close()
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        olist = app.screen.query_one("#home-list", OptionList)
        assert olist.get_option_at_index(0).id == "continue"
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert screen.exercise.id == "fx-hopes"
        assert app.sitting_id == sitting.id  # the open sitting is kept
        assert screen.run.slot_index == 1


# ---------------------------------------------------------------- home


async def test_home_shows_progress_commitments_and_last_checkin(tmp_path):
    db = workbook(tmp_path)
    store = Store.open(db)
    sitting = store.start_sitting(("a", "b"))
    store.save_answer(sitting.id, "fx-checkin", "communication", "a", 7,
                      prompt_type="scale", private=True, metric="communication", number=7)
    store.save_answer(sitting.id, "fx-checkin", "communication", "b", 6,
                      prompt_type="scale", private=True, metric="communication", number=6)
    store.reveal(sitting.id, "fx-checkin", "communication")
    store.save_answer(sitting.id, "fx-checkin", "closeness", "a", 4,
                      prompt_type="scale", private=True, metric="closeness", number=4)
    store.add_commitment(sitting.id, "fx-checkin", "next-step", "Walk on Sunday", "both", "2000-01-02")
    store.add_commitment(sitting.id, "fx-checkin", "next-step-2", "Cook on Friday", "a", "2999-01-01")
    store.end_sitting(sitting.id)
    store.close()
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        row = next(line for line in lines if "Communication" in line and "▏" in line)
        assert row.split("▏", 1)[1].split() == ["Communication", "7", "6"]
        row = next(line for line in lines if "Closeness" in line and "▏" in line)
        assert row.split("▏", 1)[1].split() == ["Closeness", "?", "-"]
        assert "? waiting to reveal" in screen_text(app)
        commitments = str(app.screen.query_one("#glance-commitments").render())
        assert "Walk on Sunday" in commitments and "OVERDUE" not in commitments  # calm words, no capitals
        assert commitments.count("was due") == 1 and "Cook on Friday" in commitments
        steps = [str(o.prompt) for o in app.screen.query_one("#home-list", OptionList).options]
        assert "▾ Getting started  0/1" in steps  # the next exercise's step is open
        assert "▸ Weekly meeting  0/1" in steps
        assert not app.screen.query("#glance-skipped")  # no note when every exercise file loaded


def option_ids(app: WorkbookApp) -> list[str]:
    return [o.id or "" for o in app.screen.query_one("#home-list", OptionList).options]


def highlighted_id(app: WorkbookApp) -> str:
    option = app.screen.query_one("#home-list", OptionList).highlighted_option
    return (option.id or "") if option is not None else ""


async def test_home_steps_are_folded_and_open_with_keys_and_clicks(tmp_path, monkeypatch):
    from relworkbook import progress

    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        reads = []
        real_done = progress.done_exercises
        monkeypatch.setattr(progress, "done_exercises", lambda *a, **k: reads.append(1) or real_done(*a, **k))
        ids = option_ids(app)
        # At first only the step of the next suggested exercise is open.
        assert ids.index("ex:fx-hopes") == ids.index("step:getting-started") + 1
        assert "step:talking-together" in ids and "ex:fx-i-statements" not in ids
        olist = app.screen.query_one("#home-list", OptionList)
        olist.highlighted = ids.index("step:talking-together")
        await pilot.press("right")
        await pilot.pause()
        ids = option_ids(app)
        assert ids.index("ex:fx-i-statements") == ids.index("step:talking-together") + 1
        assert highlighted_id(app) == "step:talking-together"  # the highlight stays on the step
        await pilot.press("down")
        assert highlighted_id(app) == "ex:fx-i-statements"
        # Left on an exercise closes its step and goes back to the step.
        await pilot.press("left")
        await pilot.pause()
        assert "ex:fx-i-statements" not in option_ids(app)
        assert highlighted_id(app) == "step:talking-together"
        # Enter opens and closes a step.
        await pilot.press("enter")
        await pilot.pause()
        assert "ex:fx-i-statements" in option_ids(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "ex:fx-i-statements" not in option_ids(app)
        assert reads == []  # opening and closing steps redraws the list without reading the workbook
        # So does a click on it.
        olist.scroll_to(y=0, animate=False)
        await pilot.pause()
        row = next(y for y, line in enumerate(screen_text(app).splitlines()) if "Getting started" in line)
        assert await pilot.click(offset=(4, row))
        await pilot.pause()
        assert "ex:fx-hopes" not in option_ids(app)
        # An exercise under an open step opens it (who is here is asked first).
        await pilot.press("enter")
        await pilot.pause()
        ids = option_ids(app)
        olist.highlighted = ids.index("ex:fx-hopes")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AttendanceScreen)
        await pilot.press("escape")
        await pilot.pause()
        # Steps keep their state when Home shows again.
        assert isinstance(app.screen, HomeScreen)
        assert "ex:fx-hopes" in option_ids(app) and "ex:fx-i-statements" not in option_ids(app)


async def test_the_footer_on_home_has_no_home_key(tmp_path):
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        # The footer fills in a refresh or two after Home (more on a loaded machine).
        for _ in range(100):
            footer = screen_text(app).splitlines()[-1]
            if "f1 Help" in footer:
                break
            await pilot.pause(0.02)
        assert "f1 Help" in footer and "Home" not in footer
        await pilot.press("f4")  # does nothing on Home
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        # Not in the footer anywhere (80 columns; esc goes back), but it works, and Help and the palette have it.
        assert "f4 Home" not in screen_text(app).splitlines()[-1]
        assert ("Anywhere", "f4", "Home") in app.key_rows(app.screen)
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_checkin_glance_cuts_labels_not_numbers_when_the_panel_is_narrow(tmp_path):
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alexandra 🌻", "royalblue", "Samuel-Jonathan", "darkorange")
        sitting = store.start_sitting(("a", "b"))
        for prompt, (a, b) in {"communication": (7, 6), "closeness": (9, 10)}.items():
            for partner, value in (("a", a), ("b", b)):
                store.save_answer(sitting.id, "fx-checkin", prompt, partner, value,
                                  prompt_type="scale", private=True, metric=prompt, number=value)
            store.reveal(sitting.id, "fx-checkin", prompt)
        store.end_sitting(sitting.id)
    app = app_for(db)
    async with app.run_test(size=(74, 24)) as pilot:
        await pilot.pause()
        glance = app.screen.query_one("#glance-checkin")
        lines = str(glance.render()).splitlines()
        assert glance.size.height == len(lines) == 4  # heading, names, two ratings: nothing wrapped
        width = glance.content_region.width
        assert all(Content(line).cell_length <= width for line in lines)
        # The names give way (cut with "…"), the numbers show whole, the labels get the rest.
        names = lines[1].split()
        assert len(names) == 2 and all(name.endswith("…") for name in names)
        assert names[0].startswith("Alex") and names[1].startswith("Sam")
        communication, closeness = lines[2].split(), lines[3].split()
        assert communication[-2:] == ["7", "6"] and closeness[-2:] == ["9", "10"]
        assert communication[0].startswith("Comm")


async def test_waiting_for_the_partner_who_was_away(tmp_path):
    db = workbook(tmp_path)
    store = Store.open(db)
    sitting = store.start_sitting(("a",))
    store.save_answer(sitting.id, "fx-hopes", "hope", "a", "more walks", prompt_type="text")
    store.end_sitting(sitting.id)
    store.close()
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#home-list", OptionList).options
        waiting = [o for o in options if (o.id or "").startswith("pending:")]
        assert [str(o.prompt) for o in waiting] == ["⧗ Waiting for Sam: What we hope for"]
        assert waiting[0].id == f"pending:b:{sitting.id}:fx-hopes"


async def test_skipped_exercises_are_told_and_listed(tmp_path):
    app = app_for(workbook(tmp_path), BROKEN)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.catalog.errors
        assert any("skipped" in n.message for n in app._notifications)
        assert app.screen.query_one("#glance-skipped").display
        await pilot.press("f1")
        await pilot.pause()
        listed = str(app.screen.query_one("#help-errors").render())
        for error in app.catalog.errors:
            assert Path(error.file).name in listed


# ---------------------------------------------------------------- theme and sizes


async def test_theme_is_remembered_across_runs(tmp_path):
    db = workbook(tmp_path)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme != "nord"
        app.theme = "nord"
        await pilot.pause()
    again = app_for(db)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_theme_chosen_through_the_palette_is_saved(tmp_path):
    db = workbook(tmp_path)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme")  # Textual's one Theme command
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press(*"gruvbox")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "gruvbox"
    store = Store.open(db)
    assert store.get_setting("theme") == "gruvbox"
    store.close()


def _opens(app: WorkbookApp):
    """Each main screen, pushed the way a person reaches it."""
    return [
        ("help", lambda: app.action_help()),
        ("safety", lambda: app.action_safety()),
        ("time-out", lambda: app.action_time_out()),
        ("hide", lambda: app.action_hide()),
        ("names", lambda: app.action_edit_names()),
        ("attendance", lambda: app.push_screen(AttendanceScreen())),
        ("confirm", lambda: app.push_screen(ConfirmScreen("End this sitting?", "Everything is saved."))),
    ]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_screen_fits_at_every_size(tmp_path, size):
    app = app_for(workbook(tmp_path))
    width, height = size
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        _fits(app, width, height)
        for name, push in _opens(app):
            push()
            await pilot.pause()
            _fits(app, width, height)
            assert screen_text(app).strip() or name == "hide", name
            app.pop_screen()
            await pilot.pause()
        exercise = await open_exercise(pilot, app, "fx-hopes")
        _fits(app, width, height)
        app.end_sitting(app.sitting_id)
        await pilot.pause()
        assert isinstance(app.screen, SittingEndScreen)
        _fits(app, width, height)
        assert exercise is not app.screen


def _fits(app: WorkbookApp, width: int, height: int) -> None:
    """Nothing runs off the right edge; what is below the bottom can be scrolled to."""
    from textual.widget import Widget

    for widget in app.screen.query("*"):
        if not widget.display or not widget.is_mounted:
            continue
        region = widget.region
        if not (region.width and region.height):
            continue
        ancestors = [a for a in widget.ancestors if isinstance(a, Widget)]
        if region.x < 0 or region.right > width:
            assert any(a.allow_horizontal_scroll for a in ancestors), (widget, region)
        if region.bottom > height:
            assert any(a.allow_vertical_scroll for a in ancestors), (widget, region)


async def test_an_exercise_opened_from_the_palette_replaces_the_one_on_screen(tmp_path):
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = await open_exercise(pilot, app, "fx-hopes")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"saying it kindly")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.exercise.id == "fx-i-statements"
        assert first not in app.screen_stack
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["HomeScreen", "ExerciseScreen"]


def test_plain_summary_hides_private_answers_until_revealed(tmp_path):
    from relworkbook.catalog import load_catalog
    from relworkbook.screens.sitting_end import plain_summary

    db = workbook(tmp_path)
    store = Store.open(db)
    try:
        catalog = load_catalog([FIXTURES], shipped=False)
        sitting = store.start_sitting(("a", "b"))
        store.save_answer(sitting.id, "fx-hopes", "hope", "a", "long walks", prompt_type="text")
        store.save_answer(sitting.id, "fx-hopes", "ready", "b", "Not yet", prompt_type="choice", private=True)
        text = plain_summary(store, catalog, sitting.id)
        assert "What we hope for" in text and "Alex: long walks" in text
        assert "Not yet" not in text and f"Sam: {PRIVATE_HIDDEN}" in text
        store.save_answer(sitting.id, "fx-hopes", "ready", "a", "Ready", prompt_type="choice", private=True)
        store.reveal(sitting.id, "fx-hopes", "ready")
        assert "Sam: Not yet" in plain_summary(store, catalog, sitting.id)
    finally:
        store.close()
