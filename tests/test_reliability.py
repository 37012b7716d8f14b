"""Nothing is lost: damaged files, two copies on one file, a full disk, backups.

Real files in tmp_path, the real command line as a process, the real app in a
pty or through Pilot. See docs/reliability.md for the promise each test keeps.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import TextArea

from relworkbook import paths
from relworkbook.app import make_app
from relworkbook.store import Store, WorkbookError, find_backups
from test_crash_pty import CTRL_P, ENTER, PAGE_DOWN, Terminal, text_exercise

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


def run(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, RELWORKBOOK_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "relworkbook", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, timeout=60,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("relworkbook: ")
    return lines[0]


def workbook_with_answers(path: Path, words: str = "our first answer") -> Store:
    store = Store.open(path)
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    sitting = store.start_sitting(["a", "b"])
    store.save_answer(sitting.id, "fx-hopes", "hope", "a", words, prompt_type="text")
    return store


# ----------------------------------------------------------- damaged files


def _truncate(path: Path) -> None:
    with Store.open(path) as store:
        sitting = store.start_sitting(["a"])
        for n in range(200):
            store.save_answer(sitting.id, "ex", f"p{n}", "a", "words " * 50, prompt_type="text")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _random(path: Path) -> None:
    path.write_bytes(os.urandom(64 * 1024))


def _other_program(path: Path) -> None:
    raw = sqlite3.connect(str(path))
    raw.execute("CREATE TABLE recipes (name TEXT, steps TEXT)")
    raw.execute("INSERT INTO recipes VALUES ('soup', 'boil')")
    raw.commit()
    raw.close()


def _header_only(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\x10\x00" + b"\x00" * 82)


DAMAGE = {"truncated": _truncate, "random-bytes": _random, "other-program": _other_program, "header-only": _header_only}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_file_names_the_newest_backup_and_is_never_written(tmp_path, kind):
    db = tmp_path / "workbook.db"
    store = workbook_with_answers(db, "kept safe in the backup")
    newest = store.backup()
    store.close()
    older = newest.parent / "workbook-20200101-090000.db"
    paths.write_private(older, newest.read_bytes())
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    DAMAGE[kind](db)
    before = digest(db)
    for args in (["--db", str(db)], ["history", "--db", str(db)], ["export", "--db", str(db)]):
        line = one_line(run(*args, home=tmp_path / "home"))
        assert str(db) in line and "left as it is" in line
        when = datetime.strptime(re.search(r"-(\d{8}-\d{6})\.db", newest.name).group(1), "%Y%m%d-%H%M%S")
        assert f"The newest backup is {newest} from {when:%Y-%m-%d %H:%M}" in line
        assert line.endswith(f"open it with: relworkbook --db '{newest}'")
        assert str(older) not in line
    assert digest(db) == before, "the damaged file was written over"
    assert not Path(f"{db}-wal").exists()
    # The way out works: the backup named opens and holds the answer.
    listed = run("history", "--search", "kept safe", "--db", str(newest), home=tmp_path / "home")
    assert listed.returncode == 0 and "in the backup" in listed.stdout


def test_damaged_file_without_backups_says_so(tmp_path):
    db = tmp_path / "notes.db"
    db.write_bytes(b"shopping list: eggs, milk\n")
    line = one_line(run("--db", str(db), home=tmp_path / "home"))
    assert "no automatic backup" in line and str(paths.backups_dir(db)) in line and "--db" in line
    assert db.read_bytes() == b"shopping list: eggs, milk\n"


def test_backup_path_with_a_quote_is_pasteable(tmp_path):
    folder = tmp_path / "Sam's files"
    folder.mkdir()
    db = folder / "workbook.db"
    store = workbook_with_answers(db)
    made = store.backup()
    store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    _random(db)
    line = one_line(run("--db", str(db), home=tmp_path / "home"))
    command = line.split("open it with: ", 1)[1]
    import shlex

    assert shlex.split(command) == ["relworkbook", "--db", str(made)]


def test_read_only_file_is_refused_untouched(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can write to any file")
    db = tmp_path / "workbook.db"
    workbook_with_answers(db).close()
    os.chmod(db, 0o400)
    before = digest(db)
    line = one_line(run("--db", str(db), home=tmp_path / "home"))
    assert "read-only" in line and str(db) in line
    assert digest(db) == before


def test_write_refused_while_running_is_a_clear_error(tmp_path):
    """A file that turns read-only under a running store (root cannot chmod its way there)."""
    store = workbook_with_answers(tmp_path / "workbook.db")
    sitting = store.open_sitting()
    store.conn.execute("PRAGMA query_only = ON")
    with pytest.raises(WorkbookError, match="read-only"):
        store.save_answer(sitting.id, "fx-hopes", "hope", "b", "lost?", prompt_type="text")
    store.conn.execute("PRAGMA query_only = OFF")
    assert store.find_answer(sitting.id, "fx-hopes", "hope", "a").value == "our first answer"
    store.close()


def _fill_the_disk(store: Store) -> None:
    """Let the file grow no further: SQLite then reports "database or disk is full"."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")


