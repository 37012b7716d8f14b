"""Only the app's first run, ``demo`` and ``import`` make a workbook.

A command that reads (history, export, trends, recap, backup) on a missing or
empty (0-byte) file says so in one line and writes nothing; the app on an
emptied workbook with backups beside it offers them. Real processes, real
files. See docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from relworkbook import paths
from relworkbook.store import Store, find_backups

ROOT = Path(__file__).resolve().parent.parent
READING = {
    "history": ["history"],
    "history --search": ["history", "--search", "words"],
    "export": ["export"],
    "export --output": ["export", "--output", "OUT"],
    "trends": ["trends"],
    "recap": ["recap"],
    "backup": ["backup"],
    "report": ["report", "--format", "text"],
}


def run(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, RELWORKBOOK_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "relworkbook", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, timeout=60,
    )


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def everything_in(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): (p.stat().st_size if p.is_file() else -1) for p in folder.rglob("*")}


def test_reading_commands_on_an_empty_file_say_so_and_write_nothing(tmp_path):
    place = tmp_path / "place"
    place.mkdir()
    empty = place / "workbook.db"
    empty.write_bytes(b"")
    for name, args in READING.items():
        args = [a if a != "OUT" else str(tmp_path / "out.json") for a in args]
        line = one_line(run(*args, "--db", str(empty), home=tmp_path / "home"))
        assert "empty" in line and str(empty) in line, (name, line)
        assert everything_in(place) == {"workbook.db": 0}, name  # no schema, no -wal, no backups folder
    assert not (tmp_path / "out.json").exists()
    assert not (tmp_path / "home").exists()


def test_reading_commands_on_the_missing_default_workbook_create_nothing(tmp_path):
    home = tmp_path / "not" / "yet" / "home"
    for name, args in READING.items():
        args = [a if a != "OUT" else str(tmp_path / "out.json") for a in args]
        line = one_line(run(*args, home=home))
        assert str(home / "workbook.db") in line, (name, line)
        assert not (tmp_path / "not").exists(), name
    # An empty default workbook is refused the same way.
    home.mkdir(parents=True)
    (home / "workbook.db").write_bytes(b"")
    assert "empty" in one_line(run("history", home=home))
    assert everything_in(home) == {"workbook.db": 0}


def test_the_app_on_an_emptied_workbook_offers_its_backups(tmp_path):
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        sitting = store.start_sitting(["a", "b"])
        store.save_answer(sitting.id, "fx-hopes", "hope", "a", "kept in the backup", prompt_type="text")
        backup = store.backup()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(b"")  # emptied: a failed copy, a sync tool, a slip of `>`
    line = one_line(run("--db", str(db), home=tmp_path / "home"))
    assert "empty" in line and "delete the empty file" in line
    assert line.endswith(f"open it with: relworkbook --db '{backup}'")
    assert db.read_bytes() == b"" and not Path(f"{db}-wal").exists()
    assert [p for p, _ in find_backups(db)] == [backup]
    with Store.open(backup) as kept:
        assert kept.get_couple().a.name == "Alex"


def sqlite_with_no_tables(path: Path, how: str) -> bytes:
    """An SQLite file that holds no workbook: a bare header (VACUUM of nothing), or a table
    made and dropped (two pages, one of them free). user_version 0 either way."""
    conn = sqlite3.connect(path)
    if how == "bare header":
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("VACUUM")
    else:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (1)")
        conn.commit()
        conn.execute("DROP TABLE t")
        conn.commit()
    conn.close()
    os.chmod(path, 0o644)
    return path.read_bytes()


NO_TABLES = ["bare header", "table made and dropped"]


@pytest.mark.parametrize("how", NO_TABLES)
def test_reading_commands_on_an_sqlite_file_with_no_tables_say_so_and_write_nothing(tmp_path, how):
    place = tmp_path / "place"
    place.mkdir()
    db = place / "workbook.db"
    before = sqlite_with_no_tables(db, how)
    assert len(before) >= 4096
    for name, args in READING.items():
        args = [a if a != "OUT" else str(tmp_path / "out.json") for a in args]
        line = one_line(run(*args, "--db", str(db), home=tmp_path / "home"))
        assert "empty SQLite file" in line and str(db) in line, (name, line)
        # No schema, no -wal, no backups folder, the same mode.
        assert everything_in(place) == {"workbook.db": len(before)}, name
        assert db.read_bytes() == before, name
        assert stat.S_IMODE(db.stat().st_mode) == 0o644, name
    assert not (tmp_path / "out.json").exists()
    assert not (tmp_path / "home").exists()


@pytest.mark.parametrize("how", NO_TABLES)
def test_the_app_on_an_sqlite_file_with_no_tables_offers_the_backups_beside_it(tmp_path, how):
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        backup = store.backup()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    before = sqlite_with_no_tables(db, how)
    line = one_line(run("--db", str(db), home=tmp_path / "home"))
    assert "empty SQLite file" in line and "delete the empty file" in line
    assert line.endswith(f"open it with: relworkbook --db '{backup}'")
    assert db.read_bytes() == before and not Path(f"{db}-wal").exists()


def test_a_workbook_whose_pages_are_still_in_its_wal_is_not_empty(tmp_path):
    """A main file with no tables yet whose -wal holds the workbook (an app killed before
    its first checkpoint) is a workbook: SQLite reads its pages from the -wal."""
    from relworkbook.store import holds_nothing

    db = tmp_path / "workbook.db"
    sqlite_with_no_tables(db, "bare header")
    assert holds_nothing(db)
    Path(f"{db}-wal").write_bytes(b"x" * 32)
    assert not holds_nothing(db)
    db.unlink()
    Path(f"{db}-wal").unlink()
    db.write_bytes(b"")
    assert holds_nothing(db)


def test_demo_and_import_still_make_a_workbook_in_an_empty_file(tmp_path):
    source = tmp_path / "source.db"
    with Store.open(source) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        export = tmp_path / "export.json"
        export.write_text(json.dumps(store.export_data()))
    for name, args in {
        "import": ["import", str(export)],
        "demo": ["demo", "--weeks", "1"],
    }.items():
        target = tmp_path / f"{name}.db"
        target.write_bytes(b"")
        result = run(*args, "--db", str(target), home=tmp_path / "home")
        assert result.returncode == 0, (name, result.stderr)
        with Store.open(target, create=False) as made:
            assert made.get_couple() is not None
    with pytest.raises(Exception) as refused:
        Store.open(tmp_path / "blank.db", create=False)
    assert "no workbook" in str(refused.value).lower()
    (tmp_path / "blank.db").write_bytes(b"")
    with pytest.raises(Exception) as refused:
        Store.open(tmp_path / "blank.db", create=False)
    assert "empty" in str(refused.value)
    assert (tmp_path / "blank.db").read_bytes() == b""
    assert not paths.backups_dir(tmp_path / "blank.db").exists()


def test_the_app_on_a_deleted_workbook_with_backups_offers_them_and_makes_nothing(tmp_path):
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        backup = store.backup()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    line = one_line(run("--db", str(db), home=tmp_path / "home"))
    assert "no workbook" in line and str(paths.backups_dir(db)) in line
    assert line.endswith(f"open it with: relworkbook --db '{backup}'")
    assert not db.exists() and [p for p, _ in find_backups(db)] == [backup]
