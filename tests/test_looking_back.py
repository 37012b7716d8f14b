"""Looking back: history, a past sitting, search, corrections, revisions, trends, commitments.

Each screen runs inside a small host App (the real app shell wires them in
separately) on a real workbook file in tmp_path: either 30 weeks of demo history
or a small hand-made sitting with a private answer that was never revealed.
"""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import DataTable, Input, OptionList, Static, TextArea

from relworkbook import demo, trends
from relworkbook.catalog import load_catalog
from relworkbook.screens.commitments import CommitmentsScreen
from relworkbook.screens.history import HistoryScreen, SittingTable
from relworkbook.screens.revisions import RevisionsScreen
from relworkbook.screens.search import SearchScreen, snippet_text
from relworkbook.screens.sitting_view import (
    PRIVATE_HIDDEN,
    AnswerBlock,
    EditAnswerScreen,
    SittingViewScreen,
)
from relworkbook.screens.trends import TrendsScreen
from relworkbook.store import Store

SECRET_A = "Pineapplesecret I keep to myself"
SECRET_B = "Mangosecret nobody has read"
NOW = datetime(2026, 1, 10, 12, 0)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture
def demo_store(tmp_path, catalog):
    store = Store.open(tmp_path / "demo.db")
    demo.generate(store, catalog, weeks=30, seed=1, today=demo.SAMPLE_TODAY)
    yield store
    store.close()


@pytest.fixture
def small(tmp_path, catalog):
    """One sitting: an 'each' text prompt answered by both, a private text prompt never revealed."""
    each = private = None
    for exercise in catalog.exercises:
        texts = [p for p in exercise.prompts if p.type == "text" and p.who == "each"]
        secrets = [p for p in exercise.prompts if p.type == "text" and p.who == "private"]
        if texts and secrets:
            each, private = texts[0], secrets[0]
            break
    assert each is not None, "the shipped catalogue needs an exercise with each and private text prompts"
    store = Store.open(tmp_path / "small.db")
    store.set_couple("Alex", "dodgerblue", "Sam", "orange")
    sitting = store.start_sitting(["a", "b"], started="2026-01-03T19:00:00")
    ex = exercise.id
    first = store.save_answer(sitting.id, ex, each.id, "a", "We argue about dishes", prompt_type="text")
    store.save_answer(sitting.id, ex, each.id, "b", "I feel unheard lately", prompt_type="text")
    store.save_answer(sitting.id, ex, private.id, "a", SECRET_A, prompt_type="text", private=True)
    store.save_answer(sitting.id, ex, private.id, "b", SECRET_B, prompt_type="text", private=True)
    store.end_sitting(sitting.id, ended="2026-01-03T19:30:00")
    yield {"store": store, "sitting": sitting.id, "exercise": ex, "each": each, "private": private,
           "first": first.id}
    store.close()


class Host(App[None]):
    """A bare app with one of the looking-back screens pushed on its default screen."""

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def on_mount(self) -> None:
        self.push_screen(self.make())


def screen_text(app: App) -> str:
    """What is drawn on the terminal now, plus every Static, table cell and list entry
    of the current screen (including what is scrolled out of view)."""
    console = Console(width=app.size[0], height=app.size[1], file=io.StringIO(), record=True,
                      force_terminal=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    parts = [console.export_text()]
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.content))
        elif isinstance(widget, SittingTable):
            parts.extend(" ".join(row) for row in widget.rows)
        elif isinstance(widget, DataTable):
            for row in range(widget.row_count):
                parts.extend(str(cell) for cell in widget.get_row_at(row))
        elif isinstance(widget, OptionList):
            parts.extend(str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count))
        elif isinstance(widget, (TextArea,)):
            parts.append(widget.text)
        elif isinstance(widget, Input):
            parts.append(widget.value)
    return "\n".join(parts)


