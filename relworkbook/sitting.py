"""The rules of a sitting, as plain Python: no Textual here (a test says so).

``Run`` is one exercise worked through in one sitting. It owns who is here,
the slots (``progress.slots``: which partner answers which prompt, in which
order), the pages (the intro, last week's commitments for a check-in, then
one page per slot), whose turn it is at the keyboard during a private run,
the resume point, catching up on a sitting a partner missed, the commitment
review, and the save itself (the number a scored prompt feeds is worked out
once, in ``kinds.number_for``). The exercise screen draws what ``Run`` says
(a ``View``) and tells it what the person did; it decides nothing.

``Reveal`` is the consent for one reveal of private answers: each partner
agrees on their own; before agreeing, each may keep any of their own answers
"just for me" (the other learns where one was kept back, never its words); a partner whose answers are
locked must unlock them on their own turn first (``needs_unlock``, for locks).

``TimeOut`` is a break: it ends when the timer runs out, or sooner only when
every partner present has agreed; ``calming_plans`` are the plans for calming down
the couple may both read, shown during it.

Private prompts next to each other form a *run* (``progress.private_runs``),
answered partner by partner: one hand-over to the first partner, who answers
the whole run (Back may return to their own earlier answers in it, since the
same person is at the keyboard), one hand-over to the second, then one reveal
for the whole run. Going back across a hand-over shows only "the answer is
in, hidden".
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple, Sequence

from . import progress
from .debounce import Debounce
from .kinds import is_answered, number_for
from .model import PARTNERS, TOGETHER, Commitment, Exercise, Prompt, Step, is_locked, partner_name

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog
    from .store import Store

INTRO = "intro"
REVIEW = "review"

__all__ = ["Autosave", "Run", "Reveal", "TimeOut", "View", "calming_plans", "end_sitting"]

def join_sitting(store: Store, attendees: Sequence[str]) -> int:
    """Who is here: the open sitting with these attendees (one left open by an earlier run is
    joined, its attendees set to who is here now), or a new one. Never a sitting that ended."""
    attendees = tuple(p for p in PARTNERS if p in attendees)
    sitting = store.open_sitting()
    if sitting is None:
        sitting = store.start_sitting(attendees)
    elif tuple(sitting.attendees) != attendees:
        sitting = store.set_attendees(sitting.id, attendees)
    return sitting.id


def step_to_introduce(store: Store, catalog: Catalog, exercise: Exercise, *, start_slot: int = 0) -> Step | None:
    """The step whose intro opens this exercise: its own step, when it is first opened (nothing
    written in any exercise of that step yet) and not picked up in the middle (``start_slot``).
    The intro is a courtesy: a workbook that cannot be read shows none rather than failing."""
    from .store import WorkbookError

    step = catalog.step(exercise.step)
    if step is None or start_slot:
        return None
    try:
        return None if progress.step_started(store, catalog, step.id) else step
    except WorkbookError:
        return None


def end_sitting(store: Store, sitting_id: int) -> None:
    """End the sitting; it is never resumed after. Its resume point is dropped; should that
    write fail (the sitting itself did end), ``progress.get_resume`` refuses an ended sitting."""
    from .store import WorkbookError

    store.end_sitting(sitting_id)
    try:
        progress.clear_resume(store)
    except WorkbookError:
        pass


class TotalLine(NamedTuple):
    """One partner's instrument total at a reveal: with its band and the change since last time."""

    title: str
    partner: str
    total: float
    band: str
    previous: float | None
    change: float | None
    words: str  # "reliable change", "bigger than a usual week" or ""


def instrument_totals(store: Store, exercise: Exercise, sitting_id: int, lookback: int = 52) -> list[TotalLine]:
    """Each partner's total of each instrument of ``exercise`` in this sitting (answers both may
    see), as Trends shows it: the band, the total last time it was complete, the change."""
    from .recap import instrument_totals as totals
    from .trends import change_words

    answers = store.answers_for_sitting(sitting_id)
    earlier = [s for s in store.sittings_before(sitting_id, limit=lookback) if exercise.id in s.exercises]
    out: list[TotalLine] = []
    for instrument in exercise.instruments:
        items = [p.metric for p in (exercise.prompt(pid) for pid in instrument.prompts) if p is not None and p.metric]
        now = totals(answers, exercise.id, items, instrument.method) if items else {}
        before: dict[str, float] = {}
        for older in earlier:
            if all(p in before for p in now):
                break
            for partner, total in totals(store.answers_for_sitting(older.id), exercise.id, items, instrument.method).items():
                before.setdefault(partner, total)
        for partner in PARTNERS:
            if partner not in now:
                continue
            total, previous = now[partner], before.get(partner)
            change = None if previous is None else total - previous
            band = instrument.band_for(total)
            words = change_words(change, instrument.reliable_change, instrument.established)
            out.append(TotalLine(instrument.title, partner, total, band.name if band else "", previous, change, words))
    return out


