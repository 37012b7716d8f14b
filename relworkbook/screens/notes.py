"""Notes for one: each partner's own page, never revealed, never in a recap or report.

``NotesScreen`` shows one partner's notes in a text box and saves them as they
are typed, with the exercise screen's rule (``debounce.Debounce``: after a short
pause, and never later than ``SAVE_MOST`` after a change while typing goes on),
sealed with the partner's lock
when they have one (then it opens only after their passphrase), plain with a
line saying so when they have none. ``open_notes(app, store, couple, partner)``
asks for the passphrase first when one is needed.

While this screen is up a private text is on the screen: no screenshot is taken.

It is a ``HoldsAnswers``: the app's ``flush_all`` writes what it holds before
quitting (^q), on SIGHUP and SIGTERM, and before anything covers it, while the
workbook is still open.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, Footer, Static, TextArea

from ..debounce import Debounce
from ..model import Couple, partner_name
from ..store import WorkbookError
from . import HoldsAnswers
from .confirm import DialogScreen
from .private import ShowsPrivate

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store


_name = partner_name


class WhoseNotesScreen(DialogScreen):
    """Which partner's notes; returns "a", "b" or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="whose-notes.cancel")]

    def __init__(self, couple: Couple | None) -> None:
        super().__init__()
        self.couple = couple

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Whose notes?", classes="dialog-title")
            yield Static("Notes for one are never revealed to the other partner.", classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_name(self.couple, "a"), id="notes-a", variant="primary")
                yield Button(_name(self.couple, "b"), id="notes-b", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id or ""
        self.dismiss(button.removeprefix("notes-") if button.startswith("notes-") else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NotesScreen(ShowsPrivate, HoldsAnswers[None]):
    BINDINGS = [Binding("escape", "close", "Close", id="notes.close")]
    DEFAULT_CSS = """
    NotesScreen {
        layout: vertical;
    }
    NotesScreen > #notes-head, NotesScreen > #notes-lock {
        height: auto;
        padding: 0 1;
    }
    NotesScreen > #notes-head {
        text-style: bold;
        background: $panel;
    }
    NotesScreen > #notes-lock {
        color: $text-muted;
    }
    NotesScreen > TextArea {
        height: 1fr;
    }
    """

    def __init__(self, store: Store, couple: Couple | None, partner: str, unlocked: Any = None) -> None:
        super().__init__()
        self.store = store
        self.couple = couple
        self.partner = partner
        self.unlocked = unlocked
        self._timer: Timer | None = None
        self._debounce = Debounce()  # the exercise screen's rule: SAVE_QUIET, SAVE_MOST
        self._unsaved = False  # typed since the last write that worked

    def private_owner(self) -> str | None:
        return self.partner

    def compose(self) -> ComposeResult:
        name = _name(self.couple, self.partner)
        yield Static(f"{name}'s notes, for {name} alone: never revealed, never in a recap.", id="notes-head")
        if self.store.has_lock(self.partner):
            lock = "Locked with your passphrase: saved as you type, unreadable without it."
        else:
            lock = (
                "Not locked: anyone at this keyboard or with the workbook file can open them. "
                "A lock (ctrl+p, Locks) keeps them to you alone."
            )
        yield Static(lock, id="notes-lock")
        yield TextArea(self.store.read_notes(self.partner, self.unlocked), id="notes-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#notes-text", TextArea).focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._unsaved = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        delay = self._debounce.changed(time.monotonic())
        if delay <= 0:
            self.flush_saves()  # typing has gone on for the longest wait: write now
            return
        self._timer = self.set_timer(delay, self.flush_saves)

    def flush_saves(self) -> bool:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._debounce.reset()  # a write is tried now: the next change starts a new window
        if not self._unsaved:
            return True
        try:
            self.store.save_notes(self.partner, self.query_one("#notes-text", TextArea).text)
        except WorkbookError as error:
            self.notify(str(error).splitlines()[0], title="Not saved yet", severity="error")
            return False
        self._unsaved = False
        return True

    def action_close(self) -> None:
        if self.flush_saves():
            self.dismiss(None)

    def on_unmount(self) -> None:
        try:
            self.flush_saves()
        except Exception:  # the store may be closed at shutdown
            pass
        self.unlocked = None


def open_notes(app: Any, store: Store, couple: Couple | None, partner: str) -> None:
    """Open ``partner``'s notes, after their passphrase when their notes are locked.

    Notes without a lock open after a look-away step ("Sam, please look away"),
    as a private answer has its hand-over: never at one press on the shared screen.
    Empty notes without a lock open at once (there is nothing to see yet). A partner
    with a lock is always asked for it, even before they have written anything, so
    the other cannot write into their notes in their name.
    """
    if not store.notes_locked(partner) and not store.has_lock(partner):
        if not store.has_notes(partner):
            app.push_screen(NotesScreen(store, couple, partner))
            return
        from .confirm import ConfirmScreen

        name, other = _name(couple, partner), _name(couple, "b" if partner == "a" else "a")

        def agreed(yes: bool | None) -> None:
            if yes:
                app.push_screen(NotesScreen(store, couple, partner))

        app.push_screen(
            ConfirmScreen(
                f"{name}'s notes",
                f"{other}, please look away. {name}'s notes are not locked: a lock (ctrl+p, Locks) "
                f"keeps them to {name} alone.",
                yes="Open the notes", no="Cancel (Esc)",
            ),
            callback=agreed,
        )
        return
    from .locks import PassphraseScreen

    def opened(unlocked: Any) -> None:
        if unlocked is not None:
            app.push_screen(NotesScreen(store, couple, partner, unlocked))

    app.push_screen(PassphraseScreen(store, couple, partner, why="Your notes are locked."), callback=opened)
