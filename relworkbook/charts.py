"""Small SVG line charts of our own, for printed reports (no Textual, no library).

Why our own: a report needs two kinds of chart (a partner's line against named
bands, and a row of small per-area lines), drawn as plain inline SVG that
prints crisply, needs no script and no external file, and reads in black and
white. A plotting library (matplotlib, plotly) would be a large dependency
for ~150 lines of arithmetic and would embed fonts or scripts; textual-plotext
draws to a terminal, not to paper. This module is imported only when a report
is made, never at start.

Lines are told apart by more than colour: partner A is a solid line with round
markers, partner B a dashed line with square markers, and each chart has a
legend that shows the same marks. Bands are pale grey stripes with their names
written in. Everything is escaped; nothing in the SVG refers to anything
outside it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from typing import Sequence

# Dark enough to read in grey (and 4.5:1 on white); the dash and the marker
# shape carry the difference when there is no colour at all.
STYLES = {
    "a": {"colour": "#1d4e89", "dash": "", "marker": "circle"},
    "b": {"colour": "#9a3b0b", "dash": "6 3", "marker": "square"},
}
BAND_FILLS = ("#f2f2f2", "#e2e2e2")
GRID = "#9a9a9a"
TEXT = "#222"


@dataclass(frozen=True)
class ChartLine:
    """One partner's values over time: (ISO day, value) oldest first."""

    key: str  # "a" or "b": picks the line's style
    name: str
    points: tuple[tuple[str, float], ...]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _ordinal(day: str) -> int:
    return date.fromisoformat(day[:10]).toordinal()


def _short_day(ordinal: int) -> str:
    day = date.fromordinal(ordinal)
    return f"{day.day} {day.strftime('%b')} {day.year % 100:02d}"


_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_TICKS_FROM = 150  # days: from about five months, the axis is marked by month
YEAR_TICKS_FROM = 731  # days: past two years, by year
TICK_ROOM = 38  # px between two labelled ticks, at least


def time_ticks(x0: int, x1: int, plot_w: float) -> list[tuple[int, str]]:
    """Labelled marks inside a time axis from ordinal ``x0`` to ``x1``, so a dip can be dated.

    Past two years: the first of January of each year ("2027"), every 2nd or
    5th year when they would crowd. From about five months: the first of a
    month ("Mar"; January says the year), every 2nd, 3rd or 6th month when
    crowded. Shorter ranges: none (the ends' dates say enough). A mark too
    close to an end has "" for its label, leaving room for the end's own date.
    """
    days = x1 - x0
    if days < MONTH_TICKS_FROM or plot_w <= 0:
        return []
    first, last = date.fromordinal(x0), date.fromordinal(x1)
    per_day = plot_w / days
    if days >= YEAR_TICKS_FROM:
        step = next((s for s in (1, 2, 5, 10, 20, 50) if s * 365 * per_day >= TICK_ROOM), 100)
        marks = [(date(y, 1, 1), str(y)) for y in range(first.year + 1, last.year + 1) if y % step == 0 or step == 1]
    else:
        step = next((s for s in (1, 2, 3, 6) if s * 30.4 * per_day >= TICK_ROOM), 12)
        marks = []
        y, m = first.year, first.month
        while True:
            m += 1
            if m > 12:
                y, m = y + 1, 1
            day = date(y, m, 1)
            if day > last:
                break
            if (m - 1) % step == 0:
                marks.append((day, str(y) if m == 1 else _MONTH_ABBR[m - 1]))
    # The ends carry a date ("18 Dec 16", about 55 px at 11 px type): a mark whose label
    # (centred on it, ~6 px a letter) would touch it keeps its line but loses its label.
    out = []
    for d, label in marks:
        edge = (60 + 3 * len(label)) / per_day
        out.append((d.toordinal(), label if x0 + edge <= d.toordinal() <= x1 - edge else ""))
    return out


