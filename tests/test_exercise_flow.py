"""The exercise screen driven by keys and clicks, on a real Store and the fixture catalogue.

A small host App pushes ExerciseScreen (the real shell is tested elsewhere).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.color import Color
from textual.widgets import Button, Digits, Input, OptionList, RadioButton, RadioSet, SelectionList, Static, TextArea
from textual.widgets._toggle_button import ToggleButton

from relworkbook import progress
from relworkbook.catalog import load_dir
from relworkbook.screens.exercise import ExerciseScreen
from relworkbook.screens.handover import HandoverScreen, RevealScreen
from relworkbook.store import Store
from relworkbook.widgets import AnswerView, PartnerBadge, ScalePrompt
from relworkbook.widgets.scale import ScalePoint

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


class Host(App):
    """Pushes one ExerciseScreen and keeps what it dismissed with."""

    def __init__(self, store, catalog, exercise_id, sitting_id, attendees, **kwargs) -> None:
        super().__init__()
        self.args = (store, catalog.exercise(exercise_id), sitting_id, tuple(attendees))
        self.kwargs = kwargs
        self.result: bool | None = None

    def on_mount(self) -> None:
        self.push_screen(ExerciseScreen(*self.args, **self.kwargs), callback=self._done)

    def _done(self, result: bool | None) -> None:
        self.result = result


@pytest.fixture
def catalog():
    return load_dir(FIXTURES)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "workbook.db"


@pytest.fixture
def store(db):
    s = Store.open(db)
    s.set_couple("Alex", "#cc3366", "Sam", "dodgerblue")
    yield s
    s.close()


def all_text(app: App) -> str:
    """Everything any widget in the screen stack holds as text, visible or not."""
    parts: list[str] = []
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if isinstance(widget, (ToggleButton, Button)):
                parts.append(str(widget.label))
            elif isinstance(widget, Static):
                parts.append(str(widget.content))
            elif isinstance(widget, TextArea):
                parts.append(widget.text)
            elif isinstance(widget, Input):
                parts.append(widget.value)
            elif isinstance(widget, OptionList):
                parts.extend(str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count))
    return "\n".join(parts)


def shown(app: App) -> str:
    """The text currently drawn on the terminal (the top screen, as composited)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def answer(store, sitting_id, exercise_id, prompt_id, partner):
    found = store.find_answer(sitting_id, exercise_id, prompt_id, partner)
    return None if found is None else found.value


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


def badge(app) -> PartnerBadge:
    return app.screen.query_one("#badge", PartnerBadge)


