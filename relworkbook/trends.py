"""Trends: plain functions over the numbers the workbook has collected.

Everything here works on ``MetricPoint`` lists (what ``store.metric_points``
returns) and on the catalogue; nothing speaks SQL and nothing imports Textual.
``summary`` reads the scores once, as columns (``store.score_columns``: one
list of sitting ids and one of numbers per metric, partner and exercise), and
works per sitting, mostly inside dict, sort and zip, so ten years of weekly
sittings take about 10 ms, well inside the 50 ms budget.

Conventions used throughout:

- Points are ordered by sitting time (``at``, ISO text, which sorts as time)
  and then sitting id. One rating per partner per metric per sitting: when two
  exercises of one sitting rated the same metric (the check-in and 'Speaker and
  listener' both ask about communication), the check-in's rating counts; in a
  sitting with no check-in rating of it, the first rating given counts.
  ``counting_order`` is that rule, and every trend, total, CSV row, report and
  recap goes through it (docs/exercises.md, "One rating per sitting").
- ``change`` is the latest sitting's value minus the value at the previous
  sitting where that partner rated that metric (not necessarily the previous
  sitting of the workbook).
- ``gap`` is partner a minus partner b at the latest sitting where both rated.
- A window ("3m", "1y", "all") limits the charted series and the CSV rows;
  latest, change and gap always look at everything, so "change since last
  time" does not vanish when the last rating is older than the window.
- Unrevealed private numbers never count: ``store.metric_points`` leaves them
  out, and ``summary`` checks again using the ``private``/``revealed`` flags a
  point may carry in ``extra``.

Reliable change. An instrument (a group of scored prompts) carries its own
``reliable_change`` threshold for its total. A single metric has none of its
own, so it borrows one: the threshold of an instrument that contains a prompt
feeding that metric (the weekly check-in's instrument first), divided by the
square root of the number of items when the instrument sums them (the noise of
a sum of k independent items grows as the square root of k; for a mean it is
multiplied by it instead), and stretched by the ratio of ranges when the metric's range
differs from the instrument's items. That proportional share is a rule of
thumb for "more than the usual week-to-week wobble", not a psychometric
figure. A metric no instrument covers gets the check-in's per-item threshold;
if there is no instrument at all, no change is marked.

What a change past the threshold is called. Only an instrument whose pack declares
``sd`` and ``reliability`` has a threshold with a stated basis (computed by the
catalogue, Jacobson-Truax); only its changes are called "reliable change". Every
other threshold (a pack's own ``reliable_change``, and every single metric's
borrowed share) is a rough guide, and a change past it is "bigger than a usual
week" (``change_words``). ``reliable`` on the trend records are the plain test
"past the threshold", whatever it is called.

A single low item. A total can hide one area that has collapsed (trust at 1,
the rest at 8, and the total still says "Going well"), so any single rating at
``LOW_ITEM`` (3) or below on a 1-10 scale is flagged: ``PartnerTrend.low`` for a
metric's latest rating, ``InstrumentPartnerTrend.low_items`` for the items of
the latest total, and ``low_ratings`` for one sitting's numbers (the reveal and
the recap use it).
"""

from __future__ import annotations

import csv
import io
import math
import textwrap
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Collection, Iterable, Sequence

from .model import Exercise, Instrument, MetricPoint, PARTNERS, partner_names

LOW_ITEM = 3  # a single rating at or below this (on a 1-10 scale) is flagged
RELIABLE_CHANGE = "reliable change"
BIG_CHANGE = "bigger than a usual week"

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog
    from .store import Store

WINDOWS = ("3m", "1y", "all")
WINDOW_TITLES = {"3m": "the last 3 months", "1y": "the last year", "all": "all time"}
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"

Series = list[tuple[str, float]]


# --------------------------------------------------------------------------
# Series maths on known data


def counting_order(exercise_id: str, answer_id: int, checkins: Collection[str]) -> tuple[bool, int]:
    """Which of one sitting's ratings of a metric counts: the one with the lowest key.

    A check-in's rating first (the check-in is the week-on-week measure, and its
    total is the sum of its own ratings, so the areas and the total agree), then
    the first given (the lowest answer id). ``checkins`` are the ids of the
    exercises whose kind is ``checkin`` (``checkin_ids``).
    """
    return (exercise_id not in checkins, answer_id)


def checkin_ids(catalog: Catalog | None) -> frozenset[str]:
    """The exercises whose ratings count first (see ``counting_order``)."""
    if catalog is None:
        return frozenset()
    return frozenset(e.id for e in catalog.exercises if e.kind == "checkin")


