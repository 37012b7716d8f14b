"""Backups are checked before they count; a damaged workbook never pushes a good backup out.

Real SQLite files damaged inside (the header sound, so SQLite opens them), the
real command line. See docs/reliability.md.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from relworkbook import files, paths
from relworkbook.store import DamagedWorkbook, Store, find_backups

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, RELWORKBOOK_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "relworkbook", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, timeout=60,
    )


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sound(path: Path) -> bool:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def workbook(db: Path) -> Store:
    store = Store.open(db)
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    sitting = store.start_sitting(["a", "b"])
    for n in range(300):
        store.save_answer(sitting.id, "ex", f"p{n}", "a", f"words {n} " * 40, prompt_type="text")
    return store


def damage_inside(db: Path) -> None:
    """Garbage over two pages in the middle; the header stays sound."""
    data = bytearray(db.read_bytes())
    page = 4096
    middle = len(data) // page // 2
    for n in (middle, middle + 1):
        data[n * page + 8 : n * page + 400] = b"\xa5" * 392
    db.write_bytes(bytes(data))


def good_backups_from_past_days(store: Store, days: int) -> list[Path]:
    """``days`` checked backups, renamed to one a day before today (newest first)."""
    made = []
    for back in range(1, days + 1):
        fresh = store.backup()
        when = datetime.now() - timedelta(days=back)
        named = fresh.with_name(f"workbook-{when:%Y%m%d}-090000.db")
        fresh.rename(named)
        made.append(named)
    return made


def test_seven_backup_runs_on_a_damaged_file_keep_every_good_backup(tmp_path):
    db = tmp_path / "workbook.db"
    store = workbook(db)
    good = good_backups_from_past_days(store, 7)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    damage_inside(db)
    with Store.open(db):  # the header is sound: SQLite itself opens it
        pass
    before = digest(db)
    for _ in range(7):
        line = one_line(run("backup", "--db", str(db), home=tmp_path / "home"))
        assert "damaged" in line and "no backup was made" in line
        assert line.endswith(f"open it with: relworkbook --db '{good[0]}'")
    # The app's daily backup (none yet today) refuses it the same way ...
    line = one_line(run("--db", str(db), home=tmp_path / "home"))
    assert line.endswith(f"open it with: relworkbook --db '{good[0]}'")
    # ... and so does the store's own automatic backup, pruning nothing.
    with Store.open(db) as damaged:
        for _ in range(3):
            try:
                damaged.auto_backup(keep=2)
            except DamagedWorkbook as error:
                assert str(good[0]) in str(error)
            else:
                raise AssertionError("a damaged workbook was backed up")
    assert [p for p, _ in find_backups(db)] == good
    assert all(sound(p) for p in good)
    assert digest(db) == before
    assert not [p for p in paths.backups_dir(db).iterdir() if p.name.endswith(files.TMP_SUFFIX)]


def test_every_backup_is_checked_and_whole_before_it_gets_its_name(tmp_path, monkeypatch):
    """The check runs on the copy; a copy that fails it, or a disk that fills as it
    is flushed, leaves no file named like a backup and no temporary file."""
    db = tmp_path / "workbook.db"
    store = workbook(db)
    first = store.backup()
    assert sound(first)
    real_connect = sqlite3.connect

    class CopyFailsItsCheck(sqlite3.Connection):
        def execute(self, sql, *args):
            if "quick_check" in sql:
                sql, args = "SELECT 'Page 7: btreeInitPage() returns error code 11'", ()
            return super().execute(sql, *args)

    def connect(target, *args, **kwargs):
        if str(target) != str(db):
            kwargs["factory"] = CopyFailsItsCheck
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    try:
        store.backup()
    except DamagedWorkbook as error:
        assert f"open it with: relworkbook --db '{first}'" in str(error)
    else:
        raise AssertionError("a copy that failed its check was kept")
    monkeypatch.undo()

    def fsync_full(path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "fsync_path", fsync_full)
    try:
        store.backup()
    except Exception as error:
        assert "No space left" in str(error)
    else:
        raise AssertionError("the backup did not report the full disk")
    monkeypatch.undo()
    assert [p for p, _ in find_backups(db)] == [first]
    assert [p.name for p in paths.backups_dir(db).iterdir()] == [first.name]
    second = store.backup()
    assert sound(second) and [p for p, _ in find_backups(db)][0] == second
    store.close()
