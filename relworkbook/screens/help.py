"""Help: every key, read from the live bindings, and any exercises that were skipped.

The app builds the rows (``WorkbookApp.key_rows``) from its own bindings and
those of the screen Help was opened over, so this list always tells the truth.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

if TYPE_CHECKING:  # pragma: no cover
    from ..model import LoadError


class HelpScreen(Screen[None]):
    BINDINGS = [Binding("escape,q", "close", "Close", id="help-close")]

    def __init__(self, rows: list[tuple[str, str, str]], errors: Sequence[LoadError], db_path: Path) -> None:
        super().__init__()
        self.rows = rows
        self.errors = errors  # the exercise files skipped, with why
        self.db_path = db_path

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static("Help: keys", classes="screen-title")
            yield Static(
                "The function keys work everywhere, even while typing. "
                "Everything can also be done with the mouse.",
                classes="muted",
            )
            yield Static(self._keys_table(), id="help-keys")
            errors = self.errors
            if errors:
                yield Static("Exercises skipped", classes="section-title")
                yield Static(
                    "These exercise files have problems, so the exercises in them were left out. "
                    "Fix the file and start the workbook again.",
                    classes="muted",
                )
                yield Static(Text("\n".join(str(error) for error in errors)), id="help-errors")
            yield Static("Where the workbook lives", classes="section-title")
            yield Static(Text(str(self.db_path)), id="help-db")
        yield Footer()

    def _keys_table(self) -> Text:
        text = Text()
        where_seen: str | None = None
        width = max((len(keys) for _, keys, _ in self.rows), default=6) + 2
        # Long descriptions wrap under themselves, not under the keys.
        room = max(16, self.app.size.width - width - 8)
        for where, keys, what in self.rows:
            if where != where_seen:
                if where_seen is not None:
                    text.append("\n")
                text.append(f"{where}\n", style="bold")
                where_seen = where
            lines = textwrap.wrap(what, room) or [""]
            text.append(f"  {keys:<{width}}", style="bold")
            text.append(f"{lines[0]}\n")
            for more in lines[1:]:
                text.append(" " * (width + 2) + more + "\n")
        return text

    def action_close(self) -> None:
        self.app.pop_screen()
