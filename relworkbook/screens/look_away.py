"""Look away: what stands between the end of a break and a private screen underneath.

A time-out may be called while one partner is typing a private answer (or has
their notes open) and the other looks away. When the break ends, often twenty
minutes later and with both back at the keyboard, the private text is not
simply on the screen again: this plain, opaque screen comes first and says who
should look away. Only Enter (or its button) takes it away.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static


class LookAwayScreen(Screen[None]):
    DEFAULT_CSS = """
    LookAwayScreen {
        background: $background;
        align: center middle;
    }
    LookAwayScreen > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        padding: 1 2;
    }
    LookAwayScreen #look-away-text {
        width: 100%;
        margin-bottom: 1;
    }
    """

    BINDINGS = [Binding("enter", "show", "Show it again", id="look-away-show")]

    def __init__(self, whose: str | None = None, other: str | None = None) -> None:
        super().__init__()
        self.whose = whose
        self.other = other

    def compose(self) -> ComposeResult:
        if self.whose and self.other:
            text = (
                f"Welcome back. Private words are on the screen underneath. {self.whose}, "
                f"please take the keyboard. {self.other}, please look away."
            )
        else:
            text = (
                "Welcome back. A private answer is on the screen underneath. Whoever was "
                "answering, please take the keyboard; the other, please look away."
            )
        with Vertical():
            yield Static(text, id="look-away-text")
            with Center():
                yield Button("Show it again (Enter)", id="look-away-show", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_show()

    def action_show(self) -> None:
        self.dismiss(None)
