"""Locks and notes for one in the real app (Textual Pilot on a real workbook file)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from textual.widgets import Button, Input, Static, TextArea

from relworkbook import paths
from relworkbook.app import make_app
from relworkbook.screens.confirm import ConfirmScreen
from relworkbook.screens.home import HomeScreen
from relworkbook.screens.locks import LockFormScreen, LocksScreen, PassphraseScreen
from relworkbook.screens.notes import NotesScreen, WhoseNotesScreen
from relworkbook.store import Store
from settle import until

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
ALEX_PASS = "otter lantern quietly"
SAM_PASS = "pebble harbour sunrise"
NOTE_WORD = "quokkarehearsal"


def workbook(tmp_path: Path, *locks: tuple[str, str]) -> Path:
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        for partner, passphrase in locks:
            store.set_lock(partner, passphrase)
    return db


def app_for(db: Path):
    return make_app(db, [FIXTURES], shipped=False)


def text_of(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def problem_line(app, selector: str) -> str:
    found = app.screen.query(selector)
    return str(found.first(Static).render()) if found else ""


async def submit(pilot, app) -> None:
    """The form's OK, by keyboard (a click aims at where the button was last drawn, and a
    problem line just shown moves it). A Textual button takes no second press within
    0.2 s of the last (its "-active" look): a person retyping a passphrase never comes
    back that fast, a test on an idle machine does, and the press did nothing."""
    button = app.screen.query_one("#ok", Button)
    await until(pilot, lambda: not button.has_class("-active"), what="the button ready for another press")
    button.focus()
    await pilot.press("enter")


async def fill(pilot, app, **fields: str) -> None:
    for field, value in fields.items():
        app.screen.query_one(f"#{field}", Input).value = value
    await pilot.pause()


async def test_first_run_offers_the_locks_after_the_names(tmp_path):
    db = tmp_path / "workbook.db"
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"Jo")
        await pilot.click("#name-b")
        await pilot.press(*"Kim", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LocksScreen)
        text = text_of(app)
        assert "anyone with the workbook file" in text and "cannot be recovered" in text
        await pilot.click("#set-a")
        await pilot.pause()
        assert isinstance(app.screen, LockFormScreen)
        assert "Kim, please look away" in text_of(app)
        # Two different passphrases: one calm line, nothing set.
        await fill(pilot, app, new=ALEX_PASS, again="something else")
        await submit(pilot, app)
        await pilot.pause()
        assert "not the same" in str(app.screen.query_one("#lock-problem", Static).render())
        assert not app.store.has_lock("a")
        await fill(pilot, app, new=ALEX_PASS, again=ALEX_PASS)
        await submit(pilot, app)
        await until(pilot, lambda: isinstance(app.screen, LocksScreen), what="back on the locks screen")
        assert app.store.has_lock("a")
        assert "Jo: locked" in text_of(app)
        await pilot.click("#done")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_notes_for_one_locked_wrong_passphrase_then_right(tmp_path):
    db = workbook(tmp_path, ("a", ALEX_PASS))
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_notes()
        await pilot.pause()
        assert isinstance(app.screen, WhoseNotesScreen)
        await pilot.click("#notes-a")
        await pilot.pause()
        # Nothing written yet, but Alex has a lock: the notes still ask for it, so Sam
        # cannot write into them in Alex's name.
        assert isinstance(app.screen, PassphraseScreen)
        await pilot.press(*ALEX_PASS, "enter")
        await until(pilot, lambda: isinstance(app.screen, NotesScreen), what="the empty notes open")
        assert "Locked with your passphrase" in text_of(app)
        await pilot.press(*f"what I will say: {NOTE_WORD}")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.action_notes()
        await pilot.pause()
        await pilot.click("#notes-a")
        await pilot.pause()
        assert isinstance(app.screen, PassphraseScreen)
        await pilot.press(*SAM_PASS, "enter")
        await until(pilot, lambda: "does not open" in problem_line(app, "#passphrase-problem"))
        assert isinstance(app.screen, PassphraseScreen)
        problem = problem_line(app, "#passphrase-problem")
        assert "does not open" in problem and "\n" not in problem
        assert app.screen.query_one("#passphrase", Input).value == ""
        await pilot.press(*ALEX_PASS, "enter")
        await until(pilot, lambda: isinstance(app.screen, NotesScreen), what="the notes open")
        assert NOTE_WORD in app.screen.query_one(TextArea).text
        # No screenshot while the notes are on the screen.
        assert app.deliver_screenshot() is None
        assert not paths.recaps_dir(db).exists()
        await pilot.press("escape")
        await pilot.pause()
        # Sam's notes, with no lock: plain, and the screen says so.
        app.action_notes()
        await pilot.pause()
        await pilot.click("#notes-b")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen) and "Not locked" in text_of(app)
        await pilot.press(*"sam writes")
        await pilot.press("escape")
        await pilot.pause()
        # On Home, a screenshot is saved owner-only beside the recaps.
        saved = Path(app.deliver_screenshot())
        assert saved.parent == paths.recaps_dir(db) and saved.suffix == ".svg"
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    with Store.open(db) as store:
        assert store.read_notes("b") == "sam writes"
        assert store.notes_locked("a")
    for suffix in ("", "-wal"):
        if Path(f"{db}{suffix}").exists():
            assert NOTE_WORD.encode() not in Path(f"{db}{suffix}").read_bytes()


async def test_change_remove_and_reset_from_the_locks_screen(tmp_path):
    db = workbook(tmp_path, ("a", ALEX_PASS), ("b", SAM_PASS))
    with Store.open(db) as store:
        sitting = store.start_sitting(["a", "b"])
        store.save_answer(sitting.id, "ex", "p", "a", "alex private", prompt_type="text", private=True)
        store.save_answer(sitting.id, "ex", "p", "b", "sam private", prompt_type="text", private=True)
        store.save_answer(sitting.id, "ex", "q", "b", "sam again", prompt_type="text", private=True)
        store.save_notes("b", "sam's notes")
        store.end_sitting(sitting.id)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_locks()
        await pilot.pause()
        assert isinstance(app.screen, LocksScreen)
        assert "Alex: locked. 1 private answer locked now." in text_of(app)
        # Change: the old passphrase first.
        await pilot.click("#change-a")
        await pilot.pause()
        await fill(pilot, app, old="not it at all", new="new alex words", again="new alex words")
        await submit(pilot, app)
        await until(pilot, lambda: "does not open" in problem_line(app, "#lock-problem"))
        assert isinstance(app.screen, LockFormScreen)
        await fill(pilot, app, old=ALEX_PASS, new="new alex words", again="new alex words")
        await submit(pilot, app)
        await until(pilot, lambda: isinstance(app.screen, LocksScreen), what="back on the locks screen")
        app.store.unlock("a", "new alex words")
        # Remove Alex's lock: the answer is kept, plain now.
        await pilot.click("#remove-a")
        await pilot.pause()
        await fill(pilot, app, old="new alex words")
        await submit(pilot, app)
        await until(pilot, lambda: "Alex: no lock" in text_of(app), what="Alex's lock removed")
        assert not app.store.has_lock("a")
        # Sam forgot: the screen says how much is lost before anything is.
        await pilot.click("#reset-b")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        detail = str(app.screen.query_one(".dialog-text", Static).render())
        assert "2 private answers still locked and Sam's notes will be lost" in detail
        await pilot.click("#yes")
        await until(pilot, lambda: isinstance(app.screen, LocksScreen), what="back on the locks screen")
        assert not app.store.has_lock("b")
    with Store.open(db) as store:
        assert store.find_answer(sitting.id, "ex", "p", "a").value == "alex private"
        assert store.find_answer(sitting.id, "ex", "p", "b") is None
        assert store.read_notes("b") == ""


# ------------------------------------------------ private answers through the app

PACK = """\
id: lk-unsaid
title: What is not said yet
step: getting-started
order: 9
minutes: 5
intro: Two private questions, then one for both to see.
prompts:
  - id: unsaid
    type: text
    who: private
    text: What have you not said yet?
  - id: wish
    type: text
    who: private
    text: What do you wish for?
  - id: plain
    type: text
    who: each
    text: One word for today.