# (exercise_id, sitting ids, numbers, answer ids): one exercise's ratings of one
# metric by one partner, the lists paired item by item.
Part = tuple[str, list[int], list[float], list[int]]


def one_per_sitting(parts: Sequence[Part], checkins: Collection[str] = ()) -> dict[int, float]:
    """sitting id -> the rating that counts there (``counting_order``), over ``parts``.

    Mostly one exercise gives the metric at a sitting and the dict is built in C;
    the loop only visits the other exercises, and settles a sitting they share.
    """
    ranked = sorted(parts, key=lambda part: (part[0] not in checkins, -len(part[1]), part[0]))
    first_ex, first_sids, first_values, first_ids = ranked[0]
    chosen = dict(zip(first_sids, first_values))
    if len(chosen) == len(first_sids):
        if len(ranked) == 1:
            return chosen
        rest = ranked[1:]
    else:  # a sitting twice in one part (hand-made points): settle everything the long way
        chosen = {}
        rest = ranked
    held: dict[int, tuple[bool, int]] = {}  # the counting key of what ``chosen`` holds, from ``rest``
    first_keys: dict[int, int] | None = None
    for exercise_id, sids, values, ids in rest:
        for sid, value, answer_id in zip(sids, values, ids):
            key = counting_order(exercise_id, answer_id, checkins)
            if sid in chosen:
                have = held.get(sid)
                if have is None:  # held by the first part
                    if first_keys is None:
                        first_keys = dict(zip(first_sids, first_ids))
                    have = counting_order(first_ex, first_keys[sid], checkins)
                if key >= have:
                    continue
            chosen[sid] = value
            held[sid] = key
    return chosen


def _parts(points: Iterable[MetricPoint]) -> tuple[dict[int, str], list[Part]]:
    """Points as ``(started, parts)``; a point without an answer id counts in list order."""
    started: dict[int, str] = {}
    index: dict[str, Part] = {}
    for n, p in enumerate(points):
        started[p.sitting_id] = p.at
        extra = p.extra or {}
        exercise_id = extra.get("exercise_id", "")
        part = index.get(exercise_id)
        if part is None:
            part = index[exercise_id] = (exercise_id, [], [], [])
        part[1].append(p.sitting_id)
        part[2].append(float(p.value))
        part[3].append(extra.get("answer_id", n))
    return started, list(index.values())


def _per_sitting(points: Iterable[MetricPoint], checkins: Collection[str] = ()) -> list[tuple[int, str, float]]:
    """(sitting_id, at, value) in time order, one per sitting (the rating that counts)."""
    started, parts = _parts(points)
    if not parts:
        return []
    rows = [(sid, started[sid], value) for sid, value in one_per_sitting(parts, checkins).items()]
    rows.sort(key=lambda r: (r[1], r[0]))
    return rows


def _select(points: Iterable[MetricPoint], metric: str, partner: str, since: str | None = None) -> list[MetricPoint]:
    return [
        p
        for p in points
        if p.metric == metric and p.partner == partner and (since is None or p.at >= since)
    ]


def series(points: Sequence[MetricPoint], metric: str, partner: str, since: str | None = None,
           checkins: Collection[str] = ()) -> Series:
    """``[(at, value), ...]`` for one metric and partner, oldest first, one per sitting."""
    return [(at, value) for _, at, value in _per_sitting(_select(points, metric, partner, since), checkins)]


def latest(points: Sequence[MetricPoint], metric: str, partner: str, checkins: Collection[str] = ()) -> float | None:
    rows = series(points, metric, partner, checkins=checkins)
    return rows[-1][1] if rows else None


def change(points: Sequence[MetricPoint], metric: str, partner: str, checkins: Collection[str] = ()) -> float | None:
    """Latest value minus the one before it for this partner and metric; None if under two."""
    return series_change(series(points, metric, partner, checkins=checkins))


def series_change(rows: Sequence[tuple[Any, float]]) -> float | None:
    if len(rows) < 2:
        return None
    return rows[-1][1] - rows[-2][1]


def gap(points: Sequence[MetricPoint], metric: str, a: str = "a", b: str = "b",
        checkins: Collection[str] = ()) -> float | None:
    """Partner a minus partner b at the latest sitting where both rated; None if never."""
    return _gap_of(
        _per_sitting(_select(points, metric, a), checkins),
        _per_sitting(_select(points, metric, b), checkins),
    )


def _gap_of(rows_a: Sequence[tuple[int, str, float]], rows_b: Sequence[tuple[int, str, float]]) -> float | None:
    by_sitting_b = {sid: value for sid, _, value in rows_b}
    for sid, _, value in reversed(rows_a):
        if sid in by_sitting_b:
            return value - by_sitting_b[sid]
    return None