async def test_each_private_checklist_with_handover_and_reveal(store, catalog):
    sitting = store.start_sitting(("a", "b"))
    app = Host(store, catalog, "fx-hopes", sitting.id, ("a", "b"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        text = shown(app)
        assert "What we hope for" in text and "About 10 minutes" in text
        assert "Speak for yourself" in text  # tips
        assert "PgDn" in text  # the footer shows the keys

        await pilot.press("pagedown")
        await pilot.pause()
        assert "prompt 1 of 3" in shown(app)
        assert badge(app).partner == "a" and "Alex" in str(badge(app).content)
        assert badge(app).styles.background == Color.parse("#cc3366")
        await type_text(pilot, "long walks")
        await pilot.press("pagedown")
        await pilot.pause()
        assert answer(store, sitting.id, "fx-hopes", "hope", "a") == "long walks"
        # Sam's turn: the badge changes colour, and Alex's answer is shown
        assert badge(app).partner == "b" and "Sam" in str(badge(app).content)
        assert badge(app).styles.background == Color.parse("dodgerblue")
        assert "Alex answered" in shown(app) and "long walks" in shown(app)
        await type_text(pilot, "quiet mornings")
        await pilot.press("pagedown")
        await pilot.pause()
        assert answer(store, sitting.id, "fx-hopes", "hope", "b") == "quiet mornings"

        # private: the hand-over names who takes the keys and who looks away
        assert isinstance(app.screen, HandoverScreen)
        assert "Alex, please take the keyboard. Sam, please look away." in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        await pilot.press("down", "enter")  # RadioSet: move to "Unsure", choose it
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert answer(store, sitting.id, "fx-hopes", "ready", "a") == "Unsure"
        assert isinstance(app.screen, HandoverScreen)
        assert "Sam, please take the keyboard. Alex, please look away." in shown(app)
        # Alex's private answer is nowhere on any screen
        assert "Unsure" not in all_text(app)
        await pilot.press("enter")
        await pilot.pause()
        # Sam sees the options (one "Unsure" among them), none chosen, and no answer of Alex's
        assert all_text(app).count("Unsure") == 1
        assert app.screen.query_one(RadioSet).pressed_index == -1
        assert not app.screen.query(AnswerView)
        await pilot.press("down", "down", "enter")  # "Not yet"
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert answer(store, sitting.id, "fx-hopes", "ready", "b") == "Not yet"

        # both in: the reveal asks both, and shows nothing until both agree
        assert isinstance(app.screen, RevealScreen)
        assert "Unsure" not in all_text(app) and "Not yet" not in all_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert not store.is_revealed(sitting.id, "fx-hopes", "ready")
        assert "Unsure" not in all_text(app)
        await pilot.press("2")
        await pilot.pause()
        assert store.is_revealed(sitting.id, "fx-hopes", "ready")
        assert "Unsure" in shown(app) and "Not yet" in shown(app)
        await pilot.press("enter")
        await pilot.pause()

        # scored checklist: Alex ticks two, Sam ticks none (still an answer)
        assert isinstance(app.screen, ExerciseScreen)
        assert "prompt 3 of 3" in shown(app)
        await pilot.press("space", "down", "down", "space")
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        await pilot.press("pagedown")  # Sam's slot, untouched: "none of these"
        await pilot.pause()
        assert app.result is True
    found = store.find_answer(sitting.id, "fx-hopes", "habits", "a")
    assert found.value == ["Saying thank you", "A hug hello or goodbye"]
    assert found.metric == "kind-habits" and found.number == 2
    assert answer(store, sitting.id, "fx-hopes", "habits", "b") == []
    assert progress.get_resume(store) is None
    assert progress.exercise_done(store, catalog.exercise("fx-hopes"))


async def test_template_turns_commitment_by_keys(store, catalog):
    sitting = store.start_sitting(("a", "b"))
    app = Host(store, catalog, "fx-i-statements", sitting.id, ("a", "b"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        # template: one box per blank, the sentence fills in as you type; Enter goes to the next blank
        await type_text(pilot, "tired")
        await pilot.press("enter")
        await type_text(pilot, "plans change")
        await pilot.pause()
        assert "I feel tired when plans change, and I would like [request]." in shown(app)
        await pilot.press("enter")
        await type_text(pilot, "a heads-up")
        await pilot.press("pagedown")
        await pilot.pause()
        assert answer(store, sitting.id, "fx-i-statements", "feeling", "a") == {
            "feeling": "tired", "situation": "plans change", "request": "a heads-up",
        }
        await type_text(pilot, "fine")
        await pilot.press("pagedown")
        await pilot.pause()
        assert answer(store, sitting.id, "fx-i-statements", "feeling", "b") == {
            "feeling": "fine", "situation": "", "request": "",
        }

        # turns: Alex speaks, Sam says it back, Alex confirms; then they swap
        assert "Alex speaks" in str(badge(app).content) and badge(app).partner == "a"
        await type_text(pilot, "I miss you")
        await pilot.press("enter")
        await pilot.pause()
        assert "Sam listens" in str(badge(app).content) and badge(app).partner == "b"
        await type_text(pilot, "you feel far")
        await pilot.press("enter")
        await pilot.pause()
        assert badge(app).partner == "a"
        await pilot.press("y")
        await pilot.pause()
        assert "Sam speaks" in str(badge(app).content) and badge(app).partner == "b"
        assert "Round 2 of 2" in shown(app)
        await type_text(pilot, "work is heavy")
        await pilot.press("enter")
        await type_text(pilot, "you are bored")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "tired not bored")
        await pilot.press("enter")
        await pilot.pause()
        # Flow fix 7: after "Not quite", the listener says it back again (up to three tries).
        assert "Alex listens" in str(badge(app).content) and "try 2 of 3" in shown(app)
        await type_text(pilot, "you are worn out")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "worn out by work")
        await pilot.press("enter")
        await pilot.pause()
        assert "try 3 of 3" in shown(app)
        await type_text(pilot, "work wears you out")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "All rounds done" in shown(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert answer(store, sitting.id, "fx-i-statements", "listen", "together") == [
            {"speaker": "a", "said": "I miss you", "paraphrase": "you feel far", "confirmed": True, "correction": ""},
            {"speaker": "b", "said": "work is heavy", "paraphrase": "work wears you out", "confirmed": True,
             "correction": "", "tries": [
                 {"paraphrase": "you are bored", "correction": "tired not bored"},
                 {"paraphrase": "you are worn out", "correction": "worn out by work"},
             ]},
        ]

        # commitment (together): what, who, when; a bad date stops Next with a clear message
        assert badge(app).partner == "together"
        await type_text(pilot, "walk on sunday")
        await pilot.press("enter")  # to "who"
        await pilot.press("up", "enter")  # the list starts on "Both of us": up to Sam, choose
        await pilot.press("tab")
        await type_text(pilot, "2026-13-01")
        await pilot.pause()
        assert "is not a date" in shown(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.result is None and isinstance(app.screen, ExerciseScreen)
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "2026-12-01")
        await pilot.pause()
        assert "is not a date" not in shown(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.result is True
    saved = answer(store, sitting.id, "fx-i-statements", "promise", "together")
    assert saved["what"] == "walk on sunday" and saved["due"] == "2026-12-01"
    assert saved["owner"] == "b"
    [commitment] = store.open_commitments()
    assert commitment.what == "walk on sunday" and commitment.owner == saved["owner"]


async def test_checkin_reviews_commitments_and_scales_by_keys_and_mouse(store, catalog):
    last_week = store.start_sitting(("a", "b"), started="2026-01-01T19:00:00")
    store.save_answer(
        last_week.id, "fx-i-statements", "promise", "together",
        {"what": "cook together", "owner": "both", "due": None}, prompt_type="commitment",
    )
    store.end_sitting(last_week.id, ended="2026-01-01T19:30:00")
    [old] = store.open_commitments()
    sitting = store.start_sitting(("a",))  # Alex alone this week
    app = Host(store, catalog, "fx-checkin", sitting.id, ("a",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert "last week's commitments" in shown(app) and "cook together" in shown(app)
        await pilot.press("p")
        await pilot.pause()
        assert "partly kept" in shown(app)
        assert store.list_commitments("open") == [] and store.get_commitment(old.id).status == "partly"
        await pilot.press("pagedown")
        await pilot.pause()

        # a private scale in a solo sitting: still a hand-over, then number keys
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen.focused, ScalePrompt)
        await pilot.press("7")
        await pilot.pause()
        assert app.screen.query_one("#big", Digits).value == "7"  # shown big
        await pilot.press("pagedown")
        await pilot.pause()
        assert answer(store, sitting.id, "fx-checkin", "communication", "a") == 7
        # the next scale is in the same private run: no second hand-over, straight to it
        assert isinstance(app.screen, ExerciseScreen)
        assert isinstance(app.screen.focused, ScalePrompt) and app.screen.focused.value is None
        # arrows, then a click on a point
        await pilot.press("right", "right", "right")
        await pilot.pause()
        assert app.screen.query_one(ScalePrompt).value == 3
        assert "Far apart" in shown(app) and "Very close" in shown(app)
        point = next(p for p in app.screen.query(ScalePoint) if p.number == 9)
        await pilot.click(point)
        await pilot.pause()
        assert app.screen.query_one(ScalePrompt).value == 9
        await pilot.press("pagedown")
        await pilot.pause()
        found = store.find_answer(sitting.id, "fx-checkin", "closeness", "a")
        assert found.value == 9 and found.metric == "closeness" and found.number == 9 and found.private
        assert not store.is_revealed(sitting.id, "fx-checkin", "closeness")
        await type_text(pilot, "the soup")
        await pilot.press("pagedown")  # the shared commitment waits for both: done
        await pilot.pause()
        assert app.result is True
    reviewed = store.list_commitments("partly")
    assert [c.id for c in reviewed] == [old.id] and reviewed[0].reviewed_sitting_id == sitting.id
    assert store.find_answer(sitting.id, "fx-checkin", "communication", "b") is None
    assert store.find_answer(sitting.id, "fx-checkin", "next-step", "together") is None
    assert [c.what for c in store.open_commitments()] == ["cook together"]  # partly: it comes back


async def test_solo_sitting_leaves_the_others_part_pending_then_catching_up(store, catalog):
    solo = store.start_sitting(("a",))
    app = Host(store, catalog, "fx-hopes", solo.id, ("a",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown")
        await type_text(pilot, "more laughs")
        await pilot.press("pagedown")
        await pilot.pause()
        assert "Alex, this answer is private" in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # "Ready"
        await pilot.press("pagedown")
        await pilot.pause()
        # no reveal: Sam's answer is not in yet
        assert isinstance(app.screen, ExerciseScreen)
        await pilot.press("space", "pagedown")
        await pilot.pause()
        assert app.result is True
    store.end_sitting(solo.id)
    assert store.find_answer(solo.id, "fx-hopes", "ready", "b") is None
    pending = progress.pending_for(store, catalog, "b")
    assert [(sid, ex.id) for sid, ex in pending] == [(solo.id, "fx-hopes")]
    assert not progress.exercise_done(store, catalog.exercise("fx-hopes"))

    # Sam catches up at the next sitting (both present); answers go into the solo sitting
    later = store.start_sitting(("a", "b"))
    app = Host(store, catalog, "fx-hopes", later.id, ("a", "b"), answer_sitting_id=solo.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "catching up" in shown(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert badge(app).partner == "b"
        assert "prompt 1 of 3" in shown(app)
        assert "more laughs" in shown(app)  # Alex's earlier answer
        await type_text(pilot, "sleep in")
        await pilot.press("pagedown")
        await pilot.pause()
        assert "Sam, please take the keyboard. Alex, please look away." in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "Ready" in shown(app)  # the options, not Alex's answer...
        assert all_text(app).count("Ready") == 1  # ...which is nowhere on screen
        assert "Alex answered" not in all_text(app)
        assert app.screen.query_one(RadioSet).pressed_index == -1
        await pilot.press("down", "enter", "pagedown")
        await pilot.pause()
        assert isinstance(app.screen, RevealScreen)
        await pilot.press("escape")  # not now: stays hidden
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.result is True
    assert answer(store, solo.id, "fx-hopes", "hope", "b") == "sleep in"
    assert answer(store, solo.id, "fx-hopes", "ready", "b") == "Unsure"
    assert answer(store, solo.id, "fx-hopes", "habits", "b") == []
    assert store.answers_for_sitting(later.id) == []
    assert not store.is_revealed(solo.id, "fx-hopes", "ready")
    assert progress.pending_for(store, catalog, "b") == []
    assert progress.exercise_done(store, catalog.exercise("fx-hopes"))


async def test_resume_after_closing_mid_answer(db, catalog):
    store = Store.open(db)
    store.set_couple("Alex", "#cc3366", "Sam", "dodgerblue")
    sitting = store.start_sitting(("a", "b"))
    app = Host(store, catalog, "fx-hopes", sitting.id, ("a", "b"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown")
        await type_text(pilot, "first")
        await pilot.press("pagedown")
        await pilot.pause()
        await type_text(pilot, "half a thou")
        await pilot.pause(0.6)  # the debounce has written the draft, nothing else did
        assert answer(store, sitting.id, "fx-hopes", "hope", "b") == "half a thou"
        app.exit()
    assert app.result is None  # closed, not finished
    store.close()

    store = Store.open(db)  # a new run
    resume = progress.get_resume(store)
    assert resume["sitting_id"] == sitting.id and resume["exercise_id"] == "fx-hopes" and resume["slot"] == 1
    app = Host(
        store, catalog, resume["exercise_id"], resume["sitting_id"], ("a", "b"),
        start_slot=resume["slot"], answer_sitting_id=resume["answer_sitting_id"],
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # straight back into Sam's slot, with what Sam had typed, cursor at the end
        assert badge(app).partner == "b"
        area = app.screen.query_one(TextArea)
        assert area.text == "half a thou"
        assert app.screen.focused is area
        await type_text(pilot, "ght")
        await pilot.press("pagedown")
        await pilot.pause()
        assert answer(store, sitting.id, "fx-hopes", "hope", "b") == "half a thought"
        # a private draft is resumed too, for the same partner after the hand-over
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        app.screen.flush_saves()  # what the shell calls before a time-out or quit
        assert answer(store, sitting.id, "fx-hopes", "ready", "a") == "Unsure"
        app.exit()
    resume = progress.get_resume(store)
    assert resume["slot"] == 2
    app = Host(store, catalog, "fx-hopes", sitting.id, ("a", "b"), start_slot=resume["slot"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        assert "Alex, please take the keyboard" in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(RadioSet).pressed_index == 1
        await pilot.press("pagedown")  # given: it leaves the screen
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen) and "Sam, please take" in shown(app)
        await pilot.press("escape")  # Sam is not ready: back to Alex's slot, which is locked now
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert "Alex's answer is in" in shown(app)
        assert "Unsure" not in all_text(app)
    store.close()


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_every_page_lays_out(store, catalog, size):
    store.save_answer(
        store.start_sitting(("a", "b")).id, "fx-i-statements", "promise", "together",
        {"what": "cook together", "owner": "both", "due": None}, prompt_type="commitment",
    )
    for exercise_id in ("fx-hopes", "fx-i-statements", "fx-checkin"):
        sitting = store.start_sitting(("a", "b"))
        app = Host(store, catalog, exercise_id, sitting.id, ("a", "b"))
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for _ in range(20):
                if app.result is not None:
                    break
                if isinstance(app.screen, (HandoverScreen, RevealScreen)):
                    await pilot.press("escape" if isinstance(app.screen, RevealScreen) else "enter")
                else:
                    text = shown(app)
                    if size == (80, 24):
                        assert "Next (PgDn)" in text or "Finish (PgDn)" in text
                        assert "PgDn" in text.splitlines()[-1]  # the footer
                    await pilot.press("pagedown")
                await pilot.pause()
            assert app.result is True


async def test_a_text_box_drawn_after_it_was_removed_is_blank_not_a_crash(store, catalog):
    # Textual 8.2 may draw a TextArea on a timer tick just after it left the
    # screen (its styles already cleared) and raise KeyError (textual#6528).
    from textual.geometry import Region

    sitting = store.start_sitting(("a", "b"))
    app = Host(store, catalog, "fx-hopes", sitting.id, ("a", "b"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        assert area.render_lines(Region(0, 0, 20, 3))  # drawn normally while shown
        await area.remove()
        lines = area.render_lines(Region(0, 0, 20, 3))
        assert [line.text for line in lines] == [" " * 20] * 3


async def test_mouse_alone(store, catalog):
    sitting = store.start_sitting(("a", "b"))
    app = Host(store, catalog, "fx-hopes", sitting.id, ("a", "b"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#next")
        await pilot.pause()
        await pilot.click(TextArea)
        await type_text(pilot, "picnics")
        await pilot.click("#back")  # back to the intro, saved on the way
        await pilot.pause()
        assert answer(store, sitting.id, "fx-hopes", "hope", "a") == "picnics"
        await pilot.click("#next")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "picnics"
        await pilot.click("#next")
        await pilot.pause()
        await pilot.click("#next")  # Sam skips for now
        await pilot.pause()
        for partner, option in (("a", "Not yet"), ("b", "Ready")):
            assert isinstance(app.screen, HandoverScreen)
            await pilot.click("#ready")
            await pilot.pause()
            button = next(b for b in app.screen.query(RadioButton) if str(b.label) == option)
            await pilot.click(button)
            await pilot.pause()
            await pilot.click("#next")
            await pilot.pause()
            assert answer(store, sitting.id, "fx-hopes", "ready", partner) == option
        assert isinstance(app.screen, RevealScreen)
        await pilot.click("#agree-b")
        await pilot.click("#agree-a")
        await pilot.pause()
        assert store.is_revealed(sitting.id, "fx-hopes", "ready")
        await pilot.click("#continue")
        await pilot.pause()
        await pilot.click(SelectionList, offset=(4, 2))  # the second option
        await pilot.pause()
        await pilot.click("#next")
        await pilot.pause()
        assert answer(store, sitting.id, "fx-hopes", "habits", "a") == ["Asking about each other's day"]
        await pilot.click("#next")
        await pilot.pause()
        assert app.result is True


async def test_answer_again_starts_from_the_given_answer_for_its_partner_only(store, catalog):
    """Flow fix 8: "Answer again" opens with the current answer in the box, once its
    partner has taken the keyboard (never on the locked page itself)."""
    sitting = store.start_sitting(("a",))
    store.save_answer(sitting.id, "fx-hopes", "ready", "a", "Not yet", prompt_type="choice", private=True)
    app = Host(store, catalog, "fx-hopes", sitting.id, ("a",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert "Alex's answer is in" in shown(app)
        assert all_text(app).count("Not yet") == 0
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        assert all_text(app).count("Not yet") == 0  # nothing of it before Alex has the keys
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(RadioSet).pressed_index == 2  # the current answer, to change
        await pilot.press("pagedown")  # unchanged: the answer stays
        await pilot.pause()
        assert answer(store, sitting.id, "fx-hopes", "ready", "a") == "Not yet"
        await pilot.press("pageup")
        await pilot.pause()
        assert all_text(app).count("Not yet") == 0
        await pilot.press("r", "enter")
        await pilot.pause()
        app.screen.query_one(RadioSet).query(RadioButton).first().value = True  # "Ready"
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert answer(store, sitting.id, "fx-hopes", "ready", "a") == "Ready"


# ------------------------------------------------------- a run of private prompts

RUN_EXERCISE = """\
id: fx-run
title: Three quiet questions
step: weekly-meeting
order: 5
minutes: 5
intro: Three private questions in a row, between two open ones.
prompts:
  - {id: warm, type: text, text: What went well?}
  - id: calm
    type: scale
    who: private
    text: How calm was your week?
    min: 1
    max: 10
    labels: {1: Stormy, 10: Still water}
  - {id: worry, type: text, who: private, text: What is on your mind?}
  - {id: ready, type: choice, who: private, text: Ready to talk about it?, options: [Yes, Not yet]}
  - {id: plan, type: text, who: together, text: One plan for next week?}
"""


@pytest.fixture
def run_catalog(tmp_path):
    """The fixture pack plus one exercise with a run of three private prompts."""
    import shutil

    folder = tmp_path / "pack"
    shutil.copytree(FIXTURES, folder)
    (folder / "weekly-meeting" / "run.yaml").write_text(RUN_EXERCISE, encoding="utf-8")
    return load_dir(folder)


class CountingHost(Host):
    """A Host that keeps every screen pushed, to count hand-overs and reveals."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pushed: list = []

    def push_screen(self, screen, *args, **kwargs):
        self.pushed.append(screen)
        return super().push_screen(screen, *args, **kwargs)

    def count(self, kind) -> int:
        return sum(isinstance(s, kind) for s in self.pushed)


async def test_a_run_of_private_prompts_has_one_handover_each_way_and_one_reveal(store, run_catalog):
    sitting = store.start_sitting(("a", "b"))
    app = CountingHost(store, run_catalog, "fx-run", sitting.id, ("a", "b"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown")
        await type_text(pilot, "the garden")
        await pilot.press("pagedown")
        await pilot.pause()
        await type_text(pilot, "dinner")
        await pilot.press("pagedown")
        await pilot.pause()

        # one hand-over for Alex's whole run
        assert isinstance(app.screen, HandoverScreen)
        assert "Alex, please take the keyboard. Sam, please look away." in shown(app)
        assert "3 private questions" in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "prompt 2 of 5" in shown(app) and badge(app).partner == "a"
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen) and badge(app).partner == "a"
        await type_text(pilot, "money worries")
        await pilot.press("pagedown")
        await pilot.pause()
        # Back within the run: Alex's own answer, to change (the same person is at the keys)
        await pilot.press("pageup")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert app.screen.query_one(TextArea).text == "money worries"
        await pilot.press("pageup")
        await pilot.pause()
        assert app.screen.query_one(ScalePrompt).value == 6
        await pilot.press("7")
        await pilot.pause()
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        await pilot.press("enter")  # RadioSet: "Yes"
        await pilot.pause()
        assert app.count(HandoverScreen) == 1  # Alex's three answers, one hand-over
        await pilot.press("pagedown")
        await pilot.pause()
        assert answer(store, sitting.id, "fx-run", "calm", "a") == 7
        assert answer(store, sitting.id, "fx-run", "worry", "a") == "money worries"
        assert answer(store, sitting.id, "fx-run", "ready", "a") == "Yes"

        # one hand-over to Sam, who never sees anything of Alex's run
        assert isinstance(app.screen, HandoverScreen)
        assert "Sam, please take the keyboard. Alex, please look away." in shown(app)
        assert "money worries" not in all_text(app)
        await pilot.press("enter")
        await pilot.pause()
        for step in ("calm", "worry", "ready"):
            assert isinstance(app.screen, ExerciseScreen) and badge(app).partner == "b"
            assert "money worries" not in all_text(app)
            assert not app.screen.query(AnswerView)
            if step == "calm":
                assert app.screen.query_one(ScalePrompt).value is None
                await pilot.press("4")
            elif step == "worry":
                assert app.screen.query_one(TextArea).text == ""
                await type_text(pilot, "sleep")
            else:
                assert app.screen.query_one(RadioSet).pressed_index == -1
                await pilot.press("down", "enter")  # "Not yet"
            await pilot.pause()
            await pilot.press("pagedown")
            await pilot.pause()
        assert app.count(HandoverScreen) == 2

        # one reveal for the whole run; nothing shows until both agree
        assert isinstance(app.screen, RevealScreen) and app.count(RevealScreen) == 1
        assert "3 private questions" in shown(app)
        assert "money worries" not in all_text(app) and "sleep" not in all_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert not any(store.is_revealed(sitting.id, "fx-run", p) for p in ("calm", "worry", "ready"))
        await pilot.press("2")
        await pilot.pause()
        assert all(store.is_revealed(sitting.id, "fx-run", p) for p in ("calm", "worry", "ready"))
        text = shown(app)
        assert "How calm was your week?" in text and "What is on your mind?" in text
        assert "7 / 10" in text and "4 / 10" in text
        assert "money worries" in text and "sleep" in text and "Not yet" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen) and badge(app).partner == "together"
        await type_text(pilot, "a walk")
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.result is True
    assert app.count(HandoverScreen) == 2 and app.count(RevealScreen) == 1
    assert answer(store, sitting.id, "fx-run", "calm", "b") == 4
    assert answer(store, sitting.id, "fx-run", "worry", "b") == "sleep"
    assert progress.exercise_done(store, run_catalog.exercise("fx-run"))


async def test_back_across_the_handover_is_locked_and_not_now_reveals_the_run_later(store, run_catalog):
    sitting = store.start_sitting(("a", "b"))
    for prompt_id, value, kind in (("calm", 3, "scale"), ("worry", "the move", "text"), ("ready", "Yes", "choice")):
        store.save_answer(sitting.id, "fx-run", prompt_id, "a", value, prompt_type=kind, private=True)
    slot_of = [(s.prompt.id, s.partner) for s in progress.slots(run_catalog.exercise("fx-run"), ("a", "b"))]
    start = slot_of.index(("calm", "b"))
    app = CountingHost(store, run_catalog, "fx-run", sitting.id, ("a", "b"), start_slot=start)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen) and "Sam, please take" in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("8")
        await pilot.pause()
        # Sam goes back: over the hand-over, Alex's answer is only "in, hidden"
        await pilot.press("pageup")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert "Alex's answer is in" in shown(app)
        assert "Yes" not in all_text(app) and "the move" not in all_text(app)
        assert not app.screen.query(RadioSet)
        await pilot.press("pageup")
        await pilot.pause()
        assert "Alex's answer is in" in shown(app) and "the move" not in all_text(app)
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        # Sam's scale is given now: locked too (Sam has to take the keys again to change it)
        assert "Sam's answer is in" in shown(app) and not app.screen.query(ScalePrompt)
        await pilot.press("pagedown")
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen) and "Sam, please take" in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "work")
        await pilot.press("pagedown")
        await pilot.pause()
        await pilot.press("enter", "pagedown")
        await pilot.pause()
        assert isinstance(app.screen, RevealScreen)
        await pilot.press("escape")  # not now
        await pilot.pause()
        assert not any(store.is_revealed(sitting.id, "fx-run", p) for p in ("calm", "worry", "ready"))
        assert isinstance(app.screen, ExerciseScreen) and badge(app).partner == "together"
        # later: back to a locked page of the run; v reveals the whole run at once
        await pilot.press("pageup")
        await pilot.pause()
        assert "Sam's answer is in" in shown(app) and "Reveal now (v)" in shown(app)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, RevealScreen) and len(app.screen.prompts) == 3
        await pilot.press("2", "1")
        await pilot.pause()
        assert all(store.is_revealed(sitting.id, "fx-run", p) for p in ("calm", "worry", "ready"))
        assert "the move" in shown(app) and "work" in shown(app) and "3 / 10" in shown(app)
        assert app.count(RevealScreen) == 2


async def test_a_solo_run_has_one_handover_and_no_reveal(store, run_catalog):
    sitting = store.start_sitting(("b",))
    app = CountingHost(store, run_catalog, "fx-run", sitting.id, ("b",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown")
        await type_text(pilot, "ok")
        await pilot.press("pagedown")
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        assert "Sam, the next 3 answers are private" in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("5", "pagedown")
        await pilot.pause()
        await type_text(pilot, "rest")
        await pilot.press("pagedown")
        await pilot.pause()
        await pilot.press("enter", "pagedown")  # the shared plan waits for both: done
        await pilot.pause()
        assert app.result is True
    assert app.count(HandoverScreen) == 1 and app.count(RevealScreen) == 0
    assert store.find_answer(sitting.id, "fx-run", "plan", "together") is None
    assert [answer(store, sitting.id, "fx-run", p, "b") for p in ("calm", "worry", "ready")] == [5, "rest", "Yes"]
    assert store.find_answer(sitting.id, "fx-run", "calm", "a") is None
    assert not store.is_revealed(sitting.id, "fx-run", "calm")


async def test_resume_in_the_middle_of_a_run(db, run_catalog):
    store = Store.open(db)
    store.set_couple("Alex", "#cc3366", "Sam", "dodgerblue")
    sitting = store.start_sitting(("a", "b"))
    app = CountingHost(store, run_catalog, "fx-run", sitting.id, ("a", "b"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown", "pagedown", "pagedown")  # nothing to say to the open question
        await pilot.pause()
        await pilot.press("enter")  # Alex takes the keys
        await pilot.pause()
        await pilot.press("9", "pagedown")
        await pilot.pause()
        await type_text(pilot, "half a tho")
        await pilot.pause(0.6)  # the draft is saved
        app.exit()
    store.close()

    store = Store.open(db)
    resume = progress.get_resume(store)
    slots = progress.slots(run_catalog.exercise("fx-run"), resume["attendees"])
    assert (slots[resume["slot"]].prompt.id, slots[resume["slot"]].partner) == ("worry", "a")
    app = CountingHost(
        store, run_catalog, "fx-run", resume["sitting_id"], resume["attendees"], start_slot=resume["slot"],
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # a fresh start: Alex takes the keys again, for the two questions left
        assert isinstance(app.screen, HandoverScreen) and "Alex, please take" in shown(app)
        assert "2 private questions" in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "half a tho"
        await type_text(pilot, "ught")
        await pilot.press("pageup")  # Alex's own earlier answer, in the same run
        await pilot.pause()
        assert app.screen.query_one(ScalePrompt).value == 9
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "half a thought"
        await pilot.press("pagedown")
        await pilot.pause()
        await pilot.press("enter", "pagedown")
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen) and "Sam, please take" in shown(app)
        assert "half a thought" not in all_text(app)
        assert app.count(HandoverScreen) == 2
    assert answer(store, sitting.id, "fx-run", "worry", "a") == "half a thought"
    assert answer(store, sitting.id, "fx-run", "ready", "a") == "Yes"
    store.close()


# ------------------------------------------------- the first key after a move


def burst(app: App, *keys: str) -> None:
    """Keys as a fast typist sends them: all queued at once, none waiting for the screen.

    (``pilot.press`` waits for the app to go idle after every key, which hides
    a focus change that comes one refresh late.)
    """
    from textual import events

    for key in keys:
        char = " " if key == "space" else (key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_keys_right_after_pgdn_go_into_the_answer_not_the_next_button(store, catalog):
    """PgDn then typing at once, with no pause: a space must not press Next, no letter is lost."""
    sitting = store.start_sitting(("a", "b"))
    app = Host(store, catalog, "fx-hopes", sitting.id, ("a", "b"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen.focused, Button) and screen.focused.id == "next"  # the intro
        burst(app, "pagedown", "space", "4", "x", "space", "y")
        await pilot.pause()
        assert "prompt 1 of 3" in shown(app) and badge(app).partner == "a"  # not skipped
        area = screen.query_one("#answer").query_one(TextArea)
        assert area.text == " 4x y"
        assert screen.focused is area
        # Straight on to Sam's slot: the first keys land there too.
        burst(app, "pagedown", "space", "7")
        await pilot.pause()
        assert badge(app).partner == "b" and "prompt 1 of 3" in shown(app)
        assert screen.query_one("#answer").query_one(TextArea).text == " 7"
        assert answer(store, sitting.id, "fx-hopes", "hope", "a") == " 4x y"


# ------------------------------------------------- a long answer, shown short


async def test_a_very_long_answer_is_shown_short_to_the_other_partner_and_kept_whole(store, catalog):
    from relworkbook.widgets.answer_view import SHOW_AT_MOST

    sitting = store.start_sitting(("a", "b"))
    huge = "".join(f"line {n} of a very long answer\n" for n in range(40000))  # about 1 MB
    assert len(huge) > 1_000_000
    store.save_answer(sitting.id, "fx-hopes", "hope", "a", huge, prompt_type="text")
    app = Host(store, catalog, "fx-hopes", sitting.id, ("a", "b"), start_slot=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert badge(app).partner == "b"
        view = app.screen.query_one(AnswerView)
        text = str(view.content)
        assert text.startswith("Alex answered:\nline 0 of a very long answer")
        assert len(text) < SHOW_AT_MOST + 200
        rest = len(huge) - SHOW_AT_MOST
        assert f"{rest:,} more characters" in text and "History" in text
        assert "line 39999" not in text
    # The stored answer is never cut.
    assert answer(store, sitting.id, "fx-hopes", "hope", "a") == huge


def test_a_short_answer_is_shown_whole():
    prompt = load_dir(FIXTURES).exercise("fx-hopes").prompts[0]
    view = AnswerView(prompt, "x" * 2000, "Alex answered:")
    assert str(view.content) == "Alex answered:\n" + "x" * 2000


# ------------------------------------------------- a write that fails


async def test_a_failed_save_keeps_the_text_on_screen_and_nothing_moves_on(tmp_path):
    """Disk full while answering: one notice, PgDn / PgUp / Esc / quit stay put, then it all saves."""
    from relworkbook.app import make_app

    db = tmp_path / "workbook.db"
    with Store.open(db) as s:
        s.set_couple("Alex", "#cc3366", "Sam", "dodgerblue")
        s.start_sitting(("a", "b"))
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_open_exercise("fx-hopes")
        await pilot.pause()
        await pilot.click("#both")
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen) and badge(app).partner == "a"
        sitting_id = screen.run.answer_sitting_id
        store = app.store
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full
        words = "a long answer that does not fit " * 2000
        area = screen.query_one("#answer").query_one(TextArea)
        area.insert(words)
        await pilot.pause(0.6)  # the autosave fails
        area.insert("and more ")
        await pilot.pause(0.6)  # and again: the same notice is not repeated
        await pilot.pause()
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "full" in errors[0].message and "\n" not in errors[0].message

        for key in ("pagedown", "escape"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen and screen.run.page == 0 and badge(app).partner == "a"
            assert area.text == words + "and more "
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert any("stays open" in n.message for n in app._notifications)
        assert answer(store, sitting_id, "fx-hopes", "hope", "a") is None

        # Room again: the next move saves everything and goes on.
        store.conn.execute("PRAGMA max_page_count = 1000000")
        await pilot.press("pagedown")
        await pilot.pause()
        assert badge(app).partner == "b"
        assert answer(store, sitting_id, "fx-hopes", "hope", "a") == words + "and more "
