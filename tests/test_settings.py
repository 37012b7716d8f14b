"""Settings and what is due on Home, driven for real: make_app on a workbook in
tmp_path, the fixture exercise pack, a Pilot, and a fixed "today"
(2026-11-29 is a Sunday)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Digits, Input, OptionList, Select, Static

from relworkbook.app import WorkbookApp, make_app
from relworkbook.rhythm import Rhythm, read_rhythm, save_rhythm
from relworkbook.screens.home import HomeScreen
from relworkbook.screens.settings import SettingsScreen
from relworkbook.screens.timeout import TimeoutScreen
from relworkbook.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
SUNDAY = date(2026, 11, 29)


def workbook(tmp_path: Path) -> Path:
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    return db


def app_for(db: Path, today: date = SUNDAY) -> WorkbookApp:
    app = make_app(db, [FIXTURES], shipped=False)
    app.today = lambda: today
    return app


def checkin_on(store: Store, day: str) -> None:
    """A whole check-in on that day (Home counts only a completed one as done)."""
    sitting = store.start_sitting(("a", "b"), started=f"{day}T19:00:00")
    for partner, (talk, close) in (("a", (7, 6)), ("b", (6, 8))):
        store.save_answer(sitting.id, "fx-checkin", "communication", partner, talk, prompt_type="scale",
                          private=True, metric="communication", number=talk)
        store.save_answer(sitting.id, "fx-checkin", "closeness", partner, close, prompt_type="scale",
                          private=True, metric="closeness", number=close)
        store.save_answer(sitting.id, "fx-checkin", "thanks", partner, "the dinner", prompt_type="text")
    store.save_answer(sitting.id, "fx-checkin", "next-step", "together",
                      {"what": "A walk on Sunday", "owner": "both", "due": None}, prompt_type="commitment")
    store.end_sitting(sitting.id, ended=f"{day}T19:20:00")


def screen_text(app: WorkbookApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def due_text(app: WorkbookApp) -> str:
    return str(app.screen.query_one("#glance-due", Static).render())


# ---------------------------------------------------------------- the screen


async def test_settings_from_home_saves_each_change_and_reads_back(tmp_path):
    db = workbook(tmp_path)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        text = screen_text(app)
        for words in ("The weekly check-in", "Sunday", "19:00", "30 minutes", "Time-out", "20 minutes"):
            assert words in text
        # Opening it writes nothing.
        assert app.store.get_setting("checkin_day") is None
        screen.query_one("#set-day", Select).value = 2
        await pilot.pause()
        time = screen.query_one("#set-time", Input)
        time.focus()
        await pilot.press("end", *["backspace"] * 5, *"7:3")
        await pilot.pause()
        assert "not saved until it looks like 19:00" in screen_text(app)
        assert app.store.get_setting("checkin_time") == "19:00"  # the last good time stays
        await pilot.press("0", "enter")
        await pilot.pause()
        assert time.value == "07:30"
        screen.query_one("#set-length", Select).value = 45
        screen.query_one("#set-timeout", Select).value = 10
        await pilot.pause()
        assert "Saved: time-out length." in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    with Store.open(db) as store:
        assert read_rhythm(store) == Rhythm(2, "07:30", 45, 10, False)


async def test_the_time_set_aside_says_it_is_for_the_calendar_and_how_long_the_checkin_takes(tmp_path):
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.action_settings()
        await pilot.pause()
        row = str(app.screen.query_one("#length-row .setting-hint", Static).render())
        minutes = app.catalog.checkin().minutes
        assert row == f"Kept free in the calendar file; the check-in itself takes about {minutes} minutes."
        assert "Time set aside" in screen_text(app)


async def test_settings_from_the_palette_and_the_home_list(tmp_path):
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Settings")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.click("#settings-close-button")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        olist = app.screen.query_one("#home-list", OptionList)
        olist.highlighted = olist.get_option_index("go:settings")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)


async def test_settings_fit_40x12_and_every_row_can_be_reached(tmp_path):
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        app.action_settings()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen) and screen.has_class("-narrow")
        reached = []
        for _ in range(8):
            reached.append(app.focused.id)
            await pilot.press("tab")
            await pilot.pause()
        assert {"set-day", "set-time", "set-length", "set-timeout", "set-words", "settings-calendar",
                "settings-close-button"} <= set(reached)


async def test_time_out_starts_from_settings_and_plus_changes_only_this_break(tmp_path):
    db = workbook(tmp_path)
    with Store.open(db) as store:
        save_rhythm(store, Rhythm(timeout_minutes=10))
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        assert app.screen.query_one("#countdown", Digits).value in ("10:00", "09:59")
        await pilot.press("plus")
        assert app.screen.minutes == 15
        await pilot.press("1", "2")  # both ready: the break ends (issue 14, flow fix 1)
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.minutes == 10  # the next break: the length in Settings again
    with Store.open(db) as store:
        assert read_rhythm(store).timeout_minutes == 10


# ---------------------------------------------------------------- due on Home


async def test_home_says_check_in_today(tmp_path):
    db = workbook(tmp_path)
    with Store.open(db) as store:
        checkin_on(store, "2026-11-22")
    app = app_for(db, SUNDAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Check-in today at 19:00" in due_text(app)


async def test_home_says_check_in_overdue_calmly_and_commitments_this_week(tmp_path):
    db = workbook(tmp_path)
    with Store.open(db) as store:
        save_rhythm(store, Rhythm(checkin_day=4, checkin_time="20:15"))  # Fridays
        checkin_on(store, "2026-11-20")
        sitting = store.start_sitting(("a", "b"), started="2026-11-20T20:15:00")
        store.add_commitment(sitting.id, "fx-checkin", "next-step", "Walk by the river", "both", "2026-12-01")
        store.add_commitment(sitting.id, "fx-checkin", "next-step-2", "Call the plumber", "a", "2026-11-25")
        store.add_commitment(sitting.id, "fx-checkin", "next-step-3", "Plan the spring", "b", "2027-03-01")
        store.end_sitting(sitting.id, ended="2026-11-20T20:30:00")
    app = app_for(db, SUNDAY)  # two days after Friday the 27th
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        due = due_text(app)
        assert "Check-in 2 days overdue" in due
        assert "1 commitment due this week" in due
        assert "1 commitment past its date" in due
        commitments = str(app.screen.query_one("#glance-commitments", Static).render())
        assert "Walk by the river (both of you, due Tuesday)" in commitments
        assert "Call the plumber (Alex, was due 4 days ago)" in commitments
        assert "OVERDUE" not in screen_text(app)
        # A check-in held now moves Home on to the next Friday.
        checkin_on(app.store, "2026-11-29")
        app.refresh_home()
        await pilot.pause()
        assert "Check-in done today; the next one on Friday at 20:15" in due_text(app)


async def test_home_due_line_follows_a_change_in_settings(tmp_path):
    db = workbook(tmp_path)
    with Store.open(db) as store:
        checkin_on(store, "2026-11-22")
    app = app_for(db, SUNDAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Check-in today at 19:00" in due_text(app)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#set-day", Select).value = 0  # Mondays
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "Check-in tomorrow at 19:00" in due_text(app)