def reliable(delta: float | None, threshold: float | None) -> bool:
    """True when a change is at least the threshold in size (and there is one)."""
    if delta is None or threshold is None or threshold <= 0:
        return False
    # A hair of tolerance so 8/7*7 style float sums still count as 8.
    return abs(delta) >= threshold - 1e-9


def low_mark(lo: float, hi: float) -> float | None:
    """The rating at or below which one item is flagged: 3 on the house 1-10 scale.

    Other scales get the same share of their range (2/9 of it above the bottom);
    a scale shorter than ten points (a checklist count, a 1-5 scale) has no mark.
    """
    if (lo, hi) == (1, 10):
        return float(LOW_ITEM)
    if hi - lo < 9:
        return None
    return lo + (hi - lo) * (LOW_ITEM - 1) / 9


def is_low(value: float | None, lo: float = 1, hi: float = 10) -> bool:
    """A single rating low enough to flag, whatever any total says."""
    mark = low_mark(lo, hi)
    return value is not None and mark is not None and value <= mark


def change_words(delta: float | None, threshold: float | None, established: bool = False) -> str:
    """What a change past the threshold is called: "reliable change" only with a stated basis."""
    if not reliable(delta, threshold):
        return ""
    return RELIABLE_CHANGE if established else BIG_CHANGE


def low_ratings(values: Iterable[tuple[str, float]], catalog: Catalog | None) -> list[tuple[str, float]]:
    """(metric title, value) for each of one partner's ratings at the low mark or below.

    ``values`` are (metric key, number) pairs from one sitting; the metric's range
    comes from the catalogue (1-10 when it is not declared).
    """
    out: list[tuple[str, float]] = []
    for key, value in values:
        metric = catalog.metric(key) if catalog is not None else None
        lo, hi = (metric.min, metric.max) if metric is not None else (1, 10)
        if is_low(value, lo, hi):
            title = metric.title if metric is not None else key
            out.append((title.split(" (", 1)[0], value))
    return out


def _parse_now(now: datetime | date | str | None) -> datetime:
    if now is None:
        return datetime.now()
    if isinstance(now, str):
        return datetime.fromisoformat(now)
    if isinstance(now, datetime):
        return now
    return datetime(now.year, now.month, now.day)


def window_start(now: datetime | date | str | None, window: str) -> str | None:
    """The ISO time a window starts at ("3m": 91 days back, "1y": 365), or None for "all"."""
    if window not in WINDOWS:
        raise ValueError(f"unknown window {window!r}: use one of {', '.join(WINDOWS)}")
    if window == "all":
        return None
    days = 91 if window == "3m" else 365
    start = _parse_now(now) - timedelta(days=days)
    return start.replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------
# Instruments


@dataclass(frozen=True)
class InstrumentPoint:
    """One partner's instrument total at one sitting."""

    sitting_id: int
    at: str
    partner: str
    total: float
    band: str | None


def _instrument_items(instrument: Instrument, exercise: Exercise) -> list[tuple[str, str]]:
    """(prompt_id, metric) for the instrument's scored prompts, in instrument order."""
    items = []
    for prompt_id in instrument.prompts:
        prompt = exercise.prompt(prompt_id)
        if prompt is not None and prompt.metric:
            items.append((prompt_id, prompt.metric))
    return items


def instrument_series(points: Sequence[MetricPoint], instrument: Instrument, exercise: Exercise, catalog: Catalog | None = None) -> list[InstrumentPoint]:
    """Totals (sum or mean of the instrument's items) per sitting per partner, oldest first.

    A sitting counts only when that partner answered every item: a sum with a
    missing item would look like a drop. Points that say which exercise they
    came from (``extra["exercise_id"]``) must come from the instrument's own
    exercise; points that do not say are taken as they are.
    """
    items = _instrument_items(instrument, exercise)
    if not items:
        return []
    wanted = {metric for _, metric in items}
    # (partner, sitting) -> metric -> (answer id or list position, value): the first given counts
    cells: dict[tuple[str, int], dict[str, tuple[int, float]]] = {}
    when: dict[int, str] = {}
    for n, p in enumerate(points):
        if p.metric not in wanted:
            continue
        source = p.extra.get("exercise_id") if p.extra else None
        if source is not None and source != exercise.id:
            continue
        cell = cells.setdefault((p.partner, p.sitting_id), {})
        order = (p.extra or {}).get("answer_id", n)
        held = cell.get(p.metric)
        if held is None or order < held[0]:
            cell[p.metric] = (order, float(p.value))
        when[p.sitting_id] = p.at
    out: list[InstrumentPoint] = []
    for (partner, sid), cell in cells.items():
        if len(cell) < len(wanted):
            continue
        values = [cell[metric][1] for _, metric in items]
        total = sum(values)
        if instrument.method == "mean":
            total = total / len(values)
        band = instrument.band_for(total)
        out.append(InstrumentPoint(sid, when[sid], partner, total, band.name if band else None))
    out.sort(key=lambda ip: (ip.at, ip.sitting_id, ip.partner))
    return out


