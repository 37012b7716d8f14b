"""The flow a couple walks (issue 14, section 3): each fix through the engine, and
through the real app (Pilot) where it is about the screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from textual.widgets import OptionList

from relworkbook import kinds, progress
from relworkbook.app import make_app
from relworkbook.catalog import load_dir
from relworkbook.screens.attendance import AttendanceScreen
from relworkbook.screens.confirm import ConfirmScreen
from relworkbook.screens.exercise import ExerciseScreen
from relworkbook.sitting import Run
from relworkbook.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
CATALOG = load_dir(FIXTURES)


def _workbook(tmp_path: Path) -> Path:
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    return db


# ---- 2. Continue never resumes into a finished sitting


def test_the_resume_point_of_an_ended_sitting_is_gone(tmp_path):
    with Store.open(_workbook(tmp_path)) as store:
        sitting = store.start_sitting(("a", "b"))
        run = Run(store, CATALOG.exercise("fx-checkin"), sitting.id, ("a", "b"))
        run.advance()
        run.show()
        assert progress.get_resume(store)["sitting_id"] == sitting.id
        store.end_sitting(sitting.id)
        assert progress.get_resume(store) is None


def test_a_revealed_answer_is_shown_as_revealed_not_as_hidden(tmp_path):
    with Store.open(_workbook(tmp_path)) as store:
        sitting = store.start_sitting(("a", "b"))
        for partner, value in (("a", 7), ("b", 5)):
            store.save_answer(sitting.id, "fx-checkin", "communication", partner, value,
                              prompt_type="scale", private=True, metric="communication")
        run = Run(store, CATALOG.exercise("fx-checkin"), sitting.id, ("a", "b"))
        run.advance()
        assert run.show().kind == "locked"
        store.reveal(sitting.id, "fx-checkin", "communication")
        view = run.show()
        assert view.kind == "answer" and view.load


async def test_continue_after_the_sitting_ended_asks_who_is_here(tmp_path):
    app = make_app(_workbook(tmp_path), [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_open_exercise("fx-hopes")
        await pilot.pause()
        await pilot.click("#both")
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        sitting_id = app.sitting_id
        app.end_sitting(sitting_id)
        await pilot.pause()
        await pilot.press("escape")  # the summary
        await pilot.pause()
        app.action_continue()
        await pilot.pause()
        assert not isinstance(app.screen, ExerciseScreen)
        app.action_checkin()
        await pilot.pause()
        assert isinstance(app.screen, AttendanceScreen)  # a new sitting asks who is here


# ---- 3. Commitment review moves only when told


async def test_marking_a_commitment_keeps_the_highlight_and_a_change_asks_first(tmp_path):
    db = _workbook(tmp_path)
    with Store.open(db) as store:
        first = store.start_sitting(("a", "b"))
        walk = store.add_commitment(first.id, "fx-checkin", "next-step", "Walk after dinner", "both", None)
        store.add_commitment(first.id, "fx-checkin", "next-step", "Phone at seven", "a", None)
        store.end_sitting(first.id)
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.action_checkin()
        await pilot.pause()
        await pilot.click("#both")
        await pilot.pause()
        await pilot.press("pagedown")  # the review
        await pilot.pause()
        options = app.screen.query_one("#review-list", OptionList)
        assert options.highlighted == 0
        await pilot.press("k")
        await pilot.pause()
        assert options.highlighted == 0  # the highlight did not move by itself
        await pilot.press("n")  # a change of mind: asked first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep it
        await pilot.pause()
        assert app.store.get_commitment(walk.id).status == "kept"
        await pilot.press("n")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert app.store.get_commitment(walk.id).status == "not_kept"
        await pilot.press("down", "p")
        await pilot.pause()
        assert options.highlighted == 1


def test_partly_and_not_kept_commitments_come_back_until_kept(tmp_path):
    with Store.open(_workbook(tmp_path)) as store:
        first = store.start_sitting(("a", "b"))
        made = {what: store.add_commitment(first.id, "fx-checkin", "next-step", what, "both", None).id
                for what in ("walk", "phone", "cook")}
        store.end_sitting(first.id)
        second = store.start_sitting(("a", "b"))
        run = Run(store, CATALOG.exercise("fx-checkin"), second.id, ("a", "b"))
        assert {c.what for c in run.review} == {"walk", "phone", "cook"}
        run.mark(made["walk"], "kept")
        run.mark(made["phone"], "partly")
        run.mark(made["cook"], "not_kept")
        store.end_sitting(second.id)
        assert {c.what for c in store.open_commitments()} == {"phone", "cook"}  # Home's list
        third = store.start_sitting(("a", "b"))
        again = Run(store, CATALOG.exercise("fx-checkin"), third.id, ("a", "b"))
        assert {c.what: again.status_of(c) for c in again.review} == {"phone": "partly", "cook": "not_kept"}
        again.mark(made["phone"], "kept")
        assert {c.what for c in store.open_commitments()} == {"cook"}


# ---- 4. Home's "Last check-in" is the last complete one


def _rate(store, sitting_id, partner, communication, closeness, *, reveal=True):
    for prompt_id, value in (("communication", communication), ("closeness", closeness)):
        store.save_answer(sitting_id, "fx-checkin", prompt_id, partner, value,
                          prompt_type="scale", private=True, metric=prompt_id)
        if reveal:
            store.reveal(sitting_id, "fx-checkin", prompt_id)


async def test_home_keeps_the_last_complete_check_in_until_a_newer_one_is_complete(tmp_path):
    db = _workbook(tmp_path)
    checkin = CATALOG.exercise("fx-checkin")
    with Store.open(db) as store:
        old = store.start_sitting(("a", "b"), started="2026-01-05T19:00:00")
        _rate(store, old.id, "a", 7, 8, reveal=False)
        _rate(store, old.id, "b", 6, 9)
        store.end_sitting(old.id, ended="2026-01-05T19:30:00")
        new = store.start_sitting(("a", "b"), started="2026-01-12T19:00:00")
        _rate(store, new.id, "a", 2, 3, reveal=False)  # one partner's ratings only
        found, _ = progress.last_complete_checkin(store, checkin, 26)
        assert found.id == old.id
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        glance = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "Last check-in  2026-01-05" in glance
    with Store.open(db) as store:
        _rate(store, new.id, "b", 4, 4)
        found, _ = progress.last_complete_checkin(store, checkin, 26)
        assert found.id == new.id


# ---- 5. Solo sittings


def test_a_solo_sitting_leaves_together_prompts_waiting_and_next_moves_on(tmp_path):
    with Store.open(_workbook(tmp_path)) as store:
        exercise = CATALOG.exercise("fx-i-statements")
        assert any(p.who == "together" for p in exercise.prompts)
        sitting = store.start_sitting(("a",))
        run = Run(store, exercise, sitting.id, ("a",))
        assert run.slots and all(slot.partner == "a" for slot in run.slots)
        for index, slot in enumerate(run.slots):
            run.save(index, kinds.kind(slot.prompt.type).example(slot.prompt), changed=True)
        store.end_sitting(sitting.id)
        assert not progress.exercise_done(store, exercise)  # b and the shared answer still to come
        just = store.last_sitting().exercises
        assert exercise.id in just
        upcoming = progress.next_exercise(store, CATALOG, just_done=just)
        assert upcoming is not None and upcoming.id != exercise.id
        # Once everything else is done, it is suggested again.
        others = {e.id for e in CATALOG.exercises if e.id != exercise.id}
        assert progress.next_exercise(store, CATALOG, others, just_done=just).id == exercise.id


# ---- 11. Correcting a past answer


async def test_the_chosen_past_answer_is_marked_and_e_names_whose_it_corrects(tmp_path):
    from relworkbook.screens.help import HelpScreen
    from relworkbook.screens.sitting_view import AnswerBlock, SittingViewScreen

    db = _workbook(tmp_path)
    with Store.open(db) as store:
        sitting = store.start_sitting(("a", "b"), started="2026-01-03T19:00:00")
        store.save_answer(sitting.id, "fx-hopes", "hope", "a", "More walks", prompt_type="text")
        store.save_answer(sitting.id, "fx-hopes", "hope", "b", "Less phone", prompt_type="text")
        store.end_sitting(sitting.id, ended="2026-01-03T19:30:00")
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(SittingViewScreen(app.store, app.catalog, app.couple, sitting.id))
        await pilot.pause()
        first, second = list(app.screen.query(AnswerBlock))[:2]
        assert app.focused is first
        assert "\u25c0 chosen" in str(first.content) and "chosen" not in str(second.content)
        assert "Correct Alex's (e)" in _shown(app)
        await pilot.press("down")
        await pilot.pause()
        assert "\u25c0 chosen" in str(second.content) and "chosen" not in str(first.content)
        assert "Correct Sam's (e)" in _shown(app)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = app.key_rows(app.screen_stack[-2])
        assert any("Choose the next answer" in what and "\u2193" in keys for _, keys, what in rows)
        # Each arrow once: the answer blocks take them before the scrolling body, so
        # "Scroll Up" / "Scroll Down" on the same keys would be a key that does not do that.
        for arrow in ("\u2191", "\u2193"):
            said = [what for _, keys, what in rows if arrow in keys.split(" / ")]
            assert len(said) == 1, (arrow, said)


def _shown(app) -> str:
    """What the terminal shows now: the screen's rendered lines, as a person reads them."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_the_correct_button_shows_its_whole_label_as_the_choice_moves(tmp_path, size):
    """Opened from History as a couple would: the button's label is read off the screen, not off the widget.

    Button.label is reactive without layout: a longer label stayed cut to the
    width of the first one ("Private:") until the terminal was resized.
    """
    db = _workbook(tmp_path)
    with Store.open(db) as store:
        sitting = store.start_sitting(("a", "b"), started="2026-01-03T19:00:00")
        for partner, value in (("a", 6), ("b", 7)):
            store.save_answer(sitting.id, "fx-checkin", "communication", partner, value, prompt_type="scale",
                              private=True, metric="communication")
        store.save_answer(sitting.id, "fx-hopes", "hope", "a", "More walks", prompt_type="text")
        store.end_sitting(sitting.id, ended="2026-01-03T19:30:00")
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Private: not revealed" in _shown(app)
        for _ in range(2):
            await pilot.press("down")
            await pilot.pause()
        assert "Correct Alex's (e)" in _shown(app)
        assert "Versions (v)" in _shown(app)
        await pilot.press("up")
        await pilot.pause()
        assert "Private: not revealed" in _shown(app)


