"""The counsellor's progress report over a date range: built once, rendered three ways.

``build_report`` reads the workbook with a handful of store calls (the
sittings, the trends' score columns, the commitments) and keeps, for the days
from ``start`` to ``end`` (inclusive; by default the last 12 weeks):

- who took part and when: sittings, minutes, sittings with one partner alone;
- the exercises done, by step;
- the check-in total per partner over time, with its bands, the change from
  the first to the last sitting in the range and whether that change is
  past the instrument's threshold, in Trends' words: "reliable change" only
  for a pack that declares sd and reliability, else "bigger than a usual week";
- each area (metric) per partner over time, and single ratings at 3 or below;
- commitments made in the range: kept, partly kept, not kept, still open.

What it holds comes only from revealed answers: the numbers are the trends'
(``store.score_columns`` leaves unrevealed private answers out), no answer
text is read at all, and partners' notes are never touched. The only words a
couple wrote that appear are their commitments, which are shared by nature.

``render_text`` fits 80 columns (charts as sparklines), ``render_markdown`` is
readable as it is, ``render_html`` is one self-contained page with inline SVG
charts (``charts.py``) and a print stylesheet for A4 and Letter. Files are
written by ``paths.write_private`` (owner-only, temp file, fsync, rename).
How to print it on A4 and Letter and look at the pages: DEVELOPERS.md, "The print check".

Nothing here imports Textual; the app imports this module only when a
report is asked for.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Sequence

from . import trends
from .model import PARTNERS, partner_names

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog
    from .store import Store

DEFAULT_WEEKS = 12
LOW_ITEM = trends.LOW_ITEM  # a single rating at or below this is flagged (trends.is_low)
FORMATS = ("text", "markdown", "html")
NOT_CLINICAL = (
    "The check-in uses the workbook's own questions. It is not a clinical measure "
    "and has not been tested as one; read the numbers as a starting point for a "
    "conversation, not as a diagnosis."
)
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_STATUS_ORDER = (("kept", "kept"), ("partly", "partly kept"), ("not_kept", "not kept"), ("open", "still open"))


class ReportError(ValueError):
    """A report that cannot be made as asked (a bad date range): one line for the person."""


# --------------------------------------------------------------------------
# The Report


@dataclass(frozen=True)
class Line:
    """One partner's values in the range, oldest first, with what changed."""

    partner: str
    name: str
    points: tuple[tuple[str, float], ...]  # (ISO day, value)
    change: float | None  # last minus first in the range; None under two points
    words: str  # past the threshold: trends.RELIABLE_CHANGE or trends.BIG_CHANGE; else ""
    first_band: str | None = None
    last_band: str | None = None

    @property
    def reliable(self) -> bool:
        """Past the threshold (whatever it is called)."""
        return bool(self.words)

    @property
    def first(self) -> float | None:
        return self.points[0][1] if self.points else None

    @property
    def last(self) -> float | None:
        return self.points[-1][1] if self.points else None


@dataclass(frozen=True)
class Chart:
    key: str
    title: str  # short: "Communication"
    long_title: str  # as the catalogue says it
    lo: float
    hi: float
    threshold: float | None
    lines: tuple[Line, ...]
    bands: tuple[tuple[str, float, float], ...] = ()
    method: str = ""
    note: str = ""
    established: bool = False  # the threshold has a stated basis (sd and reliability)

    def line(self, partner: str) -> Line | None:
        for line in self.lines:
            if line.partner == partner:
                return line
        return None


@dataclass(frozen=True)
class LowItem:
    day: str
    name: str
    area: str
    value: float
    partner: str = ""  # "a" or "b"


@dataclass(frozen=True)
class StepWork:
    step: str
    exercises: tuple[tuple[str, int], ...]  # (title, times done)


@dataclass(frozen=True)
class ReportCommitment:
    what: str
    owner: str
    due: str | None
    status: str  # readable
    made: str  # ISO day


