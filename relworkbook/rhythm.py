"""The weekly rhythm: the settings that shape it, and what is due.

The couple choose a check-in day, time and length, and how long a time-out
lasts; these live in the workbook's ``settings`` table (through the store, the
only module that speaks SQL) and are read here into one ``Rhythm``. Anything
missing or malformed in the file falls back to its default, so an odd value
never stops the app.

What is due is plain date arithmetic, given "today" by the caller (tests pass
a fixed day): when the next check-in falls, how many days it is overdue, and
which open commitments fall due this week, worded calmly ("Check-in today",
"Check-in 3 days overdue", "was due 2 days ago").

A check-in held up to ``EARLY_DAYS`` before its day counts for that week, so
doing it on Saturday for a Sunday check-in does not leave Sunday looking
missed; one held late counts for the week it was late for.

No Textual here; tested in milliseconds.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, ContextManager, Iterable, NamedTuple, Protocol, Sequence


class Store(Protocol):
    """What the rhythm needs of the store (its settings). A protocol, not an import of
    ``store``: the import check (``export_check``, which the store calls) reads these
    keys with the parsers below."""

    def get_setting(self, key: str, default: Any = None) -> Any: ...

    def set_setting(self, key: str, value: Any) -> None: ...

    def transaction(self) -> ContextManager[Any]: ...

# Setting keys (the values are JSON in the settings table).
CHECKIN_DAY = "checkin_day"  # 0 = Monday ... 6 = Sunday
CHECKIN_TIME = "checkin_time"  # "HH:MM", 24-hour
CHECKIN_MINUTES = "checkin_minutes"
TIMEOUT_MINUTES = "timeout_minutes"  # the same key the time-out screen has always read
CALENDAR_WORDS = "calendar_commitment_words"  # True: a commitment's own words go into the calendar

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

DEFAULT_DAY = 6  # Sunday
DEFAULT_TIME = "19:00"
DEFAULT_CHECKIN_MINUTES = 30
DEFAULT_TIMEOUT_MINUTES = 20

CHECKIN_LENGTHS = (10, 15, 20, 30, 45, 60, 90)
TIMEOUT_LENGTHS = (5, 10, 15, 20, 25, 30, 45, 60, 90, 120)
MIN_MINUTES, MAX_CHECKIN_MINUTES, MAX_TIMEOUT_MINUTES = 5, 240, 120

EARLY_DAYS = 2  # a check-in this many days before its day counts for it
OVERDUE_DAYS_SHOWN = 6  # beyond this, Home says when the last one was instead of counting days

_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.h]?([0-5]\d)\s*$")


class Rhythm(NamedTuple):
    """The settings of the weekly rhythm, each with a sane value."""

    checkin_day: int = DEFAULT_DAY
    checkin_time: str = DEFAULT_TIME
    checkin_minutes: int = DEFAULT_CHECKIN_MINUTES
    timeout_minutes: int = DEFAULT_TIMEOUT_MINUTES
    calendar_words: bool = False

    @property
    def day_name(self) -> str:
        return DAYS[self.checkin_day]

    @property
    def hour_minute(self) -> tuple[int, int]:
        hours, minutes = self.checkin_time.split(":")
        return int(hours), int(minutes)


def parse_time(text: Any) -> str | None:
    """"19:00", "7:30", "1930", "19.30", "19h30" -> "HH:MM"; anything else -> None."""
    if not isinstance(text, str):
        return None
    match = _TIME.match(text)
    if match is None:
        return None
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_day(value: Any) -> int | None:
    """0..6, or a day's name ("sunday", "Sun") -> 0..6; anything else -> None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= 6 else None
    if isinstance(value, str):
        wanted = value.strip().lower()
        if len(wanted) >= 2:
            for index, name in enumerate(DAYS):
                if name.lower().startswith(wanted):
                    return index
    return None