def metric_thresholds(catalog: Catalog | None) -> dict[str, float]:
    """A per-metric reliable-change threshold borrowed from the instruments (see module doc)."""
    pairs = list(catalog.instruments()) if catalog is not None else []
    # The weekly check-in's instruments first: the brief for single metrics.
    pairs.sort(key=lambda pair: 0 if pair[0].kind == "checkin" else 1)
    ranges = {m.key: (m.min, m.max) for m in catalog.metrics} if catalog is not None else {}
    out: dict[str, float] = {}
    fallback: tuple[float, float] | None = None  # (per-item threshold, item span)
    for exercise, instrument in pairs:
        if instrument.reliable_change <= 0:
            continue
        items = [exercise.prompt(pid) for pid in instrument.prompts]
        items = [p for p in items if p is not None and p.metric]
        if not items:
            continue
        # Noise in a total of k independent items grows as sqrt(k), so one item's
        # threshold is the total's divided by sqrt(k) (and a mean's times sqrt(k)).
        root = math.sqrt(len(items))
        per_item = instrument.reliable_change
        per_item = per_item * root if instrument.method == "mean" else per_item / root
        spans = [(p.metric_range[1] - p.metric_range[0]) for p in items if p.metric_range]
        item_span = (sum(spans) / len(spans)) if spans else 0
        if fallback is None:
            fallback = (per_item, item_span)
        for prompt in items:
            if prompt.metric in out:
                continue
            lo, hi = ranges.get(prompt.metric, prompt.metric_range or (0, 0))
            scale = (hi - lo) / item_span if item_span and hi > lo else 1.0
            out[prompt.metric] = per_item * scale
    if fallback is not None:
        per_item, item_span = fallback
        for key, (lo, hi) in ranges.items():
            scale = (hi - lo) / item_span if item_span and hi > lo else 1.0
            out.setdefault(key, per_item * scale)
    return out


# --------------------------------------------------------------------------
# The whole picture


@dataclass(frozen=True)
class PartnerTrend:
    partner: str
    name: str
    series: tuple[tuple[str, float], ...]  # within the window
    latest: float | None
    change: float | None  # since the partner's previous rating (any time)
    reliable: bool  # past the threshold (for a single metric always a rough guide)
    low: bool = False  # the latest rating is at the low mark or below


@dataclass(frozen=True)
class MetricTrend:
    key: str
    title: str
    min: int
    max: int
    threshold: float | None
    partners: tuple[PartnerTrend, ...]
    gap: float | None  # a minus b at the latest sitting both rated

    def partner(self, key: str) -> PartnerTrend | None:
        for trend in self.partners:
            if trend.partner == key:
                return trend
        return None


@dataclass(frozen=True)
class InstrumentPartnerTrend:
    partner: str
    name: str
    series: tuple[tuple[str, float], ...]
    latest: float | None
    band: str | None
    change: float | None
    reliable: bool  # past the threshold; called "reliable change" only when established
    low_items: tuple[str, ...] = ()  # titles of the latest total's items at the low mark or below


@dataclass(frozen=True)
class InstrumentTrend:
    id: str
    title: str
    exercise_id: str
    method: str
    reliable_change: float
    note: str
    min: float
    max: float
    partners: tuple[InstrumentPartnerTrend, ...]
    established: bool = False  # the pack declares sd and reliability

    def partner(self, key: str) -> InstrumentPartnerTrend | None:
        for trend in self.partners:
            if trend.partner == key:
                return trend
        return None


@dataclass(frozen=True)
class TrendsSummary:
    window: str
    since: str | None
    names: dict[str, str]
    metrics: tuple[MetricTrend, ...]
    instruments: tuple[InstrumentTrend, ...]
    points: Sequence[MetricPoint] = field(default=(), repr=False)  # within the window (a tuple or ScorePoints)
    checkins: frozenset[str] = frozenset()  # whose ratings count first (``counting_order``)

    @property
    def is_empty(self) -> bool:
        return not self.points


def _names(store: Store | None) -> dict[str, str]:
    names = partner_names(store.get_couple() if store is not None else None)
    del names["both"]
    return names


