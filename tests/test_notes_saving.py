"""Notes for one are saved like an answer: what is typed is written before the app
quits (^q), on the app's flush (SIGHUP and SIGTERM call it), and at least every
``SAVE_MOST`` seconds while typing goes on (the real app on a real workbook, Pilot).

The signals themselves, on a pty: ``tests/test_crash_pty.py::test_sighup_and_sigterm_save_notes_typed``.
"""

from __future__ import annotations

import time
from pathlib import Path

from relworkbook.app import make_app
from relworkbook.debounce import SAVE_MOST, SAVE_QUIET
from relworkbook.screens import HoldsAnswers
from relworkbook.screens.locks import PassphraseScreen
from relworkbook.screens.notes import NotesScreen
from relworkbook.store import Store
from settle import until

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
ALEX_PASS = "otter lantern quietly"
WORD = "wombatquay"


def workbook(tmp_path: Path, *locks: tuple[str, str]) -> Path:
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        for partner, passphrase in locks:
            store.set_lock(partner, passphrase)
    return db


async def open_notes(pilot, app, partner: str, passphrase: str | None = None) -> None:
    app.action_notes()
    await pilot.pause()
    await pilot.click(f"#notes-{partner}")
    await pilot.pause()
    if passphrase is not None:
        assert isinstance(app.screen, PassphraseScreen)
        await pilot.press(*passphrase, "enter")
    await until(pilot, lambda: isinstance(app.screen, NotesScreen), what="the notes open")


def saved_notes(db: Path, partner: str, passphrase: str | None = None) -> str:
    """What another copy of the workbook reads: only what is committed."""
    with Store.open(db) as store:
        unlocked = store.unlock(partner, passphrase) if passphrase else None
        return store.read_notes(partner, unlocked)


def test_the_notes_screen_holds_answers():
    assert issubclass(NotesScreen, HoldsAnswers)


async def test_notes_typed_just_before_quit_are_saved(tmp_path):
    db = workbook(tmp_path)
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_notes(pilot, app, "a")
        await pilot.press(*WORD)
        await app.action_quit()  # ^q at once, well inside the debounce's wait
    assert saved_notes(db, "a") == WORD


async def test_the_apps_flush_writes_the_notes_even_for_a_locked_partner(tmp_path):
    db = workbook(tmp_path, ("a", ALEX_PASS))
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_notes(pilot, app, "a", ALEX_PASS)
        await pilot.press(*WORD)
        assert app.flush_all()  # what SIGHUP and SIGTERM call first
        # Written, sealed: another copy reads it only with the passphrase.
        with Store.open(db) as store:
            assert store.notes_locked("a")
        assert saved_notes(db, "a", ALEX_PASS) == WORD
        await pilot.press(*"more")
        await app.action_quit()
    assert saved_notes(db, "a", ALEX_PASS) == WORD + "more"
    for suffix in ("", "-wal"):
        if Path(f"{db}{suffix}").exists():
            assert WORD.encode() not in Path(f"{db}{suffix}").read_bytes()


async def test_steady_typing_in_notes_is_written_within_the_longest_wait(tmp_path):
    """A key every 0.1 s never leaves the quiet pause: the notes are still written,
    no later than SAVE_MOST after the first key (the old notes waited a whole second)."""
    assert SAVE_QUIET > 0.1
    db = workbook(tmp_path)
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_notes(pilot, app, "b")
        start = time.monotonic()
        typed = ""
        while time.monotonic() - start < SAVE_MOST + 0.35:
            letter = "abcdefghijklmnopqrstuvwxyz"[len(typed) % 26]
            await pilot.press(letter)
            typed += letter
            await pilot.pause(0.1)
        saved = saved_notes(db, "b")
        assert saved and typed.startswith(saved), f"typed {typed!r} for {time.monotonic() - start:.2f} s, saved {saved!r}"