def parse_minutes(value: Any, *, most: int) -> int | None:
    """A whole number of minutes from MIN_MINUTES to ``most``; anything else -> None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
        value = int(value)
    if isinstance(value, int) and MIN_MINUTES <= value <= most:
        return value
    return None


def read_rhythm(store: Store) -> Rhythm:
    """The rhythm as stored; each missing or odd value gives its default."""
    day = parse_day(store.get_setting(CHECKIN_DAY))
    clock = parse_time(store.get_setting(CHECKIN_TIME))
    length = parse_minutes(store.get_setting(CHECKIN_MINUTES), most=MAX_CHECKIN_MINUTES)
    timeout = parse_minutes(store.get_setting(TIMEOUT_MINUTES), most=MAX_TIMEOUT_MINUTES)
    words = store.get_setting(CALENDAR_WORDS)
    return Rhythm(
        checkin_day=DEFAULT_DAY if day is None else day,
        checkin_time=clock or DEFAULT_TIME,
        checkin_minutes=length or DEFAULT_CHECKIN_MINUTES,
        timeout_minutes=timeout or DEFAULT_TIMEOUT_MINUTES,
        calendar_words=words is True,
    )


def save_rhythm(store: Store, rhythm: Rhythm) -> None:
    """Write every value (checked first: a bad one raises ValueError and nothing is written)."""
    if parse_day(rhythm.checkin_day) is None:
        raise ValueError(f"the check-in day must be 0 (Monday) to 6 (Sunday), not {rhythm.checkin_day!r}")
    clock = parse_time(rhythm.checkin_time)
    if clock is None:
        raise ValueError(f"the check-in time must look like 19:00, not {rhythm.checkin_time!r}")
    if parse_minutes(rhythm.checkin_minutes, most=MAX_CHECKIN_MINUTES) is None:
        raise ValueError(f"the check-in length must be {MIN_MINUTES} to {MAX_CHECKIN_MINUTES} minutes")
    if parse_minutes(rhythm.timeout_minutes, most=MAX_TIMEOUT_MINUTES) is None:
        raise ValueError(f"a time-out must be {MIN_MINUTES} to {MAX_TIMEOUT_MINUTES} minutes")
    with store.transaction():
        store.set_setting(CHECKIN_DAY, rhythm.checkin_day)
        store.set_setting(CHECKIN_TIME, clock)
        store.set_setting(CHECKIN_MINUTES, rhythm.checkin_minutes)
        store.set_setting(TIMEOUT_MINUTES, rhythm.timeout_minutes)
        store.set_setting(CALENDAR_WORDS, bool(rhythm.calendar_words))


# ---------------------------------------------------------------- what is due


def on_or_after(start: date, weekday: int) -> date:
    """The first ``weekday`` (0 = Monday) on or after ``start``."""
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def on_or_before(end: date, weekday: int) -> date:
    """The last ``weekday`` on or before ``end``."""
    return end - timedelta(days=(end.weekday() - weekday) % 7)


class CheckinDue(NamedTuple):
    """When the next check-in is due, seen from ``today``."""

    due: date  # the check-in day it is for
    overdue: int  # days past ``due`` (0 on the day itself; negative: days still to go)
    last: date | None  # the day of the latest check-in, if any


def checkin_due(today: date, weekday: int, last: date | None, started: date | None = None) -> CheckinDue:
    """The check-in due next: the first check-in day the latest check-in does not cover.

    ``last`` is the day of the latest check-in; it covers every check-in day up
    to ``EARLY_DAYS`` after it. With no check-in yet, the first check-in day on
    or after ``started`` (the workbook's first sitting, else today) is due.
    """
    if last is not None:
        due = on_or_after(last + timedelta(days=EARLY_DAYS + 1), weekday)
    else:
        due = on_or_after(min(started or today, today), weekday)
    return CheckinDue(due=due, overdue=(today - due).days, last=last)


def _when(day: date, today: date) -> str:
    """"today", "tomorrow", "on Friday" (within a week), "on Friday 4 December"."""
    gap = (day - today).days
    if gap == 0:
        return "today"
    if gap == 1:
        return "tomorrow"
    if 1 < gap < 7:
        return f"on {DAYS[day.weekday()]}"
    return f"on {DAYS[day.weekday()]} {day.day} {day.strftime('%B')}"


def checkin_lines(due: CheckinDue, today: date, rhythm: Rhythm) -> list[str]:
    """Calm lines: "Check-in today at 19:00", "Check-in 3 days overdue", ...

    Past a week overdue the count of days would only scold: it says when the
    last one was and when the next one falls instead.
    """
    if 0 < due.overdue <= OVERDUE_DAYS_SHOWN:
        days = due.overdue
        return [f"Check-in {days} day{'s' if days != 1 else ''} overdue"]
    if due.overdue > OVERDUE_DAYS_SHOWN:
        upcoming = on_or_after(today, rhythm.checkin_day)
        if due.last is None:
            first = "No check-in yet"
        else:
            weeks = max(1, (today - due.last).days // 7)
            first = f"Last check-in {weeks} week{'s' if weeks != 1 else ''} ago"
        return [first, f"Next check-in {_when(upcoming, today)} at {rhythm.checkin_time}"]
    when = f"{_when(due.due, today)} at {rhythm.checkin_time}"
    if due.last is not None and due.last == today:
        return [f"Check-in done today; the next one {when}"]
    return [f"Check-in {when}"]


def due_phrase(due: str | None, today: date) -> str:
    """A commitment's date said calmly: "due today", "due Friday", "was due 2 days ago"."""
    if not due:
        return ""
    try:
        day = date.fromisoformat(due[:10])
    except ValueError:
        return f"by {due}"
    gap = (day - today).days
    if gap < 0:
        return "was due yesterday" if gap == -1 else f"was due {-gap} days ago"
    if gap == 0:
        return "due today"
    if gap == 1:
        return "due tomorrow"
    if gap < 7:
        return f"due {DAYS[day.weekday()]}"
    return f"by {day.isoformat()}"


def due_this_week(commitments: Iterable[Any], today: date) -> list[Any]:
    """Open commitments with a date from today to six days ahead, soonest first."""
    end = today + timedelta(days=6)
    found = []
    for commitment in commitments:
        try:
            day = date.fromisoformat((commitment.due or "")[:10])
        except ValueError:
            continue
        if today <= day <= end:
            found.append((day, commitment))
    return [c for _, c in sorted(found, key=lambda pair: pair[0])]


def past_due(commitments: Iterable[Any], today: date) -> list[Any]:
    """Open commitments whose date has gone by."""
    found = []
    for commitment in commitments:
        try:
            day = date.fromisoformat((commitment.due or "")[:10])
        except ValueError:
            continue
        if day < today:
            found.append(commitment)
    return found


def due_lines(
    today: date,
    rhythm: Rhythm,
    last_checkin: date | None,
    started: date | None,
    commitments: Sequence[Any],
    *,
    has_checkin: bool = True,
) -> list[str]:
    """What Home says is due, one short line each, calm and in plain words."""
    lines: list[str] = []
    if has_checkin:
        lines.extend(checkin_lines(checkin_due(today, rhythm.checkin_day, last_checkin, started), today, rhythm))
    soon = due_this_week(commitments, today)
    if soon:
        count = len(soon)
        lines.append(f"{count} commitment{'s' if count != 1 else ''} due this week")
    gone = past_due(commitments, today)
    if gone:
        count = len(gone)
        lines.append(f"{count} commitment{'s' if count != 1 else ''} past {'their dates' if count != 1 else 'its date'}")
    return lines
