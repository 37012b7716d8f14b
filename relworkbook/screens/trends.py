"""Trends: one metric (or instrument total) at a time, each partner's line over time.

A list on the left picks the metric (every ``catalog.metrics`` entry, then each
instrument total such as the weekly check-in); the right shows its chart and,
per partner, the latest value, the change since their previous rating, whether
that change is reliable, and the gap between the partners. Tabs on top choose
the window (last 3 months, last year, all); beside them a quiet hint says that
``r`` (or a click on it) opens the progress report, a key the 80-column footer
has no room for. ``trends.summary`` runs once per
window change (one store query); moving between metrics only redraws.

This is the only module that imports ``textual_plotext``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static, Tab, Tabs
from textual.widgets.option_list import Option
from textual_plotext import PlotextPlot

from .. import trends
from ..model import Couple, partner_name
from .lookback import go_back, name_text, partner_colour

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ..catalog import Catalog

WINDOW_LABELS = {"3m": "Last 3 months", "1y": "Last year", "all": "All"}
REPORT_HINT = "r  Progress report to print"
RELIABLE = "reliable change"
ORDINARY = "within normal ups and downs"


def _rgb(couple: Couple | None, key: str, fallback: str) -> Any:
    colour = partner_colour(couple, key)
    if not colour:
        return fallback
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _day(iso: str) -> float:
    return float(date.fromisoformat(iso[:10]).toordinal())


def thin(xs: list[float], ys: list[float], most: int) -> tuple[list[float], list[float]]:
    """At most ``most`` points: long series averaged over equal stretches of time.

    Plotext's drawing cost grows with the points, and a chart a few dozen
    columns wide cannot show more than that many anyway.
    """
    if len(xs) <= most or most < 2:
        return xs, ys
    first, last = xs[0], xs[-1]
    span = (last - first) or 1.0
    sums: dict[int, list[float]] = {}
    for x, y in zip(xs, ys):
        slot = min(most - 1, int((x - first) / span * most))
        acc = sums.setdefault(slot, [0.0, 0.0, 0.0])
        acc[0] += x
        acc[1] += y
        acc[2] += 1
    out_x, out_y = [], []
    for slot in sorted(sums):
        sx, sy, n = sums[slot]
        out_x.append(sx / n)
        out_y.append(sy / n)
    return out_x, out_y


# Each partner's line has its own marker and its name at its end, so the two
# are told apart without colour (NO_COLOR, a monochrome terminal, colour blindness).
MARKERS = {"a": "o", "b": "x", "together": "+"}
# With less room than this beside the list (the numbers below the chart take
# four or five rows), plotext draws an empty or unreadable box: a small table
# of the latest ratings is shown instead.
MIN_CHART_ROWS = 14
MIN_CHART_COLUMNS = 30
TABLE_ROWS = 6


def spread_ends(ends: list[tuple[float, float, str, Any]], lo: float, hi: float, rows: int) -> list[tuple[float, float, str, Any]]:
    """Two lines' names that would land on the same row (their ends less than a row
    apart) go a row above and a row below, inside the chart: else the second name is
    written over the first ("ooASam")."""
    if len(ends) != 2:
        return ends
    step = (hi - lo) / max(1, rows)
    (x1, y1, n1, c1), (x2, y2, n2, c2) = ends
    if abs(y1 - y2) >= step:
        return ends
    mid = (y1 + y2) / 2
    top, bottom = mid + step, mid - step
    if top > hi:
        top, bottom = hi, hi - 2 * step
    elif bottom < lo:
        top, bottom = lo + 2 * step, lo
    first_up = y1 >= y2
    return [(x1, top if first_up else bottom, n1, c1), (x2, bottom if first_up else top, n2, c2)]


def x_ticks(first: float, last: float) -> tuple[list[float], list[str]]:
    """Ticks and labels for a time axis from day ``first`` to day ``last`` (ordinals).

    A range of more than a year is labelled in years ("2019"), at the start of
    each year (at most five); a shorter one with days ("3 Mar"), so a label can
    never be read as a day of the month when it means a year ("Jan 16"); a
    shorter one across New Year with months and years ("Dec 2025").
    """
    start, end = date.fromordinal(int(first)), date.fromordinal(int(last))
    if last - first > 366:
        years = list(range(start.year + (start > date(start.year, 1, 1)), end.year + 1))
        stride = max(1, -(-len(years) // 5))
        years = years[::stride]
        if years:
            return [float(date(y, 1, 1).toordinal()) for y in years], [str(y) for y in years]
        return [first], [str(start.year)]
    count = 4 if last > first else 1
    ticks = [first + (last - first) * i / max(count - 1, 1) for i in range(count)]
    days = [date.fromordinal(int(tick)) for tick in ticks]
    if start.year == end.year:
        return ticks, [f"{day.day} {day:%b}" for day in days]
    return ticks, [f"{day:%b %Y}" for day in days]


def fit_name(name: str, width: int) -> str:
    """``name`` in at most ``width`` cells, never cut inside a word without saying so:
    whole, else its first word, else its start and an ellipsis ("Alexandrina" -> "Alexa\u2026")."""
    name = " ".join(name.split())
    if len(name) <= width:
        return name
    first = name.split(" ", 1)[0]
    if len(first) <= width:
        return first
    return name[: max(0, width - 1)] + "\u2026"


def small_table(trend: Any, rows: int = TABLE_ROWS, width: int | None = None) -> Text:
    """The latest ratings as a few lines of text: date, then each partner's value.

    ``width`` (the cells there are) keeps each line to one row: a name too long
    for its column is shortened at a word or with an ellipsis, never cut mid-word.
    """
    dates: dict[str, dict[str, float]] = {}
    for partner in trend.partners:
        for at, value in partner.series:
            dates.setdefault(at[:10], {})[partner.partner] = value
    keys = [partner.partner for partner in trend.partners if partner.series]
    out = Text()
    if not dates:
        return out
    most = 12 if width is None else max(4, min(12, (width - 10) // max(1, len(keys)) - 1))
    names = {partner.partner: fit_name(partner.name, most) for partner in trend.partners}
    column = max([len(names[k]) for k in keys] + [4])
    out.append(f"{'date':<10}" + "".join(f" {names[k]:>{column}}" for k in keys) + "\n", style="bold")
    for day in sorted(dates)[-rows:]:
        values = dates[day]
        out.append(f"{day:<10}" + "".join(f" {trends.fmt_number(values.get(k)) if k in values else '-':>{column}}" for k in keys) + "\n")
    return out


def change_words(change: float | None, is_reliable: bool, threshold: float | None, established: bool = False) -> str:
    """"reliable change" only for an instrument with a declared sd and reliability."""
    if change is None:
        return "no earlier rating to compare"
    words = f"change {trends.fmt_change(change)}"
    if not threshold:
        return words
    big = RELIABLE if established else trends.BIG_CHANGE
    return f"{words}: {big if is_reliable else ORDINARY}"


class TrendsScreen(Screen[None]):
    DEFAULT_CSS = """
    TrendsScreen #trends-main {
        height: 1fr;
    }
    TrendsScreen #trends-top {
        height: auto;
    }
    TrendsScreen #trends-window {
        width: 1fr;
    }
    TrendsScreen #trends-hint {
        width: auto;
        height: 2;
        padding: 0 1;
        /* The tabs' bar goes on under the hint. */
        border-bottom: heavy $foreground 10%;
        color: $text-muted;
    }
    TrendsScreen #trends-hint:hover {
        color: $text;
        text-style: underline;
    }
    TrendsScreen.-narrow #trends-hint {
        display: none;
    }
    TrendsScreen #trends-list {
        width: 24;
        height: 1fr;
    }
    TrendsScreen #trends-detail {
        width: 1fr;
        height: 1fr;
    }
    TrendsScreen #trends-plot {
        height: 1fr;
        min-height: 4;
    }
    TrendsScreen #trends-stats {
        height: auto;
        max-height: 50%;
        padding: 0 1;
    }
    TrendsScreen.-table #trends-stats {
        max-height: 100%;
    }
    TrendsScreen.-narrow #trends-list {
        width: 14;
        /* Too narrow for some titles' words: wrap between words, and a word that
           still does not fit ends in an ellipsis rather than going on below. */
        text-overflow: ellipsis;
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    BINDINGS = [
        Binding("escape", "back", "Back", id="trends-back"),
        Binding("w", "next_window", "Window", id="trends-window"),
        # Not in the footer (80 columns): the hint beside the tabs says it (and Help, the palette).
        Binding("r", "app.report", "Report", id="trends-report", show=False),
        Binding("1", "window('3m')", "3 months", show=False, id="trends-3m"),
        Binding("2", "window('1y')", "Year", show=False, id="trends-1y"),
        Binding("3", "window('all')", "All", show=False, id="trends-all"),
        Binding("right_square_bracket", "step(1)", "Next metric", show=False, id="trends-next"),
        Binding("left_square_bracket", "step(-1)", "Previous metric", show=False, id="trends-previous"),
    ]

    def __init__(
        self,
        store: Store,
        catalog: Catalog | None,
        couple: Couple | None,
        *,
        window: str = "all",
        now: datetime | date | str | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.couple = couple
        self.window = window if window in trends.WINDOWS else "all"
        self.now = now
        self.summary: trends.TrendsSummary | None = None
        self._all: trends.TrendsSummary | None = None
        # (kind, index) per list entry: ("metric", i) or ("instrument", i)
        self.entries: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="trends-top"):
            yield Tabs(
                *(Tab(label, id=f"window-{key}") for key, label in WINDOW_LABELS.items()),
                active=f"window-{self.window}",
                id="trends-window",
            )
            hint = Text.assemble(("r", "bold"), REPORT_HINT[1:])
            yield Static(hint, id="trends-hint")
        with Horizontal(id="trends-main"):
            yield OptionList(id="trends-list")
            with Vertical(id="trends-detail"):
                yield PlotextPlot(id="trends-plot")
                yield Static("", id="trends-stats")
        yield Footer()

    def on_mount(self) -> None:
        self.load_window(self.window)
        self.query_one("#trends-list", OptionList).focus()
        # Partner colours are adjusted to each theme: draw again in the new one.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show_entry())

    async def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.id == "trends-hint":
            event.stop()
            await self.run_action("app.report")

    def on_resize(self) -> None:
        # Chart or table depends on the room there is.
        self.call_after_refresh(self.show_entry)

    # --------------------------------------------------------------- data

    def load_window(self, window: str) -> None:
        """Summarise once for the window, then refill the list and redraw."""
        self.window = window
        try:
            self.summary = self._summarise(window)
        except Exception as error:  # one clear line, never a traceback
            self.summary = None
            self.query_one("#trends-stats", Static).update(f"Could not read the trends: {error}".splitlines()[0])
            return
        listing = self.query_one("#trends-list", OptionList)
        keep = listing.highlighted
        listing.clear_options()
        self.entries = []
        options = []
        for index, metric in enumerate(self.summary.metrics):
            self.entries.append(("metric", index))
            options.append(Option(Text(metric.title.split(" (", 1)[0]), id=f"metric-{metric.key}"))
        for index, instrument in enumerate(self.summary.instruments):
            self.entries.append(("instrument", index))
            options.append(Option(Text(instrument.title, style="bold"), id=f"instrument-{instrument.id}"))
        listing.add_options(options)
        if self.entries:
            listing.highlighted = keep if keep is not None and keep < len(self.entries) else 0
        self.show_entry()

    def _summarise(self, window: str) -> trends.TrendsSummary:
        """``trends.summary`` for the window, with the store read once per screen.

        The whole-history summary (one store query) keeps every visible point;
        another window is ``trends.summarise`` over those same points, which is
        exactly what ``trends.summary`` would compute, minus the query.
        """
        if self._all is None:
            self._all = trends.summary(self.store, self.catalog, "all", self.now)
        if window == "all":
            return self._all
        since = trends.window_start(self.now, window)
        return trends.summarise(self._all.points, self.catalog, window=window, since=since, names=self._all.names)

    @property
    def selected(self) -> tuple[str, Any] | None:
        listing = self.query_one("#trends-list", OptionList)
        index = listing.highlighted
        if self.summary is None or index is None or not 0 <= index < len(self.entries):
            return None
        kind, at = self.entries[index]
        if kind == "metric":
            return kind, self.summary.metrics[at]
        return kind, self.summary.instruments[at]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.show_entry()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.show_entry()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        window = (event.tab.id or "").removeprefix("window-") if event.tab is not None else ""
        if window in trends.WINDOWS and (window != self.window or self.summary is None):
            self.load_window(window)

    # ------------------------------------------------------------ drawing

    def show_entry(self) -> None:
        stats = self.query_one("#trends-stats", Static)
        plot = self.query_one("#trends-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        chosen = self.selected
        if chosen is None:
            plt.title("No ratings yet")
            stats.update("No ratings yet: the weekly check-in is where the numbers start.")
            plot.refresh()
            return
        kind, trend = chosen
        detail = self.query_one("#trends-detail").size
        too_small = detail.height and (detail.height < MIN_CHART_ROWS or detail.width < MIN_CHART_COLUMNS)
        plot.display = not too_small
        self.set_class(bool(too_small), "-table")
        if too_small:
            # plotext would draw an empty box here: the latest ratings as a table instead.
            table = small_table(trend, rows=max(2, min(TABLE_ROWS, detail.height // 2)), width=detail.width - 2)
            if table:
                table.append("\n")
            table.append_text(self._stats(kind, trend))
            stats.update(table)
            return
        if kind == "metric":
            lo, hi, title = trend.min, trend.max, trend.title.split(" (", 1)[0]
        else:
            lo, hi, title = trend.min, trend.max, f"{trend.title} ({trend.method})"
        drawn = 0
        xs_all: list[float] = []
        ends: list[tuple[float, float, str, Any]] = []
        most = max(12, (plot.size.width or 80) - 8)
        for partner in trend.partners:
            if not partner.series:
                continue
            xs = [_day(at) for at, _ in partner.series]
            ys = [value for _, value in partner.series]
            xs_all.extend((xs[0], xs[-1]))
            xs, ys = thin(xs, ys, most)
            colour = _rgb(self.couple, partner.partner, "cyan" if partner.partner == "a" else "orange")
            marker = MARKERS.get(partner.partner, "*")
            plt.plot(xs, ys, label=partner.name, marker=marker, color=colour)
            ends.append((xs[-1], ys[-1], partner.name, colour))
            drawn += 1
        if kind == "instrument":
            instrument = self._instrument(trend.id)
            if instrument is not None and xs_all:
                for band in instrument.bands[1:]:
                    plt.horizontal_line(band.min, color="gray")
        when = trends.WINDOW_TITLES.get(self.window, self.window)
        if drawn:
            plt.title(f"{title}, {when}")
            plt.ylim(lo, hi)
            span = max(int(hi - lo), 1)
            step = max(1, round(span / 4))
            plt.yticks(list(range(int(lo), int(hi) + 1, step)))
            first, last = min(xs_all), max(xs_all)
            ticks, labels = x_ticks(first, last)
            plt.xticks(ticks, labels)
            # Each line's name at its end (right-aligned there, so it stays inside the chart).
            rows = max(1, (plot.size.height or 24) - 4)  # less the title, frame and dates
            # On the plot's own ground (textual-plotext's canvas is the theme's surface):
            # plotext would box the text in its default near-white, unreadable on a dark theme.
            ground = Color.parse(self.app.theme_variables.get("surface", "black")).rgb
            for x, y, name, colour in spread_ends(ends, lo, hi, rows):
                plt.text(
                    name, x, y, color=colour, background=ground,
                    alignment="right" if last > first else "center",
                )
        else:
            plt.title(f"No ratings in {when}")
        plot.refresh()
        stats.update(self._stats(kind, trend))

    def _instrument(self, instrument_id: str) -> Any:
        if self.catalog is None:
            return None
        for _exercise, instrument in self.catalog.instruments():
            if instrument.id == instrument_id:
                return instrument
        return None

    def _stats(self, kind: str, trend: Any) -> Text:
        out = Text()
        if not trend.partners:
            out.append("No ratings of this yet.", style="dim")
            return out
        if kind == "metric":
            threshold = trend.threshold
        else:
            threshold = trend.reliable_change
            out.append(f"Range {trends.fmt_number(trend.min)} to {trends.fmt_number(trend.max)}\n", style="dim")
        for partner in trend.partners:
            out.append_text(name_text(self.couple, partner.partner))
            out.append(f"  latest {trends.fmt_number(partner.latest)}")
            if kind == "instrument":
                out.append(f" \u00b7 {partner.band or 'no band'}")
            out.append(" \u00b7 ")
            out.append(
                change_words(partner.change, partner.reliable, threshold, kind == "instrument" and trend.established),
                style="bold" if partner.reliable else "",
            )
            low = partner.low_items if kind == "instrument" else ((trend.title.split(" (", 1)[0],) if partner.low else ())
            if low:
                out.append(f"\n  LOW: {', '.join(low)} at {trends.LOW_ITEM} or below", style="bold")
            out.append("\n")
        if kind == "metric":
            a, b = partner_name(self.couple, "a"), partner_name(self.couple, "b")
            if trend.gap is None:
                out.append("Gap: no sitting yet where both rated this.", style="dim")
            elif abs(trend.gap) < 0.05:
                out.append(f"Gap: none, {a} and {b} gave the same at the latest sitting both rated.")
            else:
                higher, lower = (a, b) if trend.gap > 0 else (b, a)
                out.append(
                    f"Gap: {higher} rated {trends.fmt_number(abs(trend.gap))} higher than {lower} "
                    "at the latest sitting both rated."
                )
        elif trend.note:
            out.append(trend.note, style="dim italic")
        return out

    # ------------------------------------------------------------ actions

    def action_window(self, window: str) -> None:
        if window in trends.WINDOWS:
            self.query_one("#trends-window", Tabs).active = f"window-{window}"

    def action_next_window(self) -> None:
        order = list(trends.WINDOWS)
        self.action_window(order[(order.index(self.window) + 1) % len(order)])

    def action_step(self, step: int) -> None:
        listing = self.query_one("#trends-list", OptionList)
        if not self.entries:
            return
        current = listing.highlighted or 0
        listing.highlighted = (current + step) % len(self.entries)

    def action_back(self) -> None:
        go_back(self)
