"""Keyboard and layout polish found by QA: each through the real app (Pilot) at the sizes a user has."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Button

from relworkbook.app import make_app
from relworkbook.model import Prompt
from relworkbook.sitting import Reveal
from relworkbook.store import Store

from settle import until

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


def _workbook(tmp_path: Path) -> Path:
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    return db


# ---- The revealed answers scroll by keyboard while Continue has focus


def _long_reveal(store: Store) -> Reveal:
    """Three private text answers each, long enough to be taller than 80x24."""
    sitting = store.start_sitting(("a", "b"))
    prompts = [Prompt(f"wish{n}", "text", f"Private question {n}?", who="private") for n in range(3)]
    answers: dict = {}
    for prompt in prompts:
        for partner in ("a", "b"):
            words = " ".join(f"{partner}{prompt.id}w{i}" for i in range(60))
            store.save_answer(sitting.id, "fx-hopes", prompt.id, partner, words, prompt_type="text", private=True)
            answers.setdefault(prompt.id, {})[partner] = words
    return Reveal(store, sitting.id, "fx-hopes", prompts, answers)


async def test_the_revealed_answers_scroll_by_keyboard_while_continue_has_focus(tmp_path):
    from relworkbook.screens.handover import RevealScreen

    app = make_app(_workbook(tmp_path), [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = RevealScreen(_long_reveal(app.store), app.couple)
        results: list = []
        app.push_screen(screen, callback=results.append)
        await pilot.pause()
        await pilot.press("1", "2")
        await pilot.pause()
        assert screen.revealed and app.focused is screen.query_one("#continue", Button)
        area = screen.query_one("#side-by-side", VerticalScroll)
        assert area.max_scroll_y > 0  # taller than the screen: the thing to scroll
        await pilot.press("down")
        await until(pilot, lambda: area.scroll_y == 1, what="down scrolls a line")
        await pilot.press("pagedown")
        await until(pilot, lambda: area.scroll_y > 2, what="page down scrolls a page")
        await pilot.press("end")
        await until(pilot, lambda: area.scroll_y == area.max_scroll_y, what="end goes to the end")
        await pilot.press("pageup")
        await until(pilot, lambda: area.scroll_y < area.max_scroll_y - 2, what="page up")
        await pilot.press("up", "home")
        await until(pilot, lambda: area.scroll_y == 0, what="home goes to the top")
        assert app.focused is screen.query_one("#continue", Button)  # focus stayed on Continue
        footer = {binding.description for _, binding, enabled, _ in screen.active_bindings.values() if enabled}
        assert "Scroll" in footer
        await pilot.press("enter")
        await pilot.pause()
        assert results == [True]


# ---- The attendance dialog: the arrows move between its buttons


async def test_the_arrows_move_between_the_attendance_dialogs_buttons(tmp_path):
    from relworkbook.screens.attendance import AttendanceScreen
    from relworkbook.screens.exercise import ExerciseScreen

    app = make_app(_workbook(tmp_path), [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_open_exercise("fx-hopes")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AttendanceScreen)

        def focused() -> str | None:
            return app.focused.id if app.focused is not None else None

        assert focused() == "both"
        await pilot.press("down")
        assert focused() == "only-a"
        await pilot.press("down")
        assert focused() == "only-b"
        await pilot.press("up")
        assert focused() == "only-a"
        await pilot.press("up", "up")  # past the first: round to the last, as Tab does
        assert focused() == "only-b"
        await pilot.press("down")
        assert focused() == "both"
        await pilot.press("down", "enter")  # Enter still presses the button that has focus
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen) and app.screen.run.attendees == ("a",)


# ---- After the break's timer ran out, + does not start another break


def test_a_break_that_is_over_is_not_made_longer_or_shorter():
    from relworkbook.sitting import TimeOut

    now = [0.0]
    pause = TimeOut(20, ("a", "b"), clock=lambda: now[0])
    assert pause.adjust(5) == 5 and pause.minutes == 25  # while it runs: this break only
    now[0] = 25 * 60 + 10  # ten seconds after the timer ran out
    assert pause.over
    assert pause.adjust(5) == 0 and pause.minutes == 25 and pause.over
    assert pause.adjust(-5) == 0 and pause.minutes == 25 and pause.over


async def test_plus_after_the_timer_ran_out_does_not_start_a_new_break(tmp_path):
    from time import monotonic

    from textual.widgets import Digits

    from relworkbook.screens.timeout import TimeoutScreen

    app = make_app(_workbook(tmp_path), [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimeoutScreen)
        await pilot.press("plus")  # during the break: five minutes more
        assert screen.minutes == 25
        screen.ends_at = monotonic() - 10  # the timer ran out ten seconds ago
        screen._tick()
        await pilot.pause()
        status = screen.query_one("#timeout-status")
        assert "Time is up" in str(status.content)
        for key in ("plus", "equals_sign", "minus"):
            await pilot.press(key)
            await pilot.pause()
            assert screen.remaining == 0 and screen.minutes == 25
        assert screen.query_one("#countdown", Digits).value == "00:00"
        assert "Time is up" in str(status.content)
        assert not screen.query_one("#longer", Button).display and not screen.query_one("#shorter", Button).display
        shown = {b.binding.action for b in screen.active_bindings.values() if b.enabled and b.node is screen}
        assert "longer" not in shown and "shorter" not in shown  # not in the footer, help or palette
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, TimeoutScreen)


# ---- Trends at 40x12: no name or title cut inside a word


async def test_trends_at_40x12_cuts_no_name_or_title_inside_a_word(tmp_path):
    import re

    from textual.widgets import OptionList, Static

    from relworkbook import demo
    from relworkbook.catalog import load_catalog
    from relworkbook.screens.trends import TrendsScreen

    db = tmp_path / "demo.db"
    catalog = load_catalog()
    with Store.open(db) as store:
        demo.generate(store, catalog, weeks=30, seed=2, today=demo.SAMPLE_TODAY)
        couple = store.get_couple()
        store.set_couple("Alexandrina Rose", couple.a.colour, "Maximilian", couple.b.colour)
    app = make_app(db, shipped=True)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        app.push_screen(TrendsScreen(app.store, app.catalog, app.store.get_couple()))
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        rows = [strip.text for strip in screen._compositor.render_strips()]
        # The list of metrics: each row holds whole words of a title, or a word's start and "…".
        listing = screen.query_one("#trends-list", OptionList)
        words = {word for option in listing.options for word in str(option.prompt).split()}
        region = listing.content_region
        shown = [rows[y][region.x : region.right] for y in range(region.y, region.bottom)]
        pieces = [piece for row in shown for piece in re.findall(r"[A-Za-z][\w'-]*\u2026?", row)]
        assert pieces
        for piece in pieces:
            if piece.endswith("\u2026"):
                assert any(word.startswith(piece[:-1]) and word != piece[:-1] for word in words), piece
            else:
                assert piece in words, (piece, shown)
        # The table of latest ratings: one row a line, the names shortened with an ellipsis.
        stats = screen.query_one("#trends-stats", Static)
        table = str(stats.content).split("\n\n", 1)[0].splitlines()
        assert table[0].split() == ["date", "Alexa\u2026", "Maxim\u2026"]
        assert all(len(line) <= stats.content_region.width for line in table)
        assert "Alexandr " not in "\n".join(rows) and "Maximili " not in "\n".join(rows)


# ---- The hand-over screen: the name centred, and all of it on screen at 40x12


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
@pytest.mark.parametrize("others_present, count", [(True, 1), (True, 3), (False, 1)])
async def test_the_handover_name_is_centred_and_on_screen(tmp_path, size, others_present, count):
    from relworkbook.screens.handover import HandoverScreen

    app = make_app(_workbook(tmp_path), [FIXTURES], shipped=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.push_screen(HandoverScreen(app.couple, "b", others_present=others_present, count=count))
        await pilot.pause()
        screen = app.screen
        rows = [strip.text for strip in screen._compositor.render_strips()]
        badge = screen.query_one("#handover-badge")
        box = screen.query_one("#box")
        assert 0 <= badge.region.y < size[1] - 1, "the name is on screen, above the footer"
        row = rows[badge.region.y]
        start = row.index("Sam", badge.region.x)
        assert start + 3 <= badge.region.right
        # The name's middle is the box's middle (to half a cell: "Sam" has an odd length).
        name_middle = start + 3 / 2
        box_middle = box.content_region.x + box.content_region.width / 2
        assert abs(name_middle - box_middle) <= 0.5, (row, name_middle, box_middle)
        shown = "\n".join(rows)
        assert "I'm Sam, ready (Enter)" in shown and "Back (Esc)" in shown
        assert box.region.y >= 0 and box.region.bottom <= size[1] - 1  # the whole box, no scrolling
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, HandoverScreen)


# ---- Every dialog: the arrows move between its buttons, as in the attendance dialog


async def test_the_arrows_move_between_a_dialogs_buttons_and_a_text_box_keeps_left_and_right(tmp_path):
    from textual.widgets import Input

    from relworkbook.screens.confirm import ConfirmScreen
    from relworkbook.screens.locks import LockFormScreen

    app = make_app(_workbook(tmp_path), [FIXTURES], shipped=False)
    answers: list[bool | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(ConfirmScreen("Leave?", "Nothing is lost."), callback=answers.append)
        await pilot.pause()

        def focused() -> str | None:
            return app.focused.id if app.focused is not None else None

        assert focused() == "yes"
        await pilot.press("right")
        assert focused() == "no"
        await pilot.press("left")
        assert focused() == "yes"
        await pilot.press("down")
        assert focused() == "no"
        await pilot.press("up")
        assert focused() == "yes"
        await pilot.press("right", "enter")
        await pilot.pause()
        assert answers == [False]
        # In a form, left and right stay in the text box; down goes on to the next box.
        app.push_screen(LockFormScreen(app.store, app.couple, "a", "set"))
        await pilot.pause()
        assert focused() == "new"
        await pilot.press(*"abc", "left", "left")
        box = app.screen.query_one("#new", Input)
        assert focused() == "new" and box.cursor_position == 1
        await pilot.press("down")
        assert focused() == "again"
