"""The recap worth printing: one compact ratings table, totals with bands, reliable marks,
a print stylesheet with a running header and page numbers, and every recap from one Recap."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from relworkbook import recap
from relworkbook.catalog import load_dir
from relworkbook.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


@pytest.fixture
def catalog():
    cat = load_dir(FIXTURES)
    assert not cat.errors, cat.errors
    return cat


def _checkin(store: Store, day: str, comm: tuple[int, int], close: tuple[int, int]) -> int:
    sitting = store.start_sitting(["a", "b"], started=f"{day}T19:00:00")
    for prompt_id, values in (("communication", comm), ("closeness", close)):
        for partner, value in zip(("a", "b"), values):
            store.save_answer(sitting.id, "fx-checkin", prompt_id, partner, value, prompt_type="scale",
                              private=True, metric=prompt_id)
        store.reveal(sitting.id, "fx-checkin", prompt_id)
    store.save_answer(sitting.id, "fx-checkin", "thanks", "a", "You cooked", prompt_type="text")
    store.end_sitting(sitting.id, ended=f"{day}T19:15:00")
    return sitting.id


@pytest.fixture
def three(tmp_path):
    store = Store.open(tmp_path / "w.db")
    store.set_couple("Alex", "blue", "Sam", "green")
    ids = [
        _checkin(store, "2026-01-05", (5, 6), (4, 7)),
        _checkin(store, "2026-01-12", (8, 6), (4, 7)),  # Alex +3 on communication: reliable for one item
        _checkin(store, "2026-01-19", (9, 6), (8, 7)),  # Alex's total 12 -> 17: reliable (threshold 4)
    ]
    yield store, ids
    store.close()


def test_compact_ratings_table_with_total_band_and_reliable_marks(three, catalog):
    store, (first, second, third) = three
    built = recap.build_recap(store, catalog, second)
    rows = {row.area: row for row in built.ratings.rows}
    assert list(rows) == ["Communication", "Closeness", "Week total"]
    comm = rows["Communication"].cells
    assert (comm[0].text, comm[0].change) == ("5 → 8 (+3)", "bigger than a usual week")
    assert (comm[1].text, comm[1].reliable) == ("6 → 6 (0)", False)
    total = rows["Week total"]
    assert total.total
    assert [(c.text, c.reliable, c.band) for c in total.cells] == [
        ("9 → 12 (+3)", False, "Steady"), ("13 → 13 (0)", False, "Steady"),
    ]
    later = {row.area: row for row in recap.build_recap(store, catalog, third).ratings.rows}
    assert (later["Week total"].cells[0].text, later["Week total"].cells[0].reliable) == ("12 → 17 (+5)", True)
    early = {row.area: row for row in recap.build_recap(store, catalog, first).ratings.rows}
    assert early["Week total"].cells[0].text == "9 (first total)"
    assert early["Communication"].cells[0].text == "5 (first rating)"

    text = recap.render_text(built)
    assert "5 → 8 (+3) *" in text and recap.BIG_NOTE in " ".join(text.split())
    assert recap.RELIABLE_NOTE not in " ".join(text.split())  # the fixture pack declares no sd/reliability
    assert text.count("5 → 8 (+3)") == 1  # not once per block and again in a table
    assert "How well did we talk" not in text  # the scale prompt is not a block of its own
    assert "You cooked" in text  # the other check-in answers still are
    html = recap.render_html(built)
    assert '<tr class="total"><th>Week total</th><td class="num">9 → 12 (+3)<br><span class="band">Steady</span></td>' in html
    assert "| **Week total** | 9 → 12 \\(+3\\); Steady |" not in recap.render_markdown(built)  # parentheses are not escaped
    assert "| **Week total** | 9 → 12 (+3); Steady | 13 → 13 (0); Steady |" in recap.render_markdown(built)


def _every_recap(store, catalog, sitting_id, width=100):
    """The five recaps of one sitting: text, Markdown, HTML, the sitting-end summary and
    the recap screen's own layout (RecapLayout, drawn without a screen)."""
    import io

    from rich.console import Console

    from relworkbook.screens.recap import RecapLayout
    from relworkbook.screens.sitting_end import plain_summary

    built = recap.build_recap(store, catalog, sitting_id)
    console = Console(width=width, file=io.StringIO())
    screen = RecapLayout(built, store.get_couple(), console).text(width).plain
    return built, {
        "text": recap.render_text(built), "markdown": recap.render_markdown(built),
        "html": recap.render_html(built), "plain": plain_summary(store, catalog, sitting_id), "screen": screen,
    }


