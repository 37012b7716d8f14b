"""Privacy audit: every way out for a private answer not yet revealed, and for notes.

A pack may ask for a commitment privately (tests/fixtures/private-pack): such a
commitment exists only once its prompt is revealed, so no list of commitments
(Home, the Commitments screen, the check-in's review, the calendar, couples)
can carry its words, its date or even its count before then; and a partner who
takes a lock afterwards leaves no plain copy of it in the file.

See docs/privacy.md and docs/reliability.md for the promises these keep.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from relworkbook.app import make_app
from relworkbook.cli import cli
from relworkbook.rhythm import read_rhythm, save_rhythm
from relworkbook.store import Store

PACK = Path(__file__).parent / "fixtures" / "private-pack"
EXERCISE, PROMPT = "fx-quiet-promise", "promise"
SECRET_A = "harbourlanternwish"
SECRET_B = "copperkitepledge"
PASSPHRASE = "correct horse battery staple"


def write_private_promises(store: Store, started: str = "2026-11-20T19:00:00") -> int:
    """Both partners answer the private commitment prompt; nothing is revealed."""
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    sitting = store.start_sitting(["a", "b"], started=started)
    for partner, words, due in (("a", SECRET_A, "2026-11-25"), ("b", SECRET_B, "2026-12-02")):
        store.save_answer(
            sitting.id, EXERCISE, PROMPT, partner, {"what": f"Plan the {words}", "owner": partner, "due": due},
            prompt_type="commitment", private=True,
        )
    store.end_sitting(sitting.id, ended=started[:11] + "19:20:00")
    return sitting.id


def _words(commitments) -> str:
    return " ".join(c.what for c in commitments)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "workbook.db"
    with Store.open(path) as store:
        write_private_promises(store)
    return path


def test_a_private_commitment_exists_only_once_revealed(db):
    with Store.open(db) as store:
        sitting = store.last_sitting().id
        before = [
            store.list_commitments(), store.open_commitments(), store.list_commitments("open"),
            store.commitments_made_in(sitting), store.commitments_reviewed_in(sitting),
        ]
        assert all(found == [] for found in before), before
        store.reveal(sitting, EXERCISE, PROMPT)
        made = store.open_commitments()
        assert sorted(c.owner for c in made) == ["a", "b"]
        assert SECRET_A in _words(made) and SECRET_B in _words(made)
        assert {c.due for c in made} == {"2026-11-25", "2026-12-02"}
        # An edit after the reveal updates the same commitment; none is added.
        answer = store.find_answer(sitting, EXERCISE, PROMPT, "a")
        store.revise_answer(answer.id, {"what": "Plan the picnic", "owner": "a", "due": None},
                            prompt_type="commitment")
        assert len(store.list_commitments()) == 2 and "Plan the picnic" in _words(store.list_commitments())


def test_an_edit_before_the_reveal_does_not_make_it_a_commitment(db):
    with Store.open(db) as store:
        sitting = store.last_sitting().id
        answer = store.find_answer(sitting, EXERCISE, PROMPT, "a")
        store.revise_answer(answer.id, {"what": f"Plan the {SECRET_A} again", "owner": "a", "due": None},
                            prompt_type="commitment")
        assert store.list_commitments() == []


def test_a_commitment_row_left_by_an_older_version_stays_hidden_until_the_reveal(db):
    """Workbooks written before this fix hold a commitment row made at the first save."""
    with Store.open(db) as store:
        sitting = store.last_sitting().id
        answer = store.find_answer(sitting, EXERCISE, PROMPT, "a")
        with store.transaction():
            store._write(
                "INSERT INTO commitments (sitting_id, exercise_id, prompt_id, answer_id, what, owner, due, "
                "status, created) VALUES (?, ?, ?, ?, ?, 'a', '2026-11-25', 'open', '2026-11-20T19:01:00')",
                (sitting, EXERCISE, PROMPT, answer.id, f"Plan the {SECRET_A}"),
            )
        assert store.list_commitments() == [] and store.open_commitments() == []
        assert store.commitments_made_in(sitting) == []
        store.reveal(sitting, EXERCISE, PROMPT)
        made = store.open_commitments()
        assert len(made) == 2 and SECRET_A in _words(made)  # the old row, not a second one


def test_a_lock_set_after_a_private_commitment_leaves_no_plain_copy_in_the_file(tmp_path):
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        sitting = write_private_promises(store)
        # Even a row an older version made (see above) is wiped with the rest.
        answer = store.find_answer(sitting, EXERCISE, PROMPT, "a")
        with store.transaction():
            store._write(
                "INSERT INTO commitments (sitting_id, exercise_id, prompt_id, answer_id, what, owner, due, "
                "status, created) VALUES (?, ?, ?, ?, ?, 'a', NULL, 'open', '2026-11-20T19:01:00')",
                (sitting, EXERCISE, PROMPT, answer.id, f"Plan the {SECRET_A}"),
            )
        store.set_lock("a", PASSPHRASE)
        data = json.dumps(store.export_data())
        assert SECRET_A not in data
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("workbook.db"))
    assert SECRET_A.encode() not in raw
    assert SECRET_B.encode() in raw  # the partner without a lock: plain in the file, as documented
    with Store.open(db) as store:
        keys = {"a": store.unlock("a", PASSPHRASE)}
        store.reveal(sitting, EXERCISE, PROMPT, keys=keys)
        assert SECRET_A in _words(store.open_commitments())


def test_a_locked_partners_private_commitment_is_made_at_the_reveal(tmp_path):
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        store.set_lock("a", PASSPHRASE)
        sitting = write_private_promises(store)
        assert store.list_commitments() == []
        # Taking the lock away keeps the answer private: still no commitment.
        store.remove_lock("a", PASSPHRASE)
        assert store.list_commitments() == []
        store.reveal(sitting, EXERCISE, PROMPT)
        assert SECRET_A in _words(store.open_commitments())


# --------------------------------------------------------------- the screens


def _screen_text(app) -> str:
    from test_privacy import _everything_on_screen

    return _everything_on_screen(app)


async def test_home_and_the_commitments_screen_wait_for_the_reveal(db):
    async def look() -> tuple[str, str]:
        app = make_app(db, [PACK])
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            home = _screen_text(app)
            await pilot.press("m")
            await pilot.pause()
            from relworkbook.screens.commitments import CommitmentsScreen

            assert isinstance(app.screen, CommitmentsScreen)
            listed = _screen_text(app)
        return home, listed

    home, listed = await look()
    for text in (home, listed):
        assert SECRET_A not in text and SECRET_B not in text
    assert "None open" in home
    with Store.open(db) as store:
        store.reveal(store.last_sitting().id, EXERCISE, PROMPT)
    home, listed = await look()
    assert SECRET_A in home and SECRET_B in listed  # the same screens show them once revealed


# ------------------------------------------------------------ command line


def test_the_calendar_and_couples_wait_for_the_reveal(db, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    with Store.open(db) as store:
        save_rhythm(store, read_rhythm(store)._replace(calendar_words=True))
    runner = CliRunner()

    def calendar() -> str:
        result = runner.invoke(cli, ["calendar", "--db", str(db), "--output", "-"])
        assert result.exit_code == 0, result.output
        return result.stdout_bytes.decode("utf-8").replace("\r\n ", "")

    def overdue() -> int:
        folder = tmp_path / "desk"
        folder.mkdir(exist_ok=True)
        (folder / "alex-and-sam.db").unlink(missing_ok=True)
        (folder / "alex-and-sam.db").symlink_to(db)
        from relworkbook import couples
        from relworkbook.catalog import load_catalog

        desk = couples.build_desk(folder, load_catalog((PACK,)), today=date(2026, 12, 10))
        return desk.lines[0].overdue

    before = calendar()
    assert SECRET_A not in before and SECRET_B not in before
    assert "A plan we made" not in before  # not even a dated event without words
    assert overdue() == 0
    with Store.open(db) as store:
        store.reveal(store.last_sitting().id, EXERCISE, PROMPT)
    after = calendar()
    assert SECRET_A in after and SECRET_B in after
    assert overdue() == 2


# ------------------------------------------------------- an unexpected error

CRASH = """
import sys
from pathlib import Path
from relworkbook.app import make_app
from relworkbook.store import Store

