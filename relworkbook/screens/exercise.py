"""The exercise screen: the intro, then one answer slot at a time.

The badge at the top left always says whose turn it is, in that partner's
colour; beside it, where we are ("prompt 3 of 7") and the time the sitting has
run. PgDn / PgUp (and the Next / Back buttons) move between slots; they are
priority keys so they work inside a text box, and they type nothing.

Nothing is lost: every change is saved, debounced with a maximum wait
(``debounce.Debounce``: after a short pause, and at least twice a second while
the typing goes on), through ``store.save_answer``; leaving a slot saves at once; every move records the
slot with ``progress.set_resume``; ``flush_saves()`` is for the shell to call
before a time-out or quit. Private prompts go through ``HandoverScreen``; a
private answer leaves the screen once given and is only shown again by
``RevealScreen``, after both partners agree.

Private prompts next to each other form a *run* (``progress.private_runs``),
answered partner by partner: one hand-over to the first partner, who answers
the whole run (Back may return to their own earlier answers in it, since the
same person is at the keyboard), one hand-over to the second, then one reveal
for the whole run. Crossing a hand-over going back shows only "the answer is
in, hidden".
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Footer, OptionList, Static
from textual.widgets.option_list import Option

from .. import progress
from ..debounce import Debounce
from ..model import TOGETHER, Commitment, Couple, Exercise, is_locked
from ..store import WorkbookError
from ..widgets import AnswerView, PartnerBadge, PromptWidget, TurnsPrompt, widget_for
from .handover import HandoverScreen, RevealScreen
from .private import ShowsPrivate

ERROR_QUIET = 5.0  # seconds before the same failed autosave is reported again
STATUS_WORDS = {"kept": "kept", "partly": "partly kept", "not_kept": "not kept", "open": "not reviewed yet"}


class ExerciseScreen(ShowsPrivate, Screen[bool]):
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

    DEFAULT_CSS = """
    ExerciseScreen {
        layout: vertical;
    }
    ExerciseScreen > #top {
        height: 1;
        width: 1fr;
        background: $panel;
    }
    ExerciseScreen > #top > #where {
        width: 1fr;
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ExerciseScreen > #top > #elapsed {
        width: auto;
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    ExerciseScreen > #body {
        height: 1fr;
        padding: 0 1;
    }
    ExerciseScreen #body > .title {
        text-style: bold;
        margin-top: 1;
        height: auto;
    }
    ExerciseScreen #body > .prompt-text {
        text-style: bold;
        margin: 1 0 0 0;
        height: auto;
    }
    ExerciseScreen #body > .muted {
        color: $text-muted;
        height: auto;
    }
    ExerciseScreen #body > .para {
        height: auto;
        margin-top: 1;
    }
    ExerciseScreen #body > .note {
        height: auto;
        margin-top: 1;
        padding: 1 2;
        background: $boost;
        border-left: thick $primary;
    }
    ExerciseScreen #body > PromptWidget {
        margin-top: 1;
    }
    ExerciseScreen #body > OptionList {
        height: auto;
        max-height: 10;
        margin-top: 1;
    }
    ExerciseScreen #body > .buttons {
        height: auto;
        margin-top: 1;
    }
    ExerciseScreen #body > .buttons > Button {
        margin-right: 1;
    }
    ExerciseScreen > #nav {
        height: auto;
        width: 1fr;
        align-horizontal: right;
        padding: 0 1;
    }
    ExerciseScreen > #nav > Button {
        margin-left: 1;
    }
    """

    def __init__(
        self,
        store: Any,
        catalog: Any,
        exercise: Exercise,
        sitting_id: int,
        attendees: tuple[str, ...],
        *,
        start_slot: int = 0,
        answer_sitting_id: int | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.exercise = exercise
        self.sitting_id = sitting_id
        self.attendees = tuple(attendees)
        self.answer_sitting_id = answer_sitting_id if answer_sitting_id is not None else sitting_id
        self.catching_up = self.answer_sitting_id != sitting_id
        self.couple: Couple | None = store.get_couple()
        slot_attendees = self.attendees
        if self.catching_up:
            # Only those who missed the original sitting answer, and only their own part.
            original = store.get_sitting(self.answer_sitting_id)
            missed = set(original.attendees) if original is not None else set()
            slot_attendees = tuple(p for p in self.attendees if p not in missed) or self.attendees
        self.slot_attendees = slot_attendees
        self.slots = progress.slots(exercise, slot_attendees, own_only=self.catching_up)
        self.review: list[Commitment] = []
        if exercise.kind == "checkin" and start_slot == 0 and not self.catching_up:
            self.review = [c for c in store.open_commitments() if c.sitting_id != sitting_id]
        self.reviewed: dict[int, str] = {}
        self.pages: list[str | int] = ["intro"] + (["review"] if self.review else []) + list(range(len(self.slots)))
        start = max(0, min(int(start_slot), len(self.slots) - 1)) if self.slots else 0
        self.pos = self.pages.index(start) if start_slot and self.slots else 0
        # The slot reopened from "continue" may hold a private draft the partner was still writing.
        self._resume_slot: int | None = start if start_slot and self.slots else None
        self.widget: PromptWidget | None = None
        self._widget_slot: int | None = None
        self._dirty = False
        self._save_timer: Timer | None = None
        self._debounce = Debounce()
        self._last_error: tuple[str, float] | None = None  # (message, monotonic time shown)
        self._started = self._sitting_start()
        self._busy = False
        self._locked = False  # showing "answer is in, hidden until the reveal"
        # (first prompt id of a private run, partner) once that partner has taken the
        # keyboard for the run through a hand-over; None whenever anyone else might be there.
        self._at_keys: tuple[str, str] | None = None
        self._runs = {p.id: run for run in progress.private_runs(exercise) for p in run}
        # What the partner at the keys typed into private slots since their hand-over,
        # (prompt id, partner) -> value: a locked answer is stored sealed, and Back
        # to their own earlier answer in the run shows it from here, not the file.
        self._typed: dict[tuple[str, str], Any] = {}

    def shows_private(self) -> bool:
        """A private answer is on the screen (no screenshot then)."""
        index = self._widget_slot
        return self.widget is not None and index is not None and self.slots[index].prompt.is_private

    # ------------------------------------------------------------------ layout

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
        sitting = self.store.get_sitting(self.sitting_id)
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

    # --------------------------------------------------------------- navigation

    @property
    def page(self) -> str | int:
        return self.pages[self.pos]

    @property
    def slot_index(self) -> int | None:
        return self.page if isinstance(self.page, int) else None

    def _prompt_numbers(self, index: int) -> tuple[int, int]:
        order: list[str] = []
        for slot in self.slots:
            if slot.prompt.id not in order:
                order.append(slot.prompt.id)
        return order.index(self.slots[index].prompt.id) + 1, len(order)

    def _who(self, key: str) -> str:
        if self.couple is None:
            return {"a": "Partner A", "b": "Partner B"}.get(key, "Together")
        return self.couple.name(key)

    async def action_next(self) -> None:
        if self._busy:
            return
        if self.widget is not None and self.widget.error:
            self.notify(self.widget.error, severity="warning")
            return
        index = self.slot_index
        if not self.flush_saves(leaving=True):
            return  # not saved: the text stays on screen, the error is shown
        if index is not None and self.slots[index].prompt.is_private and self._widget_slot == index:
            # Reveal once, on leaving the last slot of the run.
            reveal = self._last_of_run(index) and bool(self._due(index))
            # The given private answer leaves the screen before anything else happens.
            await self._clear_body()
            if reveal:
                self._at_keys = None
                self._open_reveal(index, then=self._advance)
                return
        await self._advance()

    async def _advance(self, *_: Any) -> None:
        if self.pos + 1 >= len(self.pages):
            await self._finish()
            return
        self.pos += 1
        await self._show_page()

    async def action_back(self) -> None:
        if self._busy or self.pos == 0:
            return
        if not self.flush_saves(leaving=True):
            return
        self.pos -= 1
        await self._show_page()

    def action_leave(self) -> None:
        if not self.flush_saves(leaving=True):
            return
        self.dismiss(False)

    async def _finish(self) -> None:
        if not self.flush_saves(leaving=True):
            return
        self._remember(progress.clear_resume, self.store)
        self.dismiss(True)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        actions = {
            "next": self.action_next,
            "back": self.action_back,
            "answer-again": self.action_answer_again,
            "reveal-now": self.action_reveal_now,
            "mark-kept": lambda: self.action_review("kept"),
            "mark-partly": lambda: self.action_review("partly"),
            "mark-not_kept": lambda: self.action_review("not_kept"),
        }
        action = actions.get(button)
        if action is not None:
            event.stop()
            result = action()
            if hasattr(result, "__await__"):
                await result

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review":
            return self.page == "review"
        if action == "answer_again":
            return self._locked_page()
        if action == "reveal_now":
            index = self.slot_index
            return self._locked_page() and index is not None and bool(self._due(index))
        if action == "back":
            return self.pos > 0
        return True

    # ------------------------------------------------------------------- pages

    async def _clear_body(self) -> None:
        self._stop_timer()
        self.widget = None
        self._widget_slot = None
        self._locked = False
        body = self.query_one("#body", VerticalScroll)
        await body.remove_children()

    async def _show_page(self) -> None:
        self._busy = True
        try:
            await self._clear_body()
            page = self.page
            if not (isinstance(page, int) and self._keeps_keys(page)):
                self._at_keys = None
            self._remember(
                progress.set_resume,
                self.store,
                self.sitting_id,
                self.exercise.id,
                page if isinstance(page, int) else 0,
                answer_sitting_id=self.answer_sitting_id,
                attendees=self.attendees,
            )
            if page == "intro":
                await self._show_intro()
            elif page == "review":
                await self._show_review()
            else:
                assert isinstance(page, int)
                await self._show_slot(page)
            last = self.pos + 1 >= len(self.pages)
            self.query_one("#next", Button).label = "Finish (PgDn)" if last else "Next (PgDn)"
            self.query_one("#back", Button).disabled = self.pos == 0
            self.refresh_bindings()
        finally:
            self._busy = False

    def _set_header(self, partner: str | None, where: str, badge_text: str | None = None) -> None:
        self.query_one("#badge", PartnerBadge).show(partner, badge_text)
        self.query_one("#where", Static).update(where)

    async def _show_intro(self) -> None:
        ex = self.exercise
        here = " and ".join(self._who(p) for p in self.slot_attendees) or "you"
        self._set_header(TOGETHER if len(self.slot_attendees) > 1 else self.slot_attendees[0], ex.title)
        parts: list[Static] = [
            Static(ex.title, classes="title"),
            Static(f"About {ex.minutes} minutes. {len(self.slots)} answers to give, for {here}.", classes="muted"),
            Static(ex.intro, classes="para"),
        ]
        if ex.tips:
            tips = Text("Tips\n", style="bold")
            for tip in ex.tips:
                tips.append(f"\u2022 {tip}\n")
            parts.append(Static(tips, classes="para"))
        if self.catching_up:
            parts.append(
                Static(
                    "You are catching up on a sitting you missed: your answers join the ones given then.",
                    classes="note",
                )
            )
        if not self.slots:
            parts.append(Static("There is nothing here for who is sitting today; it waits for both of you.", classes="note"))
        parts.append(Static("Press PgDn or Next to begin. PgUp goes back; Esc leaves (everything is saved).", classes="muted para"))
        await self.query_one("#body").mount_all(parts)
        self.query_one("#next", Button).focus()

    # ---- check-in: last week's commitments

    def _review_label(self, c: Commitment) -> Text:
        status = self.reviewed.get(c.id, c.status)
        owner = "both of us" if c.owner == "both" else self._who(c.owner)
        label = Text(c.what, style="bold")
        label.append(f"  ({owner}" + (f", by {c.due}" if c.due else "") + ")")
        label.append(f"  \u2192 {STATUS_WORDS.get(status, status)}", style="italic")
        return label

    async def _show_review(self) -> None:
        self._set_header(TOGETHER, f"{self.exercise.title} \u00b7 last week's commitments")
        options = OptionList(*[Option(self._review_label(c), id=str(c.id)) for c in self.review], id="review-list")
        await self.query_one("#body").mount_all(
            [
                Static("Before the questions: how did last week's commitments go?", classes="prompt-text"),
                Static("Pick one, then k: kept, p: partly, n: not kept. Next when you are done.", classes="muted"),
                options,
                Horizontal(
                    Button("Kept (k)", id="mark-kept", variant="success"),
                    Button("Partly (p)", id="mark-partly"),
                    Button("Not kept (n)", id="mark-not_kept", variant="warning"),
                    classes="buttons",
                ),
            ]
        )
        options.highlighted = 0
        options.focus()

    def action_review(self, status: str) -> None:
        if self.page != "review":
            return
        options = self.query_one("#review-list", OptionList)
        index = options.highlighted
        if index is None or not (0 <= index < len(self.review)):
            return
        commitment = self.review[index]
        self.store.review_commitment(commitment.id, status, self.sitting_id)
        self.reviewed[commitment.id] = status
        options.replace_option_prompt_at_index(index, self._review_label(commitment))
        if index + 1 < len(self.review):
            options.highlighted = index + 1
        options.focus()

    # ---- answer slots

    def _saved(self, partner: str, prompt_id: str) -> Any:
        answer = self.store.find_answer(self.answer_sitting_id, self.exercise.id, prompt_id, partner)
        return None if answer is None else answer.value

    def _given(self, partner: str, index: int) -> bool:
        prompt = self.slots[index].prompt
        return progress.is_answered(prompt.type, self._saved(partner, prompt.id))

    def _locked_page(self) -> bool:
        return self._locked

    async def _show_slot(self, index: int, *, fresh: bool = False) -> None:
        slot = self.slots[index]
        prompt = slot.prompt
        number, total = self._prompt_numbers(index)
        where = f"{self.exercise.title} \u00b7 prompt {number} of {total}"
        if slot.partner != TOGETHER:
            where += f" \u00b7 {self._who(slot.partner)}'s turn"
        self._set_header(slot.partner, where)
        body = self.query_one("#body")
        if prompt.is_private:
            if not fresh and self._keeps_keys(index):
                # The same partner, still at the keyboard in this run: their own answer, to edit.
                self._resume_slot = None
                await self._mount_answer(index, load=True)
                return
            self._at_keys = None
            resuming = self._resume_slot == index
            if not fresh and not resuming and self._given(slot.partner, index):
                await self._show_locked(index)
                return
            await body.mount(Static(f"Waiting for {self._who(slot.partner)} to take the keyboard.", classes="muted para"))
            others = len(self.attendees) > 1
            count = 1 if fresh else self._left_in_run(index)
            self.app.push_screen(
                HandoverScreen(self.couple, slot.partner, others_present=others, count=count),
                callback=lambda ready: self._after_handover(index, ready, fresh),
            )
            return
        await self._mount_answer(index, load=True)

    def _run_key(self, index: int) -> str | None:
        run = self._runs.get(self.slots[index].prompt.id)
        return run[0].id if run else None

    def _keeps_keys(self, index: int) -> bool:
        """Whether slot ``index`` belongs to the partner who took the keyboard for its run."""
        slot = self.slots[index]
        return slot.prompt.is_private and self._at_keys == (self._run_key(index), slot.partner)

    def _run_slots(self, index: int) -> list[int]:
        """Indices of this partner's slots in the run of slot ``index``, in order."""
        key, partner = self._run_key(index), self.slots[index].partner
        return [i for i, s in enumerate(self.slots) if s.partner == partner and self._run_key(i) == key and key]

    def _left_in_run(self, index: int) -> int:
        """How many private answers this partner gives in a row from slot ``index``."""
        return len([i for i in self._run_slots(index) if i >= index]) or 1

    def _last_of_run(self, index: int) -> bool:
        key = self._run_key(index)
        return key is not None and not any(self._run_key(i) == key for i in range(index + 1, len(self.slots)))

    async def _after_handover(self, index: int, ready: bool | None, fresh: bool) -> None:
        if self.slot_index != index:
            return
        if not ready:
            self._resume_slot = None
            if self.pos > 0:
                self.pos -= 1
            await self._show_page()
            return
        await self._clear_body()
        slot = self.slots[index]
        # A private answer already given is never loaded back onto the screen:
        # only a draft (nothing given yet, or the slot being resumed) is.
        load = not fresh and (self._resume_slot == index or not self._given(slot.partner, index))
        self._resume_slot = None
        self._at_keys = (self._run_key(index) or slot.prompt.id, slot.partner)
        self._typed = {}  # a new hand-over: nothing of anyone's typing carries over
        await self._mount_answer(index, load=load)

    async def _mount_answer(self, index: int, *, load: bool) -> None:
        slot = self.slots[index]
        prompt = slot.prompt
        body = self.query_one("#body")
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
        if prompt.who == "each" and prompt.type != "turns":
            for other in ("a", "b"):
                if other == slot.partner:
                    continue
                value = self._saved(other, prompt.id)
                if progress.is_answered(prompt.type, value):
                    parts.append(AnswerView(prompt, value, f"{self._who(other)} answered:", self.couple))
        widget = widget_for(prompt, partner=slot.partner, couple=self.couple, id="answer")
        parts.append(widget)
        await body.mount_all(parts)
        if load:
            saved = self._saved(slot.partner, prompt.id)
            if is_locked(saved):
                saved = self._typed.get((prompt.id, slot.partner))
                if saved is None:
                    self._ask_to_open(index, widget)
            if saved is not None:
                widget.set_value(saved)
        self.widget = widget
        self._widget_slot = index
        self._dirty = False
        # At once, not after a refresh: the very next key must reach the answer,
        # not the Next button (a space there would skip the prompt).
        widget.focus_first()

    def _ask_to_open(self, index: int, widget: PromptWidget) -> None:
        """A locked draft from an earlier run (the app was closed mid-answer): its partner's
        passphrase opens it into the answer box; without it, what they type replaces it."""
        from .locks import PassphraseScreen

        slot = self.slots[index]
        prompt = slot.prompt

        def opened(unlocked: Any) -> None:
            if self._widget_slot != index or self.widget is not widget:
                return
            answer = self.store.find_answer(self.answer_sitting_id, self.exercise.id, prompt.id, slot.partner)
            if unlocked is None or answer is None:
                self.notify("Your earlier draft stays locked; what you type now replaces it.")
                return
            try:
                value = self.store.open_value(answer, unlocked)
            except WorkbookError as error:
                self.notify(str(error), severity="error")
                return
            self._typed[(prompt.id, slot.partner)] = value
            widget.set_value(value)
            self._dirty = False
            widget.focus_first()

        self.app.push_screen(
            PassphraseScreen(self.store, self.couple, slot.partner, why="Your draft here is locked."),
            callback=opened,
        )

    async def _show_locked(self, index: int) -> None:
        slot = self.slots[index]
        body = self.query_one("#body")
        parts: list[Any] = [
            Static(slot.prompt.text, classes="prompt-text"),
            Static(
                f"{self._who(slot.partner)}'s answer is in. It stays hidden until you both agree to reveal it.",
                classes="note",
            ),
        ]
        buttons = [Button("Answer again (r)", id="answer-again")]
        if self._due(index):
            buttons.append(Button("Reveal now (v)", id="reveal-now", variant="primary"))
        parts.append(Horizontal(*buttons, classes="buttons"))
        await body.mount_all(parts)
        self._locked = True
        self.refresh_bindings()
        self.query_one("#next", Button).focus()

    async def action_answer_again(self) -> None:
        index = self.slot_index
        if index is None or not self._locked_page():
            return
        await self._clear_body()
        await self._show_slot(index, fresh=True)

    # ---- reveal

    def _due(self, index: int) -> list:
        """The prompts of this slot's private run with both answers in and not yet revealed."""
        run = self._runs.get(self.slots[index].prompt.id, ())
        due = []
        for prompt in run:
            if not all(progress.is_answered(prompt.type, self._saved(p, prompt.id)) for p in ("a", "b")):
                continue
            if not self.store.is_revealed(self.answer_sitting_id, self.exercise.id, prompt.id):
                due.append(prompt)
        return due

    def _open_reveal(self, index: int, then: Any = None) -> None:
        prompts = self._due(index)
        answers = {prompt.id: {p: self._saved(p, prompt.id) for p in ("a", "b")} for prompt in prompts}
        screen = RevealScreen(self.store, self.couple, prompts, self.answer_sitting_id, self.exercise.id, answers)

        async def done(_revealed: bool | None) -> None:
            if then is not None:
                await then()
            else:
                await self._show_page()

        self.app.push_screen(screen, callback=done)

    async def action_reveal_now(self) -> None:
        index = self.slot_index
        if index is not None and self._locked_page() and self._due(index):
            self._open_reveal(index)

    # ------------------------------------------------------------------ saving

    def on_prompt_widget_changed(self, event: PromptWidget.Changed) -> None:
        event.stop()
        if event.widget is not self.widget:
            return
        self._dirty = True
        delay = self._debounce.changed(time.monotonic())
        if delay <= 0:
            self._autosave()  # typing has gone on for the longest wait: write now
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(delay, self._autosave)

    def on_turns_prompt_turn_changed(self, event: TurnsPrompt.TurnChanged) -> None:
        event.stop()
        if event.widget is self.widget:
            self.query_one("#badge", PartnerBadge).show(event.partner or TOGETHER, event.text)

    def _stop_timer(self) -> None:
        self._debounce.reset()
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    def _autosave(self) -> None:
        self.flush_saves(quiet=True)

    def _report(self, error: WorkbookError, *, quiet: bool = False) -> None:
        """Show a failed write as one line; ``quiet`` skips a repeat of the same error within a few seconds."""
        message = str(error).strip().splitlines()[0] if str(error).strip() else "The workbook could not be written."
        now = time.monotonic()
        if quiet and self._last_error is not None:
            last, when = self._last_error
            if last == message and now - when < ERROR_QUIET:
                return
        self._last_error = (message, now)
        self.notify(message, title="Not saved yet", severity="error", timeout=10)

    def _remember(self, write: Any, *args: Any, **kwargs: Any) -> None:
        """Record where we are; a failure only costs the resume point, so it is reported quietly."""
        try:
            write(*args, **kwargs)
        except WorkbookError as error:
            self._report(error, quiet=True)

    def flush_saves(self, leaving: bool = False, *, quiet: bool = False) -> bool:
        """Write the answer on screen now if it changed (or, when leaving a slot, if it is a first answer).

        Returns False when the write failed (disk full, file read-only, workbook
        in use): the error is shown, the answer stays on screen and unsaved,
        and the next change or move tries again. ``quiet`` (the autosave timer)
        does not repeat the same error within a few seconds.
        """
        self._stop_timer()
        widget, index = self.widget, self._widget_slot
        if widget is None or index is None:
            return True
        slot = self.slots[index]
        prompt = slot.prompt
        value = widget.value
        if not self._dirty:
            # Moving on from an untouched slot still records a real answer
            # (a checklist with nothing ticked means "none of these").
            if not leaving or not progress.is_answered(prompt.type, value):
                return True
            if self._saved(slot.partner, prompt.id) is not None:
                return True
        number = None
        if prompt.is_scored:
            if prompt.type == "scale" and isinstance(value, int):
                number = value
            elif prompt.type == "checklist" and isinstance(value, list):
                number = len(value)
        try:
            self.store.save_answer(
                self.answer_sitting_id,
                self.exercise.id,
                prompt.id,
                slot.partner,
                value,
                prompt_type=prompt.type,
                private=prompt.is_private,
                metric=prompt.metric if prompt.is_scored else None,
                number=number,
            )
        except WorkbookError as error:
            self._dirty = True
            self._report(error, quiet=quiet)
            return False
        self._dirty = False
        self._last_error = None
        if prompt.is_private:
            self._typed[(prompt.id, slot.partner)] = value
        return True

    def on_unmount(self) -> None:
        # Normally already saved (leaving flushes); this covers a screen popped from outside.
        try:
            self.flush_saves()
        except Exception:  # the store may already be closed at shutdown
            pass
