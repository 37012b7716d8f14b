"""Quick hide: the screen turns into an empty, neutral notes page at once.

Nothing on it names the app or shows a word of the workbook. The same key
(f12) brings everything back; the app ignores every other workbook key while
this is up.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static


class HideScreen(Screen[None]):
    """Looks like a blank notes file."""

    DEFAULT_CSS = """
    HideScreen {
        background: $background;
    }
    #hide-title {
        color: $text-muted;
        padding: 0 1;
    }
    #hide-body {
        height: 1fr;
    }
    """

    AUTO_FOCUS = None

    def compose(self) -> ComposeResult:
        yield Static("Notes", id="hide-title")
        yield Static("", id="hide-body")

    def on_mount(self) -> None:
        # A toast would float over the blank page and give the workbook away.
        self.app.clear_notifications()
        self.app.title_before_hide = self.app.title  # type: ignore[attr-defined]
        self.app.title = "Notes"

    def on_unmount(self) -> None:
        previous = getattr(self.app, "title_before_hide", None)
        if previous:
            self.app.title = previous