db = Path(sys.argv[1])
with Store.open(db) as store:
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
app = make_app(db)

def save_the_private_answer():
    typed = "{secret}"  # what a frame of ours may hold when a bug strikes
    raise RuntimeError("a bug")

app.call_later(save_the_private_answer)
app.run(headless=True)
print("problem:", app.problem)
print("code:", app.return_code)
"""


def test_an_unexpected_error_in_the_app_is_one_line_without_the_words_on_its_frames(tmp_path):
    """Textual's own report of an unexpected error is a traceback with every frame's local
    variables, printed on the shared terminal once the app ends: a private answer or a
    note held by one of our frames would be shown to whoever is looking."""
    import os
    import subprocess
    import sys

    script = tmp_path / "crash.py"
    script.write_text(CRASH.replace("{secret}", SECRET_A), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "workbook.db")], capture_output=True, text=True,
        timeout=120, env=dict(os.environ, RELWORKBOOK_HOME=str(tmp_path / "home")),
        cwd=Path(__file__).resolve().parent.parent,
    )
    out = result.stdout + result.stderr
    assert SECRET_A not in out
    assert "Traceback" not in out and "│" not in out
    assert "problem: unexpected problem (RuntimeError" in result.stdout and "Please report it" in result.stdout
    assert "code: 1" in result.stdout


def test_the_unexpected_problem_line_names_the_place_of_ours_but_never_the_message():
    from relworkbook import couples
    from relworkbook.app import unexpected_problem

    try:
        couples.render(None, SECRET_A)  # an unknown format: a KeyError whose message is the words
    except KeyError as error:
        assert SECRET_A in str(error)
        line = unexpected_problem(error)
    assert line.startswith("unexpected problem (KeyError in relworkbook/couples.py:")
    assert SECRET_A not in line and "\n" not in line


# ------------------------------------------------------------ notes for one


async def test_unlocked_notes_open_only_after_a_look_away_step_and_say_who_can_read_them(tmp_path):
    """Without a lock nothing stops the other partner, but nothing shows a partner's notes
    on the shared screen at one press either: first who should look away, and the notes
    screen says plainly who can open them (not 'hidden from the screen')."""
    from relworkbook.screens.confirm import ConfirmScreen
    from relworkbook.screens.notes import NotesScreen, WhoseNotesScreen

    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        store.save_notes("a", f"what I will say: {SECRET_A}")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_notes()
        await pilot.pause()
        assert isinstance(app.screen, WhoseNotesScreen)
        await pilot.click("#notes-a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        text = _screen_text(app)
        assert "Sam, please look away" in text and SECRET_A not in text
        await pilot.press("escape")  # not now: back, nothing shown
        await pilot.pause()
        assert not isinstance(app.screen, (ConfirmScreen, NotesScreen)) and SECRET_A not in _screen_text(app)
        app.action_notes()
        await pilot.pause()
        await pilot.click("#notes-a")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        text = _screen_text(app)
        assert SECRET_A in text
        assert "hidden from the screen" not in text and "anyone at this keyboard" in text
        # A break taken with the notes open: they come back only after a look-away screen.
        from relworkbook.screens.look_away import LookAwayScreen

        app.action_time_out()
        await pilot.pause()
        app.screen.dismiss(None)
        await pilot.pause()
        assert isinstance(app.screen, LookAwayScreen)
        drawn = _drawn(app)
        assert SECRET_A not in drawn and "Alex, please take the keyboard. Sam, please look away." in drawn
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)


# ------------------------------------------------------------ after a break


def _drawn(app) -> str:
    """Only what the terminal shows now (the top screen, as composited)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_after_a_time_out_a_private_answer_comes_back_only_after_a_look_away_screen(tmp_path):
    """Either partner may call a break mid-answer; when it ends, twenty minutes later, the
    private answer being typed is not simply back on the shared screen."""
    from relworkbook.screens.exercise import ExerciseScreen
    from relworkbook.screens.look_away import LookAwayScreen
    from relworkbook.screens.timeout import TimeoutScreen
    from textual.widgets import TextArea

    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    app = make_app(db, [PACK])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_exercise(app.catalog.exercise("fx-quiet-words"), attendees=("a", "b"))
        await pilot.pause()
        while not isinstance(app.screen, ExerciseScreen) or not app.screen.query(TextArea):
            await pilot.press("enter")  # the intro, Alex's hand-over
            await pilot.pause()
        await pilot.press(*SECRET_A)
        await pilot.pause()
        assert SECRET_A in _drawn(app)
        app.action_time_out()
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen) and SECRET_A not in _drawn(app)
        app.screen.dismiss(None)  # the break is over
        await pilot.pause()
        assert isinstance(app.screen, LookAwayScreen)
        text = _drawn(app)
        assert SECRET_A not in text and "look away" in text
        await pilot.press("escape")  # only Enter or the button brings it back
        await pilot.pause()
        assert isinstance(app.screen, LookAwayScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen) and SECRET_A in _drawn(app)
        # A break from a screen with nothing private on it comes straight back.
        app.action_home()
        await pilot.pause()
        app.action_time_out()
        await pilot.pause()
        app.screen.dismiss(None)
        await pilot.pause()
        assert not isinstance(app.screen, LookAwayScreen)


