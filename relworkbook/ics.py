"""The couple's own calendar: the weekly check-in and dated commitments as one .ics file.

``relworkbook calendar`` and "Add to calendar" in the app (Settings, the
palette) write the same file, ``calendar.ics`` beside the recaps by default.
The couple open it with their calendar app, once; nothing is sent anywhere.

What goes in, and only this:

- the weekly check-in, one event repeating every week (RRULE) on the day, at
  the time and for the length chosen in Settings, in the computer's local
  time zone (with its VTIMEZONE, so calendars elsewhere read it right);
- each open commitment that has a date, as an all-day event on that date;
- each dated commitment kept within the last 8 weeks, as the same event (same
  UID) with STATUS:CANCELLED and the neutral title: a calendar app that imported
  it while it was open removes it when the file is imported again.

Titles are neutral ("Our weekly hour", "A plan we made") so that a shared or
work calendar says nothing; Settings can put a commitment's own words into
its title instead, except for one written in a private answer that has not
been revealed. No answer, rating, note or name is ever read for this file:
only the rhythm settings and the commitments' dates (and, when chosen, their
words, with any control character written as a visible escape such as
``\x1b``: RFC 5545 text may hold none). Every event is CLASS:PRIVATE.

Each event's UID is built from a random id kept in the workbook (made the
first time) and the commitment's own id, so importing the file again after a
change updates the events instead of adding copies; SEQUENCE goes up with
each export so calendars take the newer version.

``icalendar`` is imported here only, and this module only when a calendar is
written: never at the plain start.
"""

from __future__ import annotations

import os
import uuid
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import paths
from .escapes import one_line
from .rhythm import ICAL_DAYS, on_or_after, read_rhythm

if TYPE_CHECKING:  # pragma: no cover
    from .store import Store

FILE_NAME = "calendar.ics"
CHECKIN_TITLE = "Our weekly hour"
PLAN_TITLE = "A plan we made"
PRODID = "-//relworkbook//weekly rhythm//EN"
ID_SETTING = "calendar_id"  # a random id for this workbook's events
SEQUENCE_SETTING = "calendar_sequence"  # how many times the calendar was written
CANCELLED_WEEKS = 8  # a dated commitment kept within this many weeks goes in as STATUS:CANCELLED