def test_full_disk_is_a_clear_error_and_keeps_what_was_saved(tmp_path):
    db = tmp_path / "workbook.db"
    store = workbook_with_answers(db)
    sitting = store.open_sitting()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _fill_the_disk(store)
    with pytest.raises(WorkbookError, match="full") as caught:
        for n in range(50):
            store.save_answer(sitting.id, "fx-hopes", f"p{n}", "a", "x" * 20000, prompt_type="text")
    assert "\n" not in str(caught.value) and "free some space" in str(caught.value)
    # The store still works for reading, and a small change that fits still saves.
    assert store.find_answer(sitting.id, "fx-hopes", "hope", "a").value == "our first answer"
    store.close()
    with Store.open(db) as again:
        assert again.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert again.find_answer(sitting.id, "fx-hopes", "hope", "a").value == "our first answer"


async def test_full_disk_while_typing_is_a_notification_and_the_text_stays(tmp_path):
    db = tmp_path / "workbook.db"
    workbook_with_answers(db).close()
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_open_exercise("fx-hopes")
        await pilot.pause()
        await pilot.click("#both")
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        area = app.screen.query(TextArea).first()
        area.focus()
        app.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _fill_the_disk(app.store)
        area.insert("a long answer that does not fit " * 2000)
        await pilot.pause(0.6)  # past the autosave delay
        await pilot.pause()
        assert app.is_running and app.return_code in (None, 0)
        assert "a long answer that does not fit" in area.text
        assert any("full" in n.message for n in app._notifications)


# ----------------------------------------------------- two copies, one file


def test_two_stores_on_one_file_interleave_without_loss(tmp_path):
    db = tmp_path / "workbook.db"
    first = workbook_with_answers(db)
    second = Store.open(db)
    sitting = first.open_sitting()
    assert second.open_sitting().id == sitting.id
    for n in range(40):
        writer, partner = (first, "a") if n % 2 == 0 else (second, "b")
        writer.save_answer(sitting.id, "ex", f"p{n}", partner, f"answer {n} by {partner}", prompt_type="text")
        # Each copy sees the other's writes at once.
        other = second if writer is first else first
        assert other.find_answer(sitting.id, "ex", f"p{n}", partner).value == f"answer {n} by {partner}"
    first.close()
    second.close()
    with Store.open(db) as check:
        answers = {(a.prompt_id, a.partner): a.value for a in check.answers_for_sitting(sitting.id)}
    for n in range(40):
        partner = "a" if n % 2 == 0 else "b"
        assert answers[(f"p{n}", partner)] == f"answer {n} by {partner}"


