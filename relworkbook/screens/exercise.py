"""The exercise screen: draws what the sitting's ``Run`` says, and tells it what the person did.

The rules (pages, turns, private runs, hand-overs, reveals, the resume point,
which keys a page offers, when a changed commitment mark is asked about, the
save and its bookkeeping) live in ``relworkbook.sitting``; this screen only
draws a ``View`` (the pages are built in ``exercise_pages``) and turns keys and
buttons into calls on the ``Run``.

The badge at the top left always says whose turn it is, in that partner's
colour; beside it, where we are ("prompt 3 of 7") and the time the sitting has
run. PgDn / PgUp (and the Next / Back buttons) move between pages; they are
priority keys so they work inside a text box, and they type nothing.

Nothing is lost: the sitting's ``Autosave`` says when a change is due to be
written (after a short pause, and at least twice a second while the typing goes
on) and whether a failed write is worth telling; this screen keeps the timer.
Leaving a page saves at once; ``flush_saves()`` is what the app calls before
anything covers the screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Footer, OptionList, Static

from ..follow_up import quiet_line
from ..model import TOGETHER, Exercise, Step
from ..sitting import Autosave, Run, View
from ..widgets import PartnerBadge, PromptWidget, TurnsPrompt
from . import HoldsAnswers
from . import exercise_pages as pages
from .handover import HandoverScreen, RevealScreen
from .private import ShowsPrivate

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ..catalog import Catalog


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
        self.saving = Autosave(self.run)  # which slot's answer is on screen, unsaved since when
        self._save_timer: Timer | None = None
        self._started = pages.sitting_start(store.get_sitting(self.run.sitting_id))
        self._busy = False

    def shows_private(self) -> bool:
        """A private answer is on the screen (no screenshot then)."""
        index = self.saving.slot
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

    # ---------------------------------------------------------------- intents

    async def action_next(self) -> None:
        if self._busy:
            return
        if self.widget is not None and self.widget.error:
            self.notify(self.widget.error, severity="warning")
            return
        if not self.flush_saves(leaving=True):
            return  # not saved: the text stays on screen, the error is shown
        leaving = self.run.leave_page(self.view)
        if leaving.hide:
            await self._clear_body()  # the given private answer leaves the screen first
        if leaving.reveal:
            self._open_reveal(leaving.reveal, then=self._advance)
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
        if self._busy or not self.run.allows("back", self.view) or not self.flush_saves(leaving=True):
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
        return self.run.allows(action, self.view)

    # ------------------------------------------------------------------ pages

    async def _clear_body(self) -> None:
        self._stop_timer()
        self.widget = None
        self.saving.show(None)
        await self.query_one("#body", VerticalScroll).remove_children()

    async def _show_page(self) -> None:
        self._busy = True
        try:
            await self._clear_body()
            view = self.run.show()
            if self.run.resume_error is not None:  # only the resume point was not written
                self._tell(self.saving.notice(self.run.resume_error, quiet=True))
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
        self.query_one("#badge", PartnerBadge).show(view.partner)
        self.query_one("#where", Static).update(pages.where(self.run, view, self.couple))
        body = self.query_one("#body")
        if view.kind == "intro":
            await body.mount_all(pages.intro(self.exercise, self.run, self.couple))
            self.query_one("#next", Button).focus()
        elif view.kind == "review":
            parts, options = pages.review(self.run, self.couple)
            await body.mount_all(parts)
            options.highlighted = 0
            options.focus()
        elif view.kind == "handover":
            await body.mount(Static(pages.waiting_for(view, self.couple), classes="muted para"))
            screen = HandoverScreen(self.couple, view.partner or "a", others_present=view.others_present, count=view.count)
            self.app.push_screen(screen, callback=lambda ready: self._after_handover(view, ready))
        elif view.kind == "locked":
            await body.mount_all(pages.hidden(self.run, view, self.couple))
            self.query_one("#next", Button).focus()
        else:
            await self._mount_answer(view)
        self.refresh_bindings()

    def action_review(self, status: str) -> None:
        if not self.run.allows("review", self.view):
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

        change = self.run.review_change(commitment, status)
        if change is None:
            mark()
            return
        from .confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(pages.change_question(change), yes="Change it", no="Keep it"), callback=mark)

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
        await self.query_one("#body").mount_all(parts)
        self.widget = widget
        self.saving.show(view.slot)
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
            self.saving.loaded()
            self.widget.focus_first()

    async def action_answer_again(self) -> None:
        if not self.run.allows("answer_again", self.view):
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
        if self.run.allows("reveal_now", self.view) and index is not None:
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
        delay = self.saving.changed()
        if delay <= 0:
            self._autosave()  # typing has gone on for the longest wait: write now
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(delay, self._autosave)

    def _update_quiet(self) -> None:
        index = self.saving.slot
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
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    def _autosave(self) -> None:
        self.flush_saves(quiet=True)

    def _tell(self, notice: str | None) -> None:
        if notice:
            self.notify(notice, title="Not saved yet", severity="error", timeout=10)

    def flush_saves(self, leaving: bool = False, *, quiet: bool = False) -> bool:
        """Save the answer on screen now if it changed (or, leaving, if it is a first answer).

        False when the write failed (disk full, file read-only, workbook in
        use): the error is shown, the answer stays on screen and unsaved, and
        the next change or move tries again.
        """
        self._stop_timer()
        saved = self.saving.flush(self.widget.value if self.widget is not None else None, leaving=leaving, quiet=quiet)
        self._tell(saved.notice)
        return saved.ok

    def on_unmount(self) -> None:
        # Normally already saved (leaving flushes); this covers a screen popped from outside.
        try:
            self.flush_saves()
        except Exception:  # the store may already be closed at shutdown
            pass