def test_every_recap_comes_from_one_structure(three, catalog):
    """Text, Markdown, HTML, the sitting-end summary and the recap screen all show the
    same cells of one Recap."""
    store, (_, second, _) = three
    built, outputs = _every_recap(store, catalog, second)
    cells = [recap.cell_text(c) for row in built.ratings.rows for c in row.cells]
    assert cells
    for kind, output in outputs.items():
        flat = " ".join(output.replace("<b class=\"mark\">", "").replace("</b>", "").split())
        for cell in cells:
            assert cell.split(" *")[0] in flat, (kind, cell)
    assert "Alex: You cooked" in outputs["plain"]
    assert "You cooked" in outputs["screen"]


def test_an_unrevealed_answer_is_worded_the_same_in_every_recap(three, catalog):
    """One wording for a private answer not yet revealed (model.PRIVATE_HIDDEN), in every
    recap and on the screens that show answers; before, there were three."""
    from relworkbook.model import PRIVATE_HIDDEN
    from relworkbook.screens import lookback, recap as recap_screen, revisions, sitting_view

    store, (_, second, _) = three
    for partner, value in (("a", "Unsure"), ("b", "Not yet")):
        store.save_answer(second, "fx-hopes", "ready", partner, value, prompt_type="choice", private=True)
    built, outputs = _every_recap(store, catalog, second)
    for kind, output in outputs.items():
        flat = " ".join(output.split())
        assert flat.count(PRIVATE_HIDDEN) == 2, kind
        assert "Unsure" not in flat and "Not yet" not in flat.replace(PRIVATE_HIDDEN, ""), kind
        assert "shown once you both agree" not in flat and "Private answer," not in flat, kind
    assert recap.PRIVATE_HIDDEN is PRIVATE_HIDDEN
    assert recap_screen.PRIVATE_HIDDEN is sitting_view.PRIVATE_HIDDEN is revisions.PRIVATE_HIDDEN is PRIVATE_HIDDEN
    assert not hasattr(lookback, "PRIVATE_HIDDEN")


def test_html_prints_with_running_header_and_page_numbers(three, catalog):
    store, (_, second, _) = three
    html = recap.render_html(recap.build_recap(store, catalog, second))
    assert "@page" in html and "size: auto" in html
    assert '@top-left { content: "Recap · Alex and Sam · Monday 12 January 2026, 19:00"' in html
    assert 'counter(page) " of " counter(pages)' in html
    # value columns never wrap mid-number
    assert re.search(r"td\.num, th\.num \{ white-space: nowrap;", html)
    assert "<script" not in html.lower() and not re.search(r"(?:src|href)\s*=|url\(|@import", html)


def test_running_header_cannot_break_out_of_css(tmp_path, catalog):
    store = Store.open(tmp_path / "w.db")
    store.set_couple('A"}</style><script>x()</script>', "blue", "S\\am", "green")
    sid = _checkin(store, "2026-01-05", (5, 6), (4, 7))
    html = recap.render_html(recap.build_recap(store, catalog, sid))
    store.close()
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<script" not in style and "</style" not in style
    assert "<script>" not in html


def test_text_ratings_fit_and_stack_when_narrow(three, catalog):
    store, (_, second, _) = three
    built = recap.build_recap(store, catalog, second)
    for width in (80, 40, 30):
        lines = recap.render_text(built, width=width).splitlines()
        assert max(len(line) for line in lines) <= width
        # numbers are never split across lines
        assert any("5 → 8 (+3)" in line for line in lines)
