"""The recap on screen: at the end of a sitting, from History (r), from the
palette; saved as owner-only HTML and Markdown with s.

The real app (make_app) on a workbook in tmp_path and the fixture pack; the
answers are written through the store, as the exercise screens write them.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.widgets import TextArea

from relworkbook import paths
from relworkbook.app import WorkbookApp, make_app
from relworkbook.screens.confirm import ConfirmScreen
from relworkbook.screens.history import HistoryScreen
from relworkbook.screens.home import HomeScreen
from relworkbook.screens.recap import PRIVATE_HIDDEN, RecapScreen
from relworkbook.screens.sitting_end import SittingEndScreen
from relworkbook.screens.sitting_view import SittingViewScreen
from relworkbook.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
SECRET_A = "Quincesecret kept to myself"
SECRET_B = "Papayasecret nobody has read"


def workbook(tmp_path: Path) -> Path:
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    return db


def app_for(db: Path) -> WorkbookApp:
    return make_app(db, [FIXTURES], shipped=False)


def recap_text(app: WorkbookApp) -> str:
    """The whole recap as drawn (all of it, not only the part scrolled into view)."""
    return str(app.screen.query_one("#recap").render())


def screen_text(app: WorkbookApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def messages(app: WorkbookApp) -> list[str]:
    return [n.message for n in app._notifications]


def past_sittings(db: Path) -> tuple[int, int]:
    """Two ended sittings: an older check-in, and a newer one with hopes, a private
    choice nobody revealed, a commitment, and check-in ratings that moved."""
    with Store.open(db) as store:
        old = store.start_sitting(("a", "b"), started="2026-01-01T19:00:00")
        store.save_answer(old.id, "fx-hopes", "hope", "a", "Olderhope of a slow Sunday", prompt_type="text")
        for partner, value in (("a", 5), ("b", 6)):
            store.save_answer(old.id, "fx-checkin", "communication", partner, value, prompt_type="scale",
                              private=True, metric="communication", number=value)
        store.reveal(old.id, "fx-checkin", "communication")
        store.end_sitting(old.id, ended="2026-01-01T19:20:00")

        new = store.start_sitting(("a", "b"), started="2026-01-08T19:00:00")
        store.save_answer(new.id, "fx-hopes", "hope", "a", "Breakfast with no phones", prompt_type="text")
        store.save_answer(new.id, "fx-hopes", "hope", "b", "Fewer rushed mornings", prompt_type="text")
        store.save_answer(new.id, "fx-hopes", "ready", "a", SECRET_A, prompt_type="choice", private=True)
        store.save_answer(new.id, "fx-hopes", "ready", "b", SECRET_B, prompt_type="choice", private=True)
        for partner, value in (("a", 8), ("b", 6)):
            store.save_answer(new.id, "fx-checkin", "communication", partner, value, prompt_type="scale",
                              private=True, metric="communication", number=value)
        store.reveal(new.id, "fx-checkin", "communication")
        store.add_commitment(new.id, "fx-checkin", "next-step", "Walk after dinner on Sunday", "both", "2026-01-15")
        store.end_sitting(new.id, ended="2026-01-08T19:25:00")
    return old.id, new.id


async def open_recap_from_history(pilot, app: WorkbookApp, row: int = 0) -> RecapScreen:
    app.action_history()
    await pilot.pause()
    assert isinstance(app.screen, HistoryScreen)
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(app.screen, RecapScreen)
    return app.screen


# ------------------------------------------------------------ end of sitting


async def test_ending_a_sitting_shows_both_answers_side_by_side(tmp_path):
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_open_exercise("fx-hopes")
        await pilot.pause()
        await pilot.click("#both")
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        app.screen.query(TextArea).first().focus()
        await pilot.press(*"breakfast together")
        # Sam's answer, as the exercise screen would save it.
        app.flush_all()
        app.store.save_answer(app.sitting_id, "fx-hopes", "hope", "b", "slower mornings", prompt_type="text")
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await pilot.pause()
        assert isinstance(app.screen, SittingEndScreen)
        text = recap_text(app)
        assert "What we hope for" in text
        assert "breakfast together" in text and "slower mornings" in text
        # Two columns at 80: the names share a line, and so do the two answers.
        lines = text.splitlines()
        assert any(line.startswith("Alex") and "Sam" in line for line in lines)
        assert any("breakfast together" in line and "slower mornings" in line for line in lines)
        assert "Next step" in text
        # The key to save is in the footer, and the top of the recap is on screen.
        shown = screen_text(app)
        assert "Sitting ended" in shown and "Save" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_narrow_screens_stack_the_answers(tmp_path):
    db = workbook(tmp_path)
    past_sittings(db)
    app = app_for(db)
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        await open_recap_from_history(pilot, app)
        lines = recap_text(app).splitlines()
        assert any("Breakfast with no phones" in line for line in lines)
        assert not any(line.startswith("Alex") and "Sam" in line for line in lines)
        assert any(line.startswith("Alex") for line in lines) and any(line.startswith("Sam") for line in lines)
        assert max(len(line.rstrip()) for line in lines) <= 40


# ------------------------------------------------------------------ content


async def test_metrics_commitments_and_next_step(tmp_path):
    db = workbook(tmp_path)
    past_sittings(db)
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await open_recap_from_history(pilot, app)
        text = recap_text(app)
        assert "Communication" in text
        # The compact ratings table: area, then each partner as "last → now (change)".
        row = next(line for line in text.splitlines() if line.strip().startswith("Communication"))
        assert "5 → 8 (+3)" in row and "6 → 6 (0)" in row
        assert row.index("5 → 8 (+3)") < row.index("6 → 6 (0)")  # Alex's column, then Sam's
        assert "How well did we talk" not in text  # the rating is not repeated as a block
        assert "Commitments made" in text and "Walk after dinner on Sunday" in text
        assert "Next step" in text
        assert "Olderhope" not in text  # only this sitting's answers


async def test_an_unrevealed_private_answer_is_absent_until_revealed(tmp_path):
    db = workbook(tmp_path)
    _, new = past_sittings(db)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_recap_from_history(pilot, app)
        text = recap_text(app)
        assert SECRET_A not in text and SECRET_B not in text
        assert "Quince" not in text and "Papaya" not in text
        assert text.count(PRIVATE_HIDDEN) == 2
        # Scrolled to the end, nothing of it is drawn either.
        await pilot.press("end")
        await pilot.pause()
        assert "Quince" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        app.store.reveal(new, "fx-hopes", "ready")
        await pilot.press("r")
        await pilot.pause()
        text = recap_text(app)
        assert SECRET_A in text and SECRET_B in text
        assert PRIVATE_HIDDEN not in text


# ---------------------------------------------------------------- history


async def test_r_on_history_opens_the_selected_sittings_recap(tmp_path):
    db = workbook(tmp_path)
    old, new = past_sittings(db)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_recap_from_history(pilot, app, row=1)  # newest first: row 1 is the older
        assert screen.sitting_id == old
        assert "Olderhope of a slow Sunday" in recap_text(app)
        assert "1 January 2026" in recap_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("up", "r")
        await pilot.pause()
        assert app.screen.sitting_id == new


async def test_r_and_the_button_on_a_sitting_view_open_its_recap(tmp_path):
    db = workbook(tmp_path)
    old, _ = past_sittings(db)
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.action_history()
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SittingViewScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RecapScreen) and app.screen.sitting_id == old
        await pilot.click("#recap-close-button")
        await pilot.pause()
        assert isinstance(app.screen, SittingViewScreen)
        await pilot.click("#sv-recap")
        await pilot.pause()
        assert isinstance(app.screen, RecapScreen) and app.screen.sitting_id == old


async def test_the_palette_opens_the_last_sittings_recap(tmp_path):
    db = workbook(tmp_path)
    _, new = past_sittings(db)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"recap of the last")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecapScreen)
        assert app.screen.sitting_id == new


async def test_the_palette_recap_with_no_sittings_says_so(tmp_path):
    app = app_for(workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_last_recap()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("No sittings yet" in m for m in messages(app))


# ------------------------------------------------------------------- saving


async def test_s_saves_owner_only_html_and_markdown_and_says_where(tmp_path):
    db = workbook(tmp_path)
    _, new = past_sittings(db)
    app = app_for(db)
    folder = paths.recaps_dir(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_recap_from_history(pilot, app)
        await pilot.press("s")
        await pilot.pause()
        saved = sorted(folder.iterdir())
        assert [p.suffix for p in saved] == [".html", ".md"]
        for path in saved:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
            body = path.read_text(encoding="utf-8")
            assert "Breakfast with no phones" in body and "Fewer rushed mornings" in body
            assert "Quince" not in body and "Papaya" not in body
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        said = [m for m in messages(app) if str(folder) in m]
        assert said and all(p.name in said[0] for p in saved)
        assert isinstance(app.screen, RecapScreen)


async def test_the_save_button_saves_too(tmp_path):
    db = workbook(tmp_path)
    past_sittings(db)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_recap_from_history(pilot, app)
        await pilot.click("#recap-save-button")
        await pilot.pause()
        assert len(list(paths.recaps_dir(db).glob("*.html"))) == 1


async def test_an_unwritable_recaps_folder_is_a_notification_not_a_crash(tmp_path):
    db = workbook(tmp_path)
    past_sittings(db)
    # A file where the folder should be: nothing can be written there, even as root.
    paths.recaps_dir(db).write_text("in the way")
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_recap_from_history(pilot, app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, RecapScreen)
        problems = [n for n in app._notifications if n.severity == "error"]
        assert problems and "Could not save the recap" in problems[0].message
        assert "\n" not in problems[0].message and "Traceback" not in problems[0].message
        assert app.return_code is None


# -------------------------------------------------------------------- sizes


@pytest.mark.parametrize("size", [(40, 12), (80, 24), (300, 100)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_recap_screens_survive_every_size(tmp_path, size):
    from textual.widget import Widget

    db = workbook(tmp_path)
    _, new = past_sittings(db)
    app = app_for(db)
    width, height = size
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await open_recap_from_history(pilot, app)
        for key in ("down", "pagedown", "end", "home"):
            await pilot.press(key)
            await pilot.pause()
        assert screen_text(app).strip()
        for widget in app.screen.query("*"):
            if not widget.display or not widget.region.width:
                continue
            ancestors = [a for a in widget.ancestors if isinstance(a, Widget)]
            if widget.region.right > width:
                assert any(a.allow_horizontal_scroll for a in ancestors), widget
            if widget.region.bottom > height:
                assert any(a.allow_vertical_scroll for a in ancestors), widget
        third = app.store.start_sitting(("a", "b"))
        app.store.save_answer(third.id, "fx-hopes", "hope", "b", "A third hope " * 30, prompt_type="text")
        app.end_sitting(third.id)
        await pilot.pause()
        assert isinstance(app.screen, SittingEndScreen)
        await app.screen.run_action("save")
        await pilot.pause()
        app.screen.refresh()
        await pilot.pause()
        assert app.return_code is None