# ---- 7. Active listening: up to three tries


async def test_after_three_not_quites_the_round_ends_with_the_correction():
    from textual.app import App

    from relworkbook.model import Prompt
    from relworkbook.widgets import TurnsPrompt

    prompt = Prompt("listen", "turns", "Say it back", rounds=1)

    class One(App):
        def compose(self):
            yield TurnsPrompt(prompt)

    app = One()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one(TurnsPrompt)
        widget.focus_first()
        for text in ("I am tired", "you are sad"):
            await pilot.press(*text, "enter")
        for n in range(3):
            assert widget.stage == "confirm"
            await pilot.press("n")
            await pilot.press(*f"no {n}", "enter")
            if n < 2:
                assert widget.stage == "paraphrase"
                await pilot.press(*f"try {n}", "enter")
        assert widget.stage == "done"
        (turn,) = widget.value
        assert turn["tries"] == [{"paraphrase": "you are sad", "correction": "no 0"},
                                 {"paraphrase": "try 0", "correction": "no 1"}]
        assert turn["paraphrase"] == "try 1" and turn["correction"] == "no 2" and not turn["confirmed"]
        assert kinds.answer_text("turns", widget.value).count("\n") == 6
        pieces = kinds.pieces_for(prompt, "turns", widget.value, {"a": "Alex", "b": "Sam"})
        assert [p.text for p in pieces][:5] == ["I am tired", "you are sad", "no 0", "try 0", "no 1"]
        widget.set_value(widget.value)  # loaded back as it was
        assert widget.value == [turn] and widget.stage == "done"