class View(NamedTuple):
    """What the exercise screen should draw now.

    ``kind``: "intro", "review", "handover" (a partner takes the keyboard;
    nothing of any answer on screen), "answer" (the prompt and its widget) or
    "locked" (a private answer is in and stays hidden).
    """

    kind: str
    slot: int | None = None
    partner: str | None = None  # whose turn: "a", "b", "together"; None on the intro
    load: bool = False  # answer: put the saved answer in the widget
    count: int = 1  # handover: private answers this partner gives in a row
    others_present: bool = True  # handover: someone else is in the room
    can_reveal: bool = False  # locked: both answers of its run are in, not yet revealed
    revealed: bool = False  # answer: a private answer both agreed to show
    kept: bool = False  # locked: its writer kept it just for them at the reveal; never shown


ERROR_QUIET = 5.0  # seconds before the same failed autosave is told again


class Saved(NamedTuple):
    """What a write of the answer on screen came to: ``ok``, and a line to tell (a failed
    write; None when it was told a moment ago and telling again would only nag)."""

    ok: bool
    notice: str | None = None


class Autosave:
    """The bookkeeping of the answer on screen: whether it changed since its last write, when
    the next write is due, and whether a failed write is worth telling.

    The screen owns the widget and a timer and asks: ``changed()`` gives the seconds until
    the write is due (a ``Debounce`` with a maximum wait: after a short pause, and at least
    twice a second while the typing goes on; 0 means now); ``flush(value)`` writes through
    ``Run.save`` if anything changed (or, ``leaving``, a first answer). A failed write
    (disk full, file read-only, workbook in use) keeps the answer unsaved, so the next
    change or move tries again; the same error is told at most every ``ERROR_QUIET``
    seconds while it keeps failing in the background (``quiet``).
    """

    def __init__(self, run: Run, *, clock: Callable[[], float] = monotonic, quiet_for: float = ERROR_QUIET) -> None:
        self.run = run
        self.clock = clock
        self.quiet_for = quiet_for
        self.debounce = Debounce()
        self.slot: int | None = None  # the slot whose answer is on screen, if any
        self.dirty_since: float | None = None  # when the first change not yet written came
        self._told: tuple[str, float] | None = None  # (the last error told, when)

    def show(self, slot: int | None) -> None:
        """Another answer (or none) is on screen: nothing of it is unsaved yet."""
        self.debounce.reset()
        self.slot = slot
        self.dirty_since = None

    def loaded(self) -> None:
        """A stored draft was put into the box: what is on screen is what is stored."""
        self.dirty_since = None

    def changed(self) -> float:
        """The answer on screen changed: the seconds until its write is due (0: write now)."""
        now = self.clock()
        if self.dirty_since is None:
            self.dirty_since = now
        return self.debounce.changed(now)

    def flush(self, value: Any, *, leaving: bool = False, quiet: bool = False) -> Saved:
        """Write ``value`` (the answer on screen) if it changed, or, ``leaving``, if it is a first answer."""
        from .store import WorkbookError

        self.debounce.reset()
        if self.slot is None:
            return Saved(True)
        try:
            self.run.save(self.slot, value, changed=self.dirty_since is not None, leaving=leaving)
        except WorkbookError as error:
            self.dirty_since = self.dirty_since or self.clock()
            return Saved(False, self.notice(error, quiet=quiet))
        self.dirty_since = None
        self._told = None
        return Saved(True)

    def notice(self, error: Exception, *, quiet: bool = False) -> str | None:
        """The one line telling of a failed write; None (``quiet``) when the same line was
        told less than ``quiet_for`` seconds ago."""
        message = str(error).strip().splitlines()[0] if str(error).strip() else "The workbook could not be written."
        now = self.clock()
        if quiet and self._told is not None:
            told, when = self._told
            if told == message and now - when < self.quiet_for:
                return None
        self._told = (message, now)
        return message


