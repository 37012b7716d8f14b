"""Dialogs: ``BoxScreen`` (a centred box), ``DialogScreen`` (the shared base of
the small dialogs) and the yes/no ``ConfirmScreen``."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual import events
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Button, Static

SHORT_SCREEN = 20  # rows below which dialog buttons drop their borders


class BoxScreen(ModalScreen[ScreenResultType]):
    """A centred box (a container with the ``dialog`` class) over the screen it was opened from."""

    DEFAULT_CSS = """
    BoxScreen {
        align: center middle;
    }
    .dialog {
        width: 60;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $panel;
        padding: 0 1;
        overflow-y: auto;
    }
    """


class DialogScreen(BoxScreen):
    """A small dialog: title, text and buttons in a box; one-line buttons on short terminals.

    The arrow keys go from one button (or box) to the next, round at the ends
    as Tab does: right and down forward, left and up back. A text box keeps
    left and right for its cursor; a list keeps up and down for itself.
    """

    BINDINGS = [
        Binding("down,right", "app.focus_next", "Focus Next", show=False, id="dialog-next"),
        Binding("up,left", "app.focus_previous", "Focus Previous", show=False, id="dialog-previous"),
    ]

    DEFAULT_CSS = """
    .dialog-title {
        text-style: bold;
        margin: 0 0 1 0;
    }
    .dialog-text {
        color: $text-muted;
        margin: 0 0 1 0;
    }
    DialogScreen.-short .dialog-title, DialogScreen.-short .dialog-text {
        margin: 0;
    }
    .dialog Button {
        width: 100%;
        margin: 0 0 0 0;
    }
    """

    def on_resize(self, event: events.Resize) -> None:
        self._fit_buttons()

    def on_mount(self) -> None:
        self._fit_buttons()

    def _fit_buttons(self) -> None:
        short = self.app.size.height < SHORT_SCREEN
        for button in self.query(Button):
            button.compact = short
        self.set_class(short, "-short")
        # A row of buttons wider than the box (three at 40 columns) goes one above
        # the other (``-stacked``, in app.tcss): measured side by side once laid out at this size.
        self.remove_class("-stacked")
        self.call_after_refresh(self._stack_buttons_that_do_not_fit)

    def _stack_buttons_that_do_not_fit(self) -> None:
        for row in self.query(".dialog-buttons"):
            buttons = [button for button in row.query(Button) if button.display]
            needed = sum(button.outer_size.width + button.styles.margin.width for button in buttons)
            if buttons and needed > row.content_region.width:
                self.add_class("-stacked")
                return


class ConfirmScreen(DialogScreen):
    """Ask once; enter on a button answers, escape means no."""

    BINDINGS = [Binding("escape", "no", "Cancel", id="confirm-cancel")]

    def __init__(self, question: str, detail: str = "", *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title")
            if self.detail:
                yield Static(self.detail, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes_label, id="yes", variant="primary")
                yield Button(self.no_label, id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_no(self) -> None:
        self.dismiss(False)