# ---- 10. The check-in reveal shows each partner's total, band and change


async def test_the_check_in_reveal_shows_totals_with_band_and_change(tmp_path):
    from relworkbook.screens.handover import RevealScreen

    db = _workbook(tmp_path)
    checkin = CATALOG.exercise("fx-checkin")
    with Store.open(db) as store:
        last = store.start_sitting(("a", "b"), started="2026-01-05T19:00:00")
        _rate(store, last.id, "a", 6, 6)
        _rate(store, last.id, "b", 3, 3)
        store.end_sitting(last.id, ended="2026-01-05T19:30:00")
        now = store.start_sitting(("a", "b"), started="2026-01-12T19:00:00")
        _rate(store, now.id, "a", 8, 8, reveal=False)
        _rate(store, now.id, "b", 4, 3, reveal=False)
        run = Run(store, checkin, now.id, ("a", "b"))
        reveal = run.reveal([checkin.prompt("communication"), checkin.prompt("closeness")])
        assert reveal.totals() == []  # nothing before the reveal
        reveal.agree("a"), reveal.agree("b")
        assert reveal.reveal()
        lines = {line.partner: line for line in reveal.totals()}
        assert (lines["a"].total, lines["a"].previous, lines["a"].change, lines["a"].band) == (16, 12, 4, "Steady")
        assert lines["a"].words  # past the pack's threshold of 4
        assert (lines["b"].total, lines["b"].previous, lines["b"].band, lines["b"].words) == (7, 6, "Needs attention", "")
    # On the screen, at the reveal itself.
    with Store.open(db) as store:
        another = store.start_sitting(("a", "b"), started="2026-01-19T19:00:00")
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        run = Run(app.store, checkin, another.id, ("a", "b"))
        _rate(app.store, another.id, "a", 5, 5, reveal=False)
        _rate(app.store, another.id, "b", 5, 5, reveal=False)
        screen = RevealScreen(run.reveal(run.due(1) or [checkin.prompt("communication"), checkin.prompt("closeness")]),
                              app.couple)
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press("1", "2")
        await pilot.pause()
        text = "\n".join(str(w.content) for w in screen.query(".total-line"))
        assert "Week total, Alex: 16 \u2192 10 (-6)" in text and "Steady" in text
        assert "Week total, Sam: 7 \u2192 10 (+3)" in text


