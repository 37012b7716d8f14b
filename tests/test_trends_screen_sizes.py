"""Trends at every size and without colour (issue 19 items 2 and 8)."""

from __future__ import annotations

from datetime import date

import pytest
from textual.app import App
from textual.widgets import Static
from textual_plotext import PlotextPlot

from relworkbook import demo
from relworkbook.catalog import load_catalog
from relworkbook.screens.trends import MARKERS, TrendsScreen, small_table, x_ticks
from relworkbook.store import Store


def day(text: str) -> float:
    return float(date.fromisoformat(text).toordinal())


def test_x_axis_says_years_when_the_range_spans_years():
    ticks, labels = x_ticks(day("2016-01-10"), day("2019-05-20"))
    assert labels == ["2017", "2018", "2019"]
    assert ticks == [day("2017-01-01"), day("2018-01-01"), day("2019-01-01")]
    # Ten years: at most five labels, still years.
    _, labels = x_ticks(day("2014-03-01"), day("2024-03-01"))
    assert len(labels) <= 5 and all(len(label) == 4 and label.isdigit() for label in labels)


def test_x_axis_within_a_year_says_days_and_across_new_year_months_and_years():
    _, labels = x_ticks(day("2025-03-03"), day("2025-06-30"))
    assert labels[0] == "3 Mar" and labels[-1] == "30 Jun"
    _, labels = x_ticks(day("2025-11-03"), day("2026-02-02"))
    assert labels[0] == "Nov 2025" and labels[-1] == "Feb 2026"
    assert x_ticks(day("2025-03-03"), day("2025-03-03"))[1] == ["3 Mar"]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture
def demo_store(tmp_path, catalog):
    store = Store.open(tmp_path / "demo.db")
    demo.generate(store, catalog, weeks=120, seed=2, today=demo.SAMPLE_TODAY)
    yield store
    store.close()


class Host(App[None]):
    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def on_mount(self) -> None:
        self.push_screen(self.make())


def chart_text(app: App) -> str:
    plot = app.screen.query_one("#trends-plot", PlotextPlot)
    return plot.plt.build()


async def test_lines_have_their_own_markers_and_names_at_their_ends(demo_store, catalog, monkeypatch):
    """Under NO_COLOR the two lines still differ: a marker each, the name at each line's end."""
    monkeypatch.setenv("NO_COLOR", "1")
    couple = demo_store.get_couple()
    app = Host(lambda: TrendsScreen(demo_store, catalog, couple))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.no_color
        plot = app.screen.query_one("#trends-plot", PlotextPlot)
        assert plot.display
        drawn = chart_text(app)
        assert MARKERS["a"] in drawn and MARKERS["b"] in drawn and MARKERS["a"] != MARKERS["b"]
        rows = drawn.splitlines()
        # Each name is drawn inside the chart (at its line's end), besides the legend.
        for name in (couple.a.name, couple.b.name):
            assert sum(row.count(name) for row in rows) >= 2, drawn
        # The x axis is in years: the demo spans more than two.
        assert any("2025" in row or "2026" in row for row in rows[-3:])


@pytest.mark.parametrize("size", [(40, 12), (60, 14)])
async def test_a_small_table_instead_of_an_unreadable_chart(demo_store, catalog, size):
    couple = demo_store.get_couple()
    app = Host(lambda: TrendsScreen(demo_store, catalog, couple))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert not screen.query_one("#trends-plot", PlotextPlot).display
        stats = str(screen.query_one("#trends-stats", Static).content)
        metric = screen.summary.metrics[0]
        latest_day = max(at for p in metric.partners for at, _ in p.series)[:10]
        assert "date" in stats and latest_day in stats
        assert couple.a.name[:8] in stats and couple.b.name[:8] in stats
        # Bigger again: the chart comes back.
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.pause()
        assert screen.query_one("#trends-plot", PlotextPlot).display


def test_small_table_rows(demo_store, catalog):
    from relworkbook import trends

    metric = trends.summary(demo_store, catalog).metrics[0]
    lines = small_table(metric, rows=3).plain.splitlines()
    assert len(lines) == 4 and lines[0].startswith("date")
    dates = [line.split()[0] for line in lines[1:]]
    assert dates == sorted(dates)


async def test_a_theme_change_draws_the_chart_again_in_readable_colours(demo_store, catalog):
    from relworkbook.colour import for_theme

    couple = demo_store.get_couple()
    app = Host(lambda: TrendsScreen(demo_store, catalog, couple))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        drawn: list[str] = []
        original = screen.show_entry

        def counting() -> None:
            drawn.append(app.theme)
            original()

        screen.show_entry = counting
        app.theme = "textual-light"
        await pilot.pause()
        assert drawn and drawn[-1] == "textual-light"
        # The stats' names are in the light theme's readable shade of each colour.
        stats = screen.query_one("#trends-stats", Static).content
        shade = for_theme(couple.a.colour, app.current_theme).lower()
        assert any(shade in str(span.style).lower() for span in stats.spans)
