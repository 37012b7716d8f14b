"""Safety and support: when couples work is the wrong tool, and where to find help.

The words and the list come from the catalogue (``support.yaml``), so a
counsellor can replace them with their local services. Shown at first run and
one key (f3) away at all times.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

if TYPE_CHECKING:  # pragma: no cover
    from ..catalog import Catalog


def support_text(catalog: Catalog) -> Text:
    """The support list as text: one block per line of help."""
    text = Text()
    for line in catalog.support:
        text.append(f"{line.where}: ", style="bold")
        text.append(f"{line.service}\n")
        text.append(f"    {line.how}\n")
    return text


class SafetyScreen(Screen[None]):
    BINDINGS = [Binding("escape,q", "close", "Close", id="safety-close")]

    def compose(self) -> ComposeResult:
        catalog = self.app.catalog  # type: ignore[attr-defined]
        with VerticalScroll(id="safety-body"):
            yield Static("Safety and support", classes="screen-title")
            yield Static(
                "This workbook is not therapy, and it never asks about abuse.",
                classes="muted",
            )
            intro = catalog.support_intro
            if intro:
                yield Static(intro, id="safety-intro", classes="paragraph")
            yield Static("Where to find help", classes="section-title")
            yield Static(support_text(catalog), id="safety-lines")
        yield Footer()

    def action_close(self) -> None:
        self.app.pop_screen()