# ---- 9. Step intros and a short "done" moment


async def test_a_new_step_shows_its_intro_and_a_finished_exercise_ends_on_a_done_moment(tmp_path):
    from relworkbook.screens.done import DoneScreen
    from relworkbook.screens.home import HomeScreen

    app = make_app(_workbook(tmp_path), [FIXTURES], shipped=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.action_open_exercise("fx-hopes")
        await pilot.pause()
        await pilot.click("#only-a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        text = "\n".join(str(w.content) for w in screen.query("#body Static"))
        assert "A new step: Getting started" in text and "A gentle first look" in text
        screen.run.save(0, "More walks", changed=True)  # an answer: the step has begun
        await pilot.press("escape")  # left early: no done moment
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.action_open_exercise("fx-hopes")
        await pilot.pause()
        screen = app.screen
        text = "\n".join(str(w.content) for w in screen.query("#body Static"))
        assert "A new step" not in text  # shown when the step is first opened, not every time
        while isinstance(app.screen, ExerciseScreen) or app.screen.__class__.__name__ == "HandoverScreen":
            if app.screen.__class__.__name__ == "HandoverScreen":
                await pilot.press("enter")
            else:
                await pilot.press("pagedown")
            await pilot.pause()
        assert isinstance(app.screen, DoneScreen)
        done = "\n".join(str(w.content) for w in app.screen.query("Static"))
        assert "Done: What we hope for" in done and "Next:" in done and "breath" in done
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


# ---- 6. One rating per partner per metric per sitting


def test_two_prompts_feeding_one_metric_are_refused_and_a_sitting_never_averages(tmp_path):
    from relworkbook import recap

    pack = tmp_path / "pack"
    (pack / "weekly").mkdir(parents=True)
    (pack / "steps.yaml").write_text(
        "steps:\n  - {id: weekly, title: Weekly, order: 1, intro: Each week.}\n"
        "metrics:\n  - {key: talk, title: Talking, min: 1, max: 10}\n"
    )
    (pack / "weekly" / "twice.yaml").write_text(
        "id: twice\ntitle: Twice\nstep: weekly\nminutes: 5\nintro: Two ratings.\nprompts:\n"
        "  - {id: one, type: scale, text: How well?, metric: talk}\n"
        "  - {id: two, type: scale, text: And now?, metric: talk}\n"
    )
    catalog = load_dir(pack)
    assert any("feeds metric 'talk'" in str(e) and "twice.yaml:8" in str(e) for e in catalog.errors), catalog.errors
    with Store.open(_workbook(tmp_path)) as store:
        sitting = store.start_sitting(("a", "b"))
        store.save_answer(sitting.id, "fx-checkin", "communication", "a", 3, prompt_type="scale", metric="communication")
        store.save_answer(sitting.id, "other", "talk", "a", 4, prompt_type="scale", metric="communication")
        built = recap.build_recap(store, CATALOG, sitting.id)
        (metric,) = [m for m in built.metrics if m.key == "communication"]
        assert [v.value for v in metric.values if v.partner == "a"] == [3]  # not 3.5


# ---- Cross-screen intents: Home posts typed messages, the app handles them


async def test_home_choices_reach_the_app_as_typed_intents(tmp_path):
    from textual.widgets import OptionList

    from relworkbook import messages
    from relworkbook.screens.history import HistoryScreen

    db = _workbook(tmp_path)
    with Store.open(db) as store:
        solo = store.start_sitting(("a",), started="2026-01-03T19:00:00")
        store.save_answer(solo.id, "fx-hopes", "hope", "a", "More walks", prompt_type="text")
        store.end_sitting(solo.id, ended="2026-01-03T19:30:00")
    app = make_app(db, [FIXTURES], shipped=False)
    seen: list[type] = []
    async with app.run_test(size=(100, 30), message_hook=lambda m: seen.append(type(m))) as pilot:
        await pilot.pause()
        home = app.screen
        olist = home.query_one("#home-list", OptionList)
        ids = [olist.get_option_at_index(i).id for i in range(olist.option_count)]
        # Every option that can be chosen carries its message; none is decoded from its id.
        assert {i for i in ids if i} - {"look"} == set(home.intents)
        built = {option_id: make() for option_id, make in home.intents.items()}
        (pending,) = [i for i, m in built.items() if isinstance(m, messages.CatchUp)]
        assert (built[pending].partner, built[pending].sitting_id, built[pending].exercise_id) == ("b", solo.id, "fx-hopes")
        assert built["go:history"].action is messages.Go.HISTORY
        olist.highlighted = ids.index("go:history")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen) and messages.AppAction in seen
        await pilot.press("escape")
        await pilot.pause()
        olist = app.screen.query_one("#home-list", OptionList)
        olist.highlighted = ids.index(pending)
        await pilot.press("enter")
        await pilot.pause()
        assert messages.CatchUp in seen
        await pilot.click("#only-b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen) and screen.run.catching_up
        assert screen.run.answer_sitting_id == solo.id


def test_a_partner_alone_sees_their_own_private_answers_in_their_own_recap(tmp_path):
    from relworkbook import recap

    with Store.open(_workbook(tmp_path)) as store:
        solo = store.start_sitting(("a",))
        store.save_answer(solo.id, "fx-hopes", "ready", "a", "Not yet", prompt_type="choice", private=True)
        store.end_sitting(solo.id)
        mine = recap.render(recap.build_recap(store, CATALOG, solo.id, own="a"), "text")
        assert "Not yet" in mine and "Seen only by Alex" in mine
        shared = recap.render(recap.build_recap(store, CATALOG, solo.id), "text")
        assert "Not yet" not in shared and recap.PRIVATE_HIDDEN in shared
        assert "Not yet" not in recap.render(recap.build_recap(store, CATALOG, solo.id, own="b"), "text")
        both = store.start_sitting(("a", "b"))
        store.save_answer(both.id, "fx-hopes", "ready", "a", "Unsure", prompt_type="choice", private=True)
        assert "Unsure" not in recap.render(recap.build_recap(store, CATALOG, both.id, own="a"), "text")


async def test_the_end_of_a_solo_sitting_shows_that_partner_their_own_private_answer(tmp_path):
    from relworkbook.screens.sitting_end import SittingEndScreen

    db = _workbook(tmp_path)
    with Store.open(db) as store:
        solo = store.start_sitting(("b",))
        store.save_answer(solo.id, "fx-hopes", "ready", "b", "Not yet", prompt_type="choice", private=True)
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.end_sitting(solo.id)
        await pilot.pause()
        assert isinstance(app.screen, SittingEndScreen) and app.screen.own == "b"
        shown = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "Seen only by Sam" in shown


# ---- A private answer opened again after the reveal says what became of it


def _revealed_hopes(store: Store, *, kept_by: str | None) -> int:
    """fx-hopes answered by both; 'ready' revealed, ``kept_by``'s answer kept just for them."""
    sitting = store.start_sitting(("a", "b"))
    run = Run(store, CATALOG.exercise("fx-hopes"), sitting.id, ("a", "b"))
    view = run.show()
    while True:
        if view.kind == "handover":
            view = run.handed_over(True)
        if view.kind == "answer":
            prompt = run.slots[view.slot].prompt
            run.save(view.slot, kinds.kind(prompt.type).example(prompt), changed=True)
            due = run.leave_slot()
            if due:
                reveal = run.reveal(due)
                if kept_by:
                    reveal.keep(kept_by, "ready")
                reveal.agree("a"), reveal.agree("b")
                assert reveal.reveal()
                return sitting.id
        assert run.advance()
        view = run.show()


def test_a_revealed_private_answer_shows_as_revealed_and_one_kept_just_for_me_never_shows(tmp_path):
    with Store.open(_workbook(tmp_path)) as store:
        sitting_id = _revealed_hopes(store, kept_by="b")
        run = Run(store, CATALOG.exercise("fx-hopes"), sitting_id, ("a", "b"))
        pages = {run.slots[p].partner: run.pages.index(p) for p in range(len(run.slots))
                 if run.slots[p].prompt.id == "ready"}
        run.pos = pages["a"]
        view = run.show()
        assert (view.kind, view.load, view.revealed) == ("answer", True, True)
        run.pos = pages["b"]
        view = run.show()  # was "answer" with Sam's kept answer loaded, shown to whoever was there
        assert (view.kind, view.load, view.kept, view.can_reveal) == ("locked", False, True, False)


async def test_a_revealed_private_answer_opened_again_says_it_was_revealed(tmp_path):
    from textual.app import App
    from textual.widgets import Static

    db = _workbook(tmp_path)
    with Store.open(db) as store:
        sitting_id = _revealed_hopes(store, kept_by="b")

    class Host(App):
        def on_mount(self) -> None:
            self.store = Store.open(db)
            self.push_screen(ExerciseScreen(self.store, CATALOG.exercise("fx-hopes"), sitting_id, ("a", "b")))

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(3):  # the intro, then both partners' 'hope'
            await pilot.press("pagedown")
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen) and screen.run.slots[screen.run.slot_index].partner == "a"
        text = "\n".join(str(w.content) for w in screen.query("#body Static"))
        assert "Revealed: you both agreed to show this." in text
        assert "hidden from the screen" not in text
        await pilot.press("pagedown")
        await pilot.pause()
        text = "\n".join(str(w.content) for w in app.screen.query("#body Static"))
        assert "Sam kept this answer just for them" in text and "Ready" not in text.replace("How ready", "")
        await pilot.press("pageup")  # back again with PgUp: still revealed, still saying so
        await pilot.pause()
        text = "\n".join(str(w.content) for w in app.screen.query("#body Static"))
        assert "Revealed: you both agreed to show this." in text
        app.store.close()


def test_an_app_action_is_one_of_a_closed_set_and_the_app_handles_every_one(tmp_path):
    import pytest

    from relworkbook import messages

    with pytest.raises(TypeError):
        messages.AppAction("history")  # a name is not an action
    with pytest.raises(ValueError):
        messages.Go("quit")  # nor is anything outside the set
    app = make_app(_workbook(tmp_path), [FIXTURES], shipped=False)
    handlers = app.app_actions()
    assert set(handlers) == set(messages.Go)
    for go, handler in handlers.items():
        assert handler.__name__ == f"action_{go.value}"
    app.store.close()
