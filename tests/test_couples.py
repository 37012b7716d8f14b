"""`relworkbook couples DIR`: real workbook files in a folder, read only, problems listed."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from relworkbook import couples, start
from relworkbook.catalog import load_dir
from relworkbook.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 4, 1)


@pytest.fixture
def catalog():
    cat = load_dir(FIXTURES)
    assert not cat.errors, cat.errors
    return cat


def _workbook(path: Path, names: tuple[str, str], checkins: list[tuple[str, tuple[int, int], tuple[int, int]]], *, overdue: bool = False) -> Path:
    store = Store.open(path)
    store.set_couple(names[0], "blue", names[1], "green")
    for day, a, b in checkins:
        sitting = store.start_sitting(["a", "b"], started=f"{day}T19:00:00")
        for n, prompt_id in enumerate(("communication", "closeness")):
            for partner, values in (("a", a), ("b", b)):
                store.save_answer(sitting.id, "fx-checkin", prompt_id, partner, values[n], prompt_type="scale",
                                  private=True, metric=prompt_id)
            store.reveal(sitting.id, "fx-checkin", prompt_id)
        if overdue:
            store.save_answer(sitting.id, "fx-checkin", "next-step", "together",
                              {"what": "Walk", "owner": "both", "due": "2026-03-01"}, prompt_type="commitment")
        store.end_sitting(sitting.id, ended=f"{day}T19:20:00")
    store.close()
    return path


@pytest.fixture
def desk(tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    # Steady, seen recently.
    _workbook(folder / "recent.db", ("Ana", "Ben"), [("2026-03-16", (5, 5), (5, 5)), ("2026-03-30", (5, 6), (5, 5))])
    # A reliable drop (12 -> 6, threshold 4), seen last week: must come first anyway.
    _workbook(folder / "drop.db", ("Cy", "Dee"), [("2026-03-09", (6, 6), (5, 5)), ("2026-03-23", (3, 3), (5, 5))])
    # Nothing for two months, with an overdue commitment.
    _workbook(folder / "quiet.db", ("Eli", "Fay"), [("2026-01-20", (7, 7), (7, 7))], overdue=True)
    (folder / "damaged.db").write_bytes(b"SQLite format 3\x00" + b"\x07" * 3000)
    conn = sqlite3.connect(folder / "photos.sqlite")
    conn.execute("CREATE TABLE pictures (name TEXT)")
    conn.commit()
    conn.close()
    (folder / "notes.txt").write_text("not a workbook, not listed")
    (folder / "empty.db").write_bytes(b"")
    return folder


def _files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_lists_a_damaged_file_without_stopping(desk, catalog):
    built = couples.build_desk(desk, catalog, today=TODAY)
    by_file = {line.file: line for line in built.lines}
    assert set(by_file) == {"recent.db", "drop.db", "quiet.db", "damaged.db", "photos.sqlite", "empty.db"}
    assert by_file["empty.db"].problem == "an empty file, not a workbook yet"
    assert by_file["damaged.db"].problem == "damaged, or not a workbook file"
    assert "another program" in by_file["photos.sqlite"].problem
    assert by_file["drop.db"].names == "Cy and Dee" and not by_file["drop.db"].problem
    text = couples.render_text(built)
    assert "damaged.db: damaged, or not a workbook file" in text
    assert "Traceback" not in text


def test_sorted_by_who_needs_attention_first(desk, catalog):
    built = couples.build_desk(desk, catalog, today=TODAY)
    order = [line.file for line in built.lines]
    assert order[:3] == ["drop.db", "quiet.db", "recent.db"]
    assert set(order[3:]) == {"damaged.db", "photos.sqlite", "empty.db"}
    drop = built.lines[0]
    assert drop.reliable_drop
    cy = drop.totals[0]
    assert (cy.name, cy.total, cy.change, cy.reliable, cy.band) == ("Cy", 6, -6, True, "Needs attention")
    quiet = built.lines[1]
    assert quiet.overdue == 1 and quiet.recent == 0 and quiet.last_sitting == "2026-01-20"
    recent = built.lines[2]
    assert recent.recent == 2 and recent.overdue == 0


def test_only_reads(desk, catalog, tmp_path):
    old = desk / "old.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "schema_v1.db", old)
    before = _files(desk)
    built = couples.build_desk(desk, catalog, today=TODAY)
    assert _files(desk) == before  # no -wal, -shm, backup folder, migration or any change
    line = next(line for line in built.lines if line.file == "old.db")
    assert line.names == "Robin and Kit" and not line.problem


def test_in_use_and_newer_files_are_listed_with_their_reason(desk, catalog):
    newer = desk / "newer.db"
    _workbook(newer, ("Gus", "Hal"), [])
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO migrations (name, applied) VALUES ('m999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    with start.only_window(desk / "recent.db"):
        built = couples.build_desk(desk, catalog, today=TODAY)
    by_file = {line.file: line for line in built.lines}
    assert by_file["recent.db"].problem == couples.IN_USE
    assert "newer version" in by_file["newer.db"].problem
    assert by_file["drop.db"].names == "Cy and Dee"


def test_csv_and_json(desk, catalog):
    """CSV: one row per workbook (as the text and JSON have one line), the partners flattened
    into a_... and b_... columns; before, one row per partner."""
    import csv
    import io

    built = couples.build_desk(desk, catalog, today=TODAY)
    text = couples.render_csv(built)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == (
        "file,names,last_sitting,sittings_4_weeks,"
        "a_name,a_total,a_band,a_change,a_past_threshold,a_total_day,"
        "b_name,b_total,b_band,b_change,b_past_threshold,b_total_day,"
        "drop_past_threshold,overdue,problem"
    )
    assert [row["file"] for row in rows] == [line.file for line in built.lines]  # one row each
    assert text.splitlines()[1] == (
        "drop.db,Cy and Dee,2026-03-23,2,Cy,6,Needs attention,-6,yes,2026-03-23,"
        "Dee,10,Steady,0,no,2026-03-23,yes,0,"
    )
    damaged = next(row for row in rows if row["file"] == "damaged.db")
    assert damaged["problem"] and damaged["a_name"] == "" and damaged["b_total"] == ""
    data = json.loads(couples.render_json(built))
    assert data["lines"][0]["file"] == "drop.db" and data["lines"][0]["reliable_drop"] is True
    assert data["lines"][0]["totals"][0]["day"] == "2026-03-23"
    assert data["lines"][0]["totals"][0]["ago"] == "9 d ago"
    assert data["lines"][-1]["problem"]


def test_the_day_of_the_last_total_is_shown_when_it_is_older_than_the_last_sitting(desk, catalog):
    """A total needs a whole check-in revealed, so the last one can be months older than the
    last sitting: every format says when it was given."""
    path = _workbook(desk / "stale.db", ("Ida", "Jo"), [("2025-11-03", (6, 6), (6, 6))])
    with Store.open(path) as store:
        sitting = store.start_sitting(["a", "b"], started="2026-03-30T19:00:00")
        for partner in ("a", "b"):  # rated but never revealed: no total
            store.save_answer(sitting.id, "fx-checkin", "communication", partner, 2, prompt_type="scale",
                              private=True, metric="communication")
        store.end_sitting(sitting.id, ended="2026-03-30T19:20:00")
    built = couples.build_desk(desk, catalog, today=TODAY)
    stale = next(line for line in built.lines if line.file == "stale.db")
    assert stale.last_sitting == "2026-03-30"
    assert [t.day for t in stale.totals] == ["2025-11-03", "2025-11-03"]
    assert couples.totals_from(stale, TODAY) == "2025-11-03 (21 wk ago)"
    text_line = next(line for line in couples.render_text(built).splitlines() if "stale.db" in line)
    assert "2026-03-30 (2 d)" in text_line and "2025-11-03 (21 wk ago)" in text_line
    assert "Total from" in couples.render_text(built)
    row = next(r for r in couples.render_csv(built).splitlines() if r.startswith("stale.db"))
    assert ",2025-11-03," in row and row.count("2025-11-03") == 2
    data = json.loads(couples.render_json(built))
    line = next(line for line in data["lines"] if line["file"] == "stale.db")
    assert [(t["day"], t["ago"]) for t in line["totals"]] == [("2025-11-03", "21 wk ago")] * 2
    assert [couples.ago(d, TODAY) for d in ("2026-04-01", "2026-03-25", "2026-03-01", "2024-03-01")] == [
        "today", "7 d ago", "4 wk ago", "2 yr ago"]


def test_cli_couples(desk):
    run = lambda *args: subprocess.run([sys.executable, "-m", "relworkbook", *args], capture_output=True, text=True,
                                      cwd=ROOT, stdin=subprocess.DEVNULL, timeout=120)
    result = run("couples", str(desk), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert {line["file"] for line in json.loads(result.stdout)["lines"]} >= {"damaged.db", "drop.db"}
    result = run("couples", str(desk / "nowhere"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