def summary(store: Store, catalog: Catalog | None, window: str = "all", now: datetime | date | str | None = None) -> TrendsSummary:
    """Every metric per partner, and every instrument total, from one store query."""
    since = window_start(now, window)
    # The store's columns as they come (visible answers only): ``MetricPoint``
    # objects are only built if someone reads ``summary.points`` (the CSV, for one).
    points: Sequence[MetricPoint] = ScorePoints(*store.score_columns())
    return summarise(points, catalog, window=window, since=since, names=_names(store))


# (metric, partner, exercise_id, sitting ids, numbers, answer ids): one per
# metric, partner and exercise, the lists paired item by item (``store.score_columns``).
ScoreGroup = tuple[str, str, str, list[int], list[float], list[int]]


class ScorePoints(Sequence):
    """Metric points kept as the store's columns, made into ``MetricPoint`` on demand.

    ``started`` maps a sitting id to its start; ``groups`` are ``ScoreGroup``
    rows; with ``since``, only sittings from then on count. Made points run in
    sitting order (start, then id), then partner, metric and exercise, and
    carry their exercise id in ``extra``. Compares equal to any sequence of the
    same points in the same order.
    """

    __slots__ = ("started", "groups", "since", "_points")

    def __init__(self, started: dict[int, str], groups: Sequence[ScoreGroup], since: str | None = None) -> None:
        self.started = started
        self.groups = groups
        self.since = since
        self._points: tuple[MetricPoint, ...] | None = None

    def window(self, since: str | None) -> ScorePoints:
        """The same columns, counting only sittings from ``since`` on."""
        return ScorePoints(self.started, self.groups, since)

    def _made(self) -> tuple[MetricPoint, ...]:
        if self._points is None:
            started, since = self.started, self.since
            made = []
            for metric, partner, exercise_id, sids, values, ids in self.groups:
                rank = _partner_rank(partner)
                for sid, value, answer_id in zip(sids, values, ids):
                    at = started[sid]
                    if since is None or at >= since:
                        point = MetricPoint(sid, at, partner, metric, value,
                                            {"exercise_id": exercise_id, "answer_id": answer_id})
                        made.append(((at, sid, rank, metric, exercise_id), point))
            made.sort(key=lambda pair: pair[0])
            self._points = tuple(point for _, point in made)
        return self._points

    def __len__(self) -> int:
        if self._points is not None:
            return len(self._points)
        if self.since is None:
            return sum(len(group[3]) for group in self.groups)
        started, since = self.started, self.since
        return sum(1 for group in self.groups for sid in group[3] if started[sid] >= since)

    def __getitem__(self, index):  # type: ignore[override]
        return self._made()[index]

    def __iter__(self):
        return iter(self._made())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return self._made() == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ScorePoints({len(self)} points)"


def _columns(points: Sequence[MetricPoint]) -> tuple[dict[int, str], list[ScoreGroup]]:
    """Points as ``(started, groups)``, the form ``summarise`` works on.

    A point without an answer id (made by hand) counts in list order.
    """
    if isinstance(points, ScorePoints) and points.since is None:
        return points.started, list(points.groups)
    started: dict[int, str] = {}
    index: dict[tuple[str, str, str], tuple[list[int], list[float], list[int]]] = {}
    for n, p in enumerate(points):
        started[p.sitting_id] = p.at
        extra = p.extra or {}
        key = (p.metric, p.partner, extra.get("exercise_id", ""))
        column = index.get(key)
        if column is None:
            column = index[key] = ([], [], [])
        column[0].append(p.sitting_id)
        column[1].append(float(p.value))
        column[2].append(extra.get("answer_id", n))
    return started, [(m, partner, e, *column) for (m, partner, e), column in index.items()]


