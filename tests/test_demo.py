"""The demo history: deterministic, generic over the catalogue, plausible."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from relworkbook import demo
from relworkbook.catalog import load_catalog, load_dir
from relworkbook.model import PROMPT_TYPES, Exercise, Prompt
from relworkbook.store import Store

FIXTURE_PACK = Path(__file__).parent / "fixtures" / "exercises"


@pytest.fixture(scope="module")
def catalog():
    loaded = load_dir(FIXTURE_PACK)
    assert not loaded.errors
    assert loaded.checkin() is not None
    return loaded


def build(tmp_path: Path, name: str, catalog, **kwargs) -> dict:
    with Store.open(tmp_path / name) as store:
        demo.generate(store, catalog, **{"today": demo.SAMPLE_TODAY, **kwargs})
        return store.export_data()


def test_same_seed_same_export(tmp_path, catalog):
    one = build(tmp_path, "one.db", catalog, weeks=20, seed=3)
    two = build(tmp_path, "two.db", catalog, weeks=20, seed=3)
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)
    other = build(tmp_path, "three.db", catalog, weeks=20, seed=4)
    assert json.dumps(other, sort_keys=True) != json.dumps(one, sort_keys=True)


def test_history_shape(tmp_path, catalog):
    with Store.open(tmp_path / "w.db") as store:
        demo.generate(store, catalog, weeks=30, seed=0, today=demo.SAMPLE_TODAY)
        couple = store.get_couple()
        assert (couple.a.name, couple.b.name) == ("Alex", "Sam")
        sittings = store.list_sittings()
        assert len(sittings) == 30
        # Weekly, ending on the documented fixed date.
        assert sittings[0].started.startswith(demo.DEFAULT_END.isoformat())
        assert sittings[-1].started.startswith("2025-06-16")
        assert all(s.ended and s.minutes > 0 for s in sittings)
        assert all(catalog.checkin().id == s.exercises[0] for s in sittings)
        # Other exercises now and then, every prompt type answered.
        others = {e for s in sittings for e in s.exercises[1:]}
        assert others and others <= {e.id for e in catalog.exercises if e.kind != "checkin"}
        data = store.export_data()
        types = Counter(a["prompt_type"] for a in data["answers"])
        assert set(types) == set(PROMPT_TYPES)
        # Private answers: some revealed, and any unrevealed ones stay out of search.
        private = [a for a in data["answers"] if a["private"]]
        revealed = {(r["sitting_id"], r["exercise_id"], r["prompt_id"]) for r in data["reveals"]}
        assert private and revealed
        hidden = [a for a in private if (a["sitting_id"], a["exercise_id"], a["prompt_id"]) not in revealed]
        assert hidden
        # Commitments made and reviewed at a later sitting.
        statuses = Counter(c["status"] for c in data["commitments"])
        assert statuses["kept"] and statuses["partly"] + statuses["not_kept"]
        assert all(c["reviewed_sitting_id"] > c["sitting_id"] for c in data["commitments"] if c["reviewed"])
        assert len(store.list_commitments("open")) <= 2  # never reviewed yet: the last week's
        # Scores stay in range and move but not wildly.
        ranges = {p.metric: p.metric_range for e in catalog.exercises for p in e.prompts if p.is_scored}
        for metric in store.metrics():
            low, high = ranges[metric]
            values = [p.value for p in store.metric_points(metric, include_unrevealed=True) if p.partner == "a"]
            assert values and all(low <= v <= high for v in values)
            assert len(set(values)) > 1
            jumps = [abs(x - y) for x, y in zip(values, values[1:])]
            assert max(jumps) <= 6


def test_start_date_and_zero_weeks(tmp_path, catalog):
    with Store.open(tmp_path / "w.db") as store:
        demo.generate(store, catalog, weeks=3, seed=1, start=date(2024, 2, 5))
        assert [s.started[:10] for s in reversed(store.list_sittings())] == [
            "2024-02-05", "2024-02-12", "2024-02-19"]
    with Store.open(tmp_path / "empty.db") as store:
        demo.generate(store, catalog, weeks=0, today=demo.SAMPLE_TODAY)
        assert store.list_sittings() == [] and store.get_couple() is not None


_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2})?$")


def _shifted(value, days: int):
    """``value`` (an export) with every date and date-time moved by ``days``."""
    if isinstance(value, dict):
        return {key: _shifted(item, days) for key, item in value.items()}
    if isinstance(value, list):
        return [_shifted(item, days) for item in value]
    if isinstance(value, str):
        found = _DATE.match(value)
        if found:
            day = date.fromisoformat(found.group(1)) + timedelta(days=days)
            return day.isoformat() + (found.group(2) or "")
    return value


def test_same_seed_on_another_day_gives_the_same_answers_with_the_dates_moved(tmp_path, catalog):
    """The history ends the day before ``today``; another today moves every date by
    the same number of days and changes nothing else."""
    one = build(tmp_path, "one.db", catalog, weeks=20, seed=3, today=date(2026, 1, 6))
    two = build(tmp_path, "two.db", catalog, weeks=20, seed=3, today=date(2026, 11, 29))
    gap = (date(2026, 11, 29) - date(2026, 1, 6)).days
    assert json.dumps(_shifted(one, gap), sort_keys=True) == json.dumps(two, sort_keys=True)
    assert json.dumps(one, sort_keys=True) != json.dumps(two, sort_keys=True)
    with Store.open(tmp_path / "two.db") as store:
        assert store.list_sittings()[0].started.startswith("2026-11-28")


def test_the_demo_command_ends_yesterday_so_home_is_not_weeks_behind(tmp_path):
    """`relworkbook demo` (the real today): the last sitting was yesterday evening, so
    Home says when the next check-in is, not "Last check-in 46 weeks ago"."""
    from click.testing import CliRunner

    from relworkbook.cli import cli
    from relworkbook.rhythm import due_lines, read_rhythm

    db = tmp_path / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(db), "--weeks", "6", "--seed", "2"])
    assert result.exit_code == 0, result.output
    today = date.today()
    with Store.open(db) as store:
        sittings = store.list_sittings()
        last = date.fromisoformat(sittings[0].started[:10])
        first = date.fromisoformat(sittings[-1].started[:10])
        lines = due_lines(today, read_rhythm(store), last, first, store.open_commitments())
    # Yesterday (or the day before, if the date turned during the run).
    assert 1 <= (today - last).days <= 2
    assert (last - first).days == 5 * 7
    assert not any("weeks ago" in line or "overdue" in line for line in lines), lines


def test_catalogue_without_checkin(tmp_path):
    """Generic over the catalogue: a Catalog-like object built from model dataclasses."""

    class Pack:
        exercises = (
            Exercise(id="solo", title="Solo", step="s", intro="", minutes=5, prompts=(
                Prompt(id="words", type="text", text="Anything?"),
                Prompt(id="rate", type="scale", text="Rate", min=0, max=4, metric="calm"),
            )),
        )

        def checkin(self):
            return None

    with Store.open(tmp_path / "w.db") as store:
        demo.generate(store, Pack(), weeks=4, seed=2, today=demo.SAMPLE_TODAY)
        assert len(store.list_sittings()) == 4
        assert all(0 <= p.value <= 4 for p in store.metric_points("calm", include_unrevealed=True))


def test_ten_years_of_demo_is_whole_and_small(tmp_path):
    # How fast it is built is make bench's business; here: complete, searchable, small.
    catalog = load_catalog()
    path = tmp_path / "big.db"
    with Store.open(path) as store:
        demo.generate(store, catalog, weeks=520, seed=1, today=demo.SAMPLE_TODAY)
        assert len(store.list_sittings()) == 520
        assert store.search("listened")
    size = sum(p.stat().st_size for p in tmp_path.glob("big.db*"))
    assert size < 20_000_000, size


def test_a_private_run_is_revealed_whole_or_not_at_all(tmp_path):
    """The reveal is drawn once per private run, not per prompt: in the shipped check-in
    (seven private ratings in one run) a together check-in has all seven revealed or none,
    so most have a total; one draw per prompt left about one in ten complete."""
    from relworkbook.progress import private_runs

    shipped = load_catalog()
    checkin = shipped.checkin()
    (run,) = private_runs(checkin)
    assert len(run) >= 5
    with Store.open(tmp_path / "w.db") as store:
        demo.generate(store, shipped, weeks=60, seed=0, today=demo.SAMPLE_TODAY)
        data = store.export_data()
    together = {s["id"] for s in data["sittings"] if len(s["attendees"]) == 2}
    revealed = Counter(
        r["sitting_id"] for r in data["reveals"] if r["exercise_id"] == checkin.id
    )
    assert set(revealed.values()) == {len(run)}  # never part of a run
    complete = [sid for sid in together if revealed.get(sid) == len(run)]
    assert 0.5 <= len(complete) / len(together) <= 0.9, (len(complete), len(together))
    assert not set(revealed) - together  # nobody reveals alone
