"""Who is here for this sitting: both, or one partner alone.

Asked the first time an exercise opens in a run; returns the partner keys
present (``("a", "b")``, ``("a",)`` or ``("b",)``), or None to go back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Static

from .confirm import DialogScreen


class AttendanceScreen(DialogScreen):
    """Dismisses with the partner keys present, or None."""

    # The arrows go from one button to the next as in every dialog (DialogScreen).
    BINDINGS = [Binding("escape", "cancel", "Back", id="attendance-cancel")]

    def compose(self) -> ComposeResult:
        name = self.app.partner_name  # type: ignore[attr-defined]
        with Vertical(classes="dialog", id="attendance"):
            yield Static("Who is here for this sitting?", classes="dialog-title")
            yield Static(
                "Work meant for someone who is not here waits for them, "
                "and shows on Home when they sit down.",
                classes="dialog-text",
            )
            yield Button(f"Both of us: {name('a')} and {name('b')}", id="both", variant="primary")
            yield Button(f"Only {name('a')}", id="only-a")
            yield Button(f"Only {name('b')}", id="only-b")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = {"both": ("a", "b"), "only-a": ("a",), "only-b": ("b",)}.get(event.button.id or "")
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)