class Leaving(NamedTuple):
    """Going on from a page: ``hide`` the answer on screen first (a private one, given),
    then the private answers to ``reveal`` before the next page (empty for none)."""

    hide: bool
    reveal: list[Prompt]


class MarkChange(NamedTuple):
    """Marking a commitment already marked in this sitting otherwise: it is asked first."""

    commitment: Commitment
    before: str
    after: str


class Run:
    """One exercise in one sitting: the pages, the turns, the saves."""

    def __init__(
        self,
        store: Store,
        exercise: Exercise,
        sitting_id: int,
        attendees: Sequence[str],
        *,
        start_slot: int = 0,
        answer_sitting_id: int | None = None,
        step: Step | None = None,
    ) -> None:
        self.store = store
        # The step's introduction, shown on the intro page when the step is first opened.
        self.step = step
        self.exercise = exercise
        self.sitting_id = sitting_id
        self.attendees = tuple(attendees)
        self.answer_sitting_id = answer_sitting_id if answer_sitting_id is not None else sitting_id
        self.catching_up = self.answer_sitting_id != sitting_id
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
        self.pages: list[str | int] = [INTRO] + ([REVIEW] if self.review else []) + list(range(len(self.slots)))
        start = max(0, min(int(start_slot), len(self.slots) - 1)) if self.slots else 0
        self.pos = self.pages.index(start) if start_slot and self.slots else 0
        # The slot reopened from "continue" may hold a private draft the partner was still writing.
        self._resume_slot: int | None = start if start_slot and self.slots else None
        # (first prompt id of a private run, partner) once that partner has taken the
        # keyboard for the run through a hand-over; None whenever anyone else might be there.
        self.at_keys: tuple[str, str] | None = None
        self._fresh = False  # "answer again": the next hand-over is for a new answer
        self._runs = {p.id: run for run in progress.private_runs(exercise) for p in run}
        self.finished = False
        # What the partner at the keys typed into private slots since their hand-over,
        # (prompt id, partner) -> value: a locked answer is stored sealed, and Back
        # to their own earlier answer in the run shows it from here, not the file.
        self.typed: dict[tuple[str, str], Any] = {}
        self.resume_error: Exception | None = None

    # ------------------------------------------------------------- where

    @property
    def page(self) -> str | int:
        return self.pages[self.pos]

    @property
    def slot_index(self) -> int | None:
        page = self.page
        return page if isinstance(page, int) else None

    @property
    def is_last(self) -> bool:
        return self.pos + 1 >= len(self.pages)

    def prompt_numbers(self, index: int) -> tuple[int, int]:
        """(this prompt's number, prompts in all) for "prompt 3 of 7"."""
        order: list[str] = []
        for slot in self.slots:
            if slot.prompt.id not in order:
                order.append(slot.prompt.id)
        return order.index(self.slots[index].prompt.id) + 1, len(order)

    # ------------------------------------------------------------ reading

    def saved(self, partner: str, prompt_id: str) -> Any:
        answer = self.store.find_answer(self.answer_sitting_id, self.exercise.id, prompt_id, partner)
        return None if answer is None else answer.value

    def given(self, partner: str, index: int) -> bool:
        prompt = self.slots[index].prompt
        return is_answered(prompt.type, self.saved(partner, prompt.id))

    def given_count(self) -> int:
        """How many of this run's slots hold an answer."""
        return sum(1 for i, slot in enumerate(self.slots) if self.given(slot.partner, i))

    def others_answers(self, index: int) -> list[tuple[str, Any]]:
        """(partner, value) of the other partner's given answer, shown beside an ``each`` prompt."""
        slot = self.slots[index]
        prompt = slot.prompt
        if prompt.who != "each" or prompt.type == "turns":
            return []
        out = []
        for other in PARTNERS:
            if other == slot.partner:
                continue
            value = self.saved(other, prompt.id)
            if is_answered(prompt.type, value):
                out.append((other, value))
        return out

    # -------------------------------------------------------------- runs

    def _run_key(self, index: int) -> str | None:
        run = self._runs.get(self.slots[index].prompt.id)
        return run[0].id if run else None

    def keeps_keys(self, index: int) -> bool:
        """Whether slot ``index`` belongs to the partner who took the keyboard for its run."""
        slot = self.slots[index]
        return slot.prompt.is_private and self.at_keys == (self._run_key(index), slot.partner)

    def _run_slots(self, index: int) -> list[int]:
        key, partner = self._run_key(index), self.slots[index].partner
        return [i for i, s in enumerate(self.slots) if s.partner == partner and self._run_key(i) == key and key]

    def left_in_run(self, index: int) -> int:
        """How many private answers this partner gives in a row from slot ``index``."""
        return len([i for i in self._run_slots(index) if i >= index]) or 1

    def last_of_run(self, index: int) -> bool:
        key = self._run_key(index)
        return key is not None and not any(self._run_key(i) == key for i in range(index + 1, len(self.slots)))

    def due(self, index: int) -> list[Prompt]:
        """The prompts of this slot's private run with both answers in and not yet revealed."""
        due = []
        for prompt in self._runs.get(self.slots[index].prompt.id, ()):
            if not all(is_answered(prompt.type, self.saved(p, prompt.id)) for p in PARTNERS):
                continue
            if not self.store.is_revealed(self.answer_sitting_id, self.exercise.id, prompt.id):
                due.append(prompt)
        return due

    # -------------------------------------------------------------- moves

    def show(self) -> View:
        """The view of the current page; records it as the place to resume."""
        page = self.page
        if not (isinstance(page, int) and self.keeps_keys(page)):
            self.at_keys = None
        fresh, self._fresh = self._fresh, False
        self._remember(
            progress.set_resume,
            self.store,
            self.sitting_id,
            self.exercise.id,
            page if isinstance(page, int) else 0,
            answer_sitting_id=self.answer_sitting_id,
            attendees=self.attendees,
        )
        if page == INTRO:
            partner = TOGETHER if len(self.slot_attendees) > 1 else self.slot_attendees[0]
            return View(INTRO, partner=partner)
        if page == REVIEW:
            return View(REVIEW, partner=TOGETHER)
        assert isinstance(page, int)
        return self._slot_view(page, fresh=fresh)

    def _slot_view(self, index: int, *, fresh: bool) -> View:
        slot = self.slots[index]
        if not slot.prompt.is_private:
            return View("answer", index, slot.partner, load=True)
        if not fresh and self.keeps_keys(index):
            # The same partner, still at the keyboard in this run: their own answer, to edit.
            self._resume_slot = None
            return View("answer", index, slot.partner, load=True)
        self.at_keys = None
        resuming = self._resume_slot == index
        if not fresh and not resuming and self.given(slot.partner, index):
            answer = self.store.find_answer(self.answer_sitting_id, self.exercise.id, slot.prompt.id, slot.partner)
            if answer is not None and answer.revealed:
                # Revealed already: shown as revealed, here as everywhere.
                return View("answer", index, slot.partner, load=True, revealed=True)
            # Not this answer, yet the prompt was revealed: its writer kept it just for them.
            kept = self.store.is_revealed(self.answer_sitting_id, self.exercise.id, slot.prompt.id)
            return View("locked", index, slot.partner, can_reveal=not kept and bool(self.due(index)), kept=kept)
        self._fresh = fresh
        count = 1 if fresh else self.left_in_run(index)
        return View("handover", index, slot.partner, count=count, others_present=len(self.attendees) > 1)

    def handed_over(self, ready: bool) -> View | None:
        """The partner named on the hand-over took the keyboard (``ready``): their answer.

        Not ready: back one page (None; ``show()`` gives that page).
        """
        index = self.slot_index
        assert index is not None
        fresh, self._fresh = self._fresh, False
        if not ready:
            self._resume_slot = None
            if self.pos > 0:
                self.pos -= 1
            return None
        slot = self.slots[index]
        # A private answer already given is loaded back only for the partner who gave it,
        # now at the keyboard: when answering again, or when resuming their draft.
        load = fresh or self._resume_slot == index or not self.given(slot.partner, index)
        self._resume_slot = None
        self.at_keys = (self._run_key(index) or slot.prompt.id, slot.partner)
        self.typed = {}  # a new hand-over: nothing of anyone's typing carries over
        return View("answer", index, slot.partner, load=load)

    def draft(self, index: int) -> tuple[Any, bool]:
        """(the answer to load into slot ``index``'s widget, whether it is sealed and must be opened).

        A locked private answer is stored sealed: what its partner typed since their
        hand-over comes from memory; a sealed draft from an earlier run needs their passphrase.
        """
        slot = self.slots[index]
        saved = self.saved(slot.partner, slot.prompt.id)
        if is_locked(saved):
            typed = self.typed.get((slot.prompt.id, slot.partner))
            return typed, typed is None
        return saved, False

    def open_draft(self, index: int, unlocked: Any) -> Any:
        """Slot ``index``'s sealed draft, opened with its partner's lock (``unlocked``); None when
        there is none to open. From now on it is what they typed (Back shows it from memory).
        A key that does not open it raises ``WorkbookError``."""
        slot = self.slots[index]
        found = self.store.find_answer(self.answer_sitting_id, self.exercise.id, slot.prompt.id, slot.partner)
        if unlocked is None or found is None:
            return None
        value = self.store.open_value(found, unlocked)
        self.typed[(slot.prompt.id, slot.partner)] = value
        return value

    def answer_again(self) -> View:
        """Give a private answer again: a hand-over to its partner, then their answer to change."""
        index = self.slot_index
        assert index is not None
        self._fresh = True
        return self._slot_view(index, fresh=True)

    def leave_slot(self) -> list[Prompt]:
        """Going on from a slot: the private answers to reveal now (empty for none).

        A run is revealed once, on leaving its last slot, when both answers are in.
        """
        index = self.slot_index
        if index is None or not self.slots[index].prompt.is_private or not self.last_of_run(index):
            return []
        due = self.due(index)
        if due:
            self.at_keys = None
        return due

    def leave_page(self, view: View | None) -> Leaving:
        """Going on (Next) from ``view``: hide the answer first if it is private; reveal a run
        whose last slot this was, once both answers are in."""
        if view is None or view.kind != "answer" or view.slot is None:
            return Leaving(False, [])
        return Leaving(self.slots[view.slot].prompt.is_private, self.leave_slot())

    def allows(self, action: str, view: View | None) -> bool:
        """Whether the page ``view`` offers ``action``: the marks on last week's commitments,
        answering a hidden answer again, revealing a run that is due, going back."""
        kind = view.kind if view is not None else None
        if action == "review":
            return kind == REVIEW
        if action == "answer_again":
            return kind == "locked"
        if action == "reveal_now":
            return kind == "locked" and bool(view and view.can_reveal)
        if action == "back":
            return self.pos > 0
        return True

    def advance(self) -> bool:
        """Go to the next page; False when there is none (the exercise is done)."""
        if self.is_last:
            return False
        self.pos += 1
        return True

    def back(self) -> bool:
        if self.pos == 0:
            return False
        self.pos -= 1
        return True

    def finish(self) -> None:
        """The exercise is done: nothing to resume in it."""
        self.finished = True
        self._remember(progress.clear_resume, self.store)

    def _remember(self, write: Callable[..., None], *args: Any, **kwargs: Any) -> None:
        """Record where we are; a failure only costs the resume point, so it is kept in
        ``resume_error`` for the screen to mention, and the sitting goes on."""
        from .store import WorkbookError

        try:
            write(*args, **kwargs)
            self.resume_error = None
        except WorkbookError as error:
            self.resume_error = error

    # ------------------------------------------------------------- saving

    def save(self, index: int, value: Any, *, changed: bool, leaving: bool = False) -> bool:
        """Write the answer of slot ``index`` if it changed (or, leaving, if it is a first answer).

        Returns True when something was written. A failed write raises
        ``WorkbookError``; the caller keeps the answer and tries again.
        """
        slot = self.slots[index]
        prompt = slot.prompt
        if not changed:
            # Moving on from an untouched slot still records a real answer
            # (a checklist with nothing ticked means "none of these").
            if not leaving or not is_answered(prompt.type, value):
                return False
            if self.saved(slot.partner, prompt.id) is not None:
                return False
        self.store.save_answer(
            self.answer_sitting_id,
            self.exercise.id,
            prompt.id,
            slot.partner,
            value,
            prompt_type=prompt.type,
            private=prompt.is_private,
            metric=prompt.metric if prompt.is_scored else None,
            number=number_for(prompt, value),
        )
        if prompt.is_private:
            self.typed[(prompt.id, slot.partner)] = value
        return True

    # ---------------------------------------------------------- check-in

    def status_of(self, commitment: Commitment) -> str:
        return self.reviewed.get(commitment.id, commitment.status)

    def mark(self, commitment_id: int, status: str) -> None:
        """Record how a commitment went. The highlight does not move: marking is not "next"."""
        self.store.review_commitment(commitment_id, status, self.sitting_id)
        self.reviewed[commitment_id] = status

    def needs_asking(self, commitment_id: int, status: str) -> bool:
        """Changing a mark already made in this sitting asks first."""
        before = self.reviewed.get(commitment_id)
        return before is not None and before != status

    def review_change(self, commitment: Commitment, status: str) -> MarkChange | None:
        """Marking ``commitment`` as ``status``: None to mark it now, or the change (from its
        mark in this sitting to ``status``) to confirm first."""
        if not self.needs_asking(commitment.id, status):
            return None
        return MarkChange(commitment, self.status_of(commitment), status)

    # ------------------------------------------------------------- reveal

    def reveal(self, prompts: Sequence[Prompt]) -> "Reveal":
        """The consent for revealing ``prompts``; a partner with a sealed answer among them must unlock."""
        answers = {prompt.id: {p: self.saved(p, prompt.id) for p in PARTNERS} for prompt in prompts}
        locked = {p for given in answers.values() for p, value in given.items() if is_locked(value)}
        reveal = Reveal(self.store, self.answer_sitting_id, self.exercise.id, prompts, answers, locked=locked)
        reveal.exercise = self.exercise
        return reveal


