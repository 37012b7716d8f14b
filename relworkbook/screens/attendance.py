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

    BINDINGS = [
        Binding("escape", "cancel", "Back", id="attendance-cancel"),
        # The buttons are one above the other: the arrows go from one to the next, round
        # at the ends as Tab does (Tab and the arrows share a line in Help).
        Binding("down", "app.focus_next", "Focus Next", show=False, id="attendance-next"),
        Binding("up", "app.focus_previous", "Focus Previous", show=False, id="attendance-previous"),
    ]

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
