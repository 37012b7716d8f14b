"""The calendar file: what goes in (the weekly check-in, dated open commitments),
what never does (answers, ratings, notes, names), neutral titles and the opt-in
for a commitment's words, the local time zone, stable UIDs, and how it is
written (owner-only, temp file + rename), from the command line and the app.

Parsed back with icalendar itself; the raw bytes are also searched, unfolded
(RFC 5545 folds long lines), for every private word written."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from relworkbook import ics
from relworkbook.cli import cli
from relworkbook.rhythm import Rhythm, read_rhythm, save_rhythm
from relworkbook.store import Store

SUNDAY = date(2026, 11, 29)
ZONE = "Europe/Berlin"
FIXTURES = Path(__file__).parent / "fixtures" / "exercises"

# Distinctive words written where the calendar must never look.
PRIVATE = "zanzibarquokka"
ANSWER = "marmaladeheron"
NOTE = "quillfeatherbrook"
HIDDEN_PLAN = "lanternpicnicsecret"
CHECKIN_COMMENT = "velvetthunderstorm"


@pytest.fixture(autouse=True)
def _zone(monkeypatch):
    monkeypatch.setenv("TZ", ZONE)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "workbook.db"
    with Store.open(path) as store:
        store.set_couple("Alexandrina", "royalblue", "Samwise", "darkorange")
    return path


def unfolded(data: bytes) -> str:
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")


def events(data: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def fill(store: Store) -> dict[str, int]:
    """A workbook with every kind of thing the calendar must leave out, and some plans."""
    sitting = store.start_sitting(("a", "b"), started="2026-11-22T19:00:00")
    store.save_answer(sitting.id, "fx-hopes", "hope", "a", f"I fear {PRIVATE}", prompt_type="text", private=True)
    store.save_answer(sitting.id, "fx-hopes", "hope", "b", f"me too {PRIVATE}", prompt_type="text", private=True)
    store.save_answer(sitting.id, "fx-checkin", "went-well", "a", ANSWER, prompt_type="text")
    store.save_answer(sitting.id, "fx-checkin", "comment", "together", CHECKIN_COMMENT, prompt_type="text")
    store.save_answer(sitting.id, "fx-checkin", "communication", "a", 3,
                      prompt_type="scale", metric="communication", number=3)
    store.save_notes("a", f"my own {NOTE}")
    walk = store.add_commitment(sitting.id, "fx-checkin", "plan-1", "Walk by the river", "both", "2026-12-02")
    cook = store.add_commitment(sitting.id, "fx-checkin", "plan-2", "Cook together, slowly", "a", "2026-12-05")
    store.add_commitment(sitting.id, "fx-checkin", "plan-3", "Someday a trip", "b", None)
    kept = store.add_commitment(sitting.id, "fx-checkin", "plan-4", "Already kept", "b", "2026-11-24")
    store.review_commitment(kept.id, "kept", sitting.id, at="2026-11-24T20:00:00")
    # A commitment written in a private answer that is not revealed yet: not a commitment
    # until the reveal (tests/test_privacy_audit.py), so not in the calendar at all.
    secret = store.save_answer(
        sitting.id, "fx-hopes", "secret-plan", "a",
        {"what": f"Plan the {HIDDEN_PLAN}", "owner": "a", "due": "2026-12-03"},
        prompt_type="commitment", private=True,
    )
    assert not any(HIDDEN_PLAN in c.what for c in store.list_commitments())
    store.end_sitting(sitting.id, ended="2026-11-22T19:40:00")
    return {"walk": walk.id, "cook": cook.id, "kept": kept.id, "answer": secret.id}


def build(store: Store, today: date = SUNDAY) -> bytes:
    return ics.build_calendar(store, today=today, now=datetime(2026, 11, 29, 12, 0))


# ---------------------------------------------------------------- what goes in


def test_the_file_parses_back_with_the_weekly_checkin_and_dated_open_commitments(db):
    with Store.open(db) as store:
        save_rhythm(store, Rhythm(checkin_day=2, checkin_time="20:15", checkin_minutes=45))
        ids = fill(store)
        data = build(store)
        workbook_id = store.get_setting(ics.ID_SETTING)
    found = events(data)
    checkin = found[ics.checkin_uid(workbook_id)]
    assert str(checkin["SUMMARY"]) == "Our weekly hour"
    rule = checkin["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["WE"]
    start, end = checkin["DTSTART"].dt, checkin["DTEND"].dt
    assert start == datetime(2026, 12, 2, 20, 15, tzinfo=start.tzinfo)  # the first Wednesday from today
    assert str(start.tzinfo) == ZONE and str(end.tzinfo) == ZONE  # local time, not UTC
    assert end - start == timedelta(minutes=45)
    assert f"TZID={ZONE}" in unfolded(data)
    assert [c["TZID"] for c in Calendar.from_ical(data).walk("VTIMEZONE")] == [ZONE]
    plans = {uid: e for uid, e in found.items() if uid.startswith("commitment-") and "STATUS" not in e}
    assert set(plans) == {ics.commitment_uid(workbook_id, ids[k]) for k in ("walk", "cook")}
    # The one kept five days ago is there only to be cancelled (see below).
    cancelled = {uid for uid, e in found.items() if str(e.get("STATUS")) == "CANCELLED"}
    assert cancelled == {ics.commitment_uid(workbook_id, ids["kept"])}
    walk = plans[ics.commitment_uid(workbook_id, ids["walk"])]
    assert walk["DTSTART"].dt == date(2026, 12, 2) and walk["DTEND"].dt == date(2026, 12, 3)
    assert {str(e["SUMMARY"]) for e in plans.values()} == {"A plan we made"}  # neutral by default
    assert all(str(e["CLASS"]) == "PRIVATE" for e in found.values())


def test_the_checkin_today_starts_today(db):
    with Store.open(db) as store:
        data = build(store, today=SUNDAY)  # the default day is Sunday
    (checkin,) = events(data).values()
    assert checkin["DTSTART"].dt.replace(tzinfo=None) == datetime.combine(SUNDAY, time(19, 0))
    assert checkin["RRULE"]["BYDAY"] == ["SU"]


def test_no_private_text_ever_reaches_the_file(db):
    with Store.open(db) as store:
        fill(store)
        neutral = build(store)
        save_rhythm(store, read_rhythm(store)._replace(calendar_words=True))
        with_words = build(store)
    for data in (neutral, with_words):
        text = unfolded(data).lower()
        for word in (PRIVATE, ANSWER, NOTE, HIDDEN_PLAN, CHECKIN_COMMENT, "alexandrina", "samwise",
                     "already kept", "someday a trip"):
            assert word.lower() not in text
            assert word.lower().encode() not in data.lower()
        assert "DESCRIPTION" not in unfolded(data) and "ATTENDEE" not in unfolded(data)
    assert "walk by the river" not in unfolded(neutral).lower()


def test_the_opt_in_puts_a_commitments_own_words_in_its_title(db):
    with Store.open(db) as store:
        ids = fill(store)
        save_rhythm(store, read_rhythm(store)._replace(calendar_words=True))
        data = build(store)
        workbook_id = store.get_setting(ics.ID_SETTING)
    found = events(data)
    title = lambda key: str(found[ics.commitment_uid(workbook_id, ids[key])]["SUMMARY"])  # noqa: E731
    assert title("walk") == "A plan we made: Walk by the river"
    assert title("cook") == "A plan we made: Cook together, slowly"  # the comma escaped and read back
    # The private plan is not revealed: no event for it, not even a neutral one with its date.
    assert len([uid for uid, e in found.items() if uid.startswith("commitment-") and "STATUS" not in e]) == 2
    # The kept one is cancelled under its neutral title: its words are not needed to remove it.
    assert {str(e["SUMMARY"]) for e in found.values() if "STATUS" in e} == {"A plan we made"}
    assert "Cook together\\, slowly" in unfolded(data)


NASTY = "Paint \x1b[31mred\x1b[0m\x07 \x9b2J\x7f done\x00\x08"


def rfc5545_controls(data: bytes) -> list[str]:
    """Control characters in the file other than its CRLF line ends and folds (RFC 5545
    text allows none but HTAB), plus C1, which a terminal would act on."""
    text = data.decode("utf-8").replace("\r\n", "")
    return [char for char in text if char != "\t" and (ord(char) < 0x20 or 0x7f <= ord(char) <= 0x9f)]


def test_a_commitment_with_escape_sequences_makes_a_valid_file_and_nothing_raw_on_stdout(db):
    with Store.open(db) as store:
        sitting = store.start_sitting(("a", "b"), started="2026-11-22T19:00:00")
        plan = store.add_commitment(sitting.id, "fx-checkin", "plan-1", NASTY, "both", "2026-12-02")
        save_rhythm(store, read_rhythm(store)._replace(calendar_words=True))
        data = build(store)
        workbook_id = store.get_setting(ics.ID_SETTING)
    assert rfc5545_controls(data) == []
    title = str(events(data)[ics.commitment_uid(workbook_id, plan.id)]["SUMMARY"])
    assert title == "A plan we made: Paint \\x1b[31mred\\x1b[0m\\x07 \\x9b2J\\x7f done\\x00\\x08"
    result = CliRunner().invoke(cli, ["calendar", "--db", str(db), "--output", "-"])
    assert result.exit_code == 0, result.output
    assert rfc5545_controls(result.stdout_bytes) == []
    assert b"\x1b" not in result.stdout_bytes and "\x9b".encode() not in result.stdout_bytes
    assert Calendar.from_ical(result.stdout_bytes).walk("VEVENT")


def test_uids_stay_the_same_when_the_calendar_is_written_again_after_changes(db):
    with Store.open(db) as store:
        ids = fill(store)
        first = events(build(store))
        save_rhythm(store, Rhythm(checkin_day=4, checkin_time="08:30", checkin_minutes=20, calendar_words=True))
        sitting = store.last_sitting()
        store.add_commitment(sitting.id, "fx-checkin", "plan-5", "Phone your sister", "a", "2026-12-10")
        store.review_commitment(ids["cook"], "kept", sitting.id)
        second = events(build(store, today=SUNDAY + timedelta(days=3)))
    live = lambda found: {uid for uid, e in found.items() if "STATUS" not in e}  # noqa: E731
    same = live(first) & live(second)
    assert len(same) == 2  # the check-in and the walk, under the same UIDs
    checkin_uid = next(uid for uid in first if uid.startswith("checkin-"))
    assert second[checkin_uid]["RRULE"]["BYDAY"] == ["FR"]
    assert second[checkin_uid]["DTSTART"].dt.hour == 8
    assert int(second[checkin_uid]["SEQUENCE"]) > int(first[checkin_uid]["SEQUENCE"])
    assert not any(str(ids["cook"]) == uid.split("-")[1] for uid in live(second))  # kept: no longer a live event
    assert str(second[ics.commitment_uid(store_id(db), ids["cook"])]["STATUS"]) == "CANCELLED"  # same UID
    assert len(set(second) - set(first)) == 1  # the new plan


def store_id(db: Path) -> str:
    with Store.open(db) as store:
        return store.get_setting(ics.ID_SETTING)


def test_a_kept_commitment_is_cancelled_under_the_same_uid_so_a_reimport_removes_it(db, tmp_path):
    """A calendar app that imported a plan keeps it unless told: the next file has the
    same UID with STATUS:CANCELLED and a higher SEQUENCE, for 8 weeks after it was kept."""
    with Store.open(db) as store:
        sitting = store.start_sitting(("a", "b"), started="2026-11-22T19:00:00")
        plan = store.add_commitment(sitting.id, "fx-checkin", "plan-1", "Walk by the river", "both", "2026-12-02")
        undated = store.add_commitment(sitting.id, "fx-checkin", "plan-2", "Someday", "a", None)
        before = events(build(store))
        uid = ics.commitment_uid(store.get_setting(ics.ID_SETTING), plan.id)
        assert "STATUS" not in before[uid]
        # Kept now (the command's "today" is the real one).
        store.review_commitment(plan.id, "kept", sitting.id)
        store.review_commitment(undated.id, "kept", sitting.id)
    # Through the command, parsed back with icalendar.
    out = tmp_path / "again.ics"
    result = CliRunner().invoke(cli, ["calendar", "--db", str(db), "--output", str(out)])
    assert result.exit_code == 0, result.output
    after = events(out.read_bytes())
    gone = after[uid]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert gone["DTSTART"].dt == before[uid]["DTSTART"].dt == date(2026, 12, 2)
    assert int(gone["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert str(gone["SUMMARY"]) == "A plan we made" and str(gone["CLASS"]) == "PRIVATE"
    assert len(after) == 2  # the check-in and the cancelled plan; the undated one never had an event
    # Reopened, it is a live event again under the same UID.
    with Store.open(db) as store:
        store.review_commitment(plan.id, "open")
        assert "STATUS" not in events(build(store, today=date(2026, 12, 2)))[uid]
        store.review_commitment(plan.id, "kept", sitting.id, at="2026-12-01T21:00:00")
        # Eight weeks after it was kept, the cancellation has done its work and is left out.
        assert uid in events(build(store, today=date(2026, 12, 1) + timedelta(weeks=8)))
        assert uid not in events(build(store, today=date(2026, 12, 2) + timedelta(weeks=8)))


def test_building_the_calendar_reads_only_the_rhythm_and_commitments(db):
    """The store methods the calendar touches: no answers, notes or partners are read at all."""
    called: list[str] = []

    class Watch:
        def __init__(self, inner: Store) -> None:
            self.inner = inner

        def __getattr__(self, name: str):
            called.append(name)
            return getattr(self.inner, name)

    with Store.open(db) as store:
        fill(store)
        save_rhythm(store, read_rhythm(store)._replace(calendar_words=True))
        ics.build_calendar(Watch(store), today=SUNDAY)
    assert set(called) <= {"get_setting", "set_setting", "transaction", "open_commitments",
                           "unrevealed_commitment_ids", "closed_commitments_since"}


# ---------------------------------------------------------------- writing it


def test_the_command_writes_an_owner_only_file_beside_the_recaps(db):
    with Store.open(db) as store:
        fill(store)
    runner = CliRunner()
    old_mask = os.umask(0)  # owner-only whatever the umask
    try:
        result = runner.invoke(cli, ["calendar", "--db", str(db)])
    finally:
        os.umask(old_mask)
    assert result.exit_code == 0, result.output
    target = db.parent / "workbook-recaps" / "calendar.ics"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in target.parent.iterdir()) == ["calendar.ics"]  # no temporary file left
    first = events(target.read_bytes())
    result = runner.invoke(cli, ["calendar", "--db", str(db)])
    assert result.exit_code == 0
    assert set(events(target.read_bytes())) == set(first)


def test_the_command_to_stdout_and_to_a_file_and_never_over_the_workbook(db, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["calendar", "--db", str(db), "--output", "-"])
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    out = tmp_path / "ours.ics"
    result = runner.invoke(cli, ["calendar", "--db", str(db), "--output", str(out)])
    assert result.exit_code == 0 and stat.S_IMODE(out.stat().st_mode) == 0o600
    Calendar.from_ical(out.read_bytes())
    before = db.read_bytes()
    for bad in (str(db), f"{db}-wal"):
        result = runner.invoke(cli, ["calendar", "--db", str(db), "--output", bad])
        assert result.exit_code != 0 and "choose another file" in result.output
        assert "Traceback" not in result.output
    assert db.read_bytes() == before
    missing = runner.invoke(cli, ["calendar", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code != 0 and "no workbook" in missing.output
    unwritable = runner.invoke(cli, ["calendar", "--db", str(db), "--output", str(tmp_path / "no" / "such" / "x.ics")])
    assert unwritable.exit_code != 0 and "cannot write" in unwritable.output


def test_icalendar_is_not_imported_at_the_plain_start():
    code = (
        "import sys, relworkbook.app, relworkbook.screens.home, relworkbook.screens.settings, relworkbook.rhythm;"
        "print(sorted(m for m in ('icalendar', 'relworkbook.ics') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------- in the app


async def test_add_to_calendar_from_settings_and_the_palette(db):
    from relworkbook.app import make_app
    from relworkbook.screens.settings import SettingsScreen
    from textual.widgets import Checkbox

    with Store.open(db) as store:
        fill(store)
    target = db.parent / "workbook-recaps" / "calendar.ics"
    app = make_app(db, [FIXTURES], shipped=False)
    app.today = lambda: SUNDAY
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        box = app.screen.query_one("#set-words", Checkbox)
        assert box.value is False
        box.focus()
        await pilot.press("enter")  # opt in to the commitments' words
        await pilot.pause()
        assert app.store.get_setting("calendar_commitment_words") is True
        button = app.screen.query_one("#settings-calendar")
        button.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert target.is_file() and stat.S_IMODE(target.stat().st_mode) == 0o600
        assert "Walk by the river" in unfolded(target.read_bytes())
        assert any("Saved calendar.ics" in str(n.message) for n in app._notifications)
        first = set(events(target.read_bytes()))
        await pilot.press("escape")
        await pilot.pause()
        os.remove(target)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Add to calendar")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert set(events(target.read_bytes())) == first
