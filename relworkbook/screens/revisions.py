"""Every version of one answer, oldest first, each with its date: nothing is overwritten.

Opened from the sitting view (``v``). A private answer not yet revealed shows
nothing but "Private, not yet revealed".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ..model import PRIVATE_HIDDEN, Answer, Couple, Prompt
from ..widgets import format_answer
from .lookback import (
    exercise_title,
    go_back,
    long_when,
    name_text,
    prompt_for,
    short_when,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ..catalog import Catalog


class RevisionCard(Static, can_focus=True):
    DEFAULT_CSS = """
    RevisionCard {
        height: auto;
        padding: 0 1;
        margin: 0 0 1 0;
        border-left: thick $panel;
        background: $boost;
    }
    RevisionCard:focus {
        border-left: thick $accent;
    }
    """


class RevisionsScreen(Screen[None]):
    DEFAULT_CSS = """
    RevisionsScreen #rev-heading {
        height: auto;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    RevisionsScreen #rev-body {
        height: 1fr;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="revisions-back"),
        Binding("down,j", "move(1)", "Next", show=False, id="revisions-next"),
        Binding("up,k", "move(-1)", "Previous", show=False, id="revisions-previous"),
    ]

    def __init__(self, store: Store, catalog: Catalog, couple: Couple | None, answer_id: int) -> None:
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.couple = couple
        self.answer_id = answer_id

    def compose(self) -> ComposeResult:
        yield Header()
        answer = self.store.get_answer(self.answer_id)
        if answer is None:
            yield Static("That answer is no longer in the workbook.", id="rev-heading")
            yield Footer()
            return
        prompt = prompt_for(self.catalog, answer)
        yield Static(self._heading(answer, prompt), id="rev-heading")
        with VerticalScroll(id="rev-body"):
            if answer.private and not answer.revealed:
                yield RevisionCard(PRIVATE_HIDDEN)
            else:
                revisions = self.store.revisions(self.answer_id)
                last = len(revisions)
                for revision in revisions:
                    title = Text(f"Version {revision.revision}", style="bold")
                    what = "written" if revision.revision == 1 else "edited on"
                    title.append(f" \u00b7 {what} {short_when(revision.created)}")
                    if revision.revision == last:
                        title.append(" (current)", style="bold")
                    title.append("\n")
                    title.append_text(format_answer(prompt, revision.value, self.couple))
                    yield RevisionCard(title, id=f"revision-{revision.revision}")
        yield Footer()

    def _heading(self, answer: Answer, prompt: Prompt) -> Text:
        sitting = self.store.get_sitting(answer.sitting_id)
        heading = Text("Versions of ", style="bold")
        heading.append_text(name_text(self.couple, answer.partner))
        heading.append(f"'s answer \u00b7 {exercise_title(self.catalog, answer.exercise_id)}", style="bold")
        if sitting is not None:
            heading.append(f"\nsitting of {long_when(sitting.started)}", style="dim")
        heading.append("\n")
        heading.append(prompt.text, style="italic")
        return heading

    def _redraw_heading(self) -> None:
        """The theme changed: the partner's name in a colour made for the new one."""
        answer = self.store.get_answer(self.answer_id)
        if answer is not None:
            self.query_one("#rev-heading", Static).update(self._heading(answer, prompt_for(self.catalog, answer)))

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._redraw_heading())
        cards = list(self.query(RevisionCard))
        if cards:
            cards[-1].focus()

    def action_back(self) -> None:
        go_back(self)

    def action_move(self, step: int) -> None:
        cards = list(self.query(RevisionCard))
        if not cards:
            return
        focused = self.focused
        index = cards.index(focused) if focused in cards else len(cards) - 1
        cards[max(0, min(len(cards) - 1, index + step))].focus()
