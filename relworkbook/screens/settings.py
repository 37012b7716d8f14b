"""Settings: the weekly check-in (day, time, length), the time-out length, the calendar.

Reached from Home (``s`` or the "Settings" line) and the command palette.
Every change is saved as it is made, through ``rhythm.save_rhythm`` (the store
writes the ``settings`` table); a time that is not a time yet ("19:") is not
saved, and a line under the rows says what is wanted. Closing the screen
(Escape or "Close") leaves what was saved.

The screen is a column of sections, each a title and ``SettingRow`` rows (a
label, the control, a one-line hint). To add an entry (a lock, say): yield
another section title and rows in ``compose`` and handle its control's
message here; the layout needs nothing else, at 80x24 or 40x12 (a row stacks
its label over its control when narrow).

"Add to calendar" writes one .ics file beside the recaps (the app's
``add_to_calendar`` action, which the palette also runs). "Locks" opens the
Locks screen (screens/locks.py, the app's ``locks`` action, also in the palette);
the line above the buttons says each partner's lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Checkbox, Label, Select, Static

from ..rhythm import (
    CHECKIN_LENGTHS,
    DAYS,
    TIMEOUT_LENGTHS,
    Rhythm,
    parse_time,
    read_rhythm,
    save_rhythm,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store


def minute_options(lengths: tuple[int, ...], current: int) -> list[tuple[str, int]]:
    """The usual lengths, plus the one saved if it is not among them."""
    values = sorted(set(lengths) | {current})
    return [(f"{value} minutes", value) for value in values]


class SettingRow(Horizontal):
    """One setting: a label, its control, and a short hint; stacked when the screen is narrow."""

    DEFAULT_CSS = """
    SettingRow {
        height: auto;
        margin: 0 0 0 0;
    }
    SettingRow > .setting-label {
        width: 20;
        padding: 0 1 0 0;
        text-style: bold;
    }
    SettingRow > .setting-control {
        width: 1fr;
        height: auto;
    }
    SettingRow .setting-hint {
        color: $text-muted;
        padding: 0 1;
    }
    SettingRow Select, SettingRow Input {
        width: 100%;
        max-width: 32;
    }
    """

    def __init__(self, label: str, control: Widget, hint: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._label = label
        self._control = control
        self._hint = hint

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="setting-label")
        with Vertical(classes="setting-control"):
            yield self._control
            if self._hint:
                yield Static(self._hint, classes="setting-hint")


class SettingsScreen(Screen[None]):
    """The couple's settings, saved as they change."""

    DEFAULT_CSS = """
    SettingsScreen #settings-body {
        padding: 0 2;
    }
    SettingsScreen .section-title {
        margin: 1 0 0 0;
    }
    SettingsScreen #settings-status {
        height: auto;
        color: $text-muted;
    }
    SettingsScreen #settings-status.-problem {
        color: $warning;
        text-style: bold;
    }
    SettingsScreen #settings-actions {
        height: auto;
        margin: 1 0 0 0;
    }
    SettingsScreen #settings-actions Button {
        width: auto;
        margin: 0 1 0 0;
    }
    SettingsScreen.-narrow #settings-body {
        padding: 0 1;
    }
    SettingsScreen.-narrow SettingRow {
        layout: vertical;
        margin: 0 0 1 0;
    }
    SettingsScreen.-narrow SettingRow > .setting-label {
        width: 100%;
        padding: 0;
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    BINDINGS = [
        Binding("escape", "close", "Close", id="settings-close"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.rhythm: Rhythm = read_rhythm(store)

    def _checkin_length_hint(self) -> str:
        """The calendar keeps this long free; the check-in itself may take less (its own minutes)."""
        catalog = self.app.catalog  # type: ignore[attr-defined]
        checkin = catalog.checkin() if catalog is not None else None
        if checkin is None:
            return "Kept free in the calendar file."
        return f"Kept free in the calendar file; the check-in itself takes about {checkin.minutes} minutes."

    def compose(self) -> ComposeResult:
        rhythm = self.rhythm
        yield Header()
        with VerticalScroll(id="settings-body"):
            yield Static("Settings", classes="screen-title")
            yield Static("The weekly check-in", classes="section-title")
            yield SettingRow(
                "Day",
                Select([(name, index) for index, name in enumerate(DAYS)], value=rhythm.checkin_day,
                       allow_blank=False, compact=True, id="set-day"),
                id="day-row",
            )
            yield SettingRow(
                "Time",
                Input(rhythm.checkin_time, placeholder="19:00", max_length=5,
                      restrict=r"[0-9:.h]*", compact=True, id="set-time"),
                id="time-row",
            )
            yield SettingRow(
                "Time set aside",
                Select(minute_options(CHECKIN_LENGTHS, rhythm.checkin_minutes), value=rhythm.checkin_minutes,
                       allow_blank=False, compact=True, id="set-length"),
                self._checkin_length_hint(),
                id="length-row",
            )
            yield Static("Time-out", classes="section-title")
            yield SettingRow(
                "A break lasts",
                Select(minute_options(TIMEOUT_LENGTHS, rhythm.timeout_minutes), value=rhythm.timeout_minutes,
                       allow_blank=False, compact=True, id="set-timeout"),
                "The time-out's - and + change only that one break.",
                id="timeout-row",
            )
            yield Static("Calendar", classes="section-title")
            yield SettingRow(
                "Titles",
                Checkbox("Use each commitment's own words", rhythm.calendar_words, compact=True, id="set-words"),
                "Off: \"A plan we made\". On: its words, seen by all.",
                id="words-row",
            )
            yield Static(
                "\"Add to calendar\" saves calendar.ics beside the recaps: the weekly check-in "
                "and each dated commitment; no answer, rating or note.",
                classes="muted",
                id="calendar-note",
            )
            yield Static(self._locks_line(), classes="muted", id="locks-note")
            yield Static("", id="settings-status")
            with Horizontal(id="settings-actions"):
                yield Button("Add to calendar", id="settings-calendar", compact=True)
                yield Button("Locks", id="settings-locks", compact=True)
                yield Button("Close", id="settings-close-button", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#set-day", Select).focus()

    # ------------------------------------------------------------ saving

    def _save(self, changed: Rhythm, what: str) -> None:
        if changed == self.rhythm:
            return  # a control set to the value it showed: nothing to write
        status = self.query_one("#settings-status", Static)
        try:
            save_rhythm(self.store, changed)
        except Exception as error:  # a read-only file, a value out of range: one line, kept on screen
            status.update(f"Could not save the {what}: {error}")
            status.add_class("-problem")
            return
        self.rhythm = changed
        status.update(f"Saved: {what}.")
        status.remove_class("-problem")

    @on(Select.Changed, "#set-day")
    def _day(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, int):
            self._save(self.rhythm._replace(checkin_day=event.value), "check-in day")

    @on(Select.Changed, "#set-length")
    def _length(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, int):
            self._save(self.rhythm._replace(checkin_minutes=event.value), "check-in length")

    @on(Select.Changed, "#set-timeout")
    def _timeout(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, int):
            self._save(self.rhythm._replace(timeout_minutes=event.value), "time-out length")

    @on(Checkbox.Changed, "#set-words")
    def _words(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._save(self.rhythm._replace(calendar_words=bool(event.value)), "calendar titles")

    @on(Input.Changed, "#set-time")
    def _time(self, event: Input.Changed) -> None:
        event.stop()
        clock = parse_time(event.value)
        status = self.query_one("#settings-status", Static)
        if clock is None:
            status.update("The time is not saved until it looks like 19:00.")
            status.add_class("-problem")
            return
        self._save(self.rhythm._replace(checkin_time=clock), "check-in time")

    @on(Input.Submitted, "#set-time")
    def _time_done(self, event: Input.Submitted) -> None:
        event.stop()
        clock = parse_time(event.value)
        if clock is not None and event.value != clock:
            event.input.value = clock  # "7:30" is shown as it is kept: "07:30"
        self.focus_next()

    # ------------------------------------------------------------ actions

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 1 and self.app.screen is self:
            self.app.pop_screen()

    @on(Button.Pressed, "#settings-close-button")
    def _close(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    def _locks_line(self) -> str:
        """Each partner's lock, in one line (the Locks screen does the rest)."""
        couple = self.store.get_couple()
        parts = []
        for key in ("a", "b"):
            name = couple.name(key) if couple is not None else key
            parts.append(f"{name} {'locked' if self.store.has_lock(key) else 'no lock'}")
        return "Locks for private answers: " + ", ".join(parts) + "."

    def on_screen_resume(self) -> None:
        # Back from the Locks screen: the line says what is now true.
        self.query_one("#locks-note", Static).update(self._locks_line())

    @on(Button.Pressed, "#settings-locks")
    async def _locks(self, event: Button.Pressed) -> None:
        event.stop()
        await self.run_action("app.locks")

    @on(Button.Pressed, "#settings-calendar")
    async def _calendar(self, event: Button.Pressed) -> None:
        event.stop()
        await self.run_action("app.add_to_calendar")
