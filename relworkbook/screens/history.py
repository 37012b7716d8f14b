"""History: every sitting, newest first, in one table; Enter or a click opens one.

The table is filled from ONE ``store.list_sittings()`` call (it already carries
each sitting's exercises and minutes), so ten years of weekly sittings show at
once. ``/`` opens search over everything written.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..model import Couple
from .sitting_view import SittingViewScreen, exercise_title, go_back, partner_name, short_when


def _who(couple: Couple | None, attendees: tuple[str, ...]) -> str:
    if set(attendees) >= {"a", "b"}:
        return "both"
    return ", ".join(partner_name(couple, key) for key in attendees) or "-"


class HistoryScreen(Screen[None]):
    DEFAULT_CSS = """
    HistoryScreen #history-heading {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    HistoryScreen #history-table {
        height: 1fr;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="history-back"),
        Binding("enter", "open", "Open", id="history-open", show=False),
        Binding("slash", "search", "Search", id="history-search"),
    ]

    def __init__(self, store: Any, catalog: Any, couple: Couple | None) -> None:
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.couple = couple
        self.sitting_ids: list[int] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="history-heading")
        table: DataTable = DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#history-table", DataTable).focus()

    def load(self) -> None:
        """(Re)fill the table from the store, keeping the cursor on the same sitting."""
        table = self.query_one("#history-table", DataTable)
        keep = self.selected_sitting_id()
        sittings = self.store.list_sittings()
        titles: dict[str, str] = {}
        rows = []
        for sitting in sittings:
            names = []
            for exercise_id in sitting.exercises:
                if exercise_id not in titles:
                    titles[exercise_id] = exercise_title(self.catalog, exercise_id)
                names.append(titles[exercise_id])
            minutes = "open" if sitting.ended is None else str(sitting.minutes)
            rows.append(
                (short_when(sitting.started), _who(self.couple, sitting.attendees), ", ".join(names) or "-", minutes)
            )
        table.clear(columns=True)
        table.add_column("Date", key="date", width=16)
        table.add_column("Who", key="who")
        table.add_column("Exercises", key="exercises")
        table.add_column("Min", key="minutes")
        self.sitting_ids = [s.id for s in sittings]
        for sitting, row in zip(sittings, rows):
            table.add_row(*row, key=str(sitting.id))
        count = len(sittings)
        heading = (
            "No sittings yet: they appear here once you start an exercise."
            if not count
            else f"{count} sitting{'s' if count != 1 else ''}, newest first. Enter opens one; / searches."
        )
        self.query_one("#history-heading", Static).update(heading)
        if keep is not None and keep in self.sitting_ids:
            table.move_cursor(row=self.sitting_ids.index(keep))

    def selected_sitting_id(self) -> int | None:
        table = self.query_one("#history-table", DataTable)
        if not self.sitting_ids or table.row_count == 0:
            return None
        row = table.cursor_row
        if 0 <= row < len(self.sitting_ids):
            return self.sitting_ids[row]
        return None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key is not None and event.row_key.value is not None:
            self.open_sitting(int(event.row_key.value))

    def open_sitting(self, sitting_id: int) -> None:
        self.app.push_screen(SittingViewScreen(self.store, self.catalog, self.couple, sitting_id))

    def action_open(self) -> None:
        sitting_id = self.selected_sitting_id()
        if sitting_id is not None:
            self.open_sitting(sitting_id)

    def action_search(self) -> None:
        from .search import SearchScreen

        self.app.push_screen(SearchScreen(self.store, self.catalog, self.couple))

    def action_back(self) -> None:
        go_back(self)