@dataclass(frozen=True)
class Report:
    name_a: str
    name_b: str
    start: str  # ISO day, inclusive
    end: str  # ISO day, inclusive
    made: str  # ISO day the report was made
    sittings: int
    minutes: int
    together: int
    alone: tuple[tuple[str, int], ...]  # (name, sittings alone)
    first_sitting: str | None
    last_sitting: str | None
    steps: tuple[StepWork, ...]
    totals: tuple[Chart, ...]  # instrument totals (the check-in's first)
    areas: tuple[Chart, ...]
    low_items: tuple[LowItem, ...]
    commitment_counts: tuple[tuple[str, int], ...]  # (readable status, n), "made" first
    commitments: tuple[ReportCommitment, ...]
    note: str = NOT_CLINICAL
    no_total: str = ""  # why there is no total to chart, when there is none

    @property
    def couple(self) -> str:
        return f"{self.name_a} and {self.name_b}"

    @property
    def dates(self) -> str:
        return f"{nice_day(self.start)} to {nice_day(self.end)}"

    @property
    def weeks(self) -> int:
        days = (date.fromisoformat(self.end) - date.fromisoformat(self.start)).days + 1
        return max(1, round(days / 7))


# --------------------------------------------------------------------------
# Small words


def nice_day(iso: str) -> str:
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def short_day(iso: str) -> str:
    """'5 Jan 2026': for table columns."""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {_MONTHS[day.month - 1][:3]} {day.year}"


def number(value: float | None) -> str:
    return trends.fmt_number(value)


def moved(first: float | None, last: float | None, change: float | None) -> str:
    """'4 → 5 (+1)'; one rating alone is '5 (one rating)'; none is '-'."""
    if last is None:
        return "-"
    if change is None or first is None:
        return f"{number(last)} (one rating)"
    return f"{number(first)} → {number(last)} ({trends.fmt_change(change)})"


def _short(title: str) -> str:
    return title.split(" (", 1)[0].strip() or title


def _parse_day(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ReportError(f"{what} {value!r} is not a date; write it as YYYY-MM-DD.") from None


def date_range(start: Any = None, end: Any = None, today: date | None = None) -> tuple[date, date]:
    """The days a report covers: by default the 12 weeks up to today (or to ``end``)."""
    last = _parse_day(end, "--to") if end else (today or date.today())
    first = _parse_day(start, "--from") if start else last - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1)
    if first > last:
        raise ReportError(f"the range starts ({first}) after it ends ({last}); swap --from and --to.")
    return first, last


# --------------------------------------------------------------------------
# Building


def _names(store: Store) -> dict[str, str]:
    return partner_names(store.get_couple())


def _in_range(points: Sequence[tuple[str, float]], start: str, end: str) -> tuple[tuple[str, float], ...]:
    # ISO text sorts as time: compare the day part only.
    return tuple((at[:10], v) for at, v in points if start <= at[:10] <= end)


def _line(partner: str, name: str, points: tuple[tuple[str, float], ...], threshold: float | None, band_of=None,
          established: bool = False) -> Line:
    change = points[-1][1] - points[0][1] if len(points) >= 2 else None
    return Line(
        partner=partner,
        name=name,
        points=points,
        change=change,
        words=trends.change_words(change, threshold, established),
        first_band=band_of(points[0][1]) if band_of and points else None,
        last_band=band_of(points[-1][1]) if band_of and points else None,
    )


