"""Trends: the maths on hand-made points, then the summary on a real workbook."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from relworkbook import trends
from relworkbook.model import Band, Exercise, Instrument, MetricPoint, Prompt


def pt(sid: int, day: str, partner: str, metric: str, value: float, **extra) -> MetricPoint:
    return MetricPoint(sitting_id=sid, at=f"{day}T19:00:00", partner=partner, metric=metric, value=value, extra=extra)


@pytest.fixture
def points() -> list[MetricPoint]:
    # Deliberately out of order: series must sort by time, not by list order.
    return [
        pt(3, "2026-01-15", "a", "trust", 7),
        pt(1, "2026-01-01", "a", "trust", 4),
        pt(2, "2026-01-08", "a", "trust", 5),
        pt(1, "2026-01-01", "b", "trust", 6),
        pt(2, "2026-01-08", "b", "trust", 6),
        pt(1, "2026-01-01", "a", "communication", 3),
        pt(4, "2026-01-22", "b", "communication", 9),
    ]


def test_series_is_time_ordered_and_filtered(points):
    assert trends.series(points, "trust", "a") == [
        ("2026-01-01T19:00:00", 4),
        ("2026-01-08T19:00:00", 5),
        ("2026-01-15T19:00:00", 7),
    ]
    assert trends.series(points, "trust", "b") == [("2026-01-01T19:00:00", 6), ("2026-01-08T19:00:00", 6)]
    assert trends.series(points, "trust", "a", since="2026-01-08T00:00:00") == [
        ("2026-01-08T19:00:00", 5),
        ("2026-01-15T19:00:00", 7),
    ]
    assert trends.series(points, "closeness", "a") == []


def test_a_sitting_counts_one_rating_the_checkins_else_the_first_given():
    pts = [pt(1, "2026-01-01", "a", "trust", 4, exercise_id="other", answer_id=10),
           pt(1, "2026-01-01", "a", "trust", 7, exercise_id="checkin", answer_id=11),
           pt(2, "2026-01-08", "a", "trust", 6, exercise_id="other", answer_id=12)]
    assert trends.series(pts, "trust", "a") == [("2026-01-01T19:00:00", 4), ("2026-01-08T19:00:00", 6)]
    assert trends.change(pts, "trust", "a") == 2
    assert trends.series(pts, "trust", "a", checkins={"checkin"}) == [("2026-01-01T19:00:00", 7), ("2026-01-08T19:00:00", 6)]
    assert trends.change(pts, "trust", "a", checkins={"checkin"}) == -1
    # Without answer ids (points made by hand), the first in the list is the first given.
    bare = [pt(1, "2026-01-01", "a", "trust", 4), pt(1, "2026-01-01", "a", "trust", 7)]
    assert trends.latest(bare, "trust", "a") == 4 and trends.latest(bare[::-1], "trust", "a") == 7


def test_latest_and_change(points):
    assert trends.latest(points, "trust", "a") == 7
    assert trends.change(points, "trust", "a") == 2  # 7 at sitting 3 minus 5 at sitting 2
    assert trends.change(points, "trust", "b") == 0
    assert trends.change(points, "communication", "a") is None  # only one rating
    assert trends.latest(points, "closeness", "b") is None
    assert trends.change(points, "closeness", "b") is None


def test_change_skips_sittings_where_the_partner_did_not_rate():
    pts = [pt(1, "2026-01-01", "b", "goals", 8), pt(2, "2026-01-08", "a", "goals", 2), pt(3, "2026-01-15", "b", "goals", 5)]
    assert trends.change(pts, "goals", "b") == -3


def test_gap_uses_latest_sitting_both_rated(points):
    # a rated trust at 1, 2, 3; b at 1, 2: the latest shared sitting is 2 (5 - 6).
    assert trends.gap(points, "trust") == -1
    # communication: a at sitting 1, b at sitting 4, never together
    assert trends.gap(points, "communication") is None
    assert trends.gap([], "trust") is None


@pytest.mark.parametrize(
    "delta, threshold, expected",
    [(3, 3, True), (-3, 3, True), (2.9, 3, False), (-2.9, 3, False), (None, 3, False), (5, None, False), (5, 0, False), (8 / 7 * 7, 8, True)],
)
def test_reliable(delta, threshold, expected):
    assert trends.reliable(delta, threshold) is expected


def test_window_start():
    now = datetime(2026, 11, 21, 19, 43, 13)
    assert trends.window_start(now, "all") is None
    assert trends.window_start(now, "3m") == "2026-08-22T19:43:13"
    assert trends.window_start(now, "1y") == "2025-11-21T19:43:13"
    assert trends.window_start("2026-11-21T19:43:13", "1y") == "2025-11-21T19:43:13"
    with pytest.raises(ValueError):
        trends.window_start(now, "5y")
    # A window start filters a series like any since=.
    pts = [pt(1, "2025-01-01", "a", "trust", 3), pt(2, "2026-10-01", "a", "trust", 8)]
    assert trends.series(pts, "trust", "a", since=trends.window_start(now, "3m")) == [("2026-10-01T19:00:00", 8)]


def _checkin(method: str = "sum") -> tuple[Exercise, Instrument]:
    prompts = tuple(
        Prompt(id=key, type="scale", text=key, min=1, max=10, metric=key) for key in ("communication", "trust", "closeness")
    ) + (Prompt(id="note", type="text", text="note"),)
    bands = (
        (Band("Needs attention", 3, 14), Band("Steady", 15, 30))
        if method == "sum"
        else (Band("Needs attention", 1, 4.99), Band("Steady", 5, 10))
    )
    instrument = Instrument(
        id="total", title="Check-in total", prompts=("communication", "trust", "closeness"), method=method, bands=bands, reliable_change=6 if method == "sum" else 2
    )
    exercise = Exercise(id="weekly", title="Weekly", step="check-in", intro="", minutes=10, prompts=prompts, kind="checkin", instruments=(instrument,))
    return exercise, instrument


def _rate(sid: int, day: str, partner: str, c: int, t: int, k: int | None) -> list[MetricPoint]:
    out = [pt(sid, day, partner, "communication", c, exercise_id="weekly"), pt(sid, day, partner, "trust", t, exercise_id="weekly")]
    if k is not None:
        out.append(pt(sid, day, partner, "closeness", k, exercise_id="weekly"))
    return out


def test_instrument_totals_bands_and_reliable_change():
    exercise, instrument = _checkin("sum")
    pts = (
        _rate(1, "2026-01-01", "a", 3, 4, 4)  # 11: needs attention
        + _rate(1, "2026-01-01", "b", 6, 6, None)  # incomplete: no total
        + _rate(2, "2026-01-08", "a", 6, 6, 6)  # 18: steady
        + _rate(2, "2026-01-08", "b", 5, 5, 5)  # 15: steady
        # the same metric from another exercise must not leak into the total
        + [pt(2, "2026-01-08", "a", "trust", 1, exercise_id="rc-assess")]
    )
    totals = trends.instrument_series(pts, instrument, exercise, None)
    assert [(ip.sitting_id, ip.partner, ip.total, ip.band) for ip in totals] == [
        (1, "a", 11, "Needs attention"),
        (2, "a", 18, "Steady"),
        (2, "b", 15, "Steady"),
    ]
    delta = totals[1].total - totals[0].total
    assert delta == 7 and trends.reliable(delta, instrument.reliable_change)


def test_instrument_mean():
    exercise, instrument = _checkin("mean")
    totals = trends.instrument_series(_rate(1, "2026-01-01", "a", 3, 4, 8), instrument, exercise, None)
    assert [(ip.total, ip.band) for ip in totals] == [(5, "Steady")]
    totals = trends.instrument_series(_rate(1, "2026-01-01", "a", 3, 4, 5), instrument, exercise, None)
    assert totals[0].total == pytest.approx(4) and totals[0].band == "Needs attention"


def test_sparkline_and_numbers():
    assert trends.sparkline([1, 10], 1, 10) == "▁█"
    assert len(trends.sparkline(list(range(500)), 0, 499, width=24)) == 24
    assert trends.sparkline([], 1, 10) == ""
    assert trends.fmt_number(7.0) == "7" and trends.fmt_number(6.54) == "6.5" and trends.fmt_number(None) == "-"
    assert trends.fmt_change(2) == "+2" and trends.fmt_change(-1.5) == "-1.5" and trends.fmt_change(0) == "0"


def test_csv_one_row_per_sitting_partner_metric(points):
    text = trends.render_csv(points + [pt(1, "2026-01-01", "a", "trust", 6)], names={"a": "Alex", "b": "Sam"})
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["date", "partner", "metric", "value"]
    assert rows[1:4] == [
        ["2026-01-01", "Alex", "communication", "3"],
        ["2026-01-01", "Alex", "trust", "4"],  # 4, then 6 in one sitting: the first given counts
        ["2026-01-01", "Sam", "trust", "6"],
    ]
    assert len(rows) == 1 + 7


# --------------------------------------------------------------------------
# The summary, on a real workbook with the fixture catalogue

from pathlib import Path  # noqa: E402

from relworkbook.catalog import load_dir  # noqa: E402
from relworkbook.store import Store  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


@pytest.fixture
def catalog():
    cat = load_dir(FIXTURES)
    assert not cat.errors, cat.errors
    return cat


def _week(store: Store, day: str, scores: dict[str, tuple[int, int]], *, reveal: bool = True) -> int:
    sitting = store.start_sitting(["a", "b"], started=f"{day}T19:00:00")
    for metric, (a, b) in scores.items():
        for partner, value in (("a", a), ("b", b)):
            store.save_answer(sitting.id, "fx-checkin", metric, partner, value, prompt_type="scale", private=True, metric=metric)
        if reveal:
            store.reveal(sitting.id, "fx-checkin", metric)
    store.end_sitting(sitting.id, ended=f"{day}T19:10:00")
    return sitting.id


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "workbook.db")
    store.set_couple("Alex", "blue", "Sam", "green")
    _week(store, "2026-01-05", {"communication": (3, 5), "closeness": (3, 6)})  # totals 6, 11
    _week(store, "2026-01-12", {"communication": (4, 5), "closeness": (4, 6)})  # 8, 11
    _week(store, "2026-03-30", {"communication": (7, 6), "closeness": (6, 6)})  # 13, 12
    # a later week whose ratings are still private: it must not count anywhere
    _week(store, "2026-04-06", {"communication": (1, 1), "closeness": (1, 1)}, reveal=False)
    yield store
    store.close()


def test_metric_points_leave_out_unrevealed(store):
    assert all(p.at < "2026-04-06" for p in store.metric_points())


def test_summary_on_a_real_workbook(store, catalog):
    summ = trends.summary(store, catalog, now="2026-04-10T12:00:00")
    assert [m.key for m in summ.metrics] == ["communication", "closeness", "kind-habits"]
    comm = summ.metrics[0]
    assert comm.title == "Communication"
    # the per-item threshold: the check-in total's 4 over the square root of its 2 summed items
    assert comm.threshold == pytest.approx(4 / 2**0.5)
    a, b = comm.partner("a"), comm.partner("b")
    assert (a.name, a.latest, a.change, a.reliable) == ("Alex", 7, 3, True)
    assert (b.name, b.latest, b.change, b.reliable) == ("Sam", 6, 1, False)
    assert comm.gap == 1
    assert [v for _, v in a.series] == [3, 4, 7]
    # kind-habits (0-4) is in no instrument: the check-in's per-item share, scaled by range
    assert summ.metrics[2].threshold == pytest.approx(4 / 2**0.5 * 4 / 9)
    assert summ.metrics[2].partners == ()

    (inst,) = summ.instruments
    assert (inst.id, inst.min, inst.max) == ("fx-week-total", 2, 20)
    ia, ib = inst.partner("a"), inst.partner("b")
    assert [v for _, v in ia.series] == [6, 8, 13]
    assert (ia.latest, ia.band, ia.change, ia.reliable) == (13, "Steady", 5, True)
    assert (ib.latest, ib.band, ib.change, ib.reliable) == (12, "Steady", 1, False)


def test_summary_window_limits_series_not_change(store, catalog):
    summ = trends.summary(store, catalog, window="3m", now="2026-04-10T12:00:00")
    a = summ.metrics[0].partner("a")
    assert [v for _, v in a.series] == [4, 7]  # 5 January is outside the last 3 months
    assert a.change == 3
    rows = list(csv.reader(io.StringIO(trends.render_csv(summ))))
    assert rows[0] == ["date", "partner", "metric", "value"]
    assert {r[0] for r in rows[1:]} == {"2026-01-12", "2026-03-30"}
    assert ["2026-03-30", "Alex", "communication", "7"] in rows
    assert len(rows) == 1 + 2 * 2 * 2  # 2 sittings x 2 partners x 2 metrics


def test_render_text_fits_80_columns(store, catalog):
    text = trends.render_text(trends.summary(store, catalog, now="2026-04-10T12:00:00"))
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "Communication" in text and "Alex" in text and "Sam" in text
    assert "reliable" in text and "band: Steady" in text and "not a clinical measure" in text
    later = trends.render_text(trends.summary(store, catalog, window="3m", now="2027-01-01T00:00:00"))
    assert "(none in this window)" in later and "Alex" in later


def test_summary_of_an_empty_workbook(tmp_path, catalog):
    store = Store.open(tmp_path / "empty.db")
    summ = trends.summary(store, catalog)
    assert all(not m.partners for m in summ.metrics)
    assert "No ratings yet" in trends.render_text(summ)
    assert trends.render_csv(summ) == "date,partner,metric,value\n"
    store.close()


def test_summary_counts_one_rating_per_sitting_the_checkins_else_the_first_given(store, catalog):
    # 2 April: another exercise rates communication first (4), then the check-in
    # (8 and 5), then a third exercise (3): the check-in's rating counts.
    sitting = store.start_sitting(["a", "b"], started="2026-04-02T19:00:00")
    store.save_answer(sitting.id, "other-exercise", "again", "a", 4, prompt_type="scale", metric="communication")
    for partner, value in (("a", 8), ("b", 5)):
        store.save_answer(sitting.id, "fx-checkin", "communication", partner, value, prompt_type="scale",
                          private=True, metric="communication")
    store.reveal(sitting.id, "fx-checkin", "communication")
    store.save_answer(sitting.id, "third-exercise", "once-more", "a", 3, prompt_type="scale", metric="communication")
    store.save_answer(sitting.id, "other-exercise", "old", "b", 2.5, prompt_type="scale", metric="retired-metric", number=2.5)
    summ = trends.summary(store, catalog, now="2026-04-10T12:00:00")
    comm = summ.metrics[0].partner("a")
    assert comm.latest == 8 and comm.change == 1  # the check-in's 8, after 7
    assert [v for _, v in comm.series] == [3, 4, 7, 8]
    assert summ.metrics[0].gap == 3  # 8 against Sam's 5
    # 3 April, no check-in: the first rating given counts (9, not 2).
    later = store.start_sitting(["a"], started="2026-04-03T19:00:00")
    store.save_answer(later.id, "third-exercise", "once-more", "a", 9, prompt_type="scale", metric="communication")
    store.save_answer(later.id, "other-exercise", "again", "a", 2, prompt_type="scale", metric="communication")
    summ = trends.summary(store, catalog, now="2026-04-10T12:00:00")
    assert [v for _, v in summ.metrics[0].partner("a").series] == [3, 4, 7, 8, 9]
    rows = list(csv.reader(io.StringIO(trends.render_csv(summ))))
    assert [r for r in rows if r[1] == "Alex" and r[2] == "communication"][-2:] == [
        ["2026-04-02", "Alex", "communication", "8"], ["2026-04-03", "Alex", "communication", "9"]]
    # A metric the catalogue no longer declares still shows, under its key.
    retired = summ.metrics[-1]
    assert (retired.key, retired.title, retired.partner("b").latest) == ("retired-metric", "retired-metric", 2.5)
    # The same answers as plain points give the same summary and the same CSV.
    again = trends.summarise(store.metric_points(), catalog, since=None, names=summ.names)
    assert again.metrics == summ.metrics and again.instruments == summ.instruments
    assert trends.render_csv(again) == trends.render_csv(summ)
    # The check-in total still needs both of its items in a sitting: 2 April lacks closeness.
    assert [v for _, v in summ.instruments[0].partner("a").series] == [6, 8, 13]


# --------------------------------------------------------------------------- issue 15: words and single low items


def test_only_a_declared_basis_is_called_reliable_change():
    assert trends.change_words(8, 8, established=False) == trends.BIG_CHANGE == "bigger than a usual week"
    assert trends.change_words(-9, 8, established=True) == trends.RELIABLE_CHANGE == "reliable change"
    assert trends.change_words(7, 8, established=True) == ""
    assert trends.change_words(None, 8) == "" and trends.change_words(20, None) == ""


@pytest.mark.parametrize(
    "value,lo,hi,expected",
    [(3, 1, 10, True), (1, 1, 10, True), (3.5, 1, 10, False), (4, 1, 10, False), (None, 1, 10, False),
     (20, 0, 100, True), (23, 0, 100, False), (0, 0, 3, False)],
)
def test_a_single_rating_is_low_at_3_or_below_on_the_house_scale(value, lo, hi, expected):
    assert trends.is_low(value, lo, hi) is expected


def test_low_ratings_of_one_sitting_name_the_area(catalog):
    found = trends.low_ratings([("communication", 2), ("closeness", 8), ("kind-habits", 0), ("gone", 1)], catalog)
    assert found == [("Communication", 2), ("gone", 1)]  # kind-habits (0-4) is too short a scale to flag


def test_a_collapsed_item_is_flagged_even_when_the_total_looks_fine(store, catalog):
    # Alex: communication 1, closeness 10 -> total 11, "Steady"; the total hides the 1.
    _week(store, "2026-04-03", {"communication": (1, 6), "closeness": (10, 6)})
    summ = trends.summary(store, catalog, now="2026-04-10T12:00:00")
    comm = summ.metrics[0]
    assert comm.partner("a").low and not comm.partner("b").low
    assert not summ.metrics[1].partner("a").low
    (inst,) = summ.instruments
    assert inst.partner("a").band == "Steady" and inst.partner("a").low_items == ("Communication",)
    assert inst.partner("b").low_items == ()
    assert not inst.established  # the fixture's check-in declares no sd/reliability
    text = trends.render_text(summ)
    assert "LOW: Communication at 3 or below" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_an_instrument_with_sd_and_reliability_is_established(catalog):
    exercise, instrument = _checkin("sum")
    from relworkbook.model import jacobson_truax

    declared = instrument._replace(sd=5.0, reliability=0.8, reliable_change=jacobson_truax(5.0, 0.8))
    exercise = exercise._replace(instruments=(declared,))

    class One:
        metrics = ()

        exercises = (exercise,)

        def instruments(self):
            return [(exercise, declared)]

        def metric(self, key):
            return None

        def metric_title(self, key):
            return key.capitalize()

    pts = _rate(1, "2026-01-01", "a", 2, 4, 4) + _rate(2, "2026-01-08", "a", 6, 6, 6)
    summ = trends.summarise(pts, One())
    (inst,) = summ.instruments
    assert inst.established and inst.reliable_change == pytest.approx(6.1981, abs=1e-3)
    assert inst.partner("a").reliable  # 10 -> 18
    assert inst.partner("a").low_items == ()  # the latest sitting has no item at 3 or below
    assert "reliable" in trends.render_text(summ).split("Check-in total")[1].splitlines()[1]


# --------------------------------------------------------------------------- one rating per sitting, any mix

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_RATINGS = st.lists(
    st.tuples(st.sampled_from(["checkin", "listening", "areas"]), st.integers(1, 6), st.integers(1, 10)),
    max_size=30,
)


@given(_RATINGS, st.sets(st.sampled_from(["checkin", "listening", "areas"]), max_size=2))
def test_one_per_sitting_is_the_lowest_counting_key_at_each_sitting(ratings, checkins):
    """Whatever the mix of exercises and sittings, each sitting keeps the rating counting_order puts first."""
    parts: dict[str, tuple[str, list[int], list[float], list[int]]] = {}
    expected: dict[int, tuple[tuple[bool, int], float]] = {}
    seen: set[tuple[str, int]] = set()
    for answer_id, (exercise, sid, value) in enumerate(ratings, start=1):
        if (exercise, sid) in seen:
            continue  # one prompt per metric in an exercise: one answer per sitting
        seen.add((exercise, sid))
        part = parts.setdefault(exercise, (exercise, [], [], []))
        part[1].append(sid)
        part[2].append(float(value))
        part[3].append(answer_id)
        key = trends.counting_order(exercise, answer_id, checkins)
        if sid not in expected or key < expected[sid][0]:
            expected[sid] = (key, float(value))
    got = trends.one_per_sitting(list(parts.values()), checkins) if parts else {}
    assert got == {sid: value for sid, (_, value) in expected.items()}