def test_second_store_is_told_in_use_while_the_first_writes(tmp_path):
    db = tmp_path / "workbook.db"
    first = workbook_with_answers(db)
    second = Store.open(db, timeout=0.2)
    sitting = first.open_sitting()
    with first.transaction():
        first.save_answer(sitting.id, "ex", "long", "a", "mine", prompt_type="text")
        with pytest.raises(WorkbookError) as caught:
            second.save_answer(sitting.id, "ex", "long", "b", "theirs", prompt_type="text")
        assert "in use" in str(caught.value) and "\n" not in str(caught.value)
        assert second.find_answer(sitting.id, "fx-hopes", "hope", "a").value == "our first answer"
    # Once the first is done the second carries on.
    second.save_answer(sitting.id, "ex", "long", "b", "theirs", prompt_type="text")
    assert first.find_answer(sitting.id, "ex", "long", "b").value == "theirs"
    assert second.find_answer(sitting.id, "ex", "long", "a").value == "mine"
    first.close()
    second.close()


async def test_two_apps_on_one_file_keep_each_others_answers(tmp_path):
    """Two App instances (as the tests build them, past the CLI's lock) writing different answers."""
    db = tmp_path / "workbook.db"
    workbook_with_answers(db).close()
    one = make_app(db, [FIXTURES], shipped=False)
    two = make_app(db, [FIXTURES], shipped=False)
    async with one.run_test(size=(80, 24)) as pilot_one:
        await pilot_one.pause()
        one.action_open_exercise("fx-hopes")
        await pilot_one.pause()
        await pilot_one.click("#only-a")
        await pilot_one.pause()
        await pilot_one.press("pagedown")
        await pilot_one.pause()
        one.screen.query(TextArea).first().focus()
        await pilot_one.press(*"from window one")
        async with two.run_test(size=(80, 24)) as pilot_two:
            await pilot_two.pause()
            two.action_open_exercise("fx-i-statements")
            await pilot_two.pause()
            await pilot_two.click("#only-a")
            await pilot_two.pause()
            await pilot_two.press("pagedown")
            await pilot_two.pause()
            assert two.sitting_id == one.sitting_id  # the sitting left open is shared, not doubled
            two.store.save_answer(two.sitting_id, "fx-i-statements", "promise", "together",
                                  {"what": "walk on Sunday", "owner": "both", "due": None},
                                  prompt_type="commitment")
        await pilot_one.press(*" and more")
        await pilot_one.pause(0.6)
    with Store.open(db) as check:
        sitting = check.open_sitting()
        assert check.find_answer(sitting.id, "fx-hopes", "hope", "a").value.endswith("from window one and more")
        assert check.find_answer(sitting.id, "fx-i-statements", "promise", "together").value["what"] == "walk on Sunday"
        assert len(check.list_sittings()) == 1


def test_second_window_is_told_the_workbook_is_in_use(tmp_path):
    """Two real app processes: the second gets one clear line; the first keeps every word."""
    db = tmp_path / "workbook.db"
    workbook_with_answers(db).close()
    home = tmp_path / "home"
    exercise = text_exercise()
    first = Terminal(db, home)
    try:
        first.wait_for("Last check-in")
        second = run("--db", str(db), home=home)
        line = one_line(second)
        assert "in use" in line and str(db) in line
        # Other commands still read the workbook while the app is open.
        assert run("history", "--db", str(db), home=home).returncode == 0
        first.send(CTRL_P)
        first.wait_for("Search for commands")
        first.send(exercise.title.encode())
        first.wait_for(f"Start exercise: {exercise.title}")
        first.send(ENTER)
        first.wait_for("Who is here")
        first.send(ENTER)
        first.wait_for("Press PgDn")
        first.send(PAGE_DOWN)
        first.wait_for(exercise.prompts[0].text[:24])
        first.type_into_text_box("windowonewords")
        first.linger(1.2)
    finally:
        first.kill()
    with Store.open(db) as check:
        answer = [a for a in check.answers_for_exercise(exercise.id) if a.partner == "a"]
        assert answer and "windowonewords" in answer[0].value
    # The lock went with the killed process: the workbook opens again at once.
    after = Terminal(db, home)
    try:
        after.wait_for("Last check-in")
    finally:
        after.kill()


# ------------------------------------------------------------------ backups


