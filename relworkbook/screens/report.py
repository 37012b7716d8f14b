"""The Report screen: the progress report over a date range, and ``s`` to save it.

It shows ``report.render_text`` (the same report as ``relworkbook report
--format text``) laid out for the width the screen has, and saves the HTML
(with its charts and print stylesheet) and the Markdown beside the workbook,
in the folder recaps go to. ``w`` changes the range: the last 12 weeks (the
default, as on the command line), the last year, everything. Reached from the
command palette and from Trends (``r``).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from .. import paths
from ..model import Couple
from .lookback import go_back, recaps_folder

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ..catalog import Catalog

# (key, label, days back from today; None for everything)
RANGES = (("12w", "the last 12 weeks", 84), ("1y", "the last year", 365), ("all", "everything", None))
WIDEST = 100  # text wider than this is hard to read


class ReportScreen(Screen[None]):
    DEFAULT_CSS = """
    ReportScreen #report-note {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    ReportScreen #report-body {
        height: 1fr;
        padding: 0 1;
        scrollbar-gutter: stable;
    }
    ReportScreen #report-text {
        width: 1fr;
        height: auto;
    }
    ReportScreen #report-actions {
        height: 1;
        margin: 0 0 1 0;
        padding: 0 1;
    }
    ReportScreen #report-actions Button {
        margin: 0 1 0 0;
        min-width: 6;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="report-back"),
        # On the buttons ("Save (s)", "Dates (w)"), so not repeated in the footer (80 columns).
        Binding("s", "save", "Save as files", id="report-save", show=False),
        Binding("w", "next_range", "Dates", id="report-range", show=False),
    ]

    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        couple: Couple | None,
        *,
        db_path: Path | str | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.couple = couple
        self.db_path = Path(db_path) if db_path is not None else None
        self.today = today
        self.range = 0
        self.report: Any = None
        self.problem = ""
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="report-note")
        with VerticalScroll(id="report-body"):
            yield Static("", id="report-text")
        with Horizontal(id="report-actions"):
            yield Button("Save (s)", id="report-save-button", compact=True)
            yield Button("Dates (w)", id="report-range-button", compact=True)
            yield Button("Back", id="report-back-button", compact=True, variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#report-body").focus()

    # -- building

    def _dates(self) -> tuple[date, date]:
        today = self.today or date.today()
        days = RANGES[self.range][2]
        if days is None:
            last = self.store.list_sittings()  # newest first
            first = date.fromisoformat(last[-1].started[:10]) if last else today
            return min(first, today), today
        return today - timedelta(days=days - 1), today

    def load(self) -> None:
        from ..report import build_report

        start, end = self._dates()
        try:
            self.report = build_report(self.store, self.catalog, start, end, today=self.today)
            self.problem = ""
        except Exception as error:  # a report problem must not take the app down
            self.report = None
            self.problem = f"The report could not be made: {str(error).splitlines()[0] if str(error) else error}"
        label = RANGES[self.range][1]
        self.query_one("#report-note", Static).update(
            f"Showing {label}. w changes the dates; s saves this report as HTML (with charts, to print) and Markdown."
        )
        self.query_one("#report-save-button", Button).disabled = self.report is None
        self.lay_out()

    def lay_out(self, width: int | None = None) -> None:
        from ..report import render_text

        text = self.query_one("#report-text", Static)
        width = width or text.size.width or (self.app.size.width - 4)
        self._width = width
        if self.report is None:
            text.update(Text(self.problem))
            return
        # Text, not markup: commitments are the couple's own words.
        text.update(Text(render_text(self.report, width=max(60, min(WIDEST, width))).rstrip("\n")))

    def on_resize(self, event: events.Resize) -> None:
        width = self.query_one("#report-text", Static).size.width
        if width and width != self._width:
            self.lay_out(width)

    # -- actions

    def action_next_range(self) -> None:
        self.range = (self.range + 1) % len(RANGES)
        self.load()

    def folder(self) -> Path:
        return recaps_folder(self, self.db_path)

    def action_save(self) -> None:
        if self.report is None:
            self.notify("There is no report to save.", severity="warning")
            return
        from ..report import file_name, render

        folder: Path | None = None
        written = []
        try:
            folder = paths.make_private_dir(self.folder())
            for fmt in ("html", "markdown"):
                target = folder / file_name(self.report, fmt)
                paths.write_private(target, render(self.report, fmt))
                written.append(target.name)
        except OSError as error:
            reason = error.strerror or str(error)
            where = f" in {folder}" if folder is not None else ""
            self.notify(f"Could not save the report{where}: {reason}.", severity="error", timeout=10)
            return
        self.notify(f"Saved {' and '.join(written)} in {folder}", title="Report saved", timeout=10)

    def action_back(self) -> None:
        go_back(self)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "report-save-button": self.action_save,
            "report-range-button": self.action_next_range,
            "report-back-button": self.action_back,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            action()