# ------------------------------------------------------- kept just for me


def test_a_private_commitment_kept_just_for_me_never_becomes_a_commitment(db):
    with Store.open(db) as store:
        sitting = store.last_sitting().id
        with store.transaction():  # as the sitting's Reveal does: keep, then reveal
            store.keep_private(sitting, EXERCISE, PROMPT, "a")
            store.reveal(sitting, EXERCISE, PROMPT)
        made = store.list_commitments()
        assert [c.owner for c in made] == ["b"] and SECRET_A not in _words(made)
        # Even a row an older version made at the first save stays out.
        answer = store.find_answer(sitting, EXERCISE, PROMPT, "a")
        with store.transaction():
            store._write(
                "INSERT INTO commitments (sitting_id, exercise_id, prompt_id, answer_id, what, owner, due, "
                "status, created) VALUES (?, ?, ?, ?, ?, 'a', NULL, 'open', '2026-11-20T19:01:00')",
                (sitting, EXERCISE, PROMPT, answer.id, f"Plan the {SECRET_A}"),
            )
        assert SECRET_A not in _words(store.list_commitments() + store.open_commitments())


def test_a_locked_answer_kept_just_for_me_stays_locked_in_the_file_after_the_reveal(tmp_path):
    """Kept just for me is never revealed, so a locked partner's kept answer is never
    written back as plain text: not in the file, its WAL or the export."""
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        store.set_lock("a", PASSPHRASE)
        sitting = store.start_sitting(["a", "b"], started="2026-11-20T19:00:00")
        for prompt, words in (("my-side", SECRET_A), ("underneath", "shown-alex-words")):
            store.save_answer(sitting.id, "rc-our-cycle", prompt, "a", words if prompt == "underneath"
                              else {"i_do": words}, prompt_type="text" if prompt == "underneath" else "template",
                              private=True)
            store.save_answer(sitting.id, "rc-our-cycle", prompt, "b", f"sam on {prompt}",
                              prompt_type="text" if prompt == "underneath" else "template", private=True)
        keys = {"a": store.unlock("a", PASSPHRASE)}
        with store.transaction():
            store.keep_private(sitting.id, "rc-our-cycle", "my-side", "a")
            store.reveal(sitting.id, "rc-our-cycle", "my-side", keys=keys)
            store.reveal(sitting.id, "rc-our-cycle", "underneath", keys=keys)
        exported = json.dumps(store.export_data())
        shown = store.find_answer(sitting.id, "rc-our-cycle", "underneath", "a")
        assert shown.value == "shown-alex-words" and shown.revealed
        kept = store.find_answer(sitting.id, "rc-our-cycle", "my-side", "a")
        assert not kept.revealed and SECRET_A not in json.dumps(kept.value)
        # It still opens for its partner, with the passphrase.
        assert store.open_value(kept, store.unlock("a", PASSPHRASE)) == {"i_do": SECRET_A}
        # A prompt whose only locked answer is kept needs no passphrase to reveal.
        other = store.start_sitting(["a", "b"], started="2026-11-27T19:00:00")
        store.save_answer(other.id, "rc-our-cycle", "my-side", "a", {"i_do": "later"}, prompt_type="template",
                          private=True)
        with store.transaction():
            store.keep_private(other.id, "rc-our-cycle", "my-side", "a")
            store.reveal(other.id, "rc-our-cycle", "my-side")
    assert SECRET_A not in exported
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("workbook.db"))
    assert SECRET_A.encode() not in raw


