"""The recap of one sitting, on screen: what was written, how the numbers moved,
the commitments, and what comes next; ``s`` saves it as HTML and Markdown.

``RecapScreen`` is built from ``recap.build_recap`` (the ``Recap`` dataclass),
never from rendered text. ``RecapView`` lays it out as one block of styled text
for the width it has: both partners side by side under each prompt when there
is room (names in their colours), one after the other when narrow; a together
answer once, across. An unrevealed private answer arrives in the Recap already
emptied, so the screen can only say "Private, not yet revealed".

The sitting-end screen (``screens/sitting_end.py``) is a RecapScreen too; History
and the sitting view open one with ``r``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from ..model import PRIVATE_HIDDEN, TOGETHER, Couple
from .lookback import go_back, partner_colour, recaps_folder

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ..catalog import Catalog

# Below this many columns of text the two partners' answers are stacked.
TWO_COLUMNS_FROM = 56
GAP = 3

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: Any) -> str:
    """User text without terminal control codes; newlines kept, tabs as spaces."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("", text)


# ----------------------------------------------------------------- layout


class RecapLayout:
    """Turns a Recap into styled lines for a given width (no widgets: testable alone)."""

    def __init__(self, recap: Any, couple: Couple | None, console: Console) -> None:
        self.recap = recap
        self.couple = couple
        self.console = console

    # -- small pieces

    def _wrap(self, text: Text, width: int) -> list[Text]:
        width = max(width, 1)
        lines = list(text.wrap(self.console, width, overflow="fold"))
        return lines or [Text("")]

    def _name(self, partner: str, name: str, edited: bool = False) -> Text:
        colour = partner_colour(self.couple, partner)
        label = Text(_clean(name), style=f"bold {colour}".strip())
        if edited:
            label.append(" (edited later)", style="dim italic")
        return label

    def _answer_body(self, answer: Any) -> Text:
        if answer.status == "private":
            # The Recap keeps nothing of it; say so and nothing else.
            return Text(PRIVATE_HIDDEN, style="italic")
        if answer.status != "answered":
            return Text(_clean(answer.pieces[0].text if answer.pieces else "No answer yet"), style="dim italic")
        body = Text()
        for n, piece in enumerate(answer.pieces):
            if n:
                body.append("\n")
            if piece.bullet:
                body.append("\u2022 ")
            if piece.label:
                body.append(f"{_clean(piece.label)}: ", style="italic")
            body.append(_clean(piece.text))
        return body

    def _answer(self, answer: Any) -> Text:
        out = self._name(answer.partner, answer.name, answer.edited)
        out.append("\n")
        out.append_text(self._answer_body(answer))
        return out

    def _side_by_side(self, left: Text, right: Text, width: int) -> list[Text]:
        column = (width - GAP) // 2
        left_lines = self._wrap(left, column)
        right_lines = self._wrap(right, column)
        rows = max(len(left_lines), len(right_lines))
        out = []
        for i in range(rows):
            line = (left_lines[i] if i < len(left_lines) else Text("")).copy()
            line.align("left", column)
            line.append(" " * GAP)
            if i < len(right_lines):
                line.append_text(right_lines[i])
            out.append(line)
        return out

    def _heading(self, title: str, width: int) -> list[Text]:
        return self._wrap(Text(_clean(title), style="bold underline"), width)

    # -- the whole recap

    def lines(self, width: int) -> list[Text]:
        recap = self.recap
        width = max(width, 10)
        two = width >= TWO_COLUMNS_FROM
        out: list[Text] = []
        out += self._wrap(Text(f"Recap: {recap.date}", style="bold"), width)
        facts = Text()
        facts.append("Who was there: ", style="bold")
        facts.append(_clean(recap.who))
        facts.append("\n")
        facts.append("How long: ", style="bold")
        facts.append(recap.how_long)
        out += self._wrap(facts, width)
        ratings = recap.ratings
        if ratings is not None:
            from ..recap import RATINGS_TITLE, ratings_lines

            out.append(Text(""))
            out += self._heading(RATINGS_TITLE, width)
            # The same table as the text recap, its header row in bold.
            for n, line in enumerate(ratings_lines(ratings, width)):
                out.append(Text(_clean(line), style="bold" if n == 0 else ""))
        if not recap.exercises:
            out += [Text(""), Text("No answers were written in this sitting.", style="italic")]
        for exercise in recap.exercises:
            out.append(Text(""))
            title = f"{exercise.title} \u00b7 {exercise.step}" if exercise.step else exercise.title
            out += self._heading(title, width)
            if exercise.prompts and all(p.in_table for p in exercise.prompts):
                from ..recap import IN_THE_TABLE

                out += [Text(""), *self._wrap(Text(IN_THE_TABLE, style="italic"), width)]
            for prompt in exercise.prompts:
                if prompt.in_table:
                    continue
                out.append(Text(""))
                out += self._wrap(Text(_clean(" ".join(prompt.text.split())), style="bold"), width)
                answers = list(prompt.answers)
                pairs = [a for a in answers if a.partner in ("a", "b")]
                for answer in answers:
                    if answer.partner in ("a", "b") and two and len(pairs) == 2:
                        continue  # laid out side by side below
                    out += self._wrap(self._answer(answer), width)
                if two and len(pairs) == 2:
                    out += self._side_by_side(self._answer(pairs[0]), self._answer(pairs[1]), width)
        for title, items, with_status in (
            ("Commitments made", recap.commitments_made, False),
            ("Commitments reviewed", recap.commitments_reviewed, True),
        ):
            if not items:
                continue
            out.append(Text(""))
            out += self._heading(title, width)
            for item in items:
                line = Text("\u2022 " + _clean(item.line))
                if with_status and item.status:
                    line.append(f" \u2014 {item.status}", style="bold")
                out += self._wrap(line, width)
        if recap.next_step:
            out.append(Text(""))
            out += self._heading("Next step", width)
            out += self._wrap(Text(_clean(recap.next_step)), width)
        return out

    def text(self, width: int) -> Text:
        return Text("\n").join(self.lines(width))