def build_report(store: Store, catalog: Catalog | None, start: Any = None, end: Any = None, *, today: date | None = None) -> Report:
    """The report for the days ``start`` to ``end`` (inclusive); ReportError for a bad range."""
    first, last = date_range(start, end, today)
    lo_day, hi_day = first.isoformat(), last.isoformat()
    names = _names(store)

    sittings = [s for s in store.list_sittings() if lo_day <= s.started[:10] <= hi_day]
    sittings.reverse()  # oldest first
    in_range = {s.id for s in sittings}
    together = sum(1 for s in sittings if set(PARTNERS) <= set(s.attendees))
    alone = tuple(
        (names[p], sum(1 for s in sittings if tuple(s.attendees) == (p,)))
        for p in PARTNERS
    )

    # Exercises by step, in the program's order; ones no longer in the pack last.
    done: dict[str, int] = {}
    for sitting in sittings:
        for exercise_id in sitting.exercises:
            done[exercise_id] = done.get(exercise_id, 0) + 1
    steps: list[StepWork] = []
    placed: set[str] = set()
    if catalog is not None:
        for step in catalog.steps:
            rows = [(e.title, done[e.id]) for e in catalog.exercises_for(step.id) if e.id in done]
            placed.update(e.id for e in catalog.exercises_for(step.id))
            if rows:
                steps.append(StepWork(step.title, tuple(rows)))
    rest = [(eid, n) for eid, n in done.items() if eid not in placed]
    if rest:
        steps.append(StepWork("Not in the program any more", tuple(sorted(rest))))

    summary = trends.summary(store, catalog, "all")
    instruments = {i.id: i for _, i in (catalog.instruments() if catalog is not None else [])}
    totals: list[Chart] = []
    for inst in summary.instruments:
        instrument = instruments.get(inst.id)

        def band_of(value: float, instrument=instrument) -> str | None:
            band = instrument.band_for(value) if instrument is not None else None
            return band.name if band else None

        lines = []
        for p in inst.partners:
            points = _in_range(p.series, lo_day, hi_day)
            if points:
                lines.append(_line(p.partner, p.name, points, inst.reliable_change, band_of, inst.established))
        if not lines:
            continue
        method = f"sum of {len(instrument.prompts)} areas" if instrument and inst.method == "sum" else inst.method
        totals.append(
            Chart(
                key=inst.id,
                title=inst.title,
                long_title=inst.title,
                lo=inst.min,
                hi=inst.max,
                threshold=inst.reliable_change or None,
                lines=tuple(lines),
                bands=tuple((b.name, b.min, b.max) for b in (instrument.bands if instrument else ())),
                method=method,
                note=inst.note,
                established=inst.established,
            )
        )

    areas: list[Chart] = []
    low: list[LowItem] = []
    for metric in summary.metrics:
        lines = []
        for p in metric.partners:
            points = _in_range(p.series, lo_day, hi_day)
            if not points:
                continue
            lines.append(_line(p.partner, p.name, points, metric.threshold))
            low += [LowItem(day, p.name, _short(metric.title), v, p.partner) for day, v in points
                    if trends.is_low(v, metric.min, metric.max)]
        if lines:
            areas.append(
                Chart(metric.key, _short(metric.title), metric.title, metric.min, metric.max, metric.threshold, tuple(lines))
            )
    low.sort(key=lambda item: (item.day, item.name, item.area))

    from .recap import shared_commitments

    made = shared_commitments(store, catalog, [c for c in store.list_commitments() if c.sitting_id in in_range])
    started = {s.id: s.started[:10] for s in sittings}
    made.sort(key=lambda c: (started.get(c.sitting_id, ""), c.id))
    readable = dict(_STATUS_ORDER)
    counts = [("made", len(made))] + [(words, sum(1 for c in made if c.status == key)) for key, words in _STATUS_ORDER]
    commitments = tuple(
        ReportCommitment(
            what=" ".join(str(c.what).split()) or "(nothing written)",
            owner=names.get(c.owner, c.owner),
            due=c.due,
            status=readable.get(c.status, c.status),
            made=started.get(c.sitting_id, ""),
        )
        for c in made
    )

    no_total = ""
    if not totals and summary.instruments:
        no_total = (
            f"No {summary.instruments[0].title.lower()} in these dates: a total needs every "
            "rating of one check-in answered and revealed."
        )
    return Report(
        no_total=no_total,
        name_a=names["a"],
        name_b=names["b"],
        start=lo_day,
        end=hi_day,
        made=(today or date.today()).isoformat(),
        sittings=len(sittings),
        minutes=sum(int(s.minutes or 0) for s in sittings),
        together=together,
        alone=alone,
        first_sitting=sittings[0].started[:10] if sittings else None,
        last_sitting=sittings[-1].started[:10] if sittings else None,
        steps=tuple(steps),
        totals=tuple(totals),
        areas=tuple(areas),
        low_items=tuple(low),
        commitment_counts=tuple(counts),
        commitments=commitments,
    )