async def test_the_keep_just_for_me_screen_takes_no_screenshot_and_a_break_over_it_ends_on_a_look_away(tmp_path):
    """Which answers a partner keeps back is theirs alone (the other sees only how many)."""
    from relworkbook.screens.handover import KeepScreen
    from relworkbook.screens.look_away import LookAwayScreen

    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    app = make_app(db, [PACK])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.push_screen(KeepScreen(app.couple, "b", [("unsaid", "What have you not said yet?")], {"unsaid"}))
        await pilot.pause()
        assert app.deliver_screenshot() is None
        app.action_time_out()
        await pilot.pause()
        app.screen.dismiss(None)
        await pilot.pause()
        assert isinstance(app.screen, LookAwayScreen)
        assert "Sam, please take the keyboard. Alex, please look away." in _drawn(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, KeepScreen)


# ------------------------------------------- every command line output at once

UNSEEN = {
    "template": "obsidianloopalex", "text": "quietfearalex", "text-b": "quietfearsam",
    "commitment": SECRET_A, "note-a": "alexnotemarigold", "note-b": "samnotejuniper",
}
SHARED = "tangerinesharedword"


def write_every_kind_unrevealed(store: Store) -> int:
    """A revealed check-in, then a sitting whose private answers (every kind) are not revealed, and notes."""
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    areas = ("communication", "trust")
    one = store.start_sitting(["a", "b"], started="2026-11-01T19:00:00")
    for partner in ("a", "b"):
        for area in areas:
            store.save_answer(one.id, "weekly-check-in", area, partner, 8, prompt_type="scale", private=True,
                              metric=area)
    for area in areas:
        store.reveal(one.id, "weekly-check-in", area)
    store.end_sitting(one.id, ended="2026-11-01T19:20:00")
    two = store.start_sitting(["a", "b"], started="2026-11-08T19:00:00")
    for partner, value in (("a", 2), ("b", 3)):  # low ratings that must not be flagged
        for area in areas:
            store.save_answer(two.id, "weekly-check-in", area, partner, value, prompt_type="scale", private=True,
                              metric=area)
    store.save_answer(two.id, "weekly-check-in", "went-well", "together", SHARED, prompt_type="text")
    store.save_answer(two.id, "rc-our-cycle", "my-side", "a", {"i_do": UNSEEN["template"]},
                      prompt_type="template", private=True)
    store.save_answer(two.id, "rc-our-cycle", "underneath", "a", UNSEEN["text"], prompt_type="text", private=True)
    store.save_answer(two.id, "rc-our-cycle", "underneath", "b", UNSEEN["text-b"], prompt_type="text", private=True)
    store.save_answer(two.id, EXERCISE, PROMPT, "a", {"what": UNSEEN["commitment"], "owner": "a",
                      "due": "2026-11-10"}, prompt_type="commitment", private=True)
    store.end_sitting(two.id, ended="2026-11-08T19:40:00")
    store.save_notes("a", UNSEEN["note-a"])
    store.save_notes("b", UNSEEN["note-b"])
    return two.id


