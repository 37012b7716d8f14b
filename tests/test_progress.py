"""progress.py: slot order, what is done, what waits for an absent partner, resume.

Real Store in tmp_path and the fixture catalogue; no Textual anywhere here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from relworkbook import kinds, progress
from relworkbook.catalog import load_dir
from relworkbook.model import Exercise, Prompt
from relworkbook.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


@pytest.fixture
def catalog():
    return load_dir(FIXTURES)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "workbook.db")
    s.set_couple("Alex", "#cc3366", "Sam", "dodgerblue")
    yield s
    s.close()


def _ex(*prompts: Prompt) -> Exercise:
    return Exercise(id="x", title="X", step="s", intro="", minutes=5, prompts=prompts)


def _keys(slots):
    return [(s.prompt.id, s.partner) for s in slots]


def test_slot_order_each_private_together_turns():
    ex = _ex(
        Prompt("e", "text", "?", who="each"),
        Prompt("t", "text", "?", who="together"),
        Prompt("p", "scale", "?", who="private", min=1, max=10),
        Prompt("l", "turns", "?", rounds=2),
    )
    # attendees order does not matter: a answers first
    assert _keys(progress.slots(ex, ("b", "a"))) == [
        ("e", "a"), ("e", "b"), ("t", "together"), ("p", "a"), ("p", "b"), ("l", "together"),
    ]
    # a solo sitting: own slots only; together answers and listening turns wait for both
    assert _keys(progress.slots(ex, ("b",))) == [("e", "b"), ("p", "b")]
    # catching up: only one's own part
    assert _keys(progress.slots(ex, ("b",), own_only=True)) == [("e", "b"), ("p", "b")]


def test_a_run_of_private_prompts_goes_partner_by_partner():
    ex = _ex(
        Prompt("e", "text", "?", who="each"),
        Prompt("p1", "scale", "?", who="private", min=1, max=10),
        Prompt("p2", "text", "?", who="private"),
        Prompt("p3", "choice", "?", who="private", options=("x", "y")),
        Prompt("t", "text", "?", who="together"),
        Prompt("q", "scale", "?", who="private", min=1, max=10),
        Prompt("e2", "text", "?", who="each"),
        Prompt("r1", "text", "?", who="private"),
        Prompt("r2", "text", "?", who="private"),
    )
    # one hand-over each way per run: a answers the whole run, then b
    assert _keys(progress.slots(ex, ("a", "b"))) == [
        ("e", "a"), ("e", "b"),
        ("p1", "a"), ("p2", "a"), ("p3", "a"), ("p1", "b"), ("p2", "b"), ("p3", "b"),
        ("t", "together"),
        ("q", "a"), ("q", "b"),
        ("e2", "a"), ("e2", "b"),
        ("r1", "a"), ("r2", "a"), ("r1", "b"), ("r2", "b"),
    ]
    assert _keys(progress.slots(ex, ("b",))) == [
        ("e", "b"), ("p1", "b"), ("p2", "b"), ("p3", "b"), ("q", "b"),
        ("e2", "b"), ("r1", "b"), ("r2", "b"),
    ]
    assert [tuple(p.id for p in run) for run in progress.private_runs(ex)] == [
        ("p1", "p2", "p3"), ("q",), ("r1", "r2"),
    ]
    assert [p.id for p in progress.run_of(ex, "p2")] == ["p1", "p2", "p3"]
    assert progress.run_of(ex, "e") == ()


def test_is_answered_per_type():
    assert not kinds.is_answered("text", "   ")
    assert kinds.is_answered("text", "hi")
    assert kinds.is_answered("scale", 0)
    assert not kinds.is_answered("scale", None)
    assert kinds.is_answered("checklist", [])
    assert not kinds.is_answered("template", {"a": "", "b": " "})
    assert kinds.is_answered("template", {"a": "x"})
    assert not kinds.is_answered("commitment", {"what": "", "owner": "a", "due": None})
    assert kinds.is_answered("turns", [{"speaker": "a", "said": "x"}])
    assert not kinds.is_answered("choice", None)


def _answer_hopes(store, sitting_id, partner):
    store.save_answer(sitting_id, "fx-hopes", "hope", partner, f"hope of {partner}", prompt_type="text")
    store.save_answer(sitting_id, "fx-hopes", "ready", partner, "Ready", prompt_type="choice", private=True)
    store.save_answer(
        sitting_id, "fx-hopes", "habits", partner, ["Saying thank you"],
        prompt_type="checklist", metric="kind-habits", number=1,
    )


def test_done_progress_and_next(store, catalog):
    hopes = catalog.exercise("fx-hopes")
    assert progress.next_exercise(store, catalog).id == "fx-hopes"
    sitting = store.start_sitting(("a", "b"))
    _answer_hopes(store, sitting.id, "a")
    assert not progress.exercise_done(store, hopes)  # b has not answered
    _answer_hopes(store, sitting.id, "b")
    assert progress.exercise_done(store, hopes)
    assert progress.step_progress(store, catalog) == {
        "getting-started": (1, 1), "talking-together": (0, 1), "weekly-meeting": (0, 1),
    }
    assert progress.next_exercise(store, catalog).id == "fx-i-statements"
    # the optional commitment is not needed for "done"
    store.save_answer(sitting.id, "fx-i-statements", "feeling", "a", {"feeling": "tired"}, prompt_type="template")
    store.save_answer(sitting.id, "fx-i-statements", "feeling", "b", {"feeling": "ok"}, prompt_type="template")
    store.save_answer(
        sitting.id, "fx-i-statements", "listen", "together",
        [{"speaker": "a", "said": "x", "paraphrase": "y", "confirmed": True, "correction": ""}],
        prompt_type="turns",
    )
    assert progress.exercise_done(store, catalog.exercise("fx-i-statements"))
    # with every exercise done the suggestion is the check-in
    assert progress.next_exercise(store, catalog).id == "fx-checkin"


def test_empty_draft_is_not_done(store, catalog):
    sitting = store.start_sitting(("a", "b"))
    _answer_hopes(store, sitting.id, "a")
    _answer_hopes(store, sitting.id, "b")
    store.save_answer(sitting.id, "fx-hopes", "hope", "b", "  ", prompt_type="text")
    assert not progress.exercise_done(store, catalog.exercise("fx-hopes"))


def test_pending_for_absent_partner(store, catalog):
    solo = store.start_sitting(("a",))
    _answer_hopes(store, solo.id, "a")
    store.end_sitting(solo.id)
    pending = progress.pending_for(store, catalog, "b")
    assert [(sid, ex.id) for sid, ex in pending] == [(solo.id, "fx-hopes")]
    assert progress.pending_for(store, catalog, "a") == []
    # b answers later, into the original sitting: nothing pending any more
    later = store.start_sitting(("a", "b"))
    store.save_answer(solo.id, "fx-hopes", "hope", "b", "mine", prompt_type="text")
    assert progress.pending_for(store, catalog, "b") != []  # still owes ready and habits
    store.save_answer(solo.id, "fx-hopes", "ready", "b", "Unsure", prompt_type="choice", private=True)
    store.save_answer(solo.id, "fx-hopes", "habits", "b", [], prompt_type="checklist")
    assert progress.pending_for(store, catalog, "b") == []
    assert later.id != solo.id


def test_solo_checkin_is_not_carried_over(store, catalog):
    solo = store.start_sitting(("a",))
    store.save_answer(solo.id, "fx-checkin", "thanks", "a", "you cooked", prompt_type="text")
    assert progress.pending_for(store, catalog, "b") == []


def test_resume_round_trip(store):
    assert progress.get_resume(store) is None
    first, now, later = (store.start_sitting(("a", "b")) for _ in range(3))
    progress.set_resume(store, now.id, "fx-hopes", 2, answer_sitting_id=first.id, attendees=("a", "b"))
    assert progress.get_resume(store) == {
        "sitting_id": now.id, "exercise_id": "fx-hopes", "slot": 2, "answer_sitting_id": first.id,
        "attendees": ("a", "b"),
    }
    progress.set_resume(store, later.id, "fx-checkin", 0)
    assert progress.get_resume(store)["answer_sitting_id"] == later.id
    store.end_sitting(later.id)
    assert progress.get_resume(store) is None  # never back into an ended sitting
    progress.set_resume(store, 99, "fx-checkin", 0)
    assert progress.get_resume(store) is None  # nor into one that does not exist
    progress.clear_resume(store)
    assert progress.get_resume(store) is None
    store.set_setting("resume", {"junk": 1})
    assert progress.get_resume(store) is None


def test_progress_does_not_import_textual():
    code = "import sys, relworkbook.progress; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_checkin_done_by_a_recent_complete_sitting(store, catalog):
    checkin = catalog.exercise("fx-checkin")
    assert not progress.exercise_done(store, checkin)
    sitting = store.start_sitting(("a", "b"))
    for partner in ("a", "b"):
        for prompt_id, ptype, value in (("communication", "scale", 6), ("closeness", "scale", 7), ("thanks", "text", "tea")):
            store.save_answer(sitting.id, "fx-checkin", prompt_id, partner, value, prompt_type=ptype)
    assert not progress.exercise_done(store, checkin)  # the shared commitment is missing
    store.save_answer(
        sitting.id, "fx-checkin", "next-step", "together", {"what": "walk", "owner": "both", "due": None},
        prompt_type="commitment",
    )
    assert progress.exercise_done(store, checkin)
    assert progress.step_progress(store, catalog)["weekly-meeting"] == (1, 1)


def test_a_solo_checkin_is_complete_for_who_was_there(store, catalog):
    """The shared commitment waits for both, so one partner alone completes their own part."""
    checkin = catalog.exercise("fx-checkin")
    sitting = store.start_sitting(("a",))
    for prompt_id, ptype, value in (("communication", "scale", 6), ("closeness", "scale", 7)):
        store.save_answer(sitting.id, "fx-checkin", prompt_id, "a", value, prompt_type=ptype)
    assert not progress.exercise_done(store, checkin)
    store.save_answer(sitting.id, "fx-checkin", "thanks", "a", "tea", prompt_type="text")
    assert progress.exercise_done(store, checkin)


SHIPPED = Path(__file__).resolve().parents[1] / "exercises"


def test_an_unsure_answer_suggests_the_unsure_exercise_once_it_may_be_seen(store):
    """Issue 15: "I am not sure I want to try" makes "When one of us is unsure" the next step,
    but Home (a shared screen) only says so once the private answer is revealed."""
    catalog = load_dir(SHIPPED)
    assert not catalog.errors, catalog.errors
    first = progress.next_exercise(store, catalog)
    assert first is not None and first.id != "byb-unsure"
    sitting = store.start_sitting(["a", "b"])
    store.save_answer(sitting.id, "byb-readiness", "where", "a", "I am not sure I want to try",
                      prompt_type="choice", private=True)
    store.save_answer(sitting.id, "byb-readiness", "where", "b", "I am ready to put real effort in",
                      prompt_type="choice", private=True)
    assert progress.suggested(store, catalog) == []
    assert progress.next_exercise(store, catalog).id == first.id  # nothing hinted before the reveal
    store.reveal(sitting.id, "byb-readiness", "where")
    assert [e.id for e in progress.suggested(store, catalog)] == ["byb-unsure"]
    assert progress.next_exercise(store, catalog).id == "byb-unsure"
    assert progress.next_exercise(store, catalog, done={"byb-unsure"}).id == first.id


def test_a_shared_answer_suggests_at_once(store):
    catalog = load_dir(SHIPPED)
    sitting = store.start_sitting(["a", "b"])
    store.save_answer(sitting.id, "co-after-hard-moment", "calm", "b", "No, let's come back to it later",
                      prompt_type="choice")
    assert [e.id for e in progress.suggested(store, catalog)] == ["co-calming-down"]