class Reveal:
    """Both partners' consent to show a run of private answers side by side.

    Each partner agrees on their own. Before agreeing, a partner may keep any of
    their own answers "just for me": its words are never shown to the other,
    who sees where an answer was kept back (with two people, any display by
    question shows which). A partner in ``locked`` must ``unlock`` (on their
    own turn) before the answers are shown; until then ``pending_unlock`` names them.
    """

    def __init__(
        self,
        store: Store,
        sitting_id: int,
        exercise_id: str,
        prompts: Sequence[Prompt],
        answers: dict[str, dict[str, Any]],
        *,
        locked: Iterable[str] = (),
    ) -> None:
        self.store = store
        self.sitting_id = sitting_id
        self.exercise_id = exercise_id
        self.prompts = list(prompts)
        self.answers = answers  # prompt id -> partner -> value
        self.agreed: set[str] = set()
        self.kept: dict[str, set[str]] = {p: set() for p in PARTNERS}
        # Prompts each partner's answer is locked in (given) or, for ``locked`` alone, all of them.
        self._locked_in: dict[str, set[str]] = {p: set() for p in PARTNERS}
        for prompt_id, given in answers.items():
            for partner, value in given.items():
                if partner in self._locked_in and is_locked(value):
                    self._locked_in[partner].add(prompt_id)
        for partner in locked:
            if partner in self._locked_in and not self._locked_in[partner]:
                self._locked_in[partner] = {p.id for p in self.prompts}
        # Opened locks of partners who typed their passphrase, in memory, for this reveal only.
        self.keys: dict[str, Any] = {}
        self.revealed = False
        self.exercise: Exercise | None = None  # for the totals shown once revealed

    def totals(self) -> list[TotalLine]:
        """Once revealed: each partner's instrument totals that these answers complete."""
        if not self.revealed or self.exercise is None or not self.exercise.instruments:
            return []
        ids = {p.id for p in self.prompts}
        if not any(pid in ids for instrument in self.exercise.instruments for pid in instrument.prompts):
            return []
        return instrument_totals(self.store, self.exercise, self.sitting_id)

    def keep(self, partner: str, prompt_id: str, keep: bool = True) -> None:
        """``partner`` keeps (or no longer keeps) their answer to ``prompt_id`` just for them."""
        if self.revealed or partner in self.agreed:
            return
        if keep:
            self.kept[partner].add(prompt_id)
        else:
            self.kept[partner].discard(prompt_id)

    def agree(self, partner: str) -> None:
        if not self.revealed:
            self.agreed.add(partner)

    def unlock(self, partner: str, key: Any) -> None:
        """``partner`` typed their passphrase: ``key`` (their opened lock) opens their answers at the reveal."""
        self.keys[partner] = key

    @property
    def needs_unlock(self) -> set[str]:
        """Partners whose locked answers would be shown and who have not typed their passphrase:
        an answer kept "just for me" stays locked, so keeping every locked one needs no passphrase."""
        return {
            partner for partner, prompts in self._locked_in.items()
            if partner not in self.keys and prompts - self.kept[partner]
        }

    def cancel(self) -> None:
        """"Not now": nothing is revealed and every opened lock is dropped."""
        self.keys.clear()

    @property
    def pending_unlock(self) -> list[str]:
        return [p for p in PARTNERS if p in self.needs_unlock]

    @property
    def ready(self) -> bool:
        return self.agreed >= set(PARTNERS) and not self.needs_unlock

    def kept_count(self, partner: str) -> int:
        return len(self.kept[partner])

    def shown(self, prompt_id: str, partner: str) -> bool:
        return self.revealed and prompt_id not in self.kept[partner]

    def reveal(self) -> bool:
        """Show the answers if both agreed (and every lock is open); True once revealed."""
        if self.revealed:
            return True
        if not self.ready:
            return False
        try:
            with self.store.transaction():
                for prompt in self.prompts:
                    for partner in PARTNERS:
                        if prompt.id in self.kept[partner]:
                            self.store.keep_private(self.sitting_id, self.exercise_id, prompt.id, partner)
                    self.store.reveal(self.sitting_id, self.exercise_id, prompt.id, keys=self.keys)
        finally:
            self.keys.clear()
        # Locked answers are plain now: show them as stored.
        for prompt in self.prompts:
            given = self.answers.setdefault(prompt.id, {})
            for partner in PARTNERS:
                if is_locked(given.get(partner)):
                    answer = self.store.find_answer(self.sitting_id, self.exercise_id, prompt.id, partner)
                    given[partner] = answer.value if answer is not None else None
        self.revealed = True
        return True


