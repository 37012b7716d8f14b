"""Partners told apart on every theme and without colour (issue 19 item 2)."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.theme import BUILTIN_THEMES
from textual.widgets import DataTable, RadioSet

from relworkbook.colour import MINIMUM_CONTRAST, contrast, for_theme, theme_backgrounds
from relworkbook.demo import PARTNER_NAMES
from relworkbook.screens.first_run import DEFAULT_COLOURS, PALETTE
from relworkbook.widgets.marks import OFF_DOT, ON_DOT, TICK, MarkedRadioButton, MarkedSelectionList

COLOURS = sorted({value for _, value in PALETTE} | set(DEFAULT_COLOURS.values())
                 | {PARTNER_NAMES[k][1] for k in ("a", "b")} | {"blue", "green", "orange", "#cc3366", "yellow", "white", "black"})


def test_contrast_is_wcag():
    assert contrast(Color(0, 0, 0), Color(255, 255, 255)) == pytest.approx(21.0)
    assert contrast(Color(119, 119, 119), Color(255, 255, 255)) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme_name", sorted(BUILTIN_THEMES))
def test_every_partner_colour_reads_on_every_builtin_theme(theme_name):
    """4.5:1 or better against the background, surface and panel of each built-in theme."""
    theme = BUILTIN_THEMES[theme_name]
    grounds = theme_backgrounds(theme)
    assert grounds
    for name in COLOURS:
        shown = Color.parse(for_theme(name, theme))
        worst = min(contrast(shown, ground) for ground in grounds)
        assert worst >= MINIMUM_CONTRAST, (theme_name, name, shown.hex, round(worst, 2))
    # A colour that already reads is left as it was chosen.
    chosen = Color(255, 255, 255) if theme.dark else Color(0, 0, 0)
    assert for_theme(chosen.hex, theme) == chosen.hex


def test_the_two_demo_colours_stay_apart_on_every_theme():
    for theme in BUILTIN_THEMES.values():
        a, b = (Color.parse(for_theme(PARTNER_NAMES[k][1], theme)) for k in ("a", "b"))
        assert a.hex != b.hex, theme.name


async def test_home_draws_names_readable_on_the_light_theme(tmp_path):
    from relworkbook.app import make_app
    from relworkbook.screens.home import HomeScreen
    from relworkbook.store import Store

    db = tmp_path / "w.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    app = make_app(db, [tmp_path.parent], shipped=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for theme_name in ("textual-light", "nord"):
            app.theme = theme_name
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            status = app.screen._status()
            background = Color.parse(app.current_theme.to_color_system().generate()["background"])
            styles = [span.style for span in status.spans if "bold" in str(span.style)][:2]
            assert len(styles) == 2
            for style in styles:
                colour = Color.parse(str(style).split()[-1])
                assert contrast(colour, background) >= MINIMUM_CONTRAST, (theme_name, str(style))


class Marks(App[None]):
    def compose(self) -> ComposeResult:
        with RadioSet():
            yield MarkedRadioButton("Often", value=False)
            yield MarkedRadioButton("Sometimes", value=True)
            yield MarkedRadioButton("Never", value=False)
        yield MarkedSelectionList[int](("Tired", 0, True), ("Busy", 1, False), ("Worried", 2, True))


def lines(app: App) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_chosen_and_ticked_marks_without_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = Marks()
    async with app.run_test(size=(60, 14)) as pilot:
        await pilot.pause()
        assert app.no_color
        drawn = lines(app)
        row = {word: next(line for line in drawn if word in line) for word in ("Often", "Sometimes", "Never", "Tired", "Busy", "Worried")}
        assert ON_DOT in row["Sometimes"] and OFF_DOT not in row["Sometimes"]
        assert OFF_DOT in row["Often"] and ON_DOT not in row["Often"] and OFF_DOT in row["Never"]
        assert TICK in row["Tired"] and TICK in row["Worried"] and TICK not in row["Busy"]
        # Choosing another moves the dot; unticking removes the tick.
        buttons = list(app.query(MarkedRadioButton))
        buttons[0].value = True
        app.query_one(MarkedSelectionList).deselect(0)
        await pilot.pause()
        drawn = lines(app)
        row = {word: next(line for line in drawn if word in line) for word in ("Often", "Sometimes", "Tired")}
        assert ON_DOT in row["Often"] and OFF_DOT in row["Sometimes"] and TICK not in row["Tired"]

    # The app's own: a commitment's "Who" and the reveal's "keep just for me" list.
    from relworkbook.model import Couple, Partner, Prompt
    from relworkbook.screens.handover import KeepScreen
    from relworkbook.widgets import widget_for

    couple = Couple(Partner("a", "Alex", "royalblue"), Partner("b", "Sam", "darkorange"))

    class Commitment(App[None]):
        def compose(self) -> ComposeResult:
            yield widget_for(Prompt(id="do", type="commitment", text="One thing"), partner="b", couple=couple)

    app = Commitment()
    async with app.run_test(size=(70, 10)) as pilot:
        await pilot.pause()
        assert app.no_color
        who = next(line for line in lines(app) if "Who" in line)
        # Sam's by default: Sam's dot filled, Alex's and both's empty, in that order.
        assert [mark for mark in who if mark in (ON_DOT, OFF_DOT)] == [OFF_DOT, ON_DOT, OFF_DOT], who
        assert who.index("Alex") < who.index(ON_DOT) < who.index("Sam") < who.index("Both")

    class Keep(App[None]):
        def on_mount(self) -> None:
            prompts = [("unsaid", "What have you not said yet?"), ("fear", "What do you fear?")]
            self.push_screen(KeepScreen(couple, "b", prompts, {"fear"}))

    app = Keep()
    async with app.run_test(size=(70, 16)) as pilot:
        await pilot.pause()
        drawn = lines(app)
        row = {word: next(line for line in drawn if word in line) for word in ("not said", "you fear")}
        assert TICK in row["you fear"] and TICK not in row["not said"], row


async def test_turn_badge_carries_the_name(monkeypatch):
    from relworkbook.model import Couple, Partner
    from relworkbook.widgets.badge import PartnerBadge

    couple = Couple(Partner("a", "Alex", "royalblue"), Partner("b", "Sam", "darkorange"))

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield PartnerBadge(couple, id="badge")

    monkeypatch.setenv("NO_COLOR", "1")
    app = Host()
    async with app.run_test(size=(40, 5)) as pilot:
        badge = app.query_one(PartnerBadge)
        for key, name in (("a", "Alex"), ("b", "Sam")):
            badge.show(key)
            await pilot.pause()
            assert name in lines(app)[0]
            text, ground = badge.styles.color, badge.styles.background
            assert contrast(text, ground) >= MINIMUM_CONTRAST


# ------------------------------------------------------------ as drawn on screen

NAMES = re.compile(r"\b(Alex|Sam)\b")


@pytest.fixture(scope="module")
def demo_workbook(tmp_path_factory) -> Path:
    """Twelve weeks of the demo couple (Alex in dodgerblue, Sam in orange), made once."""
    from relworkbook.catalog import load_catalog
    from relworkbook.demo import generate
    from relworkbook.store import Store

    db = tmp_path_factory.mktemp("demo") / "workbook.db"
    with Store.open(db) as store:
        generate(store, load_catalog(), weeks=12, today=date(2025, 6, 1))
        last = max(store.list_sittings(), key=lambda s: s.started)
        for owner, what in (("a", "Book the table"), ("b", "Ring my sister")):
            store.add_commitment(last.id, "ck-weekly", "commit", what, owner, "2025-06-08")
    return db


def drawn_names(app: App) -> list[tuple[int, str, Color | None, Color | None]]:
    """Every segment on screen that carries a partner's name: (row, text, colour, background) as seen.

    Dim text is shown as the terminal shows it (halfway to its background) and
    reverse swaps the two, so the pair is what reaches the eye. Colour and
    background are None where the pair is not the app's to choose: the
    terminal's own colours (ANSI themes), or the theme's own text colour on its
    ground, or its cursor's text colour on its cursor (as readable as all of the
    theme's text there).
    """
    found: list[tuple[int, str, Color | None, Color | None]] = []
    variables = app.theme_variables
    text = Color.parse(variables["foreground"])
    # A table's cursor row draws every cell, a name too, in the cursor's own colours.
    cursor = Color.parse(variables["block-cursor-background"])
    on_cursor = variables["block-cursor-foreground"]
    if on_cursor.startswith("auto"):  # Textual's "auto N%": the contrasting text colour, N% strong
        alpha = float(on_cursor.split()[1].rstrip("%")) / 100 if " " in on_cursor else 1.0
        cursor_text = (cursor + cursor.get_contrast_text(alpha)).rgb
    else:
        cursor_text = (cursor + Color.parse(on_cursor)).rgb
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            style = segment.style
            if style is None or not NAMES.search(segment.text):
                continue
            assert style.color is not None and style.bgcolor is not None, (y, segment)
            if style.color.is_default or (style.color.is_system_defined and style.bgcolor.is_system_defined):
                found.append((y, segment.text.strip(), None, None))
                continue
            # ANSI colours as Textual shows them (its ANSI palette); the terminal's own
            # background as colour.theme_backgrounds assumes it.
            fore = Color.from_rich_color(style.color, app.ansi_theme, ansi=False)
            back = (
                Color.from_rich_color(style.bgcolor, app.ansi_theme, False, ansi=False) if not style.bgcolor.is_default
                else Color(0, 0, 0) if app.current_theme.dark else Color(255, 255, 255)
            )
            if style.reverse:
                fore, back = back, fore
            if style.dim:
                fore = back.blend(fore, 0.5)
            elif fore.rgb == text.rgb or (back.rgb == cursor.rgb and fore.rgb == cursor_text):
                found.append((y, segment.text.strip(), None, None))
                continue
            found.append((y, segment.text.strip(), fore, back))
    return found


@pytest.mark.parametrize("theme_name", sorted(BUILTIN_THEMES))
async def test_partner_names_read_where_they_are_drawn(theme_name, demo_workbook, tmp_path):
    """Home, Trends, Search (a row highlighted), the sitting view (an answer chosen) and
    Commitments, rendered on each built-in theme: every segment with a partner's name
    has 4.5:1 or better against its own background."""
    from relworkbook.app import make_app
    from relworkbook.screens.search import SearchScreen
    from relworkbook.screens.sitting_view import AnswerBlock, SittingViewScreen

    db = tmp_path / "workbook.db"
    shutil.copy(demo_workbook, db)
    app = make_app(db, shipped=True)
    app.catch_signals = False
    problems: list[tuple] = []
    seen: dict[str, set[str]] = {}

    def check(where: str) -> None:
        names = drawn_names(app)
        seen[where] = {text for _, text, _, _ in names}
        for y, text, fore, back in names:
            if fore is None or back is None:
                continue
            ratio = contrast(fore, back)
            if ratio < MINIMUM_CONTRAST:
                problems.append((where, y, text, fore.hex, back.hex, round(ratio, 2)))

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = theme_name
        await pilot.pause()
        check("home")
        app.action_trends()
        await pilot.pause()
        check("trends")
        app.pop_screen()
        app.push_screen(SearchScreen(app.store, app.catalog, app.couple, "thank"))
        await pilot.pause()
        await pilot.press("enter")  # into the results, the first highlighted
        await pilot.pause()
        check("search")
        app.pop_screen()
        app.action_commitments()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=next(
            row for row in range(table.row_count) if "Alex" in str(table.get_row_at(row))
        ))  # the cursor on a row with a name
        await pilot.pause()
        check("commitments")
        app.pop_screen()
        sitting = max(app.store.list_sittings(), key=lambda s: s.started)
        app.push_screen(SittingViewScreen(app.store, app.catalog, app.couple, sitting.id))
        await pilot.pause()
        block = next(b for b in app.screen.query(AnswerBlock) if b.partner == "a" and not b.hidden)
        block.focus()
        await pilot.pause()
        check("sitting view")
    # Each screen showed both names (the test looked where they are).
    for where in ("home", "trends", "search", "commitments", "sitting view"):
        assert {"Alex", "Sam"} <= {n for text in seen[where] for n in NAMES.findall(text)}, (where, seen[where])
    assert not problems, problems


@pytest.mark.parametrize("where", ["home", "history", "search", "commitments", "sitting view", "recap", "versions", "trends"])
async def test_every_screen_with_names_draws_them_again_in_a_new_theme(where, demo_workbook, tmp_path):
    """A theme changed while a screen is open (palette, Theme): its names are drawn
    at once in colours made for the new theme, not left in the old one's (dark to
    light, those read 1.4-1.7:1)."""
    from relworkbook.app import make_app
    from relworkbook.screens.search import SearchScreen
    from relworkbook.screens.recap import RecapScreen
    from relworkbook.screens.revisions import RevisionsScreen
    from relworkbook.screens.sitting_view import SittingViewScreen

    db = tmp_path / "workbook.db"
    shutil.copy(demo_workbook, db)
    app = make_app(db, shipped=True)
    app.catch_signals = False
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "textual-dark"
        await pilot.pause()
        if where == "history":
            app.action_history()
        elif where == "commitments":
            app.action_commitments()
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            table.move_cursor(row=next(
                row for row in range(table.row_count) if "Alex" in str(table.get_row_at(row))
            ))  # where the named rows are
        elif where == "trends":
            app.action_trends()
        elif where == "search":
            app.push_screen(SearchScreen(app.store, app.catalog, app.couple, "thank"))
        elif where in ("recap", "versions"):
            sitting = max(app.store.list_sittings(), key=lambda s: s.started)
            if where == "recap":
                app.push_screen(RecapScreen(app.store, app.catalog, app.couple, sitting.id))
            else:
                answer = next(a for a in app.store.answers_for_sitting(sitting.id)
                              if a.partner == "a" and (not a.private or a.revealed))
                app.push_screen(RevisionsScreen(app.store, app.catalog, app.couple, answer.id))
        elif where == "sitting view":
            sitting = max(app.store.list_sittings(), key=lambda s: s.started)
            app.push_screen(SittingViewScreen(app.store, app.catalog, app.couple, sitting.id))
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        names = [(text, fore, back) for _, text, fore, back in drawn_names(app) if fore is not None]
        # (On Commitments the cursor's row is in the table cursor's own colours, not counted;
        # Versions is one partner's answer.)
        wanted = {"Sam"} if where == "commitments" else {"Alex"} if where == "versions" else {"Alex", "Sam"}
        assert {n for text, _, _ in names for n in NAMES.findall(text)} >= wanted, where
        low = [(text, fore.hex, back.hex, round(contrast(fore, back), 2)) for text, fore, back in names
               if contrast(fore, back) < MINIMUM_CONTRAST]
        assert not low, low
