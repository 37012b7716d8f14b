"""Locks: each partner's optional passphrase for their private answers and notes.

``LocksScreen`` says what a lock protects and what it does not, shows each
partner's lock, and opens the small forms: set, change, remove (after typing
the passphrase) and reset (after a forgotten one: it says first how many locked
answers, and whether notes, will be lost). It opens from the palette, from
Settings, and once at the first run, after the names.

``PassphraseScreen`` asks one partner for their passphrase (the other looks
away) and returns the opened lock, or None; a wrong passphrase is one calm
line and another try. The opened lock lives in memory only, for as long as
the caller needs it.

No cryptography is imported here: the store does that, on use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from ..model import PARTNERS, Couple, partner_name
from ..store import LockError, WorkbookError
from .confirm import ConfirmScreen, DialogScreen

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store

PROTECTS = (
    "A lock keeps one partner's private answers and notes unreadable to the other partner, "
    "and to anyone with the workbook file, its backups or an export, until the two of you "
    "agree to reveal them. Each of you may set one, or not; it is asked for at the reveal."
)
DOES_NOT = (
    "It does not protect against someone watching the screen, a program recording the keys, "
    "or being made to type it. If that is a worry, f3 has where to find help."
)
FORGOTTEN = (
    "A forgotten passphrase cannot be recovered: resetting the lock loses the answers still "
    "locked and the notes. Everything else stays."
)


_name = partner_name


class PassphraseScreen(DialogScreen):
    """One partner types their passphrase; returns the opened lock, or None (cancelled)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="passphrase.cancel")]
    DEFAULT_CSS = """
    PassphraseScreen #passphrase-problem {
        color: $error;
        text-style: bold;
        height: auto;
    }
    """

    def __init__(self, store: Store, couple: Couple | None, partner: str, *, why: str = "") -> None:
        super().__init__()
        self.store = store
        self.couple = couple
        self.partner = partner
        self.why = why

    def compose(self) -> ComposeResult:
        name = _name(self.couple, self.partner)
        other = _name(self.couple, "b" if self.partner == "a" else "a")
        with Vertical(classes="dialog"):
            yield Static(f"{name}, your passphrase", classes="dialog-title")
            yield Static(
                (self.why + " " if self.why else "") + f"{other}, please look away.",
                classes="dialog-text",
            )
            yield Input(password=True, placeholder="Passphrase", id="passphrase")
            yield Static("", id="passphrase-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Open (Enter)", id="open", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#passphrase", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._try()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "open":
            self._try()
        else:
            self.action_cancel()

    def _try(self) -> None:
        field = self.query_one("#passphrase", Input)
        try:
            unlocked = self.store.unlock(self.partner, field.value)
        except WorkbookError as error:
            field.value = ""
            self.query_one("#passphrase-problem", Static).update(str(error))
            field.focus()
            return
        field.value = ""
        self.dismiss(unlocked)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LockFormScreen(DialogScreen):
    """Set, change or remove one partner's lock; returns a line saying what was done, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="lockform.cancel")]
    DEFAULT_CSS = """
    LockFormScreen #lock-problem {
        color: $error;
        text-style: bold;
        height: auto;
    }
    """

    TITLES = {"set": "set a lock", "change": "change your passphrase", "remove": "remove your lock"}

    def __init__(self, store: Store, couple: Couple | None, partner: str, mode: str) -> None:
        super().__init__()
        self.store = store
        self.couple = couple
        self.partner = partner
        self.mode = mode

    def compose(self) -> ComposeResult:
        name = _name(self.couple, self.partner)
        other = _name(self.couple, "b" if self.partner == "a" else "a")
        with Vertical(classes="dialog"):
            yield Static(f"{name}: {self.TITLES[self.mode]}", classes="dialog-title")
            text = f"{other}, please look away. "
            if self.mode == "set":
                text += "A few words you will remember; it cannot be recovered if forgotten."
            elif self.mode == "remove":
                text += "Your private answers stay private until the reveal, but no longer locked."
            yield Static(text, classes="dialog-text")
            if self.mode in ("change", "remove"):
                yield Input(password=True, placeholder="Your passphrase now", id="old")
            if self.mode in ("set", "change"):
                yield Input(password=True, placeholder="New passphrase", id="new")
                yield Input(password=True, placeholder="The same again", id="again")
            yield Static("", id="lock-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.TITLES[self.mode].capitalize(), id="ok", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query(Input).first().focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self._do()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._do()
        else:
            self.action_cancel()

    def _value(self, field: str) -> str:
        found = self.query(f"#{field}")
        return found.first(Input).value if found else ""

    def _problem(self, text: str, field: str | None = None) -> None:
        self.query_one("#lock-problem", Static).update(text)
        for box in self.query(Input):
            box.value = ""
        self.query(Input).first().focus()

    def _do(self) -> None:
        from .. import locks

        new, again = self._value("new"), self._value("again")
        if self.mode in ("set", "change"):
            trouble = locks.problem(new, again)
            if trouble:
                self._problem(trouble)
                return
        name = _name(self.couple, self.partner)
        try:
            if self.mode == "set":
                sealed = self.store.set_lock(self.partner, new)
                done = f"{name}'s lock is set." + (
                    f" {sealed} private answer{'s' if sealed != 1 else ''} locked now." if sealed else ""
                )
            elif self.mode == "change":
                self.store.change_lock(self.partner, self._value("old"), new)
                done = f"{name}'s passphrase is changed."
            else:
                opened = self.store.remove_lock(self.partner, self._value("old"))
                done = f"{name}'s lock is removed." + (
                    f" {opened} private answer{'s' if opened != 1 else ''} no longer locked (still private)."
                    if opened else ""
                )
        except LockError as error:
            self._problem(str(error))
            return
        except WorkbookError as error:
            self._problem(str(error).splitlines()[0])
            return
        self.dismiss(done)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LocksScreen(Screen[None]):
    """What a lock does, and each partner's lock with what can be done with it."""

    BINDINGS = [Binding("escape", "close", "Close", id="locks.close")]
    DEFAULT_CSS = """
    LocksScreen .partner-lock {
        height: auto;
        margin-top: 1;
    }
    LocksScreen .partner-lock > Static {
        height: auto;
    }
    LocksScreen .partner-lock > Horizontal {
        height: auto;
    }
    LocksScreen .partner-lock Button {
        margin-right: 1;
    }
    """

    def __init__(self, store: Store, couple: Couple | None, *, first: bool = False) -> None:
        super().__init__()
        self.store = store
        self.couple = couple
        self.first = first

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="locks-body"):
            yield Static("Locks for private answers (optional)", classes="screen-title")
            yield Static(PROTECTS, classes="paragraph")
            yield Static(DOES_NOT, classes="paragraph")
            yield Static(FORGOTTEN, classes="paragraph")
            for key in PARTNERS:
                with Vertical(classes="partner-lock", id=f"lock-{key}"):
                    yield Static("", id=f"lock-state-{key}")
                    yield Horizontal(id=f"lock-buttons-{key}")
            if self.first:
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Continue", id="done", variant="primary")
        yield Footer()

    async def on_mount(self) -> None:
        await self.refresh_view()

    async def refresh_view(self) -> None:
        for key in PARTNERS:
            name = _name(self.couple, key)
            state = self.query_one(f"#lock-state-{key}", Static)
            buttons = self.query_one(f"#lock-buttons-{key}", Horizontal)
            await buttons.remove_children()
            if self.store.has_lock(key):
                count = self.store.locked_count(key)
                notes = " and notes" if self.store.notes_locked(key) else ""
                state.update(
                    f"{name}: locked. {count} private answer{'s' if count != 1 else ''}{notes} locked now."
                )
                await buttons.mount_all([
                    Button("Change passphrase", id=f"change-{key}", compact=True),
                    Button("Remove lock", id=f"remove-{key}", compact=True),
                    Button("Forgot it: reset", id=f"reset-{key}", variant="warning", compact=True),
                ])
            else:
                state.update(f"{name}: no lock. Private answers are hidden on the screen, not in the file.")
                await buttons.mount(Button(f"Set a lock for {name}", id=f"set-{key}", compact=True))
        # Focus without scrolling to it: the screen is read from the top (at 40x12
        # the buttons are below the fold; Tab brings the focused one into view).
        if self.first:
            self.query_one("#done", Button).focus(scroll_visible=False)
        else:
            self.query(Button).first().focus(scroll_visible=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id or ""
        if button == "done":
            self.dismiss(None)
            return
        mode, _, key = button.partition("-")
        if key not in PARTNERS:
            return
        if mode == "reset":
            self._reset(key)
        elif mode in ("set", "change", "remove"):
            self.app.push_screen(LockFormScreen(self.store, self.couple, key, mode), callback=self._done)

    async def _done(self, message: str | None) -> None:
        if message:
            self.notify(message, title="Locks")
        await self.refresh_view()

    def _reset(self, key: str) -> None:
        name = _name(self.couple, key)
        count = self.store.locked_count(key)
        notes = self.store.notes_locked(key)
        lost = f"{count} private answer{'s' if count != 1 else ''} still locked"
        if notes:
            lost += f" and {name}'s notes"
        question = f"Reset {name}'s lock?"
        detail = (
            f"The passphrase cannot be recovered, so {lost} will be lost for good. "
            "Everything else stays. A new lock can be set afterwards."
        )

        async def decided(yes: bool | None) -> None:
            if yes:
                answers, notes_lost = self.store.reset_lock(key)
                await self._done(
                    f"{name}'s lock is reset: {answers} locked answer{'s' if answers != 1 else ''}"
                    + (" and the notes" if notes_lost else "") + " removed."
                )

        self.app.push_screen(
            ConfirmScreen(question, detail, yes="Reset and lose them", no="Keep the lock"), callback=decided
        )

    def action_close(self) -> None:
        self.dismiss(None)