def calming_plans(store: Store, exercise_id: str, prompt_id: str) -> list[tuple[str, str]]:
    """``(partner, plan)``: each partner's latest plan for calming down that both may read.

    Read as every shared reading is (``Answer.revealed``): an answer given in front of
    the other, or a private one revealed and not kept "just for me"; never one still private.
    """
    latest: dict[str, str] = {}
    for answer in store.answers_for_prompt(exercise_id, prompt_id):
        if answer.partner not in PARTNERS or not answer.revealed:
            continue
        value = answer.value
        what = str(value.get("what") or "").strip() if isinstance(value, dict) else str(value or "").strip()
        if what:
            latest[answer.partner] = what  # oldest first: the last one is the latest
    return [(p, latest[p]) for p in PARTNERS if p in latest]


class TimeOut:
    """A break: it ends when the timer runs out, or sooner only when everyone present agrees.

    ``minutes`` is this break's length; changing it changes this break only.
    ``clock`` is ``time.monotonic`` unless a test gives another.
    """

    STEP = 5
    MAX = 120

    def __init__(self, minutes: int, present: Sequence[str], *, clock: Callable[[], float] = monotonic) -> None:
        self.clock = clock
        self.minutes = minutes
        self.present = tuple(p for p in PARTNERS if p in present) or PARTNERS
        self.ends_at = clock() + minutes * 60
        self.agreed: set[str] = set()

    @property
    def remaining(self) -> float:
        return max(0.0, self.ends_at - self.clock())

    @property
    def over(self) -> bool:
        return self.remaining <= 0 or self.agreed >= set(self.present)

    def adjust(self, delta: int) -> int:
        """Make this break ``delta`` minutes longer or shorter (5 to 120 in all); the change made.

        Only while it runs: once it is over, nothing changes (adding time then
        would start a new countdown nobody asked for; the screen waits for them anyway).
        """
        if self.over:
            return 0
        new = min(self.MAX, max(self.STEP, self.minutes + delta))
        change = new - self.minutes
        self.minutes = new
        self.ends_at = max(self.clock(), self.ends_at + change * 60)
        return change

    def agree(self, partner: str) -> bool:
        """``partner`` is ready to go back; True when the break is over."""
        if partner in self.present:
            self.agreed.add(partner)
        return self.over

    def waiting_for(self) -> list[str]:
        return [p for p in self.present if p not in self.agreed]
