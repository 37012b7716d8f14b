"""Issue 15, on screen: the quiet line a partner sees under their own private answer.

A very low rating of the check-in's safety item points to the help list (f3);
"Not yet" names "When one of us is unsure". Both show only while that partner
answers, go when the answer changes, and leave nothing stored but the answer.
The reveal flags a single rating at 3 or below. The shipped program, a real
workbook in tmp_path, keys through a Pilot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Static

from relworkbook.catalog import load_dir
from relworkbook.screens.exercise import ExerciseScreen
from relworkbook.screens.handover import HandoverScreen, RevealScreen
from relworkbook.store import Store

SHIPPED = Path(__file__).resolve().parents[1] / "exercises"


class Host(App):
    def __init__(self, store, catalog, exercise_id, sitting_id, attendees) -> None:
        super().__init__()
        self.args = (store, catalog.exercise(exercise_id), sitting_id, tuple(attendees))
        self.catalog = catalog

    def on_mount(self) -> None:
        self.push_screen(ExerciseScreen(*self.args, catalog=self.catalog))


@pytest.fixture(scope="module")
def catalog():
    cat = load_dir(SHIPPED)
    assert not cat.errors, cat.errors
    return cat


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "workbook.db")
    s.set_couple("Alex", "#cc3366", "Sam", "dodgerblue")
    yield s
    s.close()


def quiet(app) -> str:
    found = app.screen.query("#quiet-line")
    if not found:
        return ""
    line = found.first(Static)
    return str(line.content) if line.display else ""


async def test_a_very_low_safety_rating_shows_the_help_list_line_on_that_turn_only(store, catalog):
    sitting = store.start_sitting(("a",))
    app = Host(store, catalog, "weekly-check-in", sitting.id, ("a",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown")  # past the intro
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(4):  # communication, trust, intimacy, appreciation
            await pilot.press("7")
            await pilot.pause()
            assert quiet(app) == ""  # only the safety item carries the line
            await pilot.press("pagedown")
            await pilot.pause()
        assert "safely and kindly" in str(app.screen.query_one(".prompt-text", Static).content)
        await pilot.press("2")
        await pilot.pause()
        assert "f3" in quiet(app) and "Only you can see this line" in quiet(app)
        await pilot.press("6")
        await pilot.pause()
        assert quiet(app) == ""
        await pilot.press("2")
        await pilot.pause()
        assert "f3" in quiet(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert quiet(app) == ""  # the next prompt: the line went with the answer
    saved = store.find_answer(sitting.id, "weekly-check-in", "conflict", "a")
    assert saved.value == 2 and saved.private
    assert not any("f3" in a.text for a in store.answers_for_sitting(sitting.id))


async def test_not_yet_names_the_unsure_exercise_to_that_partner(store, catalog):
    sitting = store.start_sitting(("a", "b"))
    app = Host(store, catalog, "tr-time-period", sitting.id, ("a", "b"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert quiet(app) == ""
        await pilot.press("down", "down", "enter")  # "Not yet"
        await pilot.pause()
        assert "When one of us is unsure" in quiet(app)
        await pilot.press("up", "enter")  # "Mostly"
        await pilot.pause()
        assert quiet(app) == ""
    saved = store.find_answer(sitting.id, "tr-time-period", "open", "a")
    assert saved.value == "Mostly"


async def test_the_reveal_flags_a_single_rating_at_3_or_below(store, catalog):
    sitting = store.start_sitting(("a", "b"))
    app = Host(store, catalog, "tr-sources", sitting.id, ("a", "b"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        for partner_rating in ("2", "8"):
            assert isinstance(app.screen, HandoverScreen)
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press(partner_rating)  # trust
            await pilot.press("pagedown")
            await pilot.pause()
            await pilot.press("space")  # the first source of doubt
            await pilot.press("pagedown")
            await pilot.pause()
            await pilot.press(*"time")
            await pilot.press("pagedown")
            await pilot.pause()
        for _ in range(3):
            if isinstance(app.screen, RevealScreen):
                break
            await pilot.pause()
        assert isinstance(app.screen, RevealScreen)
        await pilot.press("1", "2")  # both agree
        await pilot.pause()
        shown = " ".join(str(w.content) for w in app.screen.query(Static))
        assert "Low (3 or below)" in shown
        assert shown.count("Low (3 or below)") == 1  # Alex's 2, not Sam's 8
