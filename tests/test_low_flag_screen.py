"""Issue 15: the Trends screen flags a single rating at 3 or below, whatever the total says."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Static

from relworkbook.catalog import load_dir
from relworkbook.screens.trends import TrendsScreen
from relworkbook.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


class Host(App[None]):
    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def on_mount(self) -> None:
        self.push_screen(self.make())


def _week(store: Store, day: str, scores: dict[str, tuple[int, int]]) -> None:
    sitting = store.start_sitting(["a", "b"], started=f"{day}T19:00:00")
    for metric, (a, b) in scores.items():
        for partner, value in (("a", a), ("b", b)):
            store.save_answer(sitting.id, "fx-checkin", metric, partner, value, prompt_type="scale",
                              private=True, metric=metric)
        store.reveal(sitting.id, "fx-checkin", metric)
    store.end_sitting(sitting.id, ended=f"{day}T19:10:00")


async def test_trends_screen_flags_one_collapsed_area(tmp_path):
    catalog = load_dir(FIXTURES)
    store = Store.open(tmp_path / "workbook.db")
    store.set_couple("Alex", "blue", "Sam", "green")
    _week(store, "2026-01-05", {"communication": (6, 6), "closeness": (6, 6)})
    _week(store, "2026-01-12", {"communication": (2, 6), "closeness": (10, 6)})  # Alex's total 12: "Steady"
    app = Host(lambda: TrendsScreen(store, catalog, store.get_couple(), now="2026-01-20T12:00:00"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        stats = lambda: " ".join(str(app.screen.query_one("#trends-stats", Static).content).split())  # noqa: E731
        assert "LOW: Communication at 3 or below" in stats()  # the first metric, communication
        for _ in range(10):  # step to the check-in total
            if "Range" in stats():
                break
            await pilot.press("right_square_bracket")
            await pilot.pause()
        assert "Steady" in stats() and "LOW: Communication at 3 or below" in stats()
        assert "reliable change" not in stats()
    store.close()
