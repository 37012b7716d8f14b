"""Partners told apart on every theme and without colour (issue 19 item 2)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.theme import BUILTIN_THEMES
from textual.widgets import RadioSet

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