def summarise(points: Sequence[MetricPoint], catalog: Catalog | None, window: str = "all", since: str | None = None, names: dict[str, str] | None = None) -> TrendsSummary:
    """``summary`` without the store: latest, change and gap use all points; series use the window.

    The points are grouped per metric, partner and exercise (``store.score_columns``
    hands them over that way); each metric's per-partner series has the rating
    that counts at each sitting (``one_per_sitting``), and each instrument reads
    its own exercise's columns. The work is per sitting (hundreds), mostly inside dict and sort.
    """
    names = dict(names or _names(None))
    pairs = list(catalog.instruments()) if catalog is not None else []
    checkins = checkin_ids(catalog)
    started, groups = _columns(points)

    # metric -> partner -> [Part]; and (exercise, metric, partner) -> (sitting ids, numbers, answer ids).
    by_metric: dict[str, dict[str, list[Part]]] = {}
    by_exercise: dict[tuple[str, str, str], tuple[list[int], list[float], list[int]]] = {}
    for metric, partner, exercise_id, sids, values, ids in groups:
        if not sids:
            continue
        by_metric.setdefault(metric, {}).setdefault(partner, []).append((exercise_id, sids, values, ids))
        by_exercise[(exercise_id, metric, partner)] = (sids, values, ids)

    def in_order(counted: dict[int, float]) -> tuple[list[int], list[str], list[float]]:
        """Sitting ids, starts and values in sitting order (start, then id), all in C."""
        sids = sorted(counted)
        sids.sort(key=started.__getitem__)  # stable: ties keep id order
        return sids, list(map(started.__getitem__, sids)), list(map(counted.__getitem__, sids))

    def first_in_window(ats: Sequence[str]) -> int:
        return 0 if since is None else bisect_left(ats, since)

    thresholds = metric_thresholds(catalog)
    declared = list(catalog.metrics) if catalog is not None else []
    known = {m.key for m in declared}
    order: list[tuple[str, str, int, int]] = [(m.key, m.title, m.min, m.max) for m in declared]
    # Metrics the workbook holds that the catalogue no longer declares (an older pack).
    for key in sorted(k for k in by_metric if k not in known):
        values = [v for parts in by_metric[key].values() for _, _, column, _ in parts for v in column]
        order.append((key, key, int(min(values)), int(max(values))))

    metrics: list[MetricTrend] = []
    for key, title, lo, hi in order:
        threshold = thresholds.get(key)
        counted = {partner: one_per_sitting(parts, checkins) for partner, parts in by_metric.get(key, {}).items()}
        partners: list[PartnerTrend] = []
        ordered = {partner: in_order(counted[partner]) for partner in _partner_order(counted)}
        for partner, (_, ats, values) in ordered.items():
            delta = values[-1] - values[-2] if len(values) >= 2 else None
            start = first_in_window(ats)
            partners.append(
                PartnerTrend(
                    partner=partner,
                    name=names.get(partner, partner),
                    series=tuple(zip(ats[start:], values[start:])),
                    latest=values[-1],
                    change=delta,
                    reliable=reliable(delta, threshold),
                    low=is_low(values[-1], lo, hi),
                )
            )
        gap_value = None
        if "a" in ordered and "b" in ordered:
            b_by_sitting = counted["b"]
            sids_a, _, values_a = ordered["a"]
            for sid, v in zip(reversed(sids_a), reversed(values_a)):
                if sid in b_by_sitting:
                    gap_value = v - b_by_sitting[sid]
                    break
        metrics.append(MetricTrend(key, title, lo, hi, threshold, tuple(partners), gap_value))

    instruments: list[InstrumentTrend] = []
    present = {partner for (_, _, partner) in by_exercise}
    for exercise, instrument in pairs:
        items = _instrument_items(instrument, exercise)
        lo, hi = _instrument_range(instrument, exercise)
        partners_i: list[InstrumentPartnerTrend] = []
        for partner in _partner_order(present):
            columns = [by_exercise.get((exercise.id, m, partner)) for _, m in items]
            if not items or any(c is None for c in columns):
                continue
            # A sitting counts only when every item was answered: a sum with a
            # missing item would look like a drop.
            per_item = [one_per_sitting([(exercise.id, *column)], checkins) for column in columns]
            shared = set(per_item[0]).intersection(*per_item[1:])
            if not shared:
                continue
            sids, ats, _ = in_order(dict.fromkeys(shared, 0.0))
            totals = list(map(sum, zip(*[list(map(item.__getitem__, sids)) for item in per_item])))
            if instrument.method == "mean":
                totals = [total / len(per_item) for total in totals]
            delta = totals[-1] - totals[-2] if len(totals) >= 2 else None
            band = instrument.band_for(totals[-1])
            low_items = tuple(
                _short_title(catalog, metric)
                for (_, metric), item in zip(items, per_item)
                if is_low(item[sids[-1]], *_metric_range(catalog, metric))
            )
            start = first_in_window(ats)
            partners_i.append(
                InstrumentPartnerTrend(
                    partner=partner,
                    name=names.get(partner, partner),
                    series=tuple(zip(ats[start:], totals[start:])),
                    latest=totals[-1],
                    band=band.name if band else None,
                    change=delta,
                    reliable=reliable(delta, instrument.reliable_change),
                    low_items=low_items,
                )
            )
        instruments.append(
            InstrumentTrend(
                id=instrument.id,
                title=instrument.title,
                exercise_id=exercise.id,
                method=instrument.method,
                reliable_change=instrument.reliable_change,
                note=instrument.note,
                min=lo,
                max=hi,
                partners=tuple(partners_i),
                established=instrument.established,
            )
        )

    if isinstance(points, ScorePoints):
        shown: Sequence[MetricPoint] = points if since is None else points.window(since)
    else:
        shown = tuple(points) if since is None else tuple(p for p in points if p.at >= since)
    return TrendsSummary(
        window=window,
        since=since,
        names=names,
        metrics=tuple(metrics),
        instruments=tuple(instruments),
        points=shown,
        checkins=checkins,
    )


