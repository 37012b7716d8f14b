"""Commitments: every promise made, open ones first in due-date order; one whose date
has gone by says so calmly, in Home's words ("was due 4 days ago"), not in red capitals.

The highlighted row can be marked kept (``k``), partly (``p``) or not kept
(``n``), or opened again (``o``), by key or button, through
``store.review_commitment``. After marking, the cursor stays on the same row
number, which is the next open commitment when working down the list.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Static

from ..model import Commitment, Couple
from ..rhythm import due_phrase
from .lookback import go_back, name_text

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ..catalog import Catalog

STATUS_WORDS = {"open": "open", "kept": "kept", "partly": "partly kept", "not_kept": "not kept"}


def ordered(commitments: list[Commitment]) -> list[Commitment]:
    """Open first; within each group by due date (undated last), then when made."""
    return sorted(
        commitments,
        key=lambda c: (c.status != "open", c.due is None, c.due or "", c.created, c.id),
    )


STILL_OPEN = ("open", "partly", "not_kept")


def is_overdue(commitment: Commitment, today: str) -> bool:
    return commitment.status == "open" and bool(commitment.due) and commitment.due < today


class CommitmentsScreen(Screen[None]):
    DEFAULT_CSS = """
    CommitmentsScreen #commitments-heading {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    CommitmentsScreen #commitments-table {
        height: 1fr;
    }
    CommitmentsScreen #commitments-actions {
        height: 1;
        margin-bottom: 1;
    }
    CommitmentsScreen #commitments-actions Button {
        margin: 0 1 0 0;
        min-width: 6;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="commitments-back"),
        # On the buttons ("Kept (k)", ...), so not repeated in the footer (80 columns).
        Binding("k", "mark('kept')", "Kept", id="commitments-kept", show=False),
        Binding("p", "mark('partly')", "Partly", id="commitments-partly", show=False),
        Binding("n", "mark('not_kept')", "Not kept", id="commitments-not-kept", show=False),
        Binding("o", "mark('open')", "Reopen", show=False, id="commitments-reopen"),
    ]

    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        couple: Couple | None,
        *,
        sitting_id: int | None = None,
        today: date | str | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.couple = couple
        # The sitting in which a review happens, when there is one (kept on the commitment).
        self.sitting_id = sitting_id
        self.today = today
        self.commitments: list[Commitment] = []

    def today_iso(self) -> str:
        if self.today is None:
            return date.today().isoformat()
        return self.today if isinstance(self.today, str) else self.today.isoformat()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="commitments-heading")
        yield DataTable(id="commitments-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="commitments-actions"):
            for button_id, label in (
                ("mark-kept", "Kept (k)"),
                ("mark-partly", "Partly (p)"),
                ("mark-not_kept", "Not kept (n)"),
                ("mark-open", "Reopen (o)"),
            ):
                button = Button(label, id=button_id, compact=True)
                button.can_focus = False  # a click keeps the table's cursor where it is
                yield button
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#commitments-table", DataTable).focus()
        # Partner colours are adjusted to each theme: draw the names again in the new one.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.load())

    def load(self, row: int | None = None) -> None:
        table = self.query_one("#commitments-table", DataTable)
        if row is None:
            row = table.cursor_row if table.row_count else 0
        self.commitments = ordered(self.store.list_commitments())
        today = self.today_iso()
        table.clear(columns=True)
        overdue_count = 0
        open_count = 0
        rows = []
        for commitment in self.commitments:
            # Partly kept and not kept stay open (they come back at each
            # check-in until kept), as Home and store.open_commitments count them.
            if commitment.status in STILL_OPEN:
                open_count += 1
            if is_overdue(commitment, today):
                overdue_count += 1
                # Home's calm words for a date gone by, not a red or shouted label.
                status = Text(due_phrase(commitment.due, date.fromisoformat(today[:10])), style="italic")
            elif commitment.status == "open":
                status = Text("open", style="bold")
            else:
                status = Text(STATUS_WORDS.get(commitment.status, commitment.status), style="dim")
            who = name_text(self.couple, commitment.owner) if commitment.owner in ("a", "b") else Text("both")
            rows.append((commitment, status, who))
        table.add_column("Status", key="status", width=max([12, *(len(status) for _, status, _ in rows)]))
        table.add_column("Due", key="due", width=10)
        table.add_column("Who", key="who")
        table.add_column("What", key="what")
        for commitment, status, who in rows:
            table.add_row(status, commitment.due or "-", who, Text(commitment.what), key=str(commitment.id))
        if not self.commitments:
            heading = "No commitments yet: each check-in ends with one."
        else:
            heading = f"{open_count} still open"
            if overdue_count:
                heading += f", {overdue_count} past {'their dates' if overdue_count != 1 else 'its date'}"
            heading += f", {len(self.commitments) - open_count} kept. Mark the highlighted one: k kept, p partly, n not kept."
        self.query_one("#commitments-heading", Static).update(heading)
        if self.commitments:
            table.move_cursor(row=max(0, min(row, len(self.commitments) - 1)))

    def selected(self) -> Commitment | None:
        table = self.query_one("#commitments-table", DataTable)
        if not self.commitments:
            return None
        row = table.cursor_row
        if 0 <= row < len(self.commitments):
            return self.commitments[row]
        return None

    def action_mark(self, status: str) -> None:
        commitment = self.selected()
        if commitment is None:
            self.notify("There is no commitment to mark.", severity="warning")
            return
        row = self.query_one("#commitments-table", DataTable).cursor_row
        try:
            self.store.review_commitment(commitment.id, status, self.sitting_id)
        except Exception as error:  # one clear line, never a traceback
            self.notify(f"Could not save: {error}".splitlines()[0], severity="error")
            return
        self.load(row)
        self.notify(f"Marked {STATUS_WORDS.get(status, status)}: {commitment.what}")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button_id = event.button.id or ""
        if button_id.startswith("mark-"):
            self.action_mark(button_id.removeprefix("mark-"))

    def action_back(self) -> None:
        go_back(self)
