"""The reveal's "keep some just for me", on screen: one partner keeps an answer, both agree,
and the kept words appear nowhere while the rest are shown side by side.

The shipped "Where doubt comes from" (tr-sources), a real workbook in tmp_path, keys
through a Pilot: the same path a couple takes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import SelectionList, Static

from relworkbook.catalog import load_dir
from relworkbook.screens.exercise import ExerciseScreen
from relworkbook.screens.handover import HandoverScreen, KeepScreen, RevealScreen
from relworkbook.store import Store

SHIPPED = Path(__file__).resolve().parents[1] / "exercises"
KEPT = "alexkeptthesewords"
SHARED = "samsharedthesewords"


class Host(App):
    def __init__(self, store, catalog, exercise_id, sitting_id) -> None:
        super().__init__()
        self.args = (store, catalog.exercise(exercise_id), sitting_id, ("a", "b"))
        self.catalog = catalog

    def on_mount(self) -> None:
        self.push_screen(ExerciseScreen(*self.args, catalog=self.catalog))


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "workbook.db")
    s.set_couple("Alex", "#cc3366", "Sam", "dodgerblue")
    yield s
    s.close()


def _on_screen(app) -> str:
    return "\n".join(str(w.content) for w in app.screen.query(Static))


async def test_keeping_an_answer_at_the_reveal_keeps_its_words_off_the_screen_and_unrevealed(store):
    catalog = load_dir(SHIPPED)
    sitting = store.start_sitting(("a", "b"))
    app = Host(store, catalog, "tr-sources", sitting.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown")  # past the intro
        await pilot.pause()
        for rating, words in (("4", KEPT), ("6", SHARED)):
            assert isinstance(app.screen, HandoverScreen)
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press(rating)  # trust
            await pilot.press("pagedown")
            await pilot.pause()
            await pilot.press("space")  # a source of doubt
            await pilot.press("pagedown")
            await pilot.pause()
            await pilot.press(*words)  # what would help
            await pilot.press("pagedown")
            await pilot.pause()
        for _ in range(3):
            if isinstance(app.screen, RevealScreen):
                break
            await pilot.pause()
        reveal = app.screen
        assert isinstance(reveal, RevealScreen)
        await pilot.press("3")  # Alex: keep some just for me
        await pilot.pause()
        assert isinstance(app.screen, KeepScreen)
        choices = app.screen.query_one(SelectionList)
        await pilot.press("down", "down", "space")  # the third: what would help
        await pilot.pause()
        assert choices.selected == ["would-help"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is reveal
        await pilot.press("1", "2")
        await pilot.pause()
        shown = _on_screen(app)
        assert "Alex kept 1 answer private." in shown
        assert KEPT not in shown
        assert SHARED in shown  # Sam's answer to the same question is shown
        assert "4 / 10" in shown and "6 / 10" in shown  # Alex's other answers are shown
    kept = store.find_answer(sitting.id, "tr-sources", "would-help", "a")
    other = store.find_answer(sitting.id, "tr-sources", "would-help", "b")
    assert kept.value == KEPT and kept.private and not kept.revealed
    assert other.revealed
    assert store.find_answer(sitting.id, "tr-sources", "trust", "a").revealed
    assert store.kept_private(sitting.id) == [("tr-sources", "would-help", "a")]
