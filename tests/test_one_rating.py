"""One rating per partner per metric per sitting (issue 14, item 6), the same everywhere.

The shipped program asks about communication in three exercises (the weekly
check-in, 'Speaker and listener', 'Seven areas'). When one sitting holds two of
them, trends (text, CSV, JSON), the Trends screen, the report and the recap
must all show the one rating that counts: the check-in's (docs/exercises.md,
"One rating per sitting").
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Static

from relworkbook import recap, trends
from relworkbook.catalog import load_catalog
from relworkbook.model import MetricPoint
from relworkbook.screens.trends import TrendsScreen
from relworkbook.store import Store

ROOT = Path(__file__).resolve().parent.parent


def _rate(store: Store, sitting_id: int, exercise_id: str, values: dict[str, int]) -> None:
    for partner, value in values.items():
        store.save_answer(sitting_id, exercise_id, "communication", partner, value, prompt_type="scale",
                          private=True, metric="communication")
    store.reveal(sitting_id, exercise_id, "communication")


@pytest.fixture
def workbook(tmp_path) -> Path:
    """Last week's check-in (6 and 7), then a sitting: 'Speaker and listener' first (8, 9), then the check-in (4, 5)."""
    path = tmp_path / "w.db"
    with Store.open(path) as store:
        store.set_couple("Alex", "blue", "Sam", "green")
        before = store.start_sitting(["a", "b"], started="2026-03-01T19:00:00")
        _rate(store, before.id, "weekly-check-in", {"a": 6, "b": 7})
        store.end_sitting(before.id, ended="2026-03-01T19:30:00")
        now = store.start_sitting(["a", "b"], started="2026-03-08T19:00:00")
        _rate(store, now.id, "co-listening", {"a": 8, "b": 9})
        _rate(store, now.id, "weekly-check-in", {"a": 4, "b": 5})
        store.end_sitting(now.id, ended="2026-03-08T19:40:00")
    return path


def run(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "relworkbook", *args], capture_output=True, text=True,
                            cwd=ROOT, env=dict(os.environ), stdin=subprocess.DEVNULL, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _line(text: str, *words: str) -> str:
    found = [line for line in text.splitlines() if all(word in line for word in words)]
    assert found, f"no line with {words} in:\n{text}"
    return found[0]


def test_every_output_shows_the_checkins_rating(workbook):
    db = str(workbook)
    # trends, as text: latest 4 (change -2) for Alex, 5 (-2) for Sam
    text = run("trends", "--db", db)
    assert _line(text, "Alex").split()[-2:] == ["4", "-2"]
    assert _line(text, "Sam").split()[-2:] == ["5", "-2"]
    # trends as CSV: one row per sitting and partner, the check-in's number
    rows = list(csv.reader(io.StringIO(run("trends", "--db", db, "--format", "csv"))))
    assert ["2026-03-08", "Alex", "communication", "4"] in rows
    assert ["2026-03-08", "Sam", "communication", "5"] in rows
    assert len([r for r in rows if r[0] == "2026-03-08"]) == 2
    # trends as JSON
    data = json.loads(run("trends", "--db", db, "--format", "json"))
    (comm,) = [m for m in data["metrics"] if m["metric"] == "communication"]
    by_partner = {p["partner"]: p for p in comm["partners"]}
    assert (by_partner["a"]["latest"], by_partner["a"]["change"]) == (4, -2)
    assert [s["value"] for s in by_partner["b"]["series"]] == [7, 5]
    # the report
    report = run("report", "--db", db, "--format", "text", "--from", "2026-02-01", "--to", "2026-03-31")
    assert "6 → 4 (-2)" in _line(report, "Communication", "→")
    assert "7 → 5 (-2)" in _line(report, "Communication", "→")
    # the recap of that sitting
    text = run("recap", "--db", db, "--last")
    row = _line(text, "Communication", "→")
    assert "6 → 4 (-2)" in row and "7 → 5 (-2)" in row


def test_the_rule_is_one_function_the_recap_and_trends_share(workbook):
    catalog = load_catalog()
    with Store.open(workbook) as store:
        sitting = store.last_sitting()
        answers = store.answers_for_sitting(sitting.id)
        built = recap.build_recap(store, catalog, sitting.id)
        summary = trends.summary(store, catalog)
    (metric,) = [m for m in built.metrics if m.key == "communication"]
    assert {v.partner: v.value for v in metric.values} == {"a": 4, "b": 5}
    comm = next(m for m in summary.metrics if m.key == "communication")
    assert {p.partner: p.latest for p in comm.partners} == {"a": 4, "b": 5}
    # Without a catalogue (no check-in known), the first rating given counts, in both.
    assert {k: v for k, v in recap.metric_values(answers, ()).items()} == {
        ("communication", "a"): 8, ("communication", "b"): 9}
    points = [MetricPoint(a.sitting_id, sitting.started, a.partner, a.metric, a.number,
                          {"exercise_id": a.exercise_id, "answer_id": a.id}) for a in reversed(answers)]
    assert trends.series(points, "communication", "a") == [(sitting.started, 8)]
    assert trends.series(points, "communication", "a", checkins={"weekly-check-in"}) == [(sitting.started, 4)]


class Host(App[None]):
    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def on_mount(self) -> None:
        self.push_screen(self.make())


async def test_the_trends_screen_shows_the_checkins_rating(workbook):
    catalog = load_catalog()
    with Store.open(workbook) as store:
        couple = store.get_couple()
        app = Host(lambda: TrendsScreen(store, catalog, couple))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            stats = str(app.screen.query_one("#trends-stats", Static).render())
            assert "Communication" in str(app.screen.query_one("#trends-list").get_option_at_index(0).prompt)
            assert "Alex  latest 4 " in stats and "Sam  latest 5 " in stats, stats
