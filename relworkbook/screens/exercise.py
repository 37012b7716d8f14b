"""The exercise screen: draws what the sitting's ``Run`` says, and tells it what the person did.

The rules (pages, turns, private runs, hand-overs, reveals, the resume point,
the save) live in ``relworkbook.sitting``; this screen only draws a ``View``
and turns keys and buttons into calls on the ``Run``.

The badge at the top left always says whose turn it is, in that partner's
colour; beside it, where we are ("prompt 3 of 7") and the time the sitting has
run. PgDn / PgUp (and the Next / Back buttons) move between pages; they are
priority keys so they work inside a text box, and they type nothing.

Nothing is lost: a change is saved through the sitting's ``Run.save``, debounced
with a maximum wait (``debounce.Debounce``: after a short pause, and at least
twice a second while the typing goes on); leaving a page saves at once;
``flush_saves()`` is what the app calls before anything covers the screen.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Footer, OptionList, Static

from ..follow_up import quiet_line
from ..model import TOGETHER, Exercise, Step, partner_name
from ..sitting import Run, View
from ..store import WorkbookError
from ..widgets import PartnerBadge, PromptWidget, TurnsPrompt
from . import HoldsAnswers
from . import exercise_pages as pages
from .handover import HandoverScreen, RevealScreen
from .private import ShowsPrivate

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ..catalog import Catalog

ERROR_QUIET = 5.0  # seconds before the same failed autosave is reported again


class ExerciseScreen(ShowsPrivate, HoldsAnswers[bool]):
    """One exercise in one sitting. Dismisses True when finished, False when left early."""

    BINDINGS = [
        # At 80 columns the footer has room for PgDn, esc and the app's keys; the
        # others are on the buttons ("Back (PgUp)", "Kept (k)", ...), in Help and the palette.
        Binding("pagedown", "next", "Next", priority=True, key_display="PgDn", id="exercise.next"),
        Binding("pageup", "back", "Back", priority=True, key_display="PgUp", id="exercise.back", show=False),
        Binding("escape", "leave", "Leave", id="exercise.leave"),
        Binding("k", "review('kept')", "Kept", id="exercise.kept", show=False),
        Binding("p", "review('partly')", "Partly", id="exercise.partly", show=False),
        Binding("n", "review('not_kept')", "Not kept", id="exercise.not_kept", show=False),
        Binding("r", "answer_again", "Answer again", id="exercise.answer_again", show=False),
        Binding("v", "reveal_now", "Reveal", id="exercise.reveal", show=False),
    ]

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    def __init__(
        self, store: Store, exercise: Exercise, sitting_id: int, attendees: tuple[str, ...], *,
        start_slot: int = 0, answer_sitting_id: int | None = None, step: Step | None = None,
        catalog: Catalog | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.exercise = exercise
        self.catalog = catalog  # for the titles of exercises an answer suggests
        self.run = Run(
            store, exercise, sitting_id, attendees, start_slot=start_slot, answer_sitting_id=answer_sitting_id,
            step=step,
        )
        self.couple = store.get_couple()
        self.view: View | None = None
        self.widget: PromptWidget | None = None
        self._widget_slot: int | None = None
        self._dirty_since: float | None = None  # monotonic time of the first unsaved change
        self._save_timer: Timer | None = None
        self._last_error: tuple[str, float] | None = None  # (message, monotonic time shown)
        self._started = pages.sitting_start(store.get_sitting(self.run.sitting_id))
        self._busy = False

    def shows_private(self) -> bool:
        """A private answer is on the screen (no screenshot then)."""
        index = self._widget_slot
        return self.widget is not None and index is not None and self.run.slots[index].prompt.is_private

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield PartnerBadge(self.couple, id="badge")
            yield Static("", id="where")
            yield Static("", id="elapsed")
        yield VerticalScroll(id="body")
        with Horizontal(id="nav"):
            yield Button("Back (PgUp)", id="back", compact=True)
            yield Button("Next (PgDn)", id="next", variant="primary", compact=True)
        yield Footer()

    async def on_mount(self) -> None:
        self._tick()
        self.set_interval(1.0, self._tick)
        await self._show_page()

    def _tick(self) -> None:
        self.query_one("#elapsed", Static).update(f"sitting {pages.elapsed(self._started)}")

    def _who(self, key: str) -> str:
        return partner_name(self.couple, key)

    # ---------------------------------------------------------------- intents

    async def action_next(self) -> None:
        if self._busy:
            return
        if self.widget is not None and self.widget.error:
            self.notify(self.widget.error, severity="warning")
            return
        if not self.flush_saves(leaving=True):
            return  # not saved: the text stays on screen, the error is shown
        answered_private = self.view is not None and self.view.kind == "answer" and self._widget_slot is not None
        due = self.run.leave_slot() if answered_private else []
        if answered_private and self.run.slots[self._widget_slot].prompt.is_private:  # type: ignore[index]
            await self._clear_body()  # the given private answer leaves the screen first
        if due:
            self._open_reveal(due, then=self._advance)
            return
        await self._advance()

    async def _advance(self) -> None:
        if not self.run.advance():
            if self.flush_saves(leaving=True):
                self.run.finish()
                self.dismiss(True)
            return
        await self._show_page()

    async def action_back(self) -> None:
        if self._busy or self.run.pos == 0 or not self.flush_saves(leaving=True):
            return
        self.run.back()
        await self._show_page()

    def action_leave(self) -> None:
        if self.flush_saves(leaving=True):
            self.dismiss(False)

    BUTTONS = {"next": "next", "back": "back", "answer-again": "answer_again", "reveal-now": "reveal_now"}

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        button = event.button
        if button.has_class("mark"):
            event.stop()
            self.action_review(str(button.name))
        elif button.id in self.BUTTONS:
            event.stop()
            await self.run_action(self.BUTTONS[button.id])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        kind = self.view.kind if self.view is not None else None
        if action == "review":
            return kind == "review"
        if action == "answer_again":
            return kind == "locked"
        if action == "reveal_now":
            return kind == "locked" and bool(self.view and self.view.can_reveal)
        if action == "back":
            return self.run.pos > 0
        return True

    # ------------------------------------------------------------------ pages

    async def _clear_body(self) -> None:
        self._stop_timer()
        self.widget = None
        self._widget_slot = None
        await self.query_one("#body", VerticalScroll).remove_children()

    async def _show_page(self) -> None:
        self._busy = True
        try:
            await self._clear_body()
            view = self.run.show()
            if self.run.resume_error is not None:  # only the resume point was not written
                self._report(self.run.resume_error, quiet=True)  # type: ignore[arg-type]
            await self._draw(view)
            self.query_one("#next", Button).label = "Finish (PgDn)" if self.run.is_last else "Next (PgDn)"
            self.query_one("#back", Button).disabled = self.run.pos == 0
            self.refresh_bindings()
        finally:
            self._busy = False

    async def _draw(self, view: View | None) -> None:
        self.view = view
        if view is None:
            return
        if view.kind == "intro":
            await self._show_intro(view)
        elif view.kind == "review":
            await self._show_review()
        else:
            assert view.slot is not None
            number, total = self.run.prompt_numbers(view.slot)
            where = f"{self.exercise.title} \u00b7 prompt {number} of {total}"
            if view.partner != TOGETHER:
                where += f" \u00b7 {self._who(view.partner or '')}'s turn"
            self._set_header(view.partner, where)
            if view.kind == "handover":
                await self._show_handover(view)
            elif view.kind == "locked":
                await self._show_locked(view)
            else:
                await self._mount_answer(view)
        self.refresh_bindings()

    def _set_header(self, partner: str | None, where: str, badge_text: str | None = None) -> None:
        self.query_one("#badge", PartnerBadge).show(partner, badge_text)
        self.query_one("#where", Static).update(where)

    async def _show_intro(self, view: View) -> None:
        self._set_header(view.partner, self.exercise.title)
        await self.query_one("#body").mount_all(pages.intro(self.exercise, self.run, self.couple))
        self.query_one("#next", Button).focus()

    async def _show_review(self) -> None:
        self._set_header(TOGETHER, f"{self.exercise.title} \u00b7 last week's commitments")
        parts, options = pages.review(self.run, self.couple)
        await self.query_one("#body").mount_all(parts)
        options.highlighted = 0
        options.focus()

    def action_review(self, status: str) -> None:
        if self.view is None or self.view.kind != "review":
            return
        options = self.query_one("#review-list", OptionList)
        index = options.highlighted
        if index is None or not (0 <= index < len(self.run.review)):
            return
        commitment = self.run.review[index]

        def mark(yes: bool | None = True) -> None:
            if not yes:
                return
            self.run.mark(commitment.id, status)
            options.replace_option_prompt_at_index(index, pages.review_label(self.run, commitment, self.couple))
            options.highlighted = index  # marking is not "next": the highlight stays
            options.focus()

        if self.run.needs_asking(commitment.id, status):
            from .confirm import ConfirmScreen

            words = pages.STATUS_WORDS
            question = f"Change \u201c{commitment.what}\u201d from {words[self.run.status_of(commitment)]} to {words[status]}?"
            self.app.push_screen(ConfirmScreen(question, yes="Change it", no="Keep it"), callback=mark)
            return
        mark()

    async def _show_handover(self, view: View) -> None:
        await self.query_one("#body").mount(
            Static(f"Waiting for {self._who(view.partner or '')} to take the keyboard.", classes="muted para")
        )
        screen = HandoverScreen(self.couple, view.partner or "a", others_present=view.others_present, count=view.count)
        self.app.push_screen(screen, callback=lambda ready: self._after_handover(view, ready))

    async def _after_handover(self, view: View, ready: bool | None) -> None:
        if self.run.slot_index != view.slot:
            return
        await self._clear_body()
        after = self.run.handed_over(bool(ready))
        if after is None:
            await self._show_page()
            return
        await self._draw(after)

    async def _mount_answer(self, view: View) -> None:
        assert view.slot is not None
        partner = self.run.slots[view.slot].partner
        parts, widget = pages.answer(self.run, view, self.couple, locked_as_typed=self.store.has_lock(partner))
        # A quiet line about this partner's own answer (a very low safety rating, an
        # exercise an answer suggests): drawn from the value as it changes, never stored.
        quiet = Static("", id="quiet-line", classes="muted")
        quiet.display = False
        await self.query_one("#body").mount_all([*parts, quiet])
        self.widget, self._widget_slot, self._dirty_since = widget, view.slot, None
        if view.load:
            saved, sealed = self.run.draft(view.slot)
            if sealed:
                pages.open_sealed_draft(self, self.run, view.slot, widget, self._opened_draft)
            if saved is not None:
                widget.set_value(saved)
        self._update_quiet()
        # At once, not after a refresh: the very next key must reach the answer,
        # not the Next button (a space there would skip the prompt).
        widget.focus_first()

    def _opened_draft(self, value: Any) -> None:
        if self.widget is not None:
            self.widget.set_value(value)
            self._dirty_since = None
            self.widget.focus_first()

    async def _show_locked(self, view: View) -> None:
        await self.query_one("#body").mount_all(pages.hidden(self.run, view, self.couple))
        self.query_one("#next", Button).focus()

    async def action_answer_again(self) -> None:
        if self.view is None or self.view.kind != "locked":
            return
        await self._clear_body()
        await self._draw(self.run.answer_again())

    # ----------------------------------------------------------------- reveal

    def _open_reveal(self, prompts: list, then: Any = None) -> None:
        reveal = self.run.reveal(prompts)

        async def done(_revealed: bool | None) -> None:
            await (then() if then is not None else self._show_page())

        self.app.push_screen(RevealScreen(reveal, self.couple), callback=done)

    async def action_reveal_now(self) -> None:
        index = self.run.slot_index
        if self.view is not None and self.view.kind == "locked" and index is not None:
            due = self.run.due(index)
            if due:
                self._open_reveal(due)

    # ----------------------------------------------------------------- saving

    @on(PromptWidget.Changed)
    def _changed(self, event: PromptWidget.Changed) -> None:
        event.stop()
        if event.widget is not self.widget:
            return
        self._update_quiet()
        if self._dirty_since is None:
            self._dirty_since = time.monotonic()
        delay = self.run.debounce.changed(time.monotonic())
        if delay <= 0:
            self._autosave()  # typing has gone on for the longest wait: write now
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(delay, self._autosave)

    def _update_quiet(self) -> None:
        index = self._widget_slot
        found = self.query("#quiet-line")
        if self.widget is None or index is None or not found:
            return
        text = quiet_line(self.run.slots[index].prompt, self.widget.value, self.catalog)
        line = found.first(Static)
        line.update(text)
        line.display = bool(text)

    @on(TurnsPrompt.TurnChanged)
    def _turn_changed(self, event: TurnsPrompt.TurnChanged) -> None:
        event.stop()
        if event.widget is self.widget:
            self.query_one("#badge", PartnerBadge).show(event.partner or TOGETHER, event.text)

    def _stop_timer(self) -> None:
        self.run.debounce.reset()
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    def _autosave(self) -> None:
        self.flush_saves(quiet=True)

    def _report(self, error: Exception, *, quiet: bool = False) -> None:
        """Show a failed write as one line; ``quiet`` skips a repeat of the same error within a few seconds."""
        message = str(error).strip().splitlines()[0] if str(error).strip() else "The workbook could not be written."
        now = time.monotonic()
        if quiet and self._last_error is not None:
            last, when = self._last_error
            if last == message and now - when < ERROR_QUIET:
                return
        self._last_error = (message, now)
        self.notify(message, title="Not saved yet", severity="error", timeout=10)

    def flush_saves(self, leaving: bool = False, *, quiet: bool = False) -> bool:
        """Save the answer on screen now if it changed (or, leaving, if it is a first answer).

        False when the write failed (disk full, file read-only, workbook in
        use): the error is shown, the answer stays on screen and unsaved, and
        the next change or move tries again.
        """
        self._stop_timer()
        if self.widget is None or self._widget_slot is None:
            return True
        try:
            self.run.save(self._widget_slot, self.widget.value, changed=self._dirty_since is not None, leaving=leaving)
        except WorkbookError as error:
            self._dirty_since = self._dirty_since or time.monotonic()
            self._report(error, quiet=quiet)
            return False
        self._dirty_since = None
        self._last_error = None
        return True

    def on_unmount(self) -> None:
        # Normally already saved (leaving flushes); this covers a screen popped from outside.
        try:
            self.flush_saves()
        except Exception:  # the store may already be closed at shutdown
            pass