def test_no_command_line_output_carries_an_unrevealed_answer_a_low_hidden_rating_or_a_note(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    folder = tmp_path / "desk"
    folder.mkdir()
    db = folder / "workbook.db"
    with Store.open(db) as store:
        sitting = write_every_kind_unrevealed(store)
        save_rhythm(store, read_rhythm(store)._replace(calendar_words=True))
    runner = CliRunner()
    base = ["--exercises", str(PACK)]

    def out(*args: str) -> str:
        result = runner.invoke(cli, [*base, *args])
        assert result.exit_code == 0, (args, result.output)
        return result.stdout_bytes.decode("utf-8").replace("\r\n ", "")

    on_db = ["--db", str(db)]
    dates = ["--from", "2026-10-01", "--to", "2026-12-01"]
    commands = [["recap", *on_db, "--session", str(sitting), "--format", f] for f in ("text", "markdown", "html")]
    commands += [["report", *on_db, *dates, "--format", f] for f in ("text", "markdown", "html")]
    commands += [["trends", *on_db, "--format", f] for f in ("text", "csv", "json")]
    commands += [["couples", str(folder), "--format", f] for f in ("text", "csv", "json")]
    commands += [["history", *on_db], ["history", *on_db, "--json"], ["calendar", *on_db, "--output", "-"]]
    commands += [["history", *on_db, "--search", word] for word in (*UNSEEN.values(), "alex", "fear")]
    outputs = {" ".join(c[:1] + c[-2:]): out(*c) for c in commands}
    assert SHARED in outputs["recap --format text"]  # the check sees what is shared
    for name, text in outputs.items():
        assert not [w for w in UNSEEN.values() if w in text], name
    assert "2026-11-08" not in outputs["trends --format csv"]  # the hidden low ratings are not counted
    assert "None in these dates" in outputs[f"report --format text"]  # nor flagged as low
    assert json.loads(outputs["couples --format json"])["lines"][0]["overdue"] == 0
    # The export is everything (plain, with no lock): every word, notes too.
    exported = out("export", *on_db)
    assert all(w in exported for w in UNSEEN.values())
    # Once revealed, the same outputs carry them (the check can fail).
    with Store.open(db) as store:
        for exercise, prompt in (("rc-our-cycle", "my-side"), ("rc-our-cycle", "underneath"), (EXERCISE, PROMPT)):
            store.reveal(sitting, exercise, prompt)
    recap_text = out("recap", *on_db, "--session", str(sitting))
    assert all(UNSEEN[k] in recap_text for k in ("template", "text", "text-b", "commitment"))
    assert not any(UNSEEN[k] in recap_text for k in ("note-a", "note-b"))  # notes: never


async def test_no_screen_shows_an_unrevealed_answer_of_any_kind_or_a_note(tmp_path):
    from relworkbook.screens.search import SearchScreen
    from relworkbook.screens.sitting_view import SittingViewScreen

    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        write_every_kind_unrevealed(store)
    app = make_app(db, [PACK])
    seen: dict[str, str] = {}
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        seen["home"] = _screen_text(app)
        for action in ("history", "trends", "report", "commitments", "last_recap"):
            await app.run_action(action)
            for _ in range(3):
                await pilot.pause()
            seen[action] = _screen_text(app)
            if action == "history":
                await pilot.press("enter")  # the newest sitting
                await pilot.pause()
                assert isinstance(app.screen, SittingViewScreen)
                seen["sitting view"] = _screen_text(app)
                await pilot.press("escape")
                await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        for word in (*UNSEEN.values(), "fear", "alex"):
            app.push_screen(SearchScreen(app.store, app.catalog, app.couple, query=word))
            await pilot.pause()
            await pilot.pause()
            seen[f"search {word}"] = _drawn(app)
            app.pop_screen()
            await pilot.pause()
    assert SHARED in seen["sitting view"] and SHARED in seen["last_recap"]  # the check sees what is shared
    for name, text in seen.items():
        if name.startswith("search "):
            text = text.replace(name.removeprefix("search "), "", 1)  # the query itself, in its box
        assert not [w for w in UNSEEN.values() if w in text], name