def flat(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ history


async def test_history_lists_every_sitting_newest_first(demo_store, catalog):
    app = Host(lambda: HistoryScreen(demo_store, catalog, demo_store.get_couple()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(SittingTable)
        sittings = demo_store.list_sittings()
        assert len(table.rows) == len(sittings) == 30
        dates = [row[0] for row in table.rows]
        assert dates == sorted(dates, reverse=True)
        assert dates[0] == sittings[0].started[:16].replace("T", " ")
        # The exercises column names exercises by title; the newest row is drawn on screen.
        assert catalog.exercise(sittings[0].exercises[0]).title in table.rows[0][3]
        drawn = screen_text(app).splitlines()
        assert any(dates[0] in line and "Weekly check-in" in line for line in drawn[:6])


async def test_opening_the_oldest_sitting_shows_both_partners(demo_store, catalog):
    couple = demo_store.get_couple()
    app = Host(lambda: HistoryScreen(demo_store, catalog, couple))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+end")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SittingViewScreen)
        oldest = demo_store.list_sittings()[-1]
        assert screen.sitting_id == oldest.id
        shown = flat(screen_text(app))
        answers = demo_store.answers_for_sitting(oldest.id)
        visible = [a for a in answers if not a.private and a.partner in ("a", "b") and a.text]
        assert {a.partner for a in visible} == {"a", "b"}
        for answer in visible:
            assert flat(answer.text) in shown
        assert couple.a.name in shown and couple.b.name in shown
        # Both partners' answers to one prompt sit side by side: same row, two columns.
        pair = [b for b in screen.query(AnswerBlock) if b.answer_id in {a.id for a in visible}]
        by_prompt = {}
        for block in pair:
            by_prompt.setdefault(block.prompt.id, []).append(block)
        two = next(blocks for blocks in by_prompt.values() if len(blocks) == 2)
        assert two[0].region.y == two[1].region.y and two[0].region.x < two[1].region.x
        # Escape goes back to the list.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_a_click_on_a_row_opens_that_sitting(demo_store, catalog):
    app = Host(lambda: HistoryScreen(demo_store, catalog, demo_store.get_couple()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(SittingTable)
        await pilot.click(table, offset=(3, 1))  # the second row
        await pilot.pause()
        assert isinstance(app.screen, SittingViewScreen)
        assert app.screen.sitting_id == demo_store.list_sittings()[1].id


# ------------------------------------------------------------------ privacy


async def test_unrevealed_private_text_never_appears(small, catalog):
    store = small["store"]
    app = Host(lambda: SittingViewScreen(store, catalog, store.get_couple(), small["sitting"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "We argue about dishes" in shown and "I feel unheard lately" in shown
        assert "Pineapplesecret" not in shown and "Mangosecret" not in shown
        assert shown.count(PRIVATE_HIDDEN) >= 2
        hidden = [b for b in app.screen.query(AnswerBlock) if b.hidden]
        assert len(hidden) == 2
        # Neither corrections nor earlier versions open for it.
        hidden[0].focus()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SittingViewScreen)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, SittingViewScreen)
        assert "Pineapplesecret" not in screen_text(app)

    # Search does not find it either.
    app = Host(lambda: SearchScreen(store, catalog, store.get_couple()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"Pineapplesecret")
        await pilot.pause()
        assert app.screen.hits == []
        assert "Nothing found" in screen_text(app)

    # Once revealed, it shows.
    store.reveal(small["sitting"], small["exercise"], small["private"].id)
    app = Host(lambda: SittingViewScreen(store, catalog, store.get_couple(), small["sitting"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "Pineapplesecret" in shown and "Mangosecret" in shown
        assert PRIVATE_HIDDEN not in shown


async def test_an_unrevealed_answer_offers_no_correction(small, catalog):
    """On a private answer not yet revealed, e and v are not offered: the buttons are off and
    say why, the footer and palette show the keys dimmed; on a shared answer they work."""
    from textual.widgets import Button

    from relworkbook.screens.sitting_view import AnswerBlock

    store = small["store"]
    app = Host(lambda: SittingViewScreen(store, catalog, store.get_couple(), small["sitting"]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        hidden = next(b for b in screen.query(AnswerBlock) if b.hidden)
        shown = next(b for b in screen.query(AnswerBlock) if not b.hidden and b.answer_id is not None)
        hidden.focus()
        await pilot.pause()
        edit = screen.query_one("#sv-edit", Button)
        assert edit.disabled and "not revealed" in str(edit.label)
        assert screen.query_one("#sv-versions", Button).disabled
        assert screen.check_action("edit", ()) is None and screen.check_action("revisions", ()) is None
        shown.focus()
        await pilot.pause()
        assert not edit.disabled and str(edit.label).startswith("Correct ")
        assert screen.check_action("edit", ()) is True


async def test_an_answer_kept_just_for_me_says_so_in_the_sitting_view(small, catalog):
    """Kept back at the reveal: never shown, and not called "not yet revealed" (it never will
    be), the words the recap uses; the other partner's revealed answer is shown beside it."""
    from textual.widgets import Button

    from relworkbook.recap import KEPT_PRIVATE
    from relworkbook.screens.sitting_view import AnswerBlock

    store, sitting, ex, private = small["store"], small["sitting"], small["exercise"], small["private"]
    store.keep_private(sitting, ex, private.id, "b")
    store.reveal(sitting, ex, private.id)
    app = Host(lambda: SittingViewScreen(store, catalog, store.get_couple(), sitting))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        blocks = {b.answer_id: b for b in screen.query(AnswerBlock) if b.answer_id is not None}
        kept = next(b for b in blocks.values() if b.hidden)
        assert kept.kept and kept.partner == "b"
        shown = str(kept.render())
        assert KEPT_PRIVATE in shown and "not yet revealed" not in shown and SECRET_B not in shown
        assert any(SECRET_A in str(b.render()) for b in blocks.values() if not b.hidden)
        kept.focus()
        await pilot.pause()
        edit = screen.query_one("#sv-edit", Button)
        assert edit.disabled and str(edit.label) == "Kept private"


# ------------------------------------------------------------------- search


async def test_search_finds_a_word_and_opens_that_answer(demo_store, catalog):
    oldest = demo_store.list_sittings()[-1]
    target = next(
        a for a in demo_store.answers_for_sitting(oldest.id) if not a.private and len(a.text.split()) > 3
    )
    word = max(target.text.replace(".", " ").replace(",", " ").split(), key=len)
    app = Host(lambda: SearchScreen(demo_store, catalog, demo_store.get_couple()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*word)
        await pilot.pause()
        screen = app.screen
        hits = screen.hits
        assert hits and all(word.lower() in h.snippet.lower() for h in hits)
        assert hits == demo_store.search(word)
        index = next(i for i, h in enumerate(hits) if h.answer_id == target.id)
        results = screen.query_one("#search-results", OptionList)
        assert results.option_count == len(hits)
        first = str(results.get_option_at_index(0).prompt)
        assert hits[0].sitting_started[:10] in first
        assert catalog.exercise(hits[0].exercise_id).title in first
        assert "[[" not in first
        await pilot.press("enter")  # into the results
        await pilot.pause()
        assert app.focused is results
        results.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        view = app.screen
        assert isinstance(view, SittingViewScreen)
        assert view.sitting_id == oldest.id
        assert isinstance(app.focused, AnswerBlock) and app.focused.answer_id == target.id
        assert flat(target.text) in flat(str(app.focused.content))
        # The focused answer is on screen, not scrolled away.
        body = view.query_one("#sv-body")
        assert body.region.contains_region(app.focused.region) or body.region.overlaps(app.focused.region)


def test_snippet_markers_become_highlight_and_user_text_stays_literal():
    text = snippet_text("say [[bold]] things like [red]x[/red] and [[more]")
    assert text.plain == "say bold things like [red]x[/red] and [[more]"
    styled = [text.plain[span.start:span.end] for span in text.spans]
    assert styled == ["bold"]


# ------------------------------------------------------------ corrections


async def test_correcting_an_answer_keeps_the_earlier_version(small, catalog):
    store = small["store"]
    answer_id = small["first"]
    app = Host(lambda: SittingViewScreen(store, catalog, store.get_couple(), small["sitting"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        block = next(b for b in app.screen.query(AnswerBlock) if b.answer_id == answer_id)
        await pilot.click(block)  # the mouse chooses the answer...
        assert app.focused is block
        await pilot.click("#sv-edit")  # ...and the button opens the editor
        await pilot.pause()
        assert isinstance(app.screen, EditAnswerScreen)
        area = app.screen.query_one(TextArea)
        assert area.text == "We argue about dishes"
        area.focus()
        await pilot.press("ctrl+end", *" and laundry")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SittingViewScreen)
        answer = store.get_answer(answer_id)
        assert answer.revision == 2
        assert answer.value == "We argue about dishes and laundry"
        assert [r.text for r in store.revisions(answer_id)] == [
            "We argue about dishes",
            "We argue about dishes and laundry",
        ]
        assert "edited on" in str(block.content)
        assert "and laundry" in str(block.content)
        # Cancelling an edit saves nothing.
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert store.get_answer(answer_id).revision == 2
        # Every version, with its date and text.
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, RevisionsScreen)
        shown = screen_text(app)
        assert "We argue about dishes" in shown
        assert "We argue about dishes and laundry" in shown
        assert "Version 1" in shown and "Version 2" in shown
        for revision in store.revisions(answer_id):
            assert revision.created[:16].replace("T", " ") in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SittingViewScreen)


async def test_correcting_a_scale_answer_by_keys(demo_store, catalog):
    def correctable(a):
        prompt = catalog.prompt(a.exercise_id, a.prompt_id)
        return a.metric and a.revealed and prompt.type == "scale" and a.value < prompt.max

    answer = next(a for s in demo_store.list_sittings() for a in demo_store.answers_for_sitting(s.id)
                  if correctable(a))
    sitting = demo_store.get_sitting(answer.sitting_id)
    app = Host(lambda: SittingViewScreen(demo_store, catalog, demo_store.get_couple(), sitting.id,
                                         focus_answer=answer.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused.answer_id == answer.id
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditAnswerScreen)
        await pilot.pause()
        await pilot.press("right", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SittingViewScreen)
        changed = demo_store.get_answer(answer.id)
        assert changed.value == answer.value + 1 and changed.revision == answer.revision + 1
        assert changed.number == answer.value + 1  # trends follow the correction
        assert [r.value for r in demo_store.revisions(answer.id)][-2:] == [answer.value, answer.value + 1]


# ------------------------------------------------------------------- trends


def _trend_lines(summary, couple, index):
    metric = summary.metrics[index]
    return metric, [f"{couple.name(p.partner)} latest {trends.fmt_number(p.latest)}" for p in metric.partners]


async def test_trends_show_the_summary_values(demo_store, catalog):
    couple = demo_store.get_couple()
    app = Host(lambda: TrendsScreen(demo_store, catalog, couple, now=NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        expected = trends.summary(demo_store, catalog, "all", NOW)
        stats = lambda: flat(str(app.screen.query_one("#trends-stats", Static).content))  # noqa: E731
        metric, lines = _trend_lines(expected, couple, 0)
        assert metric.partners, "the demo has check-in ratings"
        for line in lines:
            assert line in stats()
        partner = metric.partners[0]
        if partner.change is not None:
            assert f"change {trends.fmt_change(partner.change)}" in stats()
            assert ("bigger than a usual week" in stats()) or ("within normal ups and downs" in stats())
            assert "reliable change" not in stats()  # the shipped check-in declares no sd/reliability
        assert "Gap" in stats()
        # The next metric, by key.
        await pilot.press("right_square_bracket")
        await pilot.pause()
        _, lines = _trend_lines(expected, couple, 1)
        for line in lines:
            assert line in stats()
        # The instrument total with its band per partner.
        listing = app.screen.query_one("#trends-list", OptionList)
        listing.highlighted = len(expected.metrics)
        await pilot.pause()
        instrument = expected.instruments[0]
        for partner in instrument.partners:
            assert f"latest {trends.fmt_number(partner.latest)}" in stats()
            assert (partner.band or "no band") in stats()
        # Another window: summary recomputed for it.
        await pilot.press("2")
        await pilot.pause()
        assert app.screen.window == "1y"
        assert app.screen.summary.window == "1y"
        assert app.screen.summary.since == trends.window_start(NOW, "1y")
        assert app.screen.summary.metrics == trends.summary(demo_store, catalog, "1y", NOW).metrics


async def test_trends_with_no_ratings_say_so(small, catalog):
    store = small["store"]
    app = Host(lambda: TrendsScreen(store, catalog, store.get_couple(), now=NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "No ratings" in screen_text(app)


# -------------------------------------------------------------- commitments


async def test_commitments_marked_by_key_and_button(demo_store, catalog):
    sitting = demo_store.start_sitting(["a", "b"], started="2026-01-06T19:00:00")
    late = demo_store.add_commitment(sitting.id, "weekly-check-in", "commitment", "Fix the gate together", "both",
                                     "2026-01-07")
    later = demo_store.add_commitment(sitting.id, "weekly-check-in", "commitment", "Call grandma", "a",
                                      "2026-03-01")
    app = Host(lambda: CommitmentsScreen(demo_store, catalog, demo_store.get_couple(), today="2026-01-10"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        open_ids = [c.id for c in screen.commitments if c.status == "open"]
        assert open_ids[:1] != [] and screen.commitments[: len(open_ids)] == [
            c for c in screen.commitments if c.status == "open"
        ]
        dues = [c.due for c in screen.commitments if c.status == "open"]
        assert dues == sorted(dues, key=lambda d: (d is None, d or ""))  # undated last
        table = screen.query_one("#commitments-table", DataTable)
        row_of = {c.id: i for i, c in enumerate(screen.commitments)}
        # Home's calm words for a date gone by (issue 18), not "OVERDUE" in bold reverse capitals.
        late_status = table.get_row_at(row_of[late.id])[0]
        assert str(late_status) == "was due 3 days ago"
        assert "reverse" not in str(late_status.style) and "red" not in str(late_status.style)
        assert "OVERDUE" not in screen_text(app).upper() and "1 past its date" in screen_text(app)
        assert str(table.get_row_at(row_of[later.id])[0]) == "open"
        table.move_cursor(row=row_of[late.id])
        await pilot.press("k")
        await pilot.pause()
        assert demo_store.get_commitment(late.id).status == "kept"
        table.move_cursor(row=[c.id for c in screen.commitments].index(later.id))
        await pilot.click("#mark-partly")
        await pilot.pause()
        assert demo_store.get_commitment(later.id).status == "partly"
        # The cursor stays on the row number (the next one to review); go back to the same one.
        table.move_cursor(row=[c.id for c in screen.commitments].index(later.id))
        await pilot.press("o")
        await pilot.pause()
        assert demo_store.get_commitment(later.id).status == "open"
        table.move_cursor(row=[c.id for c in screen.commitments].index(later.id))
        await pilot.press("n")
        await pilot.pause()
        assert demo_store.get_commitment(later.id).status == "not_kept"
        # Not kept is still open, as Home counts it: the heading agrees with Home's list.
        still_open = len(demo_store.open_commitments())
        assert f"{still_open} still open" in screen_text(app)
        assert f"{len(screen.commitments) - still_open} kept" in screen_text(app)
        assert not any(str(table.get_row_at(i)[0]).startswith("was due") for i in range(table.row_count))


# -------------------------------------------------------------------- sizes


@pytest.mark.parametrize("size", [(40, 12), (80, 24), (300, 100)])
async def test_every_screen_survives_small_and_large_terminals(demo_store, catalog, size):
    couple = demo_store.get_couple()
    sitting = demo_store.list_sittings()[-1]
    answer = demo_store.answers_for_sitting(sitting.id)[-1]
    makers = [
        (lambda: HistoryScreen(demo_store, catalog, couple), ("down", "enter", "down", "escape", "slash")),
        (lambda: SittingViewScreen(demo_store, catalog, couple, sitting.id), ("down", "down", "e")),
        (lambda: SearchScreen(demo_store, catalog, couple, query="walk"), ("enter", "down", "enter")),
        (lambda: RevisionsScreen(demo_store, catalog, couple, answer.id), ("down", "up")),
        (lambda: TrendsScreen(demo_store, catalog, couple, now=NOW), ("down", "w", "]", "1")),
        (lambda: CommitmentsScreen(demo_store, catalog, couple, today="2026-01-10"), ("down", "p")),
    ]
    for make, keys in makers:
        app = Host(make)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            assert app.return_code is None
            assert len(app.screen_stack) > 1, f"{make().__class__.__name__} left its screen"
            assert screen_text(app).strip()
