"""Smaller promises (issue 13, item 13): a full disk named as such, a missing search
index said and rebuilt, a pasted name over the limit, names typed fast at the first run."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from relworkbook import store as store_module
from relworkbook.app import make_app
from relworkbook.store import SEARCH_INDEX_MISSING, SearchIndexMissing, Store, WorkbookError

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


# ------------------------------------------------------------- a full disk


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 2 MB filesystem (tmpfs), so the disk can really be filled; skipped where it cannot be mounted."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(folder)], capture_output=True)
    if made.returncode:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"x" * 4096)
    except OSError:
        pass  # no space left on the device
    finally:
        os.close(fd)
    assert os.statvfs(folder).f_bavail == 0


def test_a_full_disk_with_no_room_for_shm_says_the_disk_is_full(tiny_disk):
    db = tiny_disk / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        store.start_sitting(["a", "b"])
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    _fill(tiny_disk)
    # SQLite itself says "disk I/O error" here (it cannot make the -shm file).
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        sqlite3.connect(db).execute("SELECT count(*) FROM sittings").fetchone()
    with pytest.raises(WorkbookError) as caught:
        Store.open(db)
    message = str(caught.value)
    assert "is full" in message and "free some space" in message and "disk error" not in message
    (tiny_disk / "filler").unlink()
    with Store.open(db) as store:  # with room again, it opens
        assert store.get_couple() is not None


def test_a_disk_io_error_is_called_full_only_when_there_is_no_room(tmp_path, monkeypatch):
    class Free:
        def __init__(self, blocks: int) -> None:
            self.f_bavail, self.f_frsize = blocks, 4096

    error = sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(store_module.os, "statvfs", lambda _path: Free(0))
    assert "is full" in str(store_module._translate(error, tmp_path / "w.db"))
    monkeypatch.setattr(store_module.os, "statvfs", lambda _path: Free(1 << 20))
    assert "a disk error" in str(store_module._translate(error, tmp_path / "w.db"))


# ------------------------------------------------------- the search index


def _workbook_with_words(db: Path) -> Store:
    store = Store.open(db)
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    sitting = store.start_sitting(["a", "b"])
    store.save_answer(sitting.id, "fx-hopes", "hope", "a", "walking by the river", prompt_type="text")
    store.save_answer(sitting.id, "fx-hopes", "hope", "b", "a river cabin", prompt_type="text")
    store.save_answer(sitting.id, "fx-hopes", "secret", "a", "river secret", prompt_type="text", private=True)
    return store


def _drop_index(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE answers_fts")
    conn.commit()
    conn.close()


def test_a_missing_search_index_is_said_not_no_matches_and_rebuilt(tmp_path):
    db = tmp_path / "w.db"
    with _workbook_with_words(db) as store:
        before = [(h.answer_id, h.snippet) for h in store.search("river")]
        assert len(before) == 2  # the private answer is not revealed
        _drop_index(db)  # lost while the workbook is open
        with pytest.raises(SearchIndexMissing):
            store.search("river")
        with pytest.raises(SearchIndexMissing):
            store.search_count("river")
        store.rebuild_search_index()
        assert [(h.answer_id, h.snippet) for h in store.search("river")] == before
        assert store.search_count("river") == 2


def test_a_workbook_opened_without_its_search_index_gets_it_back_and_saves_again(tmp_path):
    db = tmp_path / "w.db"
    with _workbook_with_words(db) as store:
        before = [(h.answer_id, h.snippet) for h in store.search("river")]
        sitting = store.open_sitting()
    _drop_index(db)
    # Without the table the answers' triggers fail: nothing could be saved at all.
    conn = sqlite3.connect(db)
    with pytest.raises(sqlite3.OperationalError, match="answers_fts"):
        conn.execute("UPDATE answers SET text = 'x' WHERE id = 1")
    conn.close()
    with Store.open(db) as store:
        assert store.search_index_rebuilt
        assert [(h.answer_id, h.snippet) for h in store.search("river")] == before
        store.save_answer(sitting.id, "fx-hopes", "hope", "a", "walking by the sea", prompt_type="text")
        assert [h.answer_id for h in store.search("sea")]
    with Store.open(db) as store:
        assert not store.search_index_rebuilt  # all is well now: nothing to mend


@pytest.mark.parametrize("as_json", [False, True])
def test_history_search_says_the_index_was_missing_and_finds_the_words(tmp_path, as_json):
    """The command line, as the app: one line on stderr, then the matches; the next search says nothing."""
    from click.testing import CliRunner

    from relworkbook.cli import cli

    db = tmp_path / "w.db"
    _workbook_with_words(db).close()
    _drop_index(db)
    args = ["history", "--db", str(db), "--search", "river"] + (["--json"] if as_json else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    said = [line for line in result.stderr.splitlines() if "index" in line]
    assert said == [SEARCH_INDEX_MISSING]
    assert "No matches" not in result.stdout and "river" in result.stdout
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0 and "index" not in again.stderr and "river" in again.stdout


async def test_the_search_screen_says_the_index_was_missing_and_finds_the_words(tmp_path):
    from relworkbook.screens.search import SearchScreen

    db = tmp_path / "w.db"
    _workbook_with_words(db).close()
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not any(n.message == SEARCH_INDEX_MISSING for n in app._notifications)
        _drop_index(db)  # lost while the app runs
        app.push_screen(SearchScreen(app.store, app.catalog, app.couple))
        await pilot.pause()
        await pilot.press(*"river")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert len(screen.hits) == 2
        assert any(n.message == SEARCH_INDEX_MISSING for n in app._notifications)


async def test_the_app_says_when_it_found_the_search_index_missing_at_start(tmp_path):
    db = tmp_path / "w.db"
    _workbook_with_words(db).close()
    _drop_index(db)
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any(n.message == SEARCH_INDEX_MISSING for n in app._notifications)


# ------------------------------------------------------------ the first run


def _burst(app, keys: str) -> None:
    """Keys as a terminal delivers a fast typist's burst: all queued at once, none waited on."""
    from textual import events

    for char in keys:
        key, text = ("enter", "\r") if char == "\n" else (char, char)
        event = events.Key(key, text)
        event.set_sender(app)
        app._driver.send_message(event)