def test_opening_the_app_makes_one_owner_only_backup_a_day(tmp_path):
    db = tmp_path / "workbook.db"
    workbook_with_answers(db).close()
    home = tmp_path / "home"
    old = os.umask(0o022)
    try:
        for _ in range(2):
            term = Terminal(db, home)
            try:
                term.wait_for("Last check-in")
            finally:
                term.kill()
    finally:
        os.umask(old)
    with Store.open(db) as store:
        backups = store.list_backups()
    assert len(backups) == 1, "the app should make one automatic backup a day, not one per opening"
    made, when = backups[0]
    assert when.date() == datetime.now().date()
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(made.parent.stat().st_mode) == 0o700
    with Store.open(made) as copy:
        assert copy.find_answer(copy.open_sitting().id, "fx-hopes", "hope", "a").value == "our first answer"


def test_auto_backup_keeps_the_last_seven(tmp_path):
    db = tmp_path / "workbook.db"
    store = workbook_with_answers(db)
    folder = paths.backups_dir(db)
    paths.make_private_dir(folder)
    for day in range(1, 11):
        stale = folder / f"workbook-202601{day:02d}-120000.db"
        paths.write_private(stale, b"")
    made = store.auto_backup()
    assert made is not None
    kept = store.list_backups()
    assert len(kept) == 7 and kept[0][0] == made
    assert [p.name for p, _ in kept[1:]] == [f"workbook-202601{d:02d}-120000.db" for d in range(10, 4, -1)]
    assert store.auto_backup() is None  # one a day
    store.close()


def test_backup_command_on_demand(tmp_path):
    db = tmp_path / "workbook.db"
    workbook_with_answers(db).close()
    result = run("backup", "--db", str(db), home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    made = Path(result.stdout.strip().rsplit(" ", 1)[1])
    assert made.is_file() and stat.S_IMODE(made.stat().st_mode) == 0o600
    with Store.open(made) as copy:
        assert copy.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_damage_inside_a_readable_file_is_found_before_the_days_backup(tmp_path):
    """Garbage in the middle of a file whose header is sound: SQLite opens it, so
    the day's quick_check finds it; the app does not start on it, no damaged
    copy joins the backups, and the way out names yesterday's good backup."""
    db = tmp_path / "workbook.db"
    store = workbook_with_answers(db)
    sitting = store.open_sitting()
    for n in range(300):
        store.save_answer(sitting.id, "ex", f"p{n}", "a", f"words {n} " * 40, prompt_type="text")
    good = store.backup()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    yesterday = good.with_name("workbook-20200101-090000.db")
    good.rename(yesterday)
    data = bytearray(db.read_bytes())
    page = 4096
    middle = len(data) // page // 2
    for n in (middle, middle + 1):
        data[n * page + 8 : n * page + 400] = b"\xa5" * 392
    db.write_bytes(bytes(data))
    with Store.open(db):  # the header is sound: SQLite itself opens it
        pass
    before = digest(db)
    line = one_line(run("--db", str(db), home=tmp_path / "home"))
    assert "damaged" in line and line.endswith(f"open it with: relworkbook --db '{yesterday}'")
    assert digest(db) == before
    assert [p for p, _ in find_backups(db)] == [yesterday]  # no damaged copy was added


def test_backups_are_found_by_name_newest_first_and_odd_names_are_skipped(tmp_path):
    db = tmp_path / "workbook.db"
    workbook_with_answers(db).close()
    folder = paths.backups_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    names = [
        "workbook-20260105-090000.db",
        "workbook-20261121-203015.db",
        "workbook-20261121-203015-2.db",  # a second one in the same second
        "workbook-20261301-000000.db",  # no thirteenth month
        "workbook-20261121-246000.db",  # no hour 24
        "workbook-2026112-203015.db",
        "notes.txt",
    ]
    for name in names:
        (folder / name).write_bytes(b"")
    found = find_backups(db)
    assert [p.name for p, _ in found] == names[2:0:-1] + names[:1]
    assert found[0][1] == datetime(2026, 11, 21, 20, 30, 15)