def _metric_range(catalog: Catalog | None, key: str) -> tuple[float, float]:
    metric = catalog.metric(key) if catalog is not None else None
    return (metric.min, metric.max) if metric is not None else (1, 10)


def _short_title(catalog: Catalog | None, key: str) -> str:
    title = catalog.metric_title(key) if catalog is not None else key
    return title.split(" (", 1)[0]


def _partner_order(keys: Iterable[str]) -> list[str]:
    keys = list(keys)
    fixed = [k for k in (*PARTNERS, "together") if k in keys]
    return fixed + sorted(k for k in keys if k not in fixed)


def _instrument_range(instrument: Instrument, exercise: Exercise) -> tuple[float, float]:
    ranges = [p.metric_range for p in (exercise.prompt(pid) for pid in instrument.prompts) if p is not None and p.metric_range]
    if not ranges:
        return (0.0, 0.0)
    lo = float(sum(r[0] for r in ranges))
    hi = float(sum(r[1] for r in ranges))
    if instrument.method == "mean":
        lo, hi = lo / len(ranges), hi / len(ranges)
    return (lo, hi)


# --------------------------------------------------------------------------
# Renderings


def fmt_number(value: float | None) -> str:
    """7 for 7.0, 6.5 for 6.5; a dash for nothing."""
    if value is None:
        return "-"
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


def fmt_change(value: float | None) -> str:
    if value is None:
        return "-"
    text = fmt_number(value)
    if value > 0 and text != "0":
        return "+" + text
    return text


def sparkline(values: Sequence[float], lo: float, hi: float, width: int = 24) -> str:
    """A row of unicode blocks, newest on the right; long series averaged into buckets."""
    values = list(values)
    if not values or width <= 0:
        return ""
    if len(values) > width:
        buckets: list[float] = []
        n = len(values)
        for i in range(width):
            start, end = i * n // width, (i + 1) * n // width
            chunk = values[start:end] or [values[min(start, n - 1)]]
            buckets.append(sum(chunk) / len(chunk))
        values = buckets
    span = hi - lo
    out = []
    top = len(SPARK_BLOCKS) - 1
    for v in values:
        frac = 0.5 if span <= 0 else (min(max(v, lo), hi) - lo) / span
        out.append(SPARK_BLOCKS[round(frac * top)])
    return "".join(out)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def render_text(summary: TrendsSummary, width: int = 80) -> str:
    """A plain report that fits ``width`` columns (80 by default)."""
    width = max(40, width)
    lines: list[str] = []
    when = WINDOW_TITLES.get(summary.window, summary.window)
    lines.append(_clip(f"Trends over {when}", width))
    lines.append("=" * min(width, len(lines[0])))
    if not any(m.partners for m in summary.metrics) and not any(i.partners for i in summary.instruments):
        lines.append("")
        lines.append(_clip("No ratings yet: the weekly check-in is where the numbers start.", width))
        return "\n".join(lines) + "\n"
    name_w = max([len(n) for n in summary.names.values()] + [4])
    name_w = min(name_w, 14)
    # name, sparkline, latest, change, note
    spark_w = max(8, width - (2 + name_w + 2) - 2 - 6 - 2 - 6 - 2 - 10)
    lines.append("")
    header = f"  {'':<{name_w}}  {'':<{spark_w}}  {'latest':>6}  {'change':>6}"
    lines.append(header.rstrip())
    for metric in summary.metrics:
        if not metric.partners:
            continue
        lines.append("")
        lines.append(_clip(metric.title, width))
        for trend in metric.partners:
            spark = sparkline([v for _, v in trend.series], metric.min, metric.max, spark_w) or _clip("(none in this window)", spark_w)
            note = " ".join(w for w in ("big" if trend.reliable else "", "LOW" if trend.low else "") if w)
            row = (
                f"  {_clip(trend.name, name_w):<{name_w}}  {spark:<{spark_w}}  "
                f"{fmt_number(trend.latest):>6}  {fmt_change(trend.change):>6}  {note}"
            )
            lines.append(row.rstrip())
        if metric.gap is not None:
            a, b = summary.names.get("a", "A"), summary.names.get("b", "B")
            lines.append(_clip(f"  gap ({a} minus {b}): {fmt_change(metric.gap)}", width))
    for inst in summary.instruments:
        if not inst.partners:
            continue
        lines.append("")
        lines.append(_clip(f"{inst.title} ({inst.method}, {fmt_number(inst.min)} to {fmt_number(inst.max)})", width))
        for trend in inst.partners:
            spark = sparkline([v for _, v in trend.series], inst.min, inst.max, spark_w) or _clip("(none in this window)", spark_w)
            note = ("reliable" if inst.established else "big") if trend.reliable else ""
            row = (
                f"  {_clip(trend.name, name_w):<{name_w}}  {spark:<{spark_w}}  "
                f"{fmt_number(trend.latest):>6}  {fmt_change(trend.change):>6}  {note}"
            )
            lines.append(row.rstrip())
            if trend.band:
                lines.append(_clip(f"  {'':<{name_w}}  band: {trend.band}", width))
            if trend.low_items:
                low = ", ".join(trend.low_items)
                for line in _wrap(f"LOW: {low} at {LOW_ITEM} or below, whatever the total says", width - 4 - name_w):
                    lines.append(_clip(f"  {'':<{name_w}}  {line}", width))
        if inst.note:
            for line in _wrap(inst.note, width - 2):
                lines.append("  " + line)
    lines.append("")
    for line in _wrap(
        "change: since each person's previous rating. big: bigger than a usual week (our rule of thumb, "
        "not a clinical test). reliable: past a threshold computed from the instrument's declared spread and "
        f"reliability. LOW: a single rating at {LOW_ITEM} or below.",
        width,
    ):
        lines.append(line)
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=max(10, width)) or [""]


