"""Damage found inside the app (after the day's backup was made) ends it with one line, never a traceback.

At start the file is checked and the day's backup runs ``quick_check``; once
today's backup exists that check is skipped, so damage that happens later is
met only when a screen reads the damaged part. Then the app must end with the
same line and way out as at start (the newest backup, and how to open it),
whichever screen met it.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

import pytest

from relworkbook import demo
from relworkbook.app import make_app
from relworkbook.catalog import load_catalog
from relworkbook.store import Store

PAGE = 4096


def damaged_after_backup(tmp_path: Path) -> Path:
    """A demo workbook with today's (good) backup, then its sittings table garbled in place."""
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        demo.generate(store, load_catalog(()), weeks=12, seed=1, today=demo.SAMPLE_TODAY)
        assert store.auto_backup() is not None  # today's backup, checked and good
    conn = sqlite3.connect(db)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'sittings'").fetchone()[0]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    data = bytearray(db.read_bytes())
    start = (root - 1) * page_size
    data[start + 8:start + page_size] = b"\x5a" * (page_size - 8)  # the page's cells, not the file's header
    db.write_bytes(bytes(data))
    # The start lets it through: the header is sound and today's backup exists.
    with Store.open(db) as store:
        assert store.auto_backup() is None
    return db


async def test_damage_met_on_a_screen_ends_the_app_with_the_start_line(tmp_path):
    db = damaged_after_backup(tmp_path)
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.problem is None
        # History reads the damaged sittings. Not pilot.press, which waits for a
        # screen that is going away: the key, then wait for the app to end.
        app.simulate_key("h")
        for _ in range(500):
            if app.return_code is not None:
                break
            await asyncio.sleep(0.02)
    assert app.return_code == 1
    assert app.problem is not None and "\n" not in app.problem
    assert app.problem.startswith(f"{db} is not a relworkbook workbook (or it is damaged)")
    assert "The newest backup is" in app.problem and "relworkbook --db" in app.problem


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")
def test_damage_met_in_the_real_app_prints_one_line_not_a_traceback(tmp_path):
    from test_crash_pty import Terminal

    db = damaged_after_backup(tmp_path)
    term = Terminal(db, tmp_path / "home")
    try:
        term.wait_for("f12 Hide")  # Home is drawn (it says it could not read the workbook)
        term.settle()
        term.send(b"h")
        term.wait_for("is not a relworkbook workbook")
        code = term.process.wait(timeout=20)
        term.linger(0.2)
    finally:
        term.kill()
    out = term.text()
    assert code == 1
    assert "Traceback" not in out and "DamagedWorkbook" not in out
    assert f"relworkbook: {db} is not a relworkbook workbook (or it is damaged)" in " ".join(out.split())
    assert "The newest backup is" in out
