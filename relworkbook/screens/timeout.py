"""Time-out: a calm screen and a countdown; the screen underneath is left as it was.

Either partner can call it from anywhere (f2). The app saves everything first;
leaving pops this screen, so they are back exactly where they were. The break
(``sitting.TimeOut``) ends when its timer does, or sooner only when every partner
present has said they are ready (1 and 2, each on their own). The length (20
minutes unless changed) is chosen in Settings; ``-``/``+`` change this break by
five minutes and leave that choice alone, only while it runs: once the timer has
ended they are gone from the screen and do nothing (the screen waits for Enter).

When the break is over (the timer ran out, or everyone present said they were
ready), and the program has one, the screen offers "After a hard moment", a short
debrief of what happened: the screen closes with the result ``"debrief"`` and the
app opens that exercise. Without one, everyone being ready closes the screen at once.

Each partner's plan for calming down (from "Calming down"), where both may read it,
is shown quietly under the opening lines: the app passes them in (``plans``).
"""

from __future__ import annotations

from time import monotonic
from typing import Sequence

from rich.text import Text

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Digits, Static

from ..model import PARTNERS, Couple, partner_name
from ..sitting import TimeOut

STEP_MINUTES = 5
MAX_MINUTES = 120


def format_remaining(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


DEBRIEF = "debrief"


class TimeoutScreen(Screen[str | None]):
    """A pause. Nothing here asks anything of anyone. Closes with ``DEBRIEF`` or None."""

    DEFAULT_CSS = """
    TimeoutScreen {
        background: $background;
    }
    #timeout-body {
        align-horizontal: center;
        padding: 1 2;
    }
    .calm-title {
        width: 100%;
        text-align: center;
        text-style: bold;
        color: $secondary;
        margin: 0 0 1 0;
    }
    .calm-text {
        width: 100%;
        text-align: center;
        color: $text-muted;
        margin: 0 0 1 0;
    }
    #calm-plans {
        width: 100%;
        height: auto;
        margin: 0 0 1 0;
    }
    #calm-plans > Static {
        width: 100%;
        text-align: center;
        color: $text-muted;
        text-style: italic;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    #countdown {
        width: auto;
        margin: 0 0 1 0;
    }
    #timeout-buttons {
        height: auto;
        width: 100%;
        align-horizontal: center;
    }
    #timeout-buttons Button {
        margin: 0 1 0 0;
    }
    TimeoutScreen.-narrow #calm-plans > Static {
        text-wrap: wrap;  /* the screen scrolls here anyway: the whole plan, not its start */
        text-align: left;
    }
    TimeoutScreen.-narrow #timeout-buttons {
        layout: vertical;
    }
    TimeoutScreen.-narrow #timeout-buttons Button {
        width: 100%;
        margin: 0;
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    BINDINGS = [
        Binding("escape,enter", "back", "Back when the break is over", id="timeout-back"),
        Binding("1", "ready('a')", "First partner is ready to go back", show=False, id="timeout-ready-a"),
        Binding("2", "ready('b')", "Second partner is ready to go back", show=False, id="timeout-ready-b"),
        Binding("minus", "shorter", "5 min less", id="timeout-shorter"),
        Binding("plus,equals_sign", "longer", "5 min more", id="timeout-longer"),
        Binding("a", "debrief", "After a hard moment", id="timeout-debrief", show=False),
    ]

    def __init__(
        self, minutes: int, debrief_title: str | None = None, *,
        present: Sequence[str] = PARTNERS, couple: Couple | None = None,
        plans: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__()
        self.plans = tuple(plans)  # (name, plan) each partner's calming plan both may read
        self.timeout = TimeOut(minutes, present, clock=lambda: monotonic())
        self.debrief_title = debrief_title
        self.couple = couple
        self._was_over = False

    @property
    def minutes(self) -> int:
        return self.timeout.minutes

    @property
    def ends_at(self) -> float:
        return self.timeout.ends_at

    @ends_at.setter
    def ends_at(self, value: float) -> None:
        self.timeout.ends_at = value

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="timeout-body"):
            yield Static("Time-out", classes="calm-title")
            yield Static(
                "Take a break. Breathe slowly, get some water, step outside if you like. "
                "Everything you wrote is saved.",
                classes="calm-text",
            )
            with Vertical(id="calm-plans"):
                for name, plan in self.plans:
                    # One line each, as written (no markup read from it); a long one ends in "…".
                    yield Static(Text(f"{name}'s calming plan: {' '.join(plan.split())}"))
            with Center():
                yield Digits(format_remaining(self.minutes * 60), id="countdown")
            yield Static("", id="timeout-status", classes="calm-text")
            with Horizontal(id="timeout-buttons"):
                yield Button("−5 min", id="shorter")
                yield Button("+5 min", id="longer")
                for key in self.timeout.present:
                    number = PARTNERS.index(key) + 1
                    yield Button(f"{partner_name(self.couple, key)} is ready ({number})", id=f"ready-{key}")
                yield Button("Back to where we were", id="back", variant="primary")
                if self.debrief_title:
                    yield Button(f"{self.debrief_title} (a)", id="debrief")

    def on_mount(self) -> None:
        self.query_one("#calm-plans").display = bool(self.plans)
        self._ticker = self.set_interval(1, self._tick)
        self._tick()

    @property
    def remaining(self) -> float:
        return self.timeout.remaining

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """"After a hard moment" is offered (key, palette, help) only once the break is over."""
        if action == "debrief":
            return bool(self.debrief_title) and self.timeout.over
        if action in ("shorter", "longer", "ready"):
            return not self.timeout.over  # once it is over, + would start a new countdown
        return True

    def _tick(self) -> None:
        left = self.remaining
        over = self.timeout.over  # the timer ran out, or everyone present is ready
        if over != self._was_over:
            self._was_over = over
            self.refresh_bindings()
        self.query_one("#countdown", Digits).update(format_remaining(0 if over else left))
        status = self.query_one("#timeout-status", Static)
        if self.debrief_title:
            # Once the break is over the debrief takes the place of -5/+5.
            self.query_one("#debrief", Button).display = over
        self.query_one("#shorter", Button).display = not over
        self.query_one("#longer", Button).display = not over
        self.query_one("#back", Button).display = over
        for key in self.timeout.present:
            button = self.query_one(f"#ready-{key}", Button)
            button.display = not over
            if key in self.timeout.agreed:
                button.label = f"{partner_name(self.couple, key)} is ready"
                button.disabled = True
        if over:
            if left > 0:  # ended early: everyone present said they were ready
                back = "You are both ready. Go back: press Enter." if len(self.timeout.present) > 1 else (
                    "You are ready. Go back: press Enter."
                )
            else:
                back = "Time is up. Come back when you both feel ready: press Enter."
            if self.debrief_title:
                status.update(f"{back} Or, once you are both calm, go through “{self.debrief_title}” together: press a.")
            else:
                status.update(back)
        elif len(self.timeout.present) == 1:
            status.update(f"Back when the timer ends, or sooner when you are ready. ({self.minutes} minutes)")
        else:
            waiting = " and ".join(partner_name(self.couple, p) for p in self.timeout.waiting_for())
            status.update(
                f"Back when the timer ends, or sooner when you both say you are ready "
                f"(waiting for {waiting}). ({self.minutes} minutes)"
            )

    def _adjust(self, delta: int) -> None:
        """This break only: the usual length is changed in settings, on purpose."""
        if self.timeout.adjust(delta):
            self._tick()

    def action_shorter(self) -> None:
        self._adjust(-STEP_MINUTES)

    def action_longer(self) -> None:
        self._adjust(STEP_MINUTES)

    def action_back(self) -> None:
        """Back once the timer has run out, or once everyone present is ready."""
        if self.timeout.over:
            self.dismiss(None)
            return
        keys = " and ".join(str(PARTNERS.index(p) + 1) for p in self.timeout.waiting_for())
        self.notify(f"The break ends when the timer does, or sooner when each of you is ready: press {keys}.")

    def action_ready(self, partner: str) -> None:
        """Everyone present ready ends the break: with a debrief to offer, the screen shows
        the same choice as when the timer runs out (Enter back, a the debrief); else it closes."""
        if self.timeout.over:
            return
        if self.timeout.agree(partner) and not self.debrief_title:
            self.dismiss(None)
            return
        self._tick()

    def action_debrief(self) -> None:
        """Only once the break is over: the debrief is for after, not instead of, calming down."""
        if self.debrief_title and self.timeout.over:
            self.dismiss(DEBRIEF)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {
            "shorter": self.action_shorter,
            "longer": self.action_longer,
            "back": self.action_back,
            "debrief": self.action_debrief,
            "ready-a": lambda: self.action_ready("a"),
            "ready-b": lambda: self.action_ready("b"),
        }[event.button.id or "back"]()