def render_csv(data: TrendsSummary | Sequence[MetricPoint], names: dict[str, str] | None = None) -> str:
    """``date,partner,metric,value``: one row per sitting, partner and metric, oldest first.

    Where one sitting rated a metric twice, its row has the rating that counts
    (``counting_order``: the check-in's, else the first given), as every trend has.
    """
    if isinstance(data, TrendsSummary):
        points: Sequence[MetricPoint] = data.points
        names = {**data.names, **(names or {})}
        checkins: Collection[str] = data.checkins
    else:
        points = data
        names = dict(names or {})
        checkins = ()
    started, groups = _columns(points)
    by_line: dict[tuple[str, str], list[Part]] = {}
    for metric, partner, exercise_id, sids, values, ids in groups:
        by_line.setdefault((metric, partner), []).append((exercise_id, sids, values, ids))
    rows = [
        (started[sid], sid, _partner_rank(partner), metric, partner, value)
        for (metric, partner), parts in by_line.items()
        for sid, value in one_per_sitting(parts, checkins).items()
    ]
    rows.sort(key=lambda row: row[:4])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["date", "partner", "metric", "value"])
    for at, _, _, metric, partner, value in rows:
        writer.writerow([at[:10], names.get(partner, partner), metric, fmt_number(value)])
    return buf.getvalue()


def render_json(summary: TrendsSummary) -> str:
    """The whole summary as JSON: each metric and instrument, per partner, with its series."""
    import json

    def partner(trend: Any, banded: bool = False) -> dict[str, Any]:
        out = {
            "partner": trend.partner,
            "name": trend.name,
            "latest": trend.latest,
            "change": trend.change,
            "reliable_change": trend.reliable,
            "series": [{"date": at[:10], "value": value} for at, value in trend.series],
        }
        if banded:
            out["band"] = trend.band
        return out

    data = {
        "window": summary.window,
        "since": summary.since,
        "partners": {key: name for key, name in summary.names.items() if key in ("a", "b")},
        "metrics": [
            {
                "metric": metric.key,
                "title": metric.title,
                "min": metric.min,
                "max": metric.max,
                "reliable_change_threshold": metric.threshold,
                "gap": metric.gap,
                "partners": [partner(trend) for trend in metric.partners],
            }
            for metric in summary.metrics
        ],
        "instruments": [
            {
                "instrument": inst.id,
                "title": inst.title,
                "exercise": inst.exercise_id,
                "method": inst.method,
                "min": inst.min,
                "max": inst.max,
                "reliable_change_threshold": inst.reliable_change,
                "note": inst.note,
                "partners": [partner(trend, banded=True) for trend in inst.partners],
            }
            for inst in summary.instruments
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _partner_rank(partner: str) -> int:
    return {"a": 0, "b": 1, "together": 2}.get(partner, 3)
