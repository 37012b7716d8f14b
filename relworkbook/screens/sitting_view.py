"""One past sitting, read in full, and the dialog that corrects an answer in it.

``SittingViewScreen`` shows every exercise of a sitting with each prompt and its
answers: both partners side by side (names in their colours), a together answer
once across. A private answer not yet revealed shows only "Private, not yet
revealed", and one its writer kept just for them at the reveal says so ("Kept
private by its writer; never shown", as the recap does): its value never
reaches a widget. Every answer is a focusable block;
``e`` corrects the focused one (``EditAnswerScreen``, saved with
``store.revise_answer`` as a new revision) and ``v`` lists its earlier versions.

The small helpers at the top (names, colours, dates) are shared by the other
looking-back screens (history, search, revisions, trends, commitments).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from ..colour import terminal_coloured
from ..model import PRIVATE_HIDDEN, TOGETHER, Answer, Couple, Prompt
from ..recap import KEPT_PRIVATE
from ..widgets import format_answer, widget_for
from .confirm import BoxScreen
from .lookback import (
    partner_colour,
    name_text,
    who_attended,
    short_when,
    long_when,
    exercise_title,
    prompt_for,
    go_back,
    partner_name,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ..catalog import Catalog

# ------------------------------------------------------------ answer blocks


class AnswerBlock(Static, can_focus=True):
    """One answer (or an empty slot) in a past sitting; focus it to correct it."""

    # On the block itself: the scroll container around it would take the arrows first.
    BINDINGS = [
        Binding("down,j", "screen.move(1)", "Choose the next answer", show=False),
        Binding("up,k", "screen.move(-1)", "Choose the previous answer", show=False),
    ]

    DEFAULT_CSS = """
    AnswerBlock {
        width: 1fr;
        height: auto;
        padding: 0 1;
        margin: 0 1 1 0;
        border-left: thick $panel;
        background: $boost;
    }
    AnswerBlock:focus {
        border-left: thick $accent;
        background: $accent 15%;
    }
    """

    def __init__(
        self,
        store: Store,
        catalog: Catalog | None,
        couple: Couple | None,
        partner: str,
        answer: Answer | None,
        prompt: Prompt,
        *,
        kept: bool = False,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.couple = couple
        self.partner = partner
        self.prompt = prompt
        self.answer_id: int | None = answer.id if answer is not None else None
        self.hidden = answer is not None and answer.private and not answer.revealed
        # Kept "just for me" by its writer at the reveal: hidden for good, not "not yet".
        self.kept = kept and self.hidden
        self._answer = answer
        self._chosen = False
        super().__init__(self._render_answer(answer), classes=f"answer-{partner}")

    def _on_focus(self, event: Any) -> None:
        super()._on_focus(event)
        self._chosen = True
        self.update(self._render_answer(self._answer))

    def _on_blur(self, event: Any) -> None:
        super()._on_blur(event)
        self._chosen = False
        self.update(self._render_answer(self._answer))

    def _render_answer(self, answer: Answer | None) -> Text:
        body = name_text(self.couple, self.partner)
        if self._chosen and terminal_coloured(self.app.current_theme):
            # The chosen card is the terminal's own accent colour there: its text colour, not ours.
            body = Text(body.plain, style="bold")
        if self._chosen:
            # Plainly marked, not only by a background: this is the answer e and v act on.
            body.append("   \u25c0 chosen", style="bold reverse")
        body.append("\n")
        if answer is None:
            body.append("(no answer)", style="dim")
            return body
        if answer.private and not answer.revealed:
            # The value is never read here: an unrevealed answer stays unseen.
            body.append(KEPT_PRIVATE if self.kept else PRIVATE_HIDDEN, style="italic")
            return body
        body.append_text(format_answer(self.prompt, answer.value, self.couple))
        if answer.revision > 1:
            body.append(f"\nedited on {short_when(answer.updated)} (v: earlier versions)", style="dim italic")
        return body

    def redraw(self) -> None:
        """Draw again as it is (the theme changed: partner colours are adjusted to it)."""
        self.update(self._render_answer(self._answer))

    def reload(self) -> None:
        """Read the answer again (after a correction) and redraw."""
        if self.answer_id is None:
            return
        answer = self.store.get_answer(self.answer_id)
        self.hidden = answer is not None and answer.private and not answer.revealed
        self.kept = self.kept and self.hidden
        self._answer = answer
        self.update(self._render_answer(answer))


# ---------------------------------------------------------------- the view


class SittingViewScreen(Screen[None]):
    """Everything written in one sitting; ``focus_answer`` scrolls to and focuses one answer."""

    DEFAULT_CSS = """
    SittingViewScreen #sv-heading {
        height: auto;
        padding: 0 1;
        text-style: bold;
        /* Not $primary: the names in it would read below 4.5:1 on several themes. */
        color: $foreground;
    }
    SittingViewScreen #sv-body {
        height: 1fr;
        padding: 0 1;
    }
    SittingViewScreen .sv-exercise {
        text-style: bold underline;
        margin: 1 0 0 0;
    }
    SittingViewScreen .sv-prompt {
        color: $text-muted;
    }
    SittingViewScreen .sv-pair {
        height: auto;
    }
    SittingViewScreen #sv-actions {
        height: 1;
        dock: bottom;
        margin-bottom: 1;
    }
    SittingViewScreen #sv-actions Button {
        margin: 0 1 0 0;
        min-width: 6;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="sitting-back"),
        Binding("down,j", "move(1)", "Choose the next answer", show=False, id="sitting-next-answer"),
        Binding("up,k", "move(-1)", "Choose the previous answer", show=False, id="sitting-previous-answer"),
        # On the buttons ("Correct (e)", ...), so not repeated in the footer (80 columns).
        Binding("e", "edit", "Correct the chosen answer", id="sitting-edit", show=False),
        Binding("v", "revisions", "Versions", id="sitting-versions", show=False),
        Binding("r", "recap", "Recap", id="sitting-recap", show=False),
    ]

    def __init__(
        self,
        store: Store,
        catalog: Catalog | None,
        couple: Couple | None,
        sitting_id: int,
        focus_answer: int | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.couple = couple
        self.sitting_id = sitting_id
        self.focus_answer = focus_answer
        self._current: AnswerBlock | None = None

    def compose(self) -> ComposeResult:
        sitting = self.store.get_sitting(self.sitting_id)
        yield Header()
        if sitting is None:
            yield Static("This sitting is no longer in the workbook.", id="sv-heading")
            yield Footer()
            return
        minutes = "still open" if sitting.ended is None else f"{sitting.minutes} min"
        yield Static(
            Text(f"{long_when(sitting.started)} \u00b7 {who_attended(self.couple, sitting.attendees)} \u00b7 {minutes}"),
            id="sv-heading",
        )
        with VerticalScroll(id="sv-body"):
            yield from self._compose_answers(sitting)
        with Horizontal(id="sv-actions"):
            for button_id, label in (
                ("sv-edit", "Correct (e)"),
                ("sv-versions", "Versions (v)"),
                ("sv-back", "Back"),
                ("sv-recap", "Recap (r)"),  # last: at 40 columns it is the one cut off, and r still works
            ):
                button = Button(label, id=button_id, compact=True)
                button.can_focus = False  # a click keeps the chosen answer focused
                yield button
        yield Footer()

    def _compose_answers(self, sitting: Any) -> ComposeResult:
        answers = self.store.answers_for_sitting(self.sitting_id)
        if not answers:
            yield Static("Nothing was written in this sitting.", classes="sv-prompt")
            return
        kept = set(self.store.kept_private(self.sitting_id))
        by_prompt: dict[tuple[str, str], dict[str, Answer]] = {}
        for answer in answers:
            by_prompt.setdefault((answer.exercise_id, answer.prompt_id), {})[answer.partner] = answer
        exercise_ids = list(sitting.exercises) + [
            ex for ex in dict.fromkeys(a.exercise_id for a in answers) if ex not in sitting.exercises
        ]
        for exercise_id in exercise_ids:
            yield Static(Text(exercise_title(self.catalog, exercise_id)), classes="sv-exercise")
            exercise = self.catalog.exercise(exercise_id) if self.catalog is not None else None
            prompt_ids = [p.id for p in exercise.prompts] if exercise is not None else []
            prompt_ids += [pid for (ex, pid) in by_prompt if ex == exercise_id and pid not in prompt_ids]
            for prompt_id in prompt_ids:
                found = by_prompt.get((exercise_id, prompt_id))
                if not found:
                    continue
                any_answer = next(iter(found.values()))
                prompt = prompt_for(self.catalog, any_answer)
                yield Static(Text(prompt.text), classes="sv-prompt")
                if TOGETHER in found:
                    yield AnswerBlock(self.store, self.catalog, self.couple, TOGETHER, found[TOGETHER], prompt)
                partners = [key for key in ("a", "b") if key in found]
                if partners:
                    # Both columns even when one partner did not answer, so names line up.
                    with Horizontal(classes="sv-pair"):
                        for key in ("a", "b"):
                            yield AnswerBlock(self.store, self.catalog, self.couple, key, found.get(key), prompt,
                                              kept=(exercise_id, prompt_id, key) in kept)

    def on_mount(self) -> None:
        # Partner colours are adjusted to each theme: draw the names again in the new one.
        self.app.theme_changed_signal.subscribe(
            self, lambda _theme: [block.redraw() for block in self.query(AnswerBlock)]
        )
        blocks = list(self.query(AnswerBlock))
        target = None
        if self.focus_answer is not None:
            target = next((b for b in blocks if b.answer_id == self.focus_answer), None)
        if target is not None:
            target.focus(scroll_visible=False)
            self._current = target
            # After layout, so the block's place in the scroll is known; centred
            # so the prompt above it shows too.
            body = self.query_one("#sv-body", VerticalScroll)
            self.call_after_refresh(lambda: body.scroll_to_center(target, animate=False))
        elif blocks:
            blocks[0].focus(scroll_visible=False)
            self._current = blocks[0]

    def on_descendant_focus(self, event: Any) -> None:
        if isinstance(event.widget, AnswerBlock):
            self._current = event.widget
            self._name_the_correction(event.widget)

    def _name_the_correction(self, block: AnswerBlock) -> None:
        """The Correct button says whose answer e will correct, before it opens.

        A private answer not yet revealed cannot be opened from here: the buttons
        say so and are off, and e and v are not offered (footer, palette)."""
        whose = "the shared" if block.partner == TOGETHER else f"{partner_name(self.couple, block.partner)}'s"
        for button in self.query("#sv-edit").results(Button):
            label = ("Kept private" if block.kept else "Private: not revealed") if block.hidden else f"Correct {whose} (e)"
            if str(button.label) != label:
                button.label = label
                # Button.label repaints but does not lay out again: its width would stay
                # that of the first label, cut ("Private:") until the terminal was resized.
                button.refresh(layout=True)
            button.disabled = block.hidden
        for button in self.query("#sv-versions").results(Button):
            button.disabled = block.hidden
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "revisions"):
            block = self.current
            if block is not None and block.hidden:
                return None  # shown dimmed: this answer cannot be opened here
        return True

    @property
    def current(self) -> AnswerBlock | None:
        focused = self.focused
        if isinstance(focused, AnswerBlock):
            return focused
        return self._current

    # ------------------------------------------------------------ actions

    def action_back(self) -> None:
        go_back(self)

    def action_move(self, step: int) -> None:
        blocks = list(self.query(AnswerBlock))
        if not blocks:
            return
        current = self.current
        index = blocks.index(current) if current in blocks else -1
        index = max(0, min(len(blocks) - 1, index + step))
        blocks[index].focus()

    def _usable(self, doing: str) -> AnswerBlock | None:
        block = self.current
        if block is None or block.answer_id is None:
            self.notify(f"Choose an answer first: there is nothing here to {doing}.", severity="warning")
            return None
        if block.hidden:
            self.notify(
                "This private answer has not been revealed, so it cannot be opened from history.",
                severity="warning",
            )
            return None
        return block

    def action_edit(self) -> None:
        block = self._usable("correct")
        if block is None:
            return
        answer = self.store.get_answer(block.answer_id)
        if answer is None:
            self.notify("That answer is no longer in the workbook.", severity="error")
            return

        def done(saved: bool | None) -> None:
            if saved:
                block.reload()
                block.focus()
                self.notify("Saved as a new version; the earlier one is kept.")

        self.app.push_screen(EditAnswerScreen(self.store, self.couple, answer, block.prompt), done)

    def action_revisions(self) -> None:
        block = self._usable("show")
        if block is None:
            return
        from .revisions import RevisionsScreen

        self.app.push_screen(RevisionsScreen(self.store, self.catalog, self.couple, block.answer_id))

    def action_recap(self) -> None:
        from .recap import RecapScreen

        self.app.push_screen(
            RecapScreen(
                self.store, self.catalog, self.couple, self.sitting_id, db_path=getattr(self.app, "db_path", None)
            )
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "sv-recap":
            self.action_recap()
        elif event.button.id == "sv-edit":
            self.action_edit()
        elif event.button.id == "sv-versions":
            self.action_revisions()
        elif event.button.id == "sv-back":
            self.action_back()


# ------------------------------------------------------------- correcting


class EditAnswerScreen(BoxScreen[bool]):
    """Correct one past answer with the editor for its prompt type; saving makes a new revision."""

    DEFAULT_CSS = """
    EditAnswerScreen #edit-dialog {
        width: 76;
    }
    EditAnswerScreen #edit-title {
        text-style: bold;
    }
    EditAnswerScreen #edit-note {
        color: $text-muted;
        margin: 0 0 1 0;
    }
    EditAnswerScreen #edit-problem {
        color: $error;
        height: auto;
    }
    EditAnswerScreen #edit-buttons {
        height: auto;
        margin: 1 0 0 0;
    }
    EditAnswerScreen #edit-buttons Button {
        margin: 0 1 0 0;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="edit-cancel"),
        Binding("ctrl+s", "save", "Save", id="edit-save", priority=True),
    ]

    def __init__(self, store: Store, couple: Couple | None, answer: Answer, prompt: Prompt) -> None:
        super().__init__()
        self.store = store
        self.couple = couple
        self.answer = answer
        self.prompt = prompt
        self.editor = widget_for(prompt, partner=answer.partner, couple=couple, id="edit-editor")

    def compose(self) -> ComposeResult:
        title = Text("Correct ")
        title.append_text(name_text(self.couple, self.answer.partner))
        title.append("'s answer" if self.answer.partner != TOGETHER else " answer")
        with Vertical(id="edit-dialog", classes="dialog"):
            yield Static(title, id="edit-title")
            yield Static(Text(self.prompt.text), id="edit-prompt")
            yield Static("The earlier version is kept. Save with ctrl+s.", id="edit-note")
            yield self.editor
            yield Static("", id="edit-problem")
            with Horizontal(id="edit-buttons"):
                yield Button("Save", id="edit-save", variant="primary")
                yield Button("Cancel", id="edit-cancel")

    def on_mount(self) -> None:
        self.editor.set_value(self.answer.value)
        self.call_after_refresh(self.editor.focus_first)

    def _problem(self, message: str) -> None:
        self.query_one("#edit-problem", Static).update(message)

    def action_save(self) -> None:
        problem = self.editor.error
        if problem:
            self._problem(problem)
            return
        value = self.editor.value
        if self.prompt.type in ("text", "choice") and not str(value or "").strip():
            self._problem("An answer cannot be emptied here. Write the correction, or press Escape to keep it.")
            return
        if value == self.answer.value:
            self.notify("Nothing changed, so nothing was saved.")
            self.dismiss(False)
            return
        try:
            self.store.revise_answer(self.answer.id, value, prompt_type=self.prompt.type)
        except Exception as error:  # one clear line, never a traceback
            self._problem(f"Could not save: {error}".splitlines()[0])
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "edit-save":
            self.action_save()
        else:
            self.action_cancel()
