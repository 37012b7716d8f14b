"""The weekly rhythm without Textual: settings read and written through the store,
and what is due on fixed days (2026-11-29 is a Sunday)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relworkbook import rhythm
from relworkbook.rhythm import (
    Rhythm,
    checkin_due,
    checkin_lines,
    due_lines,
    due_phrase,
    parse_day,
    parse_time,
    read_rhythm,
    save_rhythm,
)
from relworkbook.store import Store

SUNDAY = date(2026, 11, 29)
SUN = 6
WED = 2


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "workbook.db")
    yield opened
    opened.close()


def commitment(what: str, due: str | None):
    return SimpleNamespace(what=what, due=due)


# ---------------------------------------------------------------- settings


def test_a_new_workbook_reads_the_defaults(store):
    assert read_rhythm(store) == Rhythm(6, "19:00", 30, 20, False)


def test_settings_round_trip_through_the_file(tmp_path):
    db = tmp_path / "workbook.db"
    with Store.open(db) as first:
        save_rhythm(first, Rhythm(checkin_day=WED, checkin_time="7:05", checkin_minutes=45,
                                  timeout_minutes=35, calendar_words=True))
    with Store.open(db) as again:
        assert read_rhythm(again) == Rhythm(WED, "07:05", 45, 35, True)
        assert again.get_setting("checkin_day") == WED
        assert again.get_setting("timeout_minutes") == 35  # the key the time-out has always read


def test_a_bad_value_is_refused_and_nothing_is_written(store):
    save_rhythm(store, Rhythm(checkin_day=1, checkin_time="08:00"))
    for bad in (
        Rhythm(checkin_day=9),
        Rhythm(checkin_time="25:00"),
        Rhythm(checkin_minutes=2),
        Rhythm(timeout_minutes=500),
    ):
        with pytest.raises(ValueError):
            save_rhythm(store, bad)
    assert read_rhythm(store)[:2] == (1, "08:00")


def test_odd_values_in_the_file_fall_back_to_the_defaults(store):
    store.set_setting("checkin_day", "someday")
    store.set_setting("checkin_time", "late")
    store.set_setting("checkin_minutes", -4)
    store.set_setting("timeout_minutes", True)
    store.set_setting("calendar_commitment_words", "yes")  # only true itself opts in
    assert read_rhythm(store) == Rhythm()


@pytest.mark.parametrize(
    "typed, kept",
    [("19:00", "19:00"), ("7:30", "07:30"), ("1930", "19:30"), ("19.30", "19:30"), ("9h05", "09:05"),
     ("24:00", None), ("19:", None), ("", None), ("19:60", None), (None, None)],
)
def test_times_people_type(typed, kept):
    assert parse_time(typed) == kept


def test_days_by_number_or_name():
    assert parse_day(0) == 0 and parse_day("sun") == 6 and parse_day("Tuesday") == 1
    assert parse_day(7) is None and parse_day("x") is None and parse_day(True) is None


# ---------------------------------------------------------------- what is due


def test_checkin_today_on_the_day():
    due = checkin_due(SUNDAY, SUN, last=date(2026, 11, 22))
    assert due.due == SUNDAY and due.overdue == 0
    assert checkin_lines(due, SUNDAY, Rhythm()) == ["Check-in today at 19:00"]


def test_checkin_overdue_counts_days_calmly():
    wednesday = date(2026, 12, 2)
    due = checkin_due(wednesday, SUN, last=date(2026, 11, 22))
    assert due.due == SUNDAY and due.overdue == 3
    assert checkin_lines(due, wednesday, Rhythm()) == ["Check-in 3 days overdue"]
    monday = date(2026, 11, 30)
    assert checkin_lines(checkin_due(monday, SUN, date(2026, 11, 22)), monday, Rhythm()) == [
        "Check-in 1 day overdue"
    ]


def test_a_checkin_a_day_or_two_early_counts_for_its_week():
    saturday = date(2026, 11, 28)
    due = checkin_due(SUNDAY, SUN, last=saturday)
    assert due.due == date(2026, 12, 6) and due.overdue == -7
    assert checkin_lines(due, SUNDAY, Rhythm()) == ["Check-in on Sunday 6 December at 19:00"]


def test_a_late_checkin_counts_for_the_week_it_was_late_for():
    wednesday = date(2026, 12, 2)
    due = checkin_due(date(2026, 12, 3), SUN, last=wednesday)
    assert due.due == date(2026, 12, 6)
    assert checkin_lines(due, date(2026, 12, 3), Rhythm()) == ["Check-in on Sunday at 19:00"]


def test_done_today_says_when_the_next_one_is():
    due = checkin_due(SUNDAY, SUN, last=SUNDAY)
    assert checkin_lines(due, SUNDAY, Rhythm()) == [
        "Check-in done today; the next one on Sunday 6 December at 19:00"
    ]


def test_long_gaps_say_when_the_last_one_was_not_a_count_of_days():
    today = date(2026, 12, 2)  # Wednesday
    lines = checkin_lines(checkin_due(today, SUN, last=date(2026, 10, 4)), today, Rhythm())
    assert lines == ["Last check-in 8 weeks ago", "Next check-in on Sunday at 19:00"]
    never = checkin_lines(checkin_due(today, SUN, None, started=date(2026, 9, 1)), today, Rhythm())
    assert never == ["No check-in yet", "Next check-in on Sunday at 19:00"]


def test_a_new_workbook_is_due_on_the_first_checkin_day():
    friday = date(2026, 11, 27)
    due = checkin_due(friday, SUN, None, started=friday)
    assert due.due == SUNDAY
    assert checkin_lines(due, friday, Rhythm()) == ["Check-in on Sunday at 19:00"]
    assert checkin_lines(checkin_due(date(2026, 11, 28), SUN, None, friday), date(2026, 11, 28), Rhythm()) == [
        "Check-in tomorrow at 19:00"
    ]


def test_commitment_dates_in_calm_words():
    assert due_phrase("2026-11-29", SUNDAY) == "due today"
    assert due_phrase("2026-11-30", SUNDAY) == "due tomorrow"
    assert due_phrase("2026-12-04", SUNDAY) == "due Friday"
    assert due_phrase("2026-12-20", SUNDAY) == "by 2026-12-20"
    assert due_phrase("2026-11-28", SUNDAY) == "was due yesterday"
    assert due_phrase("2026-11-20", SUNDAY) == "was due 9 days ago"
    assert due_phrase("soon", SUNDAY) == "by soon"


def test_due_lines_count_this_weeks_commitments_and_past_ones():
    open_ones = [
        commitment("walk", "2026-11-29"),
        commitment("cook", "2026-12-05"),
        commitment("later", "2026-12-06"),  # a week on: not this week
        commitment("late", "2026-11-01"),
        commitment("whenever", None),
    ]
    lines = due_lines(SUNDAY, Rhythm(), date(2026, 11, 22), None, open_ones)
    assert lines == ["Check-in today at 19:00", "2 commitments due this week", "1 commitment past its date"]
    for line in lines:
        assert not any(len(word) > 1 and word.isupper() for word in line.split())  # no shouting
    assert due_lines(SUNDAY, Rhythm(), None, None, [], has_checkin=False) == []


def test_rhythm_needs_no_textual():
    code = "import sys, relworkbook.rhythm; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert rhythm.DAYS[SUNDAY.weekday()] == "Sunday"


def test_the_store_finds_the_latest_sitting_with_an_exercise(store):
    assert store.last_started_with("fx-checkin") is None and store.first_started() is None
    for day, exercise in (("2026-11-01", "fx-checkin"), ("2026-11-15", "fx-checkin"), ("2026-11-22", "fx-hopes")):
        sitting = store.start_sitting(("a",), started=f"{day}T19:00:00")
        store.save_answer(sitting.id, exercise, "p", "a", "x", prompt_type="text")
    store.start_sitting(("a",), started="2026-10-01T19:00:00")  # older, made last, no answers
    assert store.last_started_with("fx-checkin") == "2026-11-15T19:00:00"
    assert store.first_started() == "2026-10-01T19:00:00"


DAYS_RANGE = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@given(today=DAYS_RANGE, weekday=st.integers(0, 6), back=st.one_of(st.none(), st.integers(0, 400)))
def test_the_due_checkin_is_the_first_check_in_day_the_last_one_does_not_cover(today, weekday, back):
    last = None if back is None else today - timedelta(days=back)
    due = checkin_due(today, weekday, last, started=today - timedelta(days=30))
    assert due.due.weekday() == weekday
    assert due.overdue == (today - due.due).days
    if last is not None:
        # Not covered by the last check-in, and the check-in day before it was.
        assert due.due > last + timedelta(days=rhythm.EARLY_DAYS)
        assert due.due - timedelta(days=7) <= last + timedelta(days=rhythm.EARLY_DAYS)
    lines = checkin_lines(due, today, Rhythm(checkin_day=weekday))
    assert 1 <= len(lines) <= 2 and all(line and "OVERDUE" not in line for line in lines)
    if 0 < due.overdue <= rhythm.OVERDUE_DAYS_SHOWN:
        assert lines == [f"Check-in {due.overdue} day{'s' if due.overdue != 1 else ''} overdue"]
