"""A number on a labelled scale: arrow keys, number keys, or a click on a point."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Digits, Static

from .base import PromptWidget


class ScalePoint(Static):
    """One point of the scale; clicking it chooses it."""

    DEFAULT_CSS = """
    ScalePoint {
        width: 1fr;
        min-width: 3;
        height: 1;
        content-align: center middle;
        background: $panel;
        color: $text-muted;
    }
    ScalePoint.-chosen {
        background: $accent;
        color: $text;
        text-style: bold;
    }
    """

    def __init__(self, number: int) -> None:
        super().__init__(str(number), classes=f"point-{number}")
        self.number = number

    def on_click(self, event: events.Click) -> None:
        event.stop()
        scale = next(a for a in self.ancestors if isinstance(a, ScalePrompt))
        scale.choose(self.number, report=True)
        scale.focus()


class ScalePrompt(PromptWidget, can_focus=True):
    BINDINGS = [
        Binding("left,down", "step(-1)", "Lower", show=False),
        Binding("right,up", "step(1)", "Higher", show=False),
        Binding("home", "edge(0)", "Lowest", show=False),
        Binding("end", "edge(1)", "Highest", show=False),
    ]

    DEFAULT_CSS = """
    ScalePrompt {
        height: auto;
        padding: 0 1;
        border: tall $border-blurred;
    }
    ScalePrompt:focus {
        border: tall $border;
    }
    ScalePrompt > #points {
        height: 1;
        width: 1fr;
    }
    ScalePrompt > #ends {
        height: auto;
        width: 1fr;
        color: $text-muted;
    }
    ScalePrompt > #ends > .end {
        width: 1fr;
        height: auto;
    }
    ScalePrompt > #middle {
        width: 1fr;
        height: auto;
        text-align: center;
        color: $text-muted;
    }
    ScalePrompt > #ends > #high {
        text-align: right;
    }
    ScalePrompt > #chosen-row {
        width: 1fr;
        height: auto;
        align-horizontal: center;
        margin-top: 1;
    }
    ScalePrompt #big {
        width: auto;
        color: $accent;
        text-style: bold;
    }
    ScalePrompt #chosen {
        width: 1fr;
        height: auto;
        min-height: 3;
        content-align: left middle;
        padding-left: 2;
    }
    """

    def __init__(self, prompt, **kwargs) -> None:
        super().__init__(prompt, **kwargs)
        self.low = int(prompt.min if prompt.min is not None else 1)
        self.high = int(prompt.max if prompt.max is not None else 10)
        self._value: int | None = None
        self._digits = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="points"):
            for number in range(self.low, self.high + 1):
                yield ScalePoint(number)
        with Horizontal(id="ends"):
            yield Static(self._end_label(self.low), id="low", classes="end")
            yield Static(self._end_label(self.high), id="high", classes="end")
        middle = [f"{n}: {label}" for n, label in sorted(self.prompt.labels) if self.low < n < self.high and label]
        if middle:
            yield Static("   ".join(middle), id="middle")
        with Horizontal(id="chosen-row"):
            yield Digits("", id="big")
            yield Static(self._chosen_text(), id="chosen")

    def _end_label(self, number: int) -> str:
        label = self.prompt.label_for(number)
        return f"{number}: {label}" if label else ""

    def _chosen_text(self) -> str:
        if self._value is None:
            return "not chosen yet (\u2190 \u2192, a number key, or a click)"
        return self.prompt.label_for(self._value)

    @property
    def value(self) -> int | None:
        return self._value

    def set_value(self, value: Any) -> None:
        self._value = None if value is None else max(self.low, min(self.high, int(value)))
        self._loaded(self._value)
        self._refresh_points()

    def choose(self, number: int, *, report: bool = True) -> None:
        self._value = max(self.low, min(self.high, int(number)))
        self._refresh_points()
        if report:
            self._changed()

    def _refresh_points(self) -> None:
        if not self.is_mounted:
            return
        for point in self.query(ScalePoint):
            point.set_class(point.number == self._value, "-chosen")
        self.query_one("#chosen", Static).update(self._chosen_text())
        self.query_one("#big", Digits).update("" if self._value is None else str(self._value))

    def on_mount(self) -> None:
        self._refresh_points()

    def action_step(self, delta: int) -> None:
        self._digits = ""
        if self._value is None:
            self.choose(self.low if delta > 0 else self.high)
        else:
            self.choose(self._value + delta)

    def action_edge(self, which: int) -> None:
        self._digits = ""
        self.choose(self.high if which else self.low)

    def on_key(self, event: events.Key) -> None:
        # Number keys: "7" picks 7; on a 1-10 scale "1" then "0" picks 10.
        if event.character and event.character.isdigit():
            event.stop()
            event.prevent_default()
            typed = self._digits + event.character
            if self.low <= int(typed) <= self.high:
                self._digits = typed if int(typed) * 10 <= self.high else ""
                self.choose(int(typed))
            elif self.low <= int(event.character) <= self.high:
                self._digits = event.character
                self.choose(int(event.character))
            else:
                self._digits = ""