async def _wait_for_names(app, pilot) -> None:
    for _ in range(200):
        if app.store.get_couple() is not None:
            return
        await pilot.pause(0.01)


async def test_names_typed_fast_at_the_first_run_each_go_to_their_own_box(tmp_path):
    app = make_app(tmp_path / "w.db", [FIXTURES], shipped=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        _burst(app, "Robin\nKai\n")
        await _wait_for_names(app, pilot)
        couple = app.store.get_couple()
        assert couple is not None, "Begin was not reached"
        assert (couple.a.name, couple.b.name) == ("Robin", "Kai")


async def test_a_pasted_name_over_the_limit_keeps_the_part_that_fits_and_says_so(tmp_path):
    from textual import events
    from textual.widgets import Input, Static

    from relworkbook.screens.first_run import MAX_NAME

    app = make_app(tmp_path / "w.db", [FIXTURES], shipped=False)
    long_name = "Maximiliana-" + "x" * 60
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#name-a", Input)
        box.post_message(events.Paste(long_name))
        await pilot.pause()
        assert box.value == long_name[:MAX_NAME]
        problem = app.screen.query_one("#names-problem", Static)
        assert "-shown" in problem.classes
        assert f"{MAX_NAME} characters" in str(problem.content)
        # Typing on, nothing more goes in; the note stays; a short paste into the other box is whole.
        other = app.screen.query_one("#name-b", Input)
        other.post_message(events.Paste("Kai"))
        await pilot.pause()
        assert other.value == "Kai"