# --------------------------------------------------------------------------
# Shared sentences (every format says the same)


def attendance_lines(report: Report) -> list[str]:
    if not report.sittings:
        return ["No sittings in these dates."]
    minutes = "1 minute" if report.minutes == 1 else f"{report.minutes} minutes"
    sittings = "1 sitting" if report.sittings == 1 else f"{report.sittings} sittings"
    parts = [f"{report.together} together"]
    parts += [f"{n} with {name} alone" for name, n in report.alone if n]
    return [
        f"{sittings}, {minutes} in all: {', '.join(parts)}.",
        f"First {nice_day(report.first_sitting or '')}, last {nice_day(report.last_sitting or '')}.",
    ]


def commitments_line(report: Report) -> str:
    counts = dict(report.commitment_counts)
    if not counts.get("made"):
        return "No commitments were made in these dates."
    rest = ", ".join(f"{n} {words}" for words, n in report.commitment_counts[1:])
    return f"{counts['made']} made: {rest}."


def total_heading(chart: Chart) -> str:
    bits = [b for b in (chart.method, f"{number(chart.lo)} to {number(chart.hi)}") if b]
    return f"{chart.title} ({', '.join(bits)})"


def bands_line(chart: Chart) -> str:
    return "Bands: " + "; ".join(f"{name} {number(lo)}-{number(hi)}" for name, lo, hi in chart.bands) + "."


def reliable_line(chart: Chart) -> str:
    if not chart.threshold:
        return "No threshold is set for this, so no change is marked."
    if chart.established:
        return (
            f"Reliable change: {number(chart.threshold)} or more from the first to the last total in "
            "these dates, computed from the pack's own spread and reliability (Jacobson-Truax)."
        )
    return (
        f"A change of {number(chart.threshold)} or more from the first to the last total in these "
        f"dates is marked \"{trends.BIG_CHANGE}\": our rough guide, not a clinical test."
    )


AREA_NOTE = f"* {trends.BIG_CHANGE}: past our rough guide for one area, not a clinical test."


def band_words(line: Line) -> str:
    if not line.last_band:
        return ""
    if line.first_band and line.first_band != line.last_band and line.change is not None:
        return f"{line.first_band} → {line.last_band}"
    return line.last_band


LOW_SHOWN = 12  # the latest single low ratings listed (all are counted)
COMMITMENTS_SHOWN = 12  # the latest commitments listed (all are counted in commitments_line)


def shown_commitments(report: Report) -> tuple[ReportCommitment, ...]:
    return report.commitments[-COMMITMENTS_SHOWN:]


def commitments_cut(report: Report) -> str:
    """'the latest 12 of 518' when the list is cut, else ''."""
    if len(report.commitments) <= COMMITMENTS_SHOWN:
        return ""
    return f"the latest {COMMITMENTS_SHOWN} of {len(report.commitments)}"


# --------------------------------------------------------------------------
# Text (80 columns)


def _wrap(text: str, width: int, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False) or [""]