def local_zone() -> tzinfo:
    """The computer's time zone as an IANA zone (``TZ``, then /etc/localtime, then /etc/timezone).

    A zone that cannot be named falls back to UTC: the times stay right, but a
    change to summer time would then move the check-in by an hour.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    names: list[str] = []
    env = os.environ.get("TZ", "").strip().lstrip(":")
    if env:
        names.append(env)
    try:
        real = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in real:
            names.append(real.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    try:
        with open("/etc/timezone", encoding="utf-8") as handle:
            names.append(handle.read().strip())
    except OSError:
        pass
    for name in names:
        if not name or name.startswith("/"):
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    return timezone.utc


def calendar_path(db_path: Path | str) -> Path:
    """Where "Add to calendar" saves: beside the recaps."""
    return paths.recaps_dir(Path(db_path)) / FILE_NAME


def _workbook_id(store: Store) -> str:
    found = store.get_setting(ID_SETTING)
    if isinstance(found, str) and found:
        return found
    made = uuid.uuid4().hex
    store.set_setting(ID_SETTING, made)
    return made


def _next_sequence(store: Store) -> int:
    last = store.get_setting(SEQUENCE_SETTING)
    sequence = last + 1 if isinstance(last, int) and not isinstance(last, bool) and last >= 0 else 0
    store.set_setting(SEQUENCE_SETTING, sequence)
    return sequence


def checkin_uid(workbook_id: str) -> str:
    return f"checkin-{workbook_id}@relworkbook"


def commitment_uid(workbook_id: str, commitment_id: int) -> str:
    return f"commitment-{commitment_id}-{workbook_id}@relworkbook"


def day_event(uid: str, day: date, title: str, stamp: datetime, sequence: int) -> Any:
    """A whole-day, private event that does not mark the day busy (a commitment's due date)."""
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("summary", title)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("class", "PRIVATE")
    return event


def build_calendar(
    store: Store,
    *,
    today: date | None = None,
    now: datetime | None = None,
    zone: tzinfo | None = None,
) -> bytes:
    """The .ics file's bytes. Keeps this workbook's calendar id and export count in its settings."""
    from icalendar import Calendar, Event

    today = today or date.today()
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    zone = zone or local_zone()
    rhythm = read_rhythm(store)
    with store.transaction():
        workbook_id = _workbook_id(store)
        sequence = _next_sequence(store)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")

    hours, minutes = rhythm.hour_minute
    first = on_or_after(today, rhythm.checkin_day)
    start = datetime.combine(first, time(hours, minutes), tzinfo=zone)
    checkin = Event()
    checkin.add("uid", checkin_uid(workbook_id))
    checkin.add("dtstamp", now)
    checkin.add("sequence", sequence)
    checkin.add("summary", CHECKIN_TITLE)
    checkin.add("dtstart", start)
    checkin.add("dtend", start + timedelta(minutes=rhythm.checkin_minutes))
    checkin.add("rrule", {"FREQ": "WEEKLY", "BYDAY": ICAL_DAYS[rhythm.checkin_day]})
    checkin.add("class", "PRIVATE")
    calendar.add_component(checkin)

    hidden = store.unrevealed_commitment_ids() if rhythm.calendar_words else set()
    earliest = first
    for commitment in store.open_commitments():
        try:
            due = date.fromisoformat((commitment.due or "")[:10])
        except ValueError:
            continue  # no date (or not one): nothing to put in a calendar
        earliest = min(earliest, due)
        # RFC 5545 text holds no control characters (icalendar escapes only
        # ``\ ; , \n``): ESC, other C0/C1 and DEL are written as visible
        # escapes (``\x1b``), so the file stays valid and nothing raw reaches
        # a terminal when it is written to stdout.
        words = one_line(" ".join(str(commitment.what).split()))
        title = PLAN_TITLE
        if rhythm.calendar_words and words and commitment.id not in hidden:
            title = f"{PLAN_TITLE}: {words}"
        calendar.add_component(day_event(commitment_uid(workbook_id, commitment.id), due, title, now, sequence))

    # A commitment kept (closed) recently: the same UID with STATUS:CANCELLED, so
    # a calendar app that imported it before removes it on the next import
    # (leaving it out would leave the old event there for ever). Neutral title.
    since = (today - timedelta(weeks=CANCELLED_WEEKS)).isoformat()
    for commitment in store.closed_commitments_since(since):
        try:
            due = date.fromisoformat((commitment.due or "")[:10])
        except ValueError:
            continue
        earliest = min(earliest, due)
        event = day_event(commitment_uid(workbook_id, commitment.id), due, PLAN_TITLE, now, sequence)
        event.add("status", "CANCELLED")
        calendar.add_component(event)

    if zone is not timezone.utc:
        # The zone's rules from a year before the first event, for twenty years.
        calendar.add_missing_timezones(
            first_date=date(earliest.year - 1, 1, 1), last_date=date(first.year + 20, 1, 1)
        )
    return calendar.to_ical()


def write_calendar(store: Store, target: Path | str, **when: Any) -> Path:
    """Write the calendar to ``target`` (owner-only, through a temporary file and a rename)."""
    from .files import write_atomic

    return write_atomic(Path(target), build_calendar(store, **when))


def save_beside_recaps(store: Store, db_path: Path | str, **when: Any) -> Path:
    """"Add to calendar": the file beside the recaps (the folder made owner-only if missing)."""
    from .files import make_private_dir

    target = calendar_path(db_path)
    make_private_dir(target.parent)
    return write_calendar(store, target, **when)
