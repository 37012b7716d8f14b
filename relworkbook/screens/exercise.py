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

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Footer, OptionList, Static
from textual.widgets.option_list import Option

from ..model import TOGETHER, Commitment, Exercise, partner_name
from ..sitting import Run, View
from ..store import WorkbookError
from ..widgets import AnswerView, PartnerBadge, PromptWidget, TurnsPrompt, widget_for
from . import HoldsAnswers
from .handover import HandoverScreen, RevealScreen
from .private import ShowsPrivate

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store

ERROR_QUIET = 5.0  # seconds before the same failed autosave is reported again
STATUS_WORDS = {"kept": "kept", "partly": "partly kept", "not_kept": "not kept", "open": "not reviewed yet"}


class ExerciseScreen(ShowsPrivate, HoldsAnswers[bool]):
    """One exercise in one sitting. Dismisses True when finished, False when left early."""

    BINDINGS = [
        Binding("pagedown", "next", "Next", priority=True, key_display="PgDn", id="exercise.next"),
        Binding("pageup", "back", "Back", priority=True, key_display="PgUp", id="exercise.back"),
        Binding("escape", "leave", "Leave", id="exercise.leave"),
        Binding("k", "review('kept')", "Kept", id="exercise.kept"),
        Binding("p", "review('partly')", "Partly", id="exercise.partly"),
        Binding("n", "review('not_kept')", "Not kept", id="exercise.not_kept"),
        Binding("r", "answer_again", "Answer again", id="exercise.answer_again"),
        Binding("v", "reveal_now", "Reveal", id="exercise.reveal"),
    ]

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    def __init__(
        self, store: Store, exercise: Exercise, sitting_id: int, attendees: tuple[str, ...], *,
        start_slot: int = 0, answer_sitting_id: int | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.exercise = exercise
        self.run = Run(
            store, exercise, sitting_id, attendees, start_slot=start_slot, answer_sitting_id=answer_sitting_id
        )
        self.couple = store.get_couple()
        self.view: View | None = None
        self.widget: PromptWidget | None = None
        self._widget_slot: int | None = None
        self._dirty_since: float | None = None  # monotonic time of the first unsaved change
        self._save_timer: Timer | None = None
        self._last_error: tuple[str, float] | None = None  # (message, monotonic time shown)
        self._started = self._sitting_start()
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

    def _sitting_start(self) -> dt.datetime:
        sitting = self.store.get_sitting(self.run.sitting_id)
        try:
            return dt.datetime.fromisoformat(sitting.started) if sitting else dt.datetime.now()
        except (TypeError, ValueError):
            return dt.datetime.now()

    def _tick(self) -> None:
        started = self._started
        now = dt.datetime.now(started.tzinfo) if started.tzinfo else dt.datetime.now()
        seconds = max(0, int((now - started).total_seconds()))
        hours, rest = divmod(seconds, 3600)
        text = f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
        self.query_one("#elapsed", Static).update(f"sitting {text}")

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

    @on(Button.Pressed, "#next")
    async def _next_pressed(self) -> None:
        await self.action_next()

    @on(Button.Pressed, "#back")
    async def _back_pressed(self) -> None:
        await self.action_back()

    @on(Button.Pressed, "#answer-again")
    async def _again_pressed(self) -> None:
        await self.action_answer_again()

    @on(Button.Pressed, "#reveal-now")
    async def _reveal_pressed(self) -> None:
        await self.action_reveal_now()

    @on(Button.Pressed, ".mark")
    def _mark_pressed(self, event: Button.Pressed) -> None:
        self.action_review(str(event.button.name))

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
        ex, run = self.exercise, self.run
        here = " and ".join(self._who(p) for p in run.slot_attendees) or "you"
        self._set_header(view.partner, ex.title)
        parts = [
            Static(ex.title, classes="title"),
            Static(f"About {ex.minutes} minutes. {len(run.slots)} answers to give, for {here}.", classes="muted"),
            Static(ex.intro, classes="para"),
        ]
        if ex.tips:
            tips = Text("Tips\n", style="bold")
            for tip in ex.tips:
                tips.append(f"\u2022 {tip}\n")
            parts.append(Static(tips, classes="para"))
        if run.catching_up:
            note = "You are catching up on a sitting you missed: your answers join the ones given then."
            parts.append(Static(note, classes="note"))
        if not run.slots:
            note = "There is nothing here for who is sitting today; it waits for both of you."
            parts.append(Static(note, classes="note"))
        parts.append(Static("Press PgDn or Next to begin. PgUp goes back; Esc leaves (everything is saved).", classes="muted para"))
        await self.query_one("#body").mount_all(parts)
        self.query_one("#next", Button).focus()

    def _review_label(self, c: Commitment) -> Text:
        status = self.run.status_of(c)
        owner = "both of us" if c.owner == "both" else self._who(c.owner)
        label = Text(c.what, style="bold")
        label.append(f"  ({owner}" + (f", by {c.due}" if c.due else "") + ")")
        label.append(f"  \u2192 {STATUS_WORDS.get(status, status)}", style="italic")
        return label

    async def _show_review(self) -> None:
        self._set_header(TOGETHER, f"{self.exercise.title} \u00b7 last week's commitments")
        options = OptionList(*[Option(self._review_label(c), id=str(c.id)) for c in self.run.review], id="review-list")
        buttons = [("kept", "Kept (k)", "success"), ("partly", "Partly (p)", "default"), ("not_kept", "Not kept (n)", "warning")]
        await self.query_one("#body").mount_all([
            Static("Before the questions: how did last week's commitments go?", classes="prompt-text"),
            Static("Choose one with Up/Down, then k: kept, p: partly, n: not kept. Next when you are done.", classes="muted"),
            options,
            Horizontal(*[Button(label, id=f"mark-{s}", name=s, variant=v, classes="mark") for s, label, v in buttons], classes="buttons"),  # type: ignore[arg-type]
        ])
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
            options.replace_option_prompt_at_index(index, self._review_label(commitment))
            options.highlighted = index  # marking is not "next": the highlight stays
            options.focus()

        if self.run.needs_asking(commitment.id, status):
            from .confirm import ConfirmScreen

            before = STATUS_WORDS.get(self.run.status_of(commitment), "")
            question = f"Change \u201c{commitment.what}\u201d from {before} to {STATUS_WORDS[status]}?"
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
        slot = self.run.slots[view.slot]
        prompt = slot.prompt
        parts: list[Any] = [Static(prompt.text, classes="prompt-text")]
        if prompt.help:
            parts.append(Static(prompt.help, classes="muted"))
        if prompt.optional:
            parts.append(Static("Optional: Next skips it.", classes="muted"))
        if prompt.is_private:
            note = "Private: hidden from the screen once you go on, until you both agree to reveal."
            if self.store.has_lock(slot.partner):
                note += " Locked with your passphrase as you type."
            parts.append(Static(note, classes="muted"))
        for other, value in self.run.others_answers(view.slot):
            parts.append(AnswerView(prompt, value, f"{self._who(other)} answered:", self.couple))
        widget = widget_for(prompt, partner=slot.partner, couple=self.couple, id="answer")
        parts.append(widget)
        await self.query_one("#body").mount_all(parts)
        if view.load:
            saved, sealed = self.run.draft(view.slot)
            if sealed:
                self._ask_to_open(view.slot, widget)
            if saved is not None:
                widget.set_value(saved)
        self.widget, self._widget_slot, self._dirty_since = widget, view.slot, None
        # At once, not after a refresh: the very next key must reach the answer,
        # not the Next button (a space there would skip the prompt).
        widget.focus_first()

    def _ask_to_open(self, index: int, widget: PromptWidget) -> None:
        """A locked draft from an earlier run (the app was closed mid-answer): its partner's
        passphrase opens it into the answer box; without it, what they type replaces it."""
        from .locks import PassphraseScreen

        slot = self.run.slots[index]

        def opened(unlocked: Any) -> None:
            if self._widget_slot != index or self.widget is not widget:
                return
            answer = self.store.find_answer(self.run.answer_sitting_id, self.exercise.id, slot.prompt.id, slot.partner)
            if unlocked is None or answer is None:
                self.notify("Your earlier draft stays locked; what you type now replaces it.")
                return
            try:
                value = self.store.open_value(answer, unlocked)
            except WorkbookError as error:
                self.notify(str(error), severity="error")
                return
            self.run.typed[(slot.prompt.id, slot.partner)] = value
            widget.set_value(value)
            self._dirty_since = None
            widget.focus_first()

        why = "Your draft here is locked."
        self.app.push_screen(PassphraseScreen(self.store, self.couple, slot.partner, why=why), callback=opened)

    async def _show_locked(self, view: View) -> None:
        assert view.slot is not None
        prompt = self.run.slots[view.slot].prompt
        note = f"{self._who(view.partner or '')}'s answer is in. It stays hidden until you both agree to reveal it."
        buttons = [Button("Answer again (r)", id="answer-again")]
        if view.can_reveal:
            buttons.append(Button("Reveal now (v)", id="reveal-now", variant="primary"))
        await self.query_one("#body").mount_all(
            [Static(prompt.text, classes="prompt-text"), Static(note, classes="note"), Horizontal(*buttons, classes="buttons")]
        )
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
        if self._dirty_since is None:
            self._dirty_since = time.monotonic()
        delay = self.run.debounce.changed(time.monotonic())
        if delay <= 0:
            self._autosave()  # typing has gone on for the longest wait: write now
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(delay, self._autosave)

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