def _heading(title: str, width: int, char: str = "-") -> list[str]:
    lines = textwrap.wrap(title, width=width) or [title[:width]]
    return lines + [char * min(width, max(len(line) for line in lines))]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def render_text(report: Report, width: int = 80) -> str:
    """Plain text within ``width`` columns (80 by default); charts are sparklines."""
    width = max(60, width)
    out: list[str] = []
    out += _heading(f"Progress report: {report.couple}", width, "=")
    out += _wrap(f"{report.dates} ({report.weeks} weeks). Made {nice_day(report.made)}.", width, "")
    out += [""] + _wrap(f"About these numbers: {report.note}", width, "")
    out += [""] + _heading("Who took part", width)
    for line in attendance_lines(report):
        out += _wrap(line, width)
    out += [""] + _heading("Exercises done, by step", width)
    if not report.steps:
        out += _wrap("None in these dates.", width)
    for step in report.steps:
        out += _wrap(f"{step.step}: " + ", ".join(f"{t} ({n})" for t, n in step.exercises), width, "  ")
    name_w = min(14, max(len(report.name_a), len(report.name_b), 4))
    if report.no_total:
        out += [""] + _heading("Check-in total", width) + _wrap(report.no_total, width)
    for chart in report.totals:
        out += [""] + _heading(total_heading(chart), width)
        spark_w = max(8, min(width - (2 + name_w + 2) - 2 - 30, max(len(line.points) for line in chart.lines)))
        for line in chart.lines:
            mark = " *" if line.reliable else ""
            spark = trends.sparkline([v for _, v in line.points], chart.lo, chart.hi, spark_w)
            row = f"  {_cut(line.name, name_w):<{name_w}}  {spark:<{spark_w}}  {moved(line.first, line.last, line.change)}{mark}"
            out.append(_cut(row.rstrip(), width))
            below = [f"band: {band_words(line)}"] if line.last_band else []
            below += [line.words] if line.words else []
            if below:
                out += _wrap("; ".join(below), width, " " * (4 + name_w))
        if chart.bands:
            out += _wrap(bands_line(chart), width)
        out += _wrap(reliable_line(chart), width)
    if report.areas:
        out += [""] + _heading("Each area, first → last in these dates", width)
        area_w = min(22, max(len(c.title) for c in report.areas))
        cell_w = (width - 2 - area_w - 2) // 2 - 2
        most = max(len(line.points) for c in report.areas for line in c.lines)
        spark_w = max(6, min(cell_w - 17, most))
        header = f"  {'':<{area_w}}  {_cut(report.name_a, cell_w):<{cell_w}}  {_cut(report.name_b, cell_w)}"
        out.append(header.rstrip())
        for chart in report.areas:
            cells = []
            for partner in PARTNERS:
                line = chart.line(partner)
                if line is None:
                    cells.append("-")
                    continue
                spark = trends.sparkline([v for _, v in line.points], chart.lo, chart.hi, spark_w)
                cells.append(_cut(f"{spark:<{spark_w}} {moved(line.first, line.last, line.change)}{' *' if line.reliable else ''}", cell_w))
            out.append(f"  {_cut(chart.title, area_w):<{area_w}}  {cells[0]:<{cell_w}}  {cells[1]}".rstrip())
        if any(line.reliable for chart in report.areas for line in chart.lines):
            out += _wrap(AREA_NOTE, width)
    out += [""] + _heading(f"Single ratings at {LOW_ITEM} or below", width)
    if not report.low_items:
        out += _wrap("None in these dates.", width)
    else:
        for item in report.low_items[-LOW_SHOWN:]:
            out += _wrap(f"{nice_day(item.day)}: {item.name}, {item.area}: {number(item.value)}", width)
        if len(report.low_items) > LOW_SHOWN:
            out += _wrap(f"(the latest {LOW_SHOWN} of {len(report.low_items)})", width)
    out += [""] + _heading("Commitments", width)
    out += _wrap(commitments_line(report), width)
    for c in shown_commitments(report):
        due = f", by {nice_day(c.due)}" if c.due else ""
        out += textwrap.wrap(
            f"{nice_day(c.made)}: {c.what} ({c.owner}{due}) — {c.status}", width=width,
            initial_indent="  - ", subsequent_indent="    ", break_on_hyphens=False,
        )
    if commitments_cut(report):
        out += _wrap(f"({commitments_cut(report)})", width)
    return "\n".join(line.rstrip() for line in out) + "\n"


# --------------------------------------------------------------------------
# Markdown


_MD = re.compile(r"([\\`*_\[\]<>|~&#!])")


def md(text: str) -> str:
    return _MD.sub(r"\\\1", " ".join(str(text).split()))