def _thin(points: Sequence[tuple[int, float]], most: int) -> list[tuple[float, float]]:
    """At most ``most`` points: long series averaged over equal stretches (ten years are 520)."""
    if len(points) <= most or most < 2:
        return [(float(x), y) for x, y in points]
    out = []
    n = len(points)
    for i in range(most):
        chunk = points[i * n // most : (i + 1) * n // most] or [points[min(i * n // most, n - 1)]]
        out.append((sum(x for x, _ in chunk) / len(chunk), sum(y for _, y in chunk) / len(chunk)))
    return out


def _marker(kind: str, x: float, y: float, colour: str, size: float) -> str:
    if kind == "square":
        s = size * 1.7
        return (f'<rect x="{x - s / 2:.1f}" y="{y - s / 2:.1f}" width="{s:.1f}" height="{s:.1f}" '
                f'fill="#fff" stroke="{colour}" stroke-width="1.4"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" fill="{colour}"/>'


def line_chart(
    lines: Sequence[ChartLine],
    lo: float,
    hi: float,
    *,
    title: str,
    first_day: str | None = None,
    last_day: str | None = None,
    bands: Sequence[tuple[str, float, float]] = (),
    width: int = 640,
    height: int = 220,
    small: bool = False,
) -> str:
    """An inline ``<svg>``: one line per partner between ``lo`` and ``hi``, optional named bands.

    ``first_day``/``last_day`` fix the time axis (the report's range), so every
    chart of a report lines up. ``small`` drops the legend and most labels: for
    a row of per-area charts. The ``title`` becomes the SVG's accessible name.
    """
    pad_left = 30 if small else 40
    pad_right = 6 if small else (110 if bands else 12)
    pad_top = 6 if small else 10
    pad_bottom = 6 if small else 40  # a small chart has no dates under it
    plot_w = max(10, width - pad_left - pad_right)
    plot_h = max(10, height - pad_top - pad_bottom)
    span = (hi - lo) or 1.0

    days = [_ordinal(d) for line in lines for d, _ in line.points]
    x0 = _ordinal(first_day) if first_day else (min(days) if days else 0)
    x1 = _ordinal(last_day) if last_day else (max(days) if days else 1)
    if x1 <= x0:
        x1 = x0 + 1

    def px(x: float) -> float:
        return pad_left + (x - x0) / (x1 - x0) * plot_w

    def py(y: float) -> float:
        y = min(max(y, lo), hi)
        return pad_top + (1 - (y - lo) / span) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="chart{" small" if small else ""}" '
        f'font-family="sans-serif" font-size="{9 if small else 11}">',
        f"<title>{_e(title)}</title>",
    ]
    # Bands: stripes with their names at the right, so grey paper still says which is which.
    for n, (name, b_lo, b_hi) in enumerate(bands):
        top, bottom = py(min(b_hi, hi)), py(max(b_lo, lo))
        out.append(
            f'<rect x="{pad_left}" y="{top:.1f}" width="{plot_w}" height="{max(0.0, bottom - top):.1f}" '
            f'fill="{BAND_FILLS[n % 2]}"/>'
        )
        if not small:
            out.append(
                f'<text x="{pad_left + plot_w + 6}" y="{(top + bottom) / 2 + 4:.1f}" fill="{TEXT}">{_e(name)}</text>'
            )
    # The frame and the value marks: the range's ends, and the band edges.
    out.append(
        f'<rect x="{pad_left}" y="{pad_top}" width="{plot_w}" height="{plot_h}" fill="none" '
        f'stroke="{GRID}" stroke-width="0.8"/>'
    )
    ticks = {lo, hi}
    if not small:
        ticks.update(b_lo for _, b_lo, _ in bands[1:])
    for value in sorted(ticks):
        y = py(value)
        out.append(f'<line x1="{pad_left - 3}" y1="{y:.1f}" x2="{pad_left}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{pad_left - 5}" y="{y + 3.5:.1f}" text-anchor="end" fill="{TEXT}">{_num(value)}</text>'
        )
    if not small:
        # Marks along the time axis (years or months) with a faint line up the plot.
        for x, label in time_ticks(x0, x1, plot_w):
            out.append(
                f'<line x1="{px(x):.1f}" y1="{pad_top}" x2="{px(x):.1f}" y2="{pad_top + plot_h + 3}" '
                f'stroke="{GRID}" stroke-width="0.5" stroke-dasharray="2 3"/>'
            )
            if label:
                out.append(
                    f'<text x="{px(x):.1f}" y="{pad_top + plot_h + 14}" text-anchor="middle" '
                    f'fill="{TEXT}">{_e(label)}</text>'
                )
        for x, anchor in ((x0, "start"), (x1, "end")):
            out.append(
                f'<text x="{px(x):.1f}" y="{pad_top + plot_h + 14}" text-anchor="{anchor}" '
                f'fill="{TEXT}">{_e(_short_day(x))}</text>'
            )
    most = max(2, int(plot_w // 5))
    for line in lines:
        style = STYLES.get(line.key, STYLES["a"])
        pts = _thin([(_ordinal(d), v) for d, v in line.points], most)
        if not pts:
            continue
        coords = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        out.append(
            f'<polyline points="{coords}" fill="none" stroke="{style["colour"]}" '
            f'stroke-width="{1.4 if small else 2}"{dash} stroke-linejoin="round"/>'
        )
        # Markers where they can still be told apart; always on the first and last.
        size = 1.8 if small else 2.6
        chosen = pts if len(pts) <= (12 if small else 40) else [pts[0], pts[-1]]
        for x, y in chosen:
            out.append(_marker(style["marker"], px(x), py(y), style["colour"], size))
    if not small:
        x = pad_left
        y = height - 8
        for line in lines:
            style = STYLES.get(line.key, STYLES["a"])
            dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
            out.append(
                f'<line x1="{x}" y1="{y - 4}" x2="{x + 26}" y2="{y - 4}" stroke="{style["colour"]}" '
                f'stroke-width="2"{dash}/>'
            )
            out.append(_marker(style["marker"], x + 13, y - 4, style["colour"], 2.6))
            out.append(f'<text x="{x + 32}" y="{y}" fill="{TEXT}">{_e(line.name)}</text>')
            x += 40 + 7 * len(line.name)
    out.append("</svg>")
    return "".join(out)