"""
WORDS = {"a": ("aardvarkwhisper", "albatrosswish"), "b": ("bumblebeeconfession", "butterflyhope")}
SHARED_WORD = "sharedmarmalade"


def locked_app(tmp_path: Path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "unsaid.yaml").write_text(PACK)
    db = workbook(tmp_path, ("a", ALEX_PASS), ("b", SAM_PASS))
    return db, make_app(db, [FIXTURES, pack], shipped=False)


def everywhere(app, db: Path) -> bytes:
    """The workbook file, its -wal, a fresh backup and every older one, and an export."""
    import json

    from click.testing import CliRunner

    from relworkbook.cli import cli

    app.store.backup()
    exported = CliRunner().invoke(cli, ["export", "--db", str(db)])
    assert exported.exit_code == 0, exported.output
    found = [json.dumps(app.store.export_data(), ensure_ascii=False).encode(), exported.stdout_bytes]
    for suffix in ("", "-wal"):
        if Path(f"{db}{suffix}").exists():
            found.append(Path(f"{db}{suffix}").read_bytes())
    found += [p.read_bytes() for p in paths.backups_dir(db).iterdir()]
    return b"\n".join(found)


async def answer_privately(pilot, app) -> None:
    """Both partners answer the two private questions, each after their hand-over."""
    from relworkbook.screens.attendance import AttendanceScreen
    from relworkbook.screens.exercise import ExerciseScreen
    from relworkbook.screens.handover import HandoverScreen

    app.action_open_exercise("lk-unsaid")
    await pilot.pause()
    assert isinstance(app.screen, AttendanceScreen)
    await pilot.click("#both")
    await pilot.pause()
    await pilot.press("pagedown")
    await pilot.pause()
    for partner in ("a", "b"):
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press("enter")
        await pilot.pause()
        for word in WORDS[partner]:
            assert isinstance(app.screen, ExerciseScreen) and app.screen.shows_private()
            assert app.deliver_screenshot() is None  # never while a private answer is on screen
            await pilot.press(*f"only I know {word}")
            await pilot.pause(0.6)  # the autosave writes it (sealed) while typing goes on
            await pilot.press("pagedown")
            await pilot.pause()


async def test_locked_private_answers_typed_in_the_app_stay_out_of_every_file_until_both_reveal(tmp_path):
    from relworkbook.screens.handover import RevealScreen

    db, app = locked_app(tmp_path)
    secret = [w for pair in WORDS.values() for w in pair]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await answer_privately(pilot, app)
        assert isinstance(app.screen, RevealScreen)
        blob = everywhere(app, db)
        assert [w for w in secret if w.encode() in blob] == []
        assert app.store.search(secret[0]) == []
        # Alex agrees with a wrong passphrase first: one calm line, nothing happens.
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, PassphraseScreen) and "Sam, please look away" in text_of(app)
        await pilot.press(*SAM_PASS, "enter")
        await until(pilot, lambda: "does not open" in problem_line(app, "#passphrase-problem"))
        await pilot.press(*ALEX_PASS, "enter")
        await until(pilot, lambda: isinstance(app.screen, RevealScreen), what="back on the reveal")
        assert app.screen.agreed == {"a"}
        assert not app.store.is_revealed(1, "lk-unsaid", "unsaid")
        await pilot.press("2")
        await pilot.pause()
        await pilot.press(*SAM_PASS, "enter")
        await until(pilot, lambda: isinstance(app.screen, RevealScreen) and app.screen.revealed, what="revealed")
        shown = text_of(app)
        assert all(word in shown for word in secret)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*SHARED_WORD)
        await pilot.press("pagedown")
        await pilot.pause()
        # Now shared answers like any other: in search, the export, the file.
        assert app.store.search(WORDS["b"][1])[0].partner == "b"
        assert app.store.search(SHARED_WORD)
        blob = everywhere(app, db)
        assert all(word.encode() in blob for word in secret + [SHARED_WORD])


async def test_a_reveal_one_partner_refuses_keeps_both_locked(tmp_path):
    from relworkbook.model import is_locked
    from relworkbook.screens.exercise import ExerciseScreen
    from relworkbook.screens.handover import RevealScreen

    db, app = locked_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await answer_privately(pilot, app)
        assert isinstance(app.screen, RevealScreen)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press(*ALEX_PASS, "enter")
        await until(pilot, lambda: isinstance(app.screen, RevealScreen), what="back on the reveal")
        assert app.screen.agreed == {"a"}
        await pilot.press("escape")  # Sam: not now
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        for prompt in ("unsaid", "wish"):
            assert not app.store.is_revealed(1, "lk-unsaid", prompt)
            for partner in ("a", "b"):
                assert is_locked(app.store.find_answer(1, "lk-unsaid", prompt, partner).value)
        blob = everywhere(app, db)
        assert [w for pair in WORDS.values() for w in pair if w.encode() in blob] == []


async def test_a_locked_draft_left_by_a_closed_app_opens_after_the_passphrase(tmp_path):
    from relworkbook.model import is_locked
    from relworkbook.screens.exercise import ExerciseScreen
    from relworkbook.screens.handover import HandoverScreen

    db, app = locked_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_open_exercise("lk-unsaid")
        await pilot.pause()
        await pilot.click("#both")
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        await pilot.press("enter")  # Alex takes the keys
        await pilot.pause()
        assert "Locked with your passphrase as you type" in text_of(app)
        await pilot.press(*"the first, given")
        await pilot.press("pagedown")
        await pilot.pause()
        await pilot.press(*"half a thought about aardvarks")
        await pilot.pause(0.6)  # the autosave wrote the draft, sealed
        assert is_locked(app.store.find_answer(1, "lk-unsaid", "wish", "a").value)
        app.exit()
    again = make_app(db, [FIXTURES, tmp_path / "pack"], shipped=False)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        again.action_continue()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(again.screen, HandoverScreen), text_of(again)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(again.screen, PassphraseScreen) and "draft here is locked" in text_of(again)
        await pilot.press(*ALEX_PASS, "enter")
        await until(pilot, lambda: isinstance(again.screen, ExerciseScreen), what="the draft opens")
        area = again.screen.query_one(TextArea)
        assert area.text == "half a thought about aardvarks"
        await pilot.press("end", *"!")
        await pilot.press("pagedown")
        await pilot.pause()
        opened = again.store.open_value(
            again.store.find_answer(1, "lk-unsaid", "wish", "a"), again.store.unlock("a", ALEX_PASS)
        )
        assert opened == "half a thought about aardvarks!"


async def test_settings_opens_the_locks_and_says_each_partners_lock(tmp_path):
    from relworkbook.screens.settings import SettingsScreen

    db = workbook(tmp_path, ("b", SAM_PASS))
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_settings()
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        note = app.screen.query_one("#locks-note", Static)
        assert str(note.render()) == "Locks for private answers: Alex no lock, Sam locked."
        app.screen.query_one("#settings-locks", Button).press()
        await pilot.pause()
        assert isinstance(app.screen, LocksScreen)
        await pilot.click("#set-a")
        await pilot.pause()
        await fill(pilot, app, new=ALEX_PASS, again=ALEX_PASS)
        await submit(pilot, app)
        await until(pilot, lambda: isinstance(app.screen, LocksScreen), what="back on the locks screen")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        note = str(app.screen.query_one("#locks-note", Static).render())
        assert note == "Locks for private answers: Alex locked, Sam locked."