def render_markdown(report: Report) -> str:
    out = [f"# Progress report: {md(report.couple)}", "", f"{md(report.dates)} ({report.weeks} weeks). Made {md(nice_day(report.made))}."]
    out += ["", f"*About these numbers:* {md(report.note)}"]
    out += ["", "## Who took part", ""] + [md(line) + ("\\" if n == 0 else "") for n, line in enumerate(attendance_lines(report))]
    out += ["", "## Exercises done, by step", ""]
    if not report.steps:
        out.append("None in these dates.")
    for step in report.steps:
        out.append(f"- **{md(step.step)}:** " + ", ".join(f"{md(t)} ({n})" for t, n in step.exercises))
    if report.no_total:
        out += ["", "## Check-in total", "", md(report.no_total)]
    for chart in report.totals:
        out += ["", f"## {md(total_heading(chart))}", ""]
        out.append("| Partner | Over time | First → last | Band | Past the threshold |")
        out.append("|---|---|---|---|---|")
        for line in chart.lines:
            spark = trends.sparkline([v for _, v in line.points], chart.lo, chart.hi, 24)
            out.append(
                f"| {md(line.name)} | `{spark}` | {md(moved(line.first, line.last, line.change))} | "
                f"{md(band_words(line)) or '-'} | {md(line.words) or 'no'} |"
            )
        out.append("")
        if chart.bands:
            out.append(md(bands_line(chart)) + "\\")
        out.append(md(reliable_line(chart)))
    if report.areas:
        out += ["", "## Each area, first → last in these dates", ""]
        out.append(f"| Area | {md(report.name_a)} | {md(report.name_b)} |")
        out.append("|---|---|---|")
        for chart in report.areas:
            cells = []
            for partner in PARTNERS:
                line = chart.line(partner)
                if line is None:
                    cells.append("-")
                    continue
                spark = trends.sparkline([v for _, v in line.points], chart.lo, chart.hi, 12)
                mark = " \\*" if line.reliable else ""
                cells.append(f"`{spark}` {md(moved(line.first, line.last, line.change))}{mark}")
            out.append(f"| {md(chart.title)} | {cells[0]} | {cells[1]} |")
        if any(line.reliable for chart in report.areas for line in chart.lines):
            out += ["", md(AREA_NOTE)]
    out += ["", f"## Single ratings at {LOW_ITEM} or below", ""]
    if not report.low_items:
        out.append("None in these dates.")
    else:
        out += [f"- {md(nice_day(i.day))}: {md(i.name)}, {md(i.area)}: {number(i.value)}" for i in report.low_items[-LOW_SHOWN:]]
        if len(report.low_items) > LOW_SHOWN:
            out += ["", f"(the latest {LOW_SHOWN} of {len(report.low_items)})"]
    out += ["", "## Commitments", "", md(commitments_line(report))]
    if report.commitments:
        out.append("")
        for c in shown_commitments(report):
            due = f", by {nice_day(c.due)}" if c.due else ""
            out.append(f"- {md(nice_day(c.made))}: {md(c.what)} ({md(c.owner)}{md(due)}) — {md(c.status)}")
        if commitments_cut(report):
            out += ["", f"({commitments_cut(report)})"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# HTML


_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #111;
  font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 180mm; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
.running { display: none; }
h1 { font-size: 1.5rem; margin: 0 0 .2rem; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 .4rem; padding-bottom: .15rem; border-bottom: 1.5px solid #333; }
p { margin: 0 0 .4rem; }
.dates { margin: 0 0 .8rem; }
.muted { color: #444; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .45rem; border-bottom: 1px solid #bbb; vertical-align: middle; }
thead th { border-bottom: 1.5px solid #333; }
td.num, th.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
.nowrap { white-space: nowrap; }
figure { margin: .3rem 0 .6rem; }
figure svg { display: block; max-width: 100%; height: auto; }
table.areas td.chart { width: 32%; padding: .15rem .3rem; }
table.areas svg { display: block; width: 100%; height: auto; }
.mark { font-weight: 700; }
ul { margin: .2rem 0 .4rem; padding-left: 1.2rem; }
.note { border: 1px solid #777; padding: .35rem .6rem; margin: .2rem 0 .4rem; font-size: .92em; }
section.keep, figure, tr { break-inside: avoid; page-break-inside: avoid; }
table.commitments td, table.commitments th, table.low td, table.low th { vertical-align: top; }
table.low td:not(:first-child), table.low th:not(:first-child) { width: 42%; }
h2 { break-after: avoid; page-break-after: avoid; }
/* Paper: margins that suit both A4 (210 x 297 mm) and Letter (216 x 279 mm);
   the size itself follows the printer's paper. The running header names the
   couple and the dates; the footer numbers the pages. */
@page { size: auto; margin: 16mm 15mm 14mm 15mm;
  @top-left { content: var(--running, ""); }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8.5pt sans-serif; color: #333; }
}
@media print {
  body { font-size: 9.5pt; line-height: 1.35; }
  th, td { padding: .16rem .45rem; }
  h2 { margin-top: 1.1rem; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
}
""".strip()


def _h(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _page_css(report: Report) -> str:
    """The running header's words go into @page (CSS string, escaped for CSS and HTML)."""
    words = f"{report.couple} · progress report · {report.dates}"
    css_string = '"' + words.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
    # </style> inside the names must not end the style element.
    css_string = css_string.replace("<", "\\3c ")
    return _CSS.replace(
        "@top-left { content: var(--running, \"\"); }",
        f"@top-left {{ content: {css_string}; font: 8.5pt sans-serif; color: #333; }}",
    )


def render_html(report: Report) -> str:
    """One self-contained page: inline CSS and SVG only, no scripts or external files."""
    from .charts import ChartLine, line_chart

    out = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Progress report: {_h(report.couple)}, {_h(report.dates)}</title>",
        f"<style>\n{_page_css(report)}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>Progress report: {_h(report.couple)}</h1>",
        f'<p class="dates">{_h(report.dates)} ({report.weeks} weeks). Made {_h(nice_day(report.made))}.</p>',
        f'<p class="note"><b>About these numbers:</b> {_h(report.note)}</p>',
        "</header>",
        '<section class="keep"><h2>Who took part</h2>',
        *(f"<p>{_h(line)}</p>" for line in attendance_lines(report)),
        "</section>",
        '<section class="keep"><h2>Exercises done, by step</h2>',
    ]
    if not report.steps:
        out.append("<p>None in these dates.</p>")
    else:
        out.append("<table><tbody>")
        for step in report.steps:
            done = ", ".join(f'{_h(t)} <span class="nowrap">({n})</span>' for t, n in step.exercises)
            out.append(f"<tr><th>{_h(step.step)}</th><td>{done}</td></tr>")
        out.append("</tbody></table>")
    out.append("</section>")
    if report.no_total:
        out.append(f'<section class="keep"><h2>Check-in total</h2><p>{_h(report.no_total)}</p></section>')
    for chart in report.totals:
        lines = [ChartLine(line.partner, line.name, line.points) for line in chart.lines]
        svg = line_chart(
            lines, chart.lo, chart.hi, title=f"{chart.title} per partner, {report.dates}",
            first_day=report.start, last_day=report.end, bands=chart.bands, width=640, height=200,
        )
        out.append('<section class="keep">')
        out.append(f"<h2>{_h(total_heading(chart))}</h2>")
        out.append(f"<figure>{svg}</figure>")
        out.append('<table><thead><tr><th>Partner</th><th class="num">First → last</th><th>Band</th><th>Past the threshold</th></tr></thead><tbody>')
        for line in chart.lines:
            reliable = f'<span class="mark">{_h(line.words)}</span>' if line.reliable else "no"
            out.append(
                f"<tr><th>{_h(line.name)}</th><td class=\"num\">{_h(moved(line.first, line.last, line.change))}</td>"
                f"<td>{_h(band_words(line)) or '-'}</td><td>{reliable}</td></tr>"
            )
        out.append("</tbody></table>")
        if chart.bands:
            out.append(f'<p class="muted">{_h(bands_line(chart))}</p>')
        out.append(f'<p class="muted">{_h(reliable_line(chart))}</p>')
        out.append("</section>")
    if report.areas:
        # Not kept whole (seven rows of charts are most of a page): the table breaks
        # between rows, never inside one, and its header row comes again on the next page.
        out.append('<section class="areas">')
        out.append("<h2>Each area, first → last in these dates</h2>")
        out.append(
            '<table class="areas"><thead><tr><th>Area</th>'
            f'<th colspan="2">{_h(report.name_a)}</th><th colspan="2">{_h(report.name_b)}</th></tr></thead><tbody>'
        )
        for chart in report.areas:
            cells = []
            for partner in PARTNERS:
                line = chart.line(partner)
                if line is None:
                    cells.append('<td class="chart"></td><td class="num">-</td>')
                    continue
                svg = line_chart(
                    [ChartLine(line.partner, line.name, line.points)], chart.lo, chart.hi,
                    title=f"{chart.title}, {line.name}", first_day=report.start, last_day=report.end,
                    width=200, height=44, small=True,
                )
                mark = ' <span class="mark">*</span>' if line.reliable else ""
                cells.append(f'<td class="chart">{svg}</td><td class="num">{_h(moved(line.first, line.last, line.change))}{mark}</td>')
            out.append(f"<tr><th>{_h(chart.title)}</th>{''.join(cells)}</tr>")
        out.append("</tbody></table>")
        note = "Each small chart runs over the whole date range, the scale's lowest rating at the bottom and its highest at the top."
        if any(line.reliable for chart in report.areas for line in chart.lines):
            note += f" {AREA_NOTE}"
        out.append(f'<p class="muted">{_h(note)}</p>')
        out.append("</section>")
    out.append(f'<section class="keep"><h2>Single ratings at {LOW_ITEM} or below</h2>')
    if not report.low_items:
        out.append("<p>None in these dates.</p>")
    else:
        # One row per day, each partner's low ratings side by side: a day with four is one
        # row, not four (paper), and who was low together shows at a glance.
        out.append(
            f'<table class="low"><thead><tr><th>Date</th><th>{_h(report.name_a)}</th><th>{_h(report.name_b)}</th></tr></thead><tbody>'
        )
        days: dict[str, dict[str, list[str]]] = {}
        for item in report.low_items[-LOW_SHOWN:]:
            days.setdefault(item.day, {}).setdefault(item.partner, []).append(
                f'{_h(item.area)} <span class="nowrap"><b>{number(item.value)}</b></span>'
            )
        for day, by_partner in days.items():
            cells = "".join(f"<td>{', '.join(by_partner.get(p, [])) or ''}</td>" for p in PARTNERS)
            out.append(f'<tr><td class="nowrap">{_h(short_day(day))}</td>{cells}</tr>')
        out.append("</tbody></table>")
        if len(report.low_items) > LOW_SHOWN:
            out.append(f'<p class="muted">The latest {LOW_SHOWN} of {len(report.low_items)}.</p>')
    out.append("</section>")
    out.append('<section><h2>Commitments</h2>')
    out.append(f"<p>{_h(commitments_line(report))}</p>")
    if report.commitments:
        out.append('<table class="commitments"><thead><tr><th>Made</th><th>What</th><th>Who</th><th>Status</th></tr></thead><tbody>')
        for c in shown_commitments(report):
            due = f' <span class="muted nowrap">(by {_h(short_day(c.due))})</span>' if c.due else ""
            out.append(
                f'<tr><td class="nowrap">{_h(short_day(c.made))}</td><td>{_h(c.what)}{due}</td>'
                f'<td class="nowrap">{_h(c.owner)}</td><td class="nowrap">{_h(c.status)}</td></tr>'
            )
        out.append("</tbody></table>")
        if commitments_cut(report):
            out.append(f'<p class="muted">{_h(commitments_cut(report).capitalize())}.</p>')
    out.append("</section>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def render(report: Report, fmt: str) -> str:
    fmt = {"md": "markdown", "txt": "text"}.get(fmt, fmt)
    if fmt == "text":
        return render_text(report)
    if fmt == "markdown":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    raise ValueError(f"unknown report format {fmt!r}: use html, markdown or text")


def file_name(report: Report, fmt: str) -> str:
    suffix = {"html": "html", "markdown": "md", "text": "txt"}[fmt]
    return f"report-{report.start}-to-{report.end}.{suffix}"
