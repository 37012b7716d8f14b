"""The sitting engine (relworkbook/sitting.py), without Textual: its rules, and a state machine.

The state machine drives ``sitting.Run`` through random sequences of what people
do (who is here, answer, skip, back, hand over, reveal or refuse, keep answers
just for me, answer again, end the exercise, close and reopen the workbook)
and checks after every step that no private answer shows before both agreed
(in the file, and on the page the engine gives: only its own partner, at the
keys, sees an answer not revealed), that nothing given is lost, that what was
revealed stays revealed, that a finished sitting is never reopened (ended as
the app ends it, also when its resume point could not be cleared), and that a
sitting for one offers nothing shared and leaves the other's part waiting.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from relworkbook import kinds, progress
from relworkbook.catalog import load_dir
from relworkbook.model import PARTNERS, TOGETHER
from relworkbook.sitting import Run, TimeOut, end_sitting
from relworkbook.store import Store, WorkbookError

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
CATALOG = load_dir(FIXTURES)
EXERCISES = [ex.id for ex in CATALOG.exercises]


def test_the_engine_imports_no_textual():
    code = (
        "import sys; import relworkbook.sitting, relworkbook.kinds, relworkbook.progress; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "w.db")
    s.set_couple("Alex", "#cc3366", "Sam", "dodgerblue")
    yield s
    s.close()


def _answer_run(run: Run) -> None:
    """Give every answer of ``run`` in order (hand-overs accepted), stopping at the first reveal."""
    view = run.show()
    while True:
        if view.kind == "handover":
            view = run.handed_over(True)
        if view.kind == "answer":
            prompt = run.slots[view.slot].prompt
            run.save(view.slot, kinds.kind(prompt.type).example(prompt), changed=True)
            if run.leave_slot():
                return
        if not run.advance():
            return
        view = run.show()


def test_a_kept_answer_stays_unrevealed_and_unsearchable_while_the_rest_is_revealed(store):
    """The engine's side of "keep just for me": the kept answer is not revealed, counted,
    recorded as kept, and not searchable. (With two people, the reveal shows which
    question has one answer missing; on screen: test_reveal_keep_screen.)"""
    sitting = store.start_sitting(("a", "b"))
    exercise = CATALOG.exercise("fx-hopes")
    run = Run(store, exercise, sitting.id, ("a", "b"))
    _answer_run(run)
    due = run.due(run.slot_index)
    assert [p.id for p in due] == ["ready"]
    reveal = run.reveal(due)
    reveal.keep("b", "ready")
    reveal.agree("a")
    assert not reveal.reveal()  # one agreement is not enough
    assert not store.is_revealed(sitting.id, exercise.id, "ready")
    reveal.agree("b")
    reveal.keep("b", "ready", False)  # too late: b has agreed with it kept
    assert reveal.reveal()
    assert reveal.kept_count("b") == 1 and reveal.kept_count("a") == 0
    assert reveal.shown("ready", "a") and not reveal.shown("ready", "b")
    a = store.find_answer(sitting.id, exercise.id, "ready", "a")
    b = store.find_answer(sitting.id, exercise.id, "ready", "b")
    assert a.revealed and not b.revealed
    assert store.kept_private(sitting.id) == [(exercise.id, "ready", "b")]
    # Nowhere to be found: not in search, not in a recap, not in an export's visible text.
    assert not any(hit.partner == "b" and hit.prompt_id == "ready" for hit in store.search("Ready"))


def test_a_time_out_ends_when_everyone_present_agrees_or_the_timer_runs_out():
    now = [0.0]
    both = TimeOut(20, ("a", "b"), clock=lambda: now[0])
    assert not both.agree("a") and both.waiting_for() == ["b"]
    assert both.agree("b") and both.over
    alone = TimeOut(20, ("b",), clock=lambda: now[0])
    assert not alone.agree("a")  # someone not here cannot end it
    assert alone.agree("b")
    timer = TimeOut(20, ("a", "b"), clock=lambda: now[0])
    timer.adjust(-5)
    assert timer.minutes == 15
    now[0] = 15 * 60 - 1
    assert not timer.over
    now[0] += 1
    assert timer.over


def test_marking_a_commitment_keeps_the_place_and_a_change_asks_first(store):
    first = store.start_sitting(("a", "b"))
    store.add_commitment(first.id, "fx-checkin", "plan", "Walk after dinner", "both", None)
    store.add_commitment(first.id, "fx-checkin", "plan", "Call mum", "a", None)
    store.end_sitting(first.id)
    second = store.start_sitting(("a", "b"))
    run = Run(store, CATALOG.exercise("fx-checkin"), second.id, ("a", "b"))
    assert len(run.review) == 2
    walk = run.review[0]
    assert not run.needs_asking(walk.id, "kept")
    run.mark(walk.id, "kept")
    assert not run.needs_asking(walk.id, "kept")
    assert run.needs_asking(walk.id, "not_kept")


# ------------------------------------------------------------------ the state machine


@contextlib.contextmanager
def _failing_setting(store: Store, key: str):
    """Writing the setting ``key`` fails (as on a full disk) while inside."""
    write = store.set_setting

    def failing(name, value):
        if name == key:
            raise WorkbookError("The workbook could not be written: disk full.")
        return write(name, value)

    store.set_setting = failing
    try:
        yield
    finally:
        del store.set_setting


class SittingMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="relworkbook-sm-"))
        self.db = self.folder / "w.db"
        self.store = Store.open(self.db)
        self.store.set_couple("Alex", "#cc3366", "Sam", "dodgerblue")
        self.run: Run | None = None
        self.view = None
        self.sitting_id: int | None = None
        self.attendees: tuple[str, ...] = ()
        self.given: dict[tuple[int, str, str, str], object] = {}
        self.agreed: set[tuple[int, str, str]] = set()  # (sitting, exercise, prompt) both agreed to show
        self.kept: set[tuple[int, str, str, str]] = set()
        self.finished: set[int] = set()
        self.answered_now: int | None = None  # the slot answered on screen, before moving on

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # ---- a history to start from: one whole exercise, revealed, one answer kept back

    @initialize(keep=st.sampled_from([("a",), ("b",), ()]), end=st.booleans())
    def a_sitting_already_done(self, keep, end):
        self.open_exercise(("a", "b"), "fx-hopes")
        for _ in range(20):
            if self.run is None:
                break
            self.carry_on(("a", "b"), keep)
        assert self.agreed, "the whole exercise reaches its reveal"
        if end:
            self.end_sitting()

    # ---- who is here, and which exercise

    @precondition(lambda self: self.run is None)
    @rule(attendees=st.sampled_from([("a", "b"), ("a",), ("b",)]), exercise=st.sampled_from(EXERCISES))
    def open_exercise(self, attendees, exercise):
        if self.sitting_id is None:
            self.sitting_id = self.store.start_sitting(attendees).id
            self.attendees = attendees
        self.run = Run(self.store, CATALOG.exercise(exercise), self.sitting_id, self.attendees)
        self.view = self.run.show()

    # ---- at the keys

    @precondition(lambda self: self.view is not None and self.view.kind == "handover")
    @rule(ready=st.booleans())
    def hand_over(self, ready):
        view = self.run.handed_over(ready)
        self.view = view if view is not None else self.run.show()

    @precondition(lambda self: self.view is not None and self.view.kind == "answer")
    @rule(data=st.data())
    def answer(self, data):
        slot = self.run.slots[self.view.slot]
        prompt = slot.prompt
        example = kinds.kind(prompt.type).example(prompt)
        value = data.draw(st.sampled_from([example, example]) if prompt.type != "text" else st.text(min_size=1, max_size=8).filter(str.strip))
        self.run.save(self.view.slot, value, changed=True)
        self.given[(self.run.answer_sitting_id, self.run.exercise.id, prompt.id, slot.partner)] = value

    @precondition(lambda self: self.view is not None and self.view.kind == "locked")
    @rule()
    def answer_again(self):
        self.view = self.run.answer_again()

    @precondition(lambda self: self.view is not None and self.view.kind != "handover")
    @rule(agree=st.sampled_from([(), ("a",), ("b",), ("a", "b")]), keep=st.sampled_from([(), ("a",), ("b",)]))
    def next(self, agree, keep):
        due = self.run.leave_slot() if self.view.kind == "answer" else []
        if due:
            reveal = self.run.reveal(due)
            for partner in keep:
                reveal.keep(partner, due[0].id)
            for partner in agree:
                reveal.agree(partner)
            if reveal.reveal():
                event("revealed at the end of a run")
                for prompt in due:
                    self.agreed.add((self.run.answer_sitting_id, self.run.exercise.id, prompt.id))
                for partner in keep:
                    self.kept.add((self.run.answer_sitting_id, self.run.exercise.id, due[0].id, partner))
        if not self.run.advance():
            event("an exercise finished")
            self.run.finish()
            self.run = self.view = None
            return
        self.view = self.run.show()

    @precondition(lambda self: self.view is not None)
    @rule(agree=st.sampled_from([("a", "b"), ("a", "b"), ("a",), ()]), keep=st.sampled_from([(), (), ("a",), ("b",)]))
    def carry_on(self, agree, keep):
        """What people mostly do: take the keyboard, answer, go on (so runs reach their reveal)."""
        if self.view.kind == "handover":
            self.hand_over(True)
        if self.view.kind == "answer":
            slot = self.run.slots[self.view.slot]
            value = kinds.kind(slot.prompt.type).example(slot.prompt)
            self.run.save(self.view.slot, value, changed=True)
            self.given[(self.run.answer_sitting_id, self.run.exercise.id, slot.prompt.id, slot.partner)] = value
        self.next(agree, keep)

    @precondition(lambda self: self.view is not None and self.view.kind != "handover")
    @rule()
    def back(self):
        self.run.back()
        self.view = self.run.show()

    @precondition(lambda self: self.run is not None and self.view is not None and self.view.kind == "locked")
    @rule()
    def reveal_now(self):
        due = self.run.due(self.run.slot_index)
        if due:
            reveal = self.run.reveal(due)
            reveal.agree("a")
            reveal.agree("b")
            assert reveal.reveal()
            for prompt in due:
                self.agreed.add((self.run.answer_sitting_id, self.run.exercise.id, prompt.id))

    # ---- a time-out, and continuing where they left off

    @precondition(lambda self: self.view is None or self.view.kind != "handover")
    @rule(ready=st.lists(st.sampled_from(["a", "b"]), max_size=3), minutes=st.integers(-10, 10))
    def time_out(self, ready, minutes):
        clock = [0.0]
        present = self.attendees or ("a", "b")
        pause = TimeOut(20, present, clock=lambda: clock[0])
        pause.adjust(minutes)
        for partner in ready:
            pause.agree(partner)
        assert pause.over == (set(pause.present) <= set(ready))  # only everyone present ends it early
        clock[0] = pause.minutes * 60
        assert pause.over  # and the timer always does
        if self.run is not None:  # back exactly where they were
            self.view = self.run.show() if self.view is None or self.view.kind != "answer" else self.view

    @precondition(lambda self: self.run is None)
    @rule()
    def continue_where_they_left_off(self):
        resume = progress.get_resume(self.store)
        if resume is None:
            return
        assert resume["sitting_id"] not in self.finished
        exercise = CATALOG.exercise(resume["exercise_id"])
        self.run = Run(self.store, exercise, resume["sitting_id"], resume["attendees"], start_slot=resume["slot"])
        self.view = self.run.show()

    # ---- the workbook

    @rule()
    def close_and_reopen(self):
        resume = progress.get_resume(self.store) if self.run is not None else None
        self.store.close()
        self.store = Store.open(self.db)
        if self.run is not None and resume:
            exercise = CATALOG.exercise(resume["exercise_id"])
            self.run = Run(self.store, exercise, resume["sitting_id"], resume["attendees"], start_slot=resume["slot"])
            self.view = self.run.show()
        else:
            self.run = self.view = None

    @precondition(lambda self: self.sitting_id is not None and (self.view is None or self.view.kind != "handover"))
    @rule(resume_write_fails=st.booleans())
    def end_sitting(self, resume_write_fails=False):
        """As the app does (``sitting.end_sitting``); the resume point's write may fail, as a full
        disk would make it, and the app goes on: the ended sitting must not be resumed all the same."""
        if resume_write_fails:
            with _failing_setting(self.store, progress.RESUME_KEY):
                end_sitting(self.store, self.sitting_id)
        else:
            end_sitting(self.store, self.sitting_id)
        self.finished.add(self.sitting_id)
        self.sitting_id = None
        self.run = self.view = None

    # ---- invariants

    @invariant()
    def no_private_answer_shows_before_both_agreed(self):
        for sitting in self.store.list_sittings():
            for answer in self.store.answers_for_sitting(sitting.id):
                if not answer.private:
                    continue
                key = (answer.sitting_id, answer.exercise_id, answer.prompt_id)
                if answer.revealed:
                    assert key in self.agreed
                    assert key + (answer.partner,) not in self.kept

    @invariant()
    def what_was_revealed_stays_revealed(self):
        for sitting_id, exercise_id, prompt_id in self.agreed:
            assert self.store.is_revealed(sitting_id, exercise_id, prompt_id)

    @invariant()
    def nothing_given_is_lost(self):
        for (sitting_id, exercise_id, prompt_id, partner), value in self.given.items():
            answer = self.store.find_answer(sitting_id, exercise_id, prompt_id, partner)
            assert answer is not None and answer.value == value

    @invariant()
    def a_finished_sitting_is_never_reopened(self):
        open_one = self.store.open_sitting()
        assert open_one is None or open_one.id not in self.finished
        if self.run is not None:
            assert self.run.sitting_id not in self.finished

    @invariant()
    def a_locked_page_never_holds_the_answer(self):
        if self.view is not None and self.view.kind in ("handover", "locked"):
            assert not self.view.load

    @invariant()
    def a_private_answer_not_revealed_is_shown_only_to_its_partner_at_the_keys(self):
        """What the engine shows, not only what the file says: a private answer that is in and
        not revealed (or kept just for me) is loaded onto the screen only for its own partner,
        once they took the keyboard for it through a hand-over (``at_keys``)."""
        run, view = self.run, self.view
        if run is None or view is None or view.kind != "answer" or not view.load:
            return
        slot = run.slots[view.slot]
        if not slot.prompt.is_private:
            return
        answer = self.store.find_answer(run.answer_sitting_id, run.exercise.id, slot.prompt.id, slot.partner)
        if answer is None or answer.revealed:
            return
        assert run.keeps_keys(view.slot), f"{slot.partner}'s unrevealed {slot.prompt.id!r} shown without a hand-over"
        assert run.at_keys is not None and run.at_keys[1] == slot.partner

    @invariant()
    def every_slot_is_answered_skipped_or_waiting(self):
        if self.run is None:
            return
        run = self.run
        slot_partners = {s.partner for s in run.slots}
        assert slot_partners <= set(run.slot_attendees) | {TOGETHER}
        for slot in run.slots:
            if slot.prompt.type == "turns":
                assert len(run.slot_attendees) == 2
        if len(run.slot_attendees) != 1:
            return
        # A solo sitting: every slot is the partner who is here; nothing shared is offered to
        # them (it waits for both); and what the absent partner owes waits for them on Home.
        (here,) = run.slot_attendees
        assert slot_partners <= {here}
        slotted = {s.prompt.id for s in run.slots}
        for prompt in run.exercise.prompts:
            assert prompt.id in slotted or progress.is_shared(prompt)
        absent = "b" if here == "a" else "a"
        owed = [p for p in run.exercise.prompts if not progress.is_shared(p) and not p.optional]
        given = [a for a in self.store.answers_for_sitting(run.answer_sitting_id) if a.exercise_id == run.exercise.id]
        if owed and given and run.exercise.kind != "checkin":
            waiting = progress.pending_for(self.store, CATALOG, absent)
            assert (run.answer_sitting_id, run.exercise) in waiting


SittingMachine.TestCase.settings = settings(max_examples=50, stateful_step_count=40)
TestSittingMachine = SittingMachine.TestCase


def test_who_is_here_joins_the_open_sitting_or_starts_one_never_an_ended_one(store):
    from relworkbook.sitting import join_sitting

    first = join_sitting(store, ("b", "a"))
    assert store.get_sitting(first).attendees == ("a", "b")
    assert join_sitting(store, ("a",)) == first and store.get_sitting(first).attendees == ("a",)
    store.end_sitting(first)
    second = join_sitting(store, ("a", "b"))
    assert second != first and store.get_sitting(second).ended is None


# ------------------------------------------------------------ what the screen asks the engine


def test_changing_a_mark_names_the_change_to_confirm(store):
    first = store.start_sitting(("a", "b"))
    store.add_commitment(first.id, "fx-checkin", "plan", "Walk after dinner", "both", None)
    store.end_sitting(first.id)
    second = store.start_sitting(("a", "b"))
    run = Run(store, CATALOG.exercise("fx-checkin"), second.id, ("a", "b"))
    (walk,) = run.review
    assert run.review_change(walk, "kept") is None  # a first mark is made at once
    run.mark(walk.id, "kept")
    assert run.review_change(walk, "kept") is None  # the same mark again: nothing changes
    change = run.review_change(walk, "not_kept")
    assert (change.commitment.id, change.before, change.after) == (walk.id, "kept", "not_kept")


def test_autosave_writes_after_a_pause_at_most_a_moment_late_and_tells_a_failure_once_in_a_while(store):
    from relworkbook.sitting import ERROR_QUIET, Autosave

    from relworkbook.debounce import SAVE_QUIET

    now = [0.0]
    sitting = store.start_sitting(("a", "b"))
    run = Run(store, CATALOG.exercise("fx-hopes"), sitting.id, ("a", "b"))
    run.advance()
    saving = Autosave(run, clock=lambda: now[0])
    saving.show(0)
    assert saving.flush("untouched").ok and run.saved("a", "hope") is None  # nothing changed
    assert saving.changed() == SAVE_QUIET
    now[0] = 0.25
    assert 0 < saving.changed() < SAVE_QUIET  # typing goes on: the write is not put off past the longest wait
    now[0] = 0.5
    assert saving.changed() == 0  # write now
    assert saving.flush("picnics") == (True, None) and run.saved("a", "hope") == "picnics"
    assert saving.dirty_since is None
    assert saving.flush("more", leaving=True).ok and run.saved("a", "hope") == "picnics"  # unchanged, given: kept

    def full(*args, **kwargs):
        raise WorkbookError("The disk is full.\nmore detail")

    store.save_answer, write = full, store.save_answer
    saving.changed()
    assert saving.flush("picnics and walks", quiet=True) == (False, "The disk is full.")
    assert saving.dirty_since is not None  # still unsaved: the next try writes it
    now[0] += 1
    assert saving.flush("picnics and walks", quiet=True) == (False, None)  # told a moment ago
    assert saving.flush("picnics and walks") == (False, "The disk is full.")  # a move always tells
    now[0] += ERROR_QUIET
    assert saving.flush("picnics and walks", quiet=True) == (False, "The disk is full.")
    store.save_answer = write
    assert saving.flush("picnics and walks", quiet=True) == (True, None)
    assert run.saved("a", "hope") == "picnics and walks"
    saving.show(None)  # nothing on screen: nothing to write
    assert saving.flush(None).ok


def test_what_a_page_offers_and_what_going_on_from_it_does(store):
    sitting = store.start_sitting(("a", "b"))
    run = Run(store, CATALOG.exercise("fx-hopes"), sitting.id, ("a", "b"))
    intro = run.show()
    assert not run.allows("back", intro) and not run.allows("review", intro)
    assert run.leave_page(intro) == (False, [])
    _answer_run(run)  # up to b's 'ready', the end of the private run: due to reveal
    index = run.slot_index
    view = run.show()
    assert view.kind == "locked" and run.allows("back", view) and run.allows("answer_again", view)
    assert run.allows("reveal_now", view) and not run.allows("review", view)
    run.pos = run.pages.index(index)
    run.at_keys = ("ready", "b")  # b at the keys, answer on screen
    leaving = run.leave_page(run.show())
    assert leaving.hide and [p.id for p in leaving.reveal] == ["ready"]
    assert run.at_keys is None  # the reveal is for both: nobody keeps the keys
    run.advance()
    habits = run.show()
    assert habits.kind == "answer" and run.leave_page(habits) == (False, [])


def test_answer_again_hands_over_and_then_loads_the_given_answer(store):
    sitting = store.start_sitting(("a", "b"))
    run = Run(store, CATALOG.exercise("fx-hopes"), sitting.id, ("a", "b"))
    ready_a = next(i for i, s in enumerate(run.slots) if s.prompt.id == "ready" and s.partner == "a")
    run.pos = run.pages.index(ready_a)
    assert run.show().kind == "handover"
    view = run.handed_over(True)
    run.save(view.slot, "Unsure", changed=True)
    run.advance()
    run.show()  # b's hand-over: a has left the keys
    run.back()
    assert run.show().kind == "locked"  # a's answer is in, hidden
    again = run.answer_again()
    assert (again.kind, again.partner, again.count, again.load) == ("handover", "a", 1, False)
    view = run.handed_over(True)
    assert (view.kind, view.slot, view.load) == ("answer", ready_a, True)
    assert run.draft(view.slot) == ("Unsure", False)  # the box starts with the given answer
    assert run.keeps_keys(ready_a)


def test_a_step_intro_shows_only_when_its_step_is_first_opened(store):
    from relworkbook.sitting import step_to_introduce

    hopes = CATALOG.exercise("fx-hopes")
    step = step_to_introduce(store, CATALOG, hopes)
    assert step is not None and step.id == hopes.step and step.intro
    assert step_to_introduce(store, CATALOG, hopes, start_slot=2) is None  # picked up midway
    sitting = store.start_sitting(("a", "b"))
    store.save_answer(sitting.id, "fx-hopes", "hope", "a", "More walks", prompt_type="text")
    assert step_to_introduce(store, CATALOG, hopes) is None  # the step has begun
    other = next(ex for ex in CATALOG.exercises if ex.step != hopes.step)
    assert step_to_introduce(store, CATALOG, other) is not None  # another step: still new


def test_a_sealed_draft_opens_only_with_its_partners_lock_and_is_then_what_they_typed(store):
    store.set_lock("a", "correct horse battery staple")
    sitting = store.start_sitting(("a", "b"))
    run = Run(store, CATALOG.exercise("fx-hopes"), sitting.id, ("a", "b"))
    ready_a = next(i for i, s in enumerate(run.slots) if s.prompt.id == "ready" and s.partner == "a")
    run.save(ready_a, "Unsure", changed=True)
    again = Run(store, CATALOG.exercise("fx-hopes"), sitting.id, ("a", "b"), start_slot=ready_a)
    assert again.draft(ready_a) == (None, True)  # sealed in the file, nothing typed since
    assert again.open_draft(ready_a, None) is None  # no passphrase: it stays locked
    store.set_lock("b", "another long passphrase here")
    with pytest.raises(WorkbookError):  # the other partner's lock does not open it
        again.open_draft(ready_a, store.unlock("b", "another long passphrase here"))
    key = store.unlock("a", "correct horse battery staple")
    assert again.open_draft(ready_a, key) == "Unsure"
    assert again.draft(ready_a) == ("Unsure", False)
