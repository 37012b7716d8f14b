"""A short "done" moment at the end of an exercise: what you did, what is next, a breath.

Shown over Home when an exercise is finished (not when it is left early); Enter
or Escape closes it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from .confirm import DialogScreen


class DoneScreen(DialogScreen):
    """Closes with None."""

    BINDINGS = [Binding("escape,enter", "close", "Home", id="done.close")]

    def __init__(self, title: str, answered: int, next_line: str, *, alone: bool = False) -> None:
        super().__init__()
        self.alone = alone  # one partner sat alone: no "together"
        self.title_text = title
        self.answered = answered
        self.next_line = next_line

    def compose(self) -> ComposeResult:
        answers = "answer" if self.answered == 1 else "answers"
        with Vertical(classes="dialog"):
            yield Static(f"Done: {self.title_text}", classes="dialog-title")
            yield Static(f"You gave {self.answered} {answers}; everything is saved.", classes="dialog-text")
            yield Static(self.next_line, classes="dialog-text")
            together = "" if self.alone else " together"
            yield Static(f"Before you go on, take one slow breath{together}.", classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Home (Enter)", id="done-close", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