class RecapView(Static):
    """The recap as one block of text, laid out again whenever its width changes."""

    DEFAULT_CSS = """
    RecapView {
        width: 1fr;
        max-width: 120;  /* lines longer than this are hard to read */
        height: auto;
    }
    """

    def __init__(self, recap: Any, couple: Couple | None, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.recap = recap
        self.couple = couple
        self._width = 0

    def on_mount(self) -> None:
        self.lay_out(self.size.width or (self.app.size.width - 4))
        # Partner colours are adjusted to each theme: lay out again in the new one.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.lay_out(self._width))

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width and event.size.width != self._width:
            self.lay_out(event.size.width)

    def lay_out(self, width: int) -> None:
        self._width = width
        layout = RecapLayout(self.recap, self.couple, self.app.console)
        self.update(layout.text(width))


# ----------------------------------------------------------------- screen


class RecapScreen(Screen[None]):
    """The recap of one sitting, with ``s`` to save it as HTML and Markdown."""

    DEFAULT_CSS = """
    RecapScreen #recap-body {
        height: 1fr;
        padding: 0 1;
        scrollbar-gutter: stable;
    }
    RecapScreen #recap-actions {
        height: 1;
        margin: 0 0 1 0;
        padding: 0 1;
    }
    RecapScreen #recap-actions Button {
        margin: 0 1 0 0;
        min-width: 6;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="recap-close"),
        Binding("s", "save", "Save as files", id="recap-save", show=False),  # on the "Save (s)" button
    ]

    title_text = ""  # the recap's own first line says what it is
    close_label = "Back"

    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        couple: Couple | None,
        sitting_id: int,
        *,
        db_path: Path | str | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.couple = couple
        self.sitting_id = sitting_id
        self.db_path = Path(db_path) if db_path is not None else None
        self.recap: Any = None
        self.problem = ""
        # The partner who sat alone, reading their own recap: their private answers show, marked.
        self.own: str | None = None

    # -- building

    def load(self) -> None:
        from ..recap import build_recap

        try:
            self.recap = build_recap(self.store, self.catalog, self.sitting_id, own=self.own)
        except LookupError:
            self.problem = "This sitting is no longer in the workbook."
        except Exception as error:  # a recap problem must not take the app down
            self.problem = f"The recap could not be made: {error}"

    def note(self) -> str:
        return "s saves this recap as HTML and Markdown, to print or keep."

    def compose(self) -> ComposeResult:
        self.load()
        with VerticalScroll(id="recap-body"):
            if self.title_text:
                yield Static(self.title_text, classes="screen-title", id="recap-title")
            yield Static(self.note(), classes="muted paragraph", id="recap-note")
            if self.recap is not None:
                yield RecapView(self.recap, self.couple, id="recap")
            else:
                yield Static(Text(self.fallback()), id="recap")
        with Horizontal(id="recap-actions"):
            yield Button("Save (s)", id="recap-save-button", compact=True, disabled=self.recap is None)
            yield Button(self.close_label, id="recap-close-button", compact=True, variant="primary")
        yield Footer()

    def fallback(self) -> str:
        return self.problem

    def on_mount(self) -> None:
        # The text has focus, not a button: arrows and page keys scroll it.
        self.query_one("#recap-body").focus()

    # -- actions

    def folder(self) -> Path:
        return recaps_folder(self, self.db_path)

    def action_save(self) -> None:
        if self.recap is None:
            self.notify("There is no recap to save.", severity="warning")
            return
        from ..recap import build_recap, save_recap_files

        folder: Path | None = None
        try:
            folder = self.folder()
            # What is saved is the shared recap: never the private answers shown to one partner.
            shared = self.recap if self.own is None else build_recap(self.store, self.catalog, self.sitting_id)
            written = save_recap_files(shared, folder)
        except OSError as error:
            reason = error.strerror or str(error)
            where = f" in {folder}" if folder is not None else ""
            self.notify(f"Could not save the recap{where}: {reason}.", severity="error", timeout=10)
            return
        names = " and ".join(p.name for p in written)
        self.notify(f"Saved {names} in {folder}", title="Recap saved", timeout=10)

    def action_close(self) -> None:
        go_back(self)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "recap-save-button":
            self.action_save()
        elif event.button.id == "recap-close-button":
            self.action_close()
