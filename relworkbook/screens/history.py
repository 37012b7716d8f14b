"""History: every sitting, newest first, in one table; Enter or a click opens one.

The list is filled from ONE ``store.list_sittings()`` call (it already carries
each sitting's exercises and minutes) and drawn line by line (``SittingTable``
renders only the rows on screen), so ten years of weekly sittings show at once. ``/`` opens search over everything written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Header, Static

from ..model import Couple
from .lookback import exercise_title, go_back, partner_name, short_when
from .sitting_view import SittingViewScreen

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ..catalog import Catalog


def _who(couple: Couple | None, attendees: tuple[str, ...]) -> str:
    return " & ".join(partner_name(couple, key) for key in attendees) or "-"


def _fit(text: str, width: int) -> str:
    if width <= 0:
        return ""
    if len(text) <= width:
        return text.ljust(width)
    return text[: max(0, width - 1)] + "\u2026"


class SittingTable(ScrollView, can_focus=True):
    """A list of sittings drawn line by line: only the rows on screen are ever rendered,
    so ten years of weekly sittings cost the same as ten (a DataTable measures every cell).

    Arrows, page keys, home/end move the cursor; Enter or a click opens the row.
    """

    COMPONENT_CLASSES = {"sitting-table--cursor"}

    DEFAULT_CSS = """
    SittingTable {
        height: 1fr;
        overflow-x: hidden;
    }
    SittingTable > .sitting-table--cursor {
        background: $panel;
        text-style: bold;
    }
    SittingTable:focus > .sitting-table--cursor {
        background: $accent;
        color: $text;
    }
    """

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,ctrl+home", "edge(0)", "First", show=False),
        Binding("end,ctrl+end", "edge(1)", "Last", show=False),
        Binding("enter", "choose", "Open", show=False),
    ]

    class Chosen(Message):
        def __init__(self, table: "SittingTable", index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

    cursor: reactive[int] = reactive(0, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[tuple[str, str, str, str]] = []  # date, who, minutes, exercises
        self.who_width = 4

    def set_rows(self, rows: list[tuple[str, str, str, str]]) -> None:
        self.rows = rows
        self.who_width = max([len(r[1]) for r in rows] + [3])
        self.who_width = min(self.who_width, 24)
        self.virtual_size = Size(0, len(rows))
        self.cursor = min(self.cursor, max(len(rows) - 1, 0))
        self.refresh()

    def line_text(self, index: int, width: int) -> str:
        date, who, minutes, exercises = self.rows[index]
        fixed = f" {date:<16}  {_fit(who, self.who_width)}  {minutes:>4}  "
        return _fit(fixed + exercises, width)

    def header_text(self, width: int) -> str:
        fixed = f" {'Date':<16}  {_fit('Who', self.who_width)}  {'Min':>4}  "
        return _fit(fixed + "Exercises", width)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + int(self.scroll_offset.y)
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, self.rich_style)
        style = self.rich_style
        if index == self.cursor:
            style = style + self.get_component_rich_style("sitting-table--cursor")
        return Strip([Segment(self.line_text(index, width), style)], width)

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()

    def _show_cursor(self) -> None:
        top = int(self.scroll_offset.y)
        height = max(self.scrollable_content_region.height, 1)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(len(self.rows) - 1, index))
        self._show_cursor()

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * max(self.scrollable_content_region.height - 1, 1))

    def action_edge(self, end: int) -> None:
        self.move_to(len(self.rows) - 1 if end else 0)

    def action_choose(self) -> None:
        if self.rows:
            self.post_message(self.Chosen(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = offset.y + int(self.scroll_offset.y)
        if 0 <= index < len(self.rows):
            event.stop()
            self.focus()
            self.cursor = index
            self.post_message(self.Chosen(self, index))


class HistoryScreen(Screen[None]):
    DEFAULT_CSS = """
    HistoryScreen #history-heading {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    HistoryScreen #history-columns {
        height: 1;
        text-style: bold;
        background: $panel;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="history-back"),
        # Not in the footer (80 columns): "/" searches from Home too; Help and the palette have it.
        Binding("slash", "search", "Search", id="history-search", show=False),
        Binding("r", "recap", "Recap", id="history-recap"),
    ]

    def __init__(self, store: Store, catalog: Catalog, couple: Couple | None) -> None:
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.couple = couple
        self.sitting_ids: list[int] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="history-heading")
        yield Static("", id="history-columns")
        yield SittingTable(id="history-table")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one(SittingTable).focus()

    def on_resize(self) -> None:
        self._draw_columns()

    def _draw_columns(self) -> None:
        table = self.query_one(SittingTable)
        width = table.scrollable_content_region.width or self.size.width
        self.query_one("#history-columns", Static).update(Text(table.header_text(width)))

    def load(self) -> None:
        """(Re)fill the list from ONE store call, keeping the cursor on the same sitting."""
        table = self.query_one(SittingTable)
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
                (short_when(sitting.started), _who(self.couple, sitting.attendees), minutes, ", ".join(names) or "-")
            )
        self.sitting_ids = [s.id for s in sittings]
        table.set_rows(rows)
        self._draw_columns()
        count = len(sittings)
        heading = (
            "No sittings yet: they appear here once you start an exercise."
            if not count
            else f"{count} sitting{'s' if count != 1 else ''}, newest first. Enter or a click opens one; r shows its recap; / searches."
        )
        self.query_one("#history-heading", Static).update(heading)
        if keep is not None and keep in self.sitting_ids:
            table.move_to(self.sitting_ids.index(keep))

    def selected_sitting_id(self) -> int | None:
        table = self.query_one(SittingTable)
        if 0 <= table.cursor < len(self.sitting_ids):
            return self.sitting_ids[table.cursor]
        return None

    def on_sitting_table_chosen(self, event: SittingTable.Chosen) -> None:
        event.stop()
        if 0 <= event.index < len(self.sitting_ids):
            self.open_sitting(self.sitting_ids[event.index])

    def open_sitting(self, sitting_id: int) -> None:
        self.app.push_screen(SittingViewScreen(self.store, self.catalog, self.couple, sitting_id))

    def action_recap(self) -> None:
        sitting_id = self.selected_sitting_id()
        if sitting_id is None:
            self.notify("No sitting to show a recap of yet.")
            return
        from .recap import RecapScreen

        self.app.push_screen(
            RecapScreen(self.store, self.catalog, self.couple, sitting_id, db_path=getattr(self.app, "db_path", None))
        )

    def action_search(self) -> None:
        from .search import SearchScreen

        self.app.push_screen(SearchScreen(self.store, self.catalog, self.couple))

    def action_back(self) -> None:
        go_back(self)
